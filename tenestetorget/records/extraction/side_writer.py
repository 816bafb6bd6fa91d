"""The change log and the two journal files, written in a second process beside
arkivstruktur.xml.

The export is CPU work in Python; on PostgreSQL a second process can share it, and read
exactly what the first reads: the export's transaction exports its snapshot
(`pg_export_snapshot()`), and the worker's transaction takes it (`SET TRANSACTION
SNAPSHOT`), so both see the archive at the same instant, as one transaction would. The
worker writes loependeJournal.xml and offentligJournal.xml while the export writes
arkivstruktur.xml and endringslogg.xml (about half the work each).

Elsewhere (SQLite, or an export inside a caller's transaction, as in most tests) there is
no snapshot to share, and the export writes the files one after another itself.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from django.db import connection
from django.utils.translation import gettext as _

from tenestetorget.records import models as m
from tenestetorget.records.extraction import changelog, journals, side_worker
from tenestetorget.records.extraction.arkivstruktur import ExportRefused
from tenestetorget.records.extraction.writer import Progress

#: The files the side writer writes, in order, and how.
FILES: tuple[tuple[str, Callable[[Path, Sequence[m.Series], Progress | None], int | None]], ...] = (
    # First: its query takes the longest before the first row (the whole change log).
    ("endringslogg.xml", changelog.write_endringslogg),
    ("loependeJournal.xml", journals.write_loepende_journal),
    # Last: the public file, built from records.public alone.
    ("offentligJournal.xml", journals.write_offentlig_journal),
)


class SideWriter:
    """Starts the worker on the current transaction's snapshot; `result()` waits for it
    and returns the count of records in each file written (None: no file)."""

    def __init__(self, out_dir: Path, series: Sequence[m.Series], show_progress: bool) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        # spawn: the worker starts clean (no copy of this process's connection).
        self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        self.future: Future[dict[str, int | None]] = self.pool.submit(
            side_worker.write_in_worker,
            dict(connection.settings_dict),
            snapshot,
            out_dir,
            [s.pk for s in series],
            show_progress,
        )

    def result(self) -> dict[str, int | None]:
        try:
            return self.future.result()
        except BrokenProcessPool as error:
            # Killed (out of memory, an operator's kill): the export stops and removes
            # what it wrote, with a reason the operator can act on.
            raise ExportRefused(
                _(
                    "Prosessen som skreiv journalfilene stoppa uventa (%(error)s). Uttrekket "
                    "vart stoppa, og det som var skrive er fjerna. Køyr det på nytt."
                )
                % {"error": error}
            ) from error
        finally:
            self.close()

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)
