"""Token authentication for the API, with the member of staff's profile and a short memory.

Every API request needs the caller's user and staff profile (the role decides what they may
see). Read with the ORM that is one join of three tables, and on the busiest request,
registering an inquiry, it cost a tenth of the server's time. So each process remembers a
token's user and profile for up to `TTL_SECONDS`, and trusts that memory only while the
token's *generation* in the shared cache (CACHE_URL, e.g. Redis) is the one it remembered:

* deleting or rotating a token, or saving or deleting its user or staff profile, gives the
  token a new generation (model signals, in whichever process makes the change, again when
  the transaction commits), so every web worker reads the token again at its next request:
  a revoked token stops working at once everywhere;
* a request costs one cache read instead of three tables;
* `TTL_SECONDS` stays as the bound where nothing tells: a change made without signals
  (`QuerySet.update`, SQL by hand), or several processes without a shared cache (no
  CACHE_URL: each has its own memory cache, so another process's change counts within
  `TTL_SECONDS`; docs/operations.md).

If the cache cannot be read, the memory is not trusted and the database is read.

Each request gets its own copy of the user, so nothing one request sets on it reaches
another.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import BaseCache, cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from tenestetorget.organisation.models import StaffProfile

logger = logging.getLogger(__name__)

TTL_SECONDS = 10.0
MAX_ENTRIES = 1000


@dataclass(frozen=True)
class _Remembered:
    at: float
    generation: int
    user: Any
    token: Token


def generation_key(token_key: str) -> str:
    # A digest, so that no token stands in the cache's key names.
    return "api-token-generation:" + hashlib.sha256(token_key.encode()).hexdigest()[:32]


class TokenMemory:
    """The tokens one process remembers, checked against the shared cache's generations."""

    def __init__(self, shared: BaseCache) -> None:
        self.shared = shared
        self._lock = threading.Lock()
        self._remembered: dict[str, _Remembered] = {}

    def credentials(self, key: str) -> tuple[Any, Token] | None:
        """The token's user and token, or None when the token is unknown or its user is
        deactivated."""
        # The generation is read before the database, so that a change committed between
        # the two gives a generation this entry does not carry.
        generation = self.generation(key)
        entry = self._remembered.get(key)
        if (
            entry is not None
            and generation is not None
            and entry.generation == generation
            and time.monotonic() - entry.at <= TTL_SECONDS
        ):
            return copy.copy(entry.user), entry.token
        token = Token.objects.select_related("user", "user__staff_profile").filter(key=key).first()
        if token is None or not token.user.is_active:
            self._remembered.pop(key, None)
            return None
        if generation is not None:
            with self._lock:
                if len(self._remembered) >= MAX_ENTRIES:
                    self._remembered.clear()
                self._remembered[key] = _Remembered(time.monotonic(), generation, token.user, token)
        return copy.copy(token.user), token

    def generation(self, key: str) -> int | None:
        """The token's generation, made when there is none yet (a new token, or one the
        cache has evicted or lost on a restart). None when the cache does not answer."""
        name = generation_key(key)
        try:
            value = self.shared.get(name)
            if value is None:
                # Random, not 0: a lost generation must not come back as the old number.
                self.shared.add(name, secrets.randbits(62), timeout=None)
                value = self.shared.get(name)
        except Exception:
            logger.warning("API token memory: the cache did not answer", exc_info=True)
            return None
        return int(value) if value is not None else None

    def revoke(self, keys: list[str]) -> None:
        """A new generation for each token, seen by every process at its next request."""
        with self._lock:
            for key in keys:
                self._remembered.pop(key, None)
        for key in keys:
            try:
                self.shared.set(generation_key(key), secrets.randbits(62), timeout=None)
            except Exception:
                # Other processes then notice within TTL_SECONDS, as without a shared cache.
                logger.exception("API token memory: could not tell other processes")

    def forget(self) -> None:
        with self._lock:
            self._remembered.clear()


#: This process's memory, on Django's default cache (CACHE_URL).
memory = TokenMemory(cache)


class StaffTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        found = memory.credentials(key)
        if found is None:
            # DRF's own refusal, with its messages.
            return super().authenticate_credentials(key)
        return found


def forget() -> None:
    """Read every token again at its next use (in this process)."""
    memory.forget()


def _token_keys(instance: models.Model) -> list[str]:
    if isinstance(instance, Token):
        return [instance.key]
    user_id = instance.user_id if isinstance(instance, StaffProfile) else instance.pk
    return list(Token.objects.filter(user_id=user_id).values_list("key", flat=True))


def _changed(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    keys = _token_keys(instance)
    if not keys:
        return
    memory.revoke(keys)
    # Again after the commit: another process that read the rows between the first new
    # generation and the commit holds the old rows under the new generation.
    transaction.on_commit(lambda: memory.revoke(keys))


def connect_signals() -> None:
    for model in (Token, get_user_model(), StaffProfile):
        label = model._meta.label
        post_save.connect(_changed, sender=model, dispatch_uid=f"api_token:save:{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"api_token:delete:{label}")
