"""The summary table on the terminal and the results file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmarks.measure import TARGET_P95_MS, CaseResult

API_TARGET_RPS = 200.0


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        padded = [
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(padded)

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def pages_table(results: list[CaseResult]) -> str:
    rows = [
        [
            r.name,
            r.mode,
            str(r.requests),
            f"{r.p50_ms:.1f}",
            f"{r.p95_ms:.1f}",
            f"{r.max_ms:.1f}",
            f"{r.sql_ms_p50:.1f}",
            f"{r.cpu_ms_p50:.1f}",
            "/".join(map(str, r.queries)),
            "/".join(map(str, r.statuses)),
            "ok" if r.ok else "MISS",
        ]
        for r in results
    ]
    headers = ["case", "mode", "n", "p50 ms", "p95 ms", "max ms", "sql ms", "cpu ms",
               "queries", "http", f"p95<={TARGET_P95_MS:.0f}"]  # fmt: skip
    return _table(headers, rows)


def _ratio(tasks: int, inquiries: int) -> str:
    """Acknowledgement tasks enqueued per inquiry written (1.00: every one queued its task)."""
    return f"{tasks / inquiries:.2f}" if inquiries else "-"


def _cpu(parts: dict[str, float]) -> str:
    """ "django+postgres+loadgen" CPU milliseconds per created inquiry."""
    names = ("django", "postgres", "loadgen")
    return "+".join(f"{parts[n]:.1f}" for n in names if n in parts)


def api_table(results: list[dict[str, Any]]) -> str:
    rows = [
        [
            r["config"],
            str(r["concurrency"]),
            f"{r['rps']:.1f}",
            f"{r['p50_ms']:.1f}",
            f"{r['p95_ms']:.1f}",
            str(r["errors"]),
            _ratio(r.get("tasks_enqueued", 0), r.get("inquiries_written", 0)),
            _cpu(r.get("cpu_ms_per_request", {})),
            "ok" if r["rps"] >= API_TARGET_RPS and not r["errors"] else "MISS",
        ]
        for r in results
    ]
    headers = ["server", "clients", "created/s", "p50 ms", "p95 ms", "errors", "tasks/inq",
               "cpu ms/req", f">={API_TARGET_RPS:.0f}/s"]  # fmt: skip
    return _table(headers, rows)


def summary(data: dict[str, Any], pages: list[CaseResult], api: list[dict[str, Any]]) -> str:
    parts = [
        f"Tenestetorget benchmark: {data['size']:,} inquiries, {data['machine']['cpus']} CPUs, "
        f"PostgreSQL {data['machine']['postgresql']}",
    ]
    if "load" in data:
        rows = ", ".join(
            f"{k.removeprefix('contact_')} {v:,}" for k, v in data["load"]["rows"].items()
        )
        how = (
            "existing database reused"
            if data["load"].get("reused")
            else f"loaded in {data['load']['seconds']:.0f} s"
        )
        parts.append(f"{how}; rows: {rows}")
    if pages:
        load = data.get("load_average_before", [])
        parts += [
            "",
            "Server time per request (in-process, front-desk user); machine load average "
            f"{load[0] if load else '?'} before, {data.get('load_average_after', ['?'])[0]} after",
            pages_table(pages),
        ]
    if api:
        parts += ["", "POST /api/v1/inquiries/ through gunicorn on loopback", api_table(api)]
    for note in data.get("notes", []):
        parts.append(f"note: {note}")
    return "\n".join(parts)


def write(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
