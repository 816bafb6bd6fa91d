"""Benchmark of the arkivuttrekk export (`tenestetorget records export`) at scale.

1. Creates its own PostgreSQL database (BENCH_EXPORT_DATABASE_URL, default tt_bench_export;
   only a name with «bench» in it is ever dropped), migrates it and loads journal posts over
   last year (closed) and this year with `benchmarks.records_dataset.load_records`: cases,
   parties, one document with one document object each, write-offs, screenings, change log,
   all by INSERT ... SELECT inside PostgreSQL. The closed period holds about half of what is
   loaded, so `--size N` loads 2N posts to export about N.
2. Runs the export exactly as an operator does, as a child process
   (`tenestetorget records export --out DIR`), with schema validation on, and measures its
   wall time and peak resident memory (the child's ru_maxrss, from wait4).
3. Prints the figures and writes them with the command's progress lines to
   var/bench-export/ (results-<N>.json, export-<N>.log).

    .venv/bin/python -m benchmarks.records_export --size 100000
    .venv/bin/python -m benchmarks.records_export --size 1000000 --reuse   # keep the load

Target: at least 10,000 journal posts per second (docs/performance.md, «Arkivuttrekk»).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks import database

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tt_bench_export"
RESULTS = Path("var/bench-export")


def say(message: str) -> None:
    print(f"[records_export] {message}", flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--size", type=int, default=100_000, help="journal posts to export (about)")
    parser.add_argument(
        "--load", type=int, default=0, help="journal posts to load (default: 2 × size)"
    )
    parser.add_argument("--reuse", action="store_true", help="use the loaded database if it exists")
    parser.add_argument(
        "--out", type=Path, default=RESULTS / "package", help="where the package is written"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the package afterwards (it is large)"
    )
    return parser.parse_args(argv)


def prepare(url: str, reuse: bool, n_load: int) -> dict[str, Any]:
    fresh = not (reuse and database.exists(url))
    if fresh:
        say(f"creating database {database.redact(url)}")
        database.recreate(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "0"
    # Its own document store: another process storing the same shared PDFs in a transaction
    # that rolls back removes the file at that path (core.uploads.delete_on_rollback), and
    # an export then stops on the missing file, as it should. Seen with var/media shared.
    os.environ.setdefault("MEDIA_ROOT", str((RESULTS / "media").resolve()))
    # The benchmark's own throwaway key: nothing here is signed for anyone.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tenestetorget.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from benchmarks import records_dataset
    from tenestetorget.records.models import ArkivdelStatus, RegistryEntry

    loaded = 0.0
    if fresh:
        say(f"loading {n_load:,} journal posts")
        started = time.perf_counter()
        records_dataset.load_records(n_load)
        loaded = time.perf_counter() - started
    closed = RegistryEntry.objects.filter(
        case_folder__series__arkivdelstatus=ArkivdelStatus.AVSLUTTA
    ).count()
    return {
        "loaded_posts": RegistryEntry.objects.count(),
        "load_seconds": round(loaded, 1),
        "closed_period_posts": closed,
    }


class TreeMemory(threading.Thread):
    """Samples the resident memory of a process and all its descendants (the export's
    worker processes) every half second; `peak` is the largest sum seen, in bytes."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self._finished = threading.Event()

    def run(self) -> None:
        while not self._finished.wait(0.5):
            self.peak = max(self.peak, _tree_rss(self.pid))

    def stop(self) -> None:
        self._finished.set()
        self.join()


def _tree_rss(root: int) -> int:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                # The parent pid is the fourth field after the «(name)».
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    total = 0
    page = os.sysconf("SC_PAGE_SIZE")
    for pid in parents:
        ancestor = pid
        while ancestor not in (root, 0, 1) and ancestor in parents:
            ancestor = parents[ancestor]
        if ancestor == root:
            try:
                total += int((Path("/proc") / str(pid) / "statm").read_text().split()[1]) * page
            except OSError:
                continue
    return total


def run_export(out: Path, log: Path) -> dict[str, Any]:
    """The command in a child process: wall time and the child's peak RSS."""
    if out.exists():
        shutil.rmtree(out)
    command = [str(Path(sys.executable).with_name("tenestetorget")), "records", "export"]
    command += ["--out", str(out)]
    say("exporting: " + " ".join(command))
    started = time.perf_counter()
    with log.open("w") as output:
        child = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        sampler = TreeMemory(child.pid)
        sampler.start()
        _pid, status, usage = os.wait4(child.pid, 0)
        sampler.stop()
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the export failed; see {log}")
    text = log.read_text()
    steps = {
        name: float(took)
        for name, took in re.findall(r"^(\S+\.xml): .*ferdig på ([\d.]+) s$", text, re.M)
    }
    return {
        "seconds": round(seconds, 1),
        # ru_maxrss is in kilobytes on Linux: the largest single process of the export.
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        # The export with its workers (side writer, schema check) together, sampled.
        "peak_rss_all_processes_mb": round(sampler.peak / 1024 / 1024, 1),
        # CPU time of the export and its workers (not the database server's), which a
        # busy machine changes far less than the wall time.
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "write_seconds": steps,
        "package_bytes": sum(p.stat().st_size for p in out.rglob("*") if p.is_file()),
        "arkivstruktur_bytes": (out / "arkivstruktur.xml").stat().st_size,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = os.environ.get("BENCH_EXPORT_DATABASE_URL", DEFAULT_URL)
    RESULTS.mkdir(parents=True, exist_ok=True)
    facts = prepare(url, args.reuse, args.load or 2 * args.size)
    log = RESULTS / f"export-{args.size}.log"
    facts.update(run_export(args.out, log))
    posts = facts["closed_period_posts"]
    facts["posts_per_second"] = round(posts / facts["seconds"]) if facts["seconds"] else 0
    written = facts["write_seconds"].get("arkivstruktur.xml")
    if written:
        facts["arkivstruktur_posts_per_second"] = round(posts / written)
    facts["database"] = database.redact(url)
    facts["server"] = database.server_version(url)
    (RESULTS / f"results-{args.size}.json").write_text(json.dumps(facts, indent=2) + "\n")
    say(json.dumps(facts, indent=2))
    say(
        f"{posts:,} journal posts exported in {facts['seconds']} s: "
        f"{facts['posts_per_second']:,} posts/s, peak RSS {facts['peak_rss_mb']} MB"
    )
    if not args.keep:
        shutil.rmtree(args.out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
