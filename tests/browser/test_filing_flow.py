"""End to end in a real browser: a case officer files an inquiry with screening from the
inquiry page (the «Arkiver» panel), follows the link to the journal post and back, and
answers it; the incoming post leaves the restanse list. Then, logged out, the public finds the
post in the public journal with the screened words as ******, and asks for access with one
click. Each page is checked with axe-core."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from tenestetorget.contact import services
from tenestetorget.contact.filing import incoming_filing
from tenestetorget.contact.models import Inquiry
from tenestetorget.core.calendar import calendar_from_settings
from tenestetorget.organisation.models import Channel, Role, StaffProfile, Unit
from tenestetorget.organisation.services import load_organisation
from tenestetorget.records import services as records
from tenestetorget.records.models import WriteOff
from tenestetorget.records.selectors import restanse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Tenestetorget-test-2026"
QUEUES_YAML = Path(settings.BASE_DIR) / "tenestetorget" / "demo" / "data" / "queues.yaml"


def make_staff(username: str, first: str, unit_code: str, role: str) -> Any:
    user = get_user_model().objects.create_user(
        username, f"{username}@demo.kommune.no", PASSWORD, first_name=first, last_name="Test"
    )
    StaffProfile.objects.create(user=user, unit=Unit.objects.get(code=unit_code), role=role)
    return user


def test_an_officer_files_a_screened_inquiry_and_answers_it(
    page: Page, assert_accessible: Callable[[Page], None]
) -> None:
    load_organisation(QUEUES_YAML)  # helse files always; vatn_avlop by choice
    officer = make_staff("teknikar", "Tor", "teknisk", Role.CASE_OFFICER)
    archivist = make_staff("arkivar", "Arna", "arkiv", Role.ARCHIVIST)
    fonds = records.create_archive("Vinje kommune", [("974760673", "Vinje kommune")], archivist)
    records.create_series(fonds, "Sakarkiv 2026–2029", archivist)
    inquiry = services.register_inquiry(
        channel=Channel.EMAIL,
        subject="Vasslekkasje hjå Kari Nordmann",
        body="Det lek frå kummen ved huset.",
        sender=services.SenderData(name="Kari Nordmann", email="kari@example.no"),
        queue="vatn_avlop",
    )

    page.goto("/login/")
    page.get_by_label("Brukarnamn").fill("teknikar")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(re.compile(r"/tenestetorget/$"))

    page.goto(f"/tenestetorget/henvending/{inquiry.reference}/?handling=file")
    panel = page.locator("details#file")
    expect(panel).to_have_attribute("open", "")
    assert_accessible(page)
    panel.get_by_label("Skjerm (unnateke frå offentlegheit)").check()
    panel.get_by_label("Offentleg tittel").fill("Vasslekkasje hjå ******")
    panel.get_by_role("button", name="Arkiver").click()

    filed = incoming_filing(inquiry)
    assert filed is not None
    entry = filed.registry_entry
    expect(page.get_by_text(f"Arkivert som {entry.registrerings_id}.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=f"Journalpost {entry.registrerings_id}").click()
    expect(page).to_have_url(re.compile(rf"/arkiv/journalpost/{entry.pk}/$"))
    page.get_by_role("link", name=f"Henvending {inquiry.reference}").click()
    expect(page).to_have_url(re.compile(rf"/henvending/{inquiry.reference}/$"))

    page.locator("details#answer").get_by_label("Svar til avsendaren").fill(
        "Ein røyrleggjar kjem tysdag."
    )
    page.get_by_role("button", name="Send svar").click()
    expect(page.get_by_text("Svaret er sendt til kari@example.no.")).to_be_visible()
    written = WriteOff.objects.get(registry_entry=entry)
    assert written.avskrivningsmaate == "BE"
    assert officer.pk == written.answered_by.saksbehandler_user_id
    assert not [row for row in restanse(officer) if row.pk == entry.pk]

    # The public journal: the post is there, screened; the full title and the name are not.
    page.context.clear_cookies()
    page.goto("/journal/")
    page.get_by_label("Søk i journalen").fill("vasslekkasje")
    page.get_by_role("search").get_by_role("button", name="Søk").click()
    post = page.locator(f"#post-{entry.system_id}")
    expect(post).to_contain_text("Vasslekkasje hjå ******")
    expect(post).to_contain_text(entry.registrerings_id)
    content = page.content()
    assert "Kari Nordmann" not in content and "kari@example.no" not in content
    assert_accessible(page)

    post.get_by_role("link", name=re.compile(r"^Be om innsyn")).click()
    expect(page.locator(".request-reference")).to_contain_text(entry.registrerings_id)
    page.get_by_label("Namn").fill("Pål Journalist")
    page.get_by_label("E-post").fill("pal@example.no")
    page.get_by_role("button", name="Send innsynskravet").click()
    expect(page).to_have_url(re.compile(r"/kontakt/kvittering/[^/]+/$"))
    request = Inquiry.objects.get(queue__code="innsyn", sender_email="pal@example.no")
    assert entry.registrerings_id in request.subject
    assert "Kari Nordmann" not in request.subject + request.body
    assert request.due_date == calendar_from_settings().due_date(request.received_at, 1)
