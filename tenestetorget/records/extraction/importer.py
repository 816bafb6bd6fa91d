"""Import of an extraction package into an EMPTY archive, all or nothing.

Before anything is stored: arkivuttrekk.xml's checksums of the XML files, and each XML file
against its schema (streamed). Then, in one transaction, arkivstruktur.xml is read as a
stream: each case (saksmappe) with its posts, documents and attachments is read whole,
collected into batches, and written with bulk_create, every row with its final values (the
models refuse to change an archived row afterwards, so nothing is saved twice). Each
document file is checked against its dokumentobjekt (size and SHA-256) and stored through
core.documents.store. Any error rolls back every row, and the files stored in the
transaction are removed again (core.uploads.delete_on_rollback).

Kept as in the package: systemIDs, numbers, dates, names. Not in Noark, so not restored:
the links to user accounts (names are kept as text), whether a party is a private person
(every party is treated as one: the safe side for the public journal), a write-off's free-
text note, and who made a cross reference and when (the time of the import is used)."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from lxml import etree

from tenestetorget.core import documents
from tenestetorget.core.models import Document as StoredDocument
from tenestetorget.core.models import NumberSeries
from tenestetorget.organisation.models import Unit
from tenestetorget.records import models as m
from tenestetorget.records import public_search
from tenestetorget.records.extraction import addml, schemas, spec
from tenestetorget.records.extraction.codes import UnknownCode, code_of
from tenestetorget.records.extraction.schemas import SAFE
from tenestetorget.records.extraction.writer import XSI, Progress, Stream
from tenestetorget.records.services import CASE_SERIES, JOURNAL_SERIES

NS = f"{{{spec.ARKIVSTRUKTUR_NS}}}"
VSM = f"{{{spec.VSM_NS}}}"
XSI_TYPE = f"{{{XSI}}}type"
#: Cases per batch of bulk inserts.
BATCH = 300
IMPORTED_BY = "arkivuttrekk"


class ImportRefused(Exception):
    """The package cannot be read in; the message names the file and the record or line."""


@dataclass
class ImportResult:
    cases: int = 0
    entries: int = 0
    files: int = 0
    changes: int = 0
    warnings: list[str] = field(default_factory=list)


def _local(tag: Any) -> str:
    return str(tag).rpartition("}")[2]


def _leaves(element: etree._Element) -> dict[str, Any]:
    """The element's simple children: name → text (a list for skjermingMetadata)."""
    found: dict[str, Any] = {}
    for child in element:
        if len(child) or not isinstance(child.tag, str):
            continue
        name = _local(child.tag)
        if name == "skjermingMetadata":
            found.setdefault(name, []).append(child.text or "")
        else:
            found[name] = child.text or ""
    return found


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return element.findall(NS + name)


class _Where:
    """Where in arkivstruktur.xml a value came from, for the message."""

    def __init__(self, element: etree._Element, record: str) -> None:
        self.line = element.sourceline or 0
        self.record = record


def _refuse(where: _Where, message: str) -> ImportRefused:
    return ImportRefused(
        _("arkivstruktur.xml, linje %(line)s (%(record)s): %(message)s")
        % {"line": where.line, "record": where.record, "message": message}
    )


def _value(model: type[models.Model], one: spec.Field, text: str | None, where: _Where) -> Any:
    model_field = model._meta.get_field(one.field)
    if text is None or text == "":
        if isinstance(model_field, models.CharField | models.TextField):
            return ""
        return None
    try:
        if one.code_list is not None:
            return code_of(one.code_list, text)
        if isinstance(model_field, models.DateTimeField):
            return dt.datetime.fromisoformat(text)
        if isinstance(model_field, models.DateField):
            return dt.date.fromisoformat(text)
        if isinstance(model_field, models.UUIDField) or one.reference:
            return uuid.UUID(text)
        if isinstance(model_field, models.IntegerField):
            return int(text)
    except UnknownCode as unknown:
        raise _refuse(
            where,
            _("«%(value)s» er ikkje ein kjend verdi for %(list)s.")
            % {"value": unknown.value, "list": unknown.code_list},
        ) from None
    except ValueError:
        raise _refuse(
            where,
            _("«%(value)s» er ikkje ein gyldig %(element)s.")
            % {"value": text, "element": one.element},
        ) from None
    return text


def _row(
    model: type[models.Model], fields: tuple[spec.Field, ...], leaves: dict[str, Any], where: _Where
) -> dict[str, Any]:
    return {
        one.field: _value(model, one, leaves.get(one.element), where)
        for one in fields
        if not one.reference
    }


# --- the checks before anything is stored -----------------------------------------------------


def _check_package(package: Path, stream: Stream | None) -> list[str]:
    if not (package / "arkivstruktur.xml").is_file():
        raise ImportRefused(
            _("Finn ikkje arkivstruktur.xml i %(dir)s. Er dette ei uttrekksmappe?")
            % {"dir": package}
        )
    if not (package / "arkivuttrekk.xml").is_file():
        raise ImportRefused(_("Finn ikkje arkivuttrekk.xml (ADDML) i %(dir)s.") % {"dir": package})
    error = schemas.validate(package / "arkivuttrekk.xml", "arkivuttrekk.xml")
    if error is not None:
        raise ImportRefused(_("Fila følgjer ikkje skjemaet: %(error)s") % {"error": error})
    checksums = addml.read_checksums(package / "arkivuttrekk.xml")
    present = [
        name
        for name in schemas.SCHEMA_OF
        if name != "arkivuttrekk.xml" and (package / name).is_file()
    ]
    for name in present:
        expected = checksums.get(name)
        if expected is None:
            raise ImportRefused(
                _("arkivuttrekk.xml nemner ikkje %(file)s, som ligg i pakka.") % {"file": name}
            )
        found = addml.sha256_of(package / name)
        if found != expected:
            raise ImportRefused(
                _(
                    "%(file)s har ikkje sjekksummen arkivuttrekk.xml gjev (SHA-256 %(expected)s, "
                    "fila har %(found)s): fila er endra eller skadd."
                )
                % {"file": name, "expected": expected, "found": found}
            )
    for name in checksums:
        if name.endswith(".xml") and name not in present:
            raise ImportRefused(
                _("%(file)s manglar i pakka, men arkivuttrekk.xml nemner fila.") % {"file": name}
            )
    for name in present:
        error = schemas.validate(package / name, name)
        if error is not None:
            raise ImportRefused(_("Fila følgjer ikkje skjemaet: %(error)s") % {"error": error})
        if stream is not None:
            stream.write(_("%(file)s følgjer skjemaet.") % {"file": name} + "\n")
    return present


def _check_empty() -> None:
    found = {
        _("arkiv"): m.Archive.objects.count(),
        _("arkivdelar"): m.Series.objects.count(),
        _("klassifikasjonssystem"): m.ClassificationSystem.objects.count(),
        _("saker"): m.CaseFolder.objects.count(),
        _("registreringar"): m.RegistryEntry.objects.count(),
        _("endringar i endringsloggen"): m.ChangeLogEntry.objects.count(),
    }
    present = [f"{count} {name}" for name, count in found.items() if count]
    if present:
        raise ImportRefused(
            _(
                "Arkivet er ikkje tomt (det finst alt %(what)s). Eit arkivuttrekk kan berre "
                "lesast inn i eit tomt arkiv; ingenting er endra."
            )
            % {"what": ", ".join(present)}
        )


# --- reading arkivstruktur.xml ----------------------------------------------------------------


@dataclass
class _Case:
    row: dict[str, Any]
    klasse: m.ArchiveClass | None
    secondary: uuid.UUID | None
    series: m.Series
    attached: dict[str, Any]
    entries: list[_Entry]
    where: _Where


@dataclass
class _Entry:
    row: dict[str, Any]
    attached: dict[str, Any]
    parts: list[dict[str, Any]]
    write_offs: list[tuple[dict[str, Any], uuid.UUID | None]]
    documents: list[_Doc]
    where: _Where


@dataclass
class _Doc:
    row: dict[str, Any]
    attached: dict[str, Any]
    objects: list[dict[str, Any]]


class Reader:
    def __init__(self, package: Path, result: ImportResult, progress: Progress | None) -> None:
        self.package = package
        self.result = result
        self.progress = progress
        self.archive: m.Archive | None = None
        self.series: m.Series | None = None
        self.systems: dict[uuid.UUID, m.ClassificationSystem] = {}
        self.classes: dict[uuid.UUID, m.ArchiveClass] = {}
        self.units: dict[str, Unit] = {}
        self.stored: dict[str, StoredDocument] = {}
        self.batch: list[_Case] = []
        self.cross_references: list[tuple[str, int, uuid.UUID | None, uuid.UUID | None]] = []
        # The open containers: (name, element, created object or None).
        self.stack: list[list[Any]] = []

    # Streaming through the file

    def run(self) -> None:
        containers = {"arkiv", "arkivdel", "klassifikasjonssystem", "klasse", "mappe"}
        for event, element in etree.iterparse(
            str(self.package / "arkivstruktur.xml"), events=("start", "end"), **SAFE
        ):
            name = _local(element.tag)
            if event == "start":
                # Sub-folders inside a case are read with it (there are none in ours).
                if name not in containers or self._in_case():
                    continue
                if name != "arkiv":
                    self._materialise_parent()
                self.stack.append([name, element, None])
                continue
            if not self.stack or self.stack[-1][1] is not element:
                continue
            if name == "mappe":
                self._read_case(element)
            else:
                self._materialise_top()
            self.stack.pop()
            # Free what has been read: memory stays that of one case.
            element.clear(keep_tail=False)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
        self._flush()
        self._link_cross_references()

    def _in_case(self) -> bool:
        return any(frame[0] == "mappe" for frame in self.stack)

    def _materialise_parent(self) -> None:
        if self.stack and self.stack[-1][2] is None:
            self._materialise_top()

    def _materialise_top(self) -> None:
        frame = self.stack[-1]
        if frame[2] is not None:
            return
        name, element = frame[0], frame[1]
        where = _Where(element, name)
        leaves = _leaves(element)
        if name == "arkiv":
            frame[2] = self._archive(element, leaves, where)
        elif name == "arkivdel":
            frame[2] = self._series(leaves, where)
        elif name == "klassifikasjonssystem":
            frame[2] = self._system(leaves, where)
        elif name == "klasse":
            frame[2] = self._class(leaves, where)

    def _archive(self, element: etree._Element, leaves: dict[str, Any], where: _Where) -> m.Archive:
        row = _row(m.Archive, spec.ARKIV, leaves, where)
        row["avsluttet_dato"] = _value(
            m.Archive,
            spec.fields(m.Archive, "avsluttetDato")[0],
            leaves.get("avsluttetDato"),
            where,
        )
        row["avsluttet_av"] = leaves.get("avsluttetAv", "")
        archive = m.Archive.objects.create(**row)
        for creator in _children(element, "arkivskaper"):
            m.ArchiveCreator.objects.create(
                archive=archive, **_row(m.ArchiveCreator, spec.ARKIVSKAPER, _leaves(creator), where)
            )
        self.archive = archive
        return archive

    def _series(self, leaves: dict[str, Any], where: _Where) -> m.Series:
        self._flush()
        assert self.archive is not None
        self.series = m.Series.objects.create(
            archive=self.archive, **_row(m.Series, spec.ARKIVDEL, leaves, where)
        )
        return self.series

    def _system(self, leaves: dict[str, Any], where: _Where) -> m.ClassificationSystem:
        row = _row(m.ClassificationSystem, spec.KLASSIFIKASJONSSYSTEM, leaves, where)
        system = self.systems.get(row["system_id"])
        if system is None:
            # A system shared by several periods is written under each; it is one here.
            system = m.ClassificationSystem.objects.create(**row)
            self.systems[system.system_id] = system
        assert self.series is not None
        if self.series.classification_system_id is None:
            # The first system under a period is the period's own (arkivstruktur.py).
            m.Series.objects.filter(pk=self.series.pk).update(classification_system=system)
            self.series.classification_system = system
        return system

    def _class(self, leaves: dict[str, Any], where: _Where) -> m.ArchiveClass:
        row = _row(m.ArchiveClass, spec.KLASSE, leaves, where)
        found = self.classes.get(row["system_id"])
        if found is not None:
            return found
        parent = self.stack[-2][2]
        system = (
            parent if isinstance(parent, m.ClassificationSystem) else parent.classification_system
        )
        klasse = m.ArchiveClass.objects.create(
            classification_system=system,
            parent=parent if isinstance(parent, m.ArchiveClass) else None,
            **row,
        )
        self.classes[klasse.system_id] = klasse
        return klasse

    # One case, read whole

    def _attached(self, element: etree._Element, where: _Where) -> dict[str, Any]:
        found: dict[str, Any] = {"merknad": [], "kryssreferanse": []}
        for child in element:
            name = _local(child.tag)
            if name == "skjerming":
                leaves = _leaves(child)
                row = _row(m.Screening, spec.SKJERMING_HEAD + spec.SKJERMING_TAIL, leaves, where)
                row["skjerming_metadata"] = [
                    _code(where, "skjermingMetadata", text)
                    for text in leaves.get("skjermingMetadata", [])
                ]
                found["skjerming"] = row
            elif name == "kassasjon":
                found["kassasjon"] = _row(m.Disposal, spec.KASSASJON, _leaves(child), where)
            elif name == "merknad":
                found["merknad"].append(_row(m.Annotation, spec.MERKNAD, _leaves(child), where))
            elif name == "kryssreferanse":
                leaves = _leaves(child)
                found["kryssreferanse"].append(
                    (
                        _uuid_or_none(leaves.get("referanseTilMappe")),
                        _uuid_or_none(leaves.get("referanseTilRegistrering")),
                    )
                )
        return found

    def _read_case(self, element: etree._Element) -> None:
        leaves = _leaves(element)
        where = _Where(element, _("sak %(id)s") % {"id": leaves.get("mappeID", "?")})
        if element.get(XSI_TYPE) != "saksmappe":
            raise _refuse(where, _("Berre saksmapper kan lesast inn (xsi:type saksmappe)."))
        row = _row(m.CaseFolder, spec.MAPPE_HEAD + spec.SAKSMAPPE_TAIL, leaves, where)
        klasse = self.stack[-2][2] if self.stack[-2][0] == "klasse" else None
        assert self.series is not None
        case = _Case(
            row=row,
            klasse=klasse,
            secondary=_uuid_or_none(leaves.get("referanseSekundaerKlassifikasjon")),
            series=self.series,
            attached=self._attached(element, where),
            entries=[self._read_entry(child, row) for child in _children(element, "registrering")],
            where=where,
        )
        self.batch.append(case)
        if len(self.batch) >= BATCH:
            self._flush()

    def _read_entry(self, element: etree._Element, case_row: dict[str, Any]) -> _Entry:
        leaves = _leaves(element)
        where = _Where(
            element,
            _("registrering %(id)s")
            % {"id": leaves.get("registreringsID", leaves.get("systemID", "?"))},
        )
        kind = element.get(XSI_TYPE)
        if kind not in (m.RegistreringKind.JOURNALPOST, m.RegistreringKind.ARKIVNOTAT):
            raise _refuse(where, _("Berre journalpostar og arkivnotat kan lesast inn."))
        fields = spec.REGISTRERING_HEAD + spec.REGISTRERING_MID
        fields += (
            spec.JOURNALPOST_TAIL
            if kind == m.RegistreringKind.JOURNALPOST
            else spec.ARKIVNOTAT_TAIL
        )
        row = _row(m.RegistryEntry, fields, leaves, where)
        row["kind"] = kind
        extra = element.find(f"{NS}virksomhetsspesifikkeMetadata/{VSM}tenestetorget")
        vsm = _leaves(extra) if extra is not None else {}
        row.update(_row(m.RegistryEntry, spec.VSM[:2], vsm, where))
        if kind == m.RegistreringKind.ARKIVNOTAT:
            row.update(_row(m.RegistryEntry, spec.VSM[2:], vsm, where))
        if not row["administrativ_enhet"]:
            row["administrativ_enhet"] = case_row["administrativ_enhet"]
        parts = [
            _row(m.CorrespondencePart, spec.KORRESPONDANSEPART, _leaves(part), where)
            for part in _children(element, "korrespondansepart")
        ]
        write_offs = []
        for write_off in _children(element, "avskrivning"):
            found = _leaves(write_off)
            write_offs.append(
                (
                    _row(m.WriteOff, spec.AVSKRIVNING, found, where),
                    _uuid_or_none(found.get("referanseAvskrivesAvJournalpost")),
                )
            )
        docs = []
        for doc in _children(element, "dokumentbeskrivelse"):
            objects = [
                _row(m.DocumentObject, spec.DOKUMENTOBJEKT, _leaves(obj), where)
                for obj in _children(doc, "dokumentobjekt")
            ]
            docs.append(
                _Doc(
                    row=_row(
                        m.DocumentDescription, spec.DOKUMENTBESKRIVELSE_HEAD, _leaves(doc), where
                    ),
                    attached=self._attached(doc, where),
                    objects=objects,
                )
            )
        return _Entry(row, self._attached(element, where), parts, write_offs, docs, where)

    # Writing a batch

    def _unit(self, name: str) -> Unit:
        unit = self.units.get(name)
        if unit is None:
            unit = Unit.objects.filter(name=name).order_by("pk").first()
            if unit is None:
                code = slugify(name)[:30] or "eining"
                while Unit.objects.filter(code=code).exists():
                    code = f"{code[:30]}-{uuid.uuid4().hex[:6]}"
                unit = Unit.objects.create(code=code, name=name)
                self.result.warnings.append(
                    _("Eininga «%(name)s» fanst ikkje og er oppretta.") % {"name": name}
                )
            self.units[name] = unit
        return unit

    def _flush(self) -> None:
        batch, self.batch = self.batch, []
        if not batch:
            return
        cases = []
        for case in batch:
            numbers = [e.row.get("journalpostnummer") or 0 for e in case.entries]
            secondary = None
            if case.secondary is not None:
                secondary = self.classes.get(case.secondary)
                if secondary is None:
                    raise _refuse(case.where, _("Den sekundære klassen finst ikkje i pakka."))
            cases.append(
                m.CaseFolder(
                    series=case.series,
                    klasse=case.klasse,
                    sekundaer_klasse=secondary,
                    unit=self._unit(case.row["administrativ_enhet"]),
                    siste_journalpostnummer=max(numbers, default=0),
                    **case.row,
                )
            )
        m.CaseFolder.objects.bulk_create(cases)
        entries: list[m.RegistryEntry] = []
        sources: list[_Entry] = []
        for case, folder in zip(batch, cases, strict=True):
            for read in case.entries:
                entries.append(
                    m.RegistryEntry(
                        case_folder=folder,
                        unit=self._unit(read.row["administrativ_enhet"]),
                        # Its write-offs follow in bulk, and an archived post cannot be
                        # updated afterwards (RegistryEntry.avskriven).
                        avskriven=bool(read.write_offs),
                        **read.row,
                    )
                )
                sources.append(read)
        m.RegistryEntry.objects.bulk_create(entries)
        by_sid = {made.system_id: made for made in entries}
        parts, write_offs, docs, doc_sources = [], [], [], []
        for source, entry in zip(sources, entries, strict=True):
            parts += [m.CorrespondencePart(registry_entry=entry, **row) for row in source.parts]
            for row, answered in source.write_offs:
                answer = by_sid.get(answered) if answered is not None else None
                if answered is not None and answer is None:
                    raise _refuse(
                        source.where, _("Svaret avskrivinga viser til, finst ikkje i same sak.")
                    )
                write_offs.append(m.WriteOff(registry_entry=entry, answered_by=answer, **row))
            for doc in source.documents:
                docs.append(m.DocumentDescription(registry_entry=entry, **doc.row))
                doc_sources.append((doc, source))
        m.CorrespondencePart.objects.bulk_create(parts)
        m.WriteOff.objects.bulk_create(write_offs)
        m.DocumentDescription.objects.bulk_create(docs)
        objects = []
        for description, (doc, source) in zip(docs, doc_sources, strict=True):
            for row in doc.objects:
                objects.append(
                    m.DocumentObject(
                        document=description, stored_file=self._file(row, source.where), **row
                    )
                )
        m.DocumentObject.objects.bulk_create(objects)
        screenings, disposals, annotations = [], [], []
        owners: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for case, folder in zip(batch, cases, strict=True):
            owners.append(({"case_folder": folder}, case.attached))
            for ref in case.attached["kryssreferanse"]:
                self.cross_references.append(("case", folder.pk, *ref))
        for source, entry in zip(sources, entries, strict=True):
            owners.append(({"registry_entry": entry}, source.attached))
            for ref in source.attached["kryssreferanse"]:
                self.cross_references.append(("entry", entry.pk, *ref))
        for description, (doc, _source) in zip(docs, doc_sources, strict=True):
            owners.append(({"document": description}, doc.attached))
        for owner, attached in owners:
            if "skjerming" in attached:
                screenings.append(m.Screening(**owner, **attached["skjerming"]))
            if "kassasjon" in attached:
                disposals.append(m.Disposal(**owner, **attached["kassasjon"]))
            annotations += [m.Annotation(**owner, **row) for row in attached["merknad"]]
        m.Screening.objects.bulk_create(screenings)
        m.Disposal.objects.bulk_create(disposals)
        m.Annotation.objects.bulk_create(annotations)
        self.result.cases += len(cases)
        self.result.entries += len(entries)
        if self.progress is not None:
            self.progress.advance(len(entries))

    def _file(self, row: dict[str, Any], where: _Where) -> StoredDocument:
        reference = PurePosixPath(row["referanse_dokumentfil"])
        if reference.parts[:1] != ("DOKUMENT",) or ".." in reference.parts:
            raise _refuse(
                where, _("Dokumentfila «%(file)s» ligg ikkje i DOKUMENT/.") % {"file": reference}
            )
        if row["sjekksum_algoritme"].upper().replace("-", "") != "SHA256":
            raise _refuse(where, _("Berre sjekksummar med SHA-256 kan kontrollerast."))
        expected = row["sjekksum"].lower()
        row["sjekksum"] = expected
        known = self.stored.get(expected)
        if known is not None and known.size == row["filstoerrelse"]:
            return known
        path = self.package / reference
        if not path.is_file():
            raise _refuse(where, _("Dokumentfila %(file)s manglar i pakka.") % {"file": reference})
        if path.is_symlink():
            raise _refuse(
                where, _("Dokumentfila %(file)s er ei lenkje, ikkje ei fil.") % {"file": reference}
            )
        size = path.stat().st_size
        digest = hashlib.sha256()
        with path.open("rb") as source:
            for block in iter(lambda: source.read(1024 * 1024), b""):
                digest.update(block)
        if size != row["filstoerrelse"] or digest.hexdigest() != expected:
            raise _refuse(
                where,
                _(
                    "Dokumentfila %(file)s stemmer ikkje med dokumentobjektet: venta "
                    "%(size)s byte med SHA-256 %(expected)s, fila har %(found_size)s byte og "
                    "%(found)s."
                )
                % {
                    "file": reference,
                    "size": row["filstoerrelse"],
                    "expected": expected,
                    "found_size": size,
                    "found": digest.hexdigest(),
                },
            )
        try:
            with path.open("rb") as source:
                stored = documents.store(File(source), name=path.name)
        except ValidationError as refused:
            raise _refuse(
                where,
                _("Dokumentlageret tok ikkje imot %(file)s: %(reason)s")
                % {"file": reference, "reason": " ".join(refused.messages)},
            ) from None
        self.stored[expected] = stored
        self.result.files += 1
        return stored

    def _link_cross_references(self) -> None:
        """Cross references may point forward in the file; they are made last. One that
        points outside the package (a case in a period not extracted) cannot be kept."""
        made = []
        now = timezone.now()
        for kind, pk, to_case, to_entry in self.cross_references:
            target_case = (
                m.CaseFolder.objects.filter(system_id=to_case).first() if to_case else None
            )
            target_entry = (
                m.RegistryEntry.objects.filter(system_id=to_entry).first() if to_entry else None
            )
            if target_case is None and target_entry is None:
                self.result.warnings.append(
                    _(
                        "Ein kryssreferanse viser til %(id)s, som ikkje er i pakka; han er "
                        "ikkje lesen inn."
                    )
                    % {"id": to_case or to_entry}
                )
                continue
            made.append(
                m.CrossReference(
                    from_case_folder_id=pk if kind == "case" else None,
                    from_registry_entry_id=pk if kind == "entry" else None,
                    to_case_folder=target_case,
                    to_registry_entry=target_entry,
                    opprettet_dato=now,
                    opprettet_av=IMPORTED_BY,
                )
            )
        m.CrossReference.objects.bulk_create(made)


def _code(where: _Where, code_list: str, text: str) -> str:
    try:
        return code_of(code_list, text)
    except UnknownCode:
        raise _refuse(
            where,
            _("«%(value)s» er ikkje ein kjend verdi for %(list)s.")
            % {"value": text, "list": code_list},
        ) from None


def _uuid_or_none(text: str | None) -> uuid.UUID | None:
    return uuid.UUID(text) if text else None


# --- endringslogg and the number series ---------------------------------------------------------


def _read_changes(path: Path) -> Iterator[m.ChangeLogEntry]:
    for _event, element in etree.iterparse(
        str(path), events=("end",), tag=f"{{{spec.ENDRINGSLOGG_NS}}}endring", **SAFE
    ):
        leaves = _leaves(element)
        where = _Where(element, "endring")
        row = _row(m.ChangeLogEntry, spec.ENDRING, leaves, where)
        for name in ("tidligere_verdi", "ny_verdi"):
            if row[name] == spec.EMPTY_VALUE:
                row[name] = ""
        yield m.ChangeLogEntry(**row)
        element.clear(keep_tail=False)
        while element.getprevious() is not None:
            del element.getparent()[0]


def _import_changes(path: Path) -> int:
    count = 0
    pending: list[m.ChangeLogEntry] = []
    for change in _read_changes(path):
        pending.append(change)
        if len(pending) >= 5000:
            m.ChangeLogEntry.objects.bulk_create(pending)
            count += len(pending)
            pending = []
    m.ChangeLogEntry.objects.bulk_create(pending)
    return count + len(pending)


def rebuild_counters() -> None:
    """Raise core.numbering's series to the highest numbers now in the archive, so the next
    case and journal post after the import get new numbers."""
    for series, rows in (
        (
            CASE_SERIES,
            m.CaseFolder.objects.values("saksaar").annotate(last=Max("sakssekvensnummer")),
        ),
        (
            JOURNAL_SERIES,
            m.RegistryEntry.objects.exclude(journalaar=None)
            .values("journalaar")
            .annotate(last=Max("journalsekvensnummer")),
        ),
    ):
        for row in rows:
            year = row.get("saksaar", row.get("journalaar"))
            found, _created = NumberSeries.objects.get_or_create(
                series=series, year=year, defaults={"last": 0}
            )
            if found.last < row["last"]:
                NumberSeries.objects.filter(pk=found.pk).update(last=row["last"])


def import_package(package: Path, *, stream: Stream | None = None) -> ImportResult:
    """Read the package in `package` into the empty archive; raises ImportRefused (nothing
    stored) with the file and record or line that is wrong."""
    schemas.schema_dir()
    present = _check_package(package, stream)
    result = ImportResult()
    with transaction.atomic():
        _check_empty()
        progress = Progress("arkivstruktur.xml", 0, _("registreringar"), stream) if stream else None
        Reader(package, result, progress).run()
        if progress is not None:
            progress.finish()
        if "endringslogg.xml" in present:
            result.changes = _import_changes(package / "endringslogg.xml")
        rebuild_counters()
        # bulk_create sends no signals: the public journal's search table is written anew.
        public_search.rebuild()
    return result
