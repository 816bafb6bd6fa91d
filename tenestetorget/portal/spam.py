"""Spam protection for the public contact form, without any third-party service.

Three cheap checks that a person filling in the form never notices:

* a honeypot: a field hidden from sight and from screen readers that only a bot fills in;
* a signed timestamp issued when the form is rendered: a submission faster than
  CONTACT_FORM_MIN_SECONDS (bots post at once) or older than CONTACT_FORM_MAX_AGE_SECONDS
  (a harvested form replayed later) is refused; the token also carries the form's one-time
  submission id, so one rendered form can create at most one inquiry;
* a per-client rate limit in Django's cache (CONTACT_FORM_RATE_LIMIT submissions per
  CONTACT_FORM_RATE_WINDOW_SECONDS).

None of them loses a person's text: the view shows the form again with what they typed and a
message in their language (see views.contact).
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

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


def client_address(request: HttpRequest) -> str:
    """The client's address. Behind a reverse proxy, set CONTACT_FORM_CLIENT_IP_HEADER to the
    META key of the header the proxy sets (e.g. HTTP_X_REAL_IP); for X-Forwarded-For the last
    entry is taken, the one the trusted proxy appended (earlier ones are the client's claim)."""
    header = _conf("CONTACT_FORM_CLIENT_IP_HEADER", "")
    if header:
        value = request.META.get(header, "")
        if value:
            return str(value).split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def _rate_key(request: HttpRequest) -> str:
    # The address is personal data: the cache holds only a keyed hash of it.
    digest = salted_hmac(_RATE_SALT, client_address(request), algorithm="sha256").hexdigest()
    return f"portal:contact-rate:{digest}"


def is_rate_limited(request: HttpRequest) -> bool:
    limit = int(_conf("CONTACT_FORM_RATE_LIMIT", DEFAULT_RATE_LIMIT))
    return int(cache.get(_rate_key(request), 0)) >= limit


def count_submission(request: HttpRequest) -> None:
    """Count one submission against the client's window. The window is fixed: it starts at
    the first submission and the count is forgotten when it ends."""
    window = int(_conf("CONTACT_FORM_RATE_WINDOW_SECONDS", DEFAULT_RATE_WINDOW_SECONDS))
    key = _rate_key(request)
    if cache.add(key, 1, timeout=window):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window)
