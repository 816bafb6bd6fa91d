"""The Norwegian working-day calendar (arbeidsdagar), the one place deadlines are computed.

Rules (see shared DOMAIN.md §5):

* Public holidays come from the `holidays` package (`holidays.NO`). Its `include_sundays`
  default has changed between versions, so Sundays are handled here explicitly and the
  package is asked for holidays only.
* Saturdays are not working days either (domstollova § 149: a deadline that ends on a
  Saturday or holiday moves on).
* Days the office is closed without being holidays (julaftan, nyttårsaftan, påskeaftan) are
  configurable.
* A message received after closing time, or on a non-working day, counts from the next
  working day's opening.
* Deadlines in weeks or months (domstollova § 148) end on the same weekday or date; if that
  day is not a working day the deadline moves to the next working day. The start day is not
  counted.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from dateutil.easter import easter

OSLO = ZoneInfo("Europe/Oslo")

#: Known closed days by key, each a function of the year.
CLOSED_DAY_RULES: dict[str, object] = {
    "julaftan": lambda year: dt.date(year, 12, 24),
    "nyttarsaftan": lambda year: dt.date(year, 12, 31),
    "paskeaftan": lambda year: easter(year) - dt.timedelta(days=1),
}


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("NO", years=year, include_sundays=False).keys())


@dataclass(frozen=True)
class WorkingCalendar:
    """A municipality's working days and office hours."""

    closed_days: tuple[str, ...] = ("julaftan", "nyttarsaftan", "paskeaftan")
    opening: dt.time = dt.time(8, 0)
    closing: dt.time = dt.time(15, 30)
    extra_closed: frozenset[dt.date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        unknown = set(self.closed_days) - set(CLOSED_DAY_RULES)
        if unknown:
            raise ValueError(f"Unknown closed day(s): {', '.join(sorted(unknown))}")
        if self.closing <= self.opening:
            raise ValueError("Closing time must be after opening time")

    # --- single days --------------------------------------------------------------------
    def is_public_holiday(self, day: dt.date) -> bool:
        return day.weekday() == 6 or day in _public_holidays(day.year)

    def is_closed_day(self, day: dt.date) -> bool:
        if day in self.extra_closed:
            return True
        return any(CLOSED_DAY_RULES[key](day.year) == day for key in self.closed_days)  # type: ignore[operator]

    def is_working_day(self, day: dt.date) -> bool:
        return (
            day.weekday() < 5 and not self.is_public_holiday(day) and not self.is_closed_day(day)
        )

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after `day`."""
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def on_or_next_working_day(self, day: dt.date) -> dt.date:
        return day if self.is_working_day(day) else self.next_working_day(day)

    # --- receipt ------------------------------------------------------------------------
    def effective_receipt_day(self, received: dt.datetime) -> dt.date:
        """The working day a message counts as received on.

        A message that comes in after closing time, or on a day the office is closed, counts
        as received on the next working day.
        """
        local = to_local(received)
        day = local.date()
        if self.is_working_day(day) and local.time() < self.closing:
            return day
        return self.next_working_day(day)

    # --- deadlines ----------------------------------------------------------------------
    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date `days` working days after `start` (the start day itself is not counted).

        `add_working_days(d, 0)` is `d` if `d` is a working day, else the next one.
        """
        if days < 0:
            raise ValueError("days must not be negative")
        day = start
        if days == 0:
            return self.on_or_next_working_day(day)
        for _ in range(days):
            day = self.next_working_day(day)
        return day

    def due_date(self, received: dt.datetime, working_days: int) -> dt.date:
        """The promised answer date for something received at `received`.

        The receipt day is day 0; "answer within 2 working days" of a message received on a
        Monday morning is Wednesday. A message received after closing counts from the next
        working day.
        """
        return self.add_working_days(self.effective_receipt_day(received), working_days)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in the half-open interval (start, end]; negative if end < start."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def add_weeks(self, start: dt.date, weeks: int) -> dt.date:
        """domstollova § 148: ends on the same weekday, moved to a working day (§ 149)."""
        return self._move_off_non_working(start + dt.timedelta(weeks=weeks))

    def add_months(self, start: dt.date, months: int) -> dt.date:
        """domstollova § 148: ends on the same date in the month; if the month has no such
        date, on its last day. Then moved to the next working day (§ 149)."""
        month_index = start.month - 1 + months
        year = start.year + month_index // 12
        month = month_index % 12 + 1
        last = pycalendar.monthrange(year, month)[1]
        return self._move_off_non_working(dt.date(year, month, min(start.day, last)))

    def _move_off_non_working(self, day: dt.date) -> dt.date:
        # § 149 moves a deadline off Saturdays and holidays. The office's own closed days
        # (julaftan) are not in the law, but a deadline on a day nobody can deliver is no
        # deadline, so they move too.
        return self.on_or_next_working_day(day)

    # --- working hours ------------------------------------------------------------------
    def _day_open(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        return (
            dt.datetime.combine(day, self.opening, tzinfo=OSLO),
            dt.datetime.combine(day, self.closing, tzinfo=OSLO),
        )

    def working_hours_between(self, start: dt.datetime, end: dt.datetime) -> float:
        """Office hours (as hours) elapsed between two instants."""
        if end <= start:
            return 0.0
        start_l, end_l = to_local(start), to_local(end)
        total = dt.timedelta()
        day = start_l.date()
        while day <= end_l.date():
            if self.is_working_day(day):
                open_at, close_at = self._day_open(day)
                lo, hi = max(open_at, start_l), min(close_at, end_l)
                if hi > lo:
                    total += hi - lo
            day += dt.timedelta(days=1)
        return total.total_seconds() / 3600

    def subtract_working_hours(self, moment: dt.datetime, hours: float) -> dt.datetime:
        """The instant that lies `hours` office hours before `moment`.

        Used as a cut-off: anything handed over before it has waited more than `hours`.
        """
        remaining = dt.timedelta(hours=hours)
        local = to_local(moment)
        day = local.date()
        cursor = local
        for _ in range(3660):  # ten years of days is far more than any setting needs
            if self.is_working_day(day):
                open_at, close_at = self._day_open(day)
                hi = min(close_at, cursor)
                if hi > open_at:
                    available = hi - open_at
                    if available >= remaining:
                        return hi - remaining
                    remaining -= available
            day -= dt.timedelta(days=1)
            cursor = dt.datetime.combine(day, dt.time.max, tzinfo=OSLO)
        raise ValueError("hours too large")


def to_local(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime; times are stored in UTC with a zone")
    return moment.astimezone(OSLO)


def _parse_time(value: str) -> dt.time:
    hours, minutes = value.split(":")
    return dt.time(int(hours), int(minutes))


def calendar_from_settings(extra_closed: Iterable[dt.date] = ()) -> WorkingCalendar:
    """The municipality's calendar as configured in settings.TENESTETORGET."""
    from django.conf import settings

    conf = settings.TENESTETORGET
    return WorkingCalendar(
        closed_days=tuple(conf["CLOSED_DAYS"]),
        opening=_parse_time(conf["OPENING_HOUR"]),
        closing=_parse_time(conf["CLOSING_HOUR"]),
        extra_closed=frozenset(extra_closed),
    )
