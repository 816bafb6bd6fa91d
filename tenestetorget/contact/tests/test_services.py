"""The inquiry's main road through the services: register, forward, acknowledge, answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from tenestetorget.contact import outbox, services
from tenestetorget.contact.models import (
    EventKind,
    Handover,
    Inquiry,
    InquiryEvent,
    MessageKind,
    MessageStatus,
    OutgoingMessage,
    Sender,
    Status,
)
from tenestetorget.contact.tests.conftest import at, oslo
from tenestetorget.core.models import NumberSeries
from tenestetorget.organisation.models import Channel

pytestmark = pytest.mark.django_db


def test_register_gives_reference_and_due_date_from_guarantee(register: Any) -> None:
    # Monday 23 November 2026 at 10:00: two working days later is Wednesday 25 November.
    # Registered as it arrives: received_at may be at most a year back from now.
    with at(oslo(2026, 11, 23, 10, 1)):
        inquiry = register(received_at=oslo(2026, 11, 23, 10, 0))
    assert inquiry.reference == f"2026-{inquiry.number:06d}"
    assert inquiry.due_date == dt.date(2026, 11, 25)
    assert inquiry.original_due_date == inquiry.due_date
    assert inquiry.interim_reply_due == dt.date(2026, 12, 7)
    assert inquiry.status == Status.NEW
    assert inquiry.events.get().kind == EventKind.REGISTERED


def test_after_closing_time_counts_from_next_working_day(register: Any) -> None:
    # Friday 20 November 2026 at 16:00 is after closing: counts from Monday 23 November.
    with at(oslo(2026, 11, 20, 16, 1)):
        inquiry = register(received_at=oslo(2026, 11, 20, 16, 0))
    assert inquiry.due_date == dt.date(2026, 11, 25)


def test_references_are_sequential_per_year(register: Any) -> None:
    with at(oslo(2025, 12, 31, 9, 1)):
        first = register(received_at=oslo(2025, 12, 31, 9, 0))
    with at(oslo(2026, 1, 5, 9, 10)):
        second = register(received_at=oslo(2026, 1, 5, 9, 0))
        third = register(received_at=oslo(2026, 1, 5, 9, 5))
    assert first.reference.startswith("2025-")
    assert second.number + 1 == third.number
    assert NumberSeries.objects.get(series="inquiry", year=2026).last == third.number


def test_email_inquiry_sends_acknowledgement_in_sender_language(
    register: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = register(
            sender=services.SenderData(name="John Smith", email="john@example.com", language="en")
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert inquiry.reference in message.subject
    assert "You will have an answer by" in message.body
    stored = OutgoingMessage.objects.get(inquiry=inquiry)
    assert stored.kind == MessageKind.ACKNOWLEDGEMENT
    assert stored.status == MessageStatus.SENT


def test_phone_inquiry_sends_no_acknowledgement(
    register: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        register(channel=Channel.PHONE)
    assert mail.outbox == []


def test_first_contact_resolution_closes_at_once(register: Any) -> None:
    inquiry = register(channel=Channel.PHONE, first_contact_resolved=True, resolution="Forklarte.")
    assert inquiry.status == Status.CLOSED
    assert inquiry.first_contact_resolved
    assert inquiry.events.filter(kind=EventKind.CLOSED, text="Forklarte.").exists()


@pytest.mark.parametrize(
    ("sender", "channel", "field"),
    [
        (services.SenderData(name="", email="a@b.no"), Channel.EMAIL, "sender.name"),
        (services.SenderData(name="A", email="not-an-email"), Channel.EMAIL, "sender.email"),
        (services.SenderData(name="A"), Channel.EMAIL, "sender.email"),
        (services.SenderData(name="A"), Channel.PHONE, "sender.phone"),
        (
            services.SenderData(name="A", phone="91234567", organisation_number="123456789"),
            Channel.PHONE,
            "sender.organisation_number",
        ),
        (
            services.SenderData(name="A", phone="91234567", national_id="01010112345"),
            Channel.PHONE,
            "sender.national_id",
        ),
    ],
)
def test_bad_sender_gives_field_error(
    register: Any, sender: services.SenderData, channel: str, field: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        register(sender=sender, channel=channel)
    assert field in exc.value.message_dict
    assert Inquiry.objects.count() == 0


def test_wrong_queue_code(register: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        register(queue="no_such_queue")
    assert "no_such_queue" in exc.value.message_dict["queue"][0]


def test_valid_identifiers_are_kept_and_masked(register: Any) -> None:
    # 01019955113 is a valid (made-up) fødselsnummer; 974760673 is Brønnøysundregistra's orgnr.
    inquiry = register(
        sender=services.SenderData(
            name="Lag AS",
            email="post@lag.no",
            organisation_number="974 760 673",
            national_id="01019955113",
        )
    )
    assert inquiry.sender.organisation_number == "974760673"
    assert inquiry.sender.masked_national_id == "010199*****"


def test_sender_is_reused_for_lookup(register: Any) -> None:
    register()
    register(subject="Ny sak")
    assert Sender.objects.count() == 1


def test_markup_is_stored_as_typed(register: Any) -> None:
    inquiry = register(subject="<script>alert(1)</script>")
    assert inquiry.subject == "<script>alert(1)</script>"


@override_settings()
def test_forbidden_and_oversized_attachments(register: Any, settings: Any) -> None:
    settings.TENESTETORGET = {**settings.TENESTETORGET, "MAX_ATTACHMENT_BYTES": 10}
    with pytest.raises(ValidationError) as exc:
        register(attachments=[SimpleUploadedFile("virus.exe", b"MZ")])
    assert "attachments" in exc.value.message_dict
    with pytest.raises(ValidationError):
        register(attachments=[SimpleUploadedFile("big.pdf", b"x" * 11)])
    inquiry = register(attachments=[SimpleUploadedFile("ok.pdf", b"%PDF")])
    assert inquiry.attachments.get().original_name == "ok.pdf"


def test_forward_acknowledge_answer(
    register: Any,
    staff: dict[str, Any],
    org: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    inquiry = register(queue=None, channel=Channel.PHONE)
    handover = services.forward_inquiry(
        inquiry, staff["front"], to_queue=org["queues"]["vatn_avlop"], note="Ring ho"
    )
    inquiry.refresh_from_db()
    assert inquiry.status == Status.FORWARDED
    assert inquiry.queue.code == "vatn_avlop"
    services.acknowledge_handover(inquiry, staff["tech"])
    handover.refresh_from_db()
    inquiry.refresh_from_db()
    assert handover.acknowledged_by == staff["tech"]
    assert inquiry.assigned_to == staff["tech"]
    assert inquiry.status == Status.IN_PROGRESS
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_inquiry(inquiry, staff["tech"], "Vi kjem i morgon.")
    inquiry.refresh_from_db()
    assert inquiry.status == Status.CLOSED
    assert inquiry.answered_at is not None
    assert mail.outbox[-1].to == ["kari@example.no"]
    assert "Vi kjem i morgon." in mail.outbox[-1].body
    kinds = list(inquiry.events.values_list("kind", flat=True))
    assert kinds[:4] == [
        EventKind.REGISTERED,
        EventKind.FORWARDED,
        EventKind.ACKNOWLEDGED,
        EventKind.ANSWERED,
    ]


def test_other_unit_cannot_work_on_inquiry(register: Any, staff: dict[str, Any]) -> None:
    inquiry = register(queue="vatn_avlop")
    with pytest.raises(PermissionDenied):
        services.answer_inquiry(inquiry, staff["builder"], "Nei")
    with pytest.raises(PermissionDenied):
        services.add_note(inquiry, staff["builder"], "Hei")


def test_archivist_forwards_but_does_not_answer(
    register: Any, staff: dict[str, Any], org: dict[str, Any]
) -> None:
    inquiry = register(queue=None)
    services.forward_inquiry(inquiry, staff["archivist"], to_queue=org["queues"]["byggjesak"])
    with pytest.raises(PermissionDenied):
        services.answer_inquiry(inquiry, staff["archivist"], "Svar")


def test_handover_to_named_person(register: Any, staff: dict[str, Any]) -> None:
    inquiry = register()
    services.forward_inquiry(inquiry, staff["front"], to_user=staff["tech2"])
    inquiry.refresh_from_db()
    assert inquiry.assigned_to == staff["tech2"]
    with pytest.raises(PermissionDenied):
        services.acknowledge_handover(inquiry, staff["tech"])
    services.acknowledge_handover(inquiry, staff["tech2"])


def test_pause_and_resume_moves_due_date(register: Any, staff: dict[str, Any]) -> None:
    with at(oslo(2026, 11, 23, 10, 0)):
        inquiry = register()
    assert inquiry.due_date == dt.date(2026, 11, 25)
    with at(oslo(2026, 11, 23, 12, 0)):
        services.pause_for_sender(inquiry, staff["tech"], "Ventar på kart")
    with at(oslo(2026, 11, 26, 9, 0)):
        services.resume_inquiry(inquiry, staff["tech"])
    inquiry.refresh_from_db()
    assert inquiry.status == Status.IN_PROGRESS
    assert inquiry.paused_since is None
    # 19.5 working hours waited (Monday 12:00 to Thursday 09:00) round to three working
    # days, which push Wednesday 25 November to Monday 30 November.
    assert inquiry.due_date == dt.date(2026, 11, 30)
    resumed = inquiry.events.get(kind=EventKind.RESUMED)
    assert resumed.data["paused_working_seconds"] == 19.5 * 3600


def test_interim_reply_sets_new_date_and_tells_sender(
    register: Any, staff: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    inquiry = register()
    new_date = inquiry.due_date + dt.timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_interim_reply(
            inquiry, staff["tech"], new_due_date=new_date, text="Vi må sjå på staden."
        )
    inquiry.refresh_from_db()
    # The date told is shown beside the promise; the guarantee's date does not move.
    assert inquiry.interim_promised_date == new_date
    assert inquiry.due_date == inquiry.original_due_date
    assert inquiry.interim_reply_sent_at is not None
    interim = OutgoingMessage.objects.get(inquiry=inquiry, kind=MessageKind.INTERIM_REPLY)
    assert "forvaltningslova § 11 a" in interim.body
    with pytest.raises(ValidationError):
        services.send_interim_reply(
            inquiry, staff["tech"], new_due_date=dt.date(2020, 1, 1), text="x"
        )


def test_timeline_is_append_only(register: Any) -> None:
    event = register().events.get()
    event.text = "changed"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
    assert InquiryEvent.objects.get(pk=event.pk).text == ""


def test_closed_inquiry_cannot_be_answered_until_reopened(
    register: Any, staff: dict[str, Any]
) -> None:
    inquiry = register()
    services.close_inquiry(inquiry, staff["front"], first_contact_resolved=True)
    with pytest.raises(ValidationError):
        services.answer_inquiry(inquiry, staff["front"], "Svar")
    services.reopen_inquiry(inquiry, staff["front"])
    services.answer_inquiry(inquiry, staff["front"], "Svar")


def test_failed_send_is_kept_and_visible(
    register: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # Nothing listens on the discard port: the send fails as with a mail server that is down.
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        # Not the default water leak: that would also send an urgent notice.
        inquiry = register(subject="Spørsmål om vassavgift", body="Kva kostar det?")
    message = OutgoingMessage.objects.get(inquiry=inquiry)
    # Kept, with the error, and tried again later (contact.outbox); failed after the last try.
    assert message.status == MessageStatus.RETRY
    assert message.error
    assert not inquiry.events.filter(kind=EventKind.MESSAGE_FAILED).exists()
    later = timezone.now()
    for _attempt in range(outbox.POLICY.max_attempts):
        later += dt.timedelta(hours=1)
        outbox.send_due(now=later)
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert inquiry.events.filter(kind=EventKind.MESSAGE_FAILED).count() == 1


def test_double_handover_supersedes_the_first(
    register: Any, staff: dict[str, Any], org: dict[str, Any]
) -> None:
    inquiry = register()
    services.forward_inquiry(inquiry, staff["front"], to_queue=org["queues"]["veg"])
    services.forward_inquiry(inquiry, staff["front"], to_queue=org["queues"]["byggjesak"])
    assert Handover.objects.filter(inquiry=inquiry, acknowledged_at__isnull=True).count() == 1
