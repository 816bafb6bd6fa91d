"""The only writes to the records (arkiv): each service checks who may do it, runs in one
transaction and logs every change of a stored field in the change log (endringslogg).

Numbers: saksår/sakssekvensnummer and journalår/journalsekvensnummer come from the yearly
series in `core.numbering`; journalpostnummer from a counter on the case, raised by one
UPDATE in the same transaction (the row stays locked until it ends, so two registrations in
one case queue instead of sharing a number). Unique constraints are the backstop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tenestetorget.core import documents as document_store
from tenestetorget.core.models import ConversionStatus, DocumentVariant, VariantFormat
from tenestetorget.core.models import Document as StoredDocument
from tenestetorget.core.numbering import next_number
from tenestetorget.organisation.models import Unit
from tenestetorget.organisation.permissions import (
    require_archive_manager,
    require_records_access,
)
from tenestetorget.records import restanse_cache
from tenestetorget.records.models import (
    ANSWERED_IN_WRITING,
    Annotation,
    Archive,
    ArchiveClass,
    ArchiveCreator,
    ArchivedRecordError,
    ArkivdelStatus,
    Avskrivningsmaate,
    CaseFolder,
    ChangeLogEntry,
    ClassificationSystem,
    CorrespondencePart,
    CrossReference,
    Disposal,
    DocumentDescription,
    DocumentObject,
    Dokumentstatus,
    Journalposttype,
    Journalstatus,
    Kassasjonsvedtak,
    Korrespondanseparttype,
    RegistreringKind,
    RegistryEntry,
    Saksstatus,
    Screening,
    Series,
    SkjermingMetadata,
    TilknyttetRegistreringSom,
    Variantformat,
    WriteOff,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    Actor = User

#: The number series in core.numbering.
CASE_SERIES = "records.saksmappe"
JOURNAL_SERIES = "records.journal"

Target = CaseFolder | RegistryEntry | DocumentDescription

#: Fields change_journalpost may change, by model field; the log names the Noark field.
CHANGEABLE_ENTRY_FIELDS = (
    "tittel",
    "offentlig_tittel",
    "journalposttype",
    "dokumentets_dato",
    "mottatt_dato",
    "sendt_dato",
    "forfallsdato",
)

#: Allowed journalstatus transitions: J → E → A, and J/E → U (utgår).
JOURNALSTATUS_STEPS: dict[str, set[str]] = {
    Journalstatus.JOURNALFOERT: {
        Journalstatus.EKSPEDERT,
        Journalstatus.ARKIVERT,
        Journalstatus.UTGAAR,
    },
    Journalstatus.EKSPEDERT: {Journalstatus.ARKIVERT, Journalstatus.UTGAAR},
    Journalstatus.ARKIVERT: set(),
    Journalstatus.UTGAAR: set(),
}


@dataclass(frozen=True)
class Party:
    """A korrespondansepart to register with a journal post."""

    korrespondanseparttype: str
    korrespondansepart_navn: str
    postadresse: str = ""
    postnummer: str = ""
    poststed: str = ""
    epostadresse: str = ""
    administrativ_enhet: str = ""
    saksbehandler: str = ""
    # False for an organisation or public body; see CorrespondencePart.is_person.
    is_person: bool = True


def actor_name(actor: Actor) -> str:
    """The name the archive keeps for `actor`, as it is now."""
    full_name = getattr(actor, "get_full_name", lambda: "")()
    return str(full_name or actor.get_username())


def _today() -> dt.date:
    return timezone.localdate()


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _noark_name(record: models.Model, field: str) -> str:
    for noark, model_field in getattr(record, "NOARK_FIELDS", {}).items():
        if model_field == field:
            return str(noark)
    return field


def log_change(record: Any, field: str, old: Any, new: Any, actor: Actor) -> ChangeLogEntry:
    """Append one change of `field` (a model field of `record`) to the change log."""
    return ChangeLogEntry.objects.create(
        referanse_arkivenhet=record.system_id,
        referanse_metadata=_noark_name(record, field),
        tidligere_verdi=_as_text(old),
        ny_verdi=_as_text(new),
        endret_av=actor_name(actor),
        endret_av_user=actor,
    )


def _unit_of(target: Target) -> int:
    if isinstance(target, CaseFolder):
        return int(target.unit_id)
    if isinstance(target, RegistryEntry):
        return int(target.case_folder.unit_id)
    return int(target.registry_entry.case_folder.unit_id)


def _archived(target: Target) -> bool:
    if isinstance(target, CaseFolder):
        return False
    entry = target if isinstance(target, RegistryEntry) else target.registry_entry
    return RegistryEntry.objects.filter(pk=entry.pk, arkivert_dato__isnull=False).exists()


def _target_kwargs(target: Target) -> dict[str, Any]:
    if isinstance(target, CaseFolder):
        return {"case_folder": target}
    if isinstance(target, RegistryEntry):
        return {"registry_entry": target}
    return {"document": target}


# The archive structure (the archivist's)


@transaction.atomic
def create_archive(
    tittel: str, creators: Iterable[tuple[str, str]], actor: Actor, beskrivelse: str = ""
) -> Archive:
    """Arkiv with its arkivskaparar, given as (arkivskaperID, arkivskaperNavn)."""
    require_archive_manager(actor)
    creators = list(creators)
    if not creators:
        raise ValidationError(_("Arkivet treng minst éin arkivskapar."), code="no_creator")
    archive = Archive.objects.create(
        tittel=tittel, beskrivelse=beskrivelse, opprettet_av=actor_name(actor)
    )
    for creator_id, name in creators:
        ArchiveCreator.objects.create(
            archive=archive, arkivskaper_id=creator_id, arkivskaper_navn=name
        )
    return archive


@transaction.atomic
def create_series(
    archive: Archive,
    tittel: str,
    actor: Actor,
    classification_system: ClassificationSystem | None = None,
    start: dt.date | None = None,
    status: str = ArkivdelStatus.AKTIV,
) -> Series:
    """Arkivdel: a period of the archive."""
    require_archive_manager(actor)
    return Series.objects.create(
        archive=archive,
        tittel=tittel,
        arkivdelstatus=ArkivdelStatus(status),
        arkivperiode_start_dato=start,
        classification_system=classification_system,
        opprettet_av=actor_name(actor),
    )


@transaction.atomic
def create_classification_system(
    tittel: str, actor: Actor, klassifikasjonstype: str = ""
) -> ClassificationSystem:
    require_archive_manager(actor)
    return ClassificationSystem.objects.create(
        tittel=tittel, klassifikasjonstype=klassifikasjonstype, opprettet_av=actor_name(actor)
    )


@transaction.atomic
def create_class(
    system: ClassificationSystem,
    klasse_id: str,
    tittel: str,
    actor: Actor,
    parent: ArchiveClass | None = None,
) -> ArchiveClass:
    require_archive_manager(actor)
    return ArchiveClass.objects.create(
        classification_system=system,
        parent=parent,
        klasse_id=klasse_id,
        tittel=tittel,
        opprettet_av=actor_name(actor),
    )


# Cases and registrations


@transaction.atomic
def create_saksmappe(
    series: Series,
    tittel: str,
    unit: Unit,
    saksansvarlig: Actor,
    actor: Actor,
    klasse: ArchiveClass | None = None,
    sekundaer_klasse: ArchiveClass | None = None,
    offentlig_tittel: str = "",
    saksdato: dt.date | None = None,
) -> CaseFolder:
    """A new case numbered saksår/sakssekvensnummer, e.g. 2026/123, in an open period."""
    require_records_access(actor, unit.pk)
    if series.arkivdelstatus not in {ArkivdelStatus.AKTIV, ArkivdelStatus.OVERLAPPING}:
        raise ValidationError(_("Arkivdelen er avslutta og tek ikkje imot nye saker."))
    if (
        klasse is not None
        and sekundaer_klasse is not None
        and klasse.classification_system_id == sekundaer_klasse.classification_system_id
    ):
        raise ValidationError(
            _("Den sekundære ordningsverdien må kome frå eit anna klassifikasjonssystem.")
        )
    saksdato = saksdato or _today()
    number = next_number(CASE_SERIES, saksdato.year)
    folder = CaseFolder(
        series=series,
        klasse=klasse,
        sekundaer_klasse=sekundaer_klasse,
        mappe_id=f"{saksdato.year}/{number}",
        tittel=tittel,
        offentlig_tittel=offentlig_tittel,
        saksaar=saksdato.year,
        sakssekvensnummer=number,
        saksdato=saksdato,
        unit=unit,
        administrativ_enhet=unit.name,
        saksansvarlig_user=saksansvarlig,
        saksansvarlig=actor_name(saksansvarlig),
        opprettet_av=actor_name(actor),
    )
    folder.validate_constraints()
    folder.save()
    return folder


def _check_parties(journalposttype: str, parties: Sequence[Party]) -> None:
    types = {party.korrespondanseparttype for party in parties}
    unknown = types - set(Korrespondanseparttype.values)
    if unknown:
        raise ValidationError(_("Ukjend type korrespondansepart."), code="party_type")
    if (
        journalposttype == Journalposttype.INNGAAANDE
        and Korrespondanseparttype.AVSENDAR not in types
    ):
        raise ValidationError(_("Eit inngåande dokument treng ein avsendar."), code="no_sender")
    if journalposttype == Journalposttype.UTGAAANDE and not types & {
        Korrespondanseparttype.MOTTAKAR,
        Korrespondanseparttype.GRUPPEMOTTAKAR,
    }:
        raise ValidationError(_("Eit utgåande dokument treng ein mottakar."), code="no_recipient")


@transaction.atomic
def register_journalpost(
    case_folder: CaseFolder,
    journalposttype: str,
    tittel: str,
    actor: Actor,
    parties: Sequence[Party] = (),
    offentlig_tittel: str = "",
    dokumentets_dato: dt.date | None = None,
    mottatt_dato: dt.datetime | None = None,
    sendt_dato: dt.datetime | None = None,
    forfallsdato: dt.date | None = None,
    saksbehandler: Actor | None = None,
    kind: str = RegistreringKind.JOURNALPOST,
) -> RegistryEntry:
    """Register a journal post (or, with kind=arkivnotat, a note without journal numbers) in
    an open case: journalpostnummer within the case, journalår/journalsekvensnummer in the
    journal, status J (journalført)."""
    restanse_cache.changed()
    require_records_access(actor, case_folder.unit_id)
    kind = RegistreringKind(kind)
    is_journalpost = kind == RegistreringKind.JOURNALPOST
    if is_journalpost:
        journalposttype = Journalposttype(journalposttype)
        _check_parties(journalposttype, parties)
    # Raise the case's counter first: the UPDATE locks the case row until this transaction
    # ends, and the status read after it is the committed one.
    updated = CaseFolder.objects.filter(
        pk=case_folder.pk, saksstatus=Saksstatus.UNDER_BEHANDLING
    ).update(siste_journalpostnummer=F("siste_journalpostnummer") + 1)
    if not updated:
        raise ValidationError(
            _("Saka er avslutta og tek ikkje imot nye journalpostar."), code="case_closed"
        )
    case_folder.refresh_from_db(fields=["siste_journalpostnummer", "saksstatus"])
    number = case_folder.siste_journalpostnummer
    today = _today()
    entry = RegistryEntry(
        case_folder=case_folder,
        kind=kind,
        registrerings_id=f"{case_folder.mappe_id}-{number}",
        tittel=tittel,
        offentlig_tittel=offentlig_tittel,
        journalpostnummer=number,
        journalposttype=journalposttype if is_journalpost else "",
        journalstatus=Journalstatus.JOURNALFOERT if is_journalpost else "",
        journalaar=today.year if is_journalpost else None,
        journalsekvensnummer=next_number(JOURNAL_SERIES, today.year) if is_journalpost else None,
        journaldato=today if is_journalpost else None,
        dokumentets_dato=dokumentets_dato,
        mottatt_dato=mottatt_dato,
        sendt_dato=sendt_dato,
        forfallsdato=forfallsdato,
        unit=case_folder.unit,
        administrativ_enhet=case_folder.administrativ_enhet,
        saksbehandler_user=saksbehandler or actor,
        saksbehandler=actor_name(saksbehandler or actor),
        opprettet_av=actor_name(actor),
    )
    entry.validate_constraints()
    entry.save()
    for party in parties:
        CorrespondencePart.objects.create(registry_entry=entry, **party.__dict__)
    return entry


def _locked_entry(entry: RegistryEntry) -> RegistryEntry:
    """The stored row, locked for this transaction, refused if archived."""
    stored: RegistryEntry = RegistryEntry.objects.select_for_update().get(pk=entry.pk)
    if stored.is_archived:
        raise ArchivedRecordError()
    return stored


@transaction.atomic
def change_journalpost(entry: RegistryEntry, actor: Actor, **changes: Any) -> RegistryEntry:
    """Change metadata of a registrering that is not archived; each changed field goes to
    the change log with its old and new value."""
    unknown = set(changes) - set(CHANGEABLE_ENTRY_FIELDS)
    if unknown:
        raise ValueError(f"not changeable here: {sorted(unknown)}")
    stored = _locked_entry(entry)
    restanse_cache.changed()
    require_records_access(actor, stored.case_folder.unit_id)
    if "journalposttype" in changes:
        changes["journalposttype"] = Journalposttype(changes["journalposttype"])
    changed = []
    for field, new in changes.items():
        old = getattr(stored, field)
        if old == new:
            continue
        setattr(stored, field, new)
        changed.append(field)
        log_change(stored, field, old, new, actor)
    if changed:
        stored.full_clean(validate_constraints=False)
        stored.save(update_fields=changed)
    return stored


def set_journalstatus(entry: RegistryEntry, status: str, actor: Actor) -> RegistryEntry:
    """J → E → A, or J/E → U. Archiving (A) needs every document ferdigstilt with its
    arkivformat (A) version made (`archival_variants_missing`), and after it nothing of the
    post can change."""
    status = Journalstatus(status)
    if status == Journalstatus.ARKIVERT:
        # Committed before the check, so that a refusal does not take the request back.
        request_missing_archival_variants(entry, actor)
    return _set_journalstatus(entry, status, actor)


@transaction.atomic
def _set_journalstatus(entry: RegistryEntry, status: Journalstatus, actor: Actor) -> RegistryEntry:
    stored = _locked_entry(entry)
    require_records_access(actor, stored.case_folder.unit_id)
    restanse_cache.changed()
    if stored.kind != RegistreringKind.JOURNALPOST:
        raise ValidationError(_("Eit arkivnotat har ingen journalstatus."), code="not_journalpost")
    if status not in JOURNALSTATUS_STEPS[stored.journalstatus]:
        raise ValidationError(
            _("Journalstatus kan ikkje gå frå «%(from)s» til «%(to)s».")
            % {"from": stored.get_journalstatus_display(), "to": status.label},
            code="status_step",
        )
    fields = ["journalstatus"]
    if status == Journalstatus.ARKIVERT:
        if stored.documents.exclude(dokumentstatus=Dokumentstatus.FERDIGSTILT).exists():
            raise ValidationError(
                _("Alle dokumenta må vere ferdigstilte før journalposten kan arkiverast."),
                code="documents_unfinished",
            )
        _require_archival_variants(stored)
        stored.arkivert_dato = timezone.now()
        stored.arkivert_av = actor_name(actor)
        fields += ["arkivert_dato", "arkivert_av"]
    log_change(stored, "journalstatus", stored.journalstatus, status, actor)
    stored.journalstatus = status
    stored.save(update_fields=fields)
    entry.refresh_from_db()
    return stored


def archive_arkivnotat(entry: RegistryEntry, actor: Actor) -> RegistryEntry:
    """Archive an arkivnotat (it has no journalstatus): needs every document ferdigstilt
    with its arkivformat (A) version made, and after it nothing of the note can change."""
    request_missing_archival_variants(entry, actor)
    return _archive_arkivnotat(entry, actor)


@transaction.atomic
def _archive_arkivnotat(entry: RegistryEntry, actor: Actor) -> RegistryEntry:
    stored = _locked_entry(entry)
    require_records_access(actor, stored.case_folder.unit_id)
    if stored.kind != RegistreringKind.ARKIVNOTAT:
        raise ValueError("a journalpost is archived with set_journalstatus(..., 'A')")
    if stored.documents.exclude(dokumentstatus=Dokumentstatus.FERDIGSTILT).exists():
        raise ValidationError(
            _("Alle dokumenta må vere ferdigstilte før arkivnotatet kan arkiverast."),
            code="documents_unfinished",
        )
    _require_archival_variants(stored)
    stored.arkivert_dato = timezone.now()
    stored.arkivert_av = actor_name(actor)
    log_change(stored, "arkivert_dato", None, stored.arkivert_dato, actor)
    stored.save(update_fields=["arkivert_dato", "arkivert_av"])
    entry.refresh_from_db()
    return stored


@transaction.atomic
def close_saksmappe(
    case_folder: CaseFolder, actor: Actor, status: str = Saksstatus.AVSLUTTA
) -> CaseFolder:
    """Saksstatus B → A (avslutta) or U (utgår); no new registrations after that."""
    status = Saksstatus(status)
    if status == Saksstatus.UNDER_BEHANDLING:
        raise ValueError("close_saksmappe closes; it does not reopen")
    stored: CaseFolder = CaseFolder.objects.select_for_update().get(pk=case_folder.pk)
    restanse_cache.changed()
    require_records_access(actor, stored.unit_id)
    if stored.saksstatus != Saksstatus.UNDER_BEHANDLING:
        raise ValidationError(_("Saka er alt avslutta."), code="case_closed")
    log_change(stored, "saksstatus", stored.saksstatus, status, actor)
    stored.saksstatus = status
    stored.avsluttet_dato = timezone.now()
    stored.avsluttet_av = actor_name(actor)
    stored.save(update_fields=["saksstatus", "avsluttet_dato", "avsluttet_av"])
    case_folder.refresh_from_db()
    return stored


# Avskriving: an incoming post marked as dealt with

#: What may answer an incoming post in writing: an outgoing letter or an internal memo.
ANSWER_TYPES = {Journalposttype.UTGAAANDE, Journalposttype.INTERNT_MED_OPPFOELGING}


def _check_answer(incoming: RegistryEntry, how: str, answered_by: RegistryEntry | None) -> None:
    if how not in ANSWERED_IN_WRITING:
        if answered_by is not None:
            raise ValidationError(
                _("Berre svar med brev eller e-post viser til ein journalpost."),
                code="answer_not_in_writing",
            )
        return
    if answered_by is None:
        raise ValidationError(
            _("Vel journalposten som svarar på det inngåande dokumentet."), code="no_answer"
        )
    if (
        answered_by.kind != RegistreringKind.JOURNALPOST
        or answered_by.journalposttype not in ANSWER_TYPES
    ):
        raise ValidationError(
            _("Svaret må vere ein utgåande eller organintern journalpost."), code="answer_type"
        )
    if answered_by.case_folder_id != incoming.case_folder_id:
        raise ValidationError(
            _("Svaret må liggje i same sak som det inngåande dokumentet."), code="answer_case"
        )


@transaction.atomic
def write_off(
    incoming: RegistryEntry,
    actor: Actor,
    *,
    how: str,
    answered_by: RegistryEntry | None = None,
    note: str = "",
) -> WriteOff:
    """Avskriv an incoming post (I): answered by letter or e-mail (`answered_by`, an outgoing
    or internal post in the same case), by phone, or noted (teke til etterretning/orientering).
    Once, and only before the post is archived: an archived post is final. The post then
    leaves the restanse list."""
    how = Avskrivningsmaate(how)
    # The lock makes a second write-off of the same post wait and then see the first.
    stored = _locked_entry(incoming)
    restanse_cache.changed()
    require_records_access(actor, stored.case_folder.unit_id)
    if (
        stored.kind != RegistreringKind.JOURNALPOST
        or stored.journalposttype != Journalposttype.INNGAAANDE
    ):
        raise ValidationError(_("Berre inngåande dokument kan avskrivast."), code="not_incoming")
    if WriteOff.objects.filter(registry_entry=stored).exists():
        raise ValidationError(_("Journalposten er alt avskriven."), code="written_off")
    answer = RegistryEntry.objects.get(pk=answered_by.pk) if answered_by is not None else None
    _check_answer(stored, how, answer)
    done = WriteOff(
        registry_entry=stored,
        avskrivningsmaate=how,
        answered_by=answer,
        avskrevet_av=actor_name(actor),
        avskrevet_av_user=actor,
        note=note,
    )
    done.full_clean(validate_constraints=True)
    done.save()
    text = f"{how} {answer.registrerings_id}" if answer is not None else str(how)
    log_change(stored, "write_offs", "", text, actor)
    incoming.refresh_from_db()
    return done


# Documents (metadata; the files come with the document store)


@transaction.atomic
def add_dokument(
    entry: RegistryEntry,
    tittel: str,
    actor: Actor,
    tilknyttet_registrering_som: str = TilknyttetRegistreringSom.HOVUDDOKUMENT,
    dokumenttype: str = "Brev",
) -> DocumentDescription:
    """A dokumentbeskrivelse, numbered 1, 2, 3 ... within the post; one hovuddokument."""
    stored = _locked_entry(entry)
    require_records_access(actor, stored.case_folder.unit_id)
    role = TilknyttetRegistreringSom(tilknyttet_registrering_som)
    if (
        role == TilknyttetRegistreringSom.HOVUDDOKUMENT
        and stored.documents.filter(tilknyttet_registrering_som=role).exists()
    ):
        raise ValidationError(
            _("Journalposten har alt eit hovuddokument. Legg dette til som vedlegg."),
            code="second_main_document",
        )
    last = stored.documents.aggregate(last=Max("dokumentnummer"))["last"] or 0
    return DocumentDescription.objects.create(
        registry_entry=stored,
        dokumenttype=dokumenttype,
        tittel=tittel,
        tilknyttet_registrering_som=role,
        dokumentnummer=last + 1,
        tilknyttet_av=actor_name(actor),
        opprettet_av=actor_name(actor),
    )


@transaction.atomic
def add_dokumentobjekt(
    document: DocumentDescription,
    actor: Actor,
    *,
    format: str,
    sjekksum: str,
    filstoerrelse: int,
    referanse_dokumentfil: str,
    variantformat: str = Variantformat.PRODUCTION,
    versjonsnummer: int | None = None,
) -> DocumentObject:
    """A version of a document in one variant; without `versjonsnummer` the next version."""
    _locked_entry(document.registry_entry)
    require_records_access(actor, _unit_of(document))
    # A finished document keeps its versions; only another variant (e.g. the archive
    # format) of a version it has may still be added.
    if document.dokumentstatus == Dokumentstatus.FERDIGSTILT and (
        versjonsnummer is None
        or not document.document_objects.filter(versjonsnummer=versjonsnummer).exists()
    ):
        raise ValidationError(
            _("Dokumentet er ferdigstilt og får ikkje nye versjonar."), code="finished"
        )
    if versjonsnummer is None:
        last = document.document_objects.aggregate(last=Max("versjonsnummer"))["last"] or 0
        versjonsnummer = last + 1
    obj = DocumentObject(
        document=document,
        versjonsnummer=versjonsnummer,
        variantformat=Variantformat(variantformat),
        format=format,
        sjekksum=sjekksum.lower(),
        sjekksum_algoritme="SHA256",
        filstoerrelse=filstoerrelse,
        referanse_dokumentfil=referanse_dokumentfil,
        opprettet_av=actor_name(actor),
    )
    obj.full_clean()
    obj.save()
    return obj


def add_dokumentobjekt_from_file(
    document: DocumentDescription,
    actor: Actor,
    stored_file: StoredDocument,
    *,
    variantformat: str = Variantformat.PRODUCTION,
    versjonsnummer: int | None = None,
) -> DocumentObject:
    """A version of a document whose file is in the shared store: format, checksum, size and
    the file reference come from the stored file, so they cannot disagree with it."""
    suffix = PurePosixPath(stored_file.storage_name).suffix
    obj = add_dokumentobjekt(
        document,
        actor,
        # PRONOM's "av/0" is Noark's value for a format not identified.
        format=stored_file.pronom or "av/0",
        sjekksum=stored_file.sha256,
        filstoerrelse=stored_file.size,
        referanse_dokumentfil=f"DOKUMENT/{stored_file.sha256}{suffix}",
        variantformat=variantformat,
        versjonsnummer=versjonsnummer,
    )
    DocumentObject.objects.filter(pk=obj.pk).update(stored_file=stored_file)
    obj.stored_file = stored_file
    return obj


@transaction.atomic
def finish_dokument(document: DocumentDescription, actor: Actor) -> DocumentDescription:
    """Dokumentstatus B → F (ferdigstilt). The latest version's P file gets its arkivformat
    (A) version: at once when the file is archival already (PDF/A, plain text) or its PDF/A
    was made before, else by core's PDF/A conversion in the background once this commits."""
    _locked_entry(document.registry_entry)
    require_records_access(actor, _unit_of(document))
    stored: DocumentDescription = DocumentDescription.objects.get(pk=document.pk)
    if stored.dokumentstatus == Dokumentstatus.FERDIGSTILT:
        return stored
    log_change(stored, "dokumentstatus", stored.dokumentstatus, Dokumentstatus.FERDIGSTILT, actor)
    stored.dokumentstatus = Dokumentstatus.FERDIGSTILT
    stored.save(update_fields=["dokumentstatus"])
    _request_archival_variant(stored)
    document.refresh_from_db()
    return stored


# The arkivformat (A) version of a finished document (records.archival_variant)

#: opprettetAv of an A version made by the conversion: no person made it.
ARCHIVAL_VARIANT_CREATOR = "Tenestetorget (arkivformat)"


def _latest_production_version(document: DocumentDescription) -> DocumentObject | None:
    """The P object of the document's latest version when that version has a stored file and
    no A variant yet: what still needs its arkivformat. None otherwise."""
    latest = document.document_objects.aggregate(last=Max("versjonsnummer"))["last"]
    if latest is None:
        return None
    objects = {
        obj.variantformat: obj
        for obj in document.document_objects.filter(versjonsnummer=latest).select_related(
            "stored_file"
        )
    }
    production = objects.get(Variantformat.PRODUCTION)
    if Variantformat.ARCHIVAL in objects or production is None:
        return None
    # A version registered without its file (an import) has nothing to convert.
    return production if production.stored_file_id is not None else None


def _request_archival_variant(document: DocumentDescription) -> None:
    from tenestetorget.records.archival_variant import archival_format_of

    production = _latest_production_version(document)
    if production is None or production.stored_file is None:
        return
    stored_file = production.stored_file
    as_is = archival_format_of(stored_file)
    if as_is is not None:
        add_archival_variant(production, stored_file, format=as_is)
        return
    variant = document_store.finalise(stored_file)
    if variant.conversion_status == ConversionStatus.DONE and variant.document is not None:
        # The same content was converted before (another case has the same file).
        add_archival_variant(production, variant.document, format_detaljer=variant.converter)


def request_missing_archival_variants(entry: RegistryEntry, actor: Actor) -> None:
    """Ask for the A version of every finished document of `entry` that has no request yet
    (finished before this rule); committed on its own so that a refused archiving keeps it."""
    with transaction.atomic():
        stored = _locked_entry(entry)
        require_records_access(actor, stored.case_folder.unit_id)
        documents_ = stored.documents.filter(dokumentstatus=Dokumentstatus.FERDIGSTILT)
        for document in documents_:
            production = _latest_production_version(document)
            if production is None or production.stored_file_id is None:
                continue
            if not DocumentVariant.objects.filter(
                original_id=production.stored_file_id, variant_format=VariantFormat.ARCHIVAL
            ).exists():
                _request_archival_variant(document)


@transaction.atomic
def add_archival_variant(
    document_object: DocumentObject,
    stored_file: StoredDocument,
    *,
    format: str | None = None,
    format_detaljer: str = "",
) -> DocumentObject:
    """The arkivformat (A) version of `document_object` (a P version of a finished document),
    whose file is `stored_file`: the PDF/A core made, or the P file itself when it is archival
    already (`format` then gives its archival PRONOM id). Made by the system, not a person,
    so there is no actor. Adding it twice gives the one already there."""
    production: DocumentObject = DocumentObject.objects.select_related("document").get(
        pk=document_object.pk
    )
    if production.variantformat != Variantformat.PRODUCTION:
        raise ValueError("the archival variant is made of a P version")
    _locked_entry(production.document.registry_entry)
    existing = DocumentObject.objects.filter(
        document_id=production.document_id,
        versjonsnummer=production.versjonsnummer,
        variantformat=Variantformat.ARCHIVAL,
    ).first()
    if existing is not None:
        return existing
    suffix = PurePosixPath(stored_file.storage_name).suffix
    obj = DocumentObject(
        document=production.document,
        stored_file=stored_file,
        versjonsnummer=production.versjonsnummer,
        variantformat=Variantformat.ARCHIVAL,
        format=format or stored_file.pronom or "av/0",
        format_detaljer=format_detaljer[:200],
        sjekksum=stored_file.sha256,
        sjekksum_algoritme="SHA256",
        filstoerrelse=stored_file.size,
        referanse_dokumentfil=f"DOKUMENT/{stored_file.sha256}{suffix}",
        opprettet_av=ARCHIVAL_VARIANT_CREATOR,
    )
    obj.full_clean()
    obj.save()
    return obj


def add_archival_variants_for(variant: DocumentVariant) -> list[DocumentObject]:
    """Core made the PDF/A `variant`: the A version of every finished, not archived document
    whose latest version is its original in P. Safe to run again (a task run twice)."""
    if variant.conversion_status != ConversionStatus.DONE or variant.document is None:
        return []
    if variant.variant_format != VariantFormat.ARCHIVAL:
        return []
    candidates = DocumentObject.objects.filter(
        stored_file_id=variant.original_id,
        variantformat=Variantformat.PRODUCTION,
        document__dokumentstatus=Dokumentstatus.FERDIGSTILT,
        document__registry_entry__arkivert_dato__isnull=True,
    ).select_related("document")
    made = []
    for production in candidates:
        latest = _latest_production_version(production.document)
        if latest is not None and latest.pk == production.pk:
            made.append(
                add_archival_variant(
                    production, variant.document, format_detaljer=variant.converter
                )
            )
    return made


def archival_variants_missing(entry: RegistryEntry) -> ValidationError | None:
    """Why `entry` cannot be archived yet for want of A versions, or None: a finished
    document whose latest version has a stored file in P and no A version, because its
    conversion waits or runs, or failed. A conversion that is done but not yet added (its
    worker stopped in between) is added here."""
    waiting: list[int] = []
    failed: list[tuple[int, str]] = []
    for document in entry.documents.order_by("dokumentnummer"):
        production = _latest_production_version(document)
        if production is None:
            continue
        variant = DocumentVariant.objects.filter(
            original_id=production.stored_file_id, variant_format=VariantFormat.ARCHIVAL
        ).first()
        if variant is None or variant.conversion_status == ConversionStatus.WAITING:
            waiting.append(document.dokumentnummer)
        elif variant.conversion_status == ConversionStatus.FAILED or variant.document is None:
            failed.append((document.dokumentnummer, variant.conversion_reason))
        else:
            add_archival_variant(production, variant.document, format_detaljer=variant.converter)
    if failed:
        return ValidationError(
            _(
                "Arkivformatet (PDF/A) kunne ikkje lagast for dokument %(numbers)s: %(reasons)s "
                "Dokumentet står i konverteringskøa til arkivaren."
            )
            % {
                "numbers": ", ".join(str(number) for number, _reason in failed),
                "reasons": " ".join(reason for _number, reason in failed if reason),
            },
            code="archival_variant_failed",
        )
    if waiting:
        return ValidationError(
            _(
                "Arkivformatet (PDF/A) er ikkje klart enno for dokument %(numbers)s. "
                "Prøv igjen når konverteringa er ferdig."
            )
            % {"numbers": ", ".join(str(number) for number in waiting)},
            code="archival_variant_waiting",
        )
    return None


def _require_archival_variants(entry: RegistryEntry) -> None:
    refusal = archival_variants_missing(entry)
    if refusal is not None:
        raise refusal


# What is attached


@transaction.atomic
def annotate(
    target: Target, merknadstekst: str, actor: Actor, merknadstype: str = ""
) -> Annotation:
    """Merknad: the one thing that may be added to an archived record."""
    require_records_access(actor, _unit_of(target))
    if not merknadstekst.strip():
        raise ValidationError(_("Skriv ein merknad."), code="empty")
    return Annotation.objects.create(
        merknadstekst=merknadstekst,
        merknadstype=merknadstype,
        merknad_registrert_av=actor_name(actor),
        **_target_kwargs(target),
    )


def _screening_text(screening: Screening) -> str:
    codes = ", ".join(screening.skjerming_metadata)
    return f"{screening.tilgangsrestriksjon} {screening.skjermingshjemmel} ({codes})"


@transaction.atomic
def add_skjerming(
    target: Target,
    tilgangsrestriksjon: str,
    skjermingshjemmel: str,
    skjerming_metadata: Sequence[str],
    actor: Actor,
) -> Screening:
    """Screen a record from the public journal: restriction code, legal basis and the fields
    to mask (at least one). Replaces the record's screening if it has one."""
    require_records_access(actor, _unit_of(target))
    if _archived(target):
        raise ArchivedRecordError()
    codes = list(dict.fromkeys(skjerming_metadata))
    if not codes or set(codes) - set(SkjermingMetadata.values):
        raise ValidationError(
            _("Vel kva felt som skal skjermast (skjermingsmetadata)."), code="metadata"
        )
    if not tilgangsrestriksjon.strip() or not skjermingshjemmel.strip():
        raise ValidationError(
            _("Skjerming treng tilgangsrestriksjon og heimel."), code="screening_basis"
        )
    # Noark keeps at most one skjerming per record: a new one replaces the old, and the log
    # keeps both.
    values = {
        "tilgangsrestriksjon": tilgangsrestriksjon,
        "skjermingshjemmel": skjermingshjemmel,
        "skjerming_metadata": codes,
    }
    screening = Screening.objects.select_for_update().filter(**_target_kwargs(target)).first()
    old = _screening_text(screening) if screening else ""
    if screening is None:
        screening = Screening.objects.create(**values, **_target_kwargs(target))
    else:
        for field, value in values.items():
            setattr(screening, field, value)
        screening.save(update_fields=list(values))
    if _screening_text(screening) != old:
        log_change(target, "skjerming", old, _screening_text(screening), actor)
    return screening


@transaction.atomic
def add_kryssreferanse(
    source: CaseFolder | RegistryEntry, to: CaseFolder | RegistryEntry, actor: Actor
) -> CrossReference:
    require_records_access(actor, _unit_of(source))
    if isinstance(source, RegistryEntry) and _archived(source):
        raise ArchivedRecordError()
    if source == to:
        raise ValidationError(_("Ein post kan ikkje vise til seg sjølv."), code="self_reference")
    return CrossReference.objects.create(
        from_case_folder=source if isinstance(source, CaseFolder) else None,
        from_registry_entry=source if isinstance(source, RegistryEntry) else None,
        to_case_folder=to if isinstance(to, CaseFolder) else None,
        to_registry_entry=to if isinstance(to, RegistryEntry) else None,
        opprettet_av=actor_name(actor),
    )


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def set_kassasjon(
    target: Target,
    kassasjonsvedtak: str,
    bevaringstid: int,
    actor: Actor,
    kassasjonsdato: dt.date | None = None,
    kassasjonshjemmel: str = "",
) -> Disposal:
    """Kassasjon: bevarast (B), kasserast (K) or vurderast seinare (G) after `bevaringstid`
    years; kassasjonsdato defaults to that many years from today. The archivist's decision."""
    require_archive_manager(actor)
    if _archived(target):
        raise ArchivedRecordError()
    vedtak = Kassasjonsvedtak(kassasjonsvedtak)
    values = {
        "kassasjonsvedtak": vedtak,
        "bevaringstid": bevaringstid,
        "kassasjonsdato": kassasjonsdato or _years_later(_today(), bevaringstid),
        "kassasjonshjemmel": kassasjonshjemmel,
    }
    target_kwargs = _target_kwargs(target)
    disposal = Disposal.objects.select_for_update().filter(**target_kwargs).first()
    if disposal is None:
        disposal = Disposal.objects.create(**values, **target_kwargs)
        log_change(target, "kassasjonsvedtak", "", vedtak, actor)
        return disposal
    changed = []
    for field, new in values.items():
        old = getattr(disposal, field)
        if old != new:
            log_change(target, field, old, new, actor)
            setattr(disposal, field, new)
            changed.append(field)
    if changed:
        disposal.save(update_fields=changed)
    return disposal
