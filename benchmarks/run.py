"""Tenestetorget's performance benchmark (`make bench`; method in docs/performance.md).

1. Creates its own PostgreSQL database (BENCH_DATABASE_URL, default tt_bench), migrates it and
   loads the demo organisation and --size inquiries (default 1,000,000) with their senders,
   timelines, handovers and messages.
2. Times the front desk's inbox and the inquiry page in-process (p50/p95/max server time and
   queries per request), or the selectors behind them while the pages do not exist yet.
3. Runs gunicorn on loopback and creates inquiries through the API from a second process,
   for each server configuration given.
4. Prints a summary table and writes var/bench-results.json.

    .venv/bin/python benchmarks/run.py                 # the full benchmark (about 25 min)
    .venv/bin/python benchmarks/run.py --size 20000    # a quick try
    .venv/bin/python benchmarks/run.py --reuse --skip-api   # measure the loaded data again
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    # Run as a script (`python benchmarks/run.py`), the package is found from the repository.
    sys.path.insert(0, str(ROOT))

from benchmarks import database  # noqa: E402

STARTED = time.perf_counter()
# WhiteNoise warns that collectstatic has not run; the benchmark serves no static files.
warnings.filterwarnings("ignore", message="No directory at")


def progress(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:7.1f} s] {message}", flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Tenestetorget performance benchmark on PostgreSQL",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--size", type=int, default=1_000_000, help="inquiries to load")
    parser.add_argument("--senders", type=int, default=0, help="senders (default size/5)")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the existing bench database and its data"
    )
    parser.add_argument("--repeats", type=int, default=200, help="timed requests per case")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per case")
    parser.add_argument(
        "--measure",
        choices=("auto", "selectors", "pages", "none"),
        default="auto",
        help="auto: the selectors, and the pages once their URLs exist",
    )
    parser.add_argument(
        "--case-budget", type=float, default=60.0, help="seconds at most per timed case"
    )
    parser.add_argument("--skip-api", action="store_true", help="no API throughput run")
    parser.add_argument(
        "--api-configs",
        default="sync:2,sync:3,gthread:2x1,gthread:2x4",
        help="gunicorn worker setups to try: sync:N or gthread:NxT, comma-separated",
    )
    parser.add_argument("--api-seconds", type=float, default=20.0, help="timed load per setup")
    parser.add_argument("--api-warmup", type=float, default=5.0, help="untimed load first")
    parser.add_argument("--api-concurrency", type=int, default=8, help="client connections")
    parser.add_argument(
        "--output", type=Path, default=ROOT / "var" / "bench-results.json", help="results file"
    )
    args = parser.parse_args(argv)
    if not 1_000 <= args.size <= 20_000_000:
        parser.error("--size must be between 1,000 and 20,000,000")
    args.senders = args.senders or max(1_000, args.size // 5)
    return args


def prepare_database(url: str, reuse: bool) -> bool:
    """Point Django at the bench database, create it when needed; True if it must be loaded."""
    return database.prepare_django(url, reuse, progress)


def load_data(args: argparse.Namespace, fresh: bool, data: dict[str, Any]) -> Any:
    from benchmarks import dataset

    if fresh:
        progress(f"loading {args.size:,} inquiries and {args.senders:,} senders")
        staff, summary = dataset.load(args.size, args.senders, progress)
        data["load"] = {
            "seconds": summary.seconds,
            "steps": summary.steps,
            "rows": summary.rows,
        }
        rich = summary.rich_references
    else:
        staff = dataset.staff_ids()
        rich = dataset.rich_references()
        if dataset.load_knowledge():
            progress("loaded the knowledge base, which the reused database lacked")
        data["load"] = {"seconds": 0, "steps": {}, "rows": dataset.row_counts(), "reused": True}
    data["size"] = data["load"]["rows"]["contact_inquiry"]
    data["statuses"] = dataset.distribution()
    progress(f"inquiries by status: {data['statuses']}")
    return staff, rich


def measure_server_time(args: argparse.Namespace, rich: list[str], data: dict[str, Any]) -> list:
    from benchmarks import measure

    measure.CASE_BUDGET_SECONDS = args.case_budget
    user = measure.front_desk_user()
    references = measure.random_references(args.repeats + args.warmup)
    results = []
    data["load_average_before"] = [round(x, 2) for x in os.getloadavg()]
    if args.measure in ("auto", "selectors"):
        progress("timing the selectors (inbox, inquiry_detail)")
        results += measure.measure_selectors(user, references, rich, args.repeats, args.warmup)
    pages = measure.pages_available(references[0])
    if args.measure == "pages" or (args.measure == "auto" and pages):
        if not pages:
            raise SystemExit("The inquiry page's URL does not resolve yet; use --measure auto")
        progress("timing the pages (inbox, inquiry page)")
        results += measure.measure_pages(user, references, rich, args.repeats, args.warmup)
    elif args.measure == "auto":
        data["notes"].append(
            "the inquiry page's URL does not exist yet: only the selectors were timed"
        )
    data["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    explain_dir = args.output.parent / "bench-explain"
    for result in results:
        if result.p95_ms > measure.TARGET_P95_MS:
            measure.explain(result, explain_dir)
            progress(f"{result.name} ({result.mode}) missed the target; plan in "
                     f"{result.explain_file or '(not a SELECT)'}")  # fmt: skip
    return results


def measure_api(args: argparse.Namespace, url: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    from benchmarks import apiload, measure

    if not apiload.api_available():
        data["notes"].append("POST /api/v1/inquiries/ does not exist yet: no API run")
        return []
    token = apiload.api_token(measure.front_desk_user())
    senders = apiload.write_known_senders(args.output.parent / "bench-senders.json")
    log_path = args.output.parent / "bench-gunicorn.log"
    results = []
    for config in apiload.parse_configs(args.api_configs):
        progress(f"API load: {config.label}, {args.api_concurrency} clients, "
                 f"{args.api_seconds:.0f} s (server log: {log_path})")  # fmt: skip
        result = apiload.run_one(
            config,
            database_url=url,
            token=token,
            senders_file=senders,
            seconds=args.api_seconds,
            warmup=args.api_warmup,
            concurrency=args.api_concurrency,
            log_path=log_path,
        )
        progress(f"  {result['rps']:.1f} created/s, p95 {result['p95_ms']:.1f} ms, "
                 f"{result['errors']} errors")  # fmt: skip
        results.append(result)
    return results


def machine(url: str) -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "postgresql": database.server_version(url),
        "postgresql_settings": database.server_settings(url),
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = os.environ.get("BENCH_DATABASE_URL", database.DEFAULT_URL)
    fresh = prepare_database(url, args.reuse)
    from benchmarks import report

    data: dict[str, Any] = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": database.redact(url),
        "machine": machine(url),
        "notes": [],
    }
    _staff, rich = load_data(args, fresh, data)
    pages = [] if args.measure == "none" else measure_server_time(args, rich, data)
    data["pages"] = [r.as_dict() for r in pages]
    api = [] if args.skip_api else measure_api(args, url, data)
    data["api"] = api
    data["seconds"] = round(time.perf_counter() - STARTED, 1)
    report.write(args.output, data)
    print()
    print(report.summary(data, pages, api))
    print(f"\nResults: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
