"""The promise a booker sees, as a property: whatever mix of bookings, cancellations, moves
and blocks happens to one resource, no two held periods ever overlap, every accepted booking
keeps the resource's rules, and a period is refused as taken only when something holds it."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenestetorget.booking import residency, services, testing
from tenestetorget.booking.models import HOLDING, BookerKind, Booking, Resource
from tenestetorget.booking.rules import BookingRefused, PeriodTaken, span_for_dates

FNR = "01019010046"

operations = st.lists(
    st.tuples(
        st.sampled_from(["book", "book", "book", "cancel", "move", "block"]),
        st.integers(min_value=1, max_value=40),  # arrival, days from today
        st.integers(min_value=0, max_value=9),  # nights (0 and > 7 are refused)
        st.integers(min_value=0, max_value=50),  # which earlier booking (cancel, move)
    ),
    min_size=1,
    max_size=25,
)


def _held(resource: Resource) -> list[Booking]:
    return list(Booking.objects.filter(resource=resource, status__in=HOLDING).order_by("start"))


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=operations)
def test_no_mix_of_actions_ever_leaves_two_held_periods_overlapping(
    steps, django_user_model
) -> None:
    Booking.objects.all().delete()
    Resource.objects.all().delete()
    residency.import_register(f"fodselsnummer;namn;husstand\n{FNR};Kari;H1\n")
    cabin = testing.cabin(slug="eigenskap", buffer_minutes=60)
    booker = services.Booker("Kari", "kari@example.no", BookerKind.RESIDENT, national_id=FNR)
    today = timezone.localdate()
    made: list[Booking] = []
    for action, offset, nights, which in steps:
        arrive = today + dt.timedelta(days=offset)
        start, end = span_for_dates(cabin, arrive, arrive + dt.timedelta(days=nights or 1))
        if nights == 0:
            end = start  # an empty period: always refused
        holding_before = _held(cabin)
        try:
            if action == "book":
                made.append(services.book(cabin, start, end, booker))
                booking = made[-1]
                assert 1 <= booking.units <= cabin.max_units
                assert booking.start >= timezone.now()
            elif action == "block":
                services.block(cabin, start, end, reason="Vedlikehald", by=None)
            elif made:
                target = made[which % len(made)]
                if action == "cancel":
                    services.cancel(target)
                else:
                    services.move(target, start, end)
        except PeriodTaken:
            hold_until = end + dt.timedelta(minutes=cabin.buffer_minutes)
            # Refused as taken only when something really holds an overlapping period.
            assert any(h.start < hold_until and h.hold_until > start for h in holding_before)
        except BookingRefused:
            pass
        held = _held(cabin)
        for first, second in itertools.pairwise(held):
            assert first.hold_until <= second.start, (first, second)
