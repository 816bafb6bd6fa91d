"""Case numbers (saksår/sakssekvensnummer), journal numbers (journalår/journalsekvensnummer)
and document numbers within a case (journalpostnummer): counted up, never shared, also when
many threads register at once; a number used twice is refused with a reason."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from tenestetorget.records import services
from tenestetorget.records.models import CaseFolder, RegistreringKind, RegistryEntry

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def test_cases_are_numbered_per_year(case: CaseFolder, archive: Any, staff: Any, units: Any):
    year = timezone.localdate().year
    second = services.create_saksmappe(
        archive["series"], "Ny sak", units["teknisk"], staff["tech"], staff["tech"]
    )
    assert (case.saksaar, case.sakssekvensnummer, case.mappe_id) == (year, 1, f"{year}/1")
    assert (second.sakssekvensnummer, second.mappe_id) == (2, f"{year}/2")


def test_journal_posts_are_numbered_in_the_case_and_in_the_journal(
    register: Callable[..., RegistryEntry], case: CaseFolder
):
    first, second = register(), register()
    note = register(kind=RegistreringKind.ARKIVNOTAT, journalposttype="", parties=[])
    third = register()
    year = timezone.localdate().year
    assert [e.journalpostnummer for e in (first, second, note, third)] == [1, 2, 3, 4]
    assert [e.journalsekvensnummer for e in (first, second, third)] == [1, 2, 3]
    assert all(e.journalaar == year for e in (first, second, third))
    assert (note.journalaar, note.journalsekvensnummer, note.journalstatus) == (None, None, "")
    assert third.registrerings_id == f"{case.mappe_id}-4"


def test_a_case_number_used_twice_is_refused_and_nothing_changes(case: CaseFolder):
    copy = CaseFolder.objects.get(pk=case.pk)
    copy.pk = None
    copy.system_id = None  # type: ignore[assignment]
    copy.mappe_id = "annan"
    with pytest.raises(ValidationError) as refused:
        copy.validate_constraints()
    assert "Saksnummeret er alt i bruk." in str(refused.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFolder.objects.bulk_create([copy])
    assert CaseFolder.objects.count() == 1


def test_a_journal_number_used_twice_is_refused(register: Callable[..., RegistryEntry]):
    first, second = register(), register()
    second.journalsekvensnummer = first.journalsekvensnummer
    with pytest.raises(ValidationError) as refused:
        second.validate_constraints()
    assert "Journalnummeret er alt i bruk." in str(refused.value)
    second.journalsekvensnummer = 2
    second.journalpostnummer = first.journalpostnummer
    with pytest.raises(ValidationError) as refused:
        second.validate_constraints()
    assert "Dokumentnummeret er alt i bruk i saka." in str(refused.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistryEntry.objects.filter(pk=second.pk).update(journalpostnummer=1)
    second.refresh_from_db()
    assert (second.journalpostnummer, second.journalsekvensnummer) == (2, 2)


def _threads_share_a_waiting_database() -> bool:
    # As in core's numbering tests: the in-memory SQLite test database answers a second
    # writer with "table is locked" at once instead of waiting, unlike the file database.
    if connection.vendor != "sqlite":
        return True
    return not connection.creation.is_in_memory_db(connection.settings_dict["NAME"])  # type: ignore[attr-defined]


@pytest.mark.django_db(transaction=True)
def test_threads_registering_in_one_case_get_unique_contiguous_numbers(
    case: CaseFolder, staff: Any
):
    if not _threads_share_a_waiting_database():
        pytest.skip(
            "in-memory SQLite test database: threads cannot wait for its write lock; "
            "the test on a SQLite file database below covers SQLite"
        )
    threads, per_thread = 8, 25
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def work() -> None:
        try:
            barrier.wait()
            for n in range(per_thread):
                services.register_journalpost(case, "N", f"Notat {n}", staff["builder"], parties=[])
        except Exception as exc:
            with lock:
                errors.append(repr(exc))
        finally:
            connections.close_all()

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert errors == []
    total = threads * per_thread
    rows = RegistryEntry.objects.values_list("journalpostnummer", "journalsekvensnummer")
    assert sorted(int(r[0] or 0) for r in rows) == list(range(1, total + 1))
    assert sorted(int(r[1] or 0) for r in rows) == list(range(1, total + 1))
    case.refresh_from_db()
    assert case.siste_journalpostnummer == total


def test_threads_registering_on_a_sqlite_file_database_get_unique_contiguous_numbers(
    tmp_path: Path,
) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'records.sqlite3'}",
        "TENESTETORGET_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "tenestetorget.settings",
    }
    worker = subprocess.run(
        [sys.executable, "-m", "tenestetorget.records.tests.registration_worker", "8", "25"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert worker.returncode == 0, worker.stderr
    rows = json.loads(worker.stdout)
    assert sorted(row[0] for row in rows) == list(range(1, 201))
    assert sorted(row[1] for row in rows) == list(range(1, 201))
