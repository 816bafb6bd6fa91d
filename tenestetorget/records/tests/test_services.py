"""Who may register what, the status rules, and the archive structure."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tenestetorget.records import services
from tenestetorget.records.models import (
    Annotation,
    ArchivedRecordError,
    CaseFolder,
    ChangeLogEntry,
    CrossReference,
    Disposal,
    RegistryEntry,
    Screening,
)

pytestmark = pytest.mark.django_db


def test_a_case_has_a_primary_class_and_a_gnr_bnr_ordering_value(
    case: CaseFolder, archive: Any, staff: Any
) -> None:
    assert case.klasse == archive["k614"]
    assert case.sekundaer_klasse == archive["gbnr"]
    assert (case.administrativ_enhet, case.saksansvarlig) == ("Plan og bygg", "Byggjar Test")
    assert case.saksansvarlig_user == staff["builder"]
    assert case.saksstatus == "B"


def test_a_second_ordering_value_from_the_same_system_is_refused(
    archive: Any, staff: Any, units: Any
) -> None:
    other = services.create_class(
        archive["k614"].classification_system, "611", "Oppmåling", staff["archivist"]
    )
    with pytest.raises(ValidationError, match="anna klassifikasjonssystem"):
        services.create_saksmappe(
            archive["series"],
            "Sak",
            units["plan_bygg"],
            staff["builder"],
            staff["builder"],
            klasse=archive["k614"],
            sekundaer_klasse=other,
        )


def test_case_officers_register_in_their_own_units_cases_only(
    case: CaseFolder, staff: Any, register: Callable[..., RegistryEntry]
) -> None:
    for outsider in (staff["tech"], staff["front"]):
        with pytest.raises(PermissionDenied, match="ikkje løyve"):
            register(actor=outsider)
        with pytest.raises(PermissionDenied):
            services.create_saksmappe(case.series, "Sak", case.unit, outsider, outsider)
    entry = register(actor=staff["archivist"])
    with pytest.raises(PermissionDenied):
        services.change_journalpost(entry, staff["tech"], tittel="Ny")
    assert RegistryEntry.objects.count() == 1


def test_only_the_archivist_manages_the_structure_and_disposal(
    case: CaseFolder, staff: Any
) -> None:
    with pytest.raises(PermissionDenied, match="Berre arkivaren"):
        services.create_archive("Arkiv", [("1", "Kommune")], staff["builder"])
    with pytest.raises(PermissionDenied):
        services.set_kassasjon(case, "K", 10, staff["builder"])
    disposal = services.set_kassasjon(case, "K", 10, staff["archivist"])
    assert disposal.kassasjonsdato.year == disposal.kassasjonsdato.today().year + 10


def test_an_incoming_post_needs_a_sender_and_an_outgoing_one_a_recipient(
    register: Callable[..., RegistryEntry],
) -> None:
    with pytest.raises(ValidationError, match="avsendar"):
        register(journalposttype="I", parties=[])
    with pytest.raises(ValidationError, match="mottakar"):
        register(journalposttype="U", parties=[services.Party("EA", "Kommunen")])
    assert RegistryEntry.objects.count() == 0


def test_journalstatus_steps(register: Callable[..., RegistryEntry], staff: Any) -> None:
    actor = staff["builder"]
    entry = register()
    services.set_journalstatus(entry, "E", actor)
    with pytest.raises(ValidationError, match="kan ikkje gå frå «Ekspedert» til «Journalført»"):
        services.set_journalstatus(entry, "J", actor)
    document = services.add_dokument(entry, "Søknad", actor)
    with pytest.raises(ValidationError, match="ferdigstilte"):
        services.set_journalstatus(entry, "A", actor)
    services.finish_dokument(document, actor)
    services.set_journalstatus(entry, "A", actor)
    entry.refresh_from_db()
    assert entry.journalstatus == "A" and entry.is_archived


def test_one_main_document_and_numbered_attachments(
    register: Callable[..., RegistryEntry], staff: Any
) -> None:
    entry = register()
    actor = staff["builder"]
    main = services.add_dokument(entry, "Søknad", actor)
    attachment = services.add_dokument(entry, "Situasjonskart", actor, "V")
    with pytest.raises(ValidationError, match="hovuddokument"):
        services.add_dokument(entry, "Anna", actor, "H")
    assert [(main.dokumentnummer, main.tilknyttet_registrering_som)] == [(1, "H")]
    assert (attachment.dokumentnummer, attachment.tilknyttet_registrering_som) == (2, "V")
    first = services.add_dokumentobjekt(
        main,
        actor,
        format="fmt/276",
        sjekksum="A" * 64,
        filstoerrelse=10,
        referanse_dokumentfil="DOKUMENT/1.docx",
    )
    second = services.add_dokumentobjekt(
        main,
        actor,
        format="fmt/95",
        sjekksum="b" * 64,
        filstoerrelse=12,
        referanse_dokumentfil="DOKUMENT/1.pdf",
        variantformat="A",
    )
    assert (first.versjonsnummer, first.variantformat, first.sjekksum) == (1, "P", "a" * 64)
    assert (second.versjonsnummer, second.sjekksum_algoritme) == (2, "SHA256")


def test_a_closed_case_takes_no_new_posts(
    case: CaseFolder, register: Callable[..., RegistryEntry], staff: Any
) -> None:
    services.close_saksmappe(case, staff["builder"])
    with pytest.raises(ValidationError, match="Saka er avslutta"):
        register()
    case.refresh_from_db()
    assert (case.saksstatus, case.siste_journalpostnummer) == ("A", 0)
    assert case.avsluttet_av == "Byggjar Test"


def test_annotations_screening_and_cross_references(
    case: CaseFolder, register: Callable[..., RegistryEntry], staff: Any
) -> None:
    actor = staff["builder"]
    entry, other = register(), register()
    services.annotate(case, "Sjå òg gamal sak 1998/12.", actor)
    screening = services.add_skjerming(entry, "13", "Offl. § 13 jf. fvl. § 13", ["NA", "NA"], actor)
    assert screening.skjerming_metadata == ["NA"]
    with pytest.raises(ValidationError, match="skjermingsmetadata"):
        services.add_skjerming(entry, "13", "Offl. § 13", [], actor)
    with pytest.raises(ValidationError, match="skjermingsmetadata"):
        services.add_skjerming(entry, "13", "Offl. § 13", ["XYZ"], actor)
    services.add_kryssreferanse(entry, other, actor)
    services.add_kryssreferanse(entry, case, actor)
    assert Annotation.objects.get().case_folder == case
    assert Screening.objects.get().registry_entry == entry
    assert CrossReference.objects.filter(from_registry_entry=entry).count() == 2
    assert not Disposal.objects.exists()


def test_a_finished_document_takes_only_another_variant_of_a_version_it_has(
    register: Callable[..., RegistryEntry], staff: Any
) -> None:
    actor = staff["builder"]
    document = services.add_dokument(register(), "Søknad", actor)
    file: dict[str, Any] = {
        "sjekksum": "a" * 64,
        "filstoerrelse": 1,
        "referanse_dokumentfil": "DOKUMENT/1",
    }
    services.add_dokumentobjekt(document, actor, format="fmt/276", **file)
    services.finish_dokument(document, actor)
    for version in (None, 2):
        with pytest.raises(ValidationError, match="ferdigstilt"):
            services.add_dokumentobjekt(
                document, actor, format="fmt/276", versjonsnummer=version, **file
            )
    archive_variant = services.add_dokumentobjekt(
        document, actor, format="fmt/95", versjonsnummer=1, variantformat="A", **file
    )
    assert (archive_variant.versjonsnummer, archive_variant.variantformat) == (1, "A")


def test_an_arkivnotat_is_archived_without_journalstatus(
    register: Callable[..., RegistryEntry], staff: Any
) -> None:
    actor = staff["builder"]
    note = register(kind="arkivnotat", journalposttype="", parties=[])
    document = services.add_dokument(note, "Telefonnotat", actor, dokumenttype="Notat")
    with pytest.raises(ValidationError, match="Eit arkivnotat har ingen journalstatus"):
        services.set_journalstatus(note, "A", actor)
    with pytest.raises(ValidationError, match="ferdigstilte"):
        services.archive_arkivnotat(note, actor)
    services.finish_dokument(document, actor)
    services.archive_arkivnotat(note, actor)
    assert note.is_archived and note.journalstatus == ""
    with pytest.raises(ArchivedRecordError):
        services.change_journalpost(note, actor, tittel="Ny")


def test_a_new_screening_replaces_the_old_one_and_both_are_logged(
    register: Callable[..., RegistryEntry], staff: Any
) -> None:
    actor = staff["builder"]
    entry = register()
    services.add_skjerming(entry, "13", "Offl. § 13 jf. fvl. § 13", ["NA"], actor)
    services.add_skjerming(entry, "13", "Offl. § 13 jf. fvl. § 13", ["NA"], actor)
    services.add_skjerming(entry, "13", "Offl. § 13 jf. fvl. § 13", ["NA", "TR1"], actor)
    screening = Screening.objects.get()
    assert screening.skjerming_metadata == ["NA", "TR1"]
    logged = ChangeLogEntry.objects.filter(referanse_arkivenhet=entry.system_id)
    assert list(logged.values_list("tidligere_verdi", "ny_verdi")) == [
        ("", "13 Offl. § 13 jf. fvl. § 13 (NA)"),
        ("13 Offl. § 13 jf. fvl. § 13 (NA)", "13 Offl. § 13 jf. fvl. § 13 (NA, TR1)"),
    ]
