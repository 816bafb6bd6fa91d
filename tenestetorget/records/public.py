"""What of the journal may be public: the one place that decides it.

Every public output (the public journal page, its JSON in the API, offentligJournal.xml in
the archive export) takes its data from `public_entries` and nothing else, so that a rule
kept here is kept everywhere. The rules (offentleglova §§ 13–26, offentlegforskrifta § 6,
arkivforskrifta § 10, Noark 5 skjermingMetadata M502):

* A screened post shows its public title (offentligTittel): the title with the screened
  words replaced by `******`. Its full title never appears. If no public title was written,
  or the one written still equals the full title, the screened lines are masked whole:
  TR1 the first line, TRO the lines after it, both (or a screening that names no field, or
  the temporary screening M) the whole title.
* The case's screening applies to its posts as well as to the case: TM1/TMO mask the case
  title in the same way, and a code meant for posts (TR1, NA, ...) set on the case masks
  that field in every post of the case.
* Party names are masked by NA (senders), NM (recipients) and NPS (every party of the case).
* A fødselsnummer, or anything that looks like one, is replaced by `******` in every text,
  screened or not: the public journal never shows one, not even the birth date.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Q, QuerySet

from tenestetorget.core.identifiers import remove_fodselsnummer_in_text
from tenestetorget.records.models import (
    CorrespondencePart,
    Journalstatus,
    Korrespondanseparttype,
    RegistreringKind,
    RegistryEntry,
    Screening,
    SkjermingMetadata,
)
from tenestetorget.records.queries import among

MASK = "******"

#: Every field code, for a screening that names none (nothing may leak by omission).
_ALL_CODES = frozenset(SkjermingMetadata.values)
_SENDERS = frozenset({Korrespondanseparttype.AVSENDAR, Korrespondanseparttype.INTERN_AVSENDAR})


@dataclass(frozen=True)
class PublicParty:
    """A sender or recipient as the public may see them."""

    role: str
    name: str
    # A private person: their name is not searchable once the post is a year old.
    is_person: bool


@dataclass(frozen=True)
class PublicEntry:
    """One journal post as the public journal shows it."""

    entry_id: int
    system_id: uuid.UUID
    registrerings_id: str
    journalaar: int
    journalsekvensnummer: int
    journalpostnummer: int
    journalposttype: str
    journaldato: dt.date
    dokumentets_dato: dt.date | None
    tittel: str
    case_id: int
    case_system_id: uuid.UUID
    mappe_id: str
    saksaar: int
    sakssekvensnummer: int
    case_tittel: str
    administrativ_enhet: str
    saksbehandler: str
    parties: tuple[PublicParty, ...]
    screened: bool
    tilgangsrestriksjon: str
    skjermingshjemmel: str


def publishable_entries() -> QuerySet[RegistryEntry]:
    """The journal posts that belong in the public journal: every journalført post
    (arkivnotat are not journalført; a post that has utgått is no longer in the journal)."""
    return RegistryEntry.objects.filter(kind=RegistreringKind.JOURNALPOST).exclude(
        journalstatus=Journalstatus.UTGAAR
    )


def public_text(text: str) -> str:
    """Any text bound for public output, with every fødselsnummer removed."""
    return remove_fodselsnummer_in_text(text, MASK)


def codes_of(screening: Screening | None) -> frozenset[str]:
    """The fields a screening masks; all of them when it names none, or is temporary (M)."""
    if screening is None:
        return frozenset()
    codes = frozenset(screening.skjerming_metadata or ())
    if not codes or SkjermingMetadata.MIDLERTIDIG in codes:
        return _ALL_CODES
    return codes


def masked_title(tittel: str, offentlig_tittel: str, first: bool, rest: bool) -> str:
    """The public form of a title whose first line (`first`) and/or further lines (`rest`)
    are screened. The public title written by the clerk wins when it differs from the full
    title and does not contain it; it then only loses any fødselsnummer."""
    if not (first or rest):
        return public_text(offentlig_tittel or tittel)
    # A public title that still holds the whole full title is no public title.
    if offentlig_tittel.strip() and tittel.strip() not in offentlig_tittel:
        return public_text(offentlig_tittel)
    lines = tittel.splitlines() or [""]
    if first and (rest or len(lines) == 1):
        return MASK
    if first:
        return "\n".join([MASK, *map(public_text, lines[1:])])
    return public_text(lines[0]) + ("\n" + MASK if len(lines) > 1 else "")


def _party(part: _Part, codes: frozenset[str]) -> PublicParty:
    sender = part.korrespondanseparttype in _SENDERS
    hidden = SkjermingMetadata.NAMN_PARTAR in codes or (
        SkjermingMetadata.NAMN_AVSENDAR in codes
        if sender
        else SkjermingMetadata.NAMN_MOTTAKAR in codes
    )
    name = MASK if hidden else public_text(part.korrespondansepart_navn)
    return PublicParty(role=part.korrespondanseparttype, name=name, is_person=part.is_person)


class _Case(NamedTuple):
    """The case fields _publish reads. public_entries reads rows as tuples into these
    rather than as model instances: a million posts are published for the export, and a
    model instance costs several times as much to make."""

    pk: int
    system_id: uuid.UUID
    mappe_id: str
    saksaar: int
    sakssekvensnummer: int
    tittel: str
    offentlig_tittel: str


class _Entry(NamedTuple):
    """The post fields _publish reads (as _Case)."""

    pk: int
    case_folder_id: int
    kind: str
    journalstatus: str
    system_id: uuid.UUID
    registrerings_id: str
    journalaar: int | None
    journalsekvensnummer: int | None
    journalpostnummer: int | None
    journalposttype: str
    journaldato: dt.date | None
    dokumentets_dato: dt.date | None
    tittel: str
    offentlig_tittel: str
    administrativ_enhet: str
    saksbehandler: str
    case_folder: _Case


class _Part(NamedTuple):
    registry_entry_id: int
    korrespondanseparttype: str
    korrespondansepart_navn: str
    is_person: bool


_ENTRY_COLUMNS = ("id", *_Entry._fields[1:-1])
_CASE_COLUMNS = tuple(f"case_folder__{name}" for name in _Case._fields[1:])


def _entries(queryset: QuerySet[RegistryEntry], chunk_size: int) -> Iterator[_Entry]:
    n = len(_ENTRY_COLUMNS)
    for row in queryset.values_list(*_ENTRY_COLUMNS, *_CASE_COLUMNS).iterator(
        chunk_size=chunk_size
    ):
        # mypy cannot count the fields of a sliced row.
        yield _Entry(*row[:n], _Case(row[1], *row[n:]))  # type: ignore[call-arg]


def _publish(
    entry: RegistryEntry | _Entry,
    screenings: dict[tuple[str, int], Screening],
    parts: Sequence[_Part],
) -> PublicEntry:
    case = entry.case_folder
    case_screening = screenings.get(("case", case.pk))
    entry_screening = screenings.get(("entry", entry.pk))
    case_codes = codes_of(case_screening)
    codes = case_codes | codes_of(entry_screening)
    basis = entry_screening or case_screening
    assert entry.journalaar is not None and entry.journalsekvensnummer is not None
    assert entry.journalpostnummer is not None and entry.journaldato is not None
    return PublicEntry(
        entry_id=entry.pk,
        system_id=entry.system_id,
        registrerings_id=entry.registrerings_id,
        journalaar=entry.journalaar,
        journalsekvensnummer=entry.journalsekvensnummer,
        journalpostnummer=entry.journalpostnummer,
        journalposttype=entry.journalposttype,
        journaldato=entry.journaldato,
        dokumentets_dato=entry.dokumentets_dato,
        tittel=masked_title(
            entry.tittel,
            entry.offentlig_tittel,
            first=SkjermingMetadata.REGISTRERING_TITTEL_1 in codes,
            rest=SkjermingMetadata.REGISTRERING_TITTEL_MEIR in codes,
        ),
        case_id=case.pk,
        case_system_id=case.system_id,
        mappe_id=case.mappe_id,
        saksaar=case.saksaar,
        sakssekvensnummer=case.sakssekvensnummer,
        case_tittel=masked_title(
            case.tittel,
            case.offentlig_tittel,
            first=SkjermingMetadata.MAPPE_TITTEL_1 in case_codes,
            rest=SkjermingMetadata.MAPPE_TITTEL_MEIR in case_codes,
        ),
        administrativ_enhet=public_text(entry.administrativ_enhet),
        saksbehandler=public_text(entry.saksbehandler),
        parties=tuple(_party(part, codes) for part in parts),
        screened=basis is not None,
        tilgangsrestriksjon=basis.tilgangsrestriksjon if basis else "",
        skjermingshjemmel=public_text(basis.skjermingshjemmel) if basis else "",
    )


def screenings_for(
    entries: Sequence[RegistryEntry | _Entry],
) -> dict[tuple[str, int], Screening]:
    """The screenings of these posts and of their cases, in one query, keyed
    ("entry", id) and ("case", id)."""
    entry_ids = [entry.pk for entry in entries]
    case_ids = {entry.case_folder_id for entry in entries}
    found: dict[tuple[str, int], Screening] = {}
    rows = Screening.objects.filter(
        Q(among("registry_entry_id", entry_ids)) | Q(among("case_folder_id", case_ids))
    )
    for screening in rows:
        if screening.registry_entry_id is not None:
            found[("entry", screening.registry_entry_id)] = screening
        elif screening.case_folder_id is not None:
            found[("case", screening.case_folder_id)] = screening
    return found


def _publish_chunk(entries: list[RegistryEntry | _Entry]) -> Iterator[PublicEntry]:
    screenings = screenings_for(entries)
    parts: dict[int, list[_Part]] = {}
    for row in (
        CorrespondencePart.objects.filter(
            among("registry_entry_id", [entry.pk for entry in entries])
        )
        .order_by("registry_entry_id", "pk")
        .values_list(*_Part._fields)
    ):
        part = _Part(*row)
        parts.setdefault(part.registry_entry_id, []).append(part)
    for entry in entries:
        yield _publish(entry, screenings, parts.get(entry.pk, ()))


def public_entries(
    queryset: QuerySet[RegistryEntry] | Iterable[RegistryEntry], chunk_size: int = 2000
) -> Iterator[PublicEntry]:
    """The public form of each journal post, in the order given.

    Three queries per chunk of `chunk_size` posts (the posts with their cases, their
    screenings and their cases', their parties), so a page of the journal costs the same
    whatever the size of the archive, and an export streams. Arkivnotat and posts that have
    utgått are the caller's to leave out (`publishable_entries`); given one, this refuses.
    """
    rows: Iterable[RegistryEntry | _Entry]
    rows = _entries(queryset, chunk_size) if isinstance(queryset, QuerySet) else queryset
    chunk: list[RegistryEntry | _Entry] = []
    for entry in rows:
        if entry.kind != RegistreringKind.JOURNALPOST or (
            entry.journalstatus == Journalstatus.UTGAAR
        ):
            raise ValueError(f"Not a post of the public journal: {entry.pk}")
        chunk.append(entry)
        if len(chunk) >= chunk_size:
            yield from _publish_chunk(chunk)
            chunk = []
    if chunk:
        yield from _publish_chunk(chunk)
