"""No page scrolls sideways: the staff pages at the widths the front desk works at (1024,
1280 and 1366 px) and on a 375 px phone (technical staff read their inbox in the field), and
the public pages likewise. A wide table may scroll inside its own box; the page may not.

The inquiry page gets the hardest content there is: a long history, a 200-character URL in
the text, a long e-mail address and an unbroken subject. It is checked with axe-core too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page

from tenestetorget.contact import services
from tenestetorget.contact.models import Handover, Inquiry
from tenestetorget.knowledge.services import load_content
from tenestetorget.organisation.models import Channel, Queue, Role, ServiceGuarantee
from tenestetorget.organisation.services import load_organisation
from tests.browser.conftest import Network
from tests.browser.test_inquiry_flow import log_in, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BASE = Path(settings.BASE_DIR) / "tenestetorget"
QUEUES = BASE / "demo" / "data" / "queues.yaml"
CONTENT = BASE / "knowledge" / "tests" / "content"
WIDTHS = (1024, 1280, 1366, 375)
LONG_URL = "https://innsyn.kommune.no/" + "dokument-" * 20 + "x" * 14
LONG_EMAIL = "kari.nordmann.med.eit.svaert.langt.namn.som.aldri.sluttar@" + (
    "ein-kommune-med-eit-uvanleg-langt-domenenamn.example.no"
)
LONG_WORD = "Eigedomsskattetakstklagehandsamingsspørsmål" * 3


@pytest.fixture
def hard_inquiry() -> Inquiry:
    """Content that widens a careless layout, and enough rows for the lists."""
    load_organisation(QUEUES)
    load_content(CONTENT)
    ServiceGuarantee.objects.create(
        queue=Queue.objects.get(code="byggjesak"), channel=Channel.EMAIL, answer_working_days=2
    )
    front = make_staff("frontdesk", "Frida", "Fyrstelina", "tenestetorget", Role.FRONT_DESK)
    assert len(LONG_URL) >= 200
    inquiry = services.register_inquiry(
        channel=Channel.EMAIL,
        subject=LONG_WORD,
        body=f"Sjå {LONG_URL} for saka.\n\n" + "Eit avsnitt med vanleg tekst. " * 40,
        sender=services.SenderData(
            name="Kari " + "Nordmann-" * 8 + "Haugen", email=LONG_EMAIL, phone="91234567"
        ),
        queue="eigedomsskatt",
        actor=front,
    )
    queues = ["veg", "vatn_avlop", "byggjesak", "eigedomsskatt"]
    for i in range(16):
        services.add_note(inquiry, front, f"Merknad {i}: {LONG_URL} {LONG_WORD}")
        if i % 4 == 0:
            services.forward_inquiry(
                inquiry,
                front,
                to_queue=Queue.objects.get(code=queues[i // 4]),
                note=f"Sjå {LONG_URL}",
            )
    # A handover nobody acknowledged, for the attention list on the inbox.
    Handover.objects.filter(inquiry=inquiry, acknowledged_at__isnull=True).update(
        created_at=timezone.now() - dt.timedelta(days=14)
    )
    for i in range(12):
        services.register_inquiry(
            channel=[Channel.PHONE, Channel.WEBFORM, Channel.SOCIAL][i % 3],
            subject=f"Spørsmål {i} om {LONG_WORD[: 20 + i * 3]}",
            body="Kort tekst.",
            sender=services.SenderData(
                name=f"Statsforvaltaren i Vestland {i}", phone=f"5557{i:04d}"
            ),
            queue=[None, "veg", "renovasjon"][i % 3],
            actor=front,
        )
    return inquiry


def overflow(page: Page) -> int:
    """How far the page scrolls sideways (0 when it does not)."""
    result: int = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    return result


def widest(page: Page) -> str:
    """The elements that reach past the right edge and are not inside a scroll box: what to
    look at when the check fails."""
    found: list[str] = page.evaluate(
        """() => {
        const W = window.innerWidth, out = [];
        for (const el of document.querySelectorAll('body *')) {
          const inBox = el.closest('.table-scroll');
          if (inBox && getComputedStyle(el).position !== 'absolute') continue;
          const r = el.getBoundingClientRect();
          const name = `${el.tagName.toLowerCase()}.${el.className}`;
          if (r.right > W + 1) out.push(`${name} ${Math.round(r.right)}px`);
        }
        return out.slice(0, 8);
      }"""
    )
    return "; ".join(found)


def check_widths(page: Page, network: Network, path: str, failures: list[str]) -> None:
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    page.goto(path)
    network.settle(page, quiet_ms=200)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(50)
        extra = overflow(page)
        if extra > 0:
            failures.append(f"{path} at {width}px scrolls sideways by {extra}px: {widest(page)}")


STAFF_PAGES = [
    "/tenestetorget/",
    "/tenestetorget/ny/",
    "/tenestetorget/statistikk/",
    "/tenestetorget/sok/?q=Statsforvaltaren",
    "/tenestetorget/utboks/",
    "/tenestetorget/tenestegarantiar/",
    "/tenestetorget/manglande-svar/",
    "/tenestetorget/kunnskap/",
]
PUBLIC_PAGES = ["/", "/kontakt/", "/teneste/byggjesoknad-garasje/", "/tenestegarantiar/"]


def test_no_page_scrolls_sideways(page: Page, network: Network, hard_inquiry: Inquiry) -> None:
    failures: list[str] = []
    for path in PUBLIC_PAGES:
        check_widths(page, network, path, failures)
    log_in(page, "frontdesk")
    inquiry_page = f"/tenestetorget/henvending/{hard_inquiry.reference}/"
    for path in [inquiry_page, *STAFF_PAGES]:
        check_widths(page, network, path, failures)
    assert not failures, "\n".join(failures)


def test_inquiry_page_is_accessible_at_desk_and_phone_width(
    page: Page,
    network: Network,
    hard_inquiry: Inquiry,
    assert_accessible: Callable[[Page], None],
) -> None:
    log_in(page, "frontdesk")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/tenestetorget/henvending/{hard_inquiry.reference}/")
        network.settle(page, quiet_ms=200)  # the knowledge suggestions load after the page
        assert_accessible(page)
    # The inbox's table scrolls inside a named, focusable box on the phone.
    page.goto("/tenestetorget/")
    box = page.get_by_role("region", name="Henvendingar")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.table-scroll').scrollLeft > 0", timeout=2000
    )
    assert overflow(page) <= 0
    assert_accessible(page)
