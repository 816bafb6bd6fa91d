"""Load generator for the inquiry API: the second process of the throughput benchmark.

Standard library only, so it imports nothing of the server's. Threads each keep one HTTP/1.1
connection (reconnecting when the server closes it, as gunicorn's sync workers do) and POST
new inquiries for a bounded time. Only a loopback address is accepted. Prints one JSON object.

    python benchmarks/loadgen.py --port 8123 --token KEY --seconds 20 --concurrency 8
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import math
import random
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

QUEUES = ["byggjesak", "faktura", "renovasjon", "vatn_avlop", "veg", "motorferdsel", "utleige"]
MAX_REQUESTS = 200_000  # a hard bound besides the time limit


@dataclass
class WorkerResult:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    connection_errors: int = 0
    error_samples: list[str] = field(default_factory=list)


def _body(rng: random.Random, senders: list[dict[str, str]], n: int, tag: str) -> bytes:
    """Half known senders (found again by e-mail), half new ones."""
    if senders and rng.random() < 0.5:
        sender = rng.choice(senders)
    else:
        sender = {"name": f"Lasttest Person {tag}{n}", "email": f"last.{tag}.{n}@example.no"}
    return json.dumps(
        {
            "channel": "email",
            "subject": f"Spørsmål om tømming av slamavskiljar ({tag}-{n})",
            "body": "Hei. Når blir slamavskiljaren på hytta vår tømd i år? Helsing hytteeigar.",
            "sender": sender,
            "queue": rng.choice(QUEUES),
        }
    ).encode()


def _worker(
    args: argparse.Namespace,
    senders: list[dict[str, str]],
    index: int,
    counted_from: float,
    deadline: float,
    budget: threading.Semaphore,
    result: WorkerResult,
) -> None:
    rng = random.Random(index)
    headers = {
        "Authorization": f"Token {args.token}",
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
    conn: http.client.HTTPConnection | None = None
    n = 0
    while time.monotonic() < deadline and budget.acquire(blocking=False):
        n += 1
        if conn is None:
            conn = http.client.HTTPConnection(args.host, args.port, timeout=30)
        body = _body(rng, senders, n, f"{args.tag}{index}")
        started = time.monotonic()
        try:
            conn.request("POST", args.path, body=body, headers=headers)
            response = conn.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            conn = None
            if started >= counted_from:
                result.connection_errors += 1
                if len(result.error_samples) < 3:
                    result.error_samples.append(repr(exc))
            continue
        finished = time.monotonic()
        if response.will_close:
            conn.close()
            conn = None
        # Only requests that started after the warm-up and ended before the deadline count.
        if started < counted_from or finished > deadline:
            continue
        result.latencies.append(finished - started)
        result.statuses[response.status] = result.statuses.get(response.status, 0) + 1
        if response.status != 201 and len(result.error_samples) < 3:
            result.error_samples.append(f"{response.status}: {payload[:300]!r}")
    if conn is not None:
        conn.close()


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def run(args: argparse.Namespace) -> dict[str, Any]:
    if not ipaddress.ip_address(args.host).is_loopback:
        raise SystemExit("loadgen only sends to loopback addresses")
    senders: list[dict[str, str]] = []
    if args.senders:
        senders = json.loads(Path(args.senders).read_text(encoding="utf-8"))
    start = time.monotonic()
    counted_from = start + args.warmup
    deadline = counted_from + args.seconds
    budget = threading.Semaphore(MAX_REQUESTS)
    results = [WorkerResult() for _ in range(args.concurrency)]
    threads = [
        threading.Thread(
            target=_worker,
            args=(args, senders, i, counted_from, deadline, budget, results[i]),
            daemon=True,
        )
        for i in range(args.concurrency)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.warmup + args.seconds + 60)
    latencies = [lat for r in results for lat in r.latencies]
    statuses: dict[str, int] = {}
    for r in results:
        for status, count in r.statuses.items():
            statuses[str(status)] = statuses.get(str(status), 0) + count
    created = statuses.get("201", 0)
    errors = sum(count for status, count in statuses.items() if status != "201")
    errors += sum(r.connection_errors for r in results)
    return {
        "concurrency": args.concurrency,
        "seconds": args.seconds,
        "requests": len(latencies),
        "created": created,
        "errors": errors,
        "statuses": statuses,
        "rps": round(created / args.seconds, 1),
        "p50_ms": round(_percentile(latencies, 50) * 1000, 1),
        "p95_ms": round(_percentile(latencies, 95) * 1000, 1),
        "max_ms": round(max(latencies, default=0.0) * 1000, 1),
        "error_samples": [s for r in results for s in r.error_samples][:5],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/api/v1/inquiries/")
    parser.add_argument("--token", required=True)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--senders", default="", help="JSON file of known senders")
    parser.add_argument("--tag", default="t", help="makes new senders' e-mails unique per run")
    args = parser.parse_args(argv)
    if not 0 < args.seconds <= 600 or not 0 < args.concurrency <= 256:
        raise SystemExit("--seconds must be in (0, 600] and --concurrency in (0, 256]")
    print(json.dumps(run(args)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
