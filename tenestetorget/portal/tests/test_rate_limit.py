"""The contact form's rate limit holds under concurrent posts and across processes, counts only
what a person could have sent, and reads the client's address the way the operator set it up.

The limit is an atomic counter in Django's cache: the count and the check are one step
(portal.spam.take_submission_slot). The threaded tests post at the same moment from the same
address; with the check and the count as two steps, several requests saw "under the limit"
before any of them counted, and more inquiries than the limit were created.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from tenestetorget.contact.models import Inquiry
from tenestetorget.portal import spam
from tenestetorget.portal.tests.conftest import VALID

LIMIT = 10
ADDRESS = "192.0.2.10"
LOCMEM = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "rate-limit-tests",
    }
}


@pytest.fixture
def limit(settings: Any) -> int:
    settings.TENESTETORGET = {
        **settings.TENESTETORGET,
        "CONTACT_FORM_RATE_LIMIT": LIMIT,
        "CONTACT_FORM_RATE_WINDOW_SECONDS": 600,
    }
    return LIMIT


@pytest.fixture
def locmem_cache(settings: Any) -> Iterator[None]:
    """One process's memory cache, which threads of that process share."""
    settings.CACHES = LOCMEM
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _fresh_form() -> dict[str, str]:
    """The hidden fields of a form rendered a minute ago (as a browser would post them)."""
    sid = str(uuid.uuid4())
    return {
        "submission_id": sid,
        "form_token": spam.issue_form_token(sid, now=time.time() - 60),
    }


def _post(address: str = ADDRESS, **fields: str) -> int:
    data = {**VALID, **_fresh_form(), **fields}
    response = Client().post(reverse("portal:contact"), data, REMOTE_ADDR=address)
    return int(response.status_code)


def _in_waves(task: Callable[[], Any], total: int, at_once: int) -> list[Any]:
    """Run `task` `total` times, `at_once` at the same moment (a barrier per wave), each in a
    thread with its own database connection."""
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(barrier: threading.Barrier) -> Any:
        try:
            barrier.wait(timeout=30)
            return task()
        except BaseException as exc:  # reported below
            errors.append(exc)
            return None
        finally:
            connection.close()

    for _wave in range(total // at_once):
        barrier = threading.Barrier(at_once)
        with ThreadPoolExecutor(max_workers=at_once) as pool:
            results.extend(pool.map(run, [barrier] * at_once))
    assert not errors, errors
    return results


def _skip_unless_server_database() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrent writers need a server database; SQLite's test database is shared memory"
        )


# --- the counter itself, without the database (runs on SQLite too) ---------------------------


def _slot_taker() -> Callable[[], bool]:
    request = RequestFactory().post("/kontakt/", REMOTE_ADDR=ADDRESS)
    return lambda: spam.take_submission_slot(request)


@pytest.mark.shared_cache
def test_the_shared_counter_grants_exactly_the_limit_under_concurrency(limit):
    granted = _in_waves(_slot_taker(), total=100, at_once=20)
    assert granted.count(True) == limit


def test_one_process_memory_counter_grants_exactly_the_limit_under_concurrency(limit, locmem_cache):
    granted = _in_waves(_slot_taker(), total=100, at_once=20)
    assert granted.count(True) == limit


@pytest.mark.shared_cache
def test_the_count_is_shared_by_every_process(limit, shared_cache):
    """Another process (a second gunicorn worker) sees the slots this one took."""
    import os
    import subprocess
    import sys

    taker = _slot_taker()
    for _ in range(limit - 1):
        assert taker()
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.test import RequestFactory\n"
        "from tenestetorget.portal import spam\n"
        f"settings.TENESTETORGET['CONTACT_FORM_RATE_LIMIT'] = {limit}\n"
        f"r = RequestFactory().post('/kontakt/', REMOTE_ADDR='{ADDRESS}')\n"
        "print(spam.take_submission_slot(r), spam.take_submission_slot(r))\n"
    )
    from django.conf import settings

    env = {
        **os.environ,
        **shared_cache,
        "DJANGO_SETTINGS_MODULE": "tenestetorget.settings",
        # The same key for the address's hash as this process (tests may set their own).
        "SECRET_KEY": settings.SECRET_KEY,
    }
    out = subprocess.run(  # noqa: S603 (this interpreter, a fixed script)
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    # The other process got the last slot and was refused the next.
    assert out.stdout.split() == ["True", "False"]
    assert not taker()


def test_a_window_that_ended_starts_a_new_count(limit, locmem_cache, settings):
    settings.TENESTETORGET = {**settings.TENESTETORGET, "CONTACT_FORM_RATE_WINDOW_SECONDS": 1}
    taker = _slot_taker()
    assert all(taker() for _ in range(limit))
    assert not taker()
    time.sleep(1.1)
    assert taker()


# --- the form under concurrent posts (PostgreSQL: real concurrent writers) --------------------


@pytest.mark.shared_cache
@pytest.mark.django_db(transaction=True)
def test_100_forms_20_at_a_time_create_exactly_the_limit_with_a_shared_cache(limit, organisation):
    _skip_unless_server_database()
    statuses = _in_waves(_post, total=100, at_once=20)
    assert Inquiry.objects.count() == limit
    assert statuses.count(302) == limit
    assert statuses.count(429) == 100 - limit


@pytest.mark.django_db(transaction=True)
def test_100_forms_20_at_a_time_create_exactly_the_limit_in_one_process(
    limit, locmem_cache, organisation
):
    _skip_unless_server_database()
    statuses = _in_waves(_post, total=100, at_once=20)
    assert Inquiry.objects.count() == limit
    assert statuses.count(302) == limit


# --- what counts -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_junk_without_a_form_token_does_not_lock_out_an_honest_sender(limit, organisation):
    """Ten (or a hundred) bot posts from the same address, all refused as spam, leave the
    address's allowance untouched: a person behind the same address can still write."""
    client = Client()
    for _ in range(100):
        response = client.post(reverse("portal:contact"), VALID, REMOTE_ADDR=ADDRESS)
        assert response.status_code == 400
    for _ in range(3):
        honeypot = _post(**{spam.HONEYPOT_FIELD: "http://spam.example"})
        assert honeypot == 400
    assert _post() == 302
    assert Inquiry.objects.count() == 1


@pytest.mark.django_db
def test_a_form_with_mistakes_does_not_use_up_the_allowance(limit, organisation):
    """A person who corrects their form several times is not counted for each try."""
    for _ in range(limit + 5):
        assert _post(email="", phone="") == 200  # no way to answer: shown again
    assert _post() == 302


@pytest.mark.django_db
def test_a_resent_form_does_not_count_twice(limit, organisation, settings):
    settings.TENESTETORGET = {**settings.TENESTETORGET, "CONTACT_FORM_RATE_LIMIT": 2}
    client = Client()
    hidden = _fresh_form()
    url = reverse("portal:contact")
    for _ in range(3):  # a double click and a reload
        response = client.post(url, {**VALID, **hidden}, REMOTE_ADDR=ADDRESS)
        assert response.status_code == 302
    assert _post() == 302  # the second inquiry from this address
    assert _post() == 429
    assert Inquiry.objects.count() == 2


@pytest.mark.django_db
def test_over_the_limit_keeps_the_text_and_says_so(limit, organisation):
    for _ in range(limit):
        assert _post() == 302
    response = Client().post(
        reverse("portal:contact"), {**VALID, **_fresh_form()}, REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 429
    html = response.content.decode()
    assert "mange skjema frå same nettverk" in html
    assert 'value="Snøskuterløyve til hytta"' in html
    assert Inquiry.objects.count() == limit
    assert _post(address="192.0.2.99") == 302  # another address has its own allowance


@pytest.mark.django_db
def test_behind_a_proxy_the_limit_is_per_client_not_per_proxy(limit, organisation, settings):
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.TENESTETORGET = {**settings.TENESTETORGET, "CONTACT_FORM_RATE_LIMIT": 1}

    def post(forwarded_for: str) -> int:
        data = {**VALID, **_fresh_form()}
        response = Client().post(
            reverse("portal:contact"),
            data,
            REMOTE_ADDR="10.0.0.5",  # every request arrives from the proxy
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )
        return int(response.status_code)

    assert post("198.51.100.1") == 302
    assert post("198.51.100.2") == 302  # another client behind the same proxy
    # A client that claims another address itself is still counted by the one the proxy saw.
    assert post("203.0.113.77, 198.51.100.1") == 429
