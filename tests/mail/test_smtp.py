"""Messages to the sender go through a real SMTP server on loopback (aiosmtpd), so the
whole path is tested: template in the sender's language, Django's SMTP backend, the
background task, and what is recorded when the server cannot be reached."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

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
from tenestetorget.core.calendar import calendar_from_settings
from tenestetorget.organisation.models import (
    Channel,
    Queue,
    Role,
    ServiceGuarantee,
    StaffProfile,
    Unit,
)

pytestmark = pytest.mark.django_db

EMAIL_ANSWER_DAYS = 3
NN_MONTHS = [
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
]  # fmt: skip


@dataclass
class Received:
    """One message as the SMTP server got it."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None, self.message.as_string()
        return str(part.get_content())


@dataclass
class Mailbox:
    """aiosmtpd handler that keeps every message it accepts."""

    received: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _use_smtp(settings: Any, port: int) -> None:
    """Point Django 6.1's default mailer at an SMTP server on loopback."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": "127.0.0.1",
                "port": port,
                "username": "",
                "password": "",
                "use_tls": False,
                "use_ssl": False,
                "timeout": 5,
            },
        }
    }


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[Mailbox]:
    """A real SMTP server on a free loopback port; the default mailer points at it."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        _use_smtp(settings, controller.port)
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture
def queue() -> Queue:
    unit = Unit.objects.create(code="teknisk", name="Teknisk drift og vedlikehald")
    queue = Queue.objects.create(code="vatn_avlop", unit=unit, name="Vatn og avløp")
    ServiceGuarantee.objects.create(
        queue=queue,
        channel=Channel.EMAIL,
        answer_working_days=EMAIL_ANSWER_DAYS,
        interim_reply_working_days=10,
        text="E-post får svar innan 3 arbeidsdagar.",
    )
    return queue


@pytest.fixture
def front_desk() -> Any:
    unit = Unit.objects.create(code="tenestetorget", name="Tenestetorget")
    user = get_user_model().objects.create_user("frontdesk", "fd@demo.kommune.no", "pw-12345!")
    StaffProfile.objects.create(user=user, unit=unit, role=Role.FRONT_DESK)
    return user


def _register(queue: Queue, language: str, email_address: str) -> Inquiry:
    return services.register_inquiry(
        channel=Channel.EMAIL,
        subject="Avlesing av vassmålaren",
        body="Kvar skal eg sende målarstanden i år?",
        sender=services.SenderData(name="Kari Nordmann", email=email_address, language=language),
        queue=queue,
    )


@pytest.mark.parametrize(
    ("language", "subject_start", "promise"),
    [
        ("nn", "Vi har motteke henvendinga di", "Du får svar innan"),
        ("en", "We have received your inquiry", "You will have an answer by"),
    ],
)
def test_acknowledgement_arrives_in_the_senders_language(
    smtp_server: Mailbox,
    queue: Queue,
    django_capture_on_commit_callbacks: Any,
    language: str,
    subject_start: str,
    promise: str,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = _register(queue, language, "Kari@Example.org")

    # The promised date comes from the queue's guarantee for e-mail, in working days.
    expected_due = calendar_from_settings().due_date(inquiry.received_at, EMAIL_ANSWER_DAYS)
    assert inquiry.due_date == expected_due

    assert len(smtp_server.received) == 1
    got = smtp_server.received[0]
    assert got.rcpt_tos == ["kari@example.org"]
    assert got.subject == f"{subject_start} ({inquiry.reference})"
    assert got.message["X-Tenestetorget-Reference"] == inquiry.reference
    body = got.text
    assert inquiry.reference in body
    with translation.override(language):
        due_text = date_format(inquiry.due_date, "DATE_FORMAT")
    assert f"{promise} {due_text}" in body
    if language == "nn":
        assert f"{inquiry.due_date.day}. {NN_MONTHS[inquiry.due_date.month - 1]}" in due_text
    # The guarantee's published text is Nynorsk: the Nynorsk message quotes it, the English one
    # says the same promise from the working days in English.
    guarantee_sentence = {
        "nn": "Tenestegarantien vår: E-post får svar innan 3 arbeidsdagar.",
        "en": "Our service guarantee is an answer within 3 working days; if it takes longer, "
        "you will have an interim reply within 10 working days.",
    }[language]
    assert guarantee_sentence in " ".join(body.split())
    if language != "nn":
        assert "innan" not in body

    message = OutgoingMessage.objects.get(inquiry=inquiry)
    assert message.kind == MessageKind.ACKNOWLEDGEMENT
    assert message.status == MessageStatus.SENT
    # The Message-ID stored with the message is the one that went out.
    assert message.message_id.startswith("<outbox-")
    assert got.message["Message-ID"] == message.message_id
    assert message.language == language
    assert InquiryEvent.objects.filter(inquiry=inquiry, kind=EventKind.MESSAGE_SENT).exists()


def test_answer_from_the_front_desk_arrives(
    smtp_server: Mailbox, queue: Queue, front_desk: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = _register(queue, "nn", "kari@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_inquiry(
            inquiry, front_desk, "Ein røyrleggjar kjem på tysdag mellom 8 og 10."
        )

    assert [r.subject for r in smtp_server.received] == [
        f"Vi har motteke henvendinga di ({inquiry.reference})",
        f"Svar på henvendinga di ({inquiry.reference})",
    ]
    answer = smtp_server.received[1]
    assert answer.rcpt_tos == ["kari@example.org"]
    assert "Ein røyrleggjar kjem på tysdag mellom 8 og 10." in answer.text
    assert inquiry.reference in answer.text
    sent = OutgoingMessage.objects.get(inquiry=inquiry, kind=MessageKind.ANSWER)
    assert sent.status == MessageStatus.SENT
    assert sent.sent_at is not None


def test_smtp_server_down_keeps_the_message_for_a_retry(
    settings: Any, queue: Queue, django_capture_on_commit_callbacks: Any
) -> None:
    # A port that nothing listens on: the connection is refused at once.
    _use_smtp(settings, _free_port())
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = _register(queue, "nn", "kari@example.org")

    inquiry.refresh_from_db()
    assert inquiry.reference  # the inquiry itself is registered whatever the mail server does
    message = OutgoingMessage.objects.get(inquiry=inquiry)
    # Not failed for good: tried again in a minute (tests/mail/test_outbox_retry.py follows it).
    assert message.status == MessageStatus.RETRY
    assert message.error
    assert message.attempts == 1
    assert message.sent_at is None
    assert message.next_attempt_at is not None
    assert before + dt.timedelta(minutes=1) <= message.next_attempt_at
    assert message.next_attempt_at <= timezone.now() + dt.timedelta(minutes=1)
    # Nothing is lost: the rendered message stays, ready to be sent again.
    assert inquiry.reference in message.body
    # The timeline is told only when the outbox gives up, not of every attempt.
    assert not InquiryEvent.objects.filter(inquiry=inquiry, kind=EventKind.MESSAGE_FAILED).exists()
    assert not InquiryEvent.objects.filter(inquiry=inquiry, kind=EventKind.MESSAGE_SENT).exists()


# --- notices to staff ---------------------------------------------------------------------------


@pytest.fixture
def officer(queue: Queue) -> Any:
    user = get_user_model().objects.create_user(
        "teknikar", "teknikar@demo.kommune.no", "pw-12345!", first_name="Tor"
    )
    StaffProfile.objects.create(user=user, unit=queue.unit, role=Role.CASE_OFFICER)
    return user


def _forward(
    monkeypatch: pytest.MonkeyPatch, capture: Any, inquiry: Inquiry, actor: Any, **kwargs: Any
) -> Handover:
    """forward_inquiry with its notice run at once; the test queues the notice itself only
    while the service does not (yet) call notifications.handover_created."""
    real = notifications.handover_created
    calls: list[Handover] = []

    def spy(handover: Handover) -> None:
        calls.append(handover)
        real(handover)

    monkeypatch.setattr(notifications, "handover_created", spy)
    with capture(execute=True):
        handover = services.forward_inquiry(inquiry, actor, **kwargs)
        if not calls:
            real(handover)
    return handover


def test_handover_notice_arrives_at_the_named_officer(
    smtp_server: Mailbox,
    queue: Queue,
    front_desk: Any,
    officer: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inquiry = _register(queue, "nn", "kari@example.org")
    _forward(
        monkeypatch,
        django_capture_on_commit_callbacks,
        inquiry,
        front_desk,
        to_user=officer,
        note="Ring ho før 12.",
    )

    assert len(smtp_server.received) == 1
    got = smtp_server.received[0]
    assert got.rcpt_tos == ["teknikar@demo.kommune.no"]
    assert got.subject == f"Henvending {inquiry.reference} er send vidare til deg"
    assert got.message["Auto-Submitted"] == "auto-generated"
    assert got.message["X-Tenestetorget-Reference"] == inquiry.reference
    assert "Ring ho før 12." in got.text
    assert f"/tenestetorget/henvending/{inquiry.reference}/" in got.text
    assert "Kari Nordmann" not in got.text and "kari@example.org" not in got.text
    # A notice to staff is not a message to the sender, but it is in the outbox (as staff's).
    to_sender = OutgoingMessage.objects.filter(inquiry=inquiry, audience=Audience.SENDER)
    assert list(to_sender.values_list("kind", flat=True)) == [MessageKind.ACKNOWLEDGEMENT]
    notice = OutgoingMessage.objects.get(inquiry=inquiry, audience=Audience.STAFF)
    assert notice.kind == NoticeKind.HANDOVER
    assert notice.status == MessageStatus.SENT
    assert notice.to_email == "teknikar@demo.kommune.no"
    assert got.message["Message-ID"] == notice.message_id


def test_smtp_server_down_handover_notice_failure_is_on_the_inquiry_page(
    settings: Any,
    queue: Queue,
    front_desk: Any,
    officer: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _use_smtp(settings, _free_port())
    inquiry = _register(queue, "nn", "kari@example.org")
    handover = _forward(
        monkeypatch, django_capture_on_commit_callbacks, inquiry, front_desk, to_user=officer
    )

    # The handover stands whatever the mail server does; the notice waits for a retry.
    assert Handover.objects.filter(pk=handover.pk, acknowledged_at__isnull=True).exists()
    notice = OutgoingMessage.objects.get(audience=Audience.STAFF, inquiry=inquiry)
    assert notice.status == MessageStatus.RETRY
    assert not InquiryEvent.objects.filter(inquiry=inquiry, kind=EventKind.MESSAGE_FAILED).exists()
    assert notice.error
    # Every retry fails too: after the last one the timeline says so, once.
    later = timezone.now()
    for _attempt in range(outbox.POLICY.max_attempts):
        later += dt.timedelta(hours=1)
        outbox.send_due(now=later)
    notice.refresh_from_db()
    assert notice.status == MessageStatus.FAILED
    assert notice.attempts == outbox.POLICY.max_attempts
    # (The acknowledgement to the sender failed too, with an event of its own.)
    failed = InquiryEvent.objects.get(
        inquiry=inquiry, kind=EventKind.MESSAGE_FAILED, data__notice="handover"
    )
    assert failed.data == {
        "notice": "handover",
        "handover": handover.pk,
        "to": ["teknikar@demo.kommune.no"],
        "message": notice.pk,
    }
    assert failed.text.startswith("Varselet til teknikar@demo.kommune.no vart ikkje sendt: ")
    client = Client()
    client.force_login(front_desk)
    page = client.get(f"/tenestetorget/henvending/{inquiry.reference}/").content.decode()
    assert "Varselet til teknikar@demo.kommune.no vart ikkje sendt" in page


def test_front_desk_is_told_of_a_late_handover(
    smtp_server: Mailbox,
    queue: Queue,
    front_desk: Any,
    officer: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    inquiry = _register(queue, "nn", "kari@example.org")
    handover = services.forward_inquiry(inquiry, front_desk, to_user=officer)
    Handover.objects.filter(pk=handover.pk).update(
        created_at=handover.created_at - dt.timedelta(days=10)
    )
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            notifications.mark_overdue_handovers()

    assert [r.rcpt_tos for r in smtp_server.received] == [["fd@demo.kommune.no"]]
    got = smtp_server.received[0]
    assert got.subject == f"Vidaresending ikkje stadfesta i tide: {inquiry.reference}"
    assert "Til: Tor, Vatn og avløp" in got.text
    overdue = InquiryEvent.objects.filter(inquiry=inquiry, kind=EventKind.HANDOVER_OVERDUE)
    assert overdue.count() == 1
