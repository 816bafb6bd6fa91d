"""A revoked token stops working at once in every web worker, through the shared cache.

Each worker remembers the tokens it has seen (api/authentication.py) and trusts that memory
only while the token's generation in the shared cache is unchanged. Before, another worker
kept accepting a revoked token for up to 10 seconds.

The workers here are real: separate cache clients on the real Redis, and on PostgreSQL a
separate process as well.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.db import connection
from rest_framework.authtoken.models import Token

from tenestetorget.api import authentication
from tenestetorget.api.authentication import TokenMemory
from tenestetorget.organisation.models import Role

pytestmark = pytest.mark.shared_cache


def other_worker() -> TokenMemory:
    """Another web worker: its own memory and its own connection to the shared cache."""
    conf = settings.CACHES["default"]
    client = RedisCache(conf["LOCATION"], {"KEY_PREFIX": conf["KEY_PREFIX"]})
    return TokenMemory(client)


@pytest.fixture
def token(front_desk) -> Token:
    return Token.objects.create(user=front_desk)


def test_a_deleted_token_is_refused_at_once_by_another_worker(token):
    worker = other_worker()
    found = worker.credentials(token.key)
    assert found is not None
    assert found[0].username == "frida"
    # Revoked in this worker (the admin, a command), no time passes.
    Token.objects.get(key=token.key).delete()
    assert worker.credentials(token.key) is None


def test_a_rotated_token_is_refused_at_once_and_the_new_one_works(token, capsys):
    worker = other_worker()
    assert worker.credentials(token.key) is not None
    call_command("api_token", "frida", "--rotate")
    new_key = capsys.readouterr().out.strip()
    assert new_key != token.key
    assert worker.credentials(token.key) is None
    assert worker.credentials(new_key) is not None


def test_a_deactivated_user_and_a_changed_role_count_at_once(token, front_desk):
    worker = other_worker()

    def role() -> str:
        found = worker.credentials(token.key)
        assert found is not None
        return str(found[0].staff_profile.role)

    assert role() == Role.FRONT_DESK
    profile = front_desk.staff_profile
    profile.role = Role.ARCHIVIST
    profile.save()
    assert role() == Role.ARCHIVIST
    front_desk.is_active = False
    front_desk.save()
    assert worker.credentials(token.key) is None


def test_the_memory_saves_the_database_while_nothing_changes(token, django_assert_num_queries):
    worker = other_worker()
    worker.credentials(token.key)
    with django_assert_num_queries(0):
        for _ in range(5):
            assert worker.credentials(token.key) is not None


def test_without_the_cache_the_database_decides(token, django_assert_num_queries):
    # A cache that does not answer: nothing remembered is trusted.
    worker = TokenMemory(RedisCache("redis://127.0.0.1:1/0", {}))
    assert worker.credentials(token.key) is not None
    Token.objects.filter(key=token.key)._raw_delete(Token.objects.db)  # no signal at all
    assert worker.credentials(token.key) is None


# --- Two processes ------------------------------------------------------------------------


def _server_database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"


class Worker:
    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tenestetorget.api.tests.token_worker"],
            cwd=Path(settings.BASE_DIR),
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.read() == "ready"

    def read(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if not line:
            assert self.process.stderr is not None
            pytest.fail(f"the worker ended: {self.process.stderr.read()}")
        return line

    def ask(self, key: str) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write(key + "\n")
        self.process.stdin.flush()
        return self.read()

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_refuses_a_revoked_token_at_once(
    shared_cache: dict[str, str], make_staff: Any, unit_a: Any
):
    if connection.vendor != "postgresql":
        pytest.skip(
            "a second process needs a server database (SQLite's test database is in this "
            "process's memory); the separate cache clients above cover SQLite, and CI runs "
            "this test on PostgreSQL"
        )
    user = make_staff("kari", Role.FRONT_DESK, unit_a)
    key = Token.objects.create(user=user).key
    env = {
        **os.environ,
        **shared_cache,
        "DATABASE_URL": _server_database_url(),
        "DJANGO_SETTINGS_MODULE": "tenestetorget.settings",
    }
    worker = Worker(env)
    try:
        assert worker.ask(key) == "ok kari front_desk"
        assert worker.ask(key) == "ok kari front_desk"  # now from its memory
        Token.objects.filter(key=key).delete()  # revoked here, in another process
        assert worker.ask(key) == "refused"
    finally:
        worker.stop()
    authentication.forget()
