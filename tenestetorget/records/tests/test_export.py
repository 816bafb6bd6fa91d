"""The arkivuttrekk export: a small but complete closed period (cases with classes, posts
I/U/N, an arkivnotat, a post that utgår, real PDF documents with an archival variant made by
Ghostscript, screening, disposal, annotations, cross references, a write-off, change log
entries), exported and checked file by file against Arkivverket's schemas, and the public
journal checked for what must never be in it."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from lxml import etree

from tenestetorget.core import documents
from tenestetorget.core.tests.test_documents import minimal_pdf
from tenestetorget.records import periods, services
from tenestetorget.records.extraction import addml, schemas, spec
from tenestetorget.records.extraction.export import ExportRefused, export_package
from tenestetorget.records.models import (
    CaseFolder,
    Journalposttype,
    Korrespondanseparttype,
    RegistreringKind,
    RegistryEntry,
    Series,
)
from tenestetorget.records.services import Party

# As records/tests/test_structure.py: the schemas are read from the configured folder; CI
# fails without them, a developer's machine skips with the reason.
if not (Path(settings.NOARK5_XSD_DIR) / "arkivstruktur.xsd").is_file():
    if os.environ.get("CI"):
        raise RuntimeError(f"CI needs Arkivverket's Noark 5 schemas in {settings.NOARK5_XSD_DIR}")
    pytest.skip(
        f"Arkivverket's schemas are not in NOARK5_XSD_DIR ({settings.NOARK5_XSD_DIR})",
        allow_module_level=True,
    )

FNR = "01010150362"  # a synthetic fødselsnummer (Skatteetaten's test range)
SECRET_TITLE = "Barnevernssak for Per Hansen, mor Liv Hansen"
PUBLIC_TITLE = "Barnevernssak for ******"
SECRET_NAME = "Liv Hansen"
NS = {"a": spec.ARKIVSTRUKTUR_NS, "o": spec.OFFENTLIG_NS, "l": spec.LOEPENDE_NS}


def _pdf(text: str, actor: Any) -> Any:
    return documents.store(ContentFile(minimal_pdf(text), name=f"{text}.pdf"), actor=actor)


def _document(entry: RegistryEntry, title: str, actor: Any, role: str = "H") -> Any:
    document = services.add_dokument(entry, title, actor, tilknyttet_registrering_som=role)
    services.add_dokumentobjekt_from_file(document, actor, _pdf(title, actor))
    return document


def _finish(document: Any, actor: Any) -> None:
    """Finish a document with its archival variant (A), a PDF/A made by Ghostscript, as the
    archive keeps it (records.archival_variant adds it when the PDF/A exists)."""
    original = document.document_objects.get(variantformat="P")
    archival = documents.make_archival_variant(original.stored_file)
    assert archival.document is not None, archival.conversion_reason
    services.finish_dokument(document, actor)
    if not document.document_objects.filter(variantformat="A").exists():
        services.add_dokumentobjekt_from_file(
            document, actor, archival.document, variantformat="A", versjonsnummer=1
        )


def build_closed_archive(
    archive: dict[str, Any], staff: dict[str, Any], units: dict[str, Any]
) -> Series:
    """A period with everything the export writes, closed as the archivist closes it."""
    builder, archivist = staff["builder"], staff["archivist"]
    series = archive["series"]
    case = services.create_saksmappe(
        series,
        "Byggjesak Storvegen 1",
        units["plan_bygg"],
        saksansvarlig=builder,
        actor=builder,
        klasse=archive["k614"],
        sekundaer_klasse=archive["gbnr"],
    )
    incoming = services.register_journalpost(
        case,
        Journalposttype.INNGAAANDE,
        f"Søknad om løyve frå Kari Nordmann, fnr. {FNR}",
        builder,
        parties=[Party(Korrespondanseparttype.AVSENDAR, "Kari Nordmann", poststed="Vinje")],
        dokumentets_dato=dt.date(2026, 1, 5),
    )
    services.change_journalpost(incoming, builder, tittel="Søknad om løyve til tiltak, Storvegen 1")
    main = _document(incoming, "Søknad", builder)
    attachment = _document(incoming, "Situasjonsplan", builder, role="V")
    reply = services.register_journalpost(
        case,
        Journalposttype.UTGAAANDE,
        "Løyve til tiltak",
        builder,
        parties=[Party(Korrespondanseparttype.MOTTAKAR, "Kari Nordmann")],
    )
    _document(reply, "Vedtak", builder)
    note = services.register_journalpost(
        case, Journalposttype.INTERNT_MED_OPPFOELGING, "Notat om tilkomst", builder
    )
    _document(note, "Notat", builder)
    services.write_off(incoming, builder, how="BU", answered_by=reply)
    services.annotate(main, "Kartet er i målestokk 1:500.", builder)
    services.set_kassasjon(case, "B", 10, archivist)
    for entry in (incoming, reply, note):
        for document in entry.documents.all():
            _finish(document, builder)
        services.set_journalstatus(entry, "A", builder)
    services.annotate(incoming, "Arkivert etter kontroll.", builder)
    assert attachment.dokumentnummer == 2

    screened = services.create_saksmappe(
        series,
        SECRET_TITLE,
        units["plan_bygg"],
        saksansvarlig=builder,
        actor=builder,
        klasse=archive["k614"],
        offentlig_tittel=PUBLIC_TITLE,
    )
    services.add_skjerming(screened, "13", "Offl. § 13 jf. fvl. § 13", ["TM1", "NPS"], builder)
    secret = services.register_journalpost(
        screened,
        Journalposttype.INNGAAANDE,
        SECRET_TITLE,
        builder,
        offentlig_tittel=PUBLIC_TITLE,
        parties=[Party(Korrespondanseparttype.AVSENDAR, SECRET_NAME)],
    )
    services.add_skjerming(secret, "13", "Offl. § 13 jf. fvl. § 13", ["TR1", "NA"], builder)
    _document(secret, "Melding", builder)
    services.add_kryssreferanse(secret, case, builder)
    services.write_off(secret, builder, how="TE")
    notat = services.register_journalpost(
        screened, "", "Arkivnotat frå samtale", builder, kind=RegistreringKind.ARKIVNOTAT
    )
    _document(notat, "Samtalereferat", builder)
    gone = services.register_journalpost(
        screened,
        Journalposttype.UTGAAANDE,
        "Brev som ikkje vart sendt",
        builder,
        parties=[Party(Korrespondanseparttype.MOTTAKAR, "Mottakar")],
    )
    services.set_journalstatus(gone, "U", builder)
    for entry in (secret, notat):
        for document in entry.documents.all():
            _finish(document, builder)
    services.set_journalstatus(secret, "A", builder)
    services.archive_arkivnotat(notat, builder)
    services.annotate(screened, "Sak avslutta etter samtale.", builder)

    for folder in (case, screened):
        services.close_saksmappe(folder, builder)
    return periods.close_series(series, archivist)


@pytest.fixture
def closed_period(archive: dict[str, Any], staff: dict[str, Any], units: dict[str, Any]) -> Series:
    return build_closed_archive(archive, staff, units)


@pytest.fixture
def package(closed_period: Series, tmp_path: Path) -> Path:
    out = tmp_path / "uttrekk"
    export_package(out, stream=io.StringIO())
    return out


def xp(node: Any, path: str, namespaces: dict[str, str] = NS) -> list[Any]:
    """XPath over the written XML (lxml's result types are too wide for the checks)."""
    return list(node.xpath(path, namespaces=namespaces))


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_every_file_is_written_and_valid_against_arkivverkets_schemas(package: Path) -> None:
    names = sorted(p.name for p in package.iterdir())
    assert names == sorted(
        [
            "DOKUMENT",
            "addml.xsd",
            "arkivstruktur.xml",
            "arkivstruktur.xsd",
            "arkivuttrekk.xml",
            "endringslogg.xml",
            "endringslogg.xsd",
            "loependeJournal.xml",
            "loependeJournal.xsd",
            "metadatakatalog.xsd",
            "offentligJournal.xml",
            "offentligJournal.xsd",
        ]
    )
    for name, xsd in schemas.SCHEMA_OF.items():
        # The whole-tree check, independent of the streamed one the export used.
        schema = etree.XMLSchema(etree.parse(str(Path(settings.NOARK5_XSD_DIR) / xsd)))
        assert schema.validate(etree.parse(str(package / name))), (name, schema.error_log)


def test_the_structure_nests_as_noark_5_wants(package: Path) -> None:
    tree = etree.parse(str(package / "arkivstruktur.xml"))
    path = "/a:arkiv/a:arkivdel/a:klassifikasjonssystem/a:klasse/a:mappe"
    cases = xp(tree, path, namespaces=NS)
    assert [c.findtext("a:mappeID", namespaces=NS) for c in cases] == list(
        CaseFolder.objects.order_by("saksaar", "sakssekvensnummer").values_list(
            "mappe_id", flat=True
        )
    )
    # The period's own system (K-kodar) first; gnr/bnr is there for the secondary class.
    systems = xp(tree, "//a:klassifikasjonssystem/a:tittel/text()", namespaces=NS)
    assert systems == ["KS K-kodar", "Gards- og bruksnummer"]
    entries = xp(tree, "//a:registrering", namespaces=NS)
    assert len(entries) == RegistryEntry.objects.count() == 6
    kinds = sorted(e.get(f"{{{schemas_xsi()}}}type") for e in entries)
    assert kinds == ["arkivnotat"] + ["journalpost"] * 5
    # Codes are written as the standard's text.
    assert xp(tree, "//a:journalposttype/text()", namespaces=NS)[0] == "Inngående dokument"
    assert "Avsluttet periode" in xp(tree, "//a:arkivdelstatus/text()", namespaces=NS)
    # The post that utgår left the journal when it got status U: that is its arkivertDato.
    gone = xp(tree, "//a:registrering[a:journalstatus='Utgår']", namespaces=NS)
    assert len(gone) == 1 and gone[0].findtext("a:arkivertDato", namespaces=NS)


def schemas_xsi() -> str:
    return "http://www.w3.org/2001/XMLSchema-instance"


def test_the_archive_keeps_full_titles_and_the_screening(package: Path) -> None:
    structure = _text(package / "arkivstruktur.xml")
    assert SECRET_TITLE in structure and SECRET_NAME in structure
    assert "Skjerming tittel registrering - unntatt første linje" in structure
    assert "Offl. § 13 jf. fvl. § 13" in structure
    journal = _text(package / "loependeJournal.xml")
    assert SECRET_TITLE in journal and PUBLIC_TITLE in journal


def test_the_public_journal_has_no_screened_title_name_or_fodselsnummer(package: Path) -> None:
    public = _text(package / "offentligJournal.xml")
    assert SECRET_TITLE not in public
    assert "Per Hansen" not in public
    assert SECRET_NAME not in public
    assert FNR not in public and FNR[:6] not in public
    assert PUBLIC_TITLE in public
    tree = etree.parse(str(package / "offentligJournal.xml"))
    # Every journalført post but the one that utgår; in journal order.
    numbers = xp(tree, "//o:journalpost/o:journalsekvensnummer/text()", namespaces=NS)
    assert numbers == sorted(numbers, key=int) and len(numbers) == 4
    assert tree.findtext("o:journalhode/o:antallJournalposter", namespaces=NS) == "4"
    # No full title element at all in the public file's schema; the arkivskapar is named.
    assert not xp(tree, "//o:tittel", namespaces=NS)


def test_documents_are_copied_once_with_their_checksums(package: Path) -> None:
    tree = etree.parse(str(package / "arkivstruktur.xml"))
    objects = xp(tree, "//a:dokumentobjekt", namespaces=NS)
    assert len(objects) == 12  # six finished documents, each with its PDF/A variant
    for obj in objects:
        reference = obj.findtext("a:referanseDokumentfil", namespaces=NS)
        content = (package / reference).read_bytes()
        assert hashlib.sha256(content).hexdigest() == obj.findtext("a:sjekksum", namespaces=NS)
        assert len(content) == int(obj.findtext("a:filstoerrelse", namespaces=NS))
        assert content.startswith(b"%PDF-")
    files = list((package / "DOKUMENT").iterdir())
    assert len(files) == len({o.findtext("a:sjekksum", namespaces=NS) for o in objects})


def test_the_addml_lists_each_file_with_its_checksum_and_counts(package: Path) -> None:
    checksums = addml.read_checksums(package / "arkivuttrekk.xml")
    for name in (
        "arkivstruktur.xml",
        "endringslogg.xml",
        "loependeJournal.xml",
        "offentligJournal.xml",
        "arkivstruktur.xsd",
    ):
        assert checksums[name] == addml.sha256_of(package / name)
    text = _text(package / "arkivuttrekk.xml")
    tree = etree.parse(str(package / "arkivuttrekk.xml"))
    a = {"d": spec.ADDML_NS}
    count = xp(
        tree,
        "//d:property[@name='numberOfOccurrences'][d:value='registrering']"
        "/d:properties/d:property[@name='value']/d:value/text()",
        namespaces=a,
    )
    assert count == ["6"]
    files = xp(tree, "//d:property[@name='antallDokumentfiler']/d:value/text()", namespaces=a)
    assert files == [str(len(list((package / "DOKUMENT").iterdir())))]
    assert "inneholderSkjermetInformasjon" in text


def test_the_change_log_is_exported_with_empty_values_marked(package: Path) -> None:
    tree = etree.parse(str(package / "endringslogg.xml"))
    ns = {"e": spec.ENDRINGSLOGG_NS}
    fields = xp(tree, "//e:referanseMetadata/text()", namespaces=ns)
    assert "tittel" in fields and "journalstatus" in fields and "skjerming" in fields
    # A first screening had no earlier value: the schema wants text, the export writes (tom).
    assert spec.EMPTY_VALUE in xp(tree, "//e:tidligereVerdi/text()", namespaces=ns)


def test_an_open_period_is_refused_with_a_clear_message(
    archive: dict[str, Any], tmp_path: Path
) -> None:
    with pytest.raises(CommandError, match=r"ikkje avslutta.*Berre avslutta arkivdelar"):
        call_command(
            "records",
            "export",
            "--out",
            str(tmp_path / "x"),
            "--arkivdel",
            str(archive["series"].pk),
        )
    assert not (tmp_path / "x").exists()


def test_a_damaged_document_stops_the_export_and_leaves_no_package(
    closed_period: Series, tmp_path: Path
) -> None:
    stored = documents.Document.objects.filter(mime_type="application/pdf").order_by("pk").first()
    assert stored is not None
    (Path(settings.MEDIA_ROOT) / stored.storage_name).write_bytes(b"%PDF-1.4 changed")
    with pytest.raises(documents.DocumentCorrupted):
        export_package(tmp_path / "out", stream=io.StringIO())
    assert not (tmp_path / "out").exists()


def test_the_command_exports_and_progress_names_no_title(
    closed_period: Series, tmp_path: Path
) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("records", "export", "--out", str(tmp_path / "pakke"), stdout=out, stderr=err)
    assert "6 registreringar" in out.getvalue()
    for secret in (SECRET_TITLE, SECRET_NAME, "Kari Nordmann", FNR):
        assert secret not in err.getvalue() + out.getvalue()
    assert "arkivstruktur.xml følgjer skjemaet." in err.getvalue()


def test_open_cases_or_unarchived_posts_are_refused_naming_them(
    closed_period: Series, staff: dict[str, Any]
) -> None:
    entry = RegistryEntry.objects.filter(journalstatus="A").first()
    assert entry is not None
    # An unarchived post in a closed period (as data loaded by other means may have).
    RegistryEntry.objects.filter(journalstatus="U").update(journalstatus="J")
    with pytest.raises(ExportRefused, match="ikkje arkiverte"):
        export_package(Path("/nonexistent/never-written"), stream=io.StringIO())


def _period_of(
    archive: dict[str, Any], staff: dict[str, Any], units: dict[str, Any], cases: int, posts: int
) -> Series:
    """A closed period of `cases` cases with `posts` archived posts each (no documents)."""
    builder, archivist = staff["builder"], staff["archivist"]
    series = services.create_series(
        archive["archive"], f"Periode {cases}", archivist, archive["k614"].classification_system
    )
    for n in range(cases):
        folder = services.create_saksmappe(
            series,
            f"Sak {n}",
            units["plan_bygg"],
            saksansvarlig=builder,
            actor=builder,
            klasse=archive["k614"],
        )
        for _ in range(posts):
            entry = services.register_journalpost(
                folder,
                Journalposttype.INNGAAANDE,
                "Brev",
                builder,
                parties=[Party(Korrespondanseparttype.AVSENDAR, "Avsendar AS")],
            )
            services.write_off(entry, builder, how="TE")
            services.set_journalstatus(entry, "A", builder)
        services.close_saksmappe(folder, builder)
    return periods.close_series(series, archivist)


def test_the_export_reads_in_a_fixed_number_of_queries_whatever_the_size(
    archive: dict[str, Any], staff: dict[str, Any], units: dict[str, Any], tmp_path: Path
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = _period_of(archive, staff, units, cases=1, posts=1)
    large = _period_of(archive, staff, units, cases=12, posts=3)
    counts = []
    for period in (small, large):
        with CaptureQueriesContext(connection) as queries:
            export_package(
                tmp_path / str(period.pk), str(period.pk), validate=False, stream=io.StringIO()
            )
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
