"""Server time of the staff pages, measured in-process.

A page is requested through django.test.Client as the logged-in front-desk user: the time is
the wall time of the request through the whole Django stack (middleware, session, view,
queries, template), without a network or a browser. Before the pages exist the selectors
behind them (contact.selectors.inbox and inquiry_detail) are timed directly.
"""

from __future__ import annotations

import math
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

INBOX_URL = "/tenestetorget/"
# The inbox as the front desk uses it: the default (open work by due date), the filters it
# clicks most, a second page, and everything (status=all), which reads the whole table.
INBOX_CASES = [
    ("inbox", ""),
    ("inbox overdue", "overdue=1"),
    ("inbox queue", "queue=byggjesak"),
    ("inbox attention", "attention=1"),
    ("inbox unrouted", "unrouted=1"),
    ("inbox status=all", "status=all"),
    ("inbox page 2", "page=2"),
    ("inbox all, page 2", "status=all&page=2"),
]
TARGET_P95_MS = 50.0


def inquiry_url(reference: str) -> str:
    return f"/tenestetorget/henvending/{reference}/"


@dataclass
class CaseResult:
    name: str
    mode: str  # "page" or "selector"
    url: str
    requests: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    queries: list[int]  # the distinct query counts seen, sorted
    sql_ms_p50: float
    cpu_ms_p50: float  # CPU time of this process (Python), without the database server's
    rows: list[int] = field(default_factory=list)  # rows on the page (selector mode)
    statuses: list[int] = field(default_factory=list)
    slowest_sql: str = ""
    slowest_sql_ms: float = 0.0
    explain_file: str = ""

    @property
    def ok(self) -> bool:
        return self.p95_ms <= TARGET_P95_MS

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


@dataclass
class Sample:
    seconds: float
    cpu_seconds: float
    queries: list[dict[str, str]]
    rows: int = -1
    status: int = 200


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by the nearest-rank method."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def pages_available(reference: str) -> bool:
    """True once the inquiry page's URL exists (the lead writes the pages together)."""
    try:
        resolve(inquiry_url(reference))
    except Resolver404:
        return False
    return True


def front_desk_user() -> Any:
    from benchmarks.dataset import FRONT_DESK_USERNAME

    return get_user_model().objects.get(username=FRONT_DESK_USERNAME)


def _timed(call: Callable[[], tuple[int, int]]) -> Sample:
    with CaptureQueriesContext(connection) as ctx:
        cpu_started = time.process_time()
        started = time.perf_counter()
        rows, status = call()
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
    return Sample(elapsed, cpu, list(ctx.captured_queries), rows, status)


def _summarise(name: str, mode: str, url: str, samples: list[Sample]) -> CaseResult:
    ms = [s.seconds * 1000 for s in samples]
    sql_ms = [sum(float(q["time"]) for q in s.queries) * 1000 for s in samples]
    slowest = max(
        ((float(q["time"]), q["sql"]) for s in samples for q in s.queries),
        default=(0.0, ""),
    )
    return CaseResult(
        name=name,
        mode=mode,
        url=url,
        requests=len(samples),
        p50_ms=round(statistics.median(ms), 2),
        p95_ms=round(percentile(ms, 95), 2),
        max_ms=round(max(ms), 2),
        queries=sorted({len(s.queries) for s in samples}),
        sql_ms_p50=round(statistics.median(sql_ms), 2),
        cpu_ms_p50=round(statistics.median(s.cpu_seconds * 1000 for s in samples), 2),
        rows=sorted({s.rows for s in samples if s.rows >= 0}),
        statuses=sorted({s.status for s in samples}),
        slowest_sql=slowest[1],
        slowest_sql_ms=round(slowest[0] * 1000, 2),
    )


#: Seconds one case may take at most (warm-up included), so a slow page cannot stretch the
#: benchmark to hours; fewer requests are then measured, and the count says so.
CASE_BUDGET_SECONDS = 60.0
MIN_SAMPLES = 10


def _run(
    name: str, mode: str, url: str, calls: list[Callable[[], tuple[int, int]]], warmup: int
) -> CaseResult:
    deadline = time.monotonic() + CASE_BUDGET_SECONDS
    for call in calls[:warmup]:
        call()
        if time.monotonic() > deadline:
            break
    samples: list[Sample] = []
    for call in calls[warmup:]:
        samples.append(_timed(call))
        if time.monotonic() > deadline and len(samples) >= MIN_SAMPLES:
            break
    return _summarise(name, mode, url, samples)


# --- pages ----------------------------------------------------------------------------------


def _page_call(client: Client, url: str) -> Callable[[], tuple[int, int]]:
    def call() -> tuple[int, int]:
        response = client.get(url)
        # Reading the content makes a streaming response finish inside the timing too.
        _ = response.content
        return -1, response.status_code

    return call


def measure_pages(
    user: Any, references: list[str], rich: list[str], repeats: int, warmup: int
) -> list[CaseResult]:
    client = Client()
    client.force_login(user)
    results = []
    for name, query in INBOX_CASES:
        url = f"{INBOX_URL}?{query}" if query else INBOX_URL
        calls = [_page_call(client, url)] * (warmup + repeats)
        results.append(_run(name, "page", url, calls, warmup))
    for name, refs in (("inquiry page", references), ("inquiry page, long timeline", rich)):
        if not refs:
            continue
        chosen = [refs[i % len(refs)] for i in range(warmup + repeats)]
        calls = [_page_call(client, inquiry_url(ref)) for ref in chosen]
        results.append(_run(name, "page", inquiry_url("<reference>"), calls, warmup))
    return results


# --- selectors ------------------------------------------------------------------------------


def _inbox_call(user: Any, query: str) -> Callable[[], tuple[int, int]]:
    from tenestetorget.contact import selectors

    params = QueryDict(query)

    def call() -> tuple[int, int]:
        page = int(params.get("page", "1"))
        result = selectors.inbox(user, selectors.InboxFilter.from_params(params), page=page)
        return len(result.items), 200

    return call


def _detail_call(user: Any, reference: str) -> Callable[[], tuple[int, int]]:
    from tenestetorget.contact import selectors

    def call() -> tuple[int, int]:
        inquiry = selectors.inquiry_detail(user, reference)
        return len(inquiry.events.all()), 200

    return call


def measure_selectors(
    user: Any, references: list[str], rich: list[str], repeats: int, warmup: int
) -> list[CaseResult]:
    # The user's staff profile is read once per request in a view; read it here once too.
    _ = getattr(user, "staff_profile", None)
    results = []
    for name, query in INBOX_CASES:
        calls = [_inbox_call(user, query)] * (warmup + repeats)
        results.append(_run(name, "selector", f"inbox({query or 'default'})", calls, warmup))
    for name, refs in (("inquiry page", references), ("inquiry page, long timeline", rich)):
        if not refs:
            continue
        chosen = [refs[i % len(refs)] for i in range(warmup + repeats)]
        calls = [_detail_call(user, ref) for ref in chosen]
        results.append(_run(name, "selector", "inquiry_detail(<reference>)", calls, warmup))
    return results


# --- samples and diagnosis ------------------------------------------------------------------


def random_references(count: int, seed: int = 1) -> list[str]:
    """References of inquiries spread over the whole table (ids drawn at random)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM contact_inquiry")
        low, high = cursor.fetchone()
        rng = random.Random(seed)
        ids = [rng.randint(low, high) for _ in range(count * 2)]
        cursor.execute("SELECT reference FROM contact_inquiry WHERE id = ANY(%s)", [ids])
        refs = [row[0] for row in cursor.fetchall()]
    rng.shuffle(refs)
    return refs[:count]


def explain(result: CaseResult, directory: Path) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the case's slowest query, written to a file."""
    statement = result.slowest_sql.strip()
    if statement.upper().startswith("DECLARE") and " FOR SELECT " in statement.upper():
        # A server-side cursor (QuerySet.iterator()): explain the query it runs.
        statement = statement[statement.upper().index(" FOR SELECT ") + len(" FOR ") :]
    if not statement.upper().startswith("SELECT"):
        return ""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    directory.mkdir(parents=True, exist_ok=True)
    slug = "".join(ch if ch.isalnum() else "-" for ch in f"{result.mode}-{result.name}")
    path = directory / f"{slug}.txt"
    path.write_text(f"{statement}\n\n{plan}\n", encoding="utf-8")
    result.explain_file = str(path)
    return plan
