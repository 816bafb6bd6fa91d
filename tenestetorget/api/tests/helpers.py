"""Request bodies and identifiers shared by the API tests."""

from __future__ import annotations

from typing import Any

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
