"""Filing an inquiry in the archive (arkivering): the front desk feeds records.

An inquiry that the archive keeps becomes an incoming journal post (I) in a case (saksmappe):
the sender as avsendar, the inquiry's text as the main document (a PDF made here,
core.text_pdf) and each attachment as a vedlegg, all through `records.services`. When
it is answered, the answer becomes the outgoing post (U) in the same case, with the sender as
mottakar, and the incoming post is written off (avskrive) by it, in the answer's own
transaction: an answered, filed inquiry never stays in the restanse list.

Which inquiries: the queue's filing policy (organisation.Queue.filing). `always`: filed in a
new case when received, by a background task (contact.tasks.file_received_inquiry); `never`:
refused; `choice`: the officer files it from the inquiry page.

Who: a person files only where they may keep records (organisation.permissions). What the
front desk's work causes in the archive without a records keeper at hand (the automatic
filing, the answer post when the front desk answers) is done by the filing robot, an inactive
user with the archivist's role (`system_actor`), and the post names the person who did the
work as its saksbehandlar.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tenestetorget.contact.models import (
    Attachment,
    EventKind,
    FilingDirection,
    Inquiry,
    InquiryEvent,
    InquiryFiling,
    SenderKind,
)
from tenestetorget.core import documents, text_pdf
from tenestetorget.core.calendar import to_local
from tenestetorget.organisation import permissions
from tenestetorget.organisation.models import Channel, FilingPolicy, Role, StaffProfile, Unit
from tenestetorget.records import services as records
from tenestetorget.records.links import SourceLink
from tenestetorget.records.models import (
    ArchiveClass,
    ArkivdelStatus,
    Avskrivningsmaate,
    CaseFolder,
    Journalposttype,
    Journalstatus,
    Korrespondanseparttype,
    RegistreringKind,
    RegistryEntry,
    Saksstatus,
    Screening,
    Series,
    SkjermingMetadata,
    TilknyttetRegistreringSom,
    WriteOff,
)
from tenestetorget.records.public import MASK

if TYPE_CHECKING:
    from django.contrib.auth.models import User

log = logging.getLogger(__name__)

#: The filing robot's user name (see system_actor).
SYSTEM_USERNAME = "tenestetorget-arkivering"

#: Noark's dokumenttype of the inquiry's text, by the channel it came through.
DOCUMENT_TYPES = {
    Channel.EMAIL: "E-post",
    Channel.WEBFORM: "Skjema",
    Channel.LETTER: "Brev",
    Channel.PHONE: "Telefonnotat",
    Channel.COUNTER: "Notat",
    Channel.SOCIAL: "Melding",
}


@dataclass(frozen=True)
class FilingScreening:
    """Skjerming of a filed inquiry: the restriction (e.g. «13»), its legal basis (e.g.
    «Offl. § 13 jf. fvl. § 13») and the public title, with the screened words as ******.
    A public title that differs from the subject screens the title; `screen_name` the
    sender's name (avsendar on the incoming post, mottakar on the answer)."""

    tilgangsrestriksjon: str
    skjermingshjemmel: str
    offentlig_tittel: str
    screen_name: bool = True


# --- who and what ----------------------------------------------------------------------------


def system_actor() -> User:
    """The filing robot: the user the archive names for what the front desk's work files by
    itself. Inactive with no usable password, so nobody can log in as it; an archivist by
    role, so that it may register in every unit's cases. Made the first time it is needed
    (get_or_create: two first filings at once make one)."""
    user, _created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={
            "first_name": "Tenestetorget",
            "last_name": _("(automatisk arkivering)"),
            "is_active": False,
            "password": make_password(None),
        },
    )
    if permissions.profile_of(user) is None:
        unit = Unit.objects.filter(code="arkiv").first() or Unit.objects.order_by("pk").first()
        if unit is None:
            raise ValidationError(_("Det finst inga eining å registrere arkiveringa i."))
        profile, _created = StaffProfile.objects.get_or_create(
            user=user,
            defaults={"unit": unit, "role": Role.ARCHIVIST, "title": "Automatisk arkivering"},
        )
        user.staff_profile = profile
    return user


def _records_actor(user: User | None, unit_id: int) -> User:
    """`user` where they may keep records in the unit, else the filing robot."""
    if user is not None and permissions.can_keep_records(user, unit_id):
        return user
    return system_actor()


def incoming_filing(inquiry: Inquiry) -> InquiryFiling | None:
    return (
        InquiryFiling.objects.filter(inquiry=inquiry, direction=FilingDirection.INCOMING)
        .select_related("registry_entry", "registry_entry__case_folder")
        .first()
    )


def may_file(user: Any, inquiry: Inquiry) -> bool:
    """Whether the inquiry page offers `user` the filing form: the queue files by choice (or
    always, when the automatic filing has not happened), the inquiry is not filed yet, and
    the user keeps records in the queue's unit."""
    queue = inquiry.queue
    if queue is None or queue.filing == FilingPolicy.NEVER:
        return False
    if not permissions.can_keep_records(user, queue.unit_id):
        return False
    return not InquiryFiling.objects.filter(
        inquiry=inquiry, direction=FilingDirection.INCOMING
    ).exists()


def active_series() -> Series:
    """The period new cases go in: the arkivdel with status A (aktiv), the newest if there are
    several. Refused with what to do when there is none."""
    series = (
        Series.objects.filter(arkivdelstatus=ArkivdelStatus.AKTIV, archive__avsluttet_dato=None)
        .order_by("-arkivperiode_start_dato", "-pk")
        .first()
    )
    if series is None:
        raise ValidationError(
            _(
                "Arkivet har inga aktiv arkivdel å opprette saka i. Be arkivaren opprette ein "
                "arkivdel med status «aktiv»."
            ),
            code="no_series",
        )
    return series


def cases_for(user: Any) -> Any:
    """The open cases `user` may file an inquiry into, newest first."""
    cases = CaseFolder.objects.filter(saksstatus=Saksstatus.UNDER_BEHANDLING)
    role = permissions.role_of(user)
    if role in permissions.RECORDS_EVERYWHERE:
        return cases.order_by("-saksaar", "-sakssekvensnummer")
    profile = permissions.profile_of(user)
    if role in permissions.RECORDS_OWN_UNIT and profile is not None:
        return cases.filter(unit_id=profile.unit_id).order_by("-saksaar", "-sakssekvensnummer")
    return cases.none()


def case_by_number(user: Any, mappe_id: str) -> CaseFolder:
    """The open case with saksnummer «2026/12» that `user` may file into."""
    mappe_id = (mappe_id or "").strip()
    case: CaseFolder | None = cases_for(user).filter(mappe_id=mappe_id).first()
    if case is None:
        raise ValidationError(
            {
                "case_number": _(
                    "Fann inga open sak med saksnummer «%(number)s» som du kan arkivere i."
                )
                % {"number": mappe_id}
            }
        )
    return case


def _case_officer(inquiry: Inquiry, unit: Unit, actor: User) -> User:
    """Saksansvarleg of a new case: the inquiry's officer where they keep records in the unit,
    else the one filing it (a person), else the unit's leader, else the robot."""
    assigned = inquiry.assigned_to
    if assigned is not None and permissions.can_keep_records(assigned, unit.pk):
        return assigned
    if actor.username != SYSTEM_USERNAME:
        return actor
    leader = (
        StaffProfile.objects.filter(unit=unit, role=Role.UNIT_LEADER, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return leader.user if leader is not None else actor


def _party(inquiry: Inquiry, role: str) -> records.Party:
    is_person = inquiry.sender_kind in (SenderKind.RESIDENT, SenderKind.CABIN_OWNER) and not (
        inquiry.sender_organisation_number
    )
    return records.Party(
        korrespondanseparttype=role,
        korrespondansepart_navn=inquiry.sender_name or inquiry.sender.name,
        postadresse=inquiry.sender_postal_address,
        postnummer=inquiry.sender_postcode,
        poststed=inquiry.sender_postal_place,
        epostadresse=inquiry.sender_email,
        is_person=is_person,
    )


def _check_screening(screening: FilingScreening | None, title: str) -> FilingScreening | None:
    if screening is None:
        return None
    errors: dict[str, str] = {}
    if not screening.tilgangsrestriksjon.strip():
        errors["tilgangsrestriksjon"] = _("Skriv tilgangsrestriksjonen, til dømes «13».")
    if not screening.skjermingshjemmel.strip():
        errors["skjermingshjemmel"] = _("Skriv heimelen, til dømes «Offl. § 13 jf. fvl. § 13».")
    public = screening.offentlig_tittel.strip()
    if not public:
        errors["offentlig_tittel"] = _(
            "Skriv den offentlege tittelen, med dei skjerma orda bytte ut med %(mask)s."
        ) % {"mask": MASK}
    elif public == title.strip() and not screening.screen_name:
        errors["offentlig_tittel"] = _(
            "Skjerminga må skjerme noko: byt ut ord i den offentlege tittelen med %(mask)s, "
            "eller skjerm namnet til avsendaren."
        ) % {"mask": MASK}
    if errors:
        raise ValidationError(errors)
    return screening


def _screen(
    target: CaseFolder | RegistryEntry,
    screening: FilingScreening,
    title: str,
    name_code: str,
    actor: User,
) -> None:
    case = isinstance(target, CaseFolder)
    codes: list[str] = []
    if screening.offentlig_tittel.strip() != title.strip():
        codes += (
            [SkjermingMetadata.MAPPE_TITTEL_1, SkjermingMetadata.MAPPE_TITTEL_MEIR]
            if case
            else [
                SkjermingMetadata.REGISTRERING_TITTEL_1,
                SkjermingMetadata.REGISTRERING_TITTEL_MEIR,
            ]
        )
    if screening.screen_name:
        codes.append(SkjermingMetadata.NAMN_PARTAR if case else name_code)
    records.add_skjerming(
        target, screening.tilgangsrestriksjon, screening.skjermingshjemmel, codes, actor
    )


def _stored_pdf(name: str, content: bytes, actor: User) -> Any:
    return documents.store(ContentFile(content, name=name), actor=actor)


def _add_document(
    entry: RegistryEntry,
    title: str,
    stored: Any,
    actor: User,
    role: str,
    kind: str,
) -> None:
    description = records.add_dokument(
        entry, title, actor, tilknyttet_registrering_som=role, dokumenttype=kind
    )
    records.add_dokumentobjekt_from_file(description, actor, stored)
    records.finish_dokument(description, actor)


def _local(moment: dt.datetime) -> str:
    return f"{to_local(moment):%d.%m.%Y %H:%M}"


def _inquiry_pdf(inquiry: Inquiry, attachments: list[Attachment]) -> bytes:
    sender = inquiry.sender_name or inquiry.sender.name
    contact = ", ".join(x for x in (inquiry.sender_email, inquiry.sender_phone) if x)
    facts = [
        (_("Referanse"), inquiry.reference),
        (_("Motteke"), f"{_local(inquiry.received_at)} ({inquiry.get_channel_display()})"),
        (_("Frå"), f"{sender} ({contact})" if contact else sender),
    ]
    address = " ".join(
        x
        for x in (
            inquiry.sender_postal_address,
            inquiry.sender_postcode,
            inquiry.sender_postal_place,
        )
        if x
    )
    if address:
        facts.append((_("Postadresse"), address))
    if inquiry.queue is not None:
        facts.append((_("Fagområde"), inquiry.queue.name))
    if attachments:
        facts.append((_("Vedlegg"), ", ".join(a.original_name for a in attachments)))
    return text_pdf.document(inquiry.subject, facts, inquiry.body)


def _event(inquiry: Inquiry, kind: str, actor: User | None, text: str, **data: Any) -> None:
    from tenestetorget.contact.selectors import counts_changed

    transaction.on_commit(counts_changed)
    InquiryEvent.objects.create(
        inquiry=inquiry, kind=kind, actor=actor, at=timezone.now(), text=text, data=data
    )


def _timeline_actor(actor: User) -> User | None:
    # The robot's work shows on the timeline without a person's name.
    return None if actor.username == SYSTEM_USERNAME else actor


# --- filing ----------------------------------------------------------------------------------


@transaction.atomic
def file_inquiry(
    inquiry: Inquiry,
    actor: User,
    *,
    case: CaseFolder | None = None,
    new_case_title: str | None = None,
    klasse: ArchiveClass | None = None,
    screening: FilingScreening | None = None,
) -> InquiryFiling:
    """File the inquiry as an incoming journal post (I): in `case`, or in a new case titled
    `new_case_title` (default: the subject) in the active arkivdel. The sender is the
    avsendar; the text is the main document (PDF) and each attachment a vedlegg, all
    ferdigstilt. Once per inquiry; refused for a queue that never files, and for a user who
    may not keep records in the case's unit. One transaction: all of it, or nothing."""
    from tenestetorget.contact.services import can_view

    inquiry = (
        Inquiry.objects.select_for_update(of=("self",))
        .select_related("queue", "queue__unit", "sender", "assigned_to")
        .get(pk=inquiry.pk)
    )
    automatic = actor.username == SYSTEM_USERNAME
    if not automatic and not can_view(actor, inquiry):
        raise PermissionDenied(_("Du har ikkje tilgang til denne henvendinga."))
    done = incoming_filing(inquiry)
    if done is not None:
        raise ValidationError(
            _("Førespurnaden er alt arkivert i sak %(case)s.")
            % {"case": done.registry_entry.case_folder.mappe_id},
            code="filed",
        )
    queue = inquiry.queue
    if queue is None:
        raise ValidationError(
            _("Fordel henvendinga til eit fagområde før ho blir arkivert."), code="no_queue"
        )
    if queue.filing == FilingPolicy.NEVER:
        raise ValidationError(
            _("Fagområdet «%(queue)s» arkiverer ikkje henvendingar.") % {"queue": queue.name},
            code="never",
        )
    unit = case.unit if case is not None else queue.unit
    if not permissions.can_keep_records(actor, unit.pk):
        raise PermissionDenied(_("Du har ikkje løyve til å registrere eller endre i denne saka."))
    title = inquiry.subject
    screening = _check_screening(screening, title)
    if case is None:
        case = records.create_saksmappe(
            active_series(),
            (new_case_title or "").strip() or title,
            unit,
            saksansvarlig=_case_officer(inquiry, unit, actor),
            actor=actor,
            klasse=klasse,
            offentlig_tittel=screening.offentlig_tittel if screening else "",
            saksdato=to_local(inquiry.received_at).date(),
        )
        if screening is not None:
            _screen(case, screening, case.tittel, SkjermingMetadata.NAMN_PARTAR, actor)
    received = to_local(inquiry.received_at).date()
    officer = inquiry.assigned_to
    if officer is None or not permissions.can_keep_records(officer, unit.pk):
        officer = case.saksansvarlig_user or actor
    entry = records.register_journalpost(
        case,
        Journalposttype.INNGAAANDE,
        title,
        actor,
        parties=[_party(inquiry, Korrespondanseparttype.AVSENDAR)],
        offentlig_tittel=screening.offentlig_tittel if screening else "",
        dokumentets_dato=received,
        mottatt_dato=inquiry.received_at,
        forfallsdato=inquiry.due_date,
        saksbehandler=officer,
    )
    if screening is not None:
        _screen(entry, screening, title, SkjermingMetadata.NAMN_AVSENDAR, actor)
    attachments = list(inquiry.attachments.select_related("stored_file").order_by("pk"))
    text = _stored_pdf(f"{inquiry.reference}.pdf", _inquiry_pdf(inquiry, attachments), actor)
    _add_document(
        entry,
        title,
        text,
        actor,
        TilknyttetRegistreringSom.HOVUDDOKUMENT,
        DOCUMENT_TYPES.get(Channel(inquiry.channel), "Brev"),
    )
    for attachment in attachments:
        if attachment.stored_file is None:
            # Its file was lost before the document store (see contact migration 0008).
            log.warning("attachment %s of %s has no file", attachment.pk, inquiry.reference)
            continue
        _add_document(
            entry,
            attachment.original_name,
            attachment.stored_file,
            actor,
            TilknyttetRegistreringSom.VEDLEGG,
            "Vedlegg",
        )
    filing = InquiryFiling.objects.create(
        inquiry=inquiry,
        registry_entry=entry,
        direction=FilingDirection.INCOMING,
        created_by=actor,
    )
    _event(
        inquiry,
        EventKind.FILED,
        _timeline_actor(actor),
        _("Arkivert som %(id)s") % {"id": entry.registrerings_id},
        registry_entry=entry.pk,
        registrerings_id=entry.registrerings_id,
        case=case.mappe_id,
        automatic=automatic,
    )
    log.info("inquiry %s filed as %s", inquiry.reference, entry.registrerings_id)
    return filing


def file_on_receipt(inquiry_id: int) -> str:
    """The automatic filing of an inquiry received in a queue that always files (run by
    contact.tasks after the registration commits). Idempotent: an inquiry filed already, or
    no longer in such a queue, is left alone. A refusal (no active arkivdel) is written on
    the inquiry's timeline, and the officer can file it from the inquiry page once the cause
    is fixed. Returns what happened: "filed", "skipped" or "failed"."""
    inquiry = Inquiry.objects.select_related("queue").filter(pk=inquiry_id).first()
    if inquiry is None or inquiry.queue is None or inquiry.queue.filing != FilingPolicy.ALWAYS:
        return "skipped"
    if InquiryFiling.objects.filter(inquiry=inquiry, direction=FilingDirection.INCOMING).exists():
        return "skipped"
    try:
        file_inquiry(inquiry, system_actor())
    except ValidationError as error:
        if error.code == "filed":
            return "skipped"
        text = " ".join(error.messages)
        log.warning("automatic filing of %s failed: %s", inquiry.reference, text)
        with transaction.atomic():
            _event(inquiry, EventKind.FILING_FAILED, None, text)
        return "failed"
    return "filed"


def should_file_on_receipt(inquiry: Inquiry) -> bool:
    return (
        inquiry.queue is not None
        and inquiry.queue.filing == FilingPolicy.ALWAYS
        and not inquiry.first_contact_resolved
    )


# --- the answer ------------------------------------------------------------------------------


def _answer_pdf(inquiry: Inquiry, text: str, by_email: bool, at: dt.datetime) -> bytes:
    facts = [
        (_("Til"), inquiry.sender_name or inquiry.sender.name),
        (_("Svar på henvending"), f"{inquiry.reference} ({_local(inquiry.received_at)})"),
        (
            _("Sendt på e-post") if by_email else _("Gjeve på telefon eller skranke"),
            _local(at),
        ),
    ]
    if by_email:
        facts.append((_("E-post"), inquiry.sender_email))
    return text_pdf.document(inquiry.subject, facts, text)


def _copy_screening(incoming: RegistryEntry, answer: RegistryEntry, actor: User) -> None:
    """The answer is screened as the letter it answers, the name as mottakar."""
    screening = Screening.objects.filter(registry_entry=incoming).first()
    if screening is None:
        return
    codes = [
        SkjermingMetadata.NAMN_MOTTAKAR if code == SkjermingMetadata.NAMN_AVSENDAR else code
        for code in screening.skjerming_metadata
    ]
    records.add_skjerming(
        answer, screening.tilgangsrestriksjon, screening.skjermingshjemmel, codes, actor
    )


def file_answer(
    inquiry: Inquiry, actor: User, text: str, *, by_email: bool, at: dt.datetime
) -> InquiryFiling | None:
    """Called by contact.services.answer_inquiry in its transaction. For a filed inquiry: the
    answer sent by e-mail becomes an outgoing post (U) to the sender, ekspedert, with the text
    as its main document; an answer given on the phone or at the counter becomes a note
    (arkivnotat) with the text. The incoming post is written off by it (BE, or TLF). Nothing
    for an inquiry that is not filed. Any refusal (a closed case) refuses the answer too."""
    filed = incoming_filing(inquiry)
    if filed is None:
        return None
    incoming = filed.registry_entry
    case = incoming.case_folder
    if case.saksstatus != Saksstatus.UNDER_BEHANDLING:
        raise ValidationError(
            {
                "text": _(
                    "Henvendinga er arkivert i sak %(case)s, som er avslutta, så svaret kan "
                    "ikkje arkiverast der. Be arkivaren om hjelp før du svarar."
                )
                % {"case": case.mappe_id}
            }
        )
    records_actor = _records_actor(actor, case.unit_id)
    screened = Screening.objects.filter(registry_entry=incoming).exists()
    if by_email:
        answer = records.register_journalpost(
            case,
            Journalposttype.UTGAAANDE,
            incoming.tittel,
            records_actor,
            parties=[_party(inquiry, Korrespondanseparttype.MOTTAKAR)],
            offentlig_tittel=incoming.offentlig_tittel,
            dokumentets_dato=to_local(at).date(),
            sendt_dato=at,
            saksbehandler=actor,
        )
    else:
        answer = records.register_journalpost(
            case,
            "",
            _("Svar gjeve på telefon eller skranke: %(title)s") % {"title": incoming.tittel},
            records_actor,
            offentlig_tittel=(
                _("Svar gjeve på telefon eller skranke: %(title)s")
                % {"title": incoming.offentlig_tittel}
                if incoming.offentlig_tittel
                else ""
            ),
            dokumentets_dato=to_local(at).date(),
            saksbehandler=actor,
            kind=RegistreringKind.ARKIVNOTAT,
        )
    if screened:
        _copy_screening(incoming, answer, records_actor)
    stored = _stored_pdf(
        f"{inquiry.reference}-svar.pdf", _answer_pdf(inquiry, text, by_email, at), records_actor
    )
    _add_document(
        answer,
        incoming.tittel,
        stored,
        records_actor,
        TilknyttetRegistreringSom.HOVUDDOKUMENT,
        "E-post" if by_email else "Telefonnotat",
    )
    if by_email:
        # The answer is stored in the outbox in this transaction, which delivers it.
        records.set_journalstatus(answer, Journalstatus.EKSPEDERT, records_actor)
    _write_off(
        incoming,
        records_actor,
        how=Avskrivningsmaate.BESVART_MED_EPOST
        if by_email
        else Avskrivningsmaate.BESVART_PAA_TELEFON,
        answered_by=answer if by_email else None,
    )
    filing = InquiryFiling.objects.create(
        inquiry=inquiry,
        registry_entry=answer,
        direction=FilingDirection.OUTGOING,
        created_by=records_actor,
    )
    _event(
        inquiry,
        EventKind.FILED,
        _timeline_actor(actor),
        _("Svaret er arkivert som %(id)s") % {"id": answer.registrerings_id},
        registry_entry=answer.pk,
        registrerings_id=answer.registrerings_id,
        case=case.mappe_id,
        direction=FilingDirection.OUTGOING,
    )
    return filing


def _write_off(
    incoming: RegistryEntry,
    actor: User,
    *,
    how: str,
    answered_by: RegistryEntry | None = None,
    note: str = "",
) -> None:
    """Write the incoming post off unless it is already (an earlier answer) or archived
    (then it is out of the restanse list and final)."""
    if incoming.is_archived or WriteOff.objects.filter(registry_entry=incoming).exists():
        return
    records.write_off(incoming, actor, how=how, answered_by=answered_by, note=note)


def close_filed(inquiry: Inquiry, actor: User, *, note: str, first_contact: bool) -> None:
    """Called by contact.services.close_inquiry: a filed inquiry closed without an answer is
    written off as noted (TO), or as answered on the phone (TLF) when it was resolved at the
    first contact, so that it leaves the restanse list."""
    filed = incoming_filing(inquiry)
    if filed is None:
        return
    incoming = filed.registry_entry
    _write_off(
        incoming,
        _records_actor(actor, incoming.case_folder.unit_id),
        how=Avskrivningsmaate.BESVART_PAA_TELEFON
        if first_contact
        else Avskrivningsmaate.TATT_TIL_ORIENTERING,
        note=(note or _("Avslutta utan svar i Tenestetorget."))[:2000],
    )


# --- links between the two -------------------------------------------------------------------


def entry_url(entry_id: int) -> str:
    """The journal post's page (records), or "" where the records pages are not installed."""
    try:
        return reverse("records:entry", kwargs={"pk": entry_id})
    except NoReverseMatch:
        return ""


def inquiry_sources(entry_ids: list[int]) -> dict[int, SourceLink]:
    """records.links resolver: the inquiry each of these journal posts was filed from, in one
    query for the lot."""
    rows = InquiryFiling.objects.filter(registry_entry_id__in=entry_ids).values_list(
        "registry_entry_id", "inquiry__reference"
    )
    return {
        entry_id: SourceLink(
            label=_("Henvending %(reference)s") % {"reference": reference},
            url=reverse("contact:detail", kwargs={"reference": reference}),
        )
        for entry_id, reference in rows
    }
