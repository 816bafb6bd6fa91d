"""Where training examples come from besides the shipped ones: the municipality's own
routing history (an inquiry's final queue, after any corrections, is its label) and, for a
cold start, texts that describe the queues. `routing` knows nothing of inquiries or of the
knowledge base; the apps that own them register a source here (contact does, in its
AppConfig.ready)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tenestetorget.organisation.models import Queue
from tenestetorget.routing.dataset import Example

Source = Callable[[], Iterable[Example]]

_HISTORY: list[Source] = []
_DESCRIPTIONS: list[Source] = []


def register_history(source: Source) -> None:
    """`source()` yields labelled examples from routed work (label: the final queue)."""
    if source not in _HISTORY:
        _HISTORY.append(source)


def register_descriptions(source: Source) -> None:
    """`source()` yields texts that describe a queue (its scope, knowledge articles)."""
    if source not in _DESCRIPTIONS:
        _DESCRIPTIONS.append(source)


def history() -> list[Example]:
    return [example for source in _HISTORY for example in source()]


def descriptions() -> list[Example]:
    return [example for source in _DESCRIPTIONS for example in source()]


def queue_descriptions() -> Iterable[Example]:
    """Each active queue's name and scope (queues.yaml, the admin): the cold start's
    first text for every queue, also one that has no example yet."""
    for code, name, scope in Queue.objects.filter(active=True).values_list("code", "name", "scope"):
        yield Example(f"queue-{code}", name, scope, code)
