"""The mail room's one way in, for every adapter (IMAP, files, the scan folder, uploads):

1. `receive(raw, ...)`: the raw bytes are written to storage under their SHA-256 and the
   IncomingMessage row is committed, before anything reads them. A message seen before (the
   same Message-ID, or the same content when it has none) is not stored again: its row counts
   one more sighting, and the caller may delete it from the server.
2. `process(message)`: read it, and in one transaction register it as an inquiry through
   contact's one intake (source "email"/"letter", key the message's dedupe key, so a second
   run can never register it twice), or join the open inquiry it replies to, or set it
   aside: an automatic reply is ignored, a message that cannot be read is quarantined with
   its reason. The intake never stops for one bad message.

`take(raw, ...)` does both; `process_waiting()` picks up what a killed process left received.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tenestetorget.contact import intake as contact_intake
from tenestetorget.contact import outbox
from tenestetorget.contact import services as contact_services
from tenestetorget.contact.models import OPEN_STATUSES, Inquiry, OutgoingMessage
from tenestetorget.core import documents
from tenestetorget.core.uploads import attachment_name, validate_upload
from tenestetorget.mailroom import language, parsing
from tenestetorget.mailroom.models import IncomingMessage, Kind, QuarantinedAttachment, State
from tenestetorget.organisation.models import Channel

log = logging.getLogger(__name__)

RAW_FOLDER = "mailroom"
#: Longest Message-ID used as the key itself; a longer one is keyed by its hash.
MAX_KEY_ID = 190  # the intake record's key holds 200, with the prefix
#: A reference as the acknowledgement writes it ("2026-000123"), in a reply's subject.
REFERENCE = re.compile(r"(?<![\d-])((?:19|20)\d{2}-\d{6})(?![\d-])")


@dataclass
class Summary:
    """What an import did, as the command's last line reports it."""

    read: int = 0
    registered: int = 0
    duplicates: int = 0
    quarantined: int = 0
    ignored: int = 0

    def count(self, message: IncomingMessage, new: bool) -> None:
        self.count_state(message.state, new)

    def count_state(self, state: str, new: bool) -> None:
        self.read += 1
        if not new:
            self.duplicates += 1
        elif state in (State.REGISTERED, State.JOINED):
            self.registered += 1
        elif state == State.QUARANTINED:
            self.quarantined += 1
        elif state == State.IGNORED:
            self.ignored += 1

    def as_dict(self) -> dict[str, int]:
        return {
            "read": self.read,
            "registered": self.registered,
            "duplicates": self.duplicates,
            "quarantined": self.quarantined,
            "ignored": self.ignored,
        }


# --- 1. store first ---------------------------------------------------------------------------


def _message_id(raw: bytes) -> str:
    """The Message-ID header, read from the header block alone, without the email package:
    a message too broken to parse still has its duplicate found."""
    head = raw[:65536].split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    found = re.search(rb"(?im)^message-id:[ \t]*(.*(?:\r?\n[ \t]+.*)*)", head)
    if not found:
        return ""
    value = re.sub(rb"\s+", b"", found.group(1)).decode("ascii", "replace")
    return value[:255] if len(value) > 2 else ""


def dedupe_key(raw: bytes, kind: str, digest: str) -> str:
    message_id = _message_id(raw) if kind == Kind.EMAIL else ""
    if not message_id:
        return f"sha256:{digest}"
    if len(message_id) > MAX_KEY_ID:
        return "mid-sha256:" + hashlib.sha256(message_id.encode()).hexdigest()
    return f"mid:{message_id}"


def _raw_name(digest: str, kind: str, suffix: str) -> str:
    return f"{RAW_FOLDER}/{digest[:2]}/{digest}{suffix or ('.eml' if kind == Kind.EMAIL else '')}"


def store_raw(raw: bytes, digest: str, kind: str, suffix: str = "") -> str:
    """Write the bytes under their hash (once: the same content is the same file)."""
    where = documents.storage()
    name = _raw_name(digest, kind, suffix)
    if where.exists(name) and not _holds(where, name, digest):
        # Left half-written by a process killed while writing it (the storage writes in
        # place): the row was never committed, so the file is ours to write again.
        log.warning("mail room: raw file %s was incomplete; written again", name)
        where.delete(name)
    if not where.exists(name):
        saved = where.save(name, ContentFile(raw))
        if saved != name:  # another process wrote it meanwhile under the same content
            where.delete(saved)
    return name


def _holds(where: Storage, name: str, digest: str) -> bool:
    """Whether the stored file is exactly the bytes of that hash."""
    hasher = hashlib.sha256()
    with where.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            hasher.update(chunk)
    return hasher.hexdigest() == digest


def read_raw(message: IncomingMessage) -> bytes:
    with documents.storage().open(message.raw_name, "rb") as handle:
        return bytes(handle.read())


def receive(
    raw: bytes,
    *,
    source: str,
    kind: str = Kind.EMAIL,
    source_ref: str = "",
    suffix: str = "",
    received_at: dt.datetime | None = None,
    mailbox_address: str = "",
) -> tuple[IncomingMessage, bool]:
    """Store the message before anything else; (message, new). Seen before: the earlier row,
    with one more sighting, and nothing stored."""
    digest = hashlib.sha256(raw).hexdigest()
    key = dedupe_key(raw, kind, digest)
    # No ORDER BY (the model's default ordering): one row by a unique key.
    earlier = next(iter(IncomingMessage.objects.filter(dedupe_key=key).order_by()[:1]), None)
    if earlier is not None:
        IncomingMessage.objects.filter(pk=earlier.pk).update(times_seen=F("times_seen") + 1)
        return earlier, False
    name = store_raw(raw, digest, kind, suffix)
    try:
        with transaction.atomic():
            message = IncomingMessage.objects.create(
                kind=kind,
                source=source[:80],
                source_ref=source_ref[:500],
                mailbox_address=mailbox_address[:254],
                dedupe_key=key,
                sha256=digest,
                raw_name=name,
                size=len(raw),
                message_id=key[4:] if key.startswith("mid:") else "",
                received_at=received_at or timezone.now(),
            )
    except IntegrityError:
        # The same message stored by another process between the look-up and the insert.
        earlier = IncomingMessage.objects.get(dedupe_key=key)
        return earlier, False
    return message, True


# --- 2. process -------------------------------------------------------------------------------


class Quarantine(Exception):
    """Set this message aside with a reason for the archivist."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _set(message: IncomingMessage, state: str, **fields: Any) -> IncomingMessage:
    fields.setdefault("processed_at", timezone.now())
    for name, value in {"state": state, **fields}.items():
        setattr(message, name, value)
    message.save(update_fields=list({*fields, "state", "attempts", "subject", "sender"}))
    return message


def _quarantine(message: IncomingMessage, code: str, reason: str) -> IncomingMessage:
    log.warning("mail room: message %s quarantined: %s", message.pk, code)
    return _set(message, State.QUARANTINED, reason_code=code[:40], reason=reason)


def process(message: IncomingMessage) -> IncomingMessage:
    """Register, join, ignore or quarantine one received message. Never raises for what is
    in the message; a database that is down raises, and the message stays received.

    What the mail room writes for staff (reasons, notes on the timeline) is in the site's
    language, whatever language the calling request or command runs in; what goes to the
    sender (the acknowledgement) is in the sender's, as always."""
    if message.state != State.RECEIVED:
        return message
    with translation.override(settings.LANGUAGE_CODE):
        return _process(message)


def _process(message: IncomingMessage) -> IncomingMessage:
    message.attempts += 1
    try:
        raw = read_raw(message)
    except OSError as exc:
        log.error("mail room: raw file of message %s unreadable: %s", message.pk, exc)
        with translation.override(settings.LANGUAGE_CODE):
            return _quarantine(message, "raw_missing", _("Originalfila manglar i lageret."))
    try:
        with transaction.atomic():
            # Another process (the sweep, a second adapter) may have taken it meanwhile.
            state = list(
                IncomingMessage.objects.select_for_update()
                .filter(pk=message.pk)
                .order_by()
                .values_list("state", flat=True)
            )
            if state != [State.RECEIVED]:
                return IncomingMessage.objects.filter(pk=message.pk).first() or message
            if message.kind == Kind.SCAN:
                return _register_scan(message, raw)
            return _register_email(message, raw)
    except Quarantine as exc:
        return _quarantine(message, exc.code, exc.reason)
    except parsing.Unparseable as exc:
        return _quarantine(message, exc.code, exc.reason)
    except ValidationError as exc:
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("Kunne ikkje registrerast: %(why)s") % {"why": " ".join(exc.messages)}
        return _quarantine(message, "invalid", reason)
    except Exception as exc:  # a bug must not stop the intake: this message waits, with why
        if _database_down(exc):
            raise
        log.exception("mail room: message %s failed", message.pk)
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("Uventa feil ved handsaminga (%(kind)s). Prøv på nytt etter retting.") % {
                "kind": type(exc).__name__
            }
        return _quarantine(message, "error", reason)


def _database_down(exc: Exception) -> bool:
    from django.db import InterfaceError, OperationalError

    return isinstance(exc, OperationalError | InterfaceError)


def _uploads(
    message: IncomingMessage, parts: Iterable[parsing.Part], limit: int
) -> tuple[list[UploadedFile], list[tuple[str, str]]]:
    """The attachments the inquiry may keep, and those quarantined on their own with their
    reasons (a forbidden type, too large, over the number allowed)."""
    kept: list[UploadedFile] = []
    refused: list[tuple[str, str]] = []
    for part in parts:
        name = attachment_name(part.name) or "vedlegg"
        upload = SimpleUploadedFile(name, part.data, part.content_type or "")
        reason = ""
        if len(kept) >= limit:
            reason = _("Fleire vedlegg enn %(n)s.") % {"n": limit}
        else:
            try:
                validate_upload(upload)
            except ValidationError as exc:
                reason = " ".join(exc.messages)
        if reason:
            _quarantine_attachment(message, name, part, reason)
            refused.append((name, reason))
        else:
            upload.seek(0)
            kept.append(upload)
    return kept, refused


def _quarantine_attachment(
    message: IncomingMessage, name: str, part: parsing.Part, reason: str
) -> None:
    digest = hashlib.sha256(part.data).hexdigest()
    stored = store_raw(part.data, digest, "attachment", suffix=".bin")
    QuarantinedAttachment.objects.create(
        message=message,
        name=name[:255],
        content_type=(part.content_type or "")[:100],
        size=len(part.data),
        sha256=digest,
        raw_name=stored,
        reason=reason,
    )


def _thread(parsed: parsing.ParsedMail) -> Inquiry | None:
    """The open inquiry a reply belongs to: named by its headers (a reply to one of our
    e-mails, or to the sender's own first one), or by the reference in its subject when it
    comes from the inquiry's own sender. A reference alone from someone else is not enough:
    anyone could write one into a subject."""
    ids = [i for i in (*parsed.in_reply_to, *parsed.references) if i][:50]
    if ids:
        ours = (
            OutgoingMessage.objects.filter(message_id__in=ids, inquiry__isnull=False)
            .values_list("inquiry_id", flat=True)
            .first()
        )
        if ours is not None:
            return Inquiry.objects.select_related("queue").get(pk=ours)
        theirs = Inquiry.objects.select_related("queue").filter(message_id__in=ids).first()
        if theirs is not None:
            return theirs
    found = REFERENCE.search(parsed.subject)
    if found and parsed.sender.email:
        return (
            Inquiry.objects.select_related("queue")
            .filter(reference=found.group(1), sender_email__iexact=parsed.sender.email)
            .first()
        )
    return None


_RETURNED_ID = re.compile(rb"(?im)^message-id:[ \t]*(<[^>\s]{1,250}>)")


def _returned_ids(parsed: parsing.ParsedMail) -> list[str]:
    """The Message-IDs a delivery failure report names: its own In-Reply-To/References, and
    the returned message's (or its headers') Message-ID."""
    ids = [*parsed.in_reply_to, *parsed.references]
    for part in parsed.attachments:
        if part.content_type in ("message/rfc822", "text/rfc822-headers") or part.name.endswith(
            ".eml"
        ):
            ids += [m.decode("ascii", "replace") for m in _RETURNED_ID.findall(part.data[:65536])]
    return ids


def _bounce_report(parsed: parsing.ParsedMail) -> str:
    """What the report says, for the timeline: its human part, or its status lines."""
    text = parsed.text.strip()
    for part in parsed.attachments:
        if part.content_type == "message/delivery-status" or part.name == "leveringsstatus.txt":
            lines = part.data.decode("utf-8", "replace").splitlines()
            status = [ln for ln in lines if ln.lower().startswith(("diagnostic-code", "status"))]
            if status:
                text = f"{text}\n\n" + "\n".join(status)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("E-posten kom i retur: mottakaren fekk han ikkje.")
    return f"{title}\n\n{text}".strip()


def _body(parsed: parsing.ParsedMail) -> str:
    text = parsed.text.strip()
    if parsed.calendar:
        text = f"{text}\n\n{parsed.calendar}".strip()
    if len(text) > contact_services.MAX_BODY:
        cut = _("[Teksten er kutta her. Heile meldinga ligg i postmottaket.]")
        text = text[: contact_services.MAX_BODY - len(cut) - 2] + "\n\n" + cut
    return text


def _attachments(parsed: parsing.ParsedMail) -> list[parsing.Part]:
    # A calendar invitation is summarised into the text (its .ics stays in the raw message).
    return [p for p in parsed.attachments if p.content_type != "text/calendar"]


def _register_email(message: IncomingMessage, raw: bytes) -> IncomingMessage:
    # The reasons parsing gives are for the archivist: in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        parsed = parsing.parse(raw, max_bytes=int(str(settings.MAILROOM["MAX_MESSAGE_BYTES"])))
    sender = parsed.reply_to if parsed.reply_to and parsed.reply_to.email else parsed.sender
    message.subject = parsed.subject[:300]
    message.sender = (
        f"{parsed.sender.name} <{parsed.sender.email}>" if parsed.sender.name else sender.email
    )[:300]
    if parsed.auto_reply or parsed.bounce:
        if parsed.bounce:
            # One of our e-mails did not reach its recipient: its inquiry's timeline says so.
            outbox.record_bounce(_returned_ids(parsed), _bounce_report(parsed))
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("Feilmelding om levering") if parsed.bounce else _("Automatisk svar")
        return _set(
            message,
            State.IGNORED,
            reason_code="bounce" if parsed.bounce else "auto_reply",
            reason=reason,
            subject=message.subject,
            sender=message.sender,
        )
    if not sender.email:
        with translation.override(settings.LANGUAGE_CODE):
            raise Quarantine("no_sender", _("Meldinga har inga gyldig avsendaradresse."))
    body = _body(parsed)
    thread = _thread(parsed)
    limit = settings.TENESTETORGET["MAX_ATTACHMENTS"]
    if thread is not None and thread.status in OPEN_STATUSES:
        uploads, refused = _uploads(message, _attachments(parsed), limit)
        contact_services.receive_message(
            thread,
            subject=parsed.subject,
            body=body,
            sender_email=sender.email,
            message_id=parsed.message_id,
            attachments=uploads,
        )
        _note_refused(thread, message, refused)
        return _set(
            message, State.JOINED, inquiry=thread, subject=message.subject, sender=message.sender
        )
    subject = parsed.subject or _no_subject(body)
    if thread is not None:
        # A reply to a closed inquiry is a new matter with its own promise, linked by name.
        body = _("Svar på %(ref)s, som er avslutta.") % {"ref": thread.reference} + "\n\n" + body
    uploads, refused = _uploads(message, _attachments(parsed), limit)
    recipients = [a.email for a in (*parsed.to, *parsed.cc) if a.email]
    recipients += list(parsed.delivered_to)
    if message.mailbox_address:
        recipients.append(message.mailbox_address)
    done = contact_intake.register(
        contact_intake.SourceKey(contact_intake.EMAIL, message.dedupe_key),
        # The message's own row was new: a record under its key can only exist if an
        # earlier run registered it and died before marking the row; the constraint says so.
        look_first=False,
        channel=Channel.EMAIL,
        subject=subject,
        body=body,
        sender=contact_services.SenderData(
            name=sender.name or parsed.sender.name or sender.email,
            email=sender.email,
            language=language.guess(subject, parsed.text, parsed.language_hint),
        ),
        received_at=message.received_at,
        attachments=uploads or None,
        recipients=recipients,
        message_id=parsed.message_id,
    )
    _note_refused(done.inquiry, message, refused)
    return _registered(message, done.inquiry)


def _registered(message: IncomingMessage, inquiry: Inquiry) -> IncomingMessage:
    routing = getattr(inquiry, "routing_note", None)
    if routing is None:
        # Registered by an earlier run (a replay): the proposal is on its timeline.
        data = inquiry.events.filter(kind="registered").values_list("data", flat=True).first()
        routing = data.get("routing") if isinstance(data, dict) else None
    routing = routing if isinstance(routing, dict) else {}
    return _set(
        message,
        State.REGISTERED,
        inquiry=inquiry,
        routing=routing,
        subject=message.subject or inquiry.subject,
        sender=message.sender,
    )


def _no_subject(body: str) -> str:
    first = next((line.strip() for line in body.splitlines() if line.strip()), "")
    return first[:80] or _("(utan emne)")


def _note_refused(
    inquiry: Inquiry, message: IncomingMessage, refused: Sequence[tuple[str, str]]
) -> None:
    """The inquiry's timeline says which attachments were held back, and why."""
    if not refused:
        return
    with translation.override(settings.LANGUAGE_CODE):
        lines = [_("Vedlegg halde tilbake i postmottaket (karantene):")]
        lines += [f"- {name}: {reason}" for name, reason in refused]
    contact_services.note_from_mailroom(inquiry, "\n".join(lines), message=message.pk)


def _register_scan(message: IncomingMessage, raw: bytes) -> IncomingMessage:
    from tenestetorget.mailroom import ocr

    try:
        recognised = ocr.recognise(raw, message.source_ref or "skanna.pdf")
    except ocr.OcrError as exc:
        raise Quarantine("ocr", str(exc)) from exc
    text = recognised.text.strip()
    if not text:
        with translation.override(settings.LANGUAGE_CODE):
            raise Quarantine("no_text", _("Fann ingen tekst i det skanna brevet."))
    message.subject = _no_subject(text)[:300]
    pdf = SimpleUploadedFile("skanna-brev.pdf", recognised.pdf, "application/pdf")
    done = contact_intake.register(
        contact_intake.SourceKey(contact_intake.LETTER, message.dedupe_key),
        channel=Channel.LETTER,
        subject=message.subject,
        body=text[: contact_services.MAX_BODY],
        sender=contact_services.SenderData(name=_("Ukjend avsendar (skanna brev)")),
        received_at=message.received_at,
        attachments=[pdf],
        send_acknowledgement=False,
        require_contact=False,
    )
    return _registered(message, done.inquiry)


def take(raw: bytes, **where: Any) -> tuple[IncomingMessage, bool]:
    """Store, then process: what every adapter does with one message."""
    message, new = receive(raw, **where)
    if new:
        message = process(message)
    return message, new


#: A message left `received` this many times by processes that died while reading it (a
#: parser crash that takes the process with it, memory) goes to the quarantine instead of
#: taking the next run down too.
MAX_CRASHES = 3


def process_waiting(limit: int | None = None) -> int:
    """Process what is stored but not processed: left by a process that was killed, or put
    back by an archivist. Returns how many were processed. Each try is counted (committed)
    before it starts, so a message that kills its process every time is quarantined after
    MAX_CRASHES tries instead of stopping the intake for good."""
    waiting = IncomingMessage.objects.filter(state=State.RECEIVED).order_by("id")
    done = 0
    for message in list(waiting[:limit] if limit else waiting):
        IncomingMessage.objects.filter(pk=message.pk).update(crashes=F("crashes") + 1)
        message.refresh_from_db(fields=["crashes", "state"])
        if message.state == State.RECEIVED and message.crashes > MAX_CRASHES:
            with translation.override(settings.LANGUAGE_CODE):
                reason = _(
                    "Handsaminga av meldinga stoppa %(n)s gonger utan svar. Sjå på "
                    "originalen, og prøv på nytt når feilen er retta."
                ) % {"n": message.crashes - 1}
            _quarantine(message, "crashed", reason)
        else:
            process(message)
        done += 1
    return done


def reprocess(message: IncomingMessage) -> IncomingMessage:
    """An archivist sends a quarantined message through again (after a fix)."""
    if message.state != State.QUARANTINED:
        return message
    message.state = State.RECEIVED
    message.reason_code = ""
    message.reason = ""
    message.crashes = 0
    message.save(update_fields=["state", "reason_code", "reason", "crashes"])
    return process(message)
