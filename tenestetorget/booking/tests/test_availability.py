"""The availability calendar against a plain reading of the rule it implements (for every
day: is the bookable time free, partly held, wholly held; for nights: is the check-in moment
held), over random bookings of a cabin and of a room; and in two queries."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from tenestetorget.booking import availability, testing
from tenestetorget.booking.models import HOLDING, Booking, ClosedDay, Resource, Status
from tenestetorget.booking.rules import local_moment

pytestmark = pytest.mark.django_db


def _reference(resource: Resource, day: dt.date, held: list[Booking], closed: set[dt.date]) -> str:
    hourly = resource.booking_unit == "hour"
    if day in closed or (
        hourly and resource.open_weekdays and day.weekday() not in resource.open_weekdays
    ):
        return "closed"
    opens = local_moment(day, resource.check_in)
    closes = local_moment(day + dt.timedelta(days=0 if hourly else 1), resource.check_out)
    touching = [b for b in held if b.start < closes and b.hold_until > opens]
    if not touching:
        return "free"
    if not hourly:
        return "taken" if any(b.start <= opens < b.hold_until for b in touching) else "partly"
    covered = sum(
        ((min(b.hold_until, closes) - max(b.start, opens)) for b in touching), dt.timedelta()
    )
    return "taken" if covered >= closes - opens else "partly"


def _scatter(resource: Resource, rng: random.Random, today: dt.date, hourly: bool) -> None:
    for _ in range(60):
        day = today + dt.timedelta(days=rng.randint(0, 60))
        if hourly:
            start = local_moment(day, dt.time(rng.randint(6, 22)))
            end = start + dt.timedelta(hours=rng.randint(1, 6))
        else:
            start = local_moment(day, dt.time(rng.choice([12, 15])))
            end = start + dt.timedelta(days=rng.randint(1, 5), hours=rng.choice([-3, 0, 2]))
        overlap = Booking.objects.filter(
            resource=resource, status__in=HOLDING, start__lt=end, hold_until__gt=start
        ).exists()
        if not overlap:
            Booking.objects.create(
                resource=resource,
                start=start,
                end=end,
                hold_until=end,
                status=rng.choice([Status.CONFIRMED, Status.PENDING, Status.BLOCKED]),
                created_at=timezone.now(),
            )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_calendar_says_what_a_plain_reading_of_the_bookings_says(
    seed: int, django_assert_num_queries
) -> None:
    rng = random.Random(seed)
    today = timezone.localdate()
    cabin = testing.cabin()
    room = testing.room(open_weekdays=[0, 1, 2, 3, 4])
    _scatter(cabin, rng, today, hourly=False)
    _scatter(room, rng, today, hourly=True)
    ClosedDay.objects.create(date=today + dt.timedelta(days=rng.randint(0, 60)), reason="Jul")
    closed = set(ClosedDay.objects.values_list("date", flat=True))
    last = today + dt.timedelta(days=62)
    with django_assert_num_queries(2):
        shown = availability.calendar([cabin, room], today, last)
    for resource in (cabin, room):
        held = list(Booking.objects.filter(resource=resource, status__in=HOLDING))
        for n in range(63):
            day = today + dt.timedelta(days=n)
            assert shown[resource.slug][day] == _reference(resource, day, held, closed), (
                resource.slug,
                day,
            )
