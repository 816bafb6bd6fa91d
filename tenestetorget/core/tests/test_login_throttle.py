"""Login throttling (django-axes with core.login_throttle): failed logins are limited per
account and per address, the person is told plainly on the login page, the lock ends by
itself after the cool-off, and the log says who was locked out without any password.

The bug: 30 wrong passwords in 18 seconds, then the right one logged in.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "rett-passord-123"
WRONG = "feil-passord-999"
ATTACKER = "203.0.113.66"
OFFICE = "198.51.100.20"
LOCKED_TEXT = "For mange mislukka innloggingar"


@pytest.fixture
def users(db: Any) -> dict[str, Any]:
    make = get_user_model().objects.create_user
    return {name: make(name, password=PASSWORD) for name in ("kari", "per", "ola")}


@dataclass
class Attempt:
    response: Any
    logged_in: bool

    @property
    def status_code(self) -> int:
        return int(self.response.status_code)

    def text(self) -> str:
        return str(self.response.content.decode())


def _login(
    username: str, password: str, address: str, path: str = "/login/", **meta: Any
) -> Attempt:
    client = Client()
    response = client.post(
        path, {"username": username, "password": password}, REMOTE_ADDR=address, **meta
    )
    return Attempt(response, "_auth_user_id" in client.session)


def _fail(times: int, username: str, address: str, **meta: Any) -> None:
    for _ in range(times):
        response = _login(username, WRONG, address, **meta)
        assert not response.logged_in


def _minutes_pass(minutes: int) -> None:
    """Move the recorded failures back, as if that much time had gone."""
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= dt.timedelta(minutes=minutes)
        attempt.save(update_fields=["attempt_time"])


def _cool_off_passes() -> None:
    _minutes_pass(settings.LOGIN_LOCKOUT_MINUTES + 1)


def test_30_wrong_passwords_then_the_right_one_is_refused_with_a_message(users):
    _fail(30, "kari", ATTACKER)
    response = _login("kari", PASSWORD, ATTACKER)
    assert not response.logged_in
    assert response.status_code == 429
    html = response.text()
    assert LOCKED_TEXT in html
    assert f"{settings.LOGIN_LOCKOUT_MINUTES} minutt" in html
    assert 'role="alert"' in html
    assert 'value="kari"' in html  # the login page itself, with the name kept
    assert response.response["Retry-After"] == str(settings.LOGIN_LOCKOUT_MINUTES * 60)


def test_the_lock_comes_at_the_limit_not_before(users):
    _fail(settings.AXES_FAILURE_LIMIT - 1, "kari", ATTACKER)
    assert _login("kari", PASSWORD, ATTACKER).logged_in


def test_the_locking_attempt_already_says_so(users):
    _fail(settings.AXES_FAILURE_LIMIT - 1, "kari", ATTACKER)
    response = _login("kari", WRONG, ATTACKER)
    assert response.status_code == 429
    assert LOCKED_TEXT in response.text()


def test_another_account_from_another_address_still_logs_in(users):
    _fail(30, "kari", ATTACKER)
    assert _login("per", PASSWORD, OFFICE).logged_in


def test_a_locked_account_is_locked_from_every_address(users):
    """Per account: guessing from many addresses does not get more tries. The price: anyone
    who knows a username can lock that account for the cool-off (docs/staff-guide.md)."""
    _fail(settings.AXES_FAILURE_LIMIT, "kari", ATTACKER)
    response = _login("kari", PASSWORD, OFFICE)
    assert not response.logged_in
    assert LOCKED_TEXT in response.text()


def test_colleagues_behind_the_same_address_are_not_locked_by_one_typo_prone_user(users):
    """Per address the limit is higher: a town hall's staff share one public address."""
    _fail(settings.AXES_FAILURE_LIMIT, "kari", OFFICE)
    assert _login("per", PASSWORD, OFFICE).logged_in


def test_many_accounts_tried_from_one_address_lock_that_address(users):
    """Password spraying: a few tries each on many accounts from one address."""
    per_address = settings.LOGIN_FAILURES_PER_ADDRESS
    names = [f"brukar{i}" for i in range(per_address)]
    for name in names:
        _fail(1, name, ATTACKER)
    response = _login("ola", PASSWORD, ATTACKER)
    assert not response.logged_in
    assert LOCKED_TEXT in response.text()
    assert _login("ola", PASSWORD, OFFICE).logged_in  # the account itself is not locked


def test_after_the_cool_off_the_right_password_works(users):
    _fail(30, "kari", ATTACKER)
    assert not _login("kari", PASSWORD, ATTACKER).logged_in
    _cool_off_passes()
    assert _login("kari", PASSWORD, ATTACKER).logged_in


def test_a_successful_login_forgets_the_earlier_failures(users):
    limit = settings.AXES_FAILURE_LIMIT
    _fail(limit - 1, "kari", OFFICE)
    assert _login("kari", PASSWORD, OFFICE).logged_in
    _fail(limit - 1, "kari", OFFICE)
    assert _login("kari", PASSWORD, OFFICE).logged_in


def test_the_admin_login_is_throttled_too(users):
    get_user_model().objects.filter(username="kari").update(is_staff=True, is_superuser=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login("kari", WRONG, ATTACKER, path="/admin/login/")
    response = _login("kari", PASSWORD, ATTACKER, path="/admin/login/")
    assert not response.logged_in
    assert response.status_code == 429


def test_behind_a_proxy_the_forwarded_address_is_locked_not_the_proxy(users, settings):
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    proxy = "10.0.0.5"
    for name in (f"brukar{i}" for i in range(settings.LOGIN_FAILURES_PER_ADDRESS)):
        _fail(1, name, proxy, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert not _login("ola", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=ATTACKER).logged_in
    # A client claiming the office's address itself is still the attacker to the proxy.
    spoofed = _login("ola", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=f"{OFFICE}, {ATTACKER}")
    assert not spoofed.logged_in
    assert _login("ola", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=OFFICE).logged_in
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_the_lockout_is_logged_without_the_password(users, caplog):
    with caplog.at_level(logging.INFO):
        _fail(settings.AXES_FAILURE_LIMIT, "kari", ATTACKER)
        _login("kari", PASSWORD, ATTACKER)
    locked = [r for r in caplog.records if "Locking out" in r.getMessage()]
    assert locked, [r.getMessage() for r in caplog.records]
    assert locked[0].levelno == logging.WARNING
    assert "kari" in locked[0].getMessage()
    assert ATTACKER in locked[0].getMessage()
    everything = "\n".join(r.getMessage() for r in caplog.records)
    assert WRONG not in everything
    assert PASSWORD not in everything
    stored = "\n".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert WRONG not in stored
    assert PASSWORD not in stored


def test_an_administrator_opens_a_locked_account_at_once(users):
    """What docs/staff-guide.md tells an administrator to run."""
    from django.core.management import call_command

    _fail(settings.AXES_FAILURE_LIMIT, "kari", ATTACKER)
    assert not _login("kari", PASSWORD, OFFICE).logged_in
    call_command("axes_reset_username", "kari", verbosity=0)
    assert _login("kari", PASSWORD, OFFICE).logged_in


def test_trying_again_while_locked_does_not_make_the_wait_longer(users):
    _fail(settings.AXES_FAILURE_LIMIT, "kari", ATTACKER)
    _minutes_pass(10)
    assert not _login("kari", WRONG, ATTACKER).logged_in  # locked: not counted
    assert not _login("kari", PASSWORD, ATTACKER).logged_in
    _minutes_pass(6)  # 16 minutes after the lock, 6 after the last try
    assert _login("kari", PASSWORD, ATTACKER).logged_in
