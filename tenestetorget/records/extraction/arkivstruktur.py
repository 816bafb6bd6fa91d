"""arkivstruktur.xml: the archive itself, arkiv → arkivdel → klassifikasjonssystem → klasse →
saksmappe → registrering → dokumentbeskrivelse → dokumentobjekt, with full titles and the
skjerming recorded (the depot needs both), and the documents copied to DOKUMENT/.

Streaming: the cases of each class are read in chunks of CASE_CHUNK; for each chunk the
cases, their posts and everything attached to them come in a fixed number of queries
(about ten), as plain values rather than model instances (several times faster at a
million posts). Memory is that of one chunk, whatever the size of the archive. On
PostgreSQL those queries return the runs of simple elements already written as XML
(extraction.leaves); the structure around them is written here either way."""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import batched
from pathlib import Path
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from tenestetorget.core.documents import open_verified
from tenestetorget.core.models import Document as StoredDocument
from tenestetorget.records import models as m
from tenestetorget.records.extraction import leaves, spec
from tenestetorget.records.extraction.codes import text_of
from tenestetorget.records.extraction.writer import (
    Fragment,
    Progress,
    XmlDocument,
    xml_document,
)
from tenestetorget.records.queries import among

CASE_CHUNK = 500
#: A case with more posts than this is written in pieces of this many posts.
BIG_CASE = 2000
#: How many file names the writer remembers as copied (then it checks the disk again).
REMEMBERED = 10_000
#: How many offending records a refusal names (the rest are counted).
NAMED = 20


class ExportRefused(Exception):
    """The material cannot be extracted as it is; the message says what to do."""


Row = dict[str, Any]


@dataclass
class Tally:
    """Counts of what was written, for the ADDML and the operator."""

    elements: Counter[str] = field(default_factory=Counter)
    files: int = 0
    file_bytes: int = 0


def _named(values: Sequence[str], total: int) -> str:
    text = ", ".join(values[:NAMED])
    if total > NAMED:
        text += _(" og %(n)s til") % {"n": total - NAMED}
    return text


# --- what must hold before anything is written -----------------------------------------------


def check_exportable(series: Sequence[m.Series]) -> None:
    """Refuse, naming the records (by number, never by title), what the schemas or the
    depot cannot take: open periods, open cases, posts not archived, versions without a
    file, cases without a class where others have one."""
    ids = [s.pk for s in series]
    not_closed = [s.tittel for s in series if s.avsluttet_dato is None or not s.avsluttet_av]
    if not_closed:
        raise ExportRefused(
            _(
                "Arkivdelen %(names)s har ingen avslutningsdato. Berre avslutta arkivdelar "
                "kan takast ut."
            )
            % {"names": ", ".join(not_closed)}
        )
    if len({s.archive_id for s in series}) > 1:
        raise ExportRefused(
            _("Arkivdelane høyrer til ulike arkiv. Ta ut éin arkivdel om gongen med --arkivdel.")
        )
    open_cases = m.CaseFolder.objects.filter(series__in=ids, avsluttet_dato__isnull=True)
    total = open_cases.count()
    if total:
        names = list(
            open_cases.order_by("saksaar", "sakssekvensnummer").values_list("mappe_id", flat=True)[
                :NAMED
            ]
        )
        raise ExportRefused(
            _("%(n)s saker er ikkje avslutta: %(cases)s. Avslutt dei før uttrekket.")
            % {"n": total, "cases": _named(names, total)}
        )
    unarchived = m.RegistryEntry.objects.filter(
        case_folder__series__in=ids, arkivert_dato__isnull=True
    ).exclude(journalstatus=m.Journalstatus.UTGAAR)
    total = unarchived.count()
    if total:
        names = list(unarchived.order_by("pk").values_list("registrerings_id", flat=True)[:NAMED])
        raise ExportRefused(
            _(
                "%(n)s registreringar er ikkje arkiverte (journalstatus A) eller utgått: "
                "%(entries)s. Arkiver dei før uttrekket."
            )
            % {"n": total, "entries": _named(names, total)}
        )
    fileless = m.DocumentObject.objects.filter(
        document__registry_entry__case_folder__series__in=ids, stored_file__isnull=True
    )
    total = fileless.count()
    if total:
        names = list(
            fileless.order_by("pk").values_list(
                "document__registry_entry__registrerings_id", flat=True
            )[:NAMED]
        )
        raise ExportRefused(
            _(
                "%(n)s dokumentversjonar har inga fil i dokumentlageret (journalpostane "
                "%(entries)s). Eit arkivuttrekk må ha med kvar fil."
            )
            % {"n": total, "entries": _named(names, total)}
        )
    for one in series:
        cases = m.CaseFolder.objects.filter(series=one)
        with_class = cases.filter(klasse__isnull=False).exists()
        without = cases.filter(klasse__isnull=True)
        if with_class and without.exists():
            names = list(
                without.order_by("saksaar", "sakssekvensnummer").values_list("mappe_id", flat=True)[
                    :NAMED
                ]
            )
            raise ExportRefused(
                _(
                    "I arkivdelen «%(series)s» har nokre saker klasse og andre ikkje (%(cases)s). "
                    "Noark 5 kan ikkje blande klassar og saker rett under arkivdelen: gje sakene "
                    "ein klasse."
                )
                % {"series": one.tittel, "cases": _named(names, len(names))}
            )


# --- the classification -----------------------------------------------------------------------


@dataclass
class ClassTree:
    """The classes the period's cases use (primary and secondary, with their parents), by
    system, in klasseID order; `cases` marks those with cases filed directly under them."""

    systems: list[Row]
    classes: dict[int, Row]
    children: dict[int | None, list[int]]
    by_system: dict[int, list[int]]
    cases: set[int]


def class_tree(series: m.Series) -> ClassTree:
    cases = m.CaseFolder.objects.filter(series=series)
    primary = set(cases.exclude(klasse=None).values_list("klasse_id", flat=True).distinct())
    secondary = set(
        cases.exclude(sekundaer_klasse=None)
        .values_list("sekundaer_klasse_id", flat=True)
        .distinct()
    )
    wanted = primary | secondary
    classes: dict[int, Row] = {}
    columns = [*spec.keys(spec.KLASSE), "id", "parent_id", "classification_system_id"]
    while wanted:
        found = m.ArchiveClass.objects.filter(pk__in=wanted).values(*columns)
        wanted = set()
        for row in found:
            classes[row["id"]] = row
            if row["parent_id"] is not None and row["parent_id"] not in classes:
                wanted.add(row["parent_id"])
    children: dict[int | None, list[int]] = defaultdict(list)
    by_system: dict[int, list[int]] = defaultdict(list)
    for row in sorted(classes.values(), key=lambda r: (r["klasse_id"], str(r["system_id"]))):
        if row["parent_id"] is None:
            by_system[row["classification_system_id"]].append(row["id"])
        else:
            children[row["parent_id"]].append(row["id"])
    mixed = [classes[pk]["klasse_id"] for pk in primary if children.get(pk)]
    if mixed:
        raise ExportRefused(
            _(
                "Klassane %(classes)s har både underklassar og saker. Noark 5 tillèt berre "
                "eitt av dei under ein klasse."
            )
            % {"classes": ", ".join(sorted(mixed))}
        )
    systems = list(
        m.ClassificationSystem.objects.filter(pk__in=by_system).values(
            *spec.keys(spec.KLASSIFIKASJONSSYSTEM), "id"
        )
    )
    # The period's own system first: the import takes the first as the period's.
    systems.sort(
        key=lambda r: (
            r["id"] != series.classification_system_id,
            r["opprettet_dato"],
            str(r["system_id"]),
        )
    )
    return ClassTree(systems, classes, children, by_system, primary)


# --- one chunk of cases with all that belongs to them -----------------------------------------


#: The runs of simple elements each kind of record is written with.
ENTRY_GROUPS = (
    spec.REGISTRERING_HEAD,
    spec.REGISTRERING_MID,
    spec.VSM,
    spec.VSM_JOURNALPOST,
    spec.JOURNALPOST_TAIL,
    spec.ARKIVNOTAT_TAIL,
)
CASE_GROUPS = (spec.MAPPE_HEAD, spec.SAKSMAPPE_TAIL)
ATTACHED = ("case_folder_id", "registry_entry_id", "document_id")


def _owner(row: Row) -> tuple[str, int]:
    if row["case_folder_id"] is not None:
        return ("case", row["case_folder_id"])
    if row["registry_entry_id"] is not None:
        return ("entry", row["registry_entry_id"])
    return ("doc", row["document_id"])


@dataclass
class Chunk:
    cases: list[Row]
    entries: dict[int, list[Row]]
    documents: dict[int, list[Row]]
    objects: dict[int, list[Row]]
    parts: dict[int, list[Row]]
    write_offs: dict[int, list[Row]]
    screenings: dict[tuple[str, int], Row]
    disposals: dict[tuple[str, int], Row]
    annotations: dict[tuple[str, int], list[Row]]
    cross_references: dict[tuple[str, int], list[Row]]


def _grouped(rows: Iterable[Row], key: str) -> dict[int, list[Row]]:
    grouped: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


def load_chunk(case_ids: list[int]) -> Chunk:
    """The cases `case_ids` (in that order) with all that belongs to them."""
    with leaves.norwegian_time():
        chunk = _load_chunk(case_ids)
    # Outside norwegian_time: this reads timestamps (leaves.norwegian_time says why).
    _fill_finished_dates(chunk.entries)
    return chunk


def _load_chunk(case_ids: list[int]) -> Chunk:
    order = {pk: n for n, pk in enumerate(case_ids)}
    cases = sorted(
        leaves.values(m.CaseFolder.objects.filter(among("id", case_ids)), CASE_GROUPS, "id"),
        key=lambda row: order[row["id"]],
    )
    entries = list(
        leaves.values(
            m.RegistryEntry.objects.filter(among("case_folder_id", case_ids)).order_by(
                "case_folder_id", "journalpostnummer", "pk"
            ),
            ENTRY_GROUPS,
            "id",
            "case_folder_id",
            "kind",
            "system_id",
        ).annotate(unarchived=Q(arkivert_dato__isnull=True))
    )
    entry_ids = [e["id"] for e in entries]
    documents = list(
        leaves.values(
            m.DocumentDescription.objects.filter(among("registry_entry_id", entry_ids)).order_by(
                "registry_entry_id", "dokumentnummer", "pk"
            ),
            (spec.DOKUMENTBESKRIVELSE_HEAD,),
            "id",
            "registry_entry_id",
        )
    )
    doc_ids = [d["id"] for d in documents]
    objects = leaves.values(
        m.DocumentObject.objects.filter(among("document_id", doc_ids)).order_by(
            "document_id", "versjonsnummer", "variantformat", "pk"
        ),
        (spec.DOKUMENTOBJEKT,),
        "document_id",
        "system_id",
        "referanse_dokumentfil",
        "sjekksum",
        "stored_file_id",
        "stored_file__sha256",
        "stored_file__size",
        "stored_file__storage_name",
    )
    parts = leaves.values(
        m.CorrespondencePart.objects.filter(among("registry_entry_id", entry_ids)).order_by(
            "registry_entry_id", "pk"
        ),
        (spec.KORRESPONDANSEPART,),
        "registry_entry_id",
    )
    write_offs = leaves.values(
        m.WriteOff.objects.filter(among("registry_entry_id", entry_ids)).order_by(
            "registry_entry_id", "pk"
        ),
        (spec.AVSKRIVNING,),
        "registry_entry_id",
    )
    attached = (
        Q(among("case_folder_id", case_ids))
        | Q(among("registry_entry_id", entry_ids))
        | Q(among("document_id", doc_ids))
    )
    screenings = {
        _owner(row): row
        for row in leaves.values(
            m.Screening.objects.filter(attached),
            (spec.SKJERMING_HEAD, spec.SKJERMING_TAIL),
            "skjerming_metadata",
            *ATTACHED,
        )
    }
    disposals = {
        _owner(row): row
        for row in leaves.values(m.Disposal.objects.filter(attached), (spec.KASSASJON,), *ATTACHED)
    }
    annotations: dict[tuple[str, int], list[Row]] = defaultdict(list)
    for row in leaves.values(
        m.Annotation.objects.filter(attached).order_by("merknadsdato", "pk"),
        (spec.MERKNAD,),
        *ATTACHED,
    ):
        annotations[_owner(row)].append(row)
    cross_references: dict[tuple[str, int], list[Row]] = defaultdict(list)
    for row in (
        m.CrossReference.objects.filter(
            Q(among("from_case_folder_id", case_ids))
            | Q(among("from_registry_entry_id", entry_ids))
        )
        .order_by("pk")
        .values(
            "from_case_folder_id",
            "from_registry_entry_id",
            "to_case_folder__system_id",
            "to_registry_entry__system_id",
        )
    ):
        source = (
            ("case", row["from_case_folder_id"])
            if row["from_case_folder_id"] is not None
            else ("entry", row["from_registry_entry_id"])
        )
        cross_references[source].append(dict(row))
    return Chunk(
        cases=cases,
        entries=_grouped(entries, "case_folder_id"),
        documents=_grouped(documents, "registry_entry_id"),
        objects=_grouped(objects, "document_id"),
        parts=_grouped(parts, "registry_entry_id"),
        write_offs=_grouped(write_offs, "registry_entry_id"),
        screenings=screenings,
        disposals=disposals,
        annotations=annotations,
        cross_references=cross_references,
    )


def _fill_finished_dates(entries_by_case: dict[int, list[Row]]) -> None:
    """A post that utgår is never archived, yet arkivertDato/-Av are mandatory: it left
    the journal when its status became U, so that moment (from the change log) and who set
    it are written. The import keeps them, and the post is final there."""
    gone_rows = [e for rows in entries_by_case.values() for e in rows if e["unarchived"]]
    if not gone_rows:
        return
    head = leaves.key(spec.REGISTRERING_HEAD)
    rendered = head in gone_rows[0]
    if rendered:
        # The rendered head has no arkivertDato: these few are written in Python.
        raw = {
            row["id"]: row
            for row in m.RegistryEntry.objects.filter(
                among("id", [e["id"] for e in gone_rows])
            ).values(*spec.keys(spec.REGISTRERING_HEAD), "id")
        }
        for entry in gone_rows:
            entry.update(raw[entry["id"]])
    gone = {e["system_id"]: e for e in gone_rows}
    for change in m.ChangeLogEntry.objects.filter(
        among("referanse_arkivenhet", gone),
        referanse_metadata="journalstatus",
        ny_verdi=m.Journalstatus.UTGAAR,
    ).values("referanse_arkivenhet", "endret_dato", "endret_av"):
        entry = gone[change["referanse_arkivenhet"]]
        entry["arkivert_dato"] = change["endret_dato"]
        entry["arkivert_av"] = change["endret_av"]
    missing = [e for e in gone.values() if e["arkivert_dato"] is None]
    if missing:
        latest = m.CaseFolder.objects.filter(pk__in={e["case_folder_id"] for e in missing}).values(
            "pk", "avsluttet_dato", "avsluttet_av"
        )
        closed = {row["pk"]: row for row in latest}
        for entry in missing:
            entry["arkivert_dato"] = closed[entry["case_folder_id"]]["avsluttet_dato"]
            entry["arkivert_av"] = closed[entry["case_folder_id"]]["avsluttet_av"]
    if rendered:
        for entry in gone_rows:
            f = Fragment()
            leaves.python_write(f, spec.REGISTRERING_HEAD, entry)
            entry[head] = f.text()


# --- fragments --------------------------------------------------------------------------------


def _screening(f: Fragment, row: Row | None) -> None:
    if row is None:
        return
    f.open("skjerming")
    leaves.write(f, spec.SKJERMING_HEAD, row)
    for code in row["skjerming_metadata"]:
        f.leaf("skjermingMetadata", text_of("skjermingMetadata", code))
    leaves.write(f, spec.SKJERMING_TAIL, row)
    f.close("skjerming")


def _disposal(f: Fragment, row: Row | None) -> None:
    if row is None:
        return
    f.open("kassasjon")
    leaves.write(f, spec.KASSASJON, row)
    f.close("kassasjon")


def _annotations(f: Fragment, rows: Iterable[Row], tally: Tally) -> None:
    for row in rows:
        f.open("merknad")
        leaves.write(f, spec.MERKNAD, row)
        f.close("merknad")
        tally.elements["merknad"] += 1


def _cross_references(f: Fragment, rows: Iterable[Row], tally: Tally) -> None:
    for row in rows:
        f.open("kryssreferanse")
        f.leaf("referanseTilMappe", row["to_case_folder__system_id"])
        f.leaf("referanseTilRegistrering", row["to_registry_entry__system_id"])
        f.close("kryssreferanse")
        tally.elements["kryssreferanse"] += 1


class Writer:
    """Writes one arkivstruktur.xml; copies each document once into DOKUMENT/."""

    def __init__(self, out_dir: Path, tally: Tally, progress: Progress | None) -> None:
        self.out_dir = out_dir
        self.tally = tally
        self.progress = progress
        # Files written lately: a file shared by many versions is not looked for again.
        self._copied: set[str] = set()

    # Documents

    def copy_document(self, row: Row) -> None:
        reference: str = row["referanse_dokumentfil"]
        if reference in self._copied:
            return  # the same file serves several versions (or several posts)
        name = reference.removeprefix("DOKUMENT/")
        if name == reference or not name or "/" in name or name.startswith("."):
            raise ExportRefused(
                _("Dokumentobjektet %(id)s viser til fila «%(file)s» utanfor DOKUMENT/.")
                % {"id": row["system_id"], "file": reference}
            )
        if row["sjekksum"].lower() != row["stored_file__sha256"]:
            raise ExportRefused(
                _(
                    "Dokumentobjektet %(id)s har ein annan sjekksum enn fila i dokumentlageret. "
                    "Uttrekket vart stoppa."
                )
                % {"id": row["system_id"]}
            )
        if len(self._copied) >= REMEMBERED:
            self._copied.clear()
        self._copied.add(reference)
        target = self.out_dir / "DOKUMENT" / name
        if target.exists():
            return
        stored = StoredDocument(
            pk=row["stored_file_id"],
            sha256=row["stored_file__sha256"],
            size=row["stored_file__size"],
            storage_name=row["stored_file__storage_name"],
        )
        partial = target.with_name(target.name + ".part")
        # open_verified checks the checksum as it reads: a damaged file stops the export.
        with open_verified(stored) as reader, partial.open("wb") as copy:
            shutil.copyfileobj(reader, copy, 1024 * 1024)
        partial.rename(target)
        self.tally.files += 1
        self.tally.file_bytes += int(row["stored_file__size"])

    # Records

    def entry(self, row: Row, chunk: Chunk) -> Fragment:
        tally = self.tally
        f = Fragment()
        pk = row["id"]
        journalpost = row["kind"] == m.RegistreringKind.JOURNALPOST
        f.open("registrering", "journalpost" if journalpost else "arkivnotat")
        leaves.write(f, spec.REGISTRERING_HEAD, row)
        _disposal(f, chunk.disposals.get(("entry", pk)))
        _screening(f, chunk.screenings.get(("entry", pk)))
        for doc in chunk.documents.get(pk, ()):
            self.document(f, doc, chunk)
        leaves.write(f, spec.REGISTRERING_MID, row)
        f.parts.append(f'<virksomhetsspesifikkeMetadata><tenestetorget xmlns="{spec.VSM_NS}">')
        leaves.write(f, spec.VSM if not journalpost else spec.VSM_JOURNALPOST, row)
        f.parts.append("</tenestetorget></virksomhetsspesifikkeMetadata>")
        _annotations(f, chunk.annotations.get(("entry", pk), ()), tally)
        _cross_references(f, chunk.cross_references.get(("entry", pk), ()), tally)
        for part in chunk.parts.get(pk, ()):
            f.open("korrespondansepart")
            leaves.write(f, spec.KORRESPONDANSEPART, part)
            f.close("korrespondansepart")
            tally.elements["korrespondansepart"] += 1
        if journalpost:
            leaves.write(f, spec.JOURNALPOST_TAIL, row)
            for write_off in chunk.write_offs.get(pk, ()):
                f.open("avskrivning")
                leaves.write(f, spec.AVSKRIVNING, write_off)
                f.close("avskrivning")
                tally.elements["avskrivning"] += 1
            tally.elements["journalpost"] += 1
        else:
            leaves.write(f, spec.ARKIVNOTAT_TAIL, row)
            tally.elements["arkivnotat"] += 1
        f.close("registrering")
        tally.elements["registrering"] += 1
        return f

    def document(self, f: Fragment, row: Row, chunk: Chunk) -> None:
        pk = row["id"]
        f.open("dokumentbeskrivelse")
        leaves.write(f, spec.DOKUMENTBESKRIVELSE_HEAD, row)
        _annotations(f, chunk.annotations.get(("doc", pk), ()), self.tally)
        _disposal(f, chunk.disposals.get(("doc", pk)))
        _screening(f, chunk.screenings.get(("doc", pk)))
        for obj in chunk.objects.get(pk, ()):
            self.copy_document(obj)
            f.open("dokumentobjekt")
            leaves.write(f, spec.DOKUMENTOBJEKT, obj)
            f.close("dokumentobjekt")
            self.tally.elements["dokumentobjekt"] += 1
        f.close("dokumentbeskrivelse")
        self.tally.elements["dokumentbeskrivelse"] += 1

    def case_head(self, row: Row, chunk: Chunk) -> Fragment:
        pk = row["id"]
        f = Fragment()
        leaves.write(f, spec.MAPPE_HEAD, row)
        _cross_references(f, chunk.cross_references.get(("case", pk), ()), self.tally)
        _annotations(f, chunk.annotations.get(("case", pk), ()), self.tally)
        _disposal(f, chunk.disposals.get(("case", pk)))
        _screening(f, chunk.screenings.get(("case", pk)))
        return f

    @staticmethod
    def flush(doc: XmlDocument, pending: list[str]) -> None:
        """Write what the cases so far came to, in one piece (a write per case cost a
        flush of lxml's writer each)."""
        if pending:
            doc.write_text("".join(pending))
            pending.clear()

    def case(self, doc: XmlDocument, row: Row, chunk: Chunk, pending: list[str]) -> None:
        """The case with its posts, added to `pending` (written by `cases`)."""
        entries = chunk.entries.get(row["id"], [])
        head = self.case_head(row, chunk)
        tail = Fragment()
        leaves.write(tail, spec.SAKSMAPPE_TAIL, row)
        f = Fragment()
        f.open("mappe", "saksmappe")
        f.extend(head)
        for n, entry in enumerate(entries, 1):
            f.extend(self.entry(entry, chunk))
            if n % BIG_CASE == 0:  # a case of thousands of posts is written as it goes
                pending.extend(f.parts)
                self.flush(doc, pending)
                f = Fragment()
        f.extend(tail)
        f.close("mappe")
        pending.extend(f.parts)
        self.tally.elements["mappe"] += 1
        if self.progress is not None:
            self.progress.advance(len(entries))

    def cases(self, doc: XmlDocument, case_ids: Iterator[int]) -> None:
        pending: list[str] = []
        for batch in batched(case_ids, CASE_CHUNK):
            chunk = load_chunk(list(batch))
            for row in chunk.cases:
                self.case(doc, row, chunk, pending)
            self.flush(doc, pending)


def _cases_of(series: m.Series, klasse_id: int | None) -> Iterator[int]:
    """The ids only: the rows come with their chunk (load_chunk)."""
    return (
        m.CaseFolder.objects.filter(series=series, klasse_id=klasse_id)
        .order_by("saksaar", "sakssekvensnummer")
        .values_list("id", flat=True)
        .iterator(chunk_size=CASE_CHUNK)
    )


def archive_closing(archive: m.Archive, series: Sequence[m.Series]) -> tuple[dt.datetime, str]:
    """avsluttetDato/-Av of the arkiv are mandatory. An archive still in use has none: the
    extraction then writes those of the latest period it contains (the archive is closed
    as far as this extraction goes); the import keeps them."""
    if archive.avsluttet_dato is not None:
        return archive.avsluttet_dato, archive.avsluttet_av
    latest = max(series, key=lambda s: s.avsluttet_dato or dt.datetime.min.replace(tzinfo=dt.UTC))
    assert latest.avsluttet_dato is not None
    return latest.avsluttet_dato, latest.avsluttet_av


def write_arkivstruktur(
    out_dir: Path, series: Sequence[m.Series], progress: Progress | None = None
) -> Tally:
    tally = Tally()
    (out_dir / "DOKUMENT").mkdir(exist_ok=True)
    writer = Writer(out_dir, tally, progress)
    archive = series[0].archive
    archive_row = m.Archive.objects.filter(pk=archive.pk).values(*spec.keys(spec.ARKIV)).get()
    closed, closed_by = archive_closing(archive, series)
    with xml_document(out_dir / "arkivstruktur.xml", spec.ARKIVSTRUKTUR_NS, "arkiv") as doc:
        head = Fragment()
        leaves.write(head, spec.ARKIV, archive_row)
        head.leaf("avsluttetDato", closed)
        head.leaf("avsluttetAv", closed_by)
        doc.write(head)
        for creator in (
            m.ArchiveCreator.objects.filter(archive=archive)
            .order_by("pk")
            .values(*spec.keys(spec.ARKIVSKAPER))
        ):
            f = Fragment()
            f.open("arkivskaper")
            leaves.write(f, spec.ARKIVSKAPER, creator)
            f.close("arkivskaper")
            doc.write(f)
        for one in series:
            _write_series(doc, writer, one)
    return tally


def _write_series(doc: XmlDocument, writer: Writer, series: m.Series) -> None:
    row = m.Series.objects.filter(pk=series.pk).values(*spec.keys(spec.ARKIVDEL)).get()
    tree = class_tree(series)
    with doc.element("arkivdel"):
        head = Fragment()
        leaves.write(head, spec.ARKIVDEL, row)
        doc.write(head)
        writer.tally.elements["arkivdel"] += 1
        if not tree.cases:
            writer.cases(doc, _cases_of(series, None))
            return
        for system in tree.systems:
            with doc.element("klassifikasjonssystem"):
                head = Fragment()
                leaves.write(head, spec.KLASSIFIKASJONSSYSTEM, system)
                doc.write(head)
                for pk in tree.by_system[system["id"]]:
                    _write_class(doc, writer, series, tree, pk)
            writer.tally.elements["klassifikasjonssystem"] += 1


def _write_class(
    doc: XmlDocument, writer: Writer, series: m.Series, tree: ClassTree, pk: int
) -> None:
    with doc.element("klasse"):
        head = Fragment()
        leaves.write(head, spec.KLASSE, tree.classes[pk])
        doc.write(head)
        for child in tree.children.get(pk, ()):
            _write_class(doc, writer, series, tree, child)
        if pk in tree.cases:
            writer.cases(doc, _cases_of(series, pk))
    writer.tally.elements["klasse"] += 1


def entry_count(series: Sequence[m.Series]) -> int:
    return int(
        m.RegistryEntry.objects.filter(case_folder__series__in=[s.pk for s in series]).count()
    )
