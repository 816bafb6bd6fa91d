"""The «Arkiver» form on the inquiry page: who sees it, filing a new or existing case,
screening, errors that keep what was typed, and the links between inquiry and journal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tenestetorget.contact import filing
from tenestetorget.contact.models import Inquiry, InquiryFiling
from tenestetorget.organisation.models import FilingPolicy, Queue
from tenestetorget.records import services as records
from tenestetorget.records.models import ArkivdelStatus, Screening, Series


@pytest.fixture
def archive(staff: dict[str, Any]) -> Series:
    archivist = staff["archivist"]
    fonds = records.create_archive("Vinje kommune", [("974760673", "Vinje kommune")], archivist)
    return records.create_series(fonds, "Sakarkiv 2026–2029", archivist)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(user: Any, inquiry: Inquiry) -> str:
    response = client_for(user).get(f"/tenestetorget/henvending/{inquiry.reference}/")
    assert response.status_code == 200
    return response.content.decode()


def post(user: Any, inquiry: Inquiry, **data: str) -> Any:
    fields = {f"file-{name}": value for name, value in data.items()}
    return client_for(user).post(f"/tenestetorget/henvending/{inquiry.reference}/arkiver/", fields)


def test_only_those_who_keep_records_in_the_unit_see_the_form(
    register: Callable[..., Inquiry], staff: dict[str, Any], archive: Series
) -> None:
    inquiry = register()  # vatn_avlop: teknisk
    assert 'action="/tenestetorget/henvending/' in page(staff["tech"], inquiry)
    assert "/arkiver/" in page(staff["tech"], inquiry)
    assert "/arkiver/" in page(staff["archivist"], inquiry)
    assert "/arkiver/" not in page(staff["front"], inquiry)
    assert "/arkiver/" in page(staff["admin"], inquiry)
    response = post(staff["front"], inquiry, new_case_title="X")
    assert response.status_code == 403
    assert not InquiryFiling.objects.exists()


def test_a_queue_that_never_files_shows_no_form(
    register: Callable[..., Inquiry], staff: dict[str, Any], archive: Series
) -> None:
    Queue.objects.filter(code="vatn_avlop").update(filing=FilingPolicy.NEVER)
    assert "/arkiver/" not in page(staff["tech"], register())


def test_filing_in_a_new_case_from_the_page(
    register: Callable[..., Inquiry], staff: dict[str, Any], archive: Series
) -> None:
    inquiry = register()
    assert 'value="Vasslekkasje ved hytta"' in page(staff["tech"], inquiry)  # title prefilled
    client = client_for(staff["tech"])
    response = client.post(
        f"/tenestetorget/henvending/{inquiry.reference}/arkiver/",
        {"file-new_case_title": "Vasslekkasje, Haukeli"},
        follow=True,
    )
    assert response.redirect_chain[-1][1] == 302
    filed = filing.incoming_filing(inquiry)
    assert filed is not None
    entry = filed.registry_entry
    assert entry.case_folder.tittel == "Vasslekkasje, Haukeli"
    html = response.content.decode()
    assert f"Arkivert som {entry.registrerings_id}." in html  # the message
    assert f'href="/arkiv/journalpost/{entry.pk}/"' in html  # timeline and facts link there
    assert "/arkiver/" not in html  # once only


def test_filing_in_an_existing_case_and_errors_that_keep_the_input(
    register: Callable[..., Inquiry], staff: dict[str, Any], archive: Series
) -> None:
    first = filing.file_inquiry(register(), staff["tech"]).registry_entry
    inquiry = register(subject="Meir om kummen")
    assert f'<option value="{first.case_folder.mappe_id}">' in page(staff["tech"], inquiry)

    wrong = post(staff["tech"], inquiry, case_number="2026/999", new_case_title="Eigen tittel")
    assert wrong.status_code == 400
    html = wrong.content.decode()
    assert "Fann inga open sak med saksnummer «2026/999»" in html
    assert 'value="Eigen tittel"' in html
    assert "<details" in html and 'id="file" open' in html

    right = post(staff["tech"], inquiry, case_number=first.case_folder.mappe_id)
    assert right.status_code == 302
    filed = filing.incoming_filing(inquiry)
    assert filed is not None
    assert filed.registry_entry.case_folder == first.case_folder


def test_screened_filing_from_the_page(
    register: Callable[..., Inquiry], staff: dict[str, Any], archive: Series
) -> None:
    inquiry = register(subject="Heimesjukepleie for Kari Nordmann")
    response = post(
        staff["tech"],
        inquiry,
        screen="on",
        tilgangsrestriksjon="13",
        skjermingshjemmel="Offl. § 13 jf. fvl. § 13",
        offentlig_tittel="Heimesjukepleie for ******",
        screen_name="on",
    )
    assert response.status_code == 302
    filed = filing.incoming_filing(inquiry)
    assert filed is not None
    assert filed.registry_entry.offentlig_tittel == "Heimesjukepleie for ******"
    assert Screening.objects.filter(registry_entry=filed.registry_entry).exists()


def test_a_screening_without_its_basis_is_refused_next_to_the_field(
    register: Callable[..., Inquiry], staff: dict[str, Any], archive: Series
) -> None:
    inquiry = register()
    response = post(
        staff["tech"],
        inquiry,
        screen="on",
        tilgangsrestriksjon="13",
        skjermingshjemmel="",
        offentlig_tittel="Vasslekkasje ved ******",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Skriv heimelen" in html
    assert 'value="Vasslekkasje ved ******"' in html
    assert not InquiryFiling.objects.exists()


def test_without_an_active_period_the_page_says_what_to_do(
    register: Callable[..., Inquiry], staff: dict[str, Any], archive: Series
) -> None:
    Series.objects.update(arkivdelstatus=ArkivdelStatus.AVSLUTTA)
    response = post(staff["tech"], register())
    assert response.status_code == 400
    assert "Be arkivaren opprette ein arkivdel" in response.content.decode()


def test_the_journal_post_page_links_back_to_the_inquiry(
    register: Callable[..., Inquiry], staff: dict[str, Any], archive: Series
) -> None:
    inquiry = register()
    entry = filing.file_inquiry(inquiry, staff["tech"]).registry_entry
    response = client_for(staff["tech"]).get(f"/arkiv/journalpost/{entry.pk}/")
    assert response.status_code == 200
    assert f'href="/tenestetorget/henvending/{inquiry.reference}/"' in response.content.decode()
