"""The one write the public pages make: a contact-form submission becomes an inquiry through
contact.services.register_inquiry, at most once per rendered form."""

from __future__ import annotations

import uuid

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from tenestetorget.contact.models import Inquiry
from tenestetorget.contact.services import SenderData, register_inquiry
from tenestetorget.organisation.models import Channel
from tenestetorget.portal.models import ContactSubmission


def inquiry_for_submission(submission_id: uuid.UUID) -> Inquiry | None:
    """The inquiry an earlier POST of the same rendered form created, if any."""
    record = (
        ContactSubmission.objects.select_related("inquiry")
        .filter(submission_id=submission_id)
        .first()
    )
    return record.inquiry if record is not None else None


def submit_contact_form(
    *,
    submission_id: uuid.UUID,
    subject: str,
    body: str,
    sender: SenderData,
    queue_code: str | None,
    attachments: list[UploadedFile] | None = None,
    answer_within_working_days: int | None = None,
) -> tuple[Inquiry, bool]:
    """Register the inquiry and remember it under the form's submission id, in one
    transaction. Returns (inquiry, created). A second submission with the same id returns the
    first inquiry; when two arrive at once (a double click), the second waits on the unique
    index, fails, is rolled back whole (number, inquiry, acknowledgement) and returns the
    first. Raises the service's ValidationError for bad input."""
    existing = inquiry_for_submission(submission_id)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            inquiry = register_inquiry(
                channel=Channel.WEBFORM,
                subject=subject,
                body=body,
                sender=sender,
                queue=queue_code or None,
                attachments=attachments or None,
                answer_within_working_days=answer_within_working_days,
            )
            ContactSubmission.objects.create(submission_id=submission_id, inquiry=inquiry)
    except IntegrityError:
        existing = inquiry_for_submission(submission_id)
        if existing is None:
            raise
        return existing, False
    return inquiry, True
