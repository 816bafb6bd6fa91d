"""The staff's booking pages in a real browser: the overview (calendar, waiting for
approval, cleaning) and a booking's page are accessible (axe-core) on a desktop and a phone,
and the front desk approves a pending booking from the overview with one click."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tenestetorget.booking import residency, services, testing
from tenestetorget.booking.models import BookerKind, Booking, Status
from tenestetorget.booking.rules import span_for_dates
from tenestetorget.organisation.models import Role
from tests.browser.conftest import open_panel
from tests.browser.test_inquiry_flow import log_in, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FNR = "01019010046"


@pytest.fixture
def bookings() -> dict[str, Any]:
    residency.import_register(
        f"fodselsnummer;namn;husstand;adresse\n{FNR};Kari Nordmann;H1;Vinjevegen 1\n"
    )
    testing.unit()
    desk = make_staff("frontdesk", "Frida", "Fyrstelina", "tenestetorget", Role.FRONT_DESK)
    cabin = testing.cabin(needs_approval=True, buffer_minutes=120)
    room = testing.room()
    today = timezone.localdate()

    def kari(email: str) -> services.Booker:
        return services.Booker(
            "Kari Nordmann", email, BookerKind.RESIDENT, phone="91234567", national_id=FNR
        )

    stay = services.book(
        cabin,
        *span_for_dates(cabin, today + dt.timedelta(days=1), today + dt.timedelta(days=3)),
        kari("kari@example.no"),
    )
    services.approve(stay, by=desk)
    pending = services.book(
        cabin,
        *span_for_dates(cabin, today + dt.timedelta(days=5), today + dt.timedelta(days=8)),
        kari("kari@example.no"),
    )
    meeting = dt.datetime.combine(
        today + dt.timedelta(days=2), dt.time(10), tzinfo=timezone.get_current_timezone()
    )
    services.book(
        room,
        meeting,
        meeting + dt.timedelta(hours=2),
        services.Booker("Per", "per@firma.no", BookerKind.BUSINESS, organisation="Firma AS"),
    )
    services.block(
        room,
        meeting + dt.timedelta(days=3),
        meeting + dt.timedelta(days=3, hours=4),
        reason="Nytt lerret",
        by=desk,
    )
    return {"stay": stay, "pending": pending}


def test_overview_and_booking_page_are_accessible_and_a_booking_is_approved(
    page: Page, assert_accessible: Callable[[Page], None], bookings: dict[str, Any]
) -> None:
    pending = bookings["pending"]
    log_in(page, "frontdesk")
    page.goto("/tenestetorget/utleige/")
    expect(page.get_by_role("heading", name="Utleige", exact=True)).to_be_visible()
    calendar = page.get_by_role("table", name="Bookingar")
    expect(calendar.get_by_role("columnheader", name="Utleigeobjekt")).to_be_visible()
    expect(calendar.get_by_role("rowheader", name="Testhytta")).to_be_visible()
    expect(page.get_by_role("heading", name="Reinhald")).to_be_visible()
    for width in (1024, 375):
        page.set_viewport_size({"width": width, "height": 800})
        assert_accessible(page)
        # Nothing scrolls the page sideways: wide tables scroll in their own box.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.set_viewport_size({"width": 1024, "height": 800})
    page.goto(f"/tenestetorget/utleige/booking/{bookings['stay'].pk}/")
    expect(page.get_by_text("Kari Nordmann (Innbyggjar)")).to_be_visible()
    open_panel(page, "Avbestill")
    for width in (1024, 375):
        page.set_viewport_size({"width": width, "height": 800})
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.set_viewport_size({"width": 1024, "height": 800})
    page.goto("/tenestetorget/utleige/")
    card = page.locator("#pending-h + ol > li").filter(has_text="Kari Nordmann")
    expect(card).to_have_count(1)
    card.get_by_role("button", name="Godkjenn").click()
    expect(page.get_by_text("er godkjend. Gjesten får stadfesting.")).to_be_visible()
    expect(page.get_by_text("Ingenting ventar på godkjenning.")).to_be_visible()
    assert page.url.endswith("/tenestetorget/utleige/")
    assert Booking.objects.get(pk=pending.pk).status == Status.CONFIRMED
