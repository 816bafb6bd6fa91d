"""Issue 11's promise: no double bookings. Fifty processes, each with its own database
connection, are released together by a barrier and book the same cabin through
`booking.services.book`: exactly one booking holds the period and the other 49 are told it is
taken. Then fifty overlapping periods (a week from each of fifty days in a row): whatever
wins, no two held periods overlap.

Real processes (forked from the test, so they share its settings and test data), not
threads, so that the database is what keeps the promise: on PostgreSQL the resource's row
lock and the exclusion constraint, on SQLite the one writer at a time of IMMEDIATE
transactions. SQLite's test database lives in memory, which other processes cannot open:
there the test data is copied to a file database of its own, the processes book in that
file, and the outcome is copied back for the checks.
"""

from __future__ import annotations

import datetime as dt
import itertools
import multiprocessing
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone
from stdnum.no import fodselsnummer

from tenestetorget.booking import residency, services, testing
from tenestetorget.booking.models import HOLDING, BookerKind, Booking, BookingUnit, Resource
from tenestetorget.booking.rules import BookingRefused, span_for_dates

ATTEMPTS = 50
#: Under pytest-xdist the test runner has a thread of its own (execnet's) when the test forks.
#: The forked processes use nothing of it: they write no output, and the locks they do use
#: (logging's, the import lock) are made anew in a forked child.
pytestmark = pytest.mark.filterwarnings(
    "ignore:This process .* is multi-threaded, use of fork:DeprecationWarning"
)
#: How long an attempt waits for SQLite's write lock. The settings' 20 seconds are plenty for
#: a web request; here 50 writers queue at once on a machine that may be busy with others.
SQLITE_BUSY_SECONDS = 120
#: How long the test waits for the processes to meet at the barrier and to finish.
WAIT_SECONDS = 300

FORK = multiprocessing.get_context("fork")

#: In a forked process: the connection it inherited from the test (SQLite's in-memory
#: database), kept here unused, neither closed nor used (SQLite is not fork-safe).
_INHERITED: list[Any] = []


def national_ids(count: int) -> list[str]:
    """`count` valid fødselsnummer (test persons born in January 1980)."""
    found: list[str] = []
    for day, individual in itertools.product(range(1, 29), range(100, 500)):
        first = f"{day:02d}0180{individual:03d}"
        number = first + fodselsnummer.calc_check_digit1(first)
        number += fodselsnummer.calc_check_digit2(number)
        if fodselsnummer.is_valid(number):
            found.append(number)
            if len(found) == count:
                return found
    raise AssertionError("too few test numbers")


def residents(count: int) -> list[services.Booker]:
    """`count` residents in as many households, in the register and as bookers."""
    numbers = national_ids(count)
    lines = [f"{number};Innbyggjar {n};H{n};Vegen {n}" for n, number in enumerate(numbers)]
    report = residency.import_register("fodselsnummer;namn;husstand;adresse\n" + "\n".join(lines))
    assert report.imported == count
    return [
        services.Booker(
            f"Innbyggjar {n}", f"innbyggjar{n}@example.no", BookerKind.RESIDENT, national_id=number
        )
        for n, number in enumerate(numbers)
    ]


def week_cabin() -> Resource:
    """A cabin let to residents by the week, from any weekday."""
    return testing.cabin(booking_unit=BookingUnit.WEEK, max_units=2)


def first_arrival() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=14)


# --- one attempt, in its own process ------------------------------------------------------------


def _use_own_connection(sqlite_file: Path | None) -> None:
    """Leave the test's connection (inherited by the fork) alone and connect anew: to the
    file database on SQLite, to the same test database on PostgreSQL."""
    wrapper = connections["default"]
    if wrapper.connection is not None:
        _INHERITED.append(wrapper.connection)
        wrapper.connection = None
    if sqlite_file is not None:
        wrapper.settings_dict["NAME"] = str(sqlite_file)
        wrapper.settings_dict.setdefault("OPTIONS", {})["timeout"] = SQLITE_BUSY_SECONDS
    wrapper.ensure_connection()


def _attempt(
    barrier: Any,
    results: Any,
    sqlite_file: Path | None,
    slug: str,
    n: int,
    start: dt.datetime,
    end: dt.datetime,
    booker: services.Booker,
) -> None:
    outcome = "error: did not run"
    try:
        _use_own_connection(sqlite_file)
        resource = Resource.objects.get(slug=slug)
        barrier.wait(timeout=WAIT_SECONDS)
        booking = services.book(resource, start, end, booker)
        outcome = f"booked {booking.pk}"
    except BookingRefused as refused:
        outcome = f"refused {refused.code}"
    except Exception as error:  # reported to the test, which fails with it
        outcome = f"error: {error!r}"
    finally:
        connections.close_all()
        results.put((n, outcome))


# --- the race -----------------------------------------------------------------------------------


def _sqlite_copy(folder: Path) -> Path:
    """The test database (SQLite in memory), copied to a file in WAL mode."""
    target = folder / "booking-race.sqlite3"
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as file:
        connection.connection.backup(file)
        file.execute("PRAGMA journal_mode=WAL")
    return target


def _copy_back(source: Path) -> None:
    """The file database's rows back into the test database, for the checks."""
    with closing(sqlite3.connect(source)) as file:
        file.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        file.backup(connection.connection)


def race(
    folder: Path,
    resource: Resource,
    attempts: list[tuple[dt.datetime, dt.datetime, services.Booker]],
) -> dict[int, str]:
    """Book each attempt in a process of its own, all released at once; the outcome of each
    attempt: `booked <id>` or `refused <code>` (or `error: ...`)."""
    sqlite_file = _sqlite_copy(folder) if connection.vendor == "sqlite" else None
    # A forked process must not share the test's connection; on PostgreSQL it is closed and
    # opened again afterwards (on SQLite in memory closing does nothing: it would lose it).
    connections.close_all()
    barrier = FORK.Barrier(len(attempts))
    results = FORK.Queue()
    processes = [
        FORK.Process(
            target=_attempt,
            args=(barrier, results, sqlite_file, resource.slug, n, start, end, booker),
            daemon=True,
        )
        for n, (start, end, booker) in enumerate(attempts)
    ]
    try:
        for process in processes:
            process.start()
        outcomes = dict(results.get(timeout=WAIT_SECONDS) for _ in processes)
        for process in processes:
            process.join(timeout=WAIT_SECONDS)
            assert process.exitcode == 0
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
    if sqlite_file is not None:
        _copy_back(sqlite_file)
    return outcomes


def held(resource: Resource) -> list[Booking]:
    return list(Booking.objects.filter(resource=resource, status__in=HOLDING).order_by("start"))


def overlap(a: tuple[dt.datetime, dt.datetime], b: tuple[dt.datetime, dt.datetime]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@pytest.mark.django_db(transaction=True)
def test_fifty_at_once_for_the_same_week_give_exactly_one_booking(tmp_path: Path) -> None:
    cabin = week_cabin()
    start, end = span_for_dates(cabin, first_arrival(), first_arrival() + dt.timedelta(days=7))
    outcomes = race(tmp_path, cabin, [(start, end, booker) for booker in residents(ATTEMPTS)])
    booked = [o for o in outcomes.values() if o.startswith("booked")]
    assert len(booked) == 1, outcomes
    assert list(outcomes.values()).count("refused taken") == ATTEMPTS - 1, outcomes
    (booking,) = held(cabin)
    assert booked == [f"booked {booking.pk}"]
    assert (booking.start, booking.end) == (start, end)
    assert Booking.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_fifty_overlapping_weeks_at_once_never_hold_overlapping_periods(tmp_path: Path) -> None:
    cabin = week_cabin()
    attempts = []
    for n, booker in enumerate(residents(ATTEMPTS)):
        arrive = first_arrival() + dt.timedelta(days=n)
        attempts.append((*span_for_dates(cabin, arrive, arrive + dt.timedelta(days=7)), booker))
    outcomes = race(tmp_path, cabin, attempts)
    assert set(outcomes.values()) - {"refused taken"} == {
        o for o in outcomes.values() if o.startswith("booked")
    }, outcomes
    bookings = held(cabin)
    assert {f"booked {b.pk}" for b in bookings} == {
        o for o in outcomes.values() if o.startswith("booked")
    }
    # A week from each of 50 days: at least one holds, and at most one in every 7 days.
    assert 1 <= len(bookings) <= 8
    for a, b in itertools.combinations(bookings, 2):
        assert not overlap((a.start, a.hold_until), (b.start, b.hold_until)), (a.start, b.start)
    # And each refusal was right: its week overlaps one that holds.
    for n, outcome in outcomes.items():
        if outcome == "refused taken":
            start, end, _booker = attempts[n]
            assert any(overlap((start, end), (b.start, b.hold_until)) for b in bookings), n
