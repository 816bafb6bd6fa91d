"""loependeJournal.xml and offentligJournal.xml: the journal of the period, one
journalregistrering (klasse, saksmappe, journalpost) per journal post, by journalår and
sekvensnummer (NOARK5.md § 2).

The løpande journal is the archive's: full titles, with the screening recorded. The
offentlege journal is public, and is built from `records.public.public_entries` and nothing
else, so that it shows exactly what the public journal shows: offentligTittel with
`******`, masked names, no fødselsnummer.

Both schemas want at least one korrespondansepart per post; an internal note without one is
written with its unit as the internal sender (Intern avsender), which is who sent it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import batched
from pathlib import Path
from typing import Any

from django.db.models import Count, Max, Min, QuerySet

from tenestetorget.records import models as m
from tenestetorget.records.extraction import journal_sql, leaves, spec
from tenestetorget.records.extraction.codes import text_of
from tenestetorget.records.extraction.writer import (
    Fragment,
    Progress,
    XmlDocument,
    escape,
    xml_document,
)
from tenestetorget.records.public import PublicEntry, public_entries, publishable_entries
from tenestetorget.records.queries import among

CHUNK = 2000
Row = dict[str, Any]

_SENDERS = {m.Korrespondanseparttype.AVSENDAR, m.Korrespondanseparttype.INTERN_AVSENDAR}


@dataclass(frozen=True)
class JournalHead:
    start: Any
    end: Any
    count: int


def _head(queryset: QuerySet[m.RegistryEntry]) -> JournalHead:
    found = queryset.aggregate(start=Min("journaldato"), end=Max("journaldato"), count=Count("pk"))
    return JournalHead(found["start"], found["end"], int(found["count"]))


def _write_head(doc: XmlDocument, head: JournalHead, creators: Iterable[Row]) -> None:
    f = Fragment()
    f.open("journalhode")
    f.leaf("journalStartDato", head.start)
    f.leaf("journalSluttDato", head.end)
    f.leaf("antallJournalposter", head.count)
    for creator in creators:
        f.open("arkivskaper")
        f.leaf("arkivskaperID", creator["arkivskaper_id"])
        f.leaf("arkivskaperNavn", creator["arkivskaper_navn"])
        f.close("arkivskaper")
    f.close("journalhode")
    doc.write(f)


def _creators(series: Sequence[m.Series]) -> list[Row]:
    return [
        dict(row)
        for row in m.ArchiveCreator.objects.filter(archive_id=series[0].archive_id)
        .order_by("pk")
        .values("arkivskaper_id", "arkivskaper_navn")
    ]


def _journal_posts(series: Sequence[m.Series]) -> QuerySet[m.RegistryEntry]:
    return m.RegistryEntry.objects.filter(
        case_folder__series__in=[s.pk for s in series], kind=m.RegistreringKind.JOURNALPOST
    )


# --- løpande journal ----------------------------------------------------------------------------

_ENTRY_KEYS = [
    "id",
    "case_folder_id",
    "system_id",
    "registrerings_id",
    "journalaar",
    "journalsekvensnummer",
    "journalpostnummer",
    "tittel",
    "offentlig_tittel",
    "journaldato",
    "dokumentets_dato",
    "administrativ_enhet",
    "saksbehandler",
    "case_folder__mappe_id",
    "case_folder__saksaar",
    "case_folder__sakssekvensnummer",
    "case_folder__tittel",
    "case_folder__offentlig_tittel",
    "case_folder__administrativ_enhet",
    "case_folder__saksansvarlig",
    "case_folder__series__system_id",
    "case_folder__klasse__klasse_id",
    "case_folder__klasse__tittel",
]


def _first(codes: Iterable[str], wanted: Sequence[str]) -> str | None:
    present = set(codes)
    for code in wanted:
        if code in present:
            return text_of("skjermingMetadata", code)
    return None


def _loepende_fragment(
    row: Row,
    parts: Sequence[Row],
    write_off: Row | None,
    entry_screening: Row | None,
    case_screening: Row | None,
) -> Fragment:
    case_codes = case_screening["skjerming_metadata"] if case_screening else []
    entry_codes = entry_screening["skjerming_metadata"] if entry_screening else []
    codes = [*case_codes, *entry_codes]
    basis = entry_screening or case_screening
    f = Fragment()
    f.open("journalregistrering")
    if row["case_folder__klasse__klasse_id"]:
        f.open("klasse")
        f.leaf("klasseID", row["case_folder__klasse__klasse_id"])
        f.leaf("tittel", row["case_folder__klasse__tittel"])
        for code in ("KID", "TKL"):
            if code in case_codes:
                f.leaf("skjermingMetadata", text_of("skjermingMetadata", code))
        f.close("klasse")
    f.open("saksmappe")
    f.leaf("mappeID", row["case_folder__mappe_id"])
    f.leaf("saksaar", row["case_folder__saksaar"])
    f.leaf("sakssekvensnummer", row["case_folder__sakssekvensnummer"])
    f.leaf("tittel", row["case_folder__tittel"])
    f.leaf("offentligTittel", row["case_folder__offentlig_tittel"])
    f.leaf("skjermingMetadata", _first(case_codes, ("TM1", "TMO", "M")))
    f.leaf("administrativEnhet", row["case_folder__administrativ_enhet"])
    f.leaf("saksansvarlig", row["case_folder__saksansvarlig"])
    f.leaf("referanseArkivdel", row["case_folder__series__system_id"])
    f.close("saksmappe")
    f.open("journalpost")
    f.leaf("systemID", row["system_id"])
    f.leaf("registreringsID", row["registrerings_id"])
    f.leaf("journalaar", row["journalaar"])
    f.leaf("journalsekvensnummer", row["journalsekvensnummer"])
    f.leaf("journalpostnummer", row["journalpostnummer"])
    f.leaf("tittel", row["tittel"])
    f.leaf("offentligTittel", row["offentlig_tittel"])
    f.leaf("skjermingMetadata", _first(codes, ("TR1", "TRO", "M")))
    f.leaf("journaldato", row["journaldato"])
    f.leaf("dokumentetsDato", row["dokumentets_dato"])
    if write_off is not None:
        f.leaf("avskrivningsdato", write_off["avskrivningsdato"])
        f.leaf("avskrivningsmaate", text_of("avskrivningsmaate", write_off["avskrivningsmaate"]))
    f.leaf("administrativEnhet", row["administrativ_enhet"])
    f.leaf("saksbehandler", row["saksbehandler"])
    if write_off is not None:
        f.leaf("referanseAvskrivesAvJournalpost", write_off["answered_by__system_id"])
    if basis is not None:
        f.leaf("tilgangsrestriksjon", basis["tilgangsrestriksjon"])
        f.leaf("skjermingshjemmel", basis["skjermingshjemmel"])
    if not parts:
        parts = [_unit_as_sender(row["administrativ_enhet"])]
    for part in parts:
        kind = part["korrespondanseparttype"]
        f.open("korrespondansepart")
        f.leaf("korrespondanseparttype", text_of("korrespondanseparttype", kind))
        f.leaf("korrespondansepartNavn", part["korrespondansepart_navn"])
        f.leaf(
            "skjermingMetadata", _first(codes, ("NA", "NPS") if kind in _SENDERS else ("NM", "NPS"))
        )
        f.close("korrespondansepart")
    f.close("journalpost")
    f.close("journalregistrering")
    return f


def _unit_as_sender(unit: str) -> Row:
    return {
        "korrespondanseparttype": m.Korrespondanseparttype.INTERN_AVSENDAR,
        "korrespondansepart_navn": unit,
    }


def write_loepende_journal(
    path: Path, series: Sequence[m.Series], progress: Progress | None = None
) -> int | None:
    """The løpande journal; None (no file) when the period has no journal posts."""
    posts = _journal_posts(series)
    head = _head(posts)
    if head.count == 0:
        return None
    with xml_document(path, spec.LOEPENDE_NS, "loependeJournal") as doc:
        _write_head(doc, head, _creators(series))
        if leaves.enabled():
            for texts in journal_sql.loepende_rows([s.pk for s in series]):
                doc.write_text("".join(texts))
                if progress is not None:
                    progress.advance(len(texts))
        else:
            _write_loepende_rows(doc, posts, progress)
    return head.count


def _write_loepende_rows(
    doc: XmlDocument, posts: QuerySet[m.RegistryEntry], progress: Progress | None
) -> None:
    """The Python writer: the reference, and what SQLite uses."""
    rows = posts.order_by("journalaar", "journalsekvensnummer").values(*_ENTRY_KEYS)
    for batch in batched(rows.iterator(chunk_size=CHUNK), CHUNK):
        entry_ids = [row["id"] for row in batch]
        case_ids = {row["case_folder_id"] for row in batch}
        parts: dict[int, list[Row]] = defaultdict(list)
        for part in (
            m.CorrespondencePart.objects.filter(among("registry_entry_id", entry_ids))
            .order_by("registry_entry_id", "pk")
            .values("registry_entry_id", "korrespondanseparttype", "korrespondansepart_navn")
        ):
            parts[part["registry_entry_id"]].append(part)
        # In order: of several write-offs the latest is written (as journal_sql).
        write_offs = {
            w["registry_entry_id"]: w
            for w in m.WriteOff.objects.filter(among("registry_entry_id", entry_ids))
            .order_by("pk")
            .values(
                "registry_entry_id",
                "avskrivningsdato",
                "avskrivningsmaate",
                "answered_by__system_id",
            )
        }
        screening_keys = ("tilgangsrestriksjon", "skjermingshjemmel", "skjerming_metadata")
        entry_screenings = {
            s["registry_entry_id"]: s
            for s in m.Screening.objects.filter(among("registry_entry_id", entry_ids)).values(
                "registry_entry_id", *screening_keys
            )
        }
        case_screenings = {
            s["case_folder_id"]: s
            for s in m.Screening.objects.filter(among("case_folder_id", case_ids)).values(
                "case_folder_id", *screening_keys
            )
        }
        for row in batch:
            doc.write(
                _loepende_fragment(
                    row,
                    parts.get(row["id"], ()),
                    write_offs.get(row["id"]),
                    entry_screenings.get(row["id"]),
                    case_screenings.get(row["case_folder_id"]),
                )
            )
        if progress is not None:
            progress.advance(len(batch))


# --- offentleg journal --------------------------------------------------------------------------


def _leaf(tag: str, text: str | None) -> str:
    """As Fragment.leaf for a text: nothing when empty."""
    return f"<{tag}>{escape(text)}</{tag}>" if text else ""


def _offentlig_text(entry: PublicEntry) -> str:
    """One journalregistrering of the public journal. Written out as one text rather than
    through Fragment.leaf: a million posts make this the file's hot path, and the values'
    types are known here (PublicEntry)."""
    parties = [(p.role, p.name) for p in entry.parties] or [
        (m.Korrespondanseparttype.INTERN_AVSENDAR, entry.administrativ_enhet)
    ]
    unit = _leaf("administrativEnhet", entry.administrativ_enhet)
    screening = (
        _leaf("tilgangsrestriksjon", entry.tilgangsrestriksjon)
        + _leaf("skjermingshjemmel", entry.skjermingshjemmel)
        if entry.screened
        else ""
    )
    dated = entry.dokumentets_dato
    return "".join(
        [
            "<journalregistrering><saksmappe>",
            _leaf("mappeID", entry.mappe_id),
            f"<saksaar>{entry.saksaar}</saksaar>",
            f"<sakssekvensnummer>{entry.sakssekvensnummer}</sakssekvensnummer>",
            _leaf("offentligTittel", entry.case_tittel),
            unit,
            "</saksmappe><journalpost>",
            f"<systemID>{entry.system_id}</systemID>",
            _leaf("registreringsID", entry.registrerings_id),
            f"<journalaar>{entry.journalaar}</journalaar>",
            f"<journalsekvensnummer>{entry.journalsekvensnummer}</journalsekvensnummer>",
            f"<journalpostnummer>{entry.journalpostnummer}</journalpostnummer>",
            _leaf("offentligTittel", entry.tittel),
            f"<journaldato>{entry.journaldato.isoformat()}</journaldato>",
            f"<dokumentetsDato>{dated.isoformat()}</dokumentetsDato>" if dated else "",
            unit,
            _leaf("saksbehandler", entry.saksbehandler),
            screening,
            *(
                "<korrespondansepart>"
                + _leaf("korrespondanseparttype", text_of("korrespondanseparttype", role))
                + _leaf("korrespondansepartNavn", name)
                + "</korrespondansepart>"
                for role, name in parties
            ),
            "</journalpost></journalregistrering>",
        ]
    )


def write_offentlig_journal(
    path: Path, series: Sequence[m.Series], progress: Progress | None = None
) -> int | None:
    """The public journal of the period, from records.public only; None when empty."""
    posts = publishable_entries().filter(case_folder__series__in=[s.pk for s in series])
    head = _head(posts)
    if head.count == 0:
        return None
    written = 0
    with xml_document(path, spec.OFFENTLIG_NS, "offentligJournal") as doc:
        _write_head(doc, head, _creators(series))
        ordered = posts.order_by("journalaar", "journalsekvensnummer")
        texts: list[str] = []
        for entry in public_entries(ordered, chunk_size=CHUNK):
            texts.append(_offentlig_text(entry))
            if len(texts) == CHUNK:
                written += _flush(doc, texts, progress)
        written += _flush(doc, texts, progress)
    return written


def _flush(doc: XmlDocument, texts: list[str], progress: Progress | None) -> int:
    """Write the records gathered, and forget them; how many there were."""
    n = len(texts)
    if n:
        doc.write_text("".join(texts))
        texts.clear()
        if progress is not None:
            progress.advance(n)
    return n
