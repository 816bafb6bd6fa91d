"""The one write the public pages make: a contact-form submission becomes an inquiry through
contact's one intake (contact.intake), at most once per rendered form."""

from __future__ import annotations

import uuid

from django.core.files.uploadedfile import UploadedFile

from tenestetorget.contact import intake
from tenestetorget.contact.models import Inquiry
from tenestetorget.contact.services import SenderData
from tenestetorget.organisation.models import Channel


def inquiry_for_submission(submission_id: uuid.UUID) -> Inquiry | None:
    """The inquiry an earlier POST of the same rendered form created, if any."""
    record = intake.find(intake.WEBFORM, str(submission_id))
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
    """Register the inquiry under the form's one-time submission id. Returns (inquiry,
    created). A second submission with the same id returns the first inquiry; when two
    arrive at once (a double click), the second is rolled back whole (number, inquiry,
    acknowledgement) and returns the first. Raises the service's ValidationError for bad
    input."""
    done = intake.register(
        intake.SourceKey(intake.WEBFORM, str(submission_id)),
        channel=Channel.WEBFORM,
        subject=subject,
        body=body,
        sender=sender,
        queue=queue_code or None,
        attachments=attachments or None,
        answer_within_working_days=answer_within_working_days,
    )
    return done.inquiry, done.created
