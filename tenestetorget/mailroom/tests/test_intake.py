"""The mail room's promise, end to end: every message is stored before it is read, registered
once (as an inquiry with reference, promised date and acknowledgement, routed when the model
is sure), joined to its inquiry when it is a reply, set aside with a reason when it cannot be
read, and never lost or doubled."""

from __future__ import annotations

import hashlib
import io
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tenestetorget.contact.models import (
    EventKind,
    Inquiry,
    IntakeRecord,
    OutgoingMessage,
    Status,
)
from tenestetorget.contact.services import pause_for_sender
from tenestetorget.core import documents
from tenestetorget.mailroom import intake
from tenestetorget.mailroom.models import IncomingMessage, QuarantinedAttachment, State
from tenestetorget.mailroom.tests import mailsamples as samples

pytestmark = pytest.mark.django_db


def take(raw: bytes, **where: Any) -> IncomingMessage:
    message, _new = intake.take(raw, source="test", **where)
    return message


def test_a_mail_becomes_an_inquiry_with_reference_promise_and_acknowledgement(town) -> None:
    raw = samples.plain(
        subject="Søknad om skjenkeløyve",
        body="Vi søkjer om skjenkeløyve for bryllaupet vårt i samfunnshuset i juni.",
        message_id="<a1@example.no>",
    )
    message = take(raw)
    assert message.state == State.REGISTERED
    inquiry = message.inquiry
    assert inquiry is not None and inquiry.channel == "email"
    assert inquiry.message_id == "<a1@example.no>"
    assert inquiry.queue is not None and inquiry.queue.code == "alkohol"
    assert message.routing["auto"] is True
    ack = OutgoingMessage.objects.get(inquiry=inquiry, kind="acknowledgement")
    assert inquiry.reference in ack.subject + ack.body
    # Stored first: the raw bytes are in storage under their hash, unchanged.
    with documents.storage().open(message.raw_name, "rb") as handle:
        assert handle.read() == raw
    assert IntakeRecord.objects.get(inquiry=inquiry).source == "email"


def test_an_unsure_mail_waits_unrouted_with_three_candidates(town) -> None:
    message = take(samples.plain(subject="Spørsmål", body="Kan de ringje meg?"))
    assert message.state == State.REGISTERED
    assert message.inquiry is not None and message.inquiry.queue is None
    assert message.routing["auto"] is False
    assert len(message.routing["candidates"]) == 3


def test_a_message_seen_twice_is_registered_once(town) -> None:
    raw = samples.plain(message_id="<twice@example.no>")
    first, new = intake.take(raw, source="test")
    again, new_again = intake.take(raw, source="test")
    # The same Message-ID with other bytes (another relay's headers) is the same message.
    relayed, new_relayed = intake.take(b"Received: from relay\r\n" + raw, source="test")
    assert (new, new_again, new_relayed) == (True, False, False)
    assert first.pk == again.pk == relayed.pk
    assert Inquiry.objects.count() == 1
    assert IncomingMessage.objects.get().times_seen == 3


def test_without_message_id_the_content_hash_decides(town) -> None:
    raw = samples.no_message_id()
    intake.take(raw, source="test")
    intake.take(raw, source="test")
    intake.take(raw + b"\r\nP.S. Ein ting til.\r\n", source="test")
    assert Inquiry.objects.count() == 2


def test_auto_replies_and_bounces_are_not_inquiries(town) -> None:
    for raw in (samples.out_of_office(), samples.out_of_office_english(), samples.bounce()):
        message = take(raw)
        assert message.state == State.IGNORED, message.reason
    assert Inquiry.objects.count() == 0


def test_what_cannot_be_read_is_quarantined_with_its_reason_and_raw_file(town) -> None:
    raw = b"%PDF-1.4\n" + bytes(range(256)) * 4
    message = take(raw)
    assert message.state == State.QUARANTINED
    assert message.reason_code == "not_mail" and message.reason
    assert intake.read_raw(message) == raw
    assert Inquiry.objects.count() == 0


def test_a_sender_without_address_is_quarantined(town) -> None:
    message = take(samples.plain(sender=("Kari", "ikkje-ei-adresse")))
    assert message.state == State.QUARANTINED
    assert message.reason_code in {"no_sender", "invalid"}


def test_a_quarantined_message_can_be_processed_again_after_a_fix(town, settings) -> None:
    settings.MAILROOM = {**settings.MAILROOM, "MAX_MESSAGE_BYTES": 100}
    message = take(samples.plain(message_id="<big@example.no>"))
    assert message.state == State.QUARANTINED and message.reason_code == "too_large"
    settings.MAILROOM = {**settings.MAILROOM, "MAX_MESSAGE_BYTES": 50 * 1024 * 1024}
    again = intake.reprocess(message)
    assert again.state == State.REGISTERED and again.inquiry is not None
    assert again.attempts == 2


def test_attachments_are_kept_and_a_dangerous_one_is_held_back_alone(town) -> None:
    raw = samples.plain(
        subject="Søknad om motorferdsel",
        attachments=[
            ("kart.pdf", "application/pdf", samples.pdf()),
            ("faktura.exe", "application/octet-stream", b"MZ\x90\x00" + b"\x00" * 200),
        ],
    )
    message = take(raw)
    inquiry = message.inquiry
    assert message.state == State.REGISTERED and inquiry is not None
    assert [a.original_name for a in inquiry.attachments.all()] == ["kart.pdf"]
    held = QuarantinedAttachment.objects.get()
    assert held.name == "faktura.exe" and held.inquiry is None and held.reason
    note = inquiry.events.get(kind=EventKind.NOTE)
    assert "faktura.exe" in note.text


def test_a_reply_joins_its_inquiry_and_resumes_it(town) -> None:
    first = take(samples.plain(subject="Søknad om løyve", message_id="<first@example.no>"))
    inquiry = first.inquiry
    assert inquiry is not None
    pause_for_sender(inquiry, town["front"], "Manglar kart")
    ack = OutgoingMessage.objects.get(inquiry=inquiry, kind="acknowledgement")
    reply = samples.plain(
        subject=f"SV: {ack.subject}",
        body="Her er kartet.",
        message_id="<reply@example.no>",
        in_reply_to=ack.message_id,
        references=[ack.message_id],
        attachments=[("kart.pdf", "application/pdf", samples.pdf())],
    )
    joined = take(reply)
    assert joined.state == State.JOINED and joined.inquiry_id == inquiry.pk
    inquiry.refresh_from_db()
    assert inquiry.status != Status.WAITING
    assert inquiry.events.filter(kind=EventKind.MESSAGE_RECEIVED).count() == 1
    assert inquiry.events.filter(kind=EventKind.RESUMED).count() == 1
    assert Inquiry.objects.count() == 1


def test_a_reference_in_the_subject_joins_only_from_the_same_sender(town) -> None:
    first = take(samples.plain(subject="Søknad om løyve", message_id="<f2@example.no>"))
    assert first.inquiry is not None
    ref = first.inquiry.reference
    same = take(samples.plain(subject=f"SV: {ref}", body="Eitt spørsmål til.", message_id="<s@x>"))
    other = take(
        samples.plain(
            subject=f"SV: {ref}",
            body="Eg er nokon andre.",
            sender=("Ola", "ola@example.org"),
            message_id="<o@x>",
        )
    )
    assert same.state == State.JOINED
    assert other.state == State.REGISTERED and other.inquiry_id != first.inquiry.pk


def test_flags_urgent_screening_and_external_body(town) -> None:
    urgent = take(
        samples.plain(subject="Vasslekkasje", body="Det fossar vatn frå eit rør i vegen ved brua.")
    )
    assert urgent.inquiry is not None and urgent.inquiry.urgent
    notice = OutgoingMessage.objects.get(inquiry=urgent.inquiry, kind="urgent_notice")
    assert notice.audience == "staff"
    screened = take(
        samples.plain(
            subject="Søknad om BPA",
            body="Fødselsnummeret til mor er 01010150000 og ho har diagnose demens.",
            message_id="<fnr@x>",
        )
    )
    assert screened.inquiry is not None and screened.inquiry.screening_suggested
    data = screened.inquiry.events.get(kind=EventKind.REGISTERED).data
    assert "01010150000" not in json.dumps(data)


def test_import_command_reads_a_folder_an_mbox_and_a_maildir(town, tmp_path: Path) -> None:
    folder = tmp_path / "eml"
    folder.mkdir()
    for n in range(3):
        (folder / f"{n}.eml").write_bytes(samples.plain(message_id=f"<f{n}@x>"))
    (folder / "auto.eml").write_bytes(samples.out_of_office())
    (folder / "junk.eml").write_bytes(b"\x00\x01 not mail")
    out = StringIO()
    call_command("mailroom", "import", str(folder), stdout=out, stderr=StringIO())
    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    assert summary == {"read": 5, "registered": 3, "duplicates": 0, "quarantined": 1, "ignored": 1}
    out = StringIO()
    call_command("mailroom", "import", str(folder), stdout=out, stderr=StringIO())
    assert json.loads(out.getvalue().strip().splitlines()[-1])["duplicates"] == 5

    import mailbox

    box = mailbox.mbox(str(tmp_path / "post.mbox"))
    maildir = mailbox.Maildir(str(tmp_path / "Maildir"))
    for n in range(2):
        box.add(samples.plain(message_id=f"<m{n}@x>"))
        maildir.add(samples.plain(message_id=f"<d{n}@x>"))
    box.flush()
    for path in (tmp_path / "post.mbox", tmp_path / "Maildir"):
        out = StringIO()
        call_command("mailroom", "import", str(path), stdout=out, stderr=StringIO())
        assert json.loads(out.getvalue().strip().splitlines()[-1])["registered"] == 2
    assert Inquiry.objects.count() == 7


def test_a_message_left_received_by_a_killed_run_is_processed_next_time(town) -> None:
    message, _new = intake.receive(samples.plain(message_id="<left@x>"), source="test")
    assert message.state == State.RECEIVED  # killed here: stored, not processed
    assert intake.process_waiting() == 1
    message.refresh_from_db()
    assert message.state == State.REGISTERED
    assert intake.process_waiting() == 0


def test_a_raw_file_left_half_written_by_a_killed_run_is_written_again(town) -> None:
    raw = samples.plain(message_id="<half@x>", body="Heile meldinga, med alt som høyrer til.")
    digest = hashlib.sha256(raw).hexdigest()
    name = intake._raw_name(digest, "email", "")
    # Killed while writing the file: the name exists, the bytes are cut, no row was committed.
    documents.storage().save(name, io.BytesIO(raw[: len(raw) // 2]))
    message = take(raw)
    assert message.state == State.REGISTERED
    assert intake.read_raw(message) == raw
    assert message.inquiry is not None
    assert "Heile meldinga" in message.inquiry.body


def test_a_message_that_keeps_killing_its_process_is_quarantined(town) -> None:
    message, _new = intake.receive(samples.plain(message_id="<poison@x>"), source="test")
    # Three runs died while reading it (each counted before it started).
    IncomingMessage.objects.filter(pk=message.pk).update(crashes=intake.MAX_CRASHES)
    assert intake.process_waiting() == 1
    message.refresh_from_db()
    assert message.state == State.QUARANTINED and message.reason_code == "crashed"
    assert Inquiry.objects.count() == 0
    # After a fix, the archivist sends it through again.
    assert intake.reprocess(message).state == State.REGISTERED


def test_a_bounce_of_our_acknowledgement_is_shown_on_its_inquiry(town) -> None:
    first = take(samples.plain(subject="Søknad om løyve", message_id="<b1@example.no>"))
    assert first.inquiry is not None
    ack = OutgoingMessage.objects.get(inquiry=first.inquiry, kind="acknowledgement")
    original = samples.plain(
        subject=ack.subject,
        sender=("Postmottak", "postmottak@kommune.test"),
        to=[("", "kari@example.no")],
        message_id=ack.message_id,
    )
    bounce = take(samples.bounce(original=original))
    assert bounce.state == State.IGNORED and bounce.reason_code == "bounce"
    failed = first.inquiry.events.get(kind=EventKind.MESSAGE_FAILED)
    assert failed.data["bounce"] == ack.pk
    assert "5.1.1" in failed.text and "kom i retur" in failed.text
    # A second report about the same message (another relay's, its own Message-ID) adds
    # nothing to the timeline.
    again = samples.bounce(original=original).replace(
        b"<20260310091501.ABC@mx.fjellbygd.kommune.no>", b"<second-report@mx.example>"
    )
    assert take(again).state == State.IGNORED
    assert first.inquiry.events.filter(kind=EventKind.MESSAGE_FAILED).count() == 1
    # A bounce about someone else's mail names no inquiry of ours.
    take(samples.bounce())
    assert first.inquiry.events.filter(kind=EventKind.MESSAGE_FAILED).count() == 1
