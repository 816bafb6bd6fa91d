"""The archive pages in a real browser: the archivist registers a letter that came on paper
(a scanned PDF), finds it in the restanse list, writes it off, sees the list empty, closes
the case and then the period. Every page on the way is checked with axe-core."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tenestetorget.organisation.models import Role, Unit
from tenestetorget.records import services
from tenestetorget.records.models import CaseFolder, RegistryEntry, Series, WriteOff
from tests.browser.conftest import open_panel
from tests.browser.test_inquiry_flow import field, log_in, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def archivist() -> Any:
    for code, name in [("arkiv", "Arkiv"), ("plan_bygg", "Plan og bygg")]:
        Unit.objects.create(code=code, name=name)
    user = make_staff("arkivar", "Aud", "Arkivar", "arkiv", Role.ARCHIVIST)
    k_codes = services.create_classification_system("KS K-kodar", user, "K-kodar")
    services.create_class(k_codes, "614", "Byggjesaker", user)
    fonds = services.create_archive("Vinje kommune", [("974760673", "Vinje kommune")], user)
    services.create_series(fonds, "Sakarkiv 2026–2029", user, k_codes)
    return user


def test_paper_letter_to_closed_period(
    page: Page, assert_accessible: Callable[[Page], None], archivist: Any, tmp_path: Path
) -> None:
    scan = tmp_path / "skanna-brev.pdf"
    scan.write_bytes(PDF)
    log_in(page, "arkivar")

    # --- register the letter ------------------------------------------------------------
    page.get_by_role("navigation", name="Hovudmeny").get_by_role("link", name="Arkiv").click()
    expect(page).to_have_url(re.compile(r"/arkiv/$"))
    assert_accessible(page)
    page.get_by_role("navigation", name="Arkiv").get_by_role("link", name="Registrer post").click()
    assert_accessible(page)
    page.get_by_label(field("Type")).select_option("I")
    page.get_by_label(field("Tittel på ny sak")).fill("Byggjesak Fjellvegen 3")
    page.get_by_label(field("Klasse for ny sak")).select_option(label="614 Byggjesaker")
    page.get_by_label(field("Tittel på journalposten")).fill("Søknad om tilbygg")
    page.get_by_label(field("Motteke")).fill("2026-12-01")
    page.get_by_label(field("Avsendar eller mottakar")).fill("Kari Nordmann")
    page.get_by_label(field("Poststad")).fill("Vinje")
    page.get_by_label(field("Eining")).select_option(label="Plan og bygg")
    page.get_by_label(field("Dokument")).set_input_files(str(scan))
    page.get_by_role("button", name="Registrer", exact=True).click()

    expect(page).to_have_url(re.compile(r"/arkiv/journalpost/\d+/$"))
    entry = RegistryEntry.objects.select_related("case_folder").get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(entry.registrerings_id)
    expect(page.get_by_text("Kari Nordmann")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Opne"))).to_have_count(1)
    assert_accessible(page)
    assert entry.documents.get().document_objects.get().stored_file is not None

    # --- it is in the restanse list; write it off -------------------------------------------
    page.get_by_role("navigation", name="Hovudmeny").get_by_role("link", name="1 restanse").click()
    expect(page).to_have_url(re.compile(r"/arkiv/restansar/"))
    assert_accessible(page)
    page.get_by_role("link", name=entry.registrerings_id).click()
    expect(page).to_have_url(re.compile(rf"/arkiv/journalpost/{entry.pk}/$"))
    open_panel(page, "Skriv av")
    page.get_by_label(field("Avskrivingsmåte")).select_option("TE")
    page.get_by_role("button", name="Skriv av").click()
    expect(page.get_by_text("Journalposten er avskriven")).to_be_visible()
    assert_accessible(page)
    assert WriteOff.objects.get(registry_entry=entry).avskrivningsmaate == "TE"

    page.get_by_role("navigation", name="Arkiv").get_by_role("link", name="Restansar").click()
    expect(page.get_by_text("Ingen restansar.").first).to_be_visible()
    expect(
        page.get_by_role("navigation", name="Hovudmeny").get_by_role("link", name="1 restanse")
    ).to_have_count(0)

    # --- the period cannot close while the case is open ------------------------------------
    page.get_by_role("navigation", name="Arkiv").get_by_role("link", name="Periodar").click()
    assert_accessible(page)
    page.get_by_role("button", name="Avslutt perioden").click()
    alert = page.locator("#blocking")
    expect(alert).to_contain_text(entry.case_folder.mappe_id)
    assert_accessible(page)

    # --- close the case from the refusal's link, then the period ----------------------------
    alert.get_by_role("link", name=entry.case_folder.mappe_id).click()
    expect(page).to_have_url(re.compile(r"/arkiv/sak/\d+/$"))
    assert_accessible(page)
    page.get_by_label(field("Ny saksstatus")).select_option("A")
    page.get_by_role("button", name="Avslutt saka").click()
    expect(page.get_by_text("Saka er sett til «Avslutta»")).to_be_visible()
    assert CaseFolder.objects.get().saksstatus == "A"

    page.get_by_role("navigation", name="Arkiv").get_by_role("link", name="Periodar").click()
    page.get_by_role("button", name="Avslutt perioden").click()
    expect(page.get_by_text("er avslutta").first).to_be_visible()
    assert_accessible(page)
    series = Series.objects.get()
    assert series.arkivdelstatus == "P"
    assert series.avsluttet_av == "Aud Arkivar"
