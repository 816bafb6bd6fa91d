"""Spam protection for the public contact form, without any third-party service.

Three cheap checks that a person filling in the form never notices:

* a honeypot: a field hidden from sight and from screen readers that only a bot fills in;
* a signed timestamp issued when the form is rendered: a submission faster than
  CONTACT_FORM_MIN_SECONDS (bots post at once) or older than CONTACT_FORM_MAX_AGE_SECONDS
  (a harvested form replayed later) is refused; the token also carries the form's one-time
  submission id, so one rendered form can create at most one inquiry;
* a per-client rate limit in Django's shared cache (CONTACT_FORM_RATE_LIMIT inquiries per
  CONTACT_FORM_RATE_WINDOW_SECONDS), counted atomically and only for forms that passed the
  other checks (see "rate limit" below).

None of them loses a person's text: the view shows the form again with what they typed and a
message in their language (see views.contact).
"""

from __future__ import annotations

import contextlib
import enum
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

# The address the limit counts by: REMOTE_ADDR or the configured proxy header.
from tenestetorget.core.client_address import client_address

#: Name of the honeypot input. A name that form-filling bots like to fill in.
HONEYPOT_FIELD = "website"
FORM_TOKEN_FIELD = "form_token"  # noqa: S105 (a field name, not a secret)
_TOKEN_SALT = "tenestetorget.portal.contact-form"  # noqa: S105 (a salt is public)
_RATE_SALT = "tenestetorget.portal.contact-rate"

DEFAULT_MAX_AGE_SECONDS = 24 * 60 * 60
DEFAULT_RATE_LIMIT = 10
DEFAULT_RATE_WINDOW_SECONDS = 10 * 60


class SpamReason(enum.StrEnum):
    HONEYPOT = "honeypot"
    TOO_FAST = "too_fast"
    EXPIRED = "expired"
    INVALID_TOKEN = "invalid_token"  # noqa: S105
    RATE_LIMITED = "rate_limited"


@dataclass(frozen=True)
class FormToken:
    issued_at: float
    submission_id: str


def _conf(name: str, default: Any) -> Any:
    return settings.TENESTETORGET.get(name, default)


def issue_form_token(submission_id: str, now: float | None = None) -> str:
    """A signed token with the time the form was rendered and its submission id."""
    issued = time.time() if now is None else now
    return signing.dumps({"t": round(issued, 3), "s": submission_id}, salt=_TOKEN_SALT)


def read_form_token(token: str) -> FormToken | None:
    try:
        data = signing.loads(token or "", salt=_TOKEN_SALT)
        return FormToken(issued_at=float(data["t"]), submission_id=str(data["s"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def check_submission(
    data: dict[str, Any] | Any, submission_id: str, now: float | None = None
) -> SpamReason | None:
    """Why this POST looks automated, or None. `data` is the request's POST."""
    if (data.get(HONEYPOT_FIELD) or "").strip():
        return SpamReason.HONEYPOT
    token = read_form_token(data.get(FORM_TOKEN_FIELD) or "")
    if token is None or token.submission_id != submission_id:
        return SpamReason.INVALID_TOKEN
    age = (time.time() if now is None else now) - token.issued_at
    if age < float(_conf("CONTACT_FORM_MIN_SECONDS", 3)):
        return SpamReason.TOO_FAST
    if age > float(_conf("CONTACT_FORM_MAX_AGE_SECONDS", DEFAULT_MAX_AGE_SECONDS)):
        return SpamReason.EXPIRED
    return None


# --- rate limit -------------------------------------------------------------------------------
#
# One counter per client address and window in Django's cache. Taking a slot is one atomic
# step: cache.add() creates the counter (only if it is missing) and cache.incr() counts and
# returns the new value, which is compared with the limit. Two requests at the same moment
# therefore get different numbers, and at most CONTACT_FORM_RATE_LIMIT of them are let
# through. (A check followed by a separate count let every request that arrived before the
# first count through.)
#
# The counter must live in a cache that every web process shares (CACHE_URL, Redis);
# with each process's own memory cache the limit holds per process only.
#
# Only forms a person could have sent are counted: the view takes a slot after the honeypot,
# the form token and the form's own validation have passed, and gives it back when no inquiry
# was created after all (a resent form, an error from the service). Junk posts and forms with
# mistakes therefore use up nothing of the allowance of the people behind the same address.


def _rate_key(request: HttpRequest) -> str:
    # The address is personal data: the cache holds only a keyed hash of it.
    return client_rate_key("portal:contact-rate", request)


def _window() -> int:
    return int(_conf("CONTACT_FORM_RATE_WINDOW_SECONDS", DEFAULT_RATE_WINDOW_SECONDS))


def take_submission_slot(request: HttpRequest) -> bool:
    """Count one submission from the client and say whether it is within the limit, in one
    atomic step. The window is fixed: it starts with the first counted submission and the
    count is forgotten when it ends. A refused submission stays counted, which changes
    nothing: the window ends at the same time."""
    limit = int(_conf("CONTACT_FORM_RATE_LIMIT", DEFAULT_RATE_LIMIT))
    return count_in_window(_rate_key(request), limit, _window())


def client_rate_key(prefix: str, request: HttpRequest) -> str:
    """A rate-limit key for the client: a keyed hash of its address, never the address."""
    digest = salted_hmac(_RATE_SALT, client_address(request), algorithm="sha256").hexdigest()
    return f"{prefix}:{digest}"


def count_in_window(key: str, limit: int, window: int) -> bool:
    """Count one more under `key` in a fixed window of `window` seconds and say whether the
    count is within `limit`, in one atomic step (see above)."""
    for _attempt in range(3):
        cache.add(key, 0, timeout=window)
        try:
            count = int(cache.incr(key))
        except ValueError:  # the window ended between add() and incr(): start a new one
            continue
        if count == 1:
            # The first of a window. Redis's INCR recreates a counter that expired just
            # before it without an expiry; setting the expiry here makes sure the window
            # ends (for a counter add() just made, it is the same expiry again).
            cache.touch(key, timeout=window)
        return count <= limit
    return True  # the cache keeps losing the key: let the person through rather than block


def release_submission_slot(request: HttpRequest) -> None:
    """Give back a slot taken for a submission that created no inquiry after all."""
    # A window that has ended meanwhile has nothing to give back.
    with contextlib.suppress(ValueError):
        cache.decr(_rate_key(request))
