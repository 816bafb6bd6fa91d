"""Messages to the sender: rendered from templates in the sender's language, stored in the
outbox, then sent by a background task through Django's e-mail backend (SMTP in production)
and retried until delivered (contact.outbox)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format

from tenestetorget.contact import outbox
from tenestetorget.contact.models import Audience, Inquiry, MessageStatus, OutgoingMessage
from tenestetorget.organisation.models import ServiceGuarantee
from tenestetorget.organisation.selectors import guarantee_for

if TYPE_CHECKING:
    from django.contrib.auth.models import User

log = logging.getLogger(__name__)

SUPPORTED = ("nn", "nb", "en")


_LOOK_UP = object()


def render_message(
    inquiry: Inquiry,
    kind: str,
    text: str = "",
    guarantee: ServiceGuarantee | object | None = _LOOK_UP,
) -> tuple[str, str, str]:
    """(subject, body, language) for a message of `kind` about `inquiry`."""
    language = inquiry.language if inquiry.language in SUPPORTED else "nn"
    conf = settings.TENESTETORGET
    with translation.override(language):
        if guarantee is _LOOK_UP:
            guarantee = guarantee_for(inquiry.queue, inquiry.channel)
        context = {
            "inquiry": inquiry,
            "reference": inquiry.reference,
            "subject": inquiry.subject,
            "sender_name": inquiry.sender_name,
            "due_date": date_format(inquiry.due_date, "DATE_FORMAT"),
            # The interim reply names its own date; the guarantee's promise stays as it was.
            "promised_date": date_format(
                inquiry.interim_promised_date or inquiry.due_date, "DATE_FORMAT"
            ),
            "queue_name": inquiry.queue.name if inquiry.queue else "",
            "guarantee": guarantee,
            "text": text,
            "municipality": conf["MUNICIPALITY_NAME"],
            "phone": conf["PHONE"],
        }
        rendered = render_to_string(f"contact/messages/{kind}.{language}.txt", context)
    subject, _, body = rendered.strip().partition("\n")
    return subject.strip(), body.strip() + "\n", language


def queue_message(
    inquiry: Inquiry,
    kind: str,
    *,
    actor: User | None,
    text: str = "",
    guarantee: ServiceGuarantee | object | None = _LOOK_UP,
) -> OutgoingMessage:
    """Store the message to the sender and enqueue its sending, both with the caller's
    transaction; the outbox delivers it at least once (contact.outbox)."""
    subject, body, language = render_message(inquiry, kind, text, guarantee)
    return outbox.store(
        audience=Audience.SENDER,
        kind=kind,
        inquiry=inquiry,
        to=[inquiry.sender_email],
        subject=subject,
        body=body,
        language=language,
        created_by=actor,
    )


def deliver(message: OutgoingMessage) -> bool:
    """Send one stored message now, if it is due and no worker has it (the outbox's
    send). A failure is recorded on the message; it never raises to the caller."""
    return outbox.send(message.pk) == MessageStatus.SENT
