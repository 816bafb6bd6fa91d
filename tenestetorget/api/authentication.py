"""Token authentication for the API, with the member of staff's profile and a short memory.

Every API request needs the caller's user and staff profile (the role decides what they may
see). Read with the ORM that is one join of three tables, and on the busiest request,
registering an inquiry, it cost a tenth of the server's time. So each process remembers a
token's user and profile for `TTL_SECONDS`:

* a token deleted, or a user or staff profile changed, in this process is forgotten at once
  (model signals), so `api-token`, the admin and the tests see their change immediately;
* other processes (the other web workers) notice such a change within `TTL_SECONDS`. A
  revoked token or a changed role therefore works for at most that long in other workers,
  which is the trade-off for not reading three tables on every request; an emergency can
  restart the workers to make it immediate.

Each request gets its own copy of the user, so nothing one request sets on it reaches
another.
"""

from __future__ import annotations

import copy
import threading
import time
from typing import Any

from django.contrib.auth import get_user_model
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from tenestetorget.core.process_memory import forget_on_change
from tenestetorget.organisation.models import StaffProfile

TTL_SECONDS = 10.0
MAX_ENTRIES = 1000

_lock = threading.Lock()
_remembered: dict[str, tuple[float, Any, Token]] = {}


class StaffTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        now = time.monotonic()
        entry = _remembered.get(key)
        if entry is not None and now - entry[0] <= TTL_SECONDS:
            return copy.copy(entry[1]), entry[2]
        token = Token.objects.select_related("user", "user__staff_profile").filter(key=key).first()
        if token is None or not token.user.is_active:
            # DRF's own refusal, with its messages.
            return super().authenticate_credentials(key)
        with _lock:
            if len(_remembered) >= MAX_ENTRIES:
                _remembered.clear()
            _remembered[key] = (now, token.user, token)
        return copy.copy(token.user), token


def forget() -> None:
    """Read every token again at its next use."""
    with _lock:
        _remembered.clear()


def connect_signals() -> None:
    forget_on_change("api_token", (Token, get_user_model(), StaffProfile), forget)
