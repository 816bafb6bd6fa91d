"""The guarantee clock (tenestegaranti-klokka): the promised date of an inquiry and whether it
was kept, derived from the original promise and the clock's events on the timeline.

The rules, in one place (docs/guarantees.md explains them to users):

* A round starts when the inquiry is registered or reopened. Its *original promise* is the
  guarantee's working days counted from that moment (`WorkingCalendar.due_date`); the event
  carries it as ``data["due_date"]``.
* Waiting for the sender stops the clock. The promise is extended by the **working time**
  spent waiting, summed over the round's pauses and rounded to the nearest whole working day
  (a working day being the office's opening hours). A pause from 15:20 to 08:05 the next
  morning is 15 minutes of working time and moves nothing; a week's wait moves five days.
* A pause that starts after the promise has already passed extends nothing: the inquiry
  stays overdue while it waits, and resuming it does not make it late-but-kept.
* An answer, or a close without one, settles the round; an answer given while waiting ends
  the pause at that moment, so the wait counts.
* *Kept* means settled on or before the promised date as extended by waiting. An interim
  reply (førebels svar, fvl. § 11 a) is recorded beside it with the date it names, and never
  moves the promise.

Nothing here touches the database: the services feed it the timeline and store what it
derives on the inquiry's row (so the inboxes can filter on indexed columns), and the tests
check the stored columns against a fresh derivation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q

from tenestetorget.core.calendar import WorkingCalendar, to_local

# Event kinds, as stored in InquiryEvent.kind (kept as strings so this module needs no model).
REGISTERED = "registered"
REOPENED = "reopened"
PAUSED = "paused"
RESUMED = "resumed"
INTERIM_REPLY = "interim_reply"
ANSWERED = "answered"
CLOSED = "closed"
CLOCK_EVENT_KINDS = frozenset(
    {REGISTERED, REOPENED, PAUSED, RESUMED, INTERIM_REPLY, ANSWERED, CLOSED}
)

#: The statuses in which an inquiry is still open (its round not settled).
OPEN_STATUS_VALUES = ("new", "in_progress", "waiting", "forwarded")


@dataclass(frozen=True)
class ClockEvent:
    kind: str
    at: dt.datetime
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Clock:
    """The state of the current round of an inquiry's guarantee."""

    round_started_at: dt.datetime
    original_due_date: dt.date
    due_date: dt.date
    paused_since: dt.datetime | None = None
    #: The running pause began after the promise had passed: it extends nothing.
    paused_late: bool = False
    #: Working time of this round's finished pauses that extend the promise.
    paused_time: dt.timedelta = dt.timedelta()
    settled_at: dt.datetime | None = None
    kept: bool | None = None
    interim_reply_at: dt.datetime | None = None
    interim_promised_date: dt.date | None = None
    #: An interim reply was sent on or before the promised date.
    interim_in_time: bool = False

    @property
    def paused(self) -> bool:
        return self.paused_since is not None


def working_day_length(calendar: WorkingCalendar) -> dt.timedelta:
    opening = dt.datetime.combine(dt.date(2000, 1, 3), calendar.opening)
    closing = dt.datetime.combine(dt.date(2000, 1, 3), calendar.closing)
    return closing - opening


def extension_days(paused: dt.timedelta, calendar: WorkingCalendar) -> int:
    """Whole working days a total of `paused` working time extends the promise by: the
    nearest whole number, halves up (a wait of half an office day or more counts a day)."""
    if paused <= dt.timedelta():
        return 0
    ratio = Decimal(paused.total_seconds()) / Decimal(working_day_length(calendar).total_seconds())
    return int(ratio.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def extended_due_date(
    original: dt.date, paused: dt.timedelta, calendar: WorkingCalendar
) -> dt.date:
    days = extension_days(paused, calendar)
    return calendar.add_working_days(original, days) if days else original


def local_day(moment: dt.datetime) -> dt.date:
    return to_local(moment).date()


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def start_round(at: dt.datetime, original_due_date: dt.date) -> Clock:
    return Clock(
        round_started_at=at, original_due_date=original_due_date, due_date=original_due_date
    )


def _end_pause(clock: Clock, at: dt.datetime, calendar: WorkingCalendar) -> Clock:
    if clock.paused_since is None:
        return clock
    paused_time = clock.paused_time
    if not clock.paused_late:
        paused_time += calendar.working_time_between(clock.paused_since, at)
    return replace(
        clock,
        paused_since=None,
        paused_late=False,
        paused_time=paused_time,
        due_date=extended_due_date(clock.original_due_date, paused_time, calendar),
    )


def _settle(clock: Clock, at: dt.datetime, calendar: WorkingCalendar) -> Clock:
    clock = _end_pause(clock, at, calendar)
    if clock.settled_at is not None:
        return clock
    return replace(clock, settled_at=at, kept=local_day(at) <= clock.due_date)


def apply(clock: Clock | None, event: ClockEvent, calendar: WorkingCalendar) -> Clock | None:
    """The clock after one event. Events that do not concern the clock change nothing."""
    kind = event.kind
    if kind in (REGISTERED, REOPENED):
        due = _parse_date(event.data.get("due_date"))
        if due is None:
            # A round whose event does not name its promise (written before the clock kept
            # it there) continues the previous one.
            return clock
        return start_round(event.at, due)
    if clock is None:
        return None
    if kind == PAUSED:
        if clock.paused_since is not None or clock.settled_at is not None:
            return clock
        return replace(
            clock, paused_since=event.at, paused_late=local_day(event.at) > clock.due_date
        )
    if kind == RESUMED:
        return _end_pause(clock, event.at, calendar)
    if kind == INTERIM_REPLY:
        if clock.settled_at is not None:
            return clock
        return replace(
            clock,
            interim_reply_at=event.at,
            interim_promised_date=_parse_date(event.data.get("due_date")),
            interim_in_time=clock.interim_in_time or local_day(event.at) <= clock.due_date,
        )
    if kind in (ANSWERED, CLOSED):
        return _settle(clock, event.at, calendar)
    return clock


def derive(events: Iterable[ClockEvent], calendar: WorkingCalendar) -> Clock | None:
    """The current round's clock from an inquiry's timeline (oldest event first)."""
    clock: Clock | None = None
    for event in events:
        clock = apply(clock, event, calendar)
    return clock


# --- overdue: the one definition -------------------------------------------------------------


def is_overdue(
    *,
    status: str,
    due_date: dt.date,
    paused_since: dt.datetime | None,
    paused_late: bool,
    today: dt.date,
) -> bool:
    """Open, past its promised date, and not stopped by a wait that began in time.

    An inquiry waiting for the sender has its clock stopped and is not overdue, unless the
    wait began after the promise had passed (then it is overdue and counted so)."""
    if status not in OPEN_STATUS_VALUES or due_date >= today:
        return False
    return paused_since is None or paused_late


def overdue_q(today: dt.date, prefix: str = "") -> Q:
    """The same rule as `is_overdue`, as a filter on inquiries (`prefix` for a relation)."""
    p = prefix
    return Q(**{f"{p}status__in": OPEN_STATUS_VALUES, f"{p}due_date__lt": today}) & (
        Q(**{f"{p}paused_since__isnull": True}) | Q(**{f"{p}paused_late": True})
    )
