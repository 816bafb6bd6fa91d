"""The contact form's topic proposal: as the citizen writes, routing reads the subject and
text, and when it is sure the form's «Kva gjeld det?» is chosen for them (never over their
own choice). Only a sure proposal is given, and only a topic the form offers; a client may ask
at most TOPIC_RATE_LIMIT times an hour (the classifier is cheap, but a public endpoint is
public)."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from tenestetorget.core.client_address import client_address
from tenestetorget.routing.services import propose

MAX_TEXT = 2000
#: Enough for a person writing a long letter (a request per pause in the typing).
TOPIC_RATE_LIMIT = 300
TOPIC_RATE_WINDOW = 3600
_SALT = "tenestetorget.portal.topics"


def within_rate(request: HttpRequest) -> bool:
    """Count one proposal for the client (a keyed hash of its address, never the address)."""
    digest = salted_hmac(_SALT, client_address(request), algorithm="sha256").hexdigest()
    key = f"portal:topic-rate:{digest}"
    cache.add(key, 0, timeout=TOPIC_RATE_WINDOW)
    try:
        count = int(cache.incr(key))
    except ValueError:
        cache.add(key, 1, timeout=TOPIC_RATE_WINDOW)
        count = 1
    return count <= TOPIC_RATE_LIMIT


def sure_topic(subject: str, body: str, offered: set[str]) -> str:
    """The queue routing is sure of for this text, if the form offers it; else ""."""
    subject, body = subject[:MAX_TEXT], body[:MAX_TEXT]
    if len((subject + body).strip()) < 10:
        return ""
    prediction = propose(subject, body)
    if prediction is None or not prediction.auto or prediction.queue not in offered:
        return ""
    return prediction.queue
