"""The archive's promise end to end, as the issue's "done when" says it, through the same
services the pages call: an inquiry filed into a case, its answer registered as the post that
writes it off, restanse empty, the case and the period closed, and an export that validates
against Arkivverket's schemas, in which (and in the public journal) nothing screened shows.

Screening is checked as a property over every output at once: for inquiries screened or
not, a secret word in the subject and the sender's name never reaches the public journal
page, its JSON, or offentligJournal.xml, while the archive's own files keep it.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from lxml import etree

from tenestetorget.contact import filing, services
from tenestetorget.contact.models import Inquiry
from tenestetorget.records import periods
from tenestetorget.records import services as records
from tenestetorget.records.extraction import schemas
from tenestetorget.records.models import (
    CaseFolder,
    Journalstatus,
    RegistryEntry,
    Saksstatus,
    WriteOff,
)
from tenestetorget.records.selectors import restanse

pytestmark = pytest.mark.django_db

FNR = "01019012345"


def _case_and_entries(filed: Any) -> tuple[CaseFolder, list[RegistryEntry]]:
    case = RegistryEntry.objects.get(pk=filed.registry_entry_id).case_folder
    return case, list(case.entries.order_by("journalpostnummer"))


def _archive_case(case: CaseFolder, actor: Any) -> None:
    """Everything in the case archived, as the officer does before closing it: posts still
    journalført are sent (ekspedert) first."""
    for entry in case.entries.order_by("journalpostnummer"):
        if entry.kind == "journalpost" and entry.journalstatus == Journalstatus.JOURNALFOERT:
            records.set_journalstatus(entry, Journalstatus.EKSPEDERT, actor)
        entry.refresh_from_db()
        if entry.kind == "journalpost":
            records.set_journalstatus(entry, Journalstatus.ARKIVERT, actor)
        else:
            records.archive_arkivnotat(entry, actor)
    records.close_saksmappe(case, actor)


def _screening(name_too: bool = True) -> filing.FilingScreening:
    return filing.FilingScreening(
        tilgangsrestriksjon="13",
        skjermingshjemmel="Offl. § 13 jf. fvl. § 13",
        offentlig_tittel="Melding om ******",
        screen_name=name_too,
    )


@pytest.mark.parametrize("screened", [False, True])
def test_file_answer_restanse_close_export(
    screened: bool,
    register: Callable[..., Inquiry],
    staff: dict[str, Any],
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    archivist, officer = staff["archivist"], staff["tech"]
    fonds = records.create_archive("Vinje kommune", [("974760673", "Vinje kommune")], archivist)
    series = records.create_series(fonds, "Sakarkiv 2026", archivist)
    secret = "Hemmelegdal"
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = register(
            subject=f"Melding om {secret}, fnr. {FNR}",
            sender=services.SenderData(name=f"Ola {secret}", email="ola@example.no"),
        )
        # The archivist files the inquiry into a new case.
        filed = filing.file_inquiry(
            inquiry, archivist, screening=_screening() if screened else None
        )
    case, [incoming] = _case_and_entries(filed)
    assert [row.pk for row in restanse(archivist)] == [incoming.pk]

    # The officer answers; the answer becomes the outgoing post that writes it off.
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_inquiry(inquiry, officer, "Vi kjem og ser på det tysdag.")
    case, entries = _case_and_entries(filed)
    outgoing = entries[-1]
    write_off = WriteOff.objects.get(registry_entry=incoming)
    assert write_off.answered_by_id == outgoing.pk
    assert outgoing.journalposttype == "U"
    assert not list(restanse(archivist))
    assert not list(restanse(officer))

    # Archive the posts (their PDF/A versions were made on commit), close case and period.
    with django_capture_on_commit_callbacks(execute=True):
        _archive_case(case, archivist)
    case.refresh_from_db()
    assert case.saksstatus == Saksstatus.AVSLUTTA
    periods.close_series(series, archivist)

    # The export validates against Arkivverket's schemas.
    out = tmp_path / "uttrekk"
    call_command("records", "export", "--out", str(out), stdout=io.StringIO(), stderr=io.StringIO())
    for name, xsd in schemas.SCHEMA_OF.items():
        schema = etree.XMLSchema(etree.parse(str(Path(settings.NOARK5_XSD_DIR) / xsd)))
        assert schema.validate(etree.parse(str(out / name))), (name, schema.error_log)

    # The public: the journal page, its JSON and offentligJournal.xml.
    public = Client()
    page = public.get("/journal/", {"q": "melding"}).content.decode()
    api = json.dumps(public.get("/api/v1/journal/", {"q": "melding"}).json(), ensure_ascii=False)
    journal_xml = (out / "offentligJournal.xml").read_text()
    assert incoming.registrerings_id in page and incoming.registrerings_id in api
    for text in (page, api, journal_xml):
        assert FNR not in text
        if screened:
            assert secret not in text
    if screened:
        assert "Melding om ******" in page and "Melding om ******" in journal_xml
    else:
        assert secret in page  # nothing screened: the title is public
    # The archive itself keeps the full title for the depot, with its screening.
    assert secret in (out / "arkivstruktur.xml").read_text()
