"""The booking promise through the services: rules, residency, price, e-mails with the
calendar file, cancel within the terms, approval that holds the period, series."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from tenestetorget.booking import residency, services, testing
from tenestetorget.booking.models import BookerKind, Booking, BookingEvent, ClosedDay, Status
from tenestetorget.booking.rules import BookingRefused, PeriodTaken, span_for_dates
from tenestetorget.contact import outbox
from tenestetorget.contact.models import OutgoingMessage

pytestmark = pytest.mark.django_db

FNR = "01019010046"  # a valid test number (checksums right), as the API tests use
OTHER_FNR = "02028010047"  # valid, but not in the register


def resident(name: str = "Kari Nordmann", email: str = "kari@example.no") -> services.Booker:
    return services.Booker(name=name, email=email, kind=BookerKind.RESIDENT, national_id=FNR)


@pytest.fixture
def register() -> None:
    residency.import_register(
        f"fodselsnummer;namn;husstand;adresse\n{FNR};Kari Nordmann;H1;Vinjevegen 1\n"
    )


def next_weekday(weekday: int, weeks: int = 2) -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks)


def test_a_resident_books_a_weekend_and_gets_the_confirmation_with_a_calendar_file(
    register,
) -> None:
    cabin = testing.cabin()
    friday = next_weekday(4)
    start, end = span_for_dates(cabin, friday, friday + dt.timedelta(days=2))
    booking = services.book(cabin, start, end, resident())
    assert booking.status == Status.CONFIRMED
    assert booking.units == 2 and booking.price == Decimal("700") and booking.household == "H1"
    message = OutgoingMessage.objects.get(data__booking=booking.pk)
    assert message.kind == "booking_confirmation" and "Testhytta" in message.subject
    outbox.send_due()
    sent = mail.outbox[-1]
    (name, content, content_type) = sent.attachments[0]
    assert name == "booking.ics" and content_type.startswith("text/calendar")
    assert "BEGIN:VEVENT" in content and "DTSTART" in content
    assert "/utleige/mine/" in sent.body


def test_the_same_period_cannot_be_booked_twice(register) -> None:
    cabin = testing.cabin()
    friday = next_weekday(4)
    start, end = span_for_dates(cabin, friday, friday + dt.timedelta(days=2))
    services.book(cabin, start, end, resident())
    with pytest.raises(PeriodTaken):
        services.book(cabin, start, end, resident("Ola", "ola@example.no"))


def test_a_non_resident_is_refused_a_residents_only_cabin_with_a_reason(register) -> None:
    cabin = testing.cabin()
    friday = next_weekday(4)
    start, end = span_for_dates(cabin, friday, friday + dt.timedelta(days=2))
    with pytest.raises(BookingRefused) as refused:
        services.book(
            cabin,
            start,
            end,
            services.Booker("Ola", "ola@example.no", BookerKind.RESIDENT, national_id=OTHER_FNR),
        )
    assert refused.value.code == "not_resident"
    with pytest.raises(BookingRefused) as refused:
        services.book(
            cabin, start, end, services.Booker("Ola", "ola@example.no", BookerKind.NON_RESIDENT)
        )
    assert refused.value.code == "not_eligible"


@pytest.mark.parametrize(
    ("arrive_offset", "nights", "code"),
    [(-3, 2, "past"), (0, 9, "too_long"), (500, 2, "too_far_ahead")],
)
def test_bad_periods_are_refused(register, arrive_offset: int, nights: int, code: str) -> None:
    cabin = testing.cabin()
    arrive = timezone.localdate() + dt.timedelta(days=arrive_offset if arrive_offset else 10)
    start, end = span_for_dates(cabin, arrive, arrive + dt.timedelta(days=nights))
    with pytest.raises(BookingRefused) as refused:
        services.book(cabin, start, end, resident())
    assert refused.value.code == code


def test_exception_days_close_the_resource(register) -> None:
    cabin = testing.cabin()
    friday = next_weekday(4)
    ClosedDay.objects.create(date=friday + dt.timedelta(days=1), reason="Jul")
    start, end = span_for_dates(cabin, friday, friday + dt.timedelta(days=2))
    with pytest.raises(BookingRefused) as refused:
        services.book(cabin, start, end, resident())
    assert refused.value.code == "closed" and "Jul" in refused.value.message


def test_limit_per_household_per_season(register) -> None:
    cabin = testing.cabin(per_household_per_season=1)
    march = dt.date(timezone.localdate().year + 1, 3, 1)
    friday = march + dt.timedelta(days=(4 - march.weekday()) % 7)
    services.book(cabin, *span_for_dates(cabin, friday, friday + dt.timedelta(days=1)), resident())
    later = friday + dt.timedelta(days=7)
    with pytest.raises(BookingRefused) as refused:
        services.book(
            cabin, *span_for_dates(cabin, later, later + dt.timedelta(days=1)), resident()
        )
    assert refused.value.code == "household_limit"


def test_a_business_books_the_room_by_the_hour_from_tomorrow() -> None:
    room = testing.room()
    business = services.Booker("Per", "per@firma.no", BookerKind.BUSINESS, organisation="Firma AS")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    start = dt.datetime.combine(tomorrow, dt.time(9), tzinfo=timezone.get_current_timezone())
    booking = services.book(room, start, start + dt.timedelta(hours=2), business)
    assert booking.units == 2 and booking.price == Decimal("800")
    today = dt.datetime.combine(
        timezone.localdate(), dt.time(23), tzinfo=timezone.get_current_timezone()
    )
    with pytest.raises(BookingRefused):
        services.book(room, today - dt.timedelta(hours=1), today, business)
    half = start + dt.timedelta(hours=3, minutes=30)
    with pytest.raises(BookingRefused) as refused:
        services.book(room, half, half + dt.timedelta(hours=1), business)
    assert refused.value.code == "whole_hours"


def test_a_booking_waiting_for_approval_holds_its_period(register) -> None:
    cabin = testing.cabin(needs_approval=True)
    friday = next_weekday(4)
    span = span_for_dates(cabin, friday, friday + dt.timedelta(days=2))
    booking = services.book(cabin, *span, resident())
    assert booking.status == Status.PENDING
    assert OutgoingMessage.objects.get(data__booking=booking.pk).kind == "booking_received"
    with pytest.raises(PeriodTaken):
        services.book(cabin, *span, resident("Ola", "ola@example.no"))


def test_cancel_within_the_terms_frees_the_period(register) -> None:
    cabin = testing.cabin()
    friday = next_weekday(4, weeks=4)
    span = span_for_dates(cabin, friday, friday + dt.timedelta(days=2))
    booking = services.book(cabin, *span, resident())
    services.cancel(booking)
    assert Booking.objects.get(pk=booking.pk).status == Status.CANCELLED
    assert BookingEvent.objects.filter(booking=booking, kind="cancelled", data__fee="0").exists()
    services.book(cabin, *span, resident("Ola", "ola@example.no"))


def test_staff_override_counts_a_booker_as_resident_with_a_reason(
    register, django_user_model
) -> None:
    from tenestetorget.organisation.models import Role, StaffProfile

    user = django_user_model.objects.create_user("desk", password="x")
    StaffProfile.objects.create(user=user, unit=testing.unit(), role=Role.FRONT_DESK)
    cabin = testing.cabin()
    friday = next_weekday(4)
    booker = services.Booker("Nyinnflytta", "ny@example.no", BookerKind.RESIDENT)
    booking = services.book(
        cabin,
        *span_for_dates(cabin, friday, friday + dt.timedelta(days=2)),
        booker,
        by=user,
        override_reason="Flytta hit i går, ikkje i registeret enno",
    )
    assert booking.residency_override.startswith("Flytta hit")


def test_the_register_never_keeps_the_national_id(register) -> None:
    from tenestetorget.booking.models import Resident

    row = Resident.objects.get()
    assert FNR not in str(row.__dict__)
