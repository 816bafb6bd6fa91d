"""The arkivuttrekk import: a package read back into an empty archive gives the same package
when exported again (same XML, same document checksums), numbers go on after it, and bad
packages are refused with the file and record named, leaving nothing stored."""

from __future__ import annotations

import gc
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tenestetorget.core.models import Document, DocumentVariant, NumberSeries
from tenestetorget.records import models as m
from tenestetorget.records import services
from tenestetorget.records.extraction import addml
from tenestetorget.records.extraction.export import export_package
from tenestetorget.records.extraction.importer import ImportRefused, import_package
from tenestetorget.records.search_index import PublicJournalRow
from tenestetorget.records.tests.test_export import SECRET_TITLE, build_closed_archive

#: Everything the archive and the document store hold, emptied between export and import.
TABLES = [
    PublicJournalRow,
    m.ChangeLogEntry,
    m.CrossReference,
    m.Annotation,
    m.Screening,
    m.Disposal,
    m.AccessGrant,
    m.WriteOff,
    m.DocumentObject,
    m.CorrespondencePart,
    m.DocumentDescription,
    m.RegistryEntry,
    m.CaseFolder,
    m.Series,
    m.ArchiveClass,
    m.ClassificationSystem,
    m.ArchiveCreator,
    m.Archive,
    DocumentVariant,
    Document,
    NumberSeries,
]


@pytest.fixture
def package(
    archive: dict[str, Any], staff: dict[str, Any], units: dict[str, Any], tmp_path: Path
) -> Path:
    """The package of a closed period (test_export.build_closed_archive)."""
    build_closed_archive(archive, staff, units)
    out = tmp_path / "uttrekk"
    export_package(out, stream=io.StringIO())
    return out


def empty_the_archive() -> None:
    """As a new installation: no records, no stored documents, no number series. Archived
    rows refuse DELETE (model guards, and triggers on PostgreSQL, which TRUNCATE does not
    fire), so the tables are emptied below the models."""
    names = [connection.ops.quote_name(model._meta.db_table) for model in TABLES]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Pending deferred foreign-key checks would block TRUNCATE: run them first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(names)} CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for name in names:
                cursor.execute(f"DELETE FROM {name}")  # noqa: S608 - table names from models
    for stored in (Path(settings.MEDIA_ROOT) / "documents").rglob("*"):
        if stored.is_file():
            stored.unlink()


def stored_files() -> list[Path]:
    gc.collect()  # files of a rolled-back transaction go when its hooks are freed
    folder = Path(settings.MEDIA_ROOT) / "documents"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def nothing_stored() -> None:
    for model in TABLES:
        assert not model._default_manager.exists(), model
    assert stored_files() == []


def rewrite(package: Path, name: str, old: str, new: str) -> None:
    """Change a file of the package and give the ADDML its new checksum, as someone editing
    the package by hand would (so that the schema check, not the checksum, catches it)."""
    path = package / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    description = package / "arkivuttrekk.xml"
    checksums = addml.read_checksums(description)
    content = description.read_text(encoding="utf-8")
    description.write_text(
        content.replace(checksums[name], addml.sha256_of(path)), encoding="utf-8"
    )


def test_round_trip_gives_the_same_package(package: Path, tmp_path: Path) -> None:
    before = {
        "entries": m.RegistryEntry.objects.count(),
        "parts": m.CorrespondencePart.objects.count(),
        "screenings": m.Screening.objects.count(),
        "changes": m.ChangeLogEntry.objects.count(),
        "write_offs": m.WriteOff.objects.count(),
        "cross": m.CrossReference.objects.count(),
        "annotations": m.Annotation.objects.count(),
        "public": PublicJournalRow.objects.count(),
    }
    empty_the_archive()
    result = import_package(package)
    assert (result.cases, result.entries) == (2, 6)
    assert result.warnings == []
    after = {
        "entries": m.RegistryEntry.objects.count(),
        "parts": m.CorrespondencePart.objects.count(),
        "screenings": m.Screening.objects.count(),
        "changes": m.ChangeLogEntry.objects.count(),
        "write_offs": m.WriteOff.objects.count(),
        "cross": m.CrossReference.objects.count(),
        "annotations": m.Annotation.objects.count(),
        "public": PublicJournalRow.objects.count(),
    }
    assert after == before
    again = tmp_path / "igjen"
    export_package(again, stream=io.StringIO())
    for name in (
        "arkivstruktur.xml",
        "endringslogg.xml",
        "loependeJournal.xml",
        "offentligJournal.xml",
        "arkivuttrekk.xml",
    ):
        assert (again / name).read_bytes() == (package / name).read_bytes(), name
    first = {p.name: p.read_bytes() for p in (package / "DOKUMENT").iterdir()}
    second = {p.name: p.read_bytes() for p in (again / "DOKUMENT").iterdir()}
    assert first == second
    # Every imported post is final, and the store has each file once.
    assert not m.RegistryEntry.objects.filter(arkivert_dato__isnull=True).exists()
    assert Document.objects.count() == len(first)


def test_numbers_go_on_after_the_import(
    package: Path, staff: dict[str, Any], units: dict[str, Any]
) -> None:
    highest = m.CaseFolder.objects.order_by("-sakssekvensnummer").first()
    last_journal = (
        m.RegistryEntry.objects.exclude(journalsekvensnummer=None)
        .order_by("-journalsekvensnummer")
        .first()
    )
    assert highest is not None and last_journal is not None
    empty_the_archive()
    import_package(package)
    archive = m.Archive.objects.get()
    series = services.create_series(archive, "Sakarkiv 2030–", staff["archivist"])
    case = services.create_saksmappe(
        series, "Ny sak", units["plan_bygg"], saksansvarlig=staff["builder"], actor=staff["builder"]
    )
    entry = services.register_journalpost(case, "N", "Nytt notat", staff["builder"], parties=[])
    assert case.saksaar == highest.saksaar
    assert case.sakssekvensnummer == highest.sakssekvensnummer + 1
    assert entry.journalsekvensnummer == last_journal.journalsekvensnummer + 1


def test_a_schema_error_is_refused_naming_file_and_line(package: Path) -> None:
    rewrite(package, "arkivstruktur.xml", "<saksaar>", "<saksår>")
    empty_the_archive()
    with pytest.raises(ImportRefused, match=r"arkivstruktur\.xml, linje \d+: .*saksår") as refused:
        import_package(package)
    assert "arkivstruktur.xml" in str(refused.value)
    nothing_stored()


def test_a_changed_xml_file_is_refused_by_its_addml_checksum(package: Path) -> None:
    path = package / "loependeJournal.xml"
    path.write_bytes(path.read_bytes().replace(b"Storvegen", b"Storvegen ", 1))
    empty_the_archive()
    with pytest.raises(ImportRefused, match=r"loependeJournal\.xml har ikkje sjekksummen"):
        import_package(package)
    nothing_stored()


def test_a_document_with_the_wrong_checksum_is_refused_and_nothing_is_left(package: Path) -> None:
    # The last file: earlier ones are stored by then, and must go again.
    structure = (package / "arkivstruktur.xml").read_text(encoding="utf-8")
    last = re.findall(r"<referanseDokumentfil>(DOKUMENT/[0-9a-f]+\.pdf)<", structure)[-1]
    (package / last).write_bytes(b"%PDF-1.4 not the archived file\n%%EOF\n")
    empty_the_archive()
    with pytest.raises(ImportRefused) as refused:
        import_package(package)
    message = str(refused.value)
    assert last in message and "stemmer ikkje med dokumentobjektet" in message
    assert re.search(r"linje \d+ \(registrering \d{4}/\d+-\d+\)", message)
    nothing_stored()


def test_a_missing_document_is_refused(package: Path) -> None:
    structure = (package / "arkivstruktur.xml").read_text(encoding="utf-8")
    first = re.findall(r"<referanseDokumentfil>(DOKUMENT/[0-9a-f]+\.pdf)<", structure)[0]
    (package / first).unlink()
    empty_the_archive()
    with pytest.raises(ImportRefused, match=f"{first} manglar i pakka"):
        import_package(package)
    nothing_stored()


def test_an_archive_that_is_not_empty_is_refused(package: Path) -> None:
    cases = m.CaseFolder.objects.count()
    with pytest.raises(CommandError, match=r"Arkivet er ikkje tomt .*2 saker"):
        call_command("records", "import", str(package), stdout=io.StringIO(), stderr=io.StringIO())
    assert m.CaseFolder.objects.count() == cases
    assert m.Archive.objects.count() == 1


def test_the_command_imports_and_says_what_it_read(package: Path) -> None:
    empty_the_archive()
    out, err = io.StringIO(), io.StringIO()
    call_command("records", "import", str(package), stdout=out, stderr=err)
    assert "2 saker, 6 registreringar" in out.getvalue()
    assert SECRET_TITLE not in out.getvalue() + err.getvalue()
    assert m.CaseFolder.objects.filter(tittel=SECRET_TITLE).exists()
