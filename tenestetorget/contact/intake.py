"""One intake contract for every channel: an adapter (API, contact form, phone note, e-mail,
scanned letters) names its source and a key, and the inquiry is registered at most once for
that pair, whatever retries, double clicks, re-deliveries or restarts happen.

- `register(SourceKey(...), **fields)` registers through services.register_inquiry and
  stores the IntakeRecord in the same transaction. Seen before: the first inquiry comes back
  with `created=False`, and nothing new is written.
- `record_once(key, create)` is the same guarantee for any write that yields an inquiry (the
  API's actions on an inquiry use it with their Idempotency-Key).
- A key seen before with another `request_hash` (a client that reused its key for another
  request) raises KeyReused; an empty hash means the key alone decides (the form's one-time
  id, an e-mail's Message-ID).

Two registrations with one key at the same moment are decided by the unique (source, key):
the loser's transaction is rolled back whole (its number, inquiry, acknowledgement) and it
returns the winner's inquiry.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from tenestetorget.contact.models import Inquiry, IntakeRecord

log = logging.getLogger(__name__)

MAX_KEY_LENGTH = IntakeRecord._meta.get_field("key").max_length or 200


class KeyReused(Exception):
    """The key was used before for another request."""


@dataclass(frozen=True)
class SourceKey:
    source: str
    key: str
    request_hash: str = ""


@dataclass(frozen=True)
class Registered:
    inquiry: Inquiry
    created: bool


def api_source(user_id: object) -> str:
    """An API client's keys are its own: two clients may choose the same key."""
    return f"api:{user_id}"


def phone_source(user_id: object) -> str:
    return f"phone:{user_id}"


WEBFORM = "webform"
EMAIL = "email"
LETTER = "letter"


def find(source: str, key: str) -> IntakeRecord | None:
    return (
        IntakeRecord.objects.select_related("inquiry", "inquiry__queue")
        .filter(source=source, key=key)
        .first()
    )


def _replay(record: IntakeRecord, request_hash: str) -> Registered:
    if record.request_hash != request_hash:
        raise KeyReused()
    return Registered(record.inquiry, created=False)


def seen(key: SourceKey) -> Registered | None:
    """The earlier result for this key, None if it is new; KeyReused for another request.
    Nearly every key is new (retries are rare): a bare look-up first, the inquiry only when
    there is one (the mail room registers a hundred messages a second through here)."""
    if not IntakeRecord.objects.filter(source=key.source, key=key.key).exists():
        return None
    record = find(key.source, key.key)
    return _replay(record, key.request_hash) if record is not None else None


def record_once(
    key: SourceKey, create: Callable[[], Inquiry], *, look_first: bool = True
) -> Registered:
    """Run `create` and store the key with its inquiry in one transaction, unless the key was
    seen before. If another process stored the same key first (a race past the look-up),
    ours is undone and theirs comes back. `look_first=False` skips the look-up for an
    adapter that has its own (the mail room's dedupe key): the constraint still decides."""
    earlier = seen(key) if look_first else None
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            inquiry = create()
            IntakeRecord.objects.create(
                source=key.source, key=key.key, request_hash=key.request_hash, inquiry=inquiry
            )
    except IntegrityError:
        # Only the (source, key) constraint can fail once `create` has succeeded; if the
        # IntegrityError came from somewhere else there is no record and it is raised again.
        record = find(key.source, key.key)
        if record is None:
            raise
        log.info("intake key of %s stored by a concurrent request; replaying", key.source)
        return _replay(record, key.request_hash)
    return Registered(inquiry, created=True)


def register(key: SourceKey, *, look_first: bool = True, **fields: Any) -> Registered:
    """Register an inquiry (services.register_inquiry's fields) at most once for `key`."""
    from tenestetorget.contact.services import register_inquiry

    return record_once(key, lambda: register_inquiry(**fields), look_first=look_first)
