"""Test set-up shared by every app: tasks run at once, e-mail kept in memory, media in a
temporary folder."""

import pytest
from django.core.cache import cache

from tenestetorget.api import authentication
from tenestetorget.organisation import queue_register


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Cached inbox counts, rate limits and queues must not leak from one test into the next
    # (a test's rows are rolled back or flushed without the signals that would tell).
    cache.clear()
    queue_register.forget()
    authentication.forget()
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    # The production hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TENESTETORGET = {**settings.TENESTETORGET, "CONTACT_FORM_MIN_SECONDS": 0}
