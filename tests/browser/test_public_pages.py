"""The public pages in a real browser: home, search, results, the catalogue, a life
situation, a service and an article page and the contact form, in Nynorsk and in English.

Every page is checked with axe-core: the shared check fails on serious and critical
violations, and these pages are held to none at all. Keyboard use is walked through as a
person would: Tab to the search field, type, Enter, Tab to the first result, Enter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page, ViewportSize, expect

from tenestetorget.knowledge.services import load_content
from tenestetorget.organisation.models import Channel, Queue, ServiceGuarantee
from tenestetorget.organisation.services import load_organisation
from tests.browser.conftest import format_violations, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BASE = Path(settings.BASE_DIR) / "tenestetorget"
QUEUES = BASE / "demo" / "data" / "queues.yaml"
CONTENT = BASE / "knowledge" / "tests" / "content"
SERVICE_URL = "/teneste/byggjesoknad-garasje/"
SERVICE_TITLE = "Søknad om løyve til å byggje garasje"
#: Small phone screens: the pages are laid out mobile first.
PHONE: ViewportSize = {"width": 360, "height": 740}


@pytest.fixture
def knowledge() -> None:
    load_organisation(QUEUES)
    load_content(CONTENT)
    ServiceGuarantee.objects.create(
        queue=Queue.objects.get(code="byggjesak"), channel=Channel.EMAIL, answer_working_days=2
    )


@pytest.fixture
def check(axe_source: str, assert_accessible: Callable[[Page], None]) -> Callable[[Page], None]:
    """The shared axe-core check (serious and critical), then no violation of any impact,
    and no sideways scrolling on a phone-sized screen."""

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


def focused(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {
                id: el.id, tag: el.tagName.toLowerCase(), href: el.getAttribute('href'),
                text: (el.textContent || '').trim(),
                ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
                      || style.boxShadow !== 'none',
            };
        }"""
    )
    return result


def tab_until(page: Page, wanted: Callable[[dict[str, Any]], bool], limit: int = 60) -> dict:
    """Press Tab until the focused element is the wanted one; fail if it never comes."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if wanted(now):
            return now
        seen.append(now.get("id") or now.get("href") or now.get("text") or now.get("tag"))
    pytest.fail(f"never reached by Tab on {page.url}; focus went: {seen}", pytrace=False)


def test_public_pages_in_nynorsk(page: Page, knowledge: None, check: Callable) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Velkomen til Tenestetorget")
    expect(page.get_by_role("search")).to_be_visible()
    expect(page.get_by_role("link", name="Bustad, bygg og eigedom")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("link", name="35 00 00 00")).to_be_visible()
    check(page)

    # Search: the field and the button.
    page.get_by_label("Kva leiter du etter?").fill("garasje")
    page.get_by_role("search").get_by_role("button", name="Søk").click()
    expect(page).to_have_url(re.compile(r"/sok/\?q=garasje$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Søkjeresultat")
    expect(page.get_by_role("link", name=SERVICE_TITLE)).to_be_visible()
    check(page)

    # The service page.
    page.get_by_role("link", name=SERVICE_TITLE).click()
    expect(page).to_have_url(re.compile(re.escape(SERVICE_URL) + "$"))
    for section in (
        "Kva er tenesta",
        "Kven kan bruke tenesta",
        "Korleis søkjer du",
        "Pris",
        "Tenestegaranti",
        "Lovgrunnlag",
        "Kontakt",
    ):
        expect(page.get_by_role("heading", name=section, exact=True)).to_be_visible()
    expect(page.get_by_text("E-post: svar innan 2 arbeidsdagar")).to_be_visible()
    check(page)

    # Its inquiry link opens the contact form with the topic chosen.
    page.get_by_role("link", name="Skriv til oss om denne tenesta").click()
    expect(page).to_have_url(re.compile(r"/kontakt/\?tema=byggjesak$"))
    expect(page.get_by_label(re.compile(r"^Kva gjeld det"))).to_have_value("byggjesak")
    check(page)

    # The catalogue and a life situation.
    page.get_by_role("navigation", name="Hovudmeny").get_by_role("link", name="Tenester").click()
    expect(page).to_have_url(re.compile(r"/tenester/$"))
    expect(page.get_by_role("heading", name="Etter tema")).to_be_visible()
    check(page)
    page.get_by_role("main").get_by_role("link", name="Bustad, bygg og eigedom").first.click()
    expect(page).to_have_url(re.compile(r"/tenester/bustad-og-eigedom/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bustad, bygg og eigedom")
    check(page)

    # An article, and the searches that find nothing.
    page.get_by_role("link", name="Kva kan eg byggje utan å søkje?").click()
    expect(page.get_by_role("heading", level=2, name="Svar")).to_be_visible()
    check(page)
    for query in ("flyplass", "og i på", "<b>'; DROP TABLE x; --</b>", ""):
        page.goto("/sok/?" + ("q=" + query if query else ""))
        expect(page.get_by_role("heading", level=1)).to_have_text("Ingen treff" if query else "Søk")
        expect(page.get_by_role("link", name="Gå til kontaktskjemaet")).to_be_visible()
        check(page)


def test_public_pages_in_english(page: Page, knowledge: None, check: Callable) -> None:
    page.goto("/")
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Byt språk").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Services by life situation")).to_be_visible()
    check(page)

    page.get_by_label("What are you looking for?").fill("garage")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search results")
    check(page)

    # No English version: the Nynorsk text, marked up as Nynorsk, with a note.
    page.goto(SERVICE_URL)
    expect(page.get_by_text("This page has not been translated yet")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_attribute("lang", "nn")
    expect(page.get_by_role("heading", name="What the service is")).to_be_visible()
    check(page)

    page.goto("/tenester/")
    expect(page.get_by_role("heading", name="By topic")).to_be_visible()
    check(page)


def test_keyboard_only_from_search_to_a_service(page: Page, knowledge: None) -> None:
    page.goto("/")
    # The first Tab reaches the skip link, and it leads to the content.
    page.keyboard.press("Tab")
    skip = focused(page)
    assert skip["href"] == "#main" and skip["ring"], skip
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"

    search_field = tab_until(page, lambda f: f["id"] == "search-q")
    assert search_field["ring"], "the search field shows no focus"
    page.keyboard.type("garasje")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/sok/\?q=garasje$"))

    first = tab_until(page, lambda f: f["href"] == SERVICE_URL)
    assert first["ring"], "the result link shows no focus"
    assert first["text"] == SERVICE_TITLE
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(SERVICE_URL) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(SERVICE_TITLE)

    # And on to the contact form with the topic chosen, still by keyboard.
    tab_until(page, lambda f: (f["href"] or "").startswith("/kontakt/?tema="))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/kontakt/\?tema=byggjesak$"))
