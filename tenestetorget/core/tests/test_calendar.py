"""Hand-checked cases for the working-day calendar.

Every expected date below was worked out by hand, not copied from the code:
* Easter Sunday by the Gregorian computus: 2008-03-23, 2026-04-05, 2027-03-28, 2029-04-01.
* Weekdays from 1 January: 2026 starts on a Thursday, 2027 on a Friday, 2028 on a Saturday
  (2028 is a leap year), 2029 on a Monday.
* Derived: 2026 skjærtorsdag 2 Apr, langfredag 3 Apr, 2. påskedag 6 Apr, Kristi himmelfart
  14 May (E+39), 17 May a Sunday, pinse 24/25 May (E+49/50), julaftan a Thursday.
  2027: skjærtorsdag 25 Mar, Kristi himmelfart 6 May, 2. pinsedag 17 May (the same day as
  Grunnlovsdag), julaftan and nyttårsaftan on Fridays. 2008: Kristi himmelfart on 1 May.
"""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured

from tenestetorget.core.calendar import (
    OSLO,
    WorkingCalendar,
    calendar_from_settings,
    normalise_closed_day,
    public_holidays,
    to_local,
)

CAL = WorkingCalendar()  # julaftan, nyttårsaftan and påskeaftan closed; 08:00-15:30
UTC = dt.UTC
D = dt.date


def oslo(y: int, m: int, d: int, h: int = 9, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=OSLO)


# --- holidays -------------------------------------------------------------------------------
def test_public_holidays_2026_are_the_twelve_named_days():
    assert public_holidays(2026) == {
        D(2026, 1, 1),  # nyttårsdag, Thursday
        D(2026, 4, 2),  # skjærtorsdag
        D(2026, 4, 3),  # langfredag
        D(2026, 4, 5),  # 1. påskedag
        D(2026, 4, 6),  # 2. påskedag
        D(2026, 5, 1),  # Friday
        D(2026, 5, 14),  # Kristi himmelfartsdag
        D(2026, 5, 17),  # a Sunday
        D(2026, 5, 24),  # 1. pinsedag
        D(2026, 5, 25),  # 2. pinsedag
        D(2026, 12, 25),
        D(2026, 12, 26),
    }


def test_public_holidays_2027_pinse_monday_falls_on_17_may():
    days = public_holidays(2027)
    assert len(days) == 11  # 2. pinsedag and Grunnlovsdag are one date
    assert {D(2027, 3, 25), D(2027, 3, 26), D(2027, 3, 28), D(2027, 3, 29)} <= days
    assert {D(2027, 5, 6), D(2027, 5, 16), D(2027, 5, 17)} <= days


def test_ascension_on_1_may_2008_is_one_holiday():
    days = public_holidays(2008)
    assert D(2008, 5, 1) in days
    assert len(days) == 11


def test_ordinary_sundays_are_holidays_but_not_in_the_named_set():
    sunday = D(2026, 1, 4)
    assert sunday not in public_holidays(2026)  # include_sundays is off in the package
    assert CAL.is_public_holiday(sunday)
    assert not CAL.is_working_day(sunday)
    saturday = D(2026, 1, 3)
    assert not CAL.is_public_holiday(saturday)
    assert not CAL.is_working_day(saturday)


def test_easter_2026_day_by_day():
    working = {d: CAL.is_working_day(d) for d in (D(2026, 4, day) for day in range(1, 8))}
    assert working == {
        D(2026, 4, 1): True,
        D(2026, 4, 2): False,
        D(2026, 4, 3): False,
        D(2026, 4, 4): False,  # påskeaftan, a Saturday anyway
        D(2026, 4, 5): False,
        D(2026, 4, 6): False,
        D(2026, 4, 7): True,
    }


def test_closed_days_are_not_holidays():
    assert CAL.is_closed_day(D(2026, 12, 24))
    assert not CAL.is_public_holiday(D(2026, 12, 24))
    assert CAL.is_closed_day(D(2026, 4, 4))  # påskeaftan
    open_office = WorkingCalendar(closed_days=())
    assert open_office.is_working_day(D(2026, 12, 24))
    assert open_office.is_working_day(D(2026, 12, 31))


# --- due dates ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("received", "days", "expected"),
    [
        # The receipt day is day 0: Monday morning + 2 working days is Wednesday.
        (oslo(2026, 3, 9, 9), 2, D(2026, 3, 11)),
        (oslo(2026, 3, 9, 7), 2, D(2026, 3, 11)),  # before opening counts the same day
        (oslo(2026, 3, 9, 9), 0, D(2026, 3, 9)),
        (oslo(2026, 3, 9, 9), 1, D(2026, 3, 10)),
        # Friday 16:00 is after closing (15:30): it counts from Monday.
        (oslo(2026, 3, 6, 16), 0, D(2026, 3, 9)),
        (oslo(2026, 3, 6, 16), 2, D(2026, 3, 11)),
        (oslo(2026, 3, 6, 15, 29), 1, D(2026, 3, 9)),
        (oslo(2026, 3, 6, 15, 30), 1, D(2026, 3, 10)),  # at closing is after closing
        (oslo(2026, 3, 7, 10), 1, D(2026, 3, 10)),  # Saturday counts from Monday
        # Easter 2026: Thursday 2 April to Monday 6 April are closed.
        (oslo(2026, 4, 1, 10), 1, D(2026, 4, 7)),
        (oslo(2026, 3, 31, 9), 2, D(2026, 4, 7)),
        (oslo(2026, 4, 1, 10), 2, D(2026, 4, 8)),  # docs/calendar.md
        (oslo(2026, 4, 1, 16), 1, D(2026, 4, 8)),  # after closing: day 0 is Tuesday 7th
        (oslo(2026, 4, 3, 12), 0, D(2026, 4, 7)),  # langfredag
        # 1 May 2026 is a Friday.
        (oslo(2026, 4, 30, 9), 1, D(2026, 5, 4)),
        # Kristi himmelfart 14 May 2026 (Thursday); Friday 15th is a working day; 17 May is
        # a Sunday, so Monday 18th is a working day (holidays are not moved).
        (oslo(2026, 5, 13, 9), 1, D(2026, 5, 15)),
        (oslo(2026, 5, 13, 9), 2, D(2026, 5, 18)),
        # Pinse 24/25 May 2026.
        (oslo(2026, 5, 22, 9), 1, D(2026, 5, 26)),
        # Easter 2027: skjærtorsdag 25 March to 2. påskedag 29 March.
        (oslo(2027, 3, 24, 9), 1, D(2027, 3, 30)),
        # 2027: pinse Sunday 16 May, 2. pinsedag = 17 May (Monday).
        (oslo(2027, 5, 14, 9), 1, D(2027, 5, 18)),
        # Christmas 2025: julaftan Wednesday (closed), 25/26 Thu/Fri, nyttårsaftan Wednesday
        # (closed), 1 January Thursday.
        (oslo(2025, 12, 23, 9), 1, D(2025, 12, 29)),
        (oslo(2025, 12, 23, 9), 2, D(2025, 12, 30)),
        (oslo(2025, 12, 23, 9), 3, D(2026, 1, 2)),
        # Christmas 2026: julaftan Thursday, 25 Friday, 26 Saturday; nyttårsaftan Thursday,
        # 1 January 2027 Friday.
        (oslo(2026, 12, 23, 10), 1, D(2026, 12, 28)),
        (oslo(2026, 12, 23, 10), 2, D(2026, 12, 29)),  # docs/calendar.md
        (oslo(2026, 12, 23, 10), 3, D(2026, 12, 30)),
        (oslo(2026, 12, 23, 10), 4, D(2027, 1, 4)),
        (oslo(2026, 12, 24, 10), 1, D(2026, 12, 29)),  # received on julaftan
    ],
)
def test_due_date(received, days, expected):
    assert CAL.due_date(received, days) == expected


@pytest.mark.parametrize(
    ("received_utc", "expected"),
    [
        # Winter (CET, UTC+1): 14:45 UTC is 15:45 in Oslo, after closing.
        (dt.datetime(2026, 3, 6, 14, 45, tzinfo=UTC), D(2026, 3, 9)),
        (dt.datetime(2026, 3, 6, 14, 15, tzinfo=UTC), D(2026, 3, 6)),
        # Summer (CEST, UTC+2): 13:45 UTC is 15:45 in Oslo.
        (dt.datetime(2026, 6, 5, 13, 45, tzinfo=UTC), D(2026, 6, 8)),
        (dt.datetime(2026, 6, 5, 13, 15, tzinfo=UTC), D(2026, 6, 5)),
        # Sunday 23:30 UTC is Monday 00:30 in Oslo: Monday is day 0.
        (dt.datetime(2026, 3, 8, 23, 30, tzinfo=UTC), D(2026, 3, 9)),
    ],
)
def test_receipt_is_judged_in_oslo_time(received_utc, expected):
    assert CAL.effective_receipt_day(received_utc) == expected
    assert CAL.due_date(received_utc, 0) == expected


def test_closed_days_are_configurable():
    without = WorkingCalendar(closed_days=())
    assert without.due_date(oslo(2026, 12, 23, 10), 1) == D(2026, 12, 24)
    assert without.due_date(oslo(2026, 12, 23, 10), 2) == D(2026, 12, 28)
    # An inneklemt dag closed by the municipality, on top of the configured days.
    bridge = WorkingCalendar(extra_closed=frozenset({D(2026, 5, 15)}))
    assert bridge.due_date(oslo(2026, 5, 13, 9), 1) == D(2026, 5, 18)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="naive"):
        CAL.due_date(dt.datetime(2026, 3, 9, 9), 1)


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError):
        CAL.add_working_days(D(2026, 3, 9), -1)


def test_add_working_days_from_a_non_working_day():
    # Saturday + 0 is the next working day; + 1 is the first working day after Saturday.
    assert CAL.add_working_days(D(2026, 3, 7), 0) == D(2026, 3, 9)
    assert CAL.add_working_days(D(2026, 3, 7), 1) == D(2026, 3, 9)
    assert CAL.add_working_days(D(2026, 3, 7), 2) == D(2026, 3, 10)


# --- counting -------------------------------------------------------------------------------
def test_working_days_between():
    # (Mon 11 May, Mon 18 May 2026]: Tue, Wed, Fri, Mon; Thursday is Kristi himmelfart.
    assert CAL.working_days_between(D(2026, 5, 11), D(2026, 5, 18)) == 4
    assert CAL.working_days_between(D(2026, 5, 18), D(2026, 5, 11)) == -4
    assert CAL.working_days_between(D(2026, 5, 11), D(2026, 5, 11)) == 0


def test_working_days_in_whole_years():
    # 2026: 261 weekdays, 8 holidays on weekdays, julaftan and nyttårsaftan on Thursdays.
    assert CAL.working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 251
    # 2027: 261 weekdays, 6 holidays on weekdays, julaftan and nyttårsaftan on Fridays.
    assert CAL.working_days_between(D(2026, 12, 31), D(2027, 12, 31)) == 253
    assert WorkingCalendar(closed_days=()).working_days_between(
        D(2025, 12, 31), D(2026, 12, 31)
    ) == (253)


# --- weeks and months (domstollova §§ 148-149) ----------------------------------------------
@pytest.mark.parametrize(
    ("start", "weeks", "expected"),
    [
        (D(2026, 3, 9), 1, D(2026, 3, 16)),  # same weekday, the start day not counted
        (D(2026, 3, 12), 3, D(2026, 4, 7)),  # lands on skjærtorsdag -> Tuesday after Easter
        (D(2026, 4, 26), 3, D(2026, 5, 18)),  # lands on 17 May 2026, a Sunday
        (D(2029, 4, 26), 3, D(2029, 5, 18)),  # lands on 17 May 2029, a Thursday
        (D(2027, 4, 26), 3, D(2027, 5, 18)),  # lands on 17 May 2027 = 2. pinsedag
        (D(2026, 12, 26), 2, D(2027, 1, 11)),  # lands on a Saturday
    ],
)
def test_add_weeks(start, weeks, expected):
    assert CAL.add_weeks(start, weeks) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 3, 2)),  # 28 Feb 2026 is a Saturday
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # leap year; 29 Feb 2028 is a Tuesday
        (D(2027, 1, 31), 1, D(2027, 3, 1)),  # 28 Feb 2027 is a Sunday
        (D(2025, 12, 31), 2, D(2026, 3, 2)),  # across the year end
        (D(2026, 8, 31), 1, D(2026, 9, 30)),  # September has no 31st; Wednesday
        (D(2026, 11, 15), 1, D(2026, 12, 15)),
        (D(2026, 4, 17), 1, D(2026, 5, 18)),  # 17 May 2026 is a Sunday
        (D(2026, 3, 14), 12, D(2027, 3, 15)),  # 14 Mar 2027 is a Sunday
    ],
)
def test_add_months(start, months, expected):
    assert CAL.add_months(start, months) == expected


def test_add_years_from_29_february():
    assert CAL.add_years(D(2028, 2, 29), 1) == D(2029, 2, 28)  # a Wednesday


def test_statutory_deadlines_ignore_office_closed_days():
    # 12 weeks from Thursday 1 October 2026 ends on julaftan (Thursday 24 December).
    assert CAL.add_weeks(D(2026, 10, 1), 12) == D(2026, 12, 28)
    assert CAL.add_weeks(D(2026, 10, 1), 12, statutory=True) == D(2026, 12, 24)
    assert CAL.add_months(D(2026, 11, 24), 1, statutory=True) == D(2026, 12, 24)
    # Saturdays and holidays move statutory deadlines too.
    assert CAL.add_weeks(D(2026, 3, 12), 3, statutory=True) == D(2026, 4, 7)
    assert CAL.add_months(D(2026, 1, 31), 1, statutory=True) == D(2026, 3, 2)


# --- working hours --------------------------------------------------------------------------
def test_working_hours_between():
    # Friday 14:00-15:30 and Monday 08:00-09:00.
    assert CAL.working_hours_between(oslo(2026, 3, 6, 14), oslo(2026, 3, 9, 9)) == 2.5
    assert CAL.working_hours_between(oslo(2026, 3, 9, 7), oslo(2026, 3, 9, 16)) == 7.5
    assert CAL.working_hours_between(oslo(2026, 3, 9, 16), oslo(2026, 3, 9, 7)) == 0.0
    # Wednesday 23 December 2026 12:30 to Monday 28th 09:00: 3 h + 1 h across Christmas.
    assert CAL.working_hours_between(oslo(2026, 12, 23, 12, 30), oslo(2026, 12, 28, 9)) == 4.0
    # The same instants given in UTC.
    start = dt.datetime(2026, 3, 6, 13, tzinfo=UTC)  # 14:00 in Oslo
    assert CAL.working_hours_between(start, oslo(2026, 3, 9, 9)) == 2.5


@pytest.mark.parametrize(
    ("moment", "hours", "expected"),
    [
        (oslo(2026, 3, 9, 9), 2.5, oslo(2026, 3, 6, 14)),
        (oslo(2026, 3, 9, 11, 30), 4, oslo(2026, 3, 6, 15)),  # docs/calendar.md
        (oslo(2026, 3, 9, 10), 1, oslo(2026, 3, 9, 9)),
        # Two hours before Monday 10:00 is used up exactly at opening; the earliest instant
        # with two office hours to go is Friday's closing.
        (oslo(2026, 3, 9, 10), 2, oslo(2026, 3, 6, 15, 30)),
        (oslo(2026, 3, 7, 12), 0, oslo(2026, 3, 6, 15, 30)),  # Saturday
        (oslo(2026, 3, 9, 10), 0, oslo(2026, 3, 9, 10)),
        # Tuesday after Easter 09:00 minus 4 h: 1 h on Tuesday, 3 h on Wednesday 1 April.
        (oslo(2026, 4, 7, 9), 4, oslo(2026, 4, 1, 12, 30)),
        (oslo(2026, 12, 28, 9), 4, oslo(2026, 12, 23, 12, 30)),
    ],
)
def test_subtract_working_hours(moment, hours, expected):
    cutoff = CAL.subtract_working_hours(moment, hours)
    assert cutoff == expected
    assert cutoff.tzinfo is OSLO


def test_handover_cutoff_semantics():
    # "Handed over before the cut-off" must mean "waited more than the limit".
    now = oslo(2026, 3, 9, 10)
    cutoff = CAL.subtract_working_hours(now, 2)
    just_before = cutoff - dt.timedelta(minutes=1)
    assert CAL.working_time_between(just_before, now) > dt.timedelta(hours=2)
    saturday = oslo(2026, 3, 7, 12)
    assert saturday >= cutoff
    assert CAL.working_time_between(saturday, now) == dt.timedelta(hours=2)


@pytest.mark.parametrize(
    ("moment", "hours", "expected"),
    [
        (oslo(2026, 3, 6, 14), 2.5, oslo(2026, 3, 9, 9)),
        (oslo(2026, 3, 6, 14), 1.5, oslo(2026, 3, 6, 15, 30)),
        (oslo(2026, 3, 7, 12), 1, oslo(2026, 3, 9, 9)),
        (oslo(2026, 4, 1, 12, 30), 4, oslo(2026, 4, 7, 9)),
    ],
)
def test_add_working_hours(moment, hours, expected):
    assert CAL.add_working_hours(moment, hours) == expected


def test_negative_hours_are_refused():
    with pytest.raises(ValueError):
        CAL.subtract_working_hours(oslo(2026, 3, 9), -1)
    with pytest.raises(ValueError):
        CAL.add_working_hours(oslo(2026, 3, 9), -1)


def test_is_open_at():
    assert CAL.is_open_at(oslo(2026, 3, 9, 8))
    assert not CAL.is_open_at(oslo(2026, 3, 9, 15, 30))
    assert not CAL.is_open_at(oslo(2026, 4, 2, 10))  # skjærtorsdag


def test_to_local():
    assert to_local(dt.datetime(2026, 6, 5, 12, tzinfo=UTC)) == oslo(2026, 6, 5, 14)
    with pytest.raises(ValueError):
        to_local(dt.datetime(2026, 6, 5, 12))


# --- configuration --------------------------------------------------------------------------
def test_calendar_validates_its_arguments():
    with pytest.raises(ValueError, match="Unknown closed day"):
        WorkingCalendar(closed_days=("sankthans",))
    with pytest.raises(ValueError, match="after opening"):
        WorkingCalendar(opening=dt.time(16), closing=dt.time(8))


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("julaftan", "julaftan"),
        ("Julaften", "julaftan"),
        ("nyttårsaftan", "nyttarsaftan"),
        ("Nyttårsaften", "nyttarsaftan"),
        (" påskeaftan ", "paskeaftan"),
    ],
)
def test_closed_day_spellings(typed, key):
    assert normalise_closed_day(typed) == key


def test_calendar_from_settings(settings):
    settings.TENESTETORGET = {
        **settings.TENESTETORGET,
        "CLOSED_DAYS": ["Julaften", "nyttårsaftan"],
        "OPENING_HOUR": "09:00",
        "CLOSING_HOUR": "15:00",
    }
    cal = calendar_from_settings()
    assert cal.closed_days == ("julaftan", "nyttarsaftan")
    assert cal.opening == dt.time(9) and cal.closing == dt.time(15)
    assert cal.effective_receipt_day(oslo(2026, 3, 6, 15, 10)) == D(2026, 3, 9)
    bridge = calendar_from_settings(extra_closed=[D(2026, 5, 15)])
    assert not bridge.is_working_day(D(2026, 5, 15))
    assert calendar_from_settings().is_working_day(D(2026, 5, 15))


def test_calendar_from_settings_without_closed_days(settings):
    settings.TENESTETORGET = {**settings.TENESTETORGET, "CLOSED_DAYS": []}
    assert calendar_from_settings().is_working_day(D(2026, 12, 24))


@pytest.mark.parametrize(
    "override",
    [
        {"CLOSED_DAYS": ["sankthansaftan"]},
        {"OPENING_HOUR": "8.00"},
        {"CLOSING_HOUR": "late"},
        {"OPENING_HOUR": "16:00", "CLOSING_HOUR": "08:00"},
    ],
)
def test_calendar_from_settings_rejects_bad_settings(settings, override):
    settings.TENESTETORGET = {**settings.TENESTETORGET, **override}
    with pytest.raises(ImproperlyConfigured):
        calendar_from_settings()
