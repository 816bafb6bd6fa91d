"""The Norwegian working-day calendar (arbeidsdagar), the one place deadlines are computed.

Rules (see shared DOMAIN.md §5 and docs/calendar.md):

* Public holidays come from the `holidays` package (`holidays.NO`). Its `include_sundays`
  default has changed between versions, so the package is asked for the named holidays only
  and Sundays are handled here explicitly.
* Saturdays are not working days either (domstollova § 149: a deadline that ends on a
  Saturday or holiday moves on).
* Days the office is closed without being holidays (julaftan, nyttårsaftan, påskeaftan) are
  configurable, and single dates can be closed on top (`extra_closed`).
* A message received at or after closing time, or on a non-working day, counts from the next
  working day. The receipt day is day 0: "within 2 working days" of a Monday-morning message
  is Wednesday.
* Deadlines in weeks, months or years (domstollova § 148) end on the same weekday or date; if
  the month has no such date, on its last day. If that day is not a working day the deadline
  moves to the next working day (§ 149). The start day is not counted.

Holiday sets are computed once per year and cached, so the per-inquiry calls (`due_date`,
`add_working_days`) are a handful of set look-ups.
"""

from __future__ import annotations

import calendar as pycalendar
import dataclasses
import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from dateutil.easter import easter

OSLO = ZoneInfo("Europe/Oslo")

_ONE_DAY = dt.timedelta(days=1)
_EPOCH = dt.date(2000, 1, 3)
# The longest run of days without a working day is Easter (skjærtorsdag to 2. påskedag, five
# days); extra closed dates can make it longer. A year is far more than any real calendar has
# and stops a misconfigured one (every day closed) from looping for ever.
_MAX_NON_WORKING_RUN = 366

#: Known closed days by key, each a function of the year.
CLOSED_DAY_RULES: dict[str, Callable[[int], dt.date]] = {
    "julaftan": lambda year: dt.date(year, 12, 24),
    "nyttarsaftan": lambda year: dt.date(year, 12, 31),
    # Always a Saturday, so it changes nothing today; kept so that a setting naming it is valid.
    "paskeaftan": lambda year: easter(year) - _ONE_DAY,
}

# Spellings people will type in CLOSED_DAYS (nynorsk with å, bokmål -aften).
_CLOSED_DAY_ALIASES = {
    "julaften": "julaftan",
    "nyttarsaften": "nyttarsaftan",
    "paskeaften": "paskeaftan",
}


def normalise_closed_day(key: str) -> str:
    """The rule key for a configured closed day: 'Nyttårsaften' -> 'nyttarsaftan'."""
    folded = key.strip().lower().replace("å", "a").replace("æ", "ae").replace("ø", "o")
    folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    return _CLOSED_DAY_ALIASES.get(folded, folded)


@lru_cache(maxsize=512)
def _public_holidays(year: int) -> frozenset[dt.date]:
    # `country_holidays()` does not pass `include_sundays` on; the class does.
    return frozenset(holidays.NO(years=year, include_sundays=False).keys())


@lru_cache(maxsize=2048)
def _closed_days(keys: tuple[str, ...], year: int) -> frozenset[dt.date]:
    return frozenset(CLOSED_DAY_RULES[key](year) for key in keys)


def public_holidays(year: int) -> frozenset[dt.date]:
    """The named public holidays (helligdagar) of `year`, without ordinary Sundays."""
    return _public_holidays(year)


@dataclasses.dataclass(frozen=True)
class WorkingCalendar:
    """A municipality's working days and office hours."""

    closed_days: tuple[str, ...] = ("julaftan", "nyttarsaftan", "paskeaftan")
    opening: dt.time = dt.time(8, 0)
    closing: dt.time = dt.time(15, 30)
    extra_closed: frozenset[dt.date] = dataclasses.field(default_factory=frozenset)

    def __post_init__(self) -> None:
        # Hashable types whatever the caller passed: the per-year cache is keyed on them.
        object.__setattr__(self, "closed_days", tuple(self.closed_days))
        object.__setattr__(self, "extra_closed", frozenset(self.extra_closed))
        unknown = set(self.closed_days) - set(CLOSED_DAY_RULES)
        if unknown:
            raise ValueError(f"Unknown closed day(s): {', '.join(sorted(unknown))}")
        if self.opening.tzinfo is not None or self.closing.tzinfo is not None:
            raise ValueError("Opening and closing are local (Europe/Oslo) times without a zone")
        if self.closing <= self.opening:
            raise ValueError("Closing time must be after opening time")

    # --- single days --------------------------------------------------------------------
    def is_public_holiday(self, day: dt.date) -> bool:
        """A Sunday or a named public holiday (a holiday on a Sunday is not moved)."""
        return day.weekday() == 6 or day in _public_holidays(day.year)

    def is_closed_day(self, day: dt.date) -> bool:
        """A day the office is closed although it is not a public holiday."""
        return day in self.extra_closed or day in _closed_days(self.closed_days, day.year)

    def is_working_day(self, day: dt.date) -> bool:
        if day.weekday() >= 5:
            return False
        year = day.year
        return not (
            day in _public_holidays(year)
            or day in _closed_days(self.closed_days, year)
            or day in self.extra_closed
        )

    def is_statutory_working_day(self, day: dt.date) -> bool:
        """A virkedag in the sense of domstollova § 149: not a Saturday, Sunday or public
        holiday. The office's own closed days (julaftan) are virkedagar in law."""
        return day.weekday() < 5 and day not in _public_holidays(day.year)

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after `day`."""
        for _ in range(_MAX_NON_WORKING_RUN):
            day += _ONE_DAY
            if self.is_working_day(day):
                return day
        raise ValueError("No working day within a year; check the closed days")

    def on_or_next_working_day(self, day: dt.date) -> dt.date:
        return day if self.is_working_day(day) else self.next_working_day(day)

    # --- receipt ------------------------------------------------------------------------
    def is_open_at(self, moment: dt.datetime) -> bool:
        """Whether the office is open at `moment` (opening inclusive, closing exclusive)."""
        local = to_local(moment)
        return self.is_working_day(local.date()) and self.opening <= local.time() < self.closing

    def effective_receipt_day(self, received: dt.datetime) -> dt.date:
        """The working day a message counts as received on (day 0 of its deadline).

        A message that comes in at or after closing time, or on a day the office is closed,
        counts as received on the next working day. One that comes in before opening on a
        working day counts on that day: it is there when the office opens.
        """
        local = to_local(received)
        day = local.date()
        if self.is_working_day(day) and local.time() < self.closing:
            return day
        return self.next_working_day(day)

    # --- deadlines in working days ------------------------------------------------------
    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date `days` working days after `start` (the start day itself is not counted).

        `add_working_days(d, 0)` is `d` if `d` is a working day, else the next one; for
        `days >= 1` the result is the `days`-th working day strictly after `start`.
        """
        if days < 0:
            raise ValueError("days must not be negative")
        if days == 0:
            return self.on_or_next_working_day(start)
        day = start
        for _ in range(days):
            day = self.next_working_day(day)
        return day

    def due_date(self, received: dt.datetime, working_days: int) -> dt.date:
        """The promised answer date for something received at `received`.

        The receipt day is day 0; "answer within 2 working days" of a message received on a
        Monday morning is Wednesday. A message received at or after closing, or on a closed
        day, counts from the next working day: Friday 16:00 + 2 is Wednesday too.
        """
        return self.add_working_days(self.effective_receipt_day(received), working_days)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in the half-open interval (start, end]; negative if end < start.

        Counted arithmetically (weekdays, less the holidays and closed days that fall on
        weekdays), so a long pause costs a few set look-ups per year, not a loop over days.
        """
        if end < start:
            return -self.working_days_between(end, start)
        count = _weekdays_up_to(end) - _weekdays_up_to(start)
        closed: set[dt.date] = set()
        for year in range(start.year, end.year + 1):
            closed |= _public_holidays(year)
            closed |= _closed_days(self.closed_days, year)
        closed |= self.extra_closed
        return count - sum(1 for day in closed if start < day <= end and day.weekday() < 5)

    # --- deadlines in weeks, months and years (domstollova §§ 148-149) ------------------
    def add_weeks(self, start: dt.date, weeks: int, *, statutory: bool = False) -> dt.date:
        """§ 148: ends on the same weekday `weeks` weeks later, moved off a non-working day
        (§ 149). See `_move_off_non_working` for `statutory`."""
        return self._move_off_non_working(start + dt.timedelta(weeks=weeks), statutory)

    def add_months(self, start: dt.date, months: int, *, statutory: bool = False) -> dt.date:
        """§ 148: ends on the same date in the month; if the month has no such date, on its
        last day (31 January + 1 month is 28 or 29 February). Then moved off a non-working
        day (§ 149)."""
        return self._move_off_non_working(_plain_add_months(start, months), statutory)

    def add_years(self, start: dt.date, years: int, *, statutory: bool = False) -> dt.date:
        """§ 148 for years: the same date (29 February -> 28 February), then § 149."""
        return self.add_months(start, 12 * years, statutory=statutory)

    def _move_off_non_working(self, day: dt.date, statutory: bool) -> dt.date:
        # § 149 moves a deadline off Saturdays, Sundays and holidays only. By default the
        # office's own closed days (julaftan) move it too: a deadline on a day nobody is there
        # to act on it is no deadline, and it errs in the citizen's favour for deadlines they
        # must meet. Deadlines the municipality owes by law (and the fee reductions that
        # follow from missing them) should pass statutory=True.
        if statutory:
            # Terminates within five days: no holiday run is longer (Easter, Thu-Mon).
            while not self.is_statutory_working_day(day):
                day += _ONE_DAY
            return day
        return self.on_or_next_working_day(day)

    # --- working hours ------------------------------------------------------------------
    # The office's hours lie within one working day, and daylight-saving changes happen in
    # the early hours of a Sunday, never a working day; so wall-clock arithmetic on Oslo
    # times inside an opening window equals elapsed time.
    def _day_open(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        return (
            dt.datetime.combine(day, self.opening, tzinfo=OSLO),
            dt.datetime.combine(day, self.closing, tzinfo=OSLO),
        )

    def working_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Office time elapsed between two instants (zero if end <= start), exactly.

        The first and last days are measured by the clock; the whole days between them are
        counted arithmetically (working_days_between), so a wait of years costs no more than
        one of days."""
        if end <= start:
            return dt.timedelta()
        start_l, end_l = to_local(start), to_local(end)
        first, last = start_l.date(), end_l.date()
        if first == last:
            return self._open_time_on(first, start_l, end_l)
        total = self._open_time_on(first, start_l, end_l) + self._open_time_on(last, start_l, end_l)
        whole_days = self.working_days_between(first, last - _ONE_DAY)
        return total + whole_days * self._day_length()

    def _open_time_on(self, day: dt.date, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Office time on `day` that lies between `start` and `end`."""
        if not self.is_working_day(day):
            return dt.timedelta()
        open_at, close_at = self._day_open(day)
        lo, hi = max(open_at, start), min(close_at, end)
        return hi - lo if hi > lo else dt.timedelta()

    def _day_length(self) -> dt.timedelta:
        return dt.datetime.combine(_EPOCH, self.closing) - dt.datetime.combine(_EPOCH, self.opening)

    def working_hours_between(self, start: dt.datetime, end: dt.datetime) -> float:
        """Office hours (as hours) elapsed between two instants; 0.0 if end <= start."""
        return self.working_time_between(start, end).total_seconds() / 3600

    def subtract_working_hours(self, moment: dt.datetime, hours: float) -> dt.datetime:
        """The earliest instant from which `hours` office hours have elapsed by `moment`.

        Used as a cut-off: anything handed over strictly before it has waited more than
        `hours` office hours at `moment`; anything at or after it has not. Where the office is
        closed (evenings, weekends) the cut-off is the closing time before the gap, so that a
        handover on Saturday has waited exactly as long as one at Friday's closing.
        The result is in Europe/Oslo.
        """
        if hours < 0:
            raise ValueError("hours must not be negative")
        remaining = dt.timedelta(hours=hours)
        cursor = to_local(moment)
        day = cursor.date()
        for _ in range(_MAX_NON_WORKING_RUN * 12):
            if self.is_working_day(day):
                open_at, close_at = self._day_open(day)
                hi = min(close_at, cursor)
                if hi > open_at:
                    available = hi - open_at
                    # Strictly greater: when the window is used up exactly at opening, the
                    # earliest such instant is the previous working day's closing.
                    if available > remaining:
                        return hi - remaining
                    remaining -= available
            day -= _ONE_DAY
            cursor = dt.datetime.combine(day, dt.time.max, tzinfo=OSLO)
        raise ValueError("hours too large")

    def add_working_hours(self, moment: dt.datetime, hours: float) -> dt.datetime:
        """The earliest instant by which `hours` office hours have elapsed since `moment`
        (a deadline in working hours). The result is in Europe/Oslo."""
        if hours < 0:
            raise ValueError("hours must not be negative")
        remaining = dt.timedelta(hours=hours)
        cursor = to_local(moment)
        if not remaining:
            return cursor
        day = cursor.date()
        for _ in range(_MAX_NON_WORKING_RUN * 12):
            if self.is_working_day(day):
                open_at, close_at = self._day_open(day)
                lo = max(open_at, cursor)
                if close_at > lo:
                    available = close_at - lo
                    if available >= remaining:
                        return lo + remaining
                    remaining -= available
            day += _ONE_DAY
            cursor = dt.datetime.combine(day, dt.time.min, tzinfo=OSLO)
        raise ValueError("hours too large")


def _weekdays_up_to(day: dt.date) -> int:
    """Monday-to-Friday days from 1 January of year 1 (a Monday) to `day`, inclusive."""
    weeks, rest = divmod(day.toordinal(), 7)
    return 5 * weeks + min(rest, 5)


def _plain_add_months(start: dt.date, months: int) -> dt.date:
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    last = pycalendar.monthrange(year, month)[1]
    return dt.date(year, month, min(start.day, last))


def to_local(moment: dt.datetime) -> dt.datetime:
    """`moment` in Europe/Oslo. Naive datetimes are refused: times are stored with a zone."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime; times are stored in UTC with a zone")
    return moment.astimezone(OSLO)


def _parse_time(value: str, name: str) -> dt.time:
    from django.core.exceptions import ImproperlyConfigured

    try:
        hours, _, minutes = value.strip().partition(":")
        return dt.time(int(hours), int(minutes or 0))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a time like 08:00, not {value!r}") from exc


def calendar_from_settings(extra_closed: Iterable[dt.date] = ()) -> WorkingCalendar:
    """The municipality's calendar as configured in settings.TENESTETORGET
    (CLOSED_DAYS, OPENING_HOUR, CLOSING_HOUR), with `extra_closed` dates closed on top."""
    from django.conf import settings

    conf: Mapping[str, Any] = settings.TENESTETORGET
    calendar = _calendar_for(
        tuple(conf["CLOSED_DAYS"]), str(conf["OPENING_HOUR"]), str(conf["CLOSING_HOUR"])
    )
    extra = frozenset(extra_closed)
    if extra:
        return dataclasses.replace(calendar, extra_closed=extra)
    return calendar


@lru_cache(maxsize=16)
def _calendar_for(closed_days: tuple[str, ...], opening: str, closing: str) -> WorkingCalendar:
    # Keyed on the setting values, so an overridden setting (tests, a reload) takes effect.
    from django.core.exceptions import ImproperlyConfigured

    closed = tuple(dict.fromkeys(normalise_closed_day(key) for key in closed_days if key.strip()))
    unknown = [key for key in closed if key not in CLOSED_DAY_RULES]
    if unknown:
        known = ", ".join(sorted(CLOSED_DAY_RULES))
        raise ImproperlyConfigured(
            f"CLOSED_DAYS: unknown closed day(s) {', '.join(unknown)}; known: {known}"
        )
    opening_at = _parse_time(opening, "OPENING_HOUR")
    closing_at = _parse_time(closing, "CLOSING_HOUR")
    if closing_at <= opening_at:
        raise ImproperlyConfigured("CLOSING_HOUR must be after OPENING_HOUR")
    return WorkingCalendar(closed_days=closed, opening=opening_at, closing=closing_at)
