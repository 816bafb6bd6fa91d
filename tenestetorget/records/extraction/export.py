"""The export: which periods, in what order the files are written, validation, ADDML."""

from __future__ import annotations

import multiprocessing
import shutil
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Max, Min, Q
from django.utils.translation import gettext as _

from tenestetorget.records import models as m
from tenestetorget.records.extraction import addml, arkivstruktur, schemas
from tenestetorget.records.extraction import side_writer as side_writer_module
from tenestetorget.records.extraction.arkivstruktur import ExportRefused
from tenestetorget.records.extraction.writer import Progress, Stream

__all__ = ["ExportRefused", "ExportResult", "export_package", "select_series"]


@dataclass
class ExportResult:
    out_dir: Path
    series: list[str]
    #: XML file → number of records in it (registreringar, journal lines, changes).
    files: dict[str, int] = field(default_factory=dict)
    document_files: int = 0
    document_bytes: int = 0
    entries: int = 0
    seconds: float = 0.0
    #: Seconds spent in each step (writing arkivstruktur.xml, validating ...).
    steps: dict[str, float] = field(default_factory=dict)
    tally: arkivstruktur.Tally = field(default_factory=arkivstruktur.Tally)


def select_series(arkivdel: str | None) -> list[m.Series]:
    """The periods to extract: the one named (by id or systemID), which must be closed, or
    every closed period."""
    if arkivdel is None:
        found = list(
            m.Series.objects.filter(arkivdelstatus=m.ArkivdelStatus.AVSLUTTA).order_by(
                "opprettet_dato", "pk"
            )
        )
        if not found:
            raise ExportRefused(_("Det finst ingen avslutta arkivdelar (status P) å ta ut."))
        return found
    lookup = {"pk": int(arkivdel)} if arkivdel.isdigit() else {"system_id": _uuid(arkivdel)}
    one = m.Series.objects.filter(**lookup).first()
    if one is None:
        raise ExportRefused(_("Fann ingen arkivdel med ID %(id)s.") % {"id": arkivdel})
    if one.arkivdelstatus != m.ArkivdelStatus.AVSLUTTA:
        raise ExportRefused(
            _(
                "Arkivdelen «%(title)s» er ikkje avslutta (status %(status)s). Berre avslutta "
                "arkivdelar (status P) kan takast ut: skjemaa krev avslutningsdatoar på "
                "arkivdelen, sakene og journalpostane. Avslutt perioden først."
            )
            % {"title": one.tittel, "status": one.arkivdelstatus}
        )
    return [one]


def _uuid(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise ExportRefused(
            _("«%(id)s» er verken eit tal eller ein systemID.") % {"id": text}
        ) from None


@contextmanager
def _snapshot() -> Iterator[bool]:
    """On PostgreSQL the whole export reads one snapshot (REPEATABLE READ, READ ONLY), so
    the counts in the journal heads agree with the records written; True then, and the
    snapshot can be shared with a side writer. SQLite's transactions here take the write
    lock at BEGIN, so there the export reads without one; a closed period only takes new
    merknader meanwhile."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        # Inside a caller's transaction (a test, a script) its snapshot rules apply.
        yield False
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield True


def _prepare(out_dir: Path) -> bool:
    if out_dir.exists():
        if not out_dir.is_dir() or any(out_dir.iterdir()):
            raise ExportRefused(
                _("Mappa %(dir)s finst og er ikkje tom. Vel ei ny eller tom mappe.")
                % {"dir": out_dir}
            )
        return False
    out_dir.mkdir(parents=True)
    return True


def export_package(
    out_dir: Path,
    arkivdel: str | None = None,
    *,
    validate: bool = True,
    stream: Stream | None = None,
    parallel: bool = True,
) -> ExportResult:
    """Write the extraction of `arkivdel` (or of every closed period) into `out_dir`, which
    must be new or empty. Progress lines go to `stream` (stderr by default), with counts
    only. Raises ExportRefused with the reason; a failed export leaves no package behind.
    With `parallel`, on PostgreSQL the journal files are written by a second process
    (side_writer); the files are the same either way."""
    folder = schemas.schema_dir()
    series = select_series(arkivdel)
    arkivstruktur.check_exportable(series)
    created = _prepare(out_dir)
    started = time.monotonic()
    result = ExportResult(out_dir=out_dir, series=[s.tittel for s in series])
    checker = _Checker(folder, result, stream) if validate else None
    try:
        with _snapshot() as shared:
            _write(out_dir, series, result, stream, checker, side=shared and parallel)
        for name in schemas.SCHEMA_FILES:
            shutil.copyfile(folder / name, out_dir / name)
        if checker is not None:
            checker.wait()
        _write_addml(out_dir, series, result)
        if checker is not None:
            checker.check(out_dir / "arkivuttrekk.xml")
            checker.wait()
    except BaseException:
        _discard(out_dir, created)
        raise
    finally:
        if checker is not None:
            checker.close()
    result.seconds = time.monotonic() - started
    return result


def _timed(result: ExportResult, step: str, started: float) -> None:
    result.steps[step] = time.monotonic() - started


def _write(
    out_dir: Path,
    series: Sequence[m.Series],
    result: ExportResult,
    stream: Stream | None,
    checker: _Checker | None,
    side: bool,
) -> None:
    entries = arkivstruktur.entry_count(series)
    result.entries = entries
    started = time.monotonic()
    side_writer = (
        side_writer_module.SideWriter(out_dir, series, stream is not None) if side else None
    )
    try:
        progress = Progress("arkivstruktur.xml", entries, _("registreringar"), stream)
        tally = arkivstruktur.write_arkivstruktur(out_dir, series, progress)
        progress.finish()
        _timed(result, "arkivstruktur.xml", started)
        result.files["arkivstruktur.xml"] = tally.elements["registrering"]
        if checker is not None:
            checker.check(out_dir / "arkivstruktur.xml")
        result.document_files = tally.files
        result.document_bytes = tally.file_bytes
        result.tally = tally
        own: list[tuple[str, Callable[..., int | None]]] = []
        if side_writer is None:
            own.extend(side_writer_module.FILES)
        for name, write in own:
            started = time.monotonic()
            progress = Progress(name, 0, _("postar"), stream, every=5.0)
            count = write(out_dir / name, series, progress)
            if count is not None:
                progress.finish()
            _done(result, checker, out_dir / name, count)
            _timed(result, name, started)
        if side_writer is not None:
            for name, count in side_writer.result().items():
                _done(result, checker, out_dir / name, count)
            _timed(result, "journalar (parallelt)", started)
    finally:
        if side_writer is not None:
            side_writer.close()


def _done(result: ExportResult, checker: _Checker | None, path: Path, count: int | None) -> None:
    """A file written: counted, and sent to be checked (None: none written, nothing to
    count)."""
    if count is None:
        return
    result.files[path.name] = count
    if checker is not None:
        checker.check(path)


class _Checker:
    """Checks each written file against its schema in a worker process, while the main
    process writes the next file: the check parses every byte of a file of gigabytes, and
    on two cores the two run side by side. Streamed, so the worker's memory stays flat."""

    def __init__(self, folder: Path, result: ExportResult, stream: Stream | None) -> None:
        self.folder = folder
        self.result = result
        self.stream = stream
        # spawn: the worker starts clean (no copy of the database connection).
        self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        self.pending: list[tuple[str, float, Future[schemas.SchemaError | None]]] = []

    def check(self, path: Path) -> None:
        schema = self.folder / schemas.SCHEMA_OF[path.name]
        submitted = self.pool.submit(schemas.validate, path, path.name, schema)
        self.pending.append((path.name, time.monotonic(), submitted))

    def wait(self) -> None:
        for name, started, submitted in self.pending:
            try:
                error = submitted.result()
            except BrokenProcessPool as broken:
                raise ExportRefused(
                    _(
                        "Prosessen som kontrollerte filene mot skjemaa stoppa uventa "
                        "(%(error)s). Uttrekket vart stoppa, og det som var skrive er fjerna. "
                        "Køyr det på nytt."
                    )
                    % {"error": broken}
                ) from broken
            _timed(self.result, f"validering {name}", started)
            if error is not None:
                raise ExportRefused(
                    _("Den skrivne fila følgjer ikkje skjemaet: %(error)s") % {"error": error}
                )
            if self.stream is not None:
                self.stream.write(_("%(file)s følgjer skjemaet.") % {"file": name} + "\n")
        self.pending = []

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


def _write_addml(out_dir: Path, series: Sequence[m.Series], result: ExportResult) -> None:
    ids = [s.pk for s in series]
    tally = result.tally
    period = m.Series.objects.filter(pk__in=ids).aggregate(
        start=Min("arkivperiode_start_dato"),
        end=Max("arkivperiode_slutt_dato"),
        opened=Min("opprettet_dato"),
        closed=Max("avsluttet_dato"),
    )
    in_period = (
        Q(case_folder__series__in=ids)
        | Q(registry_entry__case_folder__series__in=ids)
        | Q(document__registry_entry__case_folder__series__in=ids)
    )
    screened = m.Screening.objects.filter(in_period).exists()
    to_dispose = (
        m.Disposal.objects.filter(in_period)
        .filter(kassasjonsvedtak=m.Kassasjonsvedtak.KASSERAST)
        .exists()
    )
    main = (
        "arkivdel",
        "klassifikasjonssystem",
        "klasse",
        "mappe",
        "registrering",
        "journalpost",
        "arkivnotat",
        "dokumentbeskrivelse",
        "dokumentobjekt",
        "korrespondansepart",
        "avskrivning",
        "merknad",
        "kryssreferanse",
    )
    occurrences: dict[str, Mapping[str, int]] = {
        "arkivstruktur.xml": {name: tally.elements[name] for name in main}
    }
    if "endringslogg.xml" in result.files:
        occurrences["endringslogg.xml"] = {"endring": result.files["endringslogg.xml"]}
    for name in ("loependeJournal.xml", "offentligJournal.xml"):
        if name in result.files:
            occurrences[name] = {"journalregistrering": result.files[name]}
    archive = series[0].archive
    addml.write_addml(
        out_dir,
        addml.Description(
            archive=archive.tittel,
            creators=list(
                archive.creators.order_by("pk").values_list("arkivskaper_navn", flat=True)
            ),
            start=period["start"] or period["opened"].date(),
            end=period["end"] or period["closed"].date(),
            screened=screened,
            to_dispose=to_dispose,
            document_files=result.document_files,
            occurrences=occurrences,
        ),
    )


def _discard(out_dir: Path, created: bool) -> None:
    if created:
        shutil.rmtree(out_dir, ignore_errors=True)
        return
    for child in out_dir.iterdir():
        if child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
