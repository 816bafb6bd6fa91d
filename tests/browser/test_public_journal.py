"""The public journal in a real browser: the page passes axe-core (no violation of any impact,
no sideways scrolling on a phone), and a reader finds a post, asks for access with one click
on "Be om innsyn", fills in name and e-mail, sends, and gets the receipt."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, ViewportSize, expect

from tenestetorget.contact.models import Inquiry
from tenestetorget.core.calendar import calendar_from_settings
from tenestetorget.organisation.models import Queue, Role, StaffProfile, Unit
from tenestetorget.records import services
from tenestetorget.records.models import Journalposttype, Korrespondanseparttype, RegistryEntry
from tenestetorget.records.services import Party
from tests.browser.conftest import format_violations, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 360, "height": 740}
SECRET = "Melding om omsorgssvikt hjå familien Hemmelegdal"


@pytest.fixture
def posts() -> dict[str, RegistryEntry]:
    unit = Unit.objects.create(code="plan_bygg", name="Plan, byggjesak og oppmåling")
    archive_unit = Unit.objects.create(code="arkiv", name="Arkiv og postmottak")
    Queue.objects.create(code="innsyn", unit=archive_unit, name="Innsyn og arkiv")
    user = get_user_model().objects.create_user(
        username="byggjar", first_name="Berit", last_name="Byggjar"
    )
    StaffProfile.objects.create(user=user, unit=unit, role=Role.ARCHIVIST)
    k_codes = services.create_classification_system("KS K-kodar", user, "K-kodar")
    fonds = services.create_archive("Vinje kommune", [("974760673", "Vinje kommune")], user)
    series = services.create_series(fonds, "Sakarkiv", user, k_codes)
    case = services.create_saksmappe(series, "Garasje på gnr. 12 bnr. 34", unit, user, user)
    application = services.register_journalpost(
        case,
        Journalposttype.INNGAAANDE,
        "Søknad om løyve til garasje",
        user,
        parties=[Party(Korrespondanseparttype.AVSENDAR, "Kari Nordmann")],
    )
    screened = services.register_journalpost(
        case,
        Journalposttype.INNGAAANDE,
        SECRET,
        user,
        parties=[Party(Korrespondanseparttype.AVSENDAR, "Ola Hemmelegdal")],
        offentlig_tittel="Melding om ****** hjå ******",
    )
    services.add_skjerming(screened, "13", "Offl. § 13 jf. fvl. § 13", ["TR1", "NA"], user)
    services.register_journalpost(
        case,
        Journalposttype.UTGAAANDE,
        "Svar på søknad om løyve til garasje",
        user,
        parties=[Party(Korrespondanseparttype.MOTTAKAR, "Kari Nordmann")],
    )
    return {"application": application, "screened": screened}


@pytest.fixture
def check(axe_source: str, assert_accessible: Callable[[Page], None]) -> Callable[[Page], None]:
    def run(page: Page) -> None:
        assert_accessible(page)
        violations = run_axe(page, axe_source)
        if violations:
            pytest.fail(format_violations(page.url, violations), pytrace=False)
        size = page.viewport_size
        page.set_viewport_size(PHONE)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 360px"
        if size is not None:
            page.set_viewport_size(size)

    return run


def test_journal_page_is_accessible_and_never_shows_a_screened_title(
    page: Page, posts: dict[str, RegistryEntry], check: Callable[[Page], None]
) -> None:
    page.goto("/journal/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Offentleg journal")
    expect(page.get_by_text("Søknad om løyve til garasje", exact=True)).to_be_visible()
    expect(page.get_by_text("Melding om ****** hjå ******")).to_be_visible()
    expect(
        page.get_by_text("Unnateke offentlegheit etter Offl. § 13 jf. fvl. § 13")
    ).to_be_visible()
    content = page.content()
    assert "omsorgssvikt" not in content and "Hemmelegdal" not in content
    check(page)
    # The search options, opened, pass as well.
    page.get_by_text("Fleire søkjeval").click()
    check(page)


def test_find_a_post_ask_for_access_and_get_the_receipt(
    page: Page, posts: dict[str, RegistryEntry], check: Callable[[Page], None], settings: Any
) -> None:
    application = posts["application"]
    page.goto("/journal/")
    page.get_by_label("Søk i journalen").fill("søknad garasje")
    page.get_by_role("search").get_by_role("button", name="Søk").click()
    expect(page.get_by_role("heading", name="Søkjeresultat")).to_be_visible()
    results = page.locator(".journal-entry")
    expect(results).to_have_count(2)  # the application and the answer, not the screened post
    check(page)

    entry = page.locator(f"#post-{application.system_id}")
    entry.get_by_role("link", name=re.compile(r"^Be om innsyn")).click()
    expect(page).to_have_url(re.compile(rf"/journal/innsyn/{application.system_id}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Be om innsyn")
    expect(page.locator(".request-reference")).to_contain_text(application.registrerings_id)
    check(page)

    page.get_by_label("Namn").fill("Pål Journalist")
    page.get_by_label("E-post").fill("pal@example.no")
    page.get_by_role("button", name="Send innsynskravet").click()
    expect(page).to_have_url(re.compile(r"/kontakt/kvittering/[^/]+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Takk!")
    inquiry = Inquiry.objects.get()
    expect(page.locator(".receipt__reference")).to_have_text(inquiry.reference)
    assert inquiry.queue is not None and inquiry.queue.code == "innsyn"
    assert application.registrerings_id in inquiry.subject
    assert inquiry.due_date == calendar_from_settings().due_date(inquiry.received_at, 1)
    check(page)
