"""The Content-Security-Policy holds on the main public and staff pages: the browser reports
no violation in its console while a person uses them.

The policy (settings.SECURE_CSP) allows scripts, styles, fonts and images from the site
only, with no inline code. A template that gains an inline script or style attribute, or a
script that sets inline styles through HTML, shows up here as a console error.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from playwright.sync_api import ConsoleMessage, Page

from tenestetorget.contact.models import Inquiry
from tests.browser.conftest import Network
from tests.browser.test_inquiry_flow import PASSWORD, log_in
from tests.browser.test_layout import PUBLIC_PAGES, STAFF_PAGES, hard_inquiry

__all__ = ["hard_inquiry"]  # the fixture, used by name below

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BASE = Path(settings.BASE_DIR) / "tenestetorget"

#: What chromium writes when the policy blocks something (scripts, styles, eval, frames).
VIOLATION_WORDS = ("Content Security Policy", "Content-Security-Policy")


@pytest.fixture
def violations(page: Page) -> Iterator[list[str]]:
    """The CSP violations the page reports: console errors, and the DOM's own
    securitypolicyviolation events (installed before any page script runs)."""
    found: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if any(word in message.text for word in VIOLATION_WORDS):
            found.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.add_init_script(
        """document.addEventListener('securitypolicyviolation', (e) => {
             console.error(`Content Security Policy: ${e.violatedDirective} blocked `
                           + `${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
           });"""
    )
    yield found


def visit(page: Page, network: Network, path: str, status: int = 200) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.status == status, f"{path} answered {response.status}"
    assert "Content-Security-Policy" in response.headers or response.headers.get(
        "content-security-policy"
    ), f"{path} has no Content-Security-Policy"
    network.settle(page, quiet_ms=200)


def test_no_policy_violation_on_public_and_staff_pages(
    page: Page, network: Network, hard_inquiry: Inquiry, violations: list[str]
) -> None:
    for path in [*PUBLIC_PAGES, "/sok/?q=garasje"]:
        visit(page, network, path)
    visit(page, network, "/finst-ikkje/", status=404)

    log_in(page, "frontdesk")
    for path in [*STAFF_PAGES, f"/tenestetorget/henvending/{hard_inquiry.reference}/"]:
        visit(page, network, path)
    visit(page, network, "/tenestetorget/kunnskap/byggjesoknad-garasje/")

    # The phone note's scripts at work: the queue filter and the sender look-up (htmx).
    visit(page, network, "/tenestetorget/ny/")
    page.get_by_label("Søk i fagområde").fill("snø")
    page.get_by_label("Namn", exact=False).first.fill("Statsforvaltaren")
    network.settle(page)

    # An article's editor and Django's admin, for the administrator.
    page.context.clear_cookies()
    get_user_model().objects.create_superuser("admin", "admin@demo.kommune.no", PASSWORD)
    log_in(page, "admin")
    for path in (
        "/tenestetorget/kunnskap/byggjesoknad-garasje/endre/",
        "/admin/",
        "/admin/organisation/queue/",
        "/admin/organisation/queue/1/change/",
    ):
        visit(page, network, path)
    assert violations == [], "\n".join(violations)


def test_the_check_sees_a_violation(page: Page, network: Network, violations: list[str]) -> None:
    # A page that breaks the policy on purpose must fail the check above.
    visit(page, network, "/finst-ikkje/", status=404)
    page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.ran = true'; document.body.append(s); }"""
    )
    page.wait_for_timeout(200)
    assert not page.evaluate("() => window.ran === true")
    assert violations, "an inline script ran or was not reported"
