"""The records (arkiv) at 1,000,000 journal posts (`make bench-records`; method and figures
in docs/performance.md, "Records at 1,000,000 journal posts").

1. Creates its own PostgreSQL database (BENCH_RECORDS_DATABASE_URL, default
   tt_bench_records), migrates it and loads --size journal posts with
   `benchmarks.records_dataset.load_records`; fills the public journal's search table
   (`records.public_search.rebuild`, the one path that applies the screening rules).
2. Times, in-process through django.test.Client (the whole Django stack, no network):
   the case list as the archivist and as a case officer, the restanse list, the public
   journal (the day's list, searches for a common and a rare word, a case number, a party
   name) and the journal API; the selectors where a page does not exist yet.
3. Writes EXPLAIN (ANALYZE, BUFFERS) of the slowest query of every case that misses the
   target (p95 <= 50 ms) to var/bench-explain/, prints a table and writes
   var/bench-records.json.

    .venv/bin/python benchmarks/records_scale.py                 # the full run
    .venv/bin/python benchmarks/records_scale.py --size 50000    # a quick try
    .venv/bin/python benchmarks/records_scale.py --reuse         # measure the loaded data again
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tt_bench_records"
STARTED = time.perf_counter()
warnings.filterwarnings("ignore", message="No directory at")

#: Words for the searches: one in many titles, one in a handful (a rare case kind), a party
#: name that is rare and one that is common (an organisation: always searchable).
COMMON_WORD = "søknad"
RARE_WORD = "songedalen"
RARE_NAME = "Kjosavik"
COMMON_ORGANISATION = "Rauland Hotell"


def progress(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:7.1f} s] {message}", flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Records at scale on PostgreSQL: case list, restanse, public journal",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--size", type=int, default=1_000_000, help="journal posts to load")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the existing bench database and its data"
    )
    parser.add_argument("--repeats", type=int, default=100, help="timed requests per case")
    parser.add_argument("--warmup", type=int, default=10, help="untimed requests per case")
    parser.add_argument(
        "--case-budget", type=float, default=30.0, help="seconds at most per timed case"
    )
    parser.add_argument(
        "--output", type=Path, default=ROOT / "var" / "bench-records.json", help="results file"
    )
    args = parser.parse_args(argv)
    if not 1_000 <= args.size <= 20_000_000:
        parser.error("--size must be between 1,000 and 20,000,000")
    return args


def prepare_database(url: str, reuse: bool) -> bool:
    """Point Django at the bench database, create it when needed; True if it must be loaded."""
    return database.prepare_django(url, reuse, progress)


def fill_public_journal() -> tuple[int, float]:
    """The public journal's search table, written through records.public (the screening
    rules); (rows, seconds). Nothing when the table is there already or the module is not."""
    try:
        from tenestetorget.records import public_search
        from tenestetorget.records.search_index import PublicJournalRow
    except ImportError:
        return 0, 0.0
    if PublicJournalRow.objects.exists():
        return PublicJournalRow.objects.count(), 0.0
    started = time.perf_counter()
    rows = public_search.rebuild()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) records_publicjournalrow")
    return rows, time.perf_counter() - started


# --- what is measured --------------------------------------------------------------------------


def _resolves(path: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(path.split("?")[0])
    except Resolver404:
        return False
    return True


def _samples() -> dict[str, Any]:
    """Parameters drawn from the loaded data: case numbers, days, units, officers."""
    from django.db import connection

    rng = random.Random(7)
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM records_casefolder")
        low, high = cursor.fetchone()
        ids = [rng.randint(low, high) for _ in range(400)]
        cursor.execute("SELECT mappe_id FROM records_casefolder WHERE id = ANY(%s)", [ids])
        case_numbers = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT DISTINCT journaldato FROM records_registryentry"
            " WHERE journaldato > current_date - 365 ORDER BY 1"
        )
        days = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT DISTINCT unit_id FROM records_casefolder ORDER BY 1"  # the units with cases
        )
        units = [row[0] for row in cursor.fetchall()]
    rng.shuffle(case_numbers)
    return {"case_numbers": case_numbers, "days": days, "units": units, "rng": rng}


def _users() -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from benchmarks.records_dataset import ARCHIVIST_USERNAME, officer_username

    users = get_user_model().objects.select_related("staff_profile")
    return {
        "archivist": users.get(username=ARCHIVIST_USERNAME),
        "officer": users.get(username=officer_username("plan_bygg", 1)),
    }


Case = tuple[str, str, Any, list[str]]  # (name, who, client or user, urls)


def _vary(template: str, values: list[Any], count: int) -> list[str]:
    return [template.format(values[i % len(values)]) for i in range(count)]


def page_cases(users: dict[str, Any], samples: dict[str, Any], count: int) -> list[Case]:
    from django.test import Client

    clients = {}
    for who, user in users.items():
        client = Client()
        client.force_login(user)
        clients[who] = client
    anonymous = Client()
    case_numbers, units = samples["case_numbers"], samples["units"]
    officer = users["officer"]
    cases: list[Case] = []
    cases_url = "/arkiv/saker/"
    if _resolves(cases_url):
        for who in ("archivist", "officer"):
            client = clients[who]
            cases += [
                ("cases: default (own unit, open)", who, client, [cases_url] * count),
                ("cases: all", who, client, [f"{cases_url}?saksstatus="] * count),
                ("cases: word (common)", who, client, [f"{cases_url}?q=garasje"] * count),
                ("cases: word (rare)", who, client, [f"{cases_url}?q=Songedalen"] * count),
                (
                    "cases: case number",
                    who,
                    client,
                    _vary(cases_url + "?saksnummer={}", case_numbers, count),
                ),
            ]
        cases.append(
            (
                "cases: a unit, open",
                "archivist",
                clients["archivist"],
                _vary(cases_url + "?saksstatus=B&unit={}", units, count),
            )
        )
        cases.append(
            (
                "cases: an officer",
                "archivist",
                clients["archivist"],
                [f"{cases_url}?officer={officer.pk}"] * count,
            )
        )
    restanse_url = "/arkiv/restansar/"
    if _resolves(restanse_url):
        cases += [
            ("restanse: all units", "archivist", clients["archivist"], [restanse_url] * count),
            (
                "restanse: a unit",
                "archivist",
                clients["archivist"],
                _vary(restanse_url + "?unit={}", units, count),
            ),
            ("restanse: own unit", "officer", clients["officer"], [restanse_url] * count),
        ]
    journal_url = "/journal/"
    if _resolves(journal_url):
        cases += _journal_cases("journal page", journal_url, anonymous, samples, count)
    api_url = "/api/v1/journal/"
    if _resolves(api_url):
        cases += _journal_cases("journal API", api_url, anonymous, samples, count)
    return cases


def _journal_cases(
    label: str, url: str, client: Any, samples: dict[str, Any], count: int
) -> list[Case]:
    def query(**params: str) -> str:
        return f"{url}?{urlencode(params)}"

    case_numbers, days = samples["case_numbers"], samples["days"]
    return [
        (f"{label}: latest day", "public", client, [url] * count),
        (
            f"{label}: a day",
            "public",
            client,
            [query(dato=days[i % len(days)].isoformat()) for i in range(count)],
        ),
        (f"{label}: common word", "public", client, [query(q=COMMON_WORD)] * count),
        (f"{label}: rare word", "public", client, [query(q=RARE_WORD)] * count),
        (
            f"{label}: case number",
            "public",
            client,
            [query(saksnr=case_numbers[i % len(case_numbers)]) for i in range(count)],
        ),
        (f"{label}: party (rare name)", "public", client, [query(part=RARE_NAME)] * count),
        (
            f"{label}: party (organisation)",
            "public",
            client,
            [query(part=COMMON_ORGANISATION)] * count,
        ),
    ]


def selector_cases(users: dict[str, Any], samples: dict[str, Any], count: int) -> list[Any]:
    """The selectors behind the pages, timed on their own: always the restanse list (its
    first page of 50 and the counts), to tell the page's own cost from the query's. The
    counts twice: as the page reads them (cached until the restanse changes) and as the
    first reader after a change does (`restanse_cache.changed()` before each)."""
    from tenestetorget.records import restanse_cache, selectors

    calls: list[tuple[str, str, Callable[[], tuple[int, int]]]] = []
    for who in ("archivist", "officer"):
        user = users[who]
        _ = getattr(user, "staff_profile", None)

        def first_page(user: Any = user) -> tuple[int, int]:
            return len(list(selectors.restanse(user)[:50])), 200

        def counts(user: Any = user) -> tuple[int, int]:
            result = selectors.restanse_counts(user)
            return len(result.per_officer) + len(result.per_unit), 200

        def counts_after_a_change(user: Any = user) -> tuple[int, int]:
            restanse_cache.changed()
            return counts(user)

        calls.append(("restanse(user)[:50]", who, first_page))
        calls.append(("restanse_counts(user)", who, counts))
        calls.append(("restanse_counts(user), uncached", who, counts_after_a_change))
    return [(name, who, [call] * count) for name, who, call in calls]


def _api_call(client: Any, url: str, n: int) -> Callable[[], tuple[int, int]]:
    address = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"

    def call() -> tuple[int, int]:
        response = client.get(url, REMOTE_ADDR=address)
        _ = response.content
        return -1, response.status_code

    return call


def run_cases(args: argparse.Namespace) -> tuple[list[Any], list[str]]:
    from benchmarks import measure

    measure.CASE_BUDGET_SECONDS = args.case_budget
    users = _users()
    samples = _samples()
    count = args.warmup + args.repeats
    notes: list[str] = []
    results = []
    cases = page_cases(users, samples, count)
    for path, what in (
        ("/arkiv/saker/", "the case list"),
        ("/arkiv/restansar/", "the restanse page"),
        ("/journal/", "the public journal page"),
        ("/api/v1/journal/", "the journal API"),
    ):
        if not _resolves(path):
            notes.append(f"{what} ({path}) does not exist yet: not timed")
    for name, who, client, urls in cases:
        progress(f"timing {name} as {who}")
        if name.startswith("journal API"):
            # The API allows 300 requests a minute from one address: each request comes
            # from another, so the rate limit does not answer for the server.
            calls = [_api_call(client, url, n) for n, url in enumerate(urls)]
        else:
            calls = [measure._page_call(client, url) for url in urls]
        result = measure._run(f"{name} [{who}]", "page", urls[-1], calls, args.warmup)
        results.append(result)
    for name, who, calls in selector_cases(users, samples, count):
        progress(f"timing {name} as {who}")
        results.append(measure._run(f"{name} [{who}]", "selector", name, calls, args.warmup))
    explain_dir = args.output.parent / "bench-explain"
    for result in results:
        if result.p95_ms > measure.TARGET_P95_MS:
            measure.explain(result, explain_dir)
            progress(f"{result.name} missed the target; plan in {result.explain_file or '-'}")
    return results, notes


def counts() -> dict[str, int]:
    from django.db import connection

    tables = (
        "records_casefolder",
        "records_registryentry",
        "records_correspondencepart",
        "records_documentobject",
        "records_writeoff",
        "records_screening",
        "records_changelogentry",
        "records_publicjournalrow",
    )
    found = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute("SELECT to_regclass(%s)", [table])
            if cursor.fetchone()[0] is None:
                continue
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
            found[table] = int(cursor.fetchone()[0])
        cursor.execute(
            "SELECT count(*) FROM records_registryentry e WHERE e.journalposttype = 'I'"
            " AND e.journalstatus IN ('J', 'E') AND NOT EXISTS"
            " (SELECT 1 FROM records_writeoff w WHERE w.registry_entry_id = e.id)"
        )
        found["restanse"] = int(cursor.fetchone()[0])
    return found


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = os.environ.get("BENCH_RECORDS_DATABASE_URL", DEFAULT_URL)
    fresh = prepare_database(url, args.reuse)
    from benchmarks import records_dataset, report

    data: dict[str, Any] = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": database.redact(url),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "postgresql": database.server_version(url),
            "postgresql_settings": database.server_settings(url),
        },
    }
    if fresh:
        progress(f"loading {args.size:,} journal posts")
        started = time.perf_counter()
        records_dataset.load_records(args.size)
        data["load_seconds"] = round(time.perf_counter() - started, 1)
    progress("filling the public journal's search table (records.public_search.rebuild)")
    rows, seconds = fill_public_journal()
    data["public_journal"] = {"rows": rows, "seconds": round(seconds, 1)}
    progress(f"  {rows:,} rows in {seconds:.1f} s")
    data["rows"] = counts()
    progress(f"rows: {data['rows']}")
    results, notes = run_cases(args)
    data["notes"] = notes
    data["pages"] = [r.as_dict() for r in results]
    data["seconds"] = round(time.perf_counter() - STARTED, 1)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    print()
    print(report.pages_table(results))
    for note in notes:
        print(f"note: {note}")
    print(f"\nResults: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
