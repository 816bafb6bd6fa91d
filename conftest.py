"""Test set-up shared by every app: tasks run at once, e-mail kept in memory, media in a
temporary folder, and a real Redis for the tests about a cache shared between processes."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import redis
from django.core.cache import cache

from tenestetorget.api import authentication
from tenestetorget.organisation import queue_register
from tenestetorget.routing import rules as routing_rules

#: The Redis that `shared_cache` tests use: the one on this machine (and in CI), database 15,
#: which the demo and a development server leave alone.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
REDIS_START = (
    'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no'
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A test that asks for the fixture by name is a shared-cache test too, so that
    # `-m shared_cache` selects it.
    for item in items:
        if "shared_cache" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.shared_cache)


@pytest.fixture(autouse=True)
def _test_settings(request, settings, tmp_path):
    # Cached inbox counts, rate limits and queues must not leak from one test into the next
    # (a test's rows are rolled back or flushed without the signals that would tell).
    cache.clear()
    queue_register.forget()
    authentication.forget()
    routing_rules.forget_rules()
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ROUTING_MODEL_DIR = tmp_path / "routing"
    # The worker's sweep would train a model in every test that sweeps (seconds each).
    settings.ROUTING_RETRAIN_HOURS = 0
    # The production hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TENESTETORGET = {**settings.TENESTETORGET, "CONTACT_FORM_MIN_SECONDS": 0}
    if request.node.get_closest_marker("shared_cache"):
        request.getfixturevalue("shared_cache")


@pytest.fixture
def shared_cache(settings) -> Iterator[dict[str, str]]:
    """Django's default cache on the real Redis, as production runs with CACHE_URL.

    Used by the tests whose point is that several processes share what they count or forget
    (rate limits, revoked tokens); mark a test `@pytest.mark.shared_cache`
    or ask for this fixture. Each test gets its own key prefix, which is an empty cache
    without flushing the database under tests that run at the same time, and its keys are
    deleted afterwards. Yields the environment (CACHE_URL, CACHE_KEY_PREFIX) that gives a
    subprocess the same cache.

    Without a Redis the test is skipped on a developer's machine, and fails in CI (CI=true),
    where .ci/run starts one.
    """
    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        message = (
            f"needs Redis at {TEST_REDIS_URL} for a shared cache ({error}); "
            f"start it with: {REDIS_START}"
        )
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    try:
        yield {"CACHE_URL": TEST_REDIS_URL, "CACHE_KEY_PREFIX": prefix}
    finally:
        for key in client.scan_iter(match=f"{prefix}:*", count=500):
            client.delete(key)
        client.close()
