"""The journal post page: what it shows, who may open it, and each action with its refusals."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from tenestetorget.core import documents
from tenestetorget.organisation.models import Role, StaffProfile, Unit
from tenestetorget.records import access, links, services
from tenestetorget.records.models import (
    Annotation,
    CaseFolder,
    Dokumentstatus,
    Journalposttype,
    Korrespondanseparttype,
    RegistryEntry,
    Screening,
    WriteOff,
)
from tenestetorget.records.services import Party

pytestmark = pytest.mark.django_db

Register = Callable[..., RegistryEntry]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def colleague(units: dict[str, Unit]) -> Any:
    """A second case officer in Plan og bygg: same unit, not the post's officer."""
    user = get_user_model().objects.create_user(
        username="kollega", password="demo", first_name="Kollega", last_name="Test"
    )
    StaffProfile.objects.create(user=user, unit=units["plan_bygg"], role=Role.CASE_OFFICER)
    return user


@pytest.fixture
def letter(register: Register, staff: Any) -> RegistryEntry:
    """An incoming letter with a scanned PDF as its main document."""
    entry = register(tittel="Søknad om bygging av garasje")
    document = services.add_dokument(entry, "Søknad", staff["builder"])
    stored = documents.store(ContentFile(PDF, name="skann.pdf"), actor=staff["builder"])
    services.add_dokumentobjekt_from_file(document, staff["builder"], stored)
    return entry


@pytest.fixture
def source_link() -> Iterator[None]:
    def resolver(ids: list[int]) -> dict[int, links.SourceLink]:
        return {pk: links.SourceLink(f"Førespurnad {pk}", f"/x/{pk}/") for pk in ids}

    links.register_source_resolver(resolver)
    yield
    links._resolvers.remove(resolver)


def test_the_page_shows_the_post(
    letter: RegistryEntry, staff: Any, source_link: None, case: CaseFolder
) -> None:
    response = client_for(staff["builder"]).get(reverse("records:entry", args=[letter.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert letter.registrerings_id in page
    assert "Søknad om bygging av garasje" in page
    assert f"{letter.journalaar}/{letter.journalsekvensnummer}" in page
    assert "Kari Nordmann" in page
    assert reverse("records:case", args=[case.pk]) in page
    assert f"Førespurnad {letter.pk}" in page
    obj = letter.documents.get().document_objects.get()
    assert reverse("records:download", args=[obj.pk]) in page
    assert "Ikkje avskriven" in page


def test_the_file_is_served_checked_and_sandboxed(letter: RegistryEntry, staff: Any) -> None:
    obj = letter.documents.get().document_objects.get()
    response = client_for(staff["archivist"]).get(reverse("records:download", args=[obj.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_damaged_file_is_not_served(letter: RegistryEntry, staff: Any) -> None:
    obj = letter.documents.get().document_objects.select_related("stored_file").get()
    with documents.storage().open(obj.stored_file.storage_name, "wb") as handle:
        handle.write(b"%PDF-1.4 changed")
    response = client_for(staff["archivist"]).get(reverse("records:download", args=[obj.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["tech", "front"])
def test_others_do_not_see_it(letter: RegistryEntry, staff: Any, who: str) -> None:
    client = client_for(staff[who])
    obj = letter.documents.get().document_objects.get()
    expected = 404 if who == "tech" else 403
    assert client.get(reverse("records:entry", args=[letter.pk])).status_code == expected
    assert client.get(reverse("records:download", args=[obj.pk])).status_code == expected
    response = client.post(
        reverse("records:entry_annotate", args=[letter.pk]), {"note-merknadstekst": "Hei"}
    )
    assert response.status_code == expected
    assert not Annotation.objects.exists()


def test_anonymous_goes_to_the_login(letter: RegistryEntry) -> None:
    response = Client().get(reverse("records:entry", args=[letter.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_journalstatus_step_and_refusal(letter: RegistryEntry, staff: Any) -> None:
    client = client_for(staff["builder"])
    url = reverse("records:entry_status", args=[letter.pk])
    # Archiving with a document not finished: refused, with the service's reason.
    response = client.post(url, {"status-journalstatus": "A"})
    assert response.status_code == 400
    assert "Alle dokumenta må vere ferdigstilte" in response.content.decode()
    letter.refresh_from_db()
    assert letter.journalstatus == "J"
    response = client.post(url, {"status-journalstatus": "E"}, follow=True)
    assert "Journalstatus er no «Ekspedert»" in response.content.decode()
    letter.refresh_from_db()
    assert letter.journalstatus == "E"
    # Backwards is no choice at all.
    response = client.post(url, {"status-journalstatus": "J"})
    assert response.status_code == 400
    # The change is in the page's change log.
    page = client.get(reverse("records:entry", args=[letter.pk])).content.decode()
    assert "journalstatus" in page


def test_finishing_a_document(letter: RegistryEntry, staff: Any) -> None:
    client = client_for(staff["builder"])
    document = letter.documents.get()
    finish = reverse("records:document_finish", args=[letter.pk, document.pk])
    assert finish in client.get(reverse("records:entry", args=[letter.pk])).content.decode()
    response = client.post(finish, follow=True)
    assert "Dokument 1 er ferdigstilt" in response.content.decode()
    document.refresh_from_db()
    assert document.dokumentstatus == Dokumentstatus.FERDIGSTILT
    assert finish not in response.content.decode()


def test_an_archived_post_takes_a_note_and_nothing_else(
    archived_entry: RegistryEntry, staff: Any
) -> None:
    client = client_for(staff["builder"])
    response = client.post(
        reverse("records:entry_annotate", args=[archived_entry.pk]),
        {"note-merknadstekst": "Kopi sendt nabo."},
    )
    assert response.status_code == 302
    note = Annotation.objects.get(registry_entry=archived_entry)
    assert note.merknadstekst == "Kopi sendt nabo."
    page = client.get(reverse("records:entry", args=[archived_entry.pk])).content.decode()
    assert "Skjerm journalposten" not in page
    assert "Skriv av" not in page
    assert "Endre journalstatus" not in page
    response = client.post(
        reverse("records:entry_screen", args=[archived_entry.pk]),
        {
            "screening-tilgangsrestriksjon": "13",
            "screening-skjermingshjemmel": "Offl. § 13",
            "screening-skjerming_metadata": ["TR1"],
        },
    )
    assert response.status_code == 400
    assert "arkivert og kan ikkje endrast" in response.content.decode()
    assert not Screening.objects.exists()


def test_an_empty_note_keeps_the_form(letter: RegistryEntry, staff: Any) -> None:
    response = client_for(staff["builder"]).post(
        reverse("records:entry_annotate", args=[letter.pk]), {"note-merknadstekst": ""}
    )
    assert response.status_code == 400
    assert not Annotation.objects.exists()


def test_write_off_by_letter(
    letter: RegistryEntry, register: Register, staff: Any, case: CaseFolder
) -> None:
    client = client_for(staff["builder"])
    url = reverse("records:entry_write_off", args=[letter.pk])
    # By letter without the letter: refused, what was typed kept.
    response = client.post(url, {"writeoff-how": "BU", "writeoff-note": "Svar i brev"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Vel journalposten som svarar" in page
    assert "Svar i brev" in page
    reply = register(
        journalposttype=Journalposttype.UTGAAANDE,
        tittel="Svar på søknad",
        parties=[Party(Korrespondanseparttype.MOTTAKAR, "Kari Nordmann")],
    )
    # The answer can be picked on the page.
    page = client.get(reverse("records:entry", args=[letter.pk])).content.decode()
    assert f'value="{reply.pk}"' in page
    response = client.post(url, {"writeoff-how": "BU", "writeoff-answered_by": reply.pk})
    assert response.status_code == 302
    done = WriteOff.objects.get(registry_entry=letter)
    assert done.answered_by == reply
    # The reply's page says what it answered; the letter's page who answered.
    page = client.get(reverse("records:entry", args=[reply.pk])).content.decode()
    assert letter.registrerings_id in page
    page = client.get(reverse("records:entry", args=[letter.pk])).content.decode()
    assert reply.registrerings_id in page and "Skriv av" not in page


def test_screening_hides_title_and_documents_from_others(
    letter: RegistryEntry, staff: Any, colleague: Any
) -> None:
    response = client_for(staff["builder"]).post(
        reverse("records:entry_screen", args=[letter.pk]),
        {
            "screening-tilgangsrestriksjon": "13",
            "screening-skjermingshjemmel": "Offl. § 13 jf. fvl. § 13",
            "screening-skjerming_metadata": ["TR1", "NA"],
        },
    )
    assert response.status_code == 302
    assert Screening.objects.get(registry_entry=letter).skjerming_metadata == ["TR1", "NA"]
    obj = letter.documents.get().document_objects.get()
    download = reverse("records:download", args=[obj.pk])
    services.annotate(letter, "Ringde Kari om nabovarselet.", staff["builder"])
    services.change_journalpost(letter, staff["builder"], tittel="Søknad om garasje og carport")
    # The colleague in the same unit: the post, but not its title, sender, notes, the values
    # in its change log, or file.
    response = client_for(colleague).get(reverse("records:entry", args=[letter.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "******" in page
    assert "garasje" not in page
    assert "Kari Nordmann" not in page
    assert "nabovarselet" not in page
    assert "carport" not in page
    assert download not in page
    assert client_for(colleague).get(download).status_code == 404
    # The officer sees it all; the archivist too, once access is granted (and recorded).
    seen = client_for(staff["builder"]).get(reverse("records:entry", args=[letter.pk]))
    assert "garasje" in seen.content.decode() and download in seen.content.decode()
    archivist = client_for(staff["archivist"])
    assert (
        "garasje" not in archivist.get(reverse("records:entry", args=[letter.pk])).content.decode()
    )
    access.grant_access(letter, staff["archivist"], staff["archivist"], "Innsynskrav")
    page = archivist.get(reverse("records:entry", args=[letter.pk])).content.decode()
    assert "garasje" in page and download in page
    assert archivist.get(download).status_code == 200


def test_a_refused_screening_keeps_what_was_typed(letter: RegistryEntry, staff: Any) -> None:
    response = client_for(staff["builder"]).post(
        reverse("records:entry_screen", args=[letter.pk]),
        {"screening-tilgangsrestriksjon": "13", "screening-skjermingshjemmel": "Offl. § 13"},
    )
    assert response.status_code == 400
    assert 'value="Offl. § 13"' in response.content.decode()
    assert not Screening.objects.exists()
