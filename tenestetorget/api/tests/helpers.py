"""Request bodies and identifiers shared by the API tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

#: Valid identifiers (check digits hold) and invalid ones (last digit changed).
VALID_FNR = "01019010046"
INVALID_FNR = "01019010047"
VALID_ORGNR = "974760673"
INVALID_ORGNR = "974760674"


def payload(**overrides: Any) -> dict[str, Any]:
    """A valid request body for POST /api/v1/inquiries/."""
    sender = {"name": "Kari Nordmann", "email": "kari@example.no", "phone": ""}
    sender.update(overrides.pop("sender", {}))
    body: dict[str, Any] = {
        "channel": "email",
        "subject": "Brøyting av Fjellvegen",
        "body": "Når blir vegen brøyta?",
        "sender": sender,
    }
    body.update(overrides)
    return body


#: A fixed "now" for tests that send a received_at: Wednesday 2 December 2026, 12:00 in Oslo.
NOW = dt.datetime(2026, 12, 2, 12, 0, tzinfo=ZoneInfo("Europe/Oslo"))


@contextmanager
def mock_now(moment: dt.datetime = NOW) -> Iterator[None]:
    """Let the services believe it is `moment` (every clock read goes through timezone.now),
    so that a received_at in a test stays within the bounds the API allows."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield
