"""Properties of the working-day calendar, checked with hypothesis over many years."""

import datetime as dt

from hypothesis import assume, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tenestetorget.core.calendar import OSLO, WorkingCalendar, public_holidays

CAL = WorkingCalendar()
PLAIN = WorkingCalendar(closed_days=())
CALENDARS = st.sampled_from([CAL, PLAIN])

dates = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31))
working_dates = dates.filter(CAL.is_working_day)
small_n = st.integers(min_value=0, max_value=60)
positive_n = st.integers(min_value=1, max_value=60)
# Instants to the second, in Oslo and in UTC (both must give the same answers).
instants = st.builds(
    lambda day, seconds, utc: (
        dt.datetime.combine(day, dt.time(), tzinfo=OSLO) + dt.timedelta(seconds=seconds)
    ).astimezone(dt.UTC if utc else OSLO),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2060, 12, 31)),
    st.integers(min_value=0, max_value=86_399),
    st.booleans(),
)
# Offsets up to 40 days keep the walks over days short.
offsets = st.integers(min_value=0, max_value=40 * 86_400).map(lambda s: dt.timedelta(seconds=s))
hours = st.one_of(
    st.integers(min_value=0, max_value=120).map(float),
    st.floats(min_value=0, max_value=120, allow_nan=False).map(lambda h: round(h, 4)),
)

FAST = hsettings(max_examples=300, deadline=None)

# The longest run of non-working days in the default calendar is Easter, Thursday to Monday.
MAX_GAP = dt.timedelta(days=5)


@FAST
@given(CALENDARS, dates, positive_n)
def test_add_working_days_gives_a_later_working_day(cal, start, n):
    result = cal.add_working_days(start, n)
    assert cal.is_working_day(result)
    assert result > start


@FAST
@given(CALENDARS, dates)
def test_add_zero_working_days_is_on_or_next(cal, start):
    result = cal.add_working_days(start, 0)
    assert cal.is_working_day(result)
    assert result >= start
    assert (result == start) == cal.is_working_day(start)


@FAST
@given(CALENDARS, working_dates, small_n)
def test_working_days_between_inverts_add_working_days(cal, start, n):
    assume(cal.is_working_day(start))
    end = cal.add_working_days(start, n)
    assert cal.working_days_between(start, end) == n
    assert cal.working_days_between(end, start) == -n


@FAST
@given(CALENDARS, dates, positive_n)
def test_add_working_days_skips_exactly_n_working_days(cal, start, n):
    end = cal.add_working_days(start, n)
    assert cal.working_days_between(start, end) == n
    # Minimal: the day before the result still has only n - 1 working days.
    assert cal.working_days_between(start, end - dt.timedelta(days=1)) == n - 1


@FAST
@given(CALENDARS, dates, positive_n, positive_n)
def test_add_working_days_composes(cal, start, a, b):
    assert cal.add_working_days(cal.add_working_days(start, a), b) == cal.add_working_days(
        start, a + b
    )


@FAST
@given(CALENDARS, dates, dates, small_n)
def test_add_working_days_is_monotone_in_the_start(cal, d1, d2, n):
    lo, hi = min(d1, d2), max(d1, d2)
    assert cal.add_working_days(lo, n) <= cal.add_working_days(hi, n)


@FAST
@given(CALENDARS, dates, small_n, small_n)
def test_add_working_days_is_monotone_in_n(cal, start, n1, n2):
    lo, hi = min(n1, n2), max(n1, n2)
    assert cal.add_working_days(start, lo) <= cal.add_working_days(start, hi)
    # Strictly later for more days, except that from a day the office is closed both 0 and
    # 1 working days land on the next working day (0 means "on or after", 1 "after").
    if lo < hi and (cal.is_working_day(start) or lo >= 1):
        assert cal.add_working_days(start, lo) < cal.add_working_days(start, hi)


def _count_by_walking(cal: WorkingCalendar, start: dt.date, end: dt.date) -> int:
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += cal.is_working_day(day)
    return sign * count


calendars_with_extra = st.builds(
    lambda closed, extra: WorkingCalendar(closed_days=closed, extra_closed=frozenset(extra)),
    st.sampled_from([(), ("julaftan",), ("julaftan", "nyttarsaftan", "paskeaftan")]),
    st.lists(dates, max_size=5),
)


@FAST
@given(calendars_with_extra, dates, st.integers(min_value=-800, max_value=800))
def test_working_days_between_matches_counting_day_by_day(cal, start, span):
    end = start + dt.timedelta(days=span)
    assert cal.working_days_between(start, end) == _count_by_walking(cal, start, end)


@FAST
@given(CALENDARS, dates, dates, dates)
def test_working_days_between_is_additive(cal, a, b, c):
    assert cal.working_days_between(a, c) == cal.working_days_between(
        a, b
    ) + cal.working_days_between(b, c)


@FAST
@given(CALENDARS, instants, st.integers(min_value=0, max_value=20))
def test_due_date_is_a_working_day_not_before_receipt(cal, received, n):
    due = cal.due_date(received, n)
    local_day = received.astimezone(OSLO).date()
    assert cal.is_working_day(due)
    assert due >= local_day
    receipt = cal.effective_receipt_day(received)
    assert cal.working_days_between(receipt, due) == n


@FAST
@given(dates)
def test_working_day_definition(day):
    expected = (
        day.weekday() < 5
        and day not in public_holidays(day.year)
        and (day.month, day.day) not in {(12, 24), (12, 31)}
    )
    assert CAL.is_working_day(day) == expected
    assert CAL.is_public_holiday(day) == (day.weekday() == 6 or day in public_holidays(day.year))


@FAST
@given(st.integers(min_value=1950, max_value=2100))
def test_every_year_has_the_named_holidays(year):
    days = public_holidays(year)
    # Twelve named days, eleven when two coincide (Kristi himmelfart on 1 May, 2. pinsedag on
    # 17 May); never an ordinary Sunday.
    assert len(days) in (11, 12)
    assert {dt.date(year, 1, 1), dt.date(year, 5, 1), dt.date(year, 5, 17)} <= days
    assert {dt.date(year, 12, 25), dt.date(year, 12, 26)} <= days
    sundays = [d for d in days if d.weekday() == 6]
    # Named Sundays: 1. påskedag and 1. pinsedag always, plus fixed dates that fall on one.
    assert len(sundays) >= 2


@FAST
@given(CALENDARS, dates, st.integers(min_value=0, max_value=60), st.booleans())
def test_add_weeks_ends_on_or_shortly_after_the_same_weekday(cal, start, weeks, statutory):
    plain = start + dt.timedelta(weeks=weeks)
    result = cal.add_weeks(start, weeks, statutory=statutory)
    assert plain <= result <= plain + MAX_GAP
    if statutory:
        assert cal.is_statutory_working_day(result)
        assert (result == plain) == cal.is_statutory_working_day(plain)
    else:
        assert cal.is_working_day(result)
        assert (result == plain) == cal.is_working_day(plain)
    # Nothing between the plain date and the result is a working day.
    day = plain
    while day < result:
        ok = cal.is_statutory_working_day(day) if statutory else cal.is_working_day(day)
        assert not ok
        day += dt.timedelta(days=1)


@FAST
@given(CALENDARS, dates, st.integers(min_value=0, max_value=36), st.booleans())
def test_add_months_ends_on_the_same_date_or_the_month_end(cal, start, months, statutory):
    result = cal.add_months(start, months, statutory=statutory)
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    first_next = dt.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (first_next - dt.timedelta(days=1)).day
    plain = dt.date(year, month, min(start.day, last_day))
    assert plain <= result <= plain + MAX_GAP
    if statutory:
        assert cal.is_statutory_working_day(result)
    else:
        assert cal.is_working_day(result)


@FAST
@given(dates, st.integers(min_value=0, max_value=60))
def test_statutory_deadline_is_never_later_than_the_office_deadline(start, weeks):
    assert CAL.add_weeks(start, weeks, statutory=True) <= CAL.add_weeks(start, weeks)


# --- working hours --------------------------------------------------------------------------
@FAST
@given(CALENDARS, instants, hours)
def test_subtract_working_hours_leaves_exactly_that_much_office_time(cal, moment, h):
    cutoff = cal.subtract_working_hours(moment, h)
    assert cutoff <= moment
    assert cal.working_time_between(cutoff, moment) == dt.timedelta(hours=h)
    # It is the earliest such instant: a second earlier has waited longer.
    earlier = cutoff - dt.timedelta(seconds=1)
    assert cal.working_time_between(earlier, moment) > dt.timedelta(hours=h)


@FAST
@given(CALENDARS, instants, hours)
def test_add_working_hours_gives_exactly_that_much_office_time(cal, moment, h):
    due = cal.add_working_hours(moment, h)
    assert due >= moment
    assert cal.working_time_between(moment, due) == dt.timedelta(hours=h)
    if h > 0:
        later_start = due - dt.timedelta(seconds=1)
        assert cal.working_time_between(moment, later_start) < dt.timedelta(hours=h)


# Working instants: the office is open at them and just before them (opening excluded,
# closing included), in both calendars.
working_instants = st.builds(
    lambda day, seconds: (
        dt.datetime.combine(day, CAL.opening, tzinfo=OSLO) + dt.timedelta(seconds=seconds)
    ),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2060, 12, 31)).filter(
        CAL.is_working_day
    ),
    st.integers(min_value=1, max_value=int(7.5 * 3600)),
)


@FAST
@given(CALENDARS, working_instants, offsets)
def test_working_hours_round_trip_on_working_instants(cal, start, offset):
    # No earlier instant has the same office time to `end` as a working instant has.
    end = start + offset
    elapsed = cal.working_time_between(start, end)
    assert cal.subtract_working_hours(end, elapsed.total_seconds() / 3600) == start
    # And the other way: from a working instant, adding the elapsed time reaches `end`, or
    # the opening/closing edge of the office time just before it.
    reached = cal.add_working_hours(start, elapsed.total_seconds() / 3600)
    assert reached <= end
    assert cal.working_time_between(reached, end) == dt.timedelta()


@FAST
@given(CALENDARS, instants, offsets, offsets)
def test_working_time_is_additive_and_bounded(cal, a, ab_offset, bc_offset):
    b = a + ab_offset
    c = b + bc_offset
    ab, bc, ac = (
        cal.working_time_between(a, b),
        cal.working_time_between(b, c),
        cal.working_time_between(a, c),
    )
    assert ab + bc == ac
    assert dt.timedelta() <= ac <= c - a
    assert cal.working_hours_between(a, c) == ac.total_seconds() / 3600
