"""Availability (selectors): what is held when, for one or all resources, in a constant
number of queries whatever the period (one for the bookings, one for the closed days)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connections
from django.db.models import Q, QuerySet

from tenestetorget.booking.models import HOLDING, Booking, ClosedDay, Resource, Status
from tenestetorget.booking.rules import local_moment
from tenestetorget.core.calendar import to_local


@dataclass(frozen=True)
class Held:
    start: dt.datetime
    end: dt.datetime
    status: str


class DayState:
    FREE = "free"
    PARTLY = "partly"
    TAKEN = "taken"
    CLOSED = "closed"


def held(resources: Sequence[Resource], first: dt.date, last: dt.date) -> dict[int, list[Held]]:
    """The held periods (buffer included) of each resource that touch [first, last]."""
    start = local_moment(first, dt.time(0))
    end = local_moment(last + dt.timedelta(days=1), dt.time(0))
    out: dict[int, list[Held]] = defaultdict(list)
    rows = (
        Booking.objects.filter(
            resource__in=[r.pk for r in resources],
            status__in=HOLDING,
            start__lt=end,
            hold_until__gt=start,
        )
        .order_by("resource_id", "start")
        .values_list("resource_id", "start", "hold_until", "status")
    )
    for resource_id, s, e, status in rows:
        out[resource_id].append(Held(s, e, status))
    return out


def closed_days(
    resources: Sequence[Resource], first: dt.date, last: dt.date
) -> dict[int | None, set[dt.date]]:
    out: dict[int | None, set[dt.date]] = defaultdict(set)
    rows = ClosedDay.objects.filter(
        Q(resource__in=[r.pk for r in resources]) | Q(resource__isnull=True),
        date__gte=first,
        date__lte=last,
    ).values_list("resource_id", "date")
    for resource_id, day in rows:
        out[resource_id].add(day)
    return out


def _held_seconds(
    resources: Sequence[Resource], first: dt.date, last: dt.date
) -> dict[int, list[tuple[float, float]]]:
    """As held(), as POSIX seconds, read without the ORM's per-value conversion: the year's
    calendar of every resource reads thousands of rows, and converting each value to an
    aware datetime and back cost half the time of the whole calendar."""
    start = local_moment(first, dt.time(0))
    end = local_moment(last + dt.timedelta(days=1), dt.time(0))
    query = (
        Booking.objects.filter(
            resource__in=[r.pk for r in resources],
            status__in=HOLDING,
            start__lt=end,
            hold_until__gt=start,
        )
        .order_by("resource_id", "start")
        .values_list("resource_id", "start", "hold_until")
    )
    sql, params = query.query.sql_with_params()
    out: dict[int, list[tuple[float, float]]] = defaultdict(list)
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for resource_id, s, e in rows:
        out[resource_id].append((_seconds(s), _seconds(e)))
    return out


def _seconds(value: dt.datetime | str) -> float:
    """A stored moment as POSIX seconds: PostgreSQL's driver gives an aware datetime,
    SQLite the text Django wrote (UTC, without an offset)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.timestamp()


def _windows(
    days: Sequence[dt.date], opens: dt.time, closes: dt.time, overnight: bool
) -> list[tuple[float, float]]:
    """Each day's bookable time as POSIX seconds: opening to closing the same day (hours),
    or check-in to the next day's check-out (nights)."""
    after = dt.timedelta(days=1 if overnight else 0)
    return [
        (local_moment(day, opens).timestamp(), local_moment(day + after, closes).timestamp())
        for day in days
    ]


def calendar(
    resources: Sequence[Resource], first: dt.date, last: dt.date
) -> dict[str, dict[dt.date, str]]:
    """Per resource slug, per day: free, partly (some hours or a changeover), taken, or
    closed. A day is taken when a held period covers the whole of its bookable time (for
    nights: when the night's check-in moment is held). Two queries whatever the period."""
    periods = _held_seconds(resources, first, last)
    closed = closed_days(resources, first, last)
    everywhere = closed.get(None, set())
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    windows: dict[tuple[dt.time, dt.time, bool], list[tuple[float, float]]] = {}
    out: dict[str, dict[dt.date, str]] = {}
    for resource in resources:
        hourly = resource.booking_unit == "hour"
        key = (resource.check_in, resource.check_out, not hourly)
        if key not in windows:
            windows[key] = _windows(days, *key)
        mine = periods.get(resource.pk, [])
        shut = everywhere | closed.get(resource.pk, set())
        open_days = set(resource.open_weekdays or ()) if hourly else set()
        states: dict[dt.date, str] = {}
        index = 0
        count = len(mine)
        for day, (w0, w1) in zip(days, windows[key], strict=True):
            if day in shut or (open_days and day.weekday() not in open_days):
                states[day] = DayState.CLOSED
                continue
            # Periods that ended before this window are done with (days only move forward).
            while index < count and mine[index][1] <= w0:
                index += 1
            j = index
            if j >= count or mine[j][0] >= w1:
                states[day] = DayState.FREE
                continue
            if not hourly:
                # A night is taken when its check-in moment is held.
                taken = False
                while j < count and mine[j][0] < w1:
                    if mine[j][0] <= w0 < mine[j][1]:
                        taken = True
                        break
                    j += 1
                states[day] = DayState.TAKEN if taken else DayState.PARTLY
                continue
            covered = 0.0
            cursor = w0
            while j < count and mine[j][0] < w1:
                s = mine[j][0] if mine[j][0] > cursor else cursor
                e = mine[j][1] if mine[j][1] < w1 else w1
                if e > s:
                    covered += e - s
                    cursor = e
                j += 1
            states[day] = DayState.TAKEN if covered >= w1 - w0 else DayState.PARTLY
        out[resource.slug] = states
    return out


def free_slots(resource: Resource, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """For a resource booked by the hour: the free whole hours of one day."""
    opening = local_moment(day, resource.check_in)
    closing = local_moment(day, resource.check_out)
    taken = held([resource], day, day).get(resource.pk, [])
    slots = []
    moment = opening
    while moment + dt.timedelta(hours=1) <= closing:
        following = moment + dt.timedelta(hours=1)
        if not any(h.start < following and h.end > moment for h in taken):
            slots.append((moment, following))
        moment = following
    return slots


def overlapping(
    resource: Resource, start: dt.datetime, hold_until: dt.datetime
) -> QuerySet[Booking]:
    """The bookings of the resource that hold any of [start, hold_until)."""
    return Booking.objects.filter(
        resource=resource, status__in=HOLDING, start__lt=hold_until, hold_until__gt=start
    )


__all__ = [
    "DayState",
    "Held",
    "Status",
    "calendar",
    "free_slots",
    "held",
    "overlapping",
    "to_local",
]
