"""Messages to the sender: rendered from templates in the sender's language, stored, then
sent by a background task through Django's e-mail backend (SMTP in production)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from tenestetorget.contact.models import (
    EventKind,
    Inquiry,
    InquiryEvent,
    MessageStatus,
    OutgoingMessage,
)
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
    """Store the message and enqueue its sending, both with the caller's transaction."""
    subject, body, language = render_message(inquiry, kind, text, guarantee)
    message = OutgoingMessage.objects.create(
        inquiry=inquiry,
        kind=kind,
        to_email=inquiry.sender_email,
        subject=subject,
        body=body,
        language=language,
        created_by=actor,
        created_at=timezone.now(),
    )
    from tenestetorget.contact.tasks import send_outgoing_message

    message_id = message.pk
    if send_outgoing_message.get_backend().__class__.__name__ == "DatabaseBackend":
        # The task row is written in the same transaction as the message: both or neither,
        # and one commit instead of two.
        send_outgoing_message.enqueue(message_id)
    else:
        # Other backends run or send at once; only after the data is committed.
        transaction.on_commit(lambda: send_outgoing_message.enqueue(message_id))
    return message


def deliver(message: OutgoingMessage) -> bool:
    """Send one stored message now. A failure is recorded on the message and the timeline,
    where staff see it; it never raises to the caller."""
    if message.status == MessageStatus.SENT:
        return True
    message.attempts += 1
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
        headers={"X-Tenestetorget-Reference": message.inquiry.reference},
    )
    try:
        email.send(fail_silently=False)
    except Exception as exc:  # any backend error: SMTP refusal, network, DNS
        log.warning("message %s to inquiry %s failed: %s", message.pk, message.inquiry_id, exc)
        message.status = MessageStatus.FAILED
        message.error = str(exc)[:2000]
        message.save(update_fields=["status", "error", "attempts"])
        InquiryEvent.objects.create(
            inquiry=message.inquiry,
            kind=EventKind.MESSAGE_FAILED,
            at=timezone.now(),
            text=message.error,
            data={"message": message.pk, "kind": message.kind},
        )
        return False
    message.status = MessageStatus.SENT
    message.sent_at = timezone.now()
    message.error = ""
    message.save(update_fields=["status", "sent_at", "error", "attempts"])
    InquiryEvent.objects.create(
        inquiry=message.inquiry,
        kind=EventKind.MESSAGE_SENT,
        at=message.sent_at,
        text=message.subject,
        data={"message": message.pk, "kind": message.kind, "to": message.to_email},
    )
    return True
