"""The staff calendar feed per resource: a secret address (an HMAC of the slug with the site's
key), a calendar that parses, held periods from 30 days back to 400 ahead, and only names
and organisations of the guests: no e-mail addresses, phone numbers or fødselsnummer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from tenestetorget.booking import residency, selectors, services, testing
from tenestetorget.booking.models import BookerKind, Booking, Status
from tenestetorget.booking.rules import span_for_dates
from tenestetorget.organisation.models import Role, StaffProfile

pytestmark = pytest.mark.django_db

FNR = "01019010046"


@pytest.fixture
def residents() -> None:
    residency.import_register(
        f"fodselsnummer;namn;husstand;adresse\n{FNR};Kari Nordmann;H1;Vinjevegen 1\n"
    )


def feed_url(resource: Any, token: str | None = None) -> str:
    return (
        f"/tenestetorget/utleige/ical/{resource.slug}/{token or selectors.feed_token(resource)}.ics"
    )


def days_ahead(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def test_the_feed_parses_and_holds_the_held_periods(residents) -> None:
    cabin = testing.cabin(needs_approval=True)
    kari = services.Booker(
        "Kari Nordmann",
        "kari@example.no",
        BookerKind.RESIDENT,
        phone="+47 912 34 567",
        national_id=FNR,
    )
    pending = services.book(cabin, *span_for_dates(cabin, days_ahead(3), days_ahead(5)), kari)
    desk = get_user_model().objects.create_user("desk", password="x")
    StaffProfile.objects.create(user=desk, unit=testing.unit(), role=Role.FRONT_DESK)
    block = services.block(
        cabin, *span_for_dates(cabin, days_ahead(10), days_ahead(12)), reason="Nytt tak", by=desk
    )
    cancelled = services.book(
        cabin,
        *span_for_dates(cabin, days_ahead(20), days_ahead(21)),
        services.Booker("Ola", "ola@example.no", BookerKind.RESIDENT, national_id=FNR),
    )
    services.cancel(cancelled)
    # Long past and far ahead: outside the feed.
    old_start, old_end = span_for_dates(cabin, days_ahead(-60), days_ahead(-58))
    Booking.objects.create(
        resource=cabin,
        start=old_start,
        end=old_end,
        hold_until=old_end,
        status=Status.CONFIRMED,
        booker_name="Gamal Gjest",
        booker_kind=BookerKind.RESIDENT,
        price=Decimal(0),
        created_at=old_start,
    )
    response = Client().get(feed_url(cabin))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Testhytta"
    events = {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"booking-{pending.pk}", f"booking-{block.pk}"}
    waiting = events[f"booking-{pending.pk}"]
    assert "Kari Nordmann" in str(waiting["SUMMARY"]) and "Ventar" in str(waiting["SUMMARY"])
    assert str(waiting["STATUS"]) == "TENTATIVE"
    assert waiting.decoded("DTSTART") == pending.start
    blocked = events[f"booking-{block.pk}"]
    assert "Sperra" in str(blocked["SUMMARY"]) and "Nytt tak" in str(blocked["SUMMARY"])
    text = response.content.decode()
    for secret in ("kari@example.no", "912", "+47", FNR, "ola@example.no", "Gamal Gjest"):
        assert secret not in text


def test_an_organisation_is_named_instead_of_the_person() -> None:
    room = testing.room()
    tomorrow = days_ahead(1)
    start = dt.datetime.combine(tomorrow, dt.time(9), tzinfo=timezone.get_current_timezone())
    services.book(
        room,
        start,
        start + dt.timedelta(hours=2),
        services.Booker(
            "Per Hansen",
            "per@firma.no",
            BookerKind.BUSINESS,
            phone="99887766",
            organisation="Firma AS",
        ),
    )
    text = Client().get(feed_url(room)).content.decode()
    assert "Firma AS" in text
    assert "Per Hansen" not in text and "per@firma.no" not in text and "99887766" not in text


def test_a_wrong_token_or_another_resources_token_is_not_found() -> None:
    cabin = testing.cabin()
    other = testing.cabin("hytte-to", name="Fjellstova")
    assert Client().get(feed_url(cabin, "0" * 40)).status_code == 404
    assert Client().get(feed_url(cabin, selectors.feed_token(other))).status_code == 404
    assert Client().get(feed_url(cabin, selectors.feed_token(cabin)[:-1])).status_code == 404
    missing = type("R", (), {"slug": "finst-ikkje"})()
    assert Client().get(feed_url(missing, selectors.feed_token(missing))).status_code == 404


def test_the_token_depends_on_the_secret_key(settings) -> None:
    cabin = testing.cabin()
    before = selectors.feed_token(cabin)
    assert len(before) == 40 and before == selectors.feed_token(cabin)
    settings.SECRET_KEY = "another-" + settings.SECRET_KEY
    assert selectors.feed_token(cabin) != before
    assert Client().get(feed_url(cabin, before)).status_code == 404


def test_staff_find_the_address_on_the_overview(settings) -> None:
    cabin = testing.cabin()
    officer = get_user_model().objects.create_user("officer", password="x")
    StaffProfile.objects.create(user=officer, unit=testing.unit(), role=Role.CASE_OFFICER)
    client = Client()
    client.force_login(officer)
    html = client.get("/tenestetorget/utleige/").content.decode()
    assert f'value="{settings.SITE_URL}{feed_url(cabin)}" readonly' in html
