"""Labelled inquiries: reading them (the JSON Lines format of ../shared/data/), and the
fixed held-out split.

The held-out split (`data/held-out.txt`) was drawn once from the two reference sets by a
rule that reads ids and labels only: per queue, the ids ordered by their SHA-256, the first
fifth (125 of 600). It is never trained on and was not looked at while the model was
tuned; tuning used cross-validation on the rest. Examples written for training
(`data/extra-*.jsonl`) are never in it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
#: The reference sets (copied from ../shared/data/), from which the held-out split is drawn.
REFERENCE = ("inquiries-dev-a.jsonl", "inquiries-dev-b.jsonl")
HELD_OUT = DATA / "held-out.txt"


class DataError(ValueError):
    """A line that cannot be read as a labelled (or unlabelled) inquiry."""


@dataclass(frozen=True)
class Example:
    id: str
    subject: str
    body: str
    #: The label: the queue code; None for a text to predict.
    queue: str | None
    channel: str = ""
    lang: str = ""


def read_jsonl(path: Path, *, labelled: bool = True) -> list[Example]:
    """The inquiries in `path`, one JSON object a line (`id`, `subject`, `body`, and the
    label `queue` when `labelled`). Blank lines are skipped; anything else that is not such
    an object stops the reading with the line number."""
    examples: list[Example] = []
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DataError(f"{path}: {error.strerror or error}") from None
    for n, data in enumerate(raw.splitlines(), 1):
        try:
            line = data.decode("utf-8")
        except UnicodeDecodeError:
            raise DataError(f"{path}:{n}: not UTF-8") from None
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise DataError(f"{path}:{n}: not JSON ({error.msg})") from None
        if not isinstance(row, dict):
            raise DataError(f"{path}:{n}: not a JSON object")
        examples.append(_example(row, f"{path}:{n}", labelled))
    return examples


def _example(row: dict[str, object], where: str, labelled: bool) -> Example:
    def text(key: str) -> str:
        value = row.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise DataError(f"{where}: «{key}» is not a text")
        return value

    queue = text("queue") or None
    if labelled and queue is None:
        raise DataError(f"{where}: no «queue»")
    identifier = row.get("id")
    return Example(
        id=str(identifier) if identifier is not None else "",
        subject=text("subject"),
        body=text("body"),
        queue=queue,
        channel=text("channel"),
        lang=text("lang"),
    )


def shipped() -> list[Example]:
    """Every labelled example shipped with the product: the reference sets and the
    examples written for training."""
    paths = [DATA / name for name in REFERENCE] + sorted(DATA.glob("extra-*.jsonl"))
    return [example for path in paths for example in read_jsonl(path)]


def held_out_ids() -> frozenset[str]:
    lines = HELD_OUT.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def split(examples: Iterable[Example]) -> tuple[list[Example], list[Example]]:
    """(training, held-out) by the fixed held-out list."""
    held = held_out_ids()
    train: list[Example] = []
    test: list[Example] = []
    for example in examples:
        (test if example.id in held else train).append(example)
    return train, test


def fingerprint(examples: Sequence[Example]) -> str:
    """SHA-256 of the training data as used (ids, labels and texts, in a fixed order):
    recorded in the model file, so a model says what it learnt from."""
    digest = hashlib.sha256()
    for example in sorted(examples, key=lambda e: (e.id, e.queue or "", e.subject, e.body)):
        for part in (example.id, example.queue or "", example.subject, example.body):
            digest.update(part.encode())
            digest.update(b"\x00")
    return digest.hexdigest()
