"""The guarantee clock as properties: what holds for every sequence of waits and answers.

These check the pure rules in contact.clock; test_guarantee_promise.py checks the same
promise end to end, through the services, the inbox and the figures."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from tenestetorget.contact import clock
from tenestetorget.contact.clock import ClockEvent
from tenestetorget.core.calendar import OSLO, WorkingCalendar

CAL = WorkingCalendar()
DAY = dt.timedelta(days=1)


def oslo(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=OSLO)


def registered(at: dt.datetime, days: int = 2) -> ClockEvent:
    return ClockEvent(clock.REGISTERED, at, {"due_date": CAL.due_date(at, days).isoformat()})


def ev(kind: str, at: dt.datetime, **data: object) -> ClockEvent:
    return ClockEvent(kind, at, data)


def derive(*events: ClockEvent) -> clock.Clock:
    state = clock.derive(events, CAL)
    assert state is not None
    return state


# Moments from 2026 to 2028, at any minute of the day (the office is open for a third of it).
moments = st.datetimes(
    min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2028, 12, 31), timezones=st.just(OSLO)
).map(lambda m: m.replace(second=0, microsecond=0))
minutes = st.integers(min_value=0, max_value=60 * 24 * 40)


@st.composite
def waits(draw: st.DrawFn) -> tuple[dt.datetime, int, list[tuple[int, int]]]:
    """A registration and up to six waits: (gap before it, its length) in minutes."""
    start = draw(moments)
    days = draw(st.integers(min_value=0, max_value=15))
    pauses = draw(st.lists(st.tuples(minutes, minutes), max_size=6))
    return start, days, pauses


def timeline(start: dt.datetime, days: int, pauses: list[tuple[int, int]]) -> list[ClockEvent]:
    events = [registered(start, days)]
    t = start
    for gap, length in pauses:
        t += dt.timedelta(minutes=gap)
        events.append(ev(clock.PAUSED, t))
        t += dt.timedelta(minutes=length)
        events.append(ev(clock.RESUMED, t))
    return events


@settings(max_examples=300, deadline=None)
@given(waits())
def test_waits_never_shorten_the_promise(
    case: tuple[dt.datetime, int, list[tuple[int, int]]],
) -> None:
    start, days, pauses = case
    events = timeline(start, days, pauses)
    previous = derive(events[0]).due_date
    for n in range(1, len(events) + 1):
        state = derive(*events[:n])
        assert state.due_date >= state.original_due_date
        assert state.due_date >= previous
        previous = state.due_date


@settings(max_examples=200, deadline=None)
@given(waits(), st.integers(min_value=0, max_value=60 * 24 * 30))
def test_a_longer_wait_never_gives_an_earlier_date(
    case: tuple[dt.datetime, int, list[tuple[int, int]]], extra: int
) -> None:
    start, days, pauses = case
    if not pauses:
        pauses = [(0, 0)]
    longer = [*pauses[:-1], (pauses[-1][0], pauses[-1][1] + extra)]
    assert (
        derive(*timeline(start, days, longer)).due_date
        >= derive(*timeline(start, days, pauses)).due_date
    )


@settings(max_examples=200, deadline=None)
@given(moments, st.integers(min_value=0, max_value=10))
def test_a_wait_of_no_working_time_changes_nothing(start: dt.datetime, days: int) -> None:
    # From closing time to the next opening (overnight, or over a weekend or holiday).
    local = start.astimezone(OSLO)
    closing = dt.datetime.combine(local.date(), CAL.closing, tzinfo=OSLO)
    day = local.date() + DAY
    while not CAL.is_working_day(day):
        day += DAY
    opening = dt.datetime.combine(day, CAL.opening, tzinfo=OSLO)
    base = derive(registered(start, days))
    if closing < start:
        return
    waited = derive(registered(start, days), ev(clock.PAUSED, closing), ev(clock.RESUMED, opening))
    assert waited.due_date == base.due_date
    assert waited.paused_time == dt.timedelta()


@settings(max_examples=200, deadline=None)
@given(waits(), minutes)
def test_an_answer_while_waiting_counts_the_wait(
    case: tuple[dt.datetime, int, list[tuple[int, int]]], length: int
) -> None:
    """Answering while waiting equals resuming at that moment and answering then."""
    start, days, pauses = case
    events = timeline(start, days, pauses)
    t = events[-1].at + dt.timedelta(minutes=1)
    pause = ev(clock.PAUSED, t)
    end = t + dt.timedelta(minutes=length)
    answered_paused = derive(*events, pause, ev(clock.ANSWERED, end))
    answered_resumed = derive(*events, pause, ev(clock.RESUMED, end), ev(clock.ANSWERED, end))
    assert answered_paused.due_date == answered_resumed.due_date
    assert answered_paused.kept == answered_resumed.kept
    assert answered_paused.kept == (end.astimezone(OSLO).date() <= answered_paused.due_date)
    assert not answered_paused.paused


@settings(max_examples=200, deadline=None)
@given(waits(), moments, st.integers(min_value=0, max_value=10))
def test_reopening_starts_a_fresh_round(
    case: tuple[dt.datetime, int, list[tuple[int, int]]], later: dt.datetime, days: int
) -> None:
    start, first_days, pauses = case
    events = timeline(start, first_days, pauses)
    answered = events[-1].at + dt.timedelta(hours=1)
    reopened_at = max(later, answered + dt.timedelta(minutes=1))
    due = CAL.due_date(reopened_at, days)
    state = derive(
        *events,
        ev(clock.ANSWERED, answered),
        ev(clock.REOPENED, reopened_at, due_date=due.isoformat()),
    )
    assert state.original_due_date == state.due_date == due
    assert state.settled_at is None and state.kept is None
    assert state.paused_time == dt.timedelta()
    # A fresh promise is never already broken at the moment it is made.
    assert not clock.is_overdue(
        status="in_progress",
        due_date=state.due_date,
        paused_since=None,
        paused_late=False,
        today=reopened_at.astimezone(OSLO).date(),
    )


@settings(max_examples=200, deadline=None)
@given(waits(), st.integers(min_value=1, max_value=60), minutes)
def test_an_interim_reply_never_turns_late_into_kept(
    case: tuple[dt.datetime, int, list[tuple[int, int]]], interim_days: int, delay: int
) -> None:
    start, days, pauses = case
    events = timeline(start, days, pauses)
    before = derive(*events)
    t = events[-1].at + dt.timedelta(minutes=1)
    new_date = t.astimezone(OSLO).date() + dt.timedelta(days=interim_days)
    answer_at = t + dt.timedelta(minutes=delay)
    with_interim = derive(
        *events,
        ev(clock.INTERIM_REPLY, t, due_date=new_date.isoformat()),
        ev(clock.ANSWERED, answer_at),
    )
    without = derive(*events, ev(clock.ANSWERED, answer_at))
    assert with_interim.due_date == before.due_date == without.due_date
    assert with_interim.kept == without.kept
    assert with_interim.interim_promised_date == new_date


def test_overnight_wait_adds_no_day() -> None:
    start = oslo(2026, 11, 23, 10, 0)  # Monday; promise Wednesday 25th
    state = derive(
        registered(start),
        ev(clock.PAUSED, oslo(2026, 11, 23, 15, 20)),
        ev(clock.RESUMED, oslo(2026, 11, 24, 8, 5)),
    )
    assert state.paused_time == dt.timedelta(minutes=15)
    assert state.due_date == dt.date(2026, 11, 25)


def test_nightly_waits_cannot_stop_the_clock() -> None:
    """A wait every evening until the next morning, for four weeks: the clock still runs."""
    start = oslo(2026, 11, 2, 9, 0)  # Monday; promise Wednesday 4th
    events = [registered(start)]
    day = dt.date(2026, 11, 2)
    for _ in range(28):
        nxt = CAL.next_working_day(day)
        events += [
            ev(clock.PAUSED, dt.datetime.combine(day, dt.time(15, 20), tzinfo=OSLO)),
            ev(clock.RESUMED, dt.datetime.combine(nxt, dt.time(8, 5), tzinfo=OSLO)),
        ]
        day = nxt
    state = derive(*events)
    # The waits before the promise passed were 3 × 15 minutes, which moves nothing; the
    # waits after it extend nothing at all. Not 28 working days.
    assert state.due_date == dt.date(2026, 11, 4)
    assert clock.is_overdue(
        status="in_progress",
        due_date=state.due_date,
        paused_since=None,
        paused_late=False,
        today=day,
    )


def test_a_long_wait_answered_while_waiting_is_kept() -> None:
    start = oslo(2026, 11, 2, 9, 0)  # promise Wednesday 4 November
    paused = oslo(2026, 11, 3, 9, 0)
    answered = oslo(2026, 11, 30, 10, 0)  # 19 working days of waiting later
    state = derive(registered(start), ev(clock.PAUSED, paused), ev(clock.ANSWERED, answered))
    assert state.kept is True
    assert state.due_date >= answered.date()


def test_a_wait_begun_after_the_promise_extends_nothing() -> None:
    start = oslo(2026, 11, 2, 9, 0)  # promise Wednesday 4 November
    late_pause = oslo(2026, 11, 9, 9, 0)
    waiting = derive(registered(start), ev(clock.PAUSED, late_pause))
    assert waiting.paused_late
    assert clock.is_overdue(
        status="waiting",
        due_date=waiting.due_date,
        paused_since=waiting.paused_since,
        paused_late=waiting.paused_late,
        today=dt.date(2026, 11, 10),
    )
    resumed = derive(
        registered(start), ev(clock.PAUSED, late_pause), ev(clock.RESUMED, oslo(2026, 11, 20, 9))
    )
    assert resumed.due_date == dt.date(2026, 11, 4)


def test_an_interim_reply_after_the_promise_does_not_move_it() -> None:
    start = oslo(2026, 11, 2, 9, 0)  # promise Wednesday 4 November
    state = derive(
        registered(start),
        ev(clock.INTERIM_REPLY, oslo(2026, 11, 10, 9), due_date="2026-12-01"),
        ev(clock.ANSWERED, oslo(2026, 11, 30, 9)),
    )
    assert state.due_date == dt.date(2026, 11, 4)
    assert state.kept is False
    assert state.interim_in_time is False
    assert state.interim_promised_date == dt.date(2026, 12, 1)


def test_waiting_in_time_is_not_overdue() -> None:
    assert not clock.is_overdue(
        status="waiting",
        due_date=dt.date(2026, 11, 4),
        paused_since=oslo(2026, 11, 3, 9),
        paused_late=False,
        today=dt.date(2026, 11, 30),
    )
    assert not clock.is_overdue(
        status="closed",
        due_date=dt.date(2026, 11, 4),
        paused_since=None,
        paused_late=False,
        today=dt.date(2026, 11, 30),
    )


def test_rounding_half_a_day_or_more_counts_a_day() -> None:
    assert clock.extension_days(dt.timedelta(hours=3, minutes=44), CAL) == 0
    assert clock.extension_days(dt.timedelta(hours=3, minutes=45), CAL) == 1
    assert clock.extension_days(dt.timedelta(hours=7, minutes=30), CAL) == 1
    assert clock.extension_days(dt.timedelta(hours=37, minutes=30), CAL) == 5
