"""Registering a post by hand: a scanned letter into a new or an existing case; refusals
shown next to their field, with the uploaded file kept so it need not be sent again."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from tenestetorget.core.models import Document
from tenestetorget.records.models import (
    CaseFolder,
    DocumentObject,
    RegistrationSubmission,
    RegistryEntry,
    Screening,
    Series,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def letter_data(staff: Any, units: Any, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "journalposttype": "I",
        "case_title": "Byggjesak Fjellvegen 3",
        "tittel": "Søknad om tilbygg",
        "mottatt_dato": "2026-12-01",
        "dokumentets_dato": "2026-11-28",
        "party_name": "Kari Nordmann",
        "party_address": "Fjellvegen 3",
        "party_postcode": "3890",
        "party_place": "Vinje",
        "party_is_person": "on",
        "unit": units["plan_bygg"].pk,
        "officer": staff["builder"].pk,
    }
    data.update(changes)
    return data


def test_a_scanned_letter_in_a_new_case(archive: Any, staff: Any, units: Any) -> None:
    data = letter_data(
        staff,
        units,
        uploads=[
            SimpleUploadedFile("skann.pdf", PDF, "application/pdf"),
            SimpleUploadedFile("kart.png", PNG, "image/png"),
        ],
    )
    response = client_for(staff["archivist"]).post(reverse("records:register"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = RegistryEntry.objects.select_related("case_folder").get()
    assert response["Location"] == reverse("records:entry", args=[entry.pk])
    assert entry.case_folder.tittel == "Byggjesak Fjellvegen 3"
    assert entry.case_folder.series == archive["series"]
    assert entry.case_folder.unit == units["plan_bygg"]
    assert entry.journalposttype == "I"
    assert entry.saksbehandler_user == staff["builder"]
    assert entry.opprettet_av == "Arkivar Test"
    assert str(entry.dokumentets_dato) == "2026-11-28"
    part = entry.correspondence_parts.get()
    assert (part.korrespondanseparttype, part.korrespondansepart_navn) == ("EA", "Kari Nordmann")
    docs = list(entry.documents.order_by("dokumentnummer"))
    assert [(d.tilknyttet_registrering_som, d.tittel) for d in docs] == [
        ("H", "Søknad om tilbygg"),
        ("V", "kart.png"),
    ]
    main = DocumentObject.objects.select_related("stored_file").get(document=docs[0])
    assert main.stored_file is not None and main.stored_file.mime_type == "application/pdf"
    assert main.sjekksum == main.stored_file.sha256


def test_into_an_existing_case_screened(case: CaseFolder, staff: Any, units: Any) -> None:
    data = letter_data(
        staff,
        units,
        saksnummer=case.mappe_id,
        case_title="",
        screen="on",
        tilgangsrestriksjon="13",
        skjermingshjemmel="Offl. § 13 jf. fvl. § 13",
        skjerming_metadata=["TR1", "NA"],
    )
    response = client_for(staff["builder"]).post(reverse("records:register"), data)
    assert response.status_code == 302
    entry = RegistryEntry.objects.get()
    assert entry.case_folder == case
    assert Screening.objects.get(registry_entry=entry).skjerming_metadata == ["TR1", "NA"]


def test_a_refusal_keeps_the_file_and_what_was_typed(archive: Any, staff: Any, units: Any) -> None:
    client = client_for(staff["builder"])
    upload = SimpleUploadedFile("skann.pdf", PDF, "application/pdf")
    # An incoming letter without its sender: the service refuses.
    response = client.post(
        reverse("records:register"), letter_data(staff, units, party_name="", uploads=[upload])
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Eit inngåande dokument treng ein avsendar." in page
    assert 'value="Søknad om tilbygg"' in page
    assert "skann.pdf" in page
    assert not RegistryEntry.objects.exists() and not CaseFolder.objects.exists()
    # The file is in the store already, and comes along on the next try without a new upload.
    assert Document.objects.count() == 1
    kept = response.context["form"]["kept_files"].value()
    assert kept
    response = client.post(
        reverse("records:register"),
        letter_data(staff, units, party_name="Kari Nordmann", kept_files=kept),
    )
    assert response.status_code == 302
    entry = RegistryEntry.objects.get()
    assert entry.documents.get().document_objects.get().stored_file == Document.objects.get()


def test_a_forged_kept_file_is_ignored(archive: Any, staff: Any, units: Any) -> None:
    response = client_for(staff["builder"]).post(
        reverse("records:register"), letter_data(staff, units, kept_files='[[1, "x.pdf"]]')
    )
    assert response.status_code == 302
    assert not RegistryEntry.objects.get().documents.exists()


def test_a_file_of_the_wrong_type_is_refused_by_name(archive: Any, staff: Any, units: Any) -> None:
    upload = SimpleUploadedFile("skann.pdf", b"<html><script>x</script></html>", "application/pdf")
    response = client_for(staff["builder"]).post(
        reverse("records:register"), letter_data(staff, units, uploads=[upload])
    )
    assert response.status_code == 400
    assert "skann.pdf" in response.content.decode()
    assert not RegistryEntry.objects.exists()
    assert not Document.objects.exists()


def test_case_number_and_permissions(
    case: CaseFolder, archive: Any, staff: Any, units: Any
) -> None:
    # The case of another unit is not found for a case officer there.
    response = client_for(staff["tech"]).post(
        reverse("records:register"),
        letter_data(
            staff,
            units,
            saksnummer=case.mappe_id,
            unit=units["teknisk"].pk,
            officer=staff["tech"].pk,
        ),
    )
    assert response.status_code == 400
    assert f"Fann inga sak {case.mappe_id}" in response.content.decode()
    # A case officer cannot open a case in another unit (not a choice for them).
    response = client_for(staff["tech"]).post(
        reverse("records:register"), letter_data(staff, units)
    )
    assert response.status_code == 400
    assert not RegistryEntry.objects.exists()


def test_no_active_period(case: CaseFolder, archive: Any, staff: Any, units: Any) -> None:
    Series.objects.update(arkivdelstatus="P")
    response = client_for(staff["archivist"]).post(
        reverse("records:register"), letter_data(staff, units)
    )
    assert response.status_code == 400
    assert "Det finst ingen aktiv arkivdel" in response.content.decode()


def submission_id_of(client: Client) -> str:
    """The one-time id the rendered form carries."""
    response = client.get(reverse("records:register"))
    value = response.context["form"]["submission_id"].value()
    assert value and f'name="submission_id" value="{value}"' in response.content.decode()
    return str(value)


def test_a_double_submit_registers_one_post(archive: Any, staff: Any, units: Any) -> None:
    client = client_for(staff["builder"])
    data = letter_data(staff, units, submission_id=submission_id_of(client))
    first = client.post(
        reverse("records:register"),
        {**data, "uploads": [SimpleUploadedFile("skann.pdf", PDF, "application/pdf")]},
    )
    assert first.status_code == 302
    entry = RegistryEntry.objects.get()
    # The same POST again (a double click, or reload after the answer was lost).
    again = client.post(
        reverse("records:register"),
        {**data, "uploads": [SimpleUploadedFile("skann.pdf", PDF, "application/pdf")]},
        follow=True,
    )
    assert again.redirect_chain == [(reverse("records:entry", args=[entry.pk]), 302)]
    assert f"Skjemaet var alt sendt: posten er registrert som {entry.registrerings_id}" in (
        again.content.decode()
    )
    assert RegistryEntry.objects.count() == 1
    assert CaseFolder.objects.count() == 1
    assert Document.objects.count() == 1  # the second upload was not even stored
    assert RegistrationSubmission.objects.get().registry_entry == entry
    # A new rendering of the form registers a new post.
    fresh = letter_data(staff, units, submission_id=submission_id_of(client))
    assert client.post(reverse("records:register"), fresh).status_code == 302
    assert RegistryEntry.objects.count() == 2


def test_a_refused_try_keeps_the_id_and_the_next_try_counts(
    archive: Any, staff: Any, units: Any
) -> None:
    client = client_for(staff["builder"])
    sid = submission_id_of(client)
    refused = client.post(
        reverse("records:register"), letter_data(staff, units, party_name="", submission_id=sid)
    )
    assert refused.status_code == 400
    assert f'value="{sid}"' in refused.content.decode()
    assert not RegistrationSubmission.objects.exists()
    data = letter_data(staff, units, submission_id=sid)
    assert client.post(reverse("records:register"), data).status_code == 302
    assert client.post(reverse("records:register"), data).status_code == 302
    assert RegistryEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_once_register_one_post(archive: Any, staff: Any, units: Any) -> None:
    if connection.vendor == "sqlite" and connection.creation.is_in_memory_db(  # type: ignore[attr-defined]
        connection.settings_dict["NAME"]
    ):
        pytest.skip("in-memory SQLite test database: threads cannot wait for its write lock")
    clients = [client_for(staff["builder"]) for _ in range(4)]
    data = letter_data(staff, units, submission_id=submission_id_of(clients[0]))
    barrier = threading.Barrier(len(clients))
    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def work(client: Client) -> None:
        try:
            barrier.wait()
            response = client.post(reverse("records:register"), data)
            outcome = (response.status_code, response.get("Location", ""))
        except Exception as exc:
            outcome = (0, repr(exc))
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    pool = [threading.Thread(target=work, args=(client,)) for client in clients]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    entry = RegistryEntry.objects.get()
    assert results == [(302, reverse("records:entry", args=[entry.pk]))] * len(clients)
    assert CaseFolder.objects.count() == 1
    # The requests that lost were rolled back whole and gave their numbers back.
    fresh = letter_data(staff, units, submission_id=submission_id_of(clients[0]))
    assert clients[0].post(reverse("records:register"), fresh).status_code == 302
    numbers = sorted(CaseFolder.objects.values_list("sakssekvensnummer", flat=True))
    assert numbers == [1, 2]
