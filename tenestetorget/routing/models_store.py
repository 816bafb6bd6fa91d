"""The model in use: versioned files in ROUTING_MODEL_DIR (`model-<time>-<data hash>.joblib`
with its description as .json), `current` naming the one in use. Loaded once per process
and again when `current` changes (after a retraining by another process)."""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from tenestetorget.routing import dataset, history
from tenestetorget.routing.classifier import RoutingModel, train
from tenestetorget.routing.dataset import Example

_lock = threading.Lock()
_loaded: tuple[str, RoutingModel] | None = None


class NoModel(LookupError):
    """No model has been trained here yet."""


def model_dir() -> Path:
    return Path(settings.ROUTING_MODEL_DIR)


def _pointer() -> Path:
    return model_dir() / "current"


def current_name() -> str | None:
    try:
        name = _pointer().read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name or None


def current() -> RoutingModel:
    """The model in use (NoModel when none has been trained)."""
    global _loaded
    name = current_name()
    if name is None:
        raise NoModel(_("Ingen rutingsmodell er trena enno. Køyr «tenestetorget routing train»."))
    loaded = _loaded
    if loaded is not None and loaded[0] == name:
        return loaded[1]
    with _lock:
        if _loaded is None or _loaded[0] != name:
            _loaded = (name, RoutingModel.load(model_dir() / name))
        return _loaded[1]


def training_examples(
    extra: Sequence[Example] = (),
    *,
    history_too: bool = True,
    include_held_out: bool = False,
    history_per_queue: int | None = None,
) -> list[Example]:
    """What a model is trained on: the shipped examples (without the held-out split
    unless asked), the queue descriptions, the routing history (the latest
    `history_per_queue` of each queue, or all), and `extra`."""
    shipped = dataset.shipped()
    if not include_held_out:
        shipped, _held = dataset.split(shipped)
    examples = [*shipped, *history.descriptions(), *extra]
    if history_too:
        routed = history.history()
        if history_per_queue is not None:
            latest: dict[str, deque[Example]] = defaultdict(lambda: deque(maxlen=history_per_queue))
            for example in routed:
                latest[str(example.queue)].append(example)
            routed = [e for kept in latest.values() for e in kept]
        examples.extend(routed)
    return examples


def train_and_install(
    extra: Sequence[Example] = (),
    *,
    history: bool = True,
    include_held_out: bool = False,
    history_per_queue: int | None = None,
    progress: Callable[[str], object] | None = None,
) -> RoutingModel:
    """Train on training_examples(), write the versioned file, make it current."""
    examples = training_examples(
        extra,
        history_too=history,
        include_held_out=include_held_out,
        history_per_queue=history_per_queue,
    )
    if progress is not None:
        progress(_("Trenar på %(n)s døme …") % {"n": len(examples)} + "\n")
    model, _out_of_fold = train(examples)
    model.meta["includes_held_out"] = include_held_out
    install(model)
    return model


def install(model: RoutingModel) -> str:
    """Write `model` as a new versioned file and make it the one in use; its file name."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S%f")
    name = f"model-{stamp}-{model.meta['training_data_sha256'][:12]}.joblib"
    model.meta["file"] = name
    model.save(model_dir() / name)
    pointer = _pointer()
    partial = pointer.with_name("current.part")
    partial.write_text(name + "\n", encoding="utf-8")
    os.replace(partial, pointer)
    return name
