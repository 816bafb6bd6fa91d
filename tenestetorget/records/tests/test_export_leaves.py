"""On PostgreSQL the export's simple elements are written by the database
(records.extraction.leaves); the Python writer is the reference. These tests hold the two
to the same bytes, with the values that differ most easily: characters XML must escape or
cannot carry, a carriage return, fractions of a second, summer and winter time, code lists."""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tenestetorget.records import services
from tenestetorget.records.extraction import leaves
from tenestetorget.records.extraction.export import ExportRefused, export_package
from tenestetorget.records.extraction.writer import datetime_text, escape
from tenestetorget.records.models import Journalposttype, Korrespondanseparttype
from tenestetorget.records.services import Party
from tenestetorget.records.tests.test_export import _document, _finish, build_closed_archive

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database writes the leaves on PostgreSQL only"
)

ODD = "Brev om «Fjellvegen» & <gjerde> \r\nlinje 2\x01\x1f \ufffe slutt"


@pytest.mark.django_db
def test_the_database_writes_values_as_the_python_writer() -> None:
    moments = [
        dt.datetime(2025, 1, 15, 9, 30, tzinfo=dt.UTC),
        dt.datetime(2025, 7, 1, 10, 0, 0, 500000, tzinfo=dt.UTC),
        dt.datetime(2025, 3, 30, 0, 59, 59, 1, tzinfo=dt.UTC),  # the hour before summer time
        dt.datetime(2025, 10, 26, 1, 0, 0, 123456, tzinfo=dt.UTC),  # winter time again
        dt.datetime(1999, 12, 31, 23, 0, 0, 120000, tzinfo=dt.UTC),
    ]
    with leaves.norwegian_time(), connection.cursor() as cursor:
        for moment in moments:
            cursor.execute("SELECT xmlforest(%s::timestamptz AS d)::text", [moment])
            assert cursor.fetchone()[0] == f"<d>{datetime_text(moment)}</d>"
        cursor.execute("SELECT xmlforest(%s::text AS t)::text", [ODD])
        assert leaves.clean(cursor.fetchone()[0]) == f"<t>{escape(ODD)}</t>"
    # And the session is back in UTC, where Django reads timestamps.
    with connection.cursor() as cursor:
        cursor.execute("SHOW TimeZone")
        assert cursor.fetchone()[0] == connection.timezone_name


def _odd_case(archive: dict[str, Any], staff: dict[str, Any], units: dict[str, Any]) -> None:
    builder = staff["builder"]
    case = services.create_saksmappe(
        archive["series"],
        ODD,
        units["plan_bygg"],
        saksansvarlig=builder,
        actor=builder,
        klasse=archive["k614"],
    )
    entry = services.register_journalpost(
        case,
        Journalposttype.INNGAAANDE,
        ODD,
        builder,
        parties=[Party(Korrespondanseparttype.AVSENDAR, ODD, poststed="Åmot & <Rauland>")],
        dokumentets_dato=dt.date(2025, 12, 31),
    )
    document = _document(entry, ODD, builder)
    services.annotate(entry, ODD, builder)
    _finish(document, builder)
    services.set_journalstatus(entry, "A", builder)
    services.close_saksmappe(case, builder)


@pytest.mark.django_db
def test_both_writers_give_the_same_arkivstruktur_change_log_and_journal(
    archive: dict[str, Any],
    staff: dict[str, Any],
    units: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _odd_case(archive, staff, units)
    build_closed_archive(archive, staff, units)
    export_package(tmp_path / "database", validate=True, stream=io.StringIO())
    monkeypatch.setattr(leaves, "ENABLED", False)
    export_package(tmp_path / "python", validate=True, stream=io.StringIO())
    for name in ("loependeJournal.xml", "endringslogg.xml", "arkivstruktur.xml"):
        written = (tmp_path / "database" / name).read_bytes()
        assert written == (tmp_path / "python" / name).read_bytes(), name
    # The odd values are in it, escaped, and not only in one writer's output.
    assert escape(ODD).encode() in written
    assert b"&#x0d;" in written and b"\x01" not in written


@pytest.mark.django_db(transaction=True)
def test_the_side_writer_writes_the_same_journals_from_the_same_snapshot(
    archive: dict[str, Any], staff: dict[str, Any], units: dict[str, Any], tmp_path: Path
) -> None:
    """Outside a caller's transaction the export owns its snapshot and shares it with the
    side writer (a second process) for the journal files; they come out as the export
    writes them alone."""
    _odd_case(archive, staff, units)
    build_closed_archive(archive, staff, units)
    together = export_package(tmp_path / "parallel", stream=io.StringIO())
    alone = export_package(tmp_path / "alone", stream=io.StringIO(), parallel=False)
    assert "journalar (parallelt)" in together.steps
    assert "journalar (parallelt)" not in alone.steps
    assert together.files == alone.files
    for name in ("arkivstruktur.xml", "endringslogg.xml", "loependeJournal.xml"):
        assert (tmp_path / "parallel" / name).read_bytes() == (
            tmp_path / "alone" / name
        ).read_bytes(), name
    assert (tmp_path / "parallel" / "offentligJournal.xml").read_bytes() == (
        tmp_path / "alone" / "offentligJournal.xml"
    ).read_bytes()


@pytest.mark.django_db(transaction=True)
def test_a_killed_side_writer_stops_the_export_and_leaves_no_package(
    archive: dict[str, Any], staff: dict[str, Any], units: dict[str, Any], tmp_path: Path
) -> None:
    """The side writer is the export's first worker process; killed as soon as it starts
    (as the kernel's out-of-memory killer or an operator would), the export is refused
    with a reason and removes what it wrote."""
    build_closed_archive(archive, staff, units)
    killed: list[int] = []

    def kill_the_first_worker() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not killed:
            for child in multiprocessing.active_children():
                os.kill(child.pid or 0, signal.SIGKILL)
                killed.append(child.pid or 0)
                return
            time.sleep(0.005)

    killer = threading.Thread(target=kill_the_first_worker)
    killer.start()
    out = tmp_path / "uttrekk"
    with pytest.raises(ExportRefused, match="stoppa uventa"):
        export_package(out, stream=io.StringIO())
    killer.join()
    assert killed
    assert not out.exists()
