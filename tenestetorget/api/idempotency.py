"""Idempotency-Key for POST: a client that retries after a timeout gets the first result
instead of a second inquiry, or instead of acting twice on one (api.actions).

Rules (docs/api.md): the key is scoped to the user; the same key with the same body replays
the first result; with another body it is refused (422). Records are written in the same
transaction as the inquiry, so a key is never stored for an inquiry that was rolled back and an
inquiry never exists without its key. Two identical requests at the same moment are decided by
the unique constraint on (user, key): the loser's transaction is rolled back (its inquiry and
reference number with it) and it replays the winner's record.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework import exceptions

from tenestetorget.api.errors import IdempotencyKeyReused
from tenestetorget.contact.models import IdempotencyRecord, Inquiry

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from rest_framework.request import Request

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = IdempotencyRecord._meta.get_field("key").max_length or 200


def key_of(request: Request) -> str | None:
    """The request's Idempotency-Key, None without one; 400 for an empty or too long key."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise exceptions.ValidationError(
            {
                HEADER: _("Idempotency-Key må vere mellom 1 og %(n)s teikn, til dømes ein UUID.")
                % {"n": MAX_KEY_LENGTH}
            }
        )
    return key


def fingerprint(data: Any) -> str:
    """SHA-256 of the request body as canonical JSON: key order and whitespace do not count,
    values do."""
    canonical = json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Outcome:
    inquiry: Inquiry
    replayed: bool


def _stored(user: AbstractBaseUser, key: str) -> IdempotencyRecord | None:
    return (
        IdempotencyRecord.objects.select_related("inquiry", "inquiry__queue")
        .filter(user_id=user.pk, key=key)
        .first()
    )


def _replay(record: IdempotencyRecord, request_hash: str) -> Outcome:
    if record.request_hash != request_hash:
        raise IdempotencyKeyReused()
    return Outcome(record.inquiry, replayed=True)


def replay_if_seen(user: AbstractBaseUser, key: str, request_hash: str) -> Outcome | None:
    """The earlier result for this key, None if the key is new; IdempotencyKeyReused if the
    key came with another body."""
    record = _stored(user, key)
    return _replay(record, request_hash) if record is not None else None


def create_once(
    user: AbstractBaseUser, key: str, request_hash: str, create: Callable[[], Inquiry]
) -> Outcome:
    """Run `create` and store the key with its result in one transaction. If another request
    stored the same key first (a race past replay_if_seen), undo ours and replay theirs."""
    try:
        with transaction.atomic():
            inquiry = create()
            IdempotencyRecord.objects.create(
                user_id=user.pk, key=key, request_hash=request_hash, inquiry=inquiry
            )
    except IntegrityError:
        # Only the (user, key) constraint can fail here once `create` has succeeded; if the
        # IntegrityError came from somewhere else there is no record and we re-raise.
        record = _stored(user, key)
        if record is None:
            raise
        log.info("idempotency key of user %s stored by a concurrent request; replaying", user.pk)
        return _replay(record, request_hash)
    return Outcome(inquiry, replayed=False)
