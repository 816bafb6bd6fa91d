"""The contact form's topic proposal: as the citizen writes, routing reads the subject and
text, and when it is sure the form's «Kva gjeld det?» is chosen for them (never over their
own choice). Only a sure proposal is given, and only a topic the form offers; a client may ask
at most TOPIC_RATE_LIMIT times an hour (the classifier is cheap, but a public endpoint is
public)."""

from __future__ import annotations

from django.http import HttpRequest

from tenestetorget.portal import spam
from tenestetorget.routing.services import propose

MAX_TEXT = 2000
#: Enough for a person writing a long letter (a request per pause in the typing).
TOPIC_RATE_LIMIT = 300
TOPIC_RATE_WINDOW = 3600


def within_rate(request: HttpRequest) -> bool:
    """Count one proposal for the client, with the contact form's own counter (portal.spam)."""
    key = spam.client_rate_key("portal:topic-rate", request)
    return spam.count_in_window(key, TOPIC_RATE_LIMIT, TOPIC_RATE_WINDOW)


def sure_topic(subject: str, body: str, offered: set[str]) -> str:
    """The queue routing is sure of for this text, if the form offers it; else ""."""
    subject, body = subject[:MAX_TEXT], body[:MAX_TEXT]
    if len((subject + body).strip()) < 10:
        return ""
    prediction = propose(subject, body)
    if prediction is None or not prediction.auto or prediction.queue not in offered:
        return ""
    return prediction.queue
