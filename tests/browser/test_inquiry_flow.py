"""End to end in a real browser: the front desk registers a phone inquiry and forwards it to
the technical unit; a technical officer acknowledges and answers it, and the answer e-mail is
in the outbox. Every page visited is checked with axe-core on the way."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import Page, expect

from tenestetorget.contact.models import (
    Handover,
    Inquiry,
    MessageKind,
    MessageStatus,
    OutgoingMessage,
    Status,
)
from tenestetorget.organisation.models import Channel, Role, StaffProfile, Unit
from tenestetorget.organisation.services import load_organisation
from tests.browser.conftest import Network, open_panel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Tenestetorget-test-2026"
QUEUES_YAML = Path(settings.BASE_DIR) / "tenestetorget" / "demo" / "data" / "queues.yaml"
ANSWER = (
    "Vi har sjekka trykket i området. Ein røyrleggjar kjem til deg tysdag mellom 8 og 10 "
    "og skiftar reduksjonsventilen."
)


def field(text: str) -> re.Pattern[str]:
    """A label that starts with `text`: optional fields add "(valfritt)" to their label, and
    Playwright's plain substring match would also find e.g. "Søk i fagområde"."""
    return re.compile(rf"^{re.escape(text)}(\s|$)")


def make_staff(username: str, first: str, last: str, unit_code: str, role: str) -> Any:
    user = get_user_model().objects.create_user(
        username, f"{username}@demo.kommune.no", PASSWORD, first_name=first, last_name=last
    )
    StaffProfile.objects.create(user=user, unit=Unit.objects.get(code=unit_code), role=role)
    return user


@pytest.fixture
def staff() -> dict[str, Any]:
    load_organisation(QUEUES_YAML)
    return {
        "front_desk": make_staff(
            "frontdesk", "Frida", "Fyrstelina", "tenestetorget", Role.FRONT_DESK
        ),
        "officer": make_staff("teknikar", "Tor", "Teknikar", "teknisk", Role.CASE_OFFICER),
    }


def log_in(page: Page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("Brukarnamn").fill(username)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(re.compile(r"/tenestetorget/$"))


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Logg ut").click()
    page.context.clear_cookies()


def test_phone_inquiry_forwarded_acknowledged_answered(
    page: Page,
    network: Network,
    assert_accessible: Callable[[Page], None],
    staff: dict[str, Any],
) -> None:
    # --- the front desk takes a phone call --------------------------------------------------
    log_in(page, "frontdesk")
    assert_accessible(page)  # the inbox

    page.get_by_role("navigation", name="Hovudmeny").get_by_role(
        "link", name="Ny henvending"
    ).click()
    expect(page).to_have_url(re.compile(r"/tenestetorget/ny/$"))
    assert_accessible(page)

    expect(page.get_by_label(field("Kanal"))).to_have_value(Channel.PHONE)
    page.get_by_label(field("Namn")).fill("Ola Nordmann")
    page.get_by_label(field("Telefon")).fill("912 34 567")
    page.get_by_label(field("E-post")).fill("ola.nordmann@example.org")
    page.get_by_label(field("Emne")).fill("Lågt vasstrykk i Storgata")
    page.get_by_label(field("Tekst")).fill(
        "Innbyggjaren har hatt lågt vasstrykk sidan måndag, verst om morgonen."
    )
    # Not routed yet: the front desk forwards it on the inquiry page.
    expect(page.get_by_label(field("Fagområde"))).to_have_value("")
    expect(page.get_by_label(field("Løyst i fyrstelina"))).not_to_be_checked()
    # Typing the sender looks up earlier senders in the background (htmx); let it finish
    # before submitting, as a person reading the suggestions would. (Besides, SQLite's
    # in-memory test database locks a table that two requests use at once.)
    network.settle(page)
    page.get_by_role("button", name="Registrer henvending").click()

    expect(page).to_have_url(re.compile(r"/tenestetorget/henvending/[^/]+/$"))
    reference = page.url.rstrip("/").rsplit("/", 1)[-1]
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    assert_accessible(page)

    inquiry = Inquiry.objects.select_related("sender").get(reference=reference)
    assert inquiry.channel == Channel.PHONE
    assert inquiry.sender.email == "ola.nordmann@example.org"
    assert inquiry.created_by == staff["front_desk"]
    assert inquiry.queue is None
    # A phone call gets no written acknowledgement; only the answer will go out.
    assert not OutgoingMessage.objects.filter(inquiry=inquiry).exists()

    # --- ... and forwards it to the technical unit ------------------------------------------
    # The actions are panels, one open at a time: the answer is open, forwarding is not.
    expect(page.get_by_label(field("Svar til avsendaren"))).to_be_visible()
    expect(page.get_by_label(field("Til fagområde"))).to_be_hidden()
    open_panel(page, "Send vidare")
    page.get_by_label(field("Til fagområde")).select_option("vatn_avlop")
    page.get_by_label(field("Merknad til mottakaren")).fill("Ho ringjer frå Storgata 12.")
    page.get_by_role("button", name="Send vidare").click()
    expect(page.get_by_text("Ho ringjer frå Storgata 12.").first).to_be_visible()
    assert_accessible(page)

    handover = Handover.objects.get(inquiry=inquiry)
    assert handover.to_queue.code == "vatn_avlop"
    assert handover.acknowledged_at is None
    inquiry.refresh_from_db()
    assert inquiry.status == Status.FORWARDED
    log_out(page)

    # --- the technical officer acknowledges and answers -------------------------------------
    log_in(page, "teknikar")
    page.get_by_role("link", name=reference).first.click()
    expect(page).to_have_url(re.compile(rf"/tenestetorget/henvending/{re.escape(reference)}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    assert_accessible(page)

    page.get_by_role("button", name="Stadfest motteke").click()
    expect(page.get_by_role("button", name="Stadfest motteke")).to_have_count(0)
    handover.refresh_from_db()
    assert handover.acknowledged_by == staff["officer"]
    inquiry.refresh_from_db()
    assert inquiry.status == Status.IN_PROGRESS
    assert inquiry.assigned_to == staff["officer"]

    page.get_by_label(field("Svar til avsendaren")).fill(ANSWER)
    page.get_by_role("button", name="Send svar").click()
    expect(page.get_by_role("button", name="Send svar")).to_have_count(0)
    assert_accessible(page)

    inquiry.refresh_from_db()
    assert inquiry.status == Status.CLOSED
    answer = OutgoingMessage.objects.get(inquiry=inquiry, kind=MessageKind.ANSWER)
    assert answer.status == MessageStatus.SENT
    assert answer.to_email == "ola.nordmann@example.org"
    # The handover told the receiving officer; the answer went to the sender.
    assert [m.to for m in mail.outbox] == [
        ["teknikar@demo.kommune.no"],
        ["ola.nordmann@example.org"],
    ]
    assert ANSWER in mail.outbox[-1].body

    # --- the answer e-mail is in the outbox -------------------------------------------------
    page.get_by_role("navigation", name="Hovudmeny").get_by_role("link", name="Utboks").click()
    expect(page).to_have_url(re.compile(r"/tenestetorget/utboks/$"))
    main = page.get_by_role("main")
    expect(main).to_contain_text("ola.nordmann@example.org")
    expect(main).to_contain_text(f"Svar på henvendinga di ({reference})")
    expect(main).to_contain_text("Ein røyrleggjar kjem til deg tysdag mellom 8 og 10")
    assert_accessible(page)
