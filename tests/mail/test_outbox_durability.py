"""A worker killed at each point of a send loses nothing: the real `tenestetorget worker` in
its own process, a real SMTP server on loopback (aiosmtpd), SIGKILL.

The SMTP server holds a chosen message at a chosen step until the test has killed the worker,
so each point is hit exactly, without timing luck:

* before the message reached the server: held at RCPT TO (nothing was delivered);
* after the server accepted it (250 to DATA) but before the worker could record that: held
  at QUIT, which Django's SMTP backend sends before send() returns;
* after the worker recorded it sent: it went on to the next message and was killed there.

A fresh worker then recovers: every message is delivered at least once and recorded as sent,
the one accepted before the kill is delivered twice with the same Message-ID, the one
recorded before the kill is not delivered again, and no task row stays *running*.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# Short lease and task timeout, so the recovering worker need not wait minutes.
KILLED_WORKER = ["--sweep-every", "0", "--lease", "1", "--stale-after", "1"]
RECOVERING_WORKER = ["--sweep-every", "0.5", "--lease", "1", "--stale-after", "1"]


@dataclass
class Hold:
    """Stop the SMTP conversation for `address` at `step` until released."""

    address: str
    step: str
    reached: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)


@dataclass
class HoldingMailbox:
    """aiosmtpd handler that keeps what it accepts and can hold one conversation."""

    received: list[EmailMessage] = field(default_factory=list)
    holds: list[Hold] = field(default_factory=list)
    accepted_in: dict[int, list[str]] = field(default_factory=dict)

    async def _maybe_hold(self, step: str, address: str) -> None:
        for hold in list(self.holds):
            if hold.step == step and hold.address == address:
                self.holds.remove(hold)  # once
                hold.reached.set()
                while not hold.released.is_set():
                    await asyncio.sleep(0.01)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        await self._maybe_hold("RCPT", address)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(message)
        self.accepted_in.setdefault(id(session), []).extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        for address in self.accepted_in.pop(id(session), []):
            await self._maybe_hold("QUIT", address)
        return "221 Bye"

    def deliveries(self, address: str) -> list[str]:
        """The Message-IDs of what reached `address`, in order."""
        return [str(m["Message-ID"]) for m in self.received if address in str(m["To"])]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def mailbox() -> Iterator[tuple[HoldingMailbox, int]]:
    handler = HoldingMailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield handler, controller.port
    finally:
        for hold in handler.holds:
            hold.released.set()
        controller.stop()


def _database_url(tmp_path: Path) -> str:
    if connection.vendor == "sqlite":
        # A file of its own with the project's SQLite options (WAL, IMMEDIATE, busy timeout):
        # pytest's in-memory database is not visible to other processes.
        return f"sqlite:///{tmp_path / 'outbox.sqlite3'}"
    if connection.vendor == "postgresql":
        # The test database this (transactional) test runs in: the workers see its commits.
        s = connection.settings_dict
        auth = quote(s["USER"] or "", safe="")
        if s.get("PASSWORD"):
            auth += ":" + quote(s["PASSWORD"], safe="")
        return f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"
    pytest.skip(f"no worker set-up for {connection.vendor}")


class Processes:
    """The worker and helper processes of one test, with one environment."""

    def __init__(self, tmp_path: Path, smtp_port: int) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "TASKS_BACKEND")}
        env.update(
            DJANGO_SETTINGS_MODULE="tenestetorget.settings",
            DATABASE_URL=_database_url(tmp_path),
            SECRET_KEY=secrets.token_urlsafe(50),
            TENESTETORGET_VAR_DIR=str(tmp_path / "var"),
            # No routing model retraining in these workers: seconds of CPU beside a timed test.
            ROUTING_RETRAIN_HOURS="0",
            EMAIL_BACKEND="smtp",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp_port),
            EMAIL_TIMEOUT="30",
            DEFAULT_FROM_EMAIL="Tenestetorget <postmottak@demo.kommune.no>",
        )
        self.env = env
        self.logs = tmp_path / "logs"
        self.logs.mkdir()
        self.workers: list[subprocess.Popen[bytes]] = []

    def helper(self, *args: str) -> Any:
        done = subprocess.run(  # noqa: S603 - our own module with our own arguments
            [sys.executable, "-m", "tests.mail.outbox_process", *args],
            cwd=PROJECT_ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if done.stdout.strip() else None

    def start_worker(self, *options: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"worker-{len(self.workers)}.log").open("wb")
        worker = subprocess.Popen(  # noqa: S603 - our own command with our own arguments
            [
                sys.executable,
                "-m",
                "tenestetorget",
                "worker",
                "--interval",
                "0.1",
                "--no-startup-delay",
                "--no-reload",
                *options,
            ],
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.workers.append(worker)
        return worker

    def worker_logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.logs.iterdir()))

    def kill_at(self, hold: Hold, worker: subprocess.Popen[bytes]) -> None:
        """Wait until the SMTP server holds the conversation, then SIGKILL the worker."""
        if not hold.reached.wait(timeout=60):
            raise AssertionError(f"never reached {hold}:\n{self.worker_logs()}")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        hold.released.set()

    def stop_all(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_at_each_point_of_a_send_loses_nothing(
    tmp_path: Path, mailbox: tuple[HoldingMailbox, int]
) -> None:
    server, port = mailbox
    run = Processes(tmp_path, port)
    try:
        if connection.vendor == "sqlite":
            run.helper("migrate")
        before, accepted, recorded, after = (
            "before@example.org",
            "accepted@example.org",
            "recorded@example.org",
            "after@example.org",
        )
        stored = run.helper("register", before, accepted, recorded, after)

        # 1. Killed before the message reached the server.
        held = Hold(before, "RCPT")
        server.holds.append(held)
        run.kill_at(held, run.start_worker(*KILLED_WORKER))

        # 2. Killed after the server accepted it, before the worker recorded it.
        held = Hold(accepted, "QUIT")
        server.holds.append(held)
        run.kill_at(held, run.start_worker(*KILLED_WORKER))
        assert server.deliveries(accepted) != []

        # 3. Killed after the worker recorded it sent (it went on to the next message).
        held = Hold(after, "RCPT")
        server.holds.append(held)
        run.kill_at(held, run.start_worker(*KILLED_WORKER))

        middle = {m["to"]: m for m in run.helper("report")["messages"]}
        assert middle[recorded]["status"] == "sent"
        # The dead workers' rows claim to be on their way, and their tasks to be running.
        assert {middle[a]["status"] for a in (before, accepted, after)} == {"sending"}
        assert run.helper("report")["tasks"].get("RUNNING") == 3

        # A fresh worker: recovers at start and sends what was left.
        recovering = run.start_worker(*RECOVERING_WORKER)
        deadline = time.monotonic() + 90
        while True:
            report = run.helper("report")
            statuses = {m["status"] for m in report["messages"]}
            busy = report["tasks"].get("RUNNING", 0) + report["tasks"].get("READY", 0)
            if statuses == {"sent"} and not busy:
                break
            assert recovering.poll() is None, run.worker_logs()
            assert time.monotonic() < deadline, f"{report}\n{run.worker_logs()}"
            time.sleep(0.3)
        recovering.send_signal(signal.SIGTERM)
        recovering.wait(timeout=30)
    finally:
        run.stop_all()

    final = {m["to"]: m for m in report["messages"]}
    assert set(final) == {before, accepted, recorded, after}
    assert set(stored) == set(final)
    for address, message in final.items():
        deliveries = server.deliveries(address)
        # At least once, and every delivery is the stored message, with its Message-ID.
        assert deliveries, address
        assert set(deliveries) == {message["message_id"]}, address
        assert message["message_id"].startswith("<outbox-")
        assert message["message_id"].endswith("@demo.kommune.no>")
        assert message["sent"] and message["error"] == ""
    # Nothing had reached the server: one delivery, on the second attempt.
    assert len(server.deliveries(before)) == 1 and final[before]["attempts"] == 2
    # Accepted but not recorded: sent again, recognisably the same message.
    assert len(server.deliveries(accepted)) == 2 and final[accepted]["attempts"] == 2
    # Recorded before the kill: never sent again.
    assert len(server.deliveries(recorded)) == 1 and final[recorded]["attempts"] == 1
    assert len(server.deliveries(after)) == 1
    # No task row lies about running: each abandoned one ran again and finished.
    assert set(report["tasks"]) == {"SUCCESSFUL"}
