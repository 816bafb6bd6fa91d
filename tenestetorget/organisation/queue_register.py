"""The queues and their service guarantees, read once per process and kept for a short while.

Every registered inquiry needs its queue (by code) and the guarantee for its channel, and a
municipality has tens of queues that change a few times a year. Reading them from the database
for every inquiry cost two queries per registration, a third of the statements on the API's
busiest path. The register holds them in memory instead:

* a change saved in this process (the admin, `set_guarantee`, `load-organisation`) empties it
  at once, and again when the transaction commits (core.process_memory);
* other processes (the other web workers) read it again after `TTL_SECONDS`, so a changed
  guarantee reaches every worker within that time. Due dates already promised are not
  changed by a later guarantee change anyway, so a few seconds' delay cannot break a promise.

The instances handed out are shared between requests: callers must not change them.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from tenestetorget.core.process_memory import forget_on_change
from tenestetorget.organisation.models import Queue, ServiceGuarantee, Unit

TTL_SECONDS = 30.0


@dataclass(frozen=True)
class _Register:
    loaded_at: float
    queues: dict[str, Queue] = field(default_factory=dict)
    guarantees: dict[tuple[int, str], ServiceGuarantee] = field(default_factory=dict)


_lock = threading.Lock()
_current: _Register | None = None


def _load() -> _Register:
    queues = {queue.code: queue for queue in Queue.objects.select_related("unit")}
    by_id = {queue.pk: queue for queue in queues.values()}
    guarantees = {}
    for guarantee in ServiceGuarantee.objects.all():
        # The guarantee's queue is the register's own instance: no query when it is read.
        guarantee.queue = by_id[guarantee.queue_id]
        guarantees[(guarantee.queue_id, guarantee.channel)] = guarantee
    return _Register(time.monotonic(), queues, guarantees)


def _register() -> _Register:
    global _current
    current = _current
    if current is None or time.monotonic() - current.loaded_at > TTL_SECONDS:
        with _lock:
            current = _current
            if current is None or time.monotonic() - current.loaded_at > TTL_SECONDS:
                current = _current = _load()
    return current


def queue_by_code(code: str) -> Queue | None:
    """The queue with this code, active or not; None if there is none."""
    return _register().queues.get(code)


def active_codes() -> set[str]:
    """The codes of the active queues."""
    return {code for code, queue in _register().queues.items() if queue.active}


def guarantee(queue: Queue, channel: str) -> ServiceGuarantee | None:
    """The queue's service guarantee for the channel, if it has one."""
    return _register().guarantees.get((queue.pk, channel))


def forget() -> None:
    """Read the queues and guarantees again at the next use."""
    global _current
    _current = None


def connect_signals() -> None:
    forget_on_change("queue_register", (Unit, Queue, ServiceGuarantee), forget)
