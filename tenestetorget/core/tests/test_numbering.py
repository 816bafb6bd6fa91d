"""Reference numbers: per series and year, returned on rollback, and unique and contiguous
when many threads and processes take them at once, on SQLite and on PostgreSQL."""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection, connections, transaction

from tenestetorget.core.models import NumberSeries
from tenestetorget.core.numbering import format_reference, next_number

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def _take(series: str, year: int) -> int:
    with transaction.atomic():
        return next_number(series, year)


@pytest.mark.django_db
def test_numbers_count_up_per_series_and_year():
    assert [_take("inquiry", 2026) for _ in range(3)] == [1, 2, 3]
    assert _take("inquiry", 2027) == 1
    assert _take("case", 2026) == 1
    assert _take("inquiry", 2026) == 4
    assert NumberSeries.objects.get(series="inquiry", year=2026).last == 4


@pytest.mark.django_db
def test_a_rollback_gives_the_number_back():
    assert _take("inquiry", 2026) == 1
    with pytest.raises(RuntimeError, match="creation failed"), transaction.atomic():
        assert next_number("inquiry", 2026) == 2
        raise RuntimeError("creation failed")
    assert _take("inquiry", 2026) == 2


@pytest.mark.django_db
def test_a_rollback_of_the_first_number_of_a_year_gives_it_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number("inquiry", 2030) == 1
        raise RuntimeError("creation failed")
    assert not NumberSeries.objects.filter(series="inquiry", year=2030).exists()
    assert _take("inquiry", 2030) == 1


@pytest.mark.django_db(transaction=True)
def test_next_number_needs_a_transaction():
    with pytest.raises(RuntimeError, match=r"transaction\.atomic"):
        next_number("inquiry", 2026)


@pytest.mark.django_db
def test_empty_series_is_refused():
    with pytest.raises(ValueError), transaction.atomic():
        next_number("", 2026)


def test_format_reference():
    assert format_reference(2026, 123) == "2026-000123"
    assert format_reference(2026, 1_234_567) == "2026-1234567"


def _shares_connections_between_threads() -> bool:
    # The in-memory SQLite test database is one shared-cache database; SQLite answers a
    # second writer there with "database table is locked" at once instead of waiting for the
    # lock, which says nothing about the file database the product runs on.
    if connection.vendor != "sqlite":
        return True
    return not connection.creation.is_in_memory_db(connection.settings_dict["NAME"])  # type: ignore[attr-defined]


@pytest.mark.django_db(transaction=True)
def test_threads_get_unique_contiguous_numbers():
    if not _shares_connections_between_threads():
        pytest.skip(
            "in-memory SQLite test database: threads cannot wait for its write lock; "
            "test_processes_and_threads_get_unique_contiguous_numbers covers SQLite with a "
            "file database"
        )
    threads, per_thread = 8, 25
    numbers: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def work() -> None:
        try:
            barrier.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    number = next_number("inquiry", 2026)
                    time.sleep(0.001)  # the numbered object would be written here
                with lock:
                    numbers.append(number)
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
    assert sorted(numbers) == list(range(1, threads * per_thread + 1))
    assert NumberSeries.objects.get(series="inquiry", year=2026).last == threads * per_thread


def _database_url_for_workers(tmp_path: Path) -> str:
    if connection.vendor == "sqlite":
        # A file database of its own, set up with the project's SQLite options (WAL,
        # IMMEDIATE transactions, busy timeout).
        return f"sqlite:///{tmp_path / 'numbers.sqlite3'}"
    if connection.vendor == "postgresql":
        # The test database this test runs in (transactional, so the workers see it).
        s = connection.settings_dict
        auth = quote(s["USER"] or "", safe="")
        if s.get("PASSWORD"):
            auth += ":" + quote(s["PASSWORD"], safe="")
        return f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"
    pytest.skip(f"no worker set-up for {connection.vendor}")


def _run_worker(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - our own module with our own arguments
        [sys.executable, "-m", "tenestetorget.core.tests.numbering_worker", *args],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.django_db(transaction=True)
def test_processes_and_threads_get_unique_contiguous_numbers(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": _database_url_for_workers(tmp_path),
        "TENESTETORGET_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "tenestetorget.settings",
    }
    if connection.vendor == "sqlite":
        setup = _run_worker(env, "migrate")
        _, err = setup.communicate(timeout=120)
        assert setup.returncode == 0, err
    signals = tmp_path / "signals"
    signals.mkdir()
    processes, threads, per_thread = 3, 4, 20
    workers = [
        _run_worker(
            env, "take", "inquiry", "2026", str(threads), str(per_thread), "2", str(signals)
        )
        for _ in range(processes)
    ]
    try:
        deadline = time.monotonic() + 120
        while len(list(signals.glob("ready-*"))) < processes:
            assert all(w.poll() is None for w in workers), "a worker stopped before starting"
            assert time.monotonic() < deadline, "workers did not start"
            time.sleep(0.05)
        (signals / "go").touch()
        results = [w.communicate(timeout=300) for w in workers]
    finally:
        for w in workers:
            if w.poll() is None:
                w.kill()
                w.communicate()
    errors = [err for (_, err), w in zip(results, workers, strict=True) if w.returncode != 0]
    assert errors == []
    numbers = [n for out, _ in results for n in json.loads(out)]
    assert sorted(numbers) == list(range(1, processes * threads * per_thread + 1))
