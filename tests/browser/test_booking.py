"""The public booking pages in a real browser: a resident books a cabin for a weekend (with
a mistake first) and cancels it on «mine bookingar»; a business books the meeting room for
two hours tomorrow, and a competitor who wants the same hours is told they are taken; a
resident enters the lottery for a peak week, and a family applies for the trial housing.

Every page on the way (the overview, the resource page with its calendar, the forms with
errors, the receipts, «mine bookingar», the cancellation) is checked with axe-core at 1024 px
and on a 375 px phone, held to no violation of any impact, and may not scroll sideways.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tenestetorget.booking import lottery, residency, testing
from tenestetorget.booking.models import (
    BookerKind,
    BookerLink,
    Booking,
    BookingUnit,
    LotteryEntry,
    Resource,
    ResourceKind,
    Status,
    TrialHousingApplication,
)
from tenestetorget.booking.rules import span_for_dates
from tenestetorget.contact.models import OutgoingMessage
from tenestetorget.core.calendar import OSLO
from tests.browser.conftest import format_violations, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: A valid test fødselsnummer (the check digits are right), in the register below.
FNR = "01019010046"
WIDTHS = (1024, 375)


@pytest.fixture
def cabin() -> Resource:
    residency.import_register(
        f"fodselsnummer;namn;husstand;adresse\n{FNR};Kari Nordmann;H1;Vinjevegen 1\n"
    )
    return testing.cabin(
        "fjellstova",
        name="Fjellstova",
        description="Ei hytte på fjellet med seks sengeplassar.\n\nVed og vatn er på plass.",
        equipment="Dyner, puter og kjøkkenutstyr.",
        terms="Hytta skal vaskast før avreise. Husdyr er ikkje lov.",
    )


@pytest.fixture
def room() -> Resource:
    return testing.room("multimedia", name="Multimediarommet", capacity=12, location="Rådhuset")


@pytest.fixture
def check(axe_source: str, assert_accessible: Callable[[Page], None]) -> Callable[[Page], None]:
    """axe-core at each width (no violation of any impact), and no sideways scrolling."""

    def run(page: Page) -> None:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            assert_accessible(page)
            violations = run_axe(page, axe_source)
            if violations:
                pytest.fail(f"{width}px: " + format_violations(page.url, violations), pytrace=False)
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at {width}px"
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})

    return run


def next_friday(weeks: int = 2) -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=(4 - today.weekday()) % 7 + 7 * weeks)


def test_a_resident_books_a_cabin_weekend(
    page: Page, cabin: Resource, room: Resource, check: Callable[[Page], None]
) -> None:
    page.goto("/utleige/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Utleige")
    expect(page.get_by_role("heading", name="Høgfjellshytter")).to_be_visible()
    expect(page.get_by_role("heading", name="Møterom")).to_be_visible()
    expect(page.get_by_text("frå 350 kr per døgn")).to_be_visible()
    check(page)

    page.get_by_role("link", name="Fjellstova").click()
    expect(page).to_have_url(re.compile(r"/utleige/fjellstova/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Fjellstova")
    calendar = page.get_by_role("table")
    expect(calendar.locator("caption")).to_contain_text("Ledig i")
    expect(calendar.get_by_role("columnheader")).to_have_count(7)
    check(page)

    # Next month in the calendar, and back.
    page.get_by_role("link", name="Neste månad").click()
    expect(page).to_have_url(re.compile(r"\?month=\d{4}-\d{2}#kalender$"))
    check(page)
    page.get_by_role("link", name="Førre månad").click()

    # First without accepting the terms and with a mistyped fødselsnummer.
    friday = next_friday()
    sunday = friday + dt.timedelta(days=2)
    page.get_by_label("Komedag").fill(friday.isoformat())
    page.get_by_label("Avreisedag").fill(sunday.isoformat())
    expect(page.get_by_label("Innbyggjar")).to_be_checked()  # the only kind allowed
    page.get_by_label("Namn", exact=True).fill("Kari Nordmann")
    page.get_by_label("E-post").fill("kari@example.no")
    page.get_by_label("Fødselsnummer").fill("01019010047")
    page.get_by_role("button", name="Book", exact=True).click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Fødselsnummeret er ikkje gyldig.")).to_be_visible()
    expect(summary.get_by_role("link", name="Du må godta vilkåra for å booke.")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Feil:"))
    # What was typed is kept, except the fødselsnummer.
    expect(page.get_by_label("Namn", exact=True)).to_have_value("Kari Nordmann")
    expect(page.get_by_label("Komedag")).to_have_value(friday.isoformat())
    expect(page.get_by_label("Fødselsnummer")).to_have_value("")
    assert "01019010047" not in page.content()
    check(page)

    # The summary's link takes the reader to the field.
    summary.get_by_role("link", name="Fødselsnummeret er ikkje gyldig.").click()
    expect(page.get_by_label("Fødselsnummer")).to_be_focused()
    page.get_by_label("Fødselsnummer").fill(FNR)
    page.get_by_label("Eg har lese og godtek vilkåra for leige").check()
    page.get_by_role("button", name="Book", exact=True).click()

    expect(page).to_have_url(re.compile(r"/utleige/kvittering/[0-9a-f]+/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Takk! Bookinga er stadfesta")
    expect(page.get_by_text("700 kr")).to_be_visible()
    expect(page.get_by_text("kalenderfil")).to_be_visible()
    assert FNR not in page.content()
    check(page)
    booking = Booking.objects.get()
    assert booking.status == Status.CONFIRMED and booking.household == "H1"
    assert (booking.start, booking.end) == span_for_dates(cabin, friday, sunday)
    assert OutgoingMessage.objects.filter(
        data__booking=booking.pk, kind="booking_confirmation"
    ).exists()

    # The link from the e-mail: «mine bookingar», then a cancellation that is free.
    token = BookerLink.objects.get(email="kari@example.no").token
    page.goto(reverse("portal:booking_mine", kwargs={"token": token}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bookingane dine")
    expect(page.get_by_role("heading", name="Fjellstova")).to_be_visible()
    check(page)
    page.get_by_text("Endre tidspunkt").click()
    check(page)
    page.get_by_role("link", name=re.compile(r"^Avbestill")).click()
    expect(page.get_by_text("Avbestillinga er gratis.")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Ja, avbestill").click()
    expect(page.get_by_role("status")).to_contain_text("er avbestilt")
    expect(page.get_by_text("Avbestilt", exact=True)).to_be_visible()
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED


def test_a_business_books_the_meeting_room_by_the_hour_from_tomorrow(
    page: Page, room: Resource, check: Callable[[Page], None]
) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page.goto("/utleige/multimedia/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Multimediarommet")
    # Tomorrow is chosen, and its free hours listed.
    expect(page.get_by_label("Dato")).to_have_value(tomorrow.isoformat())
    expect(page.locator("#ledige-timar").get_by_text("08:00–22:00")).to_be_visible()
    check(page)

    page.get_by_label("Frå klokka").select_option("9")
    page.get_by_label("Tal på timar").select_option("2")
    page.get_by_role("radio", name="Verksemd").check()
    page.get_by_label("Namn", exact=True).fill("Per Firma")
    page.get_by_label("E-post").fill("per@firma.no")
    page.get_by_label("Namn på laget eller verksemda").fill("Firma AS")
    page.get_by_label("Eg har lese og godtek vilkåra for leige").check()
    page.get_by_role("button", name="Book", exact=True).click()

    expect(page).to_have_url(re.compile(r"/utleige/kvittering/[0-9a-f]+/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Takk! Bookinga er stadfesta")
    expect(page.get_by_text("kl. 09:00–11:00")).to_be_visible()
    expect(page.get_by_text("800 kr")).to_be_visible()
    check(page)
    booking = Booking.objects.get()
    assert booking.start == dt.datetime.combine(tomorrow, dt.time(9), tzinfo=OSLO)
    assert booking.units == 2 and booking.price == Decimal("800")
    assert booking.organisation == "Firma AS"

    # The same hours again: taken, said at the top and at the field, the input kept.
    page.goto("/utleige/multimedia/")
    expect(page.locator("#ledige-timar").get_by_text("08:00–09:00")).to_be_visible()
    expect(page.locator("#ledige-timar").get_by_text("11:00–22:00")).to_be_visible()
    page.get_by_label("Frå klokka").select_option("10")
    page.get_by_role("radio", name="Verksemd").check()
    page.get_by_label("Namn", exact=True).fill("Ola Konkurrent")
    page.get_by_label("E-post").fill("ola@konkurrent.no")
    page.get_by_label("Namn på laget eller verksemda").fill("Konkurrent AS")
    page.get_by_label("Eg har lese og godtek vilkåra for leige").check()
    page.get_by_role("button", name="Book", exact=True).click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Perioden er oppteken. Vel ein annan periode.")
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.get_by_label("Namn", exact=True)).to_have_value("Ola Konkurrent")
    expect(page.get_by_label("Frå klokka")).to_have_value("10")
    check(page)
    assert Booking.objects.count() == 1


def test_a_resident_enters_a_lottery_and_a_family_applies_for_trial_housing(
    page: Page, cabin: Resource, check: Callable[[Page], None]
) -> None:
    now = timezone.now()
    first = timezone.localdate() + dt.timedelta(days=60)
    draw = lottery.create_lottery(
        name="Vinterferie",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=7),
        periods=[(cabin, *span_for_dates(cabin, first, first + dt.timedelta(days=7)))],
    )
    house = testing.cabin(
        "provebustad",
        kind=ResourceKind.TRIAL_HOUSING,
        name="Prøvebustaden",
        booking_unit=BookingUnit.MONTH,
        eligible=[BookerKind.NON_RESIDENT],
    )

    page.goto("/utleige/")
    page.get_by_role("link", name="Vinterferie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vinterferie")
    check(page)
    period = draw.periods.get()
    page.get_by_label("Førsteønske").select_option(str(period.pk))
    page.get_by_label("Namn", exact=True).fill("Kari Nordmann")
    page.get_by_label("E-post").fill("kari@example.no")
    page.get_by_role("button", name="Send søknaden").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Skriv inn fødselsnummeret ditt")
    expect(page.get_by_label("Førsteønske")).to_have_value(str(period.pk))
    check(page)
    page.get_by_label("Fødselsnummer").fill(FNR)
    page.get_by_role("button", name="Send søknaden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Takk! Du er med i trekninga")
    assert FNR not in page.content()
    check(page)
    assert LotteryEntry.objects.get().household == "H1"

    page.goto(f"/utleige/{house.slug}/")
    expect(page.get_by_role("heading", name="Søk om å bu i prøvebustaden")).to_be_visible()
    page.get_by_role("button", name="Send søknaden").click()
    expect(page.locator("#error-summary")).to_be_focused()
    check(page)
    page.get_by_label("Kven er i husstanden?").fill("To vaksne og eitt born på 6 år")
    page.get_by_label("Kvifor vurderer de å flytte hit?").fill("Ny jobb på helsesenteret")
    wanted = timezone.localdate() + dt.timedelta(days=45)
    page.get_by_label("Ønskt frå").fill(wanted.isoformat())
    page.get_by_label("Kor mange månader?").select_option("6")
    page.get_by_label("Namn", exact=True).fill("Nina Tilflyttar")
    page.get_by_label("E-post").fill("nina@example.no")
    page.get_by_role("button", name="Send søknaden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Takk! Vi har motteke søknaden")
    check(page)
    application = TrialHousingApplication.objects.get()
    assert application.wanted_from == wanted and application.wanted_months == 6
