"""API throughput: gunicorn on loopback, load from a second process (benchmarks/loadgen.py).

The server runs as in production: DEBUG off, the bench database, tasks enqueued as database
rows by django-tasks-db (so each created inquiry also writes its acknowledgement task), and
persistent database connections. Each configuration runs for a bounded time; gunicorn is
stopped by its own process id afterwards.
"""

from __future__ import annotations

import json
import os
import resource
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection
from django.urls import Resolver404, resolve

ROOT = Path(__file__).resolve().parent.parent
API_PATH = "/api/v1/inquiries/"


@dataclass(frozen=True)
class ServerConfig:
    worker_class: str  # "sync" or "gthread"
    workers: int
    threads: int = 1

    @property
    def label(self) -> str:
        if self.worker_class == "gthread":
            return f"gthread {self.workers}w x {self.threads}t"
        return f"sync {self.workers}w"

    def gunicorn_args(self) -> list[str]:
        args = ["-w", str(self.workers), "-k", self.worker_class]
        if self.worker_class == "gthread":
            args += ["--threads", str(self.threads)]
        return args


def parse_configs(text: str) -> list[ServerConfig]:
    """ "sync:2,sync:3,gthread:2x4" -> configurations."""
    configs = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        kind, _, size = item.partition(":")
        workers, _, threads = size.partition("x")
        if kind not in ("sync", "gthread") or not workers.isdigit():
            raise SystemExit(f"Bad server configuration {item!r}; e.g. sync:3 or gthread:2x4")
        configs.append(ServerConfig(kind, int(workers), int(threads or 1)))
    return configs


def api_available() -> bool:
    try:
        resolve(API_PATH)
    except Resolver404:
        return False
    return True


def api_token(user: Any) -> str:
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=user)
    return str(token.key)


def write_known_senders(path: Path, count: int = 1000) -> Path:
    """Senders the load generator reuses, so half the requests find an existing sender."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, email FROM contact_sender WHERE email <> '' ORDER BY id LIMIT %s",
            [count],
        )
        senders = [{"name": name, "email": email} for name, email in cursor.fetchall()]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(senders), encoding="utf-8")
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_listening(port: int, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see its log")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not listen on port {port} within {timeout} s")


def _server_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        DJANGO_SETTINGS_MODULE="tenestetorget.settings",
        TASKS_BACKEND=env.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    )
    return env


def _count(sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def _task_count() -> int:
    """Tasks enqueued as rows by django-tasks-db (the acknowledgements to send)."""
    from django_tasks_db.models import DBTaskResult

    return int(DBTaskResult.objects.count())


def run_one(
    config: ServerConfig,
    *,
    database_url: str,
    token: str,
    senders_file: Path,
    seconds: float,
    warmup: float,
    concurrency: int,
    log_path: Path,
) -> dict[str, Any]:
    port = _free_port()
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    command = [
        str(gunicorn) if gunicorn.exists() else "gunicorn",
        "tenestetorget.wsgi",
        *config.gunicorn_args(),
        "--bind",
        f"127.0.0.1:{port}",
        "--graceful-timeout",
        "5",
        # Several gunicorns (another developer's, a test's) must not share one control socket.
        "--no-control-socket",
        # The application is imported once, before the workers fork.
        "--preload",
    ]
    inquiries_before = _count("SELECT count(*) FROM contact_inquiry")
    tasks_before = _task_count()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    tag = f"{config.worker_class}{config.workers}x{config.threads}p{port}"
    with log_path.open("ab") as log:
        log.write(f"\n=== {config.label}: {' '.join(command)}\n".encode())
        log.flush()
        server = subprocess.Popen(
            command, cwd=ROOT, env=_server_env(database_url), stdout=log, stderr=log
        )
        try:
            _wait_until_listening(port, server, timeout=30)
            # Warm-up in a run of its own: every worker serves its first (slow) requests and
            # opens its database connection before anything is counted.
            _loadgen(port, token, senders_file, warmup, concurrency, f"{tag}w")
            before = _cpu_snapshot(server.pid)
            result = _loadgen(port, token, senders_file, seconds, concurrency, tag)
            after = _cpu_snapshot(server.pid)
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    result["config"] = config.label
    result["inquiries_written"] = _count("SELECT count(*) FROM contact_inquiry") - inquiries_before
    result["tasks_enqueued"] = _task_count() - tasks_before
    created = int(result["created"])
    result["cpu_ms_per_request"] = (
        {name: round((after[name] - before[name]) * 1000 / created, 2) for name in after}
        if created
        else {}
    )
    return result


def _loadgen(
    port: int, token: str, senders_file: Path, seconds: float, concurrency: int, tag: str
) -> dict[str, Any]:
    """Run the load generator (a second process) for `seconds`; its JSON result."""
    load = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "loadgen.py"),
            "--port",
            str(port),
            "--path",
            API_PATH,
            "--token",
            token,
            "--seconds",
            str(seconds),
            "--warmup",
            "0",
            "--concurrency",
            str(concurrency),
            "--senders",
            str(senders_file),
            "--tag",
            tag,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 120,
        check=False,
    )
    if load.returncode != 0:
        raise RuntimeError(f"loadgen failed: {load.stderr.strip()[-2000:]}")
    result: dict[str, Any] = json.loads(load.stdout)
    return result


# --- where the CPU goes ---------------------------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK")


def _proc_cpu(pid: int) -> tuple[int, float]:
    """(parent pid, user+system CPU seconds) of a process, from /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return -1, 0.0
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICK


def _cpu_snapshot(server_pid: int) -> dict[str, float]:
    """CPU seconds used so far by gunicorn (master and workers), by the database's server
    processes serving the bench database, and by this process's finished children (the load
    generator)."""
    gunicorn = _proc_cpu(server_pid)[1]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            parent, cpu = _proc_cpu(int(entry.name))
            if parent == server_pid:
                gunicorn += cpu
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        postgres = sum(_proc_cpu(int(pid))[1] for (pid,) in cursor.fetchall())
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "django": gunicorn,
        "postgres": postgres,
        "loadgen": children.ru_utime + children.ru_stime,
    }
