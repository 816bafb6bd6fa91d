"""Availability (selectors): what is held when, for one or all resources, in a constant
number of queries whatever the period (one for the bookings, one for the closed days)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q

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


def calendar(
    resources: Sequence[Resource], first: dt.date, last: dt.date
) -> dict[str, dict[dt.date, str]]:
    """Per resource slug, per day: free, partly (some hours or a changeover), taken, or
    closed. A day is taken when a held period covers the whole of its bookable time (for
    nights: the night from that day's check-in to the next day's check-out)."""
    periods = held(resources, first, last)
    closed = closed_days(resources, first, last)
    everywhere = closed.get(None, set())
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    out: dict[str, dict[dt.date, str]] = {}
    for resource in resources:
        mine = periods.get(resource.pk, [])
        shut = everywhere | closed.get(resource.pk, set())
        hourly = resource.booking_unit == "hour"
        states: dict[dt.date, str] = {}
        index = 0
        for day in days:
            if day in shut or (
                hourly and resource.open_weekdays and day.weekday() not in resource.open_weekdays
            ):
                states[day] = DayState.CLOSED
                continue
            if hourly:
                window = (
                    local_moment(day, resource.check_in),
                    local_moment(day, resource.check_out),
                )
            else:
                window = (
                    local_moment(day, resource.check_in),
                    local_moment(day + dt.timedelta(days=1), resource.check_out),
                )
            while index < len(mine) and mine[index].end <= window[0]:
                index += 1
            covered = dt.timedelta(0)
            touched = False
            j = index
            cursor = window[0]
            while j < len(mine) and mine[j].start < window[1]:
                touched = True
                s = max(mine[j].start, cursor)
                e = min(mine[j].end, window[1])
                if e > s:
                    covered += e - s
                    cursor = e
                j += 1
            if not touched:
                states[day] = DayState.FREE
            elif hourly:
                states[day] = (
                    DayState.TAKEN if covered >= window[1] - window[0] else DayState.PARTLY
                )
            else:
                # A night is taken when its check-in moment is held.
                states[day] = (
                    DayState.TAKEN
                    if any(h.start <= window[0] < h.end for h in mine[index:j])
                    else DayState.PARTLY
                )
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


def is_free(resource: Resource, start: dt.datetime, end: dt.datetime) -> bool:
    hold_until = end + dt.timedelta(minutes=resource.buffer_minutes)
    return not Booking.objects.filter(
        resource=resource, status__in=HOLDING, start__lt=hold_until, hold_until__gt=start
    ).exists()


__all__ = ["DayState", "Held", "Status", "calendar", "free_slots", "held", "is_free", "to_local"]
