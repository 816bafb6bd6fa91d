"""Idempotency-Key for POST: a client that retries after a timeout gets the first result
instead of a second inquiry, or instead of acting twice on one (api.actions).

Rules (docs/api.md): the key is scoped to the user; the same key with the same request
replays the first result; with another request it is refused (422). "The same request" is
compared after validation (fingerprint): defaults, key order and spelling do not count.

The key is kept in contact.intake's one record for every channel, under the source
"api:<user id>", in the same transaction as the inquiry: a key is never stored for an inquiry
that was rolled back and an inquiry never exists without its key. Two identical requests at
the same moment are decided by the unique (source, key): the loser's transaction is rolled
back (its inquiry and reference number with it) and it replays the winner's record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Model
from django.utils.translation import gettext as _
from rest_framework import exceptions

from tenestetorget.api.errors import IdempotencyKeyReused
from tenestetorget.contact import intake
from tenestetorget.contact.models import Inquiry

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from rest_framework.request import Request

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = intake.MAX_KEY_LENGTH


#: Visible ASCII, no spaces (the schema's pattern, an ECMA regex as OpenAPI wants it): a UUID
#: or any token a client makes fits, and what a proxy might fold, trim or re-encode does not.
KEY_PATTERN = "^[!-~]+$"
_KEY = re.compile(rf"[!-~]{{1,{MAX_KEY_LENGTH}}}")


def key_of(request: Request) -> str | None:
    """The request's Idempotency-Key, None without one; 400 for a key outside the schema's
    bounds (1 to MAX_KEY_LENGTH visible ASCII characters)."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not _KEY.fullmatch(key):
        raise exceptions.ValidationError(
            {
                HEADER: _(
                    "Idempotency-Key må vere 1 til %(n)s synlege ASCII-teikn utan mellomrom, "
                    "til dømes ein UUID."
                )
                % {"n": MAX_KEY_LENGTH}
            }
        )
    return key


def canonical(value: Any) -> Any:
    """A validated request as plain JSON values that are equal exactly when the requests mean
    the same: a row by its table and key, an instant in UTC, a date as ISO 8601."""
    if isinstance(value, Mapping):
        return {str(key): canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(item) for item in value]
    if isinstance(value, Model):
        return f"{value._meta.label_lower}:{value.pk}"
    if isinstance(value, dt.datetime):
        # A naive time is refused by the service later; it stays as written until then.
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def fingerprint(operation: str, validated: Mapping[str, Any]) -> str:
    """SHA-256 of what the request means: the operation (registering, or an action on one
    reference) and the serializer's validated data, defaults applied, as canonical JSON.

    The same request written differently is the same request: a default spelled out
    (`"body": ""`) or left out, key order, whitespace the fields trim, an instant in another
    offset. Another value is another request. The parser has refused what UTF-8 cannot hold
    (api.parsers), so the encoding cannot fail."""
    text = json.dumps(
        {"operation": operation, "request": canonical(validated)},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Outcome:
    inquiry: Inquiry
    replayed: bool


def _key(user: AbstractBaseUser, key: str, request_hash: str) -> intake.SourceKey:
    return intake.SourceKey(intake.api_source(user.pk), key, request_hash)


def replay_if_seen(user: AbstractBaseUser, key: str, request_hash: str) -> Outcome | None:
    """The earlier result for this key, None if the key is new; IdempotencyKeyReused if the
    key came with another body."""
    try:
        earlier = intake.seen(_key(user, key, request_hash))
    except intake.KeyReused:
        raise IdempotencyKeyReused() from None
    return Outcome(earlier.inquiry, replayed=True) if earlier is not None else None


def create_once(
    user: AbstractBaseUser, key: str, request_hash: str, create: Callable[[], Inquiry]
) -> Outcome:
    """Run `create` and store the key with its result in one transaction (contact.intake's
    one record, under the source "api:<user id>"). If another request stored the same key
    first (a race past replay_if_seen), ours is undone and theirs replayed."""
    try:
        done = intake.record_once(_key(user, key, request_hash), create)
    except intake.KeyReused:
        raise IdempotencyKeyReused() from None
    return Outcome(done.inquiry, replayed=not done.created)
