"""The mail server is down: messages wait and are tried again with growing pauses, go out
when it is back, and after the last attempt are failed, first in the staff outbox, with a
button that sends them again. A real SMTP server on loopback (aiosmtpd), Django's SMTP
backend; the clock of the attempts is given to the outbox's sweep (outbox.send_due)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tenestetorget.contact import notifications, outbox, services
from tenestetorget.contact.models import (
    Audience,
    EventKind,
    Handover,
    Inquiry,
    InquiryEvent,
    MessageKind,
    MessageStatus,
    NoticeKind,
    OutgoingMessage,
)
from tenestetorget.organisation.models import Channel
from tests.mail.conftest import MailServer

pytestmark = pytest.mark.django_db

OUTBOX = "/tenestetorget/utboks/"


def register(capture: Any, town: dict[str, Any], address: str, queue: str = "water") -> Inquiry:
    """An e-mail inquiry whose acknowledgement is sent at once (as the worker would)."""
    with capture(execute=True):
        return services.register_inquiry(
            channel=Channel.EMAIL,
            subject=f"Spørsmål frå {address}",
            body="Når blir vegen min brøyta?",
            sender=services.SenderData(name="Kari Nordmann", email=address),
            queue=town[queue],
        )


def acknowledgement(inquiry: Inquiry) -> OutgoingMessage:
    return OutgoingMessage.objects.get(inquiry=inquiry, kind=MessageKind.ACKNOWLEDGEMENT)


def fail_until_given_up(message: OutgoingMessage) -> list[dt.timedelta]:
    """Let the outbox try at each due time until it gives up; the pauses it chose."""
    pauses = []
    message.refresh_from_db()
    while message.status == MessageStatus.RETRY:
        due = message.next_attempt_at
        assert due is not None
        outbox.send_due(now=due)
        message.refresh_from_db()
        if message.status == MessageStatus.RETRY:
            assert message.next_attempt_at is not None
            pauses.append(message.next_attempt_at - due)
    return pauses


def client_for(user: Any, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def test_a_message_waits_while_the_server_is_down_and_goes_out_when_it_is_back(
    mail_server: MailServer, town: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    inquiry = register(django_capture_on_commit_callbacks, town, "kari@example.org")
    message = acknowledgement(inquiry)
    stored_id = message.message_id
    assert message.status == MessageStatus.RETRY and message.attempts == 1
    assert "Connection refused" in message.error

    # Not before its time: a sweep a second early leaves it alone.
    due = message.next_attempt_at
    assert due is not None
    assert not outbox.send_due(now=due - dt.timedelta(seconds=1))
    message.refresh_from_db()
    assert message.attempts == 1

    # Two more failures, each pause twice the one before.
    for expected in (dt.timedelta(minutes=2), dt.timedelta(minutes=4)):
        outbox.send_due(now=due)
        message.refresh_from_db()
        assert message.status == MessageStatus.RETRY
        assert message.next_attempt_at == due + expected
        due = message.next_attempt_at

    # The server is back: the next sweep delivers it, once, as stored.
    mail_server.up()
    report = outbox.send_due(now=due)
    assert report.statuses == {MessageStatus.SENT: 1}
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 4
    assert message.error == ""
    assert message.next_attempt_at is None
    [got] = mail_server.to("kari@example.org")
    assert got["Message-ID"] == stored_id == message.message_id
    assert inquiry.reference in str(got["Subject"])
    # The timeline has it sent, and no failure: the outbox did not give up.
    assert InquiryEvent.objects.filter(inquiry=inquiry, kind=EventKind.MESSAGE_SENT).count() == 1
    assert not InquiryEvent.objects.filter(inquiry=inquiry, kind=EventKind.MESSAGE_FAILED).exists()
    # A later sweep has nothing to do.
    assert not outbox.send_due(now=due + dt.timedelta(hours=5))
    assert len(mail_server.received) == 1


def test_after_the_last_attempt_it_is_failed_first_in_the_outbox_and_can_be_sent_again(
    mail_server: MailServer, town: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    failing = register(django_capture_on_commit_callbacks, town, "failed@example.org")
    message = acknowledgement(failing)
    stored_id = message.message_id

    pauses = fail_until_given_up(message)
    assert pauses == [dt.timedelta(minutes=m) for m in (2, 4, 8, 16)]  # after 1 min, the first
    assert message.status == MessageStatus.FAILED
    assert message.attempts == outbox.POLICY.max_attempts == 6
    assert "Connection refused" in message.error
    assert message.next_attempt_at is None
    failed = InquiryEvent.objects.get(inquiry=failing, kind=EventKind.MESSAGE_FAILED)
    assert failed.text == message.error
    assert failed.data == {"message": message.pk, "kind": MessageKind.ACKNOWLEDGEMENT}
    # Failed for good: the sweep leaves it to staff.
    assert not outbox.send_due(now=timezone.now() + dt.timedelta(days=2))

    # A newer message that went out, and a newer one still being retried.
    mail_server.up()
    sent = acknowledgement(register(django_capture_on_commit_callbacks, town, "sent@example.org"))
    mail_server.down()
    retrying = acknowledgement(
        register(django_capture_on_commit_callbacks, town, "retry@example.org")
    )
    assert (sent.status, retrying.status) == (MessageStatus.SENT, MessageStatus.RETRY)

    # The outbox shows the failure first, with its error, attempts and a button.
    front = client_for(town["front"], csrf=True)
    page = front.get(OUTBOX).content.decode()
    order = [page.index(a) for a in ("failed@", "retry@", "sent@")]
    assert order == sorted(order)
    card = page[page.index("failed@") : page.index("retry@")]
    assert "Feila etter 6 forsøk:" in card
    assert "Connection refused" in card
    action = f'action="{OUTBOX}{message.pk}/send-pa-nytt/"'
    assert action in card and "Send på nytt" in card
    retry_card = page[page.index("retry@") : page.index("sent@")]
    assert "Forsøk 1 av 6 feila. Nytt forsøk" in retry_card
    assert "send-pa-nytt" not in retry_card

    url = f"{OUTBOX}{message.pk}/send-pa-nytt/"
    # Only by POST, with the CSRF token, by someone who may see the message.
    assert front.get(url).status_code == 405
    assert front.post(url).status_code == 403
    planner = client_for(town["planner"])
    assert planner.post(url).status_code == 404  # the inquiry is another unit's
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED

    # The server is back; the button queues it again and the worker sends it, as it was.
    mail_server.up()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    with django_capture_on_commit_callbacks(execute=True):
        response = front.post(url, {"csrfmiddlewaretoken": token.group(1), "next": OUTBOX})
    assert response.status_code == 302 and response["Location"] == OUTBOX
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 1  # a fresh round
    [got] = mail_server.to("failed@example.org")
    assert got["Message-ID"] == stored_id
    assert "blir send på nytt" in front.get(OUTBOX).content.decode()
    # Once sent, the button is gone and a second press does nothing.
    with django_capture_on_commit_callbacks(execute=True):
        front.post(url, {"csrfmiddlewaretoken": token.group(1)})
    assert len(mail_server.to("failed@example.org")) == 1


def test_a_case_officer_sees_and_resends_the_failures_of_their_own_units_inquiries(
    mail_server: MailServer, town: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    ours = acknowledgement(register(django_capture_on_commit_callbacks, town, "ours@example.org"))
    theirs = acknowledgement(
        register(django_capture_on_commit_callbacks, town, "theirs@example.org", "building")
    )
    for message in (ours, theirs):
        fail_until_given_up(message)
    tech = client_for(town["tech"])
    page = tech.get(OUTBOX).content.decode()
    assert "ours@example.org" in page and "theirs@example.org" not in page
    mail_server.up()
    with django_capture_on_commit_callbacks(execute=True):
        assert tech.post(f"{OUTBOX}{ours.pk}/send-pa-nytt/").status_code == 302
    ours.refresh_from_db()
    assert ours.status == MessageStatus.SENT


# --- notices to staff --------------------------------------------------------------------------


def forward(capture: Any, inquiry: Inquiry, actor: Any, **kwargs: Any) -> Handover:
    with capture(execute=True):
        return services.forward_inquiry(inquiry, actor, **kwargs)


def test_a_handover_notice_is_retried_and_delivered_like_any_message(
    mail_server: MailServer, town: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    inquiry = register(django_capture_on_commit_callbacks, town, "kari@example.org")
    forward(django_capture_on_commit_callbacks, inquiry, town["front"], to_user=town["tech"])
    notice = OutgoingMessage.objects.get(audience=Audience.STAFF)
    assert notice.kind == NoticeKind.HANDOVER
    assert notice.inquiry == inquiry
    assert notice.status == MessageStatus.RETRY
    assert notice.to_email == "tech@demo.kommune.no"

    mail_server.up()
    assert notice.next_attempt_at is not None
    outbox.send_due(now=notice.next_attempt_at)
    notice.refresh_from_db()
    assert notice.status == MessageStatus.SENT
    [got] = mail_server.to("tech@demo.kommune.no")
    assert got["Message-ID"] == notice.message_id
    assert got["Auto-Submitted"] == "auto-generated"
    assert got["X-Tenestetorget-Notice"] == "handover"
    assert str(got["Subject"]) == f"Henvending {inquiry.reference} er send vidare til deg"
    # In the outbox, as a notice; not among the messages to the sender on the inquiry page.
    front = client_for(town["front"])
    assert "Varsel om vidaresending" in front.get(OUTBOX).content.decode()
    detail = front.get(f"/tenestetorget/henvending/{inquiry.reference}/").content.decode()
    messages_to_sender = detail[detail.index('id="messages-heading"') :]
    assert "er send vidare til deg" not in messages_to_sender


def test_a_notice_no_longer_true_is_withdrawn_not_sent(
    mail_server: MailServer, town: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    inquiry = register(django_capture_on_commit_callbacks, town, "kari@example.org")
    forward(django_capture_on_commit_callbacks, inquiry, town["front"], to_queue=town["water"])
    notice = OutgoingMessage.objects.get(audience=Audience.STAFF)
    assert notice.status == MessageStatus.RETRY
    services.acknowledge_handover(inquiry, town["tech"])

    mail_server.up()
    assert notice.next_attempt_at is not None
    report = outbox.send_due(now=notice.next_attempt_at)
    notice.refresh_from_db()
    assert notice.status == MessageStatus.WITHDRAWN
    assert report.statuses[MessageStatus.WITHDRAWN] == 1
    assert mail_server.to("tech@demo.kommune.no") == []


def test_the_front_desks_notice_about_several_late_handovers(
    mail_server: MailServer, town: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    mail_server.up()
    capture = django_capture_on_commit_callbacks
    handovers = []
    for address in ("a@example.org", "b@example.org"):
        inquiry = register(capture, town, address)
        handovers.append(forward(capture, inquiry, town["front"], to_user=town["tech"]))
    Handover.objects.update(created_at=timezone.now() - dt.timedelta(days=10))
    mail_server.down()
    with django_capture_on_commit_callbacks(execute=True):
        marked = notifications.mark_overdue_handovers()
    assert sorted(marked) == sorted(h.pk for h in handovers)
    # Stored with the marks: one e-mail about both, about no single inquiry.
    digest = OutgoingMessage.objects.get(kind=NoticeKind.HANDOVER_OVERDUE)
    assert digest.inquiry is None
    assert digest.data == {"notice": "handover_overdue", "handovers": marked}
    assert digest.status == MessageStatus.RETRY
    # The front desk sees it in the outbox; a case officer, who cannot see all it is about,
    # does not.
    assert "2 vidaresendingar er ikkje stadfesta i tide" in (
        client_for(town["front"]).get(OUTBOX).content.decode()
    )
    assert "ikkje stadfesta i tide" not in client_for(town["tech"]).get(OUTBOX).content.decode()

    fail_until_given_up(digest)
    assert digest.status == MessageStatus.FAILED
    # Each inquiry's timeline tells of it.
    for handover in handovers:
        event = InquiryEvent.objects.get(
            inquiry=handover.inquiry_id,
            kind=EventKind.MESSAGE_FAILED,
            data__notice="handover_overdue",
        )
        assert event.data["handover"] == handover.pk
        assert event.data["message"] == digest.pk
        assert event.data["to"] == ["front@demo.kommune.no"]
