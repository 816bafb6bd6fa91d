"""The demo archive: two years of cases and journal posts, many filed from the demo's inquiries.

Last year's arkivdel is closed (every case avslutta, every post arkivert with finished
documents and their PDF/A version, every incoming letter written off), so an archive export
(arkivuttrekk) works at once; this year's is open, with recent posts journalført or
ekspedert and a restanse of incoming letters not yet answered, of different ages.

What is in it (`archive_texts` holds the words): building applications with gnr/bnr as the
second class, alcohol licences, snowmobile permits, property tax, water and roads, plots,
kindergartens, access requests, politics and grants, and the screened kinds, child welfare,
health and care and personnel (offl. § 13 jf. fvl. § 13, offentleg tittel with ******), at
least 2 % of the posts screened. The classes are K-kodar (KS) and gards- og bruksnummer.

Filed from the inquiries: where the demo history has inquiries in a queue whose inquiries the
archive keeps (organisation.Queue.filing not «never») the case starts from one of them: its
subject, its sender as avsendar, its receipt as journaldato, its text as the letter; the
inquiry is linked to its journal post (contact.InquiryFiling) where that model exists.

How it keeps the rules and stays quick: the rows are written in bulk, not through the
per-post services (which would take minutes), but every number comes from `core.numbering`
in date order (saksnummer per saksår, journalnummer per journalår, journalpostnummer
1, 2, 3 ... per case), and the change log gets what the services would have logged
(journalstatus and dokumentstatus steps, write-offs, closed cases, screenings). Periods are
closed with `records.periods.close_series`. The documents are real PDFs (`demo.pdf`) in the
document store: an archived post's letter is the standard letter of its document type (the
same text is one file, so four Ghostscript conversions to PDF/A, made during the load); a
letter still in work is personal, and its PDF/A is left to the task worker
(`core.documents.finalise`), as finishing a document does.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from tenestetorget.core import documents
from tenestetorget.core.calendar import to_local
from tenestetorget.core.models import ConversionStatus, DocumentVariant
from tenestetorget.core.models import Document as StoredDocument
from tenestetorget.core.numbering import next_number
from tenestetorget.demo import archive_texts as texts
from tenestetorget.demo.pdf import text_pdf
from tenestetorget.organisation.models import Role, StaffProfile, Unit
from tenestetorget.records import periods, public_search, services
from tenestetorget.records.models import (
    Archive,
    ArchiveClass,
    CaseFolder,
    ChangeLogEntry,
    CorrespondencePart,
    DocumentDescription,
    DocumentObject,
    RegistryEntry,
    Screening,
    Series,
    WriteOff,
)

log = logging.getLogger(__name__)

#: Cases in the full demo (over last year and this year up to today).
DEFAULT_CASES = 3_000
DEFAULT_SEED = 1_838  # the year of the formannskapslovene; any fixed number does
ARCHIVIST_USERNAME = "arkiv"
#: At least this share of the cases is of a screened kind (child welfare, health, personnel).
SCREENED_CASE_SHARE = 0.04
#: Demo queues whose inquiries become cases of a kind (queue code -> case kind code).
QUEUE_KINDS = {
    "byggjesak": "byggjesak",
    "oppmaling": "oppmaling",
    "motorferdsel": "motorferdsel",
    "alkohol": "alkohol",
    "helse": "helse",
    "personal": "personal",
    "innsyn": "innsyn",
    "tomter": "tomtesal",
    "eigedomsskatt": "eigedomsskatt",
    "vatn_avlop": "vatn",
    "veg": "veg",
    "barnehage": "barnehage",
    "kultur": "kulturmidlar",
    "brann": "brann",
}
BATCH = 500

Progress = Callable[[str], None]


@dataclass
class ArchiveReport:
    cases: int = 0
    posts: int = 0
    from_inquiries: int = 0
    screened_posts: int = 0
    restanse: int = 0
    closed_cases: int = 0
    files: int = 0
    conversions: int = 0
    conversions_queued: int = 0
    seconds: float = 0.0


@dataclass
class _Post:
    journalposttype: str
    journaldato: dt.date
    tittel: str
    offentlig_tittel: str
    party: str
    is_person: bool
    letter: tuple[str, list[str]]  # heading, paragraphs
    standard_key: str  # the journalposttype: the standard letter of an archived post
    inquiry_id: int | None = None
    received_at: dt.datetime | None = None
    archived: bool = False
    written_off: str = ""  # avskrivningsmåte, "" when not written off
    answered_by: int | None = None  # index of the answering post in the case
    entry: RegistryEntry | None = None


@dataclass
class _Case:
    kind: texts.CaseKind
    saksdato: dt.date
    tittel: str
    offentlig_tittel: str
    officer: Any
    gnr: tuple[int, int] | None
    posts: list[_Post] = field(default_factory=list)
    closed: bool = False
    status: str = "B"
    folder: CaseFolder | None = None


# --- who and what -------------------------------------------------------------------------------


def _officers() -> dict[str, list[Any]]:
    """The demo staff who may keep records, per unit code: case officers and unit leaders,
    the archivist in the archive's unit."""
    found: dict[str, list[Any]] = defaultdict(list)
    profiles = StaffProfile.objects.select_related("user", "unit").filter(
        role__in=[Role.CASE_OFFICER, Role.UNIT_LEADER, Role.ARCHIVIST]
    )
    for profile in profiles.order_by("user__username"):
        found[profile.unit.code].append(profile.user)
    return found


def _fill(template: str, case: dict[str, str]) -> str:
    return template.format(**case)


def _slots(rng: random.Random, kind: texts.CaseKind, party: str) -> dict[str, str]:
    gnr, bnr = rng.randint(1, 120), rng.randint(1, 60)
    place = texts.RARE_PLACE if rng.random() < 0.01 else rng.choice(texts.PLACES)
    return {
        "namn": party,
        "eigedom": f"Gnr. {gnr} bnr. {bnr}",
        "stad": place,
        "tiltak": rng.choice(texts.TILTAK),
        "gnr": str(gnr),
        "bnr": str(bnr),
    }


def _party(rng: random.Random, kind: texts.CaseKind) -> tuple[str, bool]:
    if rng.random() < kind.person_share:
        last = texts.RARE_LAST_NAME if rng.random() < 0.005 else rng.choice(texts.LAST_NAMES)
        return f"{rng.choice(texts.FIRST_NAMES)} {last}", True
    return rng.choice(texts.ORGANISATIONS), False


def _inquiries(rng: random.Random, first: dt.date, today: dt.date) -> dict[str, list[Any]]:
    """The demo's inquiries the archive would keep, per case kind, oldest first."""
    from tenestetorget.contact.models import Inquiry

    rows = (
        Inquiry.objects.filter(queue__code__in=list(QUEUE_KINDS), received_at__date__gte=first)
        .exclude(queue__filing="never")
        .select_related("queue")
        .only(
            "pk",
            "subject",
            "body",
            "sender_name",
            "sender_kind",
            "sender_organisation_number",
            "received_at",
            "queue__code",
        )
        .order_by("received_at", "pk")
    )
    found: dict[str, list[Any]] = defaultdict(list)
    for inquiry in rows.iterator(chunk_size=2000):
        queue = inquiry.queue
        if queue is not None and to_local(inquiry.received_at).date() <= today:
            found[QUEUE_KINDS[queue.code]].append(inquiry)
    return found


# --- planning the cases in memory ----------------------------------------------------------------


def _kind_counts(cases: int) -> dict[str, int]:
    """Cases per kind, by weight, with the screened kinds at least SCREENED_CASE_SHARE."""
    total = sum(kind.weight for kind in texts.CASE_KINDS)
    counts = {kind.code: max(1, round(cases * kind.weight / total)) for kind in texts.CASE_KINDS}
    screened = [kind for kind in texts.CASE_KINDS if kind.screened]
    need = max(len(screened), round(cases * SCREENED_CASE_SHARE))
    have = sum(counts[kind.code] for kind in screened)
    for n in range(max(0, need - have)):
        counts[screened[n % len(screened)].code] += 1
    return counts


def _plan(
    cases: int, rng: random.Random, today: dt.date, officers: dict[str, list[Any]]
) -> tuple[list[_Case], int]:
    first = dt.date(today.year - 1, 1, 1)
    span = (today - first).days
    inquiries = _inquiries(rng, first, today)
    planned: list[_Case] = []
    from_inquiries = 0
    for kind in texts.CASE_KINDS:
        count = _kind_counts(cases)[kind.code]
        pool = inquiries.get(kind.code, [])
        chosen = sorted(rng.sample(pool, min(count, len(pool))), key=lambda q: q.received_at)
        people = officers.get(kind.unit) or officers[texts.CASE_KINDS[0].unit]
        for n in range(count):
            inquiry = chosen[n] if n < len(chosen) else None
            if inquiry is not None:
                saksdato = to_local(inquiry.received_at).date()
                party = inquiry.sender_name or "Ukjend avsendar"
                is_person = not inquiry.sender_organisation_number and (
                    inquiry.sender_kind in ("resident", "cabin_owner", "")
                )
                from_inquiries += 1
            else:
                saksdato = first + dt.timedelta(days=rng.randint(0, span))
                party, is_person = _party(rng, kind)
            slots = _slots(rng, kind, party)
            masked = {**slots, "namn": texts.MASK}
            case = _Case(
                kind=kind,
                saksdato=saksdato,
                tittel=_fill(kind.case_title, slots),
                offentlig_tittel=_fill(kind.case_title, masked) if kind.screened else "",
                officer=people[n % len(people)],
                gnr=(int(slots["gnr"]), int(slots["bnr"])) if kind.gnr_bnr else None,
            )
            _plan_posts(case, rng, today, slots, party, is_person, inquiry)
            planned.append(case)
    planned.sort(key=lambda case: (case.saksdato, case.tittel))
    return planned, from_inquiries


def _post_type(rng: random.Random, position: int) -> str:
    r = rng.random()
    if position == 0:
        return "I" if r < 0.85 else "U" if r < 0.9 else "N" if r < 0.95 else "X"
    return "I" if r < 0.33 else "U" if r < 0.83 else "N" if r < 0.92 else "X"


def _plan_posts(
    case: _Case,
    rng: random.Random,
    today: dt.date,
    slots: dict[str, str],
    party: str,
    is_person: bool,
    inquiry: Any,
) -> None:
    kind = case.kind
    last_day = dt.date(today.year - 1, 12, 31) if case.saksdato.year < today.year else today
    case.closed = case.saksdato.year < today.year
    count = 1
    while count < 8 and rng.random() < 2 / 3:
        count += 1
    day = case.saksdato
    masked = {**slots, "namn": texts.MASK}
    officer_name = services.actor_name(case.officer)
    for position in range(count):
        if position:
            day = min(day + dt.timedelta(days=rng.randint(2, 21)), last_day)
        from_inquiry = position == 0 and inquiry is not None
        t = "I" if from_inquiry else _post_type(rng, position)
        template = rng.choice(kind.titles(t))
        title = _fill(template, slots)
        public = _fill(template, masked) if kind.screened else ""
        sender, sender_is_person = party, is_person
        if t == "I" and not from_inquiry and rng.random() < 0.2:
            sender, sender_is_person = _party(rng, kind)
        if t in ("N", "X"):
            sender, sender_is_person = officer_name, False
        if from_inquiry:
            title = inquiry.subject[:1000]
            public = f"{inquiry.subject} - {texts.MASK}"[:1000] if kind.screened else ""
            if kind.screened:
                title = f"{inquiry.subject} - {party}"[:1000]
            letter = (inquiry.subject, [inquiry.body or inquiry.subject, f"Helsing\n{party}"])
        else:
            letter = (title, texts.letter_paragraphs(t, title, sender, officer_name))
        case.posts.append(
            _Post(
                journalposttype=t,
                journaldato=day,
                tittel=title,
                offentlig_tittel=public,
                party=sender,
                is_person=sender_is_person,
                letter=letter,
                standard_key=t,
                inquiry_id=inquiry.pk if from_inquiry else None,
                received_at=inquiry.received_at if from_inquiry else None,
            )
        )
    _decide(case, rng, today)


def _decide(case: _Case, rng: random.Random, today: dt.date) -> None:
    """Write-offs, journalstatus and saksstatus, as the officers would have left them."""
    posts = case.posts
    for n, post in enumerate(posts):
        if post.journalposttype != "I":
            continue
        answer = next(
            (m for m in range(n + 1, len(posts)) if posts[m].journalposttype in ("U", "N")), None
        )
        age = (today - post.journaldato).days
        if answer is not None and (case.closed or rng.random() < 0.97):
            post.written_off = "BE" if rng.random() < 0.3 else "BU"
            post.answered_by = answer
        elif case.closed or rng.random() < (0.95 if age > 60 else 0.7 if age > 14 else 0.3):
            post.written_off = rng.choice(["TLF", "TLF", "TE", "TE", "TO"])
    for post in posts:
        age = (today - post.journaldato).days
        if case.closed:
            post.archived = True
        elif post.journalposttype == "I":
            post.archived = bool(post.written_off) and age > 21
        else:
            post.archived = age > 21
    if case.closed:
        case.status = "A"
    elif rng.random() < 0.005:
        case.status = "U"
    elif (
        all(post.archived for post in posts)
        and (today - case.saksdato).days > 60
        and rng.random() < 0.8
    ):
        case.status = "A"


# --- writing -------------------------------------------------------------------------------------


def _standard_letters(
    planned: list[_Case], archivist: Any, report: ArchiveReport, progress: Progress
) -> dict[str, tuple[StoredDocument, StoredDocument]]:
    """The standard letter of each document type that an archived post uses, stored, with
    its PDF/A made now by Ghostscript, since an archived post needs its arkivformat version.
    One letter per type keeps the conversions at the load to four."""
    keys = sorted({post.standard_key for case in planned for post in case.posts if post.archived})
    made: dict[str, tuple[StoredDocument, StoredDocument]] = {}
    for t in keys:
        heading = f"Standardbrev: {_STANDARD_HEADINGS[t]}"
        body = texts.letter_paragraphs(t, heading, "avsendaren", "sakshandsamaren")
        stored = documents.store(
            ContentFile(text_pdf(heading, body)), f"standard-{t}.pdf", archivist
        )
        variant = documents.make_archival_variant(stored)
        if variant.conversion_status != ConversionStatus.DONE or variant.document is None:
            raise RuntimeError(
                f"The PDF/A of the demo's standard letter ({t}) was not made "
                f"({variant.conversion_status}: {variant.conversion_reason}). Install "
                "Ghostscript (make archive-deps) and load the demo again."
            )
        made[t] = (stored, variant.document)
        report.conversions += 1
    progress(f"  standard letters with their PDF/A: {len(made)}")
    return made


_STANDARD_HEADINGS = {
    "I": "innkome brev",
    "U": "svarbrev og vedtak",
    "N": "internt notat til oppfølging",
    "X": "notat til saka",
}


def _classes(archivist: Any, planned: list[_Case]) -> tuple[Any, dict[str, ArchiveClass], Any]:
    kkodar = services.create_classification_system("K-kodar", archivist, "K-kodar")
    gnr_system = services.create_classification_system(
        "Gards- og bruksnummer", archivist, "Gardsnummer/bruksnummer"
    )
    classes: dict[str, ArchiveClass] = {}
    for kind in texts.CASE_KINDS:
        if kind.klasse_id not in classes:
            classes[kind.klasse_id] = services.create_class(
                kkodar, kind.klasse_id, kind.klasse_tittel, archivist
            )
    wanted = sorted({case.gnr for case in planned if case.gnr is not None})
    name = services.actor_name(archivist)
    ArchiveClass.objects.bulk_create(
        [
            ArchiveClass(
                classification_system=gnr_system,
                klasse_id=f"{gnr}/{bnr}",
                tittel=f"Gnr. {gnr} bnr. {bnr}",
                opprettet_av=name,
            )
            for gnr, bnr in wanted
        ],
        batch_size=BATCH,
    )
    gnr_classes = {
        c.klasse_id: c for c in ArchiveClass.objects.filter(classification_system=gnr_system)
    }
    return kkodar, classes, gnr_classes


def _moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    moment = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())
    return min(moment, timezone.now())


def _log(record: Any, field: str, old: str, new: str, when: dt.datetime, user: Any) -> Any:
    return ChangeLogEntry(
        referanse_arkivenhet=record.system_id,
        referanse_metadata=field,
        tidligere_verdi=old,
        ny_verdi=new,
        endret_dato=when,
        endret_av=services.actor_name(user),
        endret_av_user=user,
    )


def _screening_text(fields: tuple[str, ...]) -> str:
    return f"{texts.SCREENING_CODE} {texts.SCREENING_BASIS} ({', '.join(fields)})"


def _write_cases(
    planned: list[_Case],
    series: dict[int, Series],
    classes: dict[str, ArchiveClass],
    gnr_classes: dict[str, ArchiveClass],
    units: dict[str, Unit],
) -> list[ChangeLogEntry]:
    changes: list[ChangeLogEntry] = []
    folders = []
    for case in planned:
        year = case.saksdato.year
        number = next_number(services.CASE_SERIES, year)
        unit = units[case.kind.unit]
        name = services.actor_name(case.officer)
        closed_at = (
            _moment(case.posts[-1].journaldato + dt.timedelta(days=1), 15)
            if case.status != "B"
            else None
        )
        if case.closed and closed_at is not None:
            closed_at = min(closed_at, _moment(dt.date(year, 12, 31), 15))
        case.folder = CaseFolder(
            series=series[year],
            klasse=classes[case.kind.klasse_id],
            sekundaer_klasse=gnr_classes.get(f"{case.gnr[0]}/{case.gnr[1]}") if case.gnr else None,
            mappe_id=f"{year}/{number}",
            tittel=case.tittel[:1000],
            offentlig_tittel=case.offentlig_tittel[:1000],
            saksaar=year,
            sakssekvensnummer=number,
            saksdato=case.saksdato,
            unit=unit,
            administrativ_enhet=unit.name,
            saksansvarlig_user=case.officer,
            saksansvarlig=name,
            saksstatus=case.status,
            avsluttet_dato=closed_at,
            avsluttet_av=name if closed_at else "",
            siste_journalpostnummer=len(case.posts),
            opprettet_dato=_moment(case.saksdato, 9),
            opprettet_av=name,
        )
        folders.append(case.folder)
    CaseFolder.objects.bulk_create(folders, batch_size=BATCH)
    for case in planned:
        folder = case.folder
        assert folder is not None
        if folder.avsluttet_dato is not None:
            changes.append(
                _log(folder, "saksstatus", "B", case.status, folder.avsluttet_dato, case.officer)
            )
    return changes


def _write_posts(planned: list[_Case]) -> None:
    """The journal posts, journal numbers taken in date order per journalår."""
    ordered = sorted(
        (
            (post.journaldato, n, m)
            for n, case in enumerate(planned)
            for m, post in enumerate(case.posts)
        )
    )
    entries = []
    for day, n, m in ordered:
        case, post = planned[n], planned[n].posts[m]
        folder = case.folder
        assert folder is not None
        name = services.actor_name(case.officer)
        archived = post.archived
        post.entry = RegistryEntry(
            case_folder=folder,
            kind="journalpost",
            registrerings_id=f"{folder.mappe_id}-{m + 1}",
            tittel=post.tittel,
            offentlig_tittel=post.offentlig_tittel,
            journalaar=day.year,
            journalsekvensnummer=next_number(services.JOURNAL_SERIES, day.year),
            journalpostnummer=m + 1,
            journalposttype=post.journalposttype,
            journalstatus="A" if archived else ("E" if post.journalposttype == "U" else "J"),
            journaldato=day,
            dokumentets_dato=day - dt.timedelta(days=2) if post.journalposttype == "I" else day,
            mottatt_dato=post.received_at
            or (_moment(day, 8, 30) if post.journalposttype == "I" else None),
            sendt_dato=_moment(day, 14) if post.journalposttype == "U" else None,
            forfallsdato=day + dt.timedelta(days=21) if post.journalposttype == "I" else None,
            unit=folder.unit,
            administrativ_enhet=folder.administrativ_enhet,
            saksbehandler_user=case.officer,
            saksbehandler=name,
            arkivert_dato=_moment(day + dt.timedelta(days=3), 15) if archived else None,
            arkivert_av=name if archived else "",
            # Written off below, in bulk, when the post may be archived already.
            avskriven=bool(post.written_off),
            opprettet_dato=_moment(day, 10),
            opprettet_av=name,
        )
        entries.append(post.entry)
    RegistryEntry.objects.bulk_create(entries, batch_size=BATCH)


def _write_parts(
    planned: list[_Case],
    letters: dict[str, tuple[StoredDocument, StoredDocument]],
    archivist: Any,
    report: ArchiveReport,
) -> list[ChangeLogEntry]:
    """Parties, documents and their versions, write-offs, screenings; the change log rows."""
    changes: list[ChangeLogEntry] = []
    parties, descriptions, write_offs, screenings = [], [], [], []
    personal: dict[tuple[str, tuple[str, ...]], StoredDocument] = {}
    for case in planned:
        folder = case.folder
        assert folder is not None
        if case.kind.screened:
            screenings.append(
                Screening(
                    case_folder=folder,
                    tilgangsrestriksjon=texts.SCREENING_CODE,
                    skjermingshjemmel=texts.SCREENING_BASIS,
                    skjerming_metadata=list(texts.CASE_SCREENED_FIELDS),
                )
            )
            changes.append(
                _log(
                    folder,
                    "skjerming",
                    "",
                    _screening_text(texts.CASE_SCREENED_FIELDS),
                    folder.opprettet_dato,
                    case.officer,
                )
            )
        for post in case.posts:
            entry = post.entry
            assert entry is not None
            t = post.journalposttype
            role = {"I": "EA", "U": "EM"}.get(t, "IM")
            parties.append(
                CorrespondencePart(
                    registry_entry=entry,
                    korrespondanseparttype=role,
                    korrespondansepart_navn=post.party[:300],
                    administrativ_enhet=folder.administrativ_enhet if role == "IM" else "",
                    saksbehandler=post.party if role == "IM" else "",
                    is_person=post.is_person,
                )
            )
            finished = not (t in ("N", "X") and entry.journalstatus == "J")
            descriptions.append(
                DocumentDescription(
                    registry_entry=entry,
                    dokumenttype="Notat" if t in ("N", "X") else "Brev",
                    dokumentstatus="F" if finished else "B",
                    tittel=post.tittel,
                    tilknyttet_registrering_som="H",
                    dokumentnummer=1,
                    tilknyttet_dato=entry.opprettet_dato,
                    tilknyttet_av=entry.saksbehandler,
                    opprettet_dato=entry.opprettet_dato,
                    opprettet_av=entry.saksbehandler,
                )
            )
            if post.written_off:
                answer = (
                    case.posts[post.answered_by].entry if post.answered_by is not None else None
                )
                when = post.journaldato + dt.timedelta(days=2)
                if answer is not None and answer.journaldato is not None:
                    when = answer.journaldato
                when = min(when, timezone.localdate())
                write_offs.append(
                    WriteOff(
                        registry_entry=entry,
                        avskrivningsdato=when,
                        avskrevet_av=entry.saksbehandler,
                        avskrevet_av_user=case.officer,
                        avskrivningsmaate=post.written_off,
                        answered_by=answer,
                    )
                )
                text = post.written_off + (f" {answer.registrerings_id}" if answer else "")
                changes.append(
                    _log(entry, "avskrivning", "", text, _moment(when, 13), case.officer)
                )
            if case.kind.screened:
                screenings.append(
                    Screening(
                        registry_entry=entry,
                        tilgangsrestriksjon=texts.SCREENING_CODE,
                        skjermingshjemmel=texts.SCREENING_BASIS,
                        skjerming_metadata=list(texts.ENTRY_SCREENED_FIELDS),
                    )
                )
                changes.append(
                    _log(
                        entry,
                        "skjerming",
                        "",
                        _screening_text(texts.ENTRY_SCREENED_FIELDS),
                        entry.opprettet_dato,
                        case.officer,
                    )
                )
                report.screened_posts += 1
            # Journalstatus steps, as set_journalstatus logs them.
            if t == "U":
                changes.append(
                    _log(
                        entry,
                        "journalstatus",
                        "J",
                        "E",
                        _moment(post.journaldato, 14),
                        case.officer,
                    )
                )
            if entry.journalstatus == "A":
                old = "E" if t == "U" else "J"
                assert entry.arkivert_dato is not None
                changes.append(
                    _log(entry, "journalstatus", old, "A", entry.arkivert_dato, case.officer)
                )
    CorrespondencePart.objects.bulk_create(parties, batch_size=BATCH)
    DocumentDescription.objects.bulk_create(descriptions, batch_size=BATCH)
    WriteOff.objects.bulk_create(write_offs, batch_size=BATCH)
    Screening.objects.bulk_create(screenings, batch_size=BATCH)
    objects: list[DocumentObject] = []
    # The converter that made each standard letter's PDF/A, named in its A versions.
    converters = {
        variant.original_id: variant.converter
        for variant in DocumentVariant.objects.filter(
            original__in=[production for production, _archival in letters.values()]
        )
    }
    to_finalise: list[StoredDocument] = []
    posts = [post for case in planned for post in case.posts]
    for post, description in zip(posts, descriptions, strict=True):
        entry = post.entry
        assert entry is not None
        if description.dokumentstatus == "F":
            changes.append(
                _log(
                    description,
                    "dokumentstatus",
                    "B",
                    "F",
                    description.tilknyttet_dato,
                    entry.saksbehandler_user,
                )
            )
        if post.archived:
            production, archival = letters[post.standard_key]
        else:
            heading, paragraphs = post.letter
            key = (heading, tuple(paragraphs))
            if key not in personal:
                personal[key] = documents.store(
                    ContentFile(text_pdf(heading, paragraphs)), "brev.pdf", archivist
                )
            production, archival = personal[key], None
            if description.dokumentstatus == "F":
                to_finalise.append(production)
        objects.append(_object(description, production, "P", entry.saksbehandler))
        if archival is not None:
            objects.append(
                _object(
                    description,
                    archival,
                    "A",
                    services.ARCHIVAL_VARIANT_CREATOR,
                    detail=converters[production.pk],
                )
            )
    DocumentObject.objects.bulk_create(objects, batch_size=BATCH)
    report.files = len(personal) + 2 * len(letters)
    # Finished documents still in work: their PDF/A is made by the task worker, as
    # finish_dokument asks for it; the listener then adds the A version.
    for stored in {doc.pk: doc for doc in to_finalise}.values():
        documents.finalise(stored)
        report.conversions_queued += 1
    return changes


def _object(
    description: DocumentDescription,
    stored: StoredDocument,
    variant: str,
    by: str,
    detail: str = "",
) -> DocumentObject:
    return DocumentObject(
        document=description,
        stored_file=stored,
        versjonsnummer=1,
        variantformat=variant,
        format=stored.pronom or "av/0",
        format_detaljer=detail[:200],
        referanse_dokumentfil=f"DOKUMENT/{stored.sha256}{PurePosixPath(stored.storage_name).suffix}",
        sjekksum=stored.sha256,
        sjekksum_algoritme="SHA256",
        filstoerrelse=stored.size,
        opprettet_dato=description.opprettet_dato,
        opprettet_av=by,
    )


def _link_inquiries(planned: list[_Case]) -> int:
    """Link each inquiry to the journal post it became, where contact keeps such links."""
    try:
        filing = apps.get_model("contact", "InquiryFiling")
    except LookupError:
        return 0
    rows = [
        filing(
            inquiry_id=post.inquiry_id,
            registry_entry=post.entry,
            direction="incoming",
            created_by=case.officer,
            created_at=post.entry.opprettet_dato,
        )
        for case in planned
        for post in case.posts
        if post.inquiry_id is not None and post.entry is not None
    ]
    filing.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def load_archive(
    *,
    cases: int = DEFAULT_CASES,
    seed: int = DEFAULT_SEED,
    today: dt.date | None = None,
    progress: Progress = print,
) -> ArchiveReport:
    """Load the demo archive (see the module's docstring) into a database with the demo
    organisation and staff; the demo's inquiries, where loaded, become cases."""
    started = time.perf_counter()
    report = ArchiveReport()
    if Archive.objects.exists():
        progress("  the archive is there already: nothing to do")
        return report
    today = today or timezone.localdate()
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    archivist = get_user_model().objects.get(username=ARCHIVIST_USERNAME)
    units = {unit.code: unit for unit in Unit.objects.all()}
    officers = _officers()
    planned, report.from_inquiries = _plan(cases, rng, today, officers)
    progress(f"  planned {len(planned)} cases ({report.from_inquiries} from inquiries)")
    with transaction.atomic():
        letters = _standard_letters(planned, archivist, report, progress)
        archive = services.create_archive(
            "Vinje kommune - arkiv", [("964964998", "Vinje kommune")], archivist
        )
        kkodar, classes, gnr_classes = _classes(archivist, planned)
        last = services.create_series(
            archive, f"Sakarkiv {today.year - 1}", archivist, kkodar, dt.date(today.year - 1, 1, 1)
        )
        this = services.create_series(
            archive, f"Sakarkiv {today.year}-", archivist, kkodar, dt.date(today.year, 1, 1)
        )
        series = {today.year - 1: last, today.year: this}
        changes = _write_cases(planned, series, classes, gnr_classes, units)
        _write_posts(planned)
        changes += _write_parts(planned, letters, archivist, report)
        ChangeLogEntry.objects.bulk_create(changes, batch_size=BATCH)
        _link_inquiries(planned)
        periods.close_series(last, archivist, today=dt.date(today.year - 1, 12, 31))
        # Written in bulk, the posts passed no signal: their rows in the public journal's
        # search table are written here, through records.public like every other.
        public_search.refresh(
            post.entry.pk for case in planned for post in case.posts if post.entry is not None
        )
        progress("  public journal rows written")
    report.cases = len(planned)
    report.posts = sum(len(case.posts) for case in planned)
    report.closed_cases = sum(case.status != "B" for case in planned)
    report.restanse = sum(
        1
        for case in planned
        if case.status != "U"
        for post in case.posts
        if post.journalposttype == "I" and not post.written_off
    )
    report.seconds = time.perf_counter() - started
    return report
