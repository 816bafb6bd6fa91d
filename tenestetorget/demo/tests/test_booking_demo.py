"""The demo's bookable things: what issue 11 names is there, bookable as it says."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tenestetorget.booking import services
from tenestetorget.booking.models import BookerKind, Booking, Resource, ResourceKind, Status
from tenestetorget.core.calendar import OSLO
from tenestetorget.demo.booking import load_booking_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_six_cabins_the_multimedia_room_two_study_rooms_and_a_trial_home() -> None:
    report = load_booking_demo()
    kinds = [r.kind for r in Resource.objects.all()]
    assert kinds.count(ResourceKind.CABIN) == 6
    assert kinds.count(ResourceKind.ROOM) == 1
    assert kinds.count(ResourceKind.STUDY_ROOM) == 2
    assert kinds.count(ResourceKind.TRIAL_HOUSING) == 1
    assert report.bookings >= 5
    assert Booking.objects.filter(status=Status.BLOCKED).exists()
    assert Booking.objects.filter(status=Status.PENDING).exists()
    # An Easter draw open for entries, and a winter-holiday draw already drawn and verifiable.
    from tenestetorget.booking import lottery
    from tenestetorget.booking.models import EntryStatus, Lottery, TrialHousingApplication

    easter_draw = Lottery.objects.get(name__startswith="Påske")
    assert lottery.is_open(easter_draw) and easter_draw.entries.count() == 6
    winter = Lottery.objects.get(name__startswith="Vinterferie")
    assert winter.drawn_at is not None and lottery.verify(winter)
    assert winter.entries.filter(status=EntryStatus.WON).count() == 2
    assert TrialHousingApplication.objects.count() == 1
    # Loading again changes nothing.
    again = load_booking_demo()
    assert again.bookings == 0 and Resource.objects.count() == 10


def test_a_business_can_book_the_multimedia_room_by_the_hour_from_tomorrow_to_six_months() -> None:
    load_booking_demo()
    room = Resource.objects.get(slug="multimediarommet")
    firm = services.Booker(
        "Per", "per@firma.example.no", BookerKind.BUSINESS, organisation="Firma AS"
    )
    far = timezone.localdate() + dt.timedelta(days=183)
    while far.weekday() > 5:
        far += dt.timedelta(days=1)
    start = dt.datetime.combine(far, dt.time(10), tzinfo=OSLO)
    booking = services.book(room, start, start + dt.timedelta(hours=1), firm)
    assert booking.status == Status.CONFIRMED and booking.price == 400
