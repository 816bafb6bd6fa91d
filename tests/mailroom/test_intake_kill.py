"""Issue 10's reliability promise: kill the intake at random points while it imports 1,000
messages, restart it, and every message is registered exactly once. The real
`tenestetorget mailroom import` in its own process, SIGKILL, on the test's database (a file of
its own on SQLite)."""

from __future__ import annotations

import json
import os
import random
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from tenestetorget.mailroom.tests import mailsamples as samples
from tenestetorget.routing.testing import install_trained_model

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 1000
KILLS = 8


def _database_url(tmp_path: Path) -> str:
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'intake.sqlite3'}"
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"


def _write(folder: Path) -> None:
    folder.mkdir()
    pdf = samples.pdf()
    for n in range(MESSAGES):
        attachments = [("kart.pdf", "application/pdf", pdf + str(n).encode())] if n % 3 == 0 else []
        raw = samples.plain(
            subject=f"Spørsmål om brøyting nr. {n}",
            body=f"Når blir vegen min brøyta? Eg bur i Nordbygdi {n}.",
            sender=(f"Innbyggjar {n}", f"innbyggjar{n}@example.no"),
            message_id=f"<kill-{n}@example.no>",
            attachments=attachments,
        )
        (folder / f"{n:05d}.eml").write_bytes(raw)


@pytest.mark.django_db(transaction=True)
def test_killed_at_random_points_every_message_is_registered_exactly_once(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "TASKS_BACKEND")}
    env.update(
        DJANGO_SETTINGS_MODULE="tenestetorget.settings",
        DATABASE_URL=_database_url(tmp_path),
        SECRET_KEY=secrets.token_urlsafe(50),
        TENESTETORGET_VAR_DIR=str(tmp_path / "var"),
        MEDIA_ROOT=str(tmp_path / "media"),
        ROUTING_MODEL_DIR=str(install_trained_model(tmp_path / "routing")),
        ROUTING_RETRAIN_HOURS="0",
        # The acknowledgements wait in the outbox (no worker runs here).
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
    )
    if connection.vendor == "sqlite":
        subprocess.run(
            [sys.executable, "-m", "tests.mailroom.intake_report", "prepare"],
            cwd=PROJECT_ROOT,
            env=env,
            check=True,
        )
    else:
        from tenestetorget.organisation.services import load_organisation

        load_organisation(PROJECT_ROOT / "tenestetorget" / "demo" / "data" / "queues.yaml")
    folder = tmp_path / "eml"
    _write(folder)
    command = [sys.executable, "-m", "tenestetorget", "mailroom", "import", str(folder), "--quiet"]
    rng = random.Random(1000)
    stored = tmp_path / "media" / "mailroom"

    def stored_count() -> int:
        return sum(1 for p in stored.rglob("*.eml")) if stored.exists() else 0

    killed = 0
    for _ in range(KILLS):
        process = subprocess.Popen(  # noqa: S603 - our own command
            command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        # Killed at a random point of the import itself, not of the process's start: after a
        # random number of messages more have been stored (each at a random step of its own).
        target = stored_count() + rng.randint(5, MESSAGES // (KILLS + 2))
        deadline = time.monotonic() + 120
        while process.poll() is None and stored_count() < target and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.05))
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            killed += 1
        process.wait(timeout=30)
    final = subprocess.run(  # noqa: S603 - our own command
        command,
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=900,
    )
    summary = json.loads(final.stdout.strip().splitlines()[-1])
    report = json.loads(
        subprocess.run(
            [sys.executable, "-m", "tests.mailroom.intake_report", "report"],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert killed == KILLS, "the import finished before it could be killed every time"
    assert summary["read"] == MESSAGES
    assert report["stored"] == MESSAGES
    assert report["states"] == {"registered": MESSAGES}
    assert report["inquiries"] == MESSAGES
    assert report["distinct_message_ids"] == MESSAGES
    assert report["doubled_message_ids"] == 0
    assert report["intake_records"] == MESSAGES
    assert report["acknowledgements"] == MESSAGES
    assert report["doubled_acknowledgements"] == 0
    assert report["attachments"] == len(range(0, MESSAGES, 3))
    assert report["doubled_attachments"] == 0
