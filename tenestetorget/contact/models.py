"""Inquiries (henvendingar): every question from every channel, in one inbox."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenestetorget.contact import clock
from tenestetorget.core.calendar import to_local
from tenestetorget.core.identifiers import mask_fodselsnummer
from tenestetorget.organisation.models import Channel, Queue


class SenderKind(models.TextChoices):
    RESIDENT = "resident", _("Innbyggjar")
    CABIN_OWNER = "cabin_owner", _("Hytteeigar")
    BUSINESS = "business", _("Verksemd")
    CLUB = "club", _("Lag eller organisasjon")
    PUBLIC_BODY = "public_body", _("Offentleg instans")


class Sender(models.Model):
    """Who asked: a person or an organisation. Reused across inquiries for lookup."""

    name = models.CharField(_("namn"), max_length=200)
    email = models.EmailField(_("e-post"), blank=True, db_index=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True, db_index=True)
    kind = models.CharField(
        _("type"), max_length=20, choices=SenderKind.choices, default=SenderKind.RESIDENT
    )
    is_organisation = models.BooleanField(_("organisasjon"), default=False)
    organisation_number = models.CharField(_("organisasjonsnummer"), max_length=9, blank=True)
    # Stored only when the sender gives it and the matter needs it (personopplysningslova);
    # shown masked everywhere (see masked_national_id).
    national_id = models.CharField(_("fødselsnummer"), max_length=11, blank=True)
    language = models.CharField(_("språk"), max_length=5, choices=settings.LANGUAGES, default="nn")
    # Letters are answered by post.
    postal_address = models.CharField(_("postadresse"), max_length=200, blank=True)
    postcode = models.CharField(_("postnummer"), max_length=10, blank=True)
    postal_place = models.CharField(_("poststad"), max_length=100, blank=True)
    name_search = models.CharField(max_length=200, db_index=True, editable=False)
    # The phone number in E.164 (+4796845876), so any way of typing it finds the sender.
    phone_e164 = models.CharField(max_length=20, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("avsendar")
        verbose_name_plural = _("avsendarar")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        # Derived copies for lookup (contact.senders): the lower-cased name, the number in E.164.
        self.name_search = self.name.casefold()
        from tenestetorget.contact.senders import normalise_phone

        self.phone_e164 = normalise_phone(self.phone)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def masked_national_id(self) -> str:
        return mask_fodselsnummer(self.national_id) if self.national_id else ""


class Status(models.TextChoices):
    NEW = "new", _("Ny")
    IN_PROGRESS = "in_progress", _("Under arbeid")
    WAITING = "waiting", _("Ventar på avsendar")
    FORWARDED = "forwarded", _("Vidaresendt")
    ANSWERED = "answered", _("Svart")
    CLOSED = "closed", _("Avslutta")


OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.WAITING, Status.FORWARDED)


class InquiryQuerySet(models.QuerySet["Inquiry"]):
    def overdue(self, today: dt.date | None = None) -> InquiryQuerySet:
        """Past the promised date: the one definition (contact.clock.is_overdue)."""
        return self.filter(clock.overdue_q(today or local_today()))


def local_today() -> dt.date:
    return to_local(timezone.now()).date()


class Inquiry(models.Model):
    """Henvending: one inquiry, with its reference and promised answer date."""

    reference = models.CharField(_("referanse"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    channel = models.CharField(_("kanal"), max_length=20, choices=Channel.choices)
    subject = models.CharField(_("emne"), max_length=300)
    body = models.TextField(_("tekst"), blank=True)
    language = models.CharField(_("språk"), max_length=5, default="nn")
    sender = models.ForeignKey(Sender, on_delete=models.PROTECT, related_name="inquiries")
    # The sender as given with this inquiry. The register of known senders (Sender) is a
    # look-up aid that staff update on purpose; what was given here never changes.
    sender_name = models.CharField(_("namn"), max_length=200, blank=True)
    sender_email = models.EmailField(_("e-post"), blank=True)
    sender_phone = models.CharField(_("telefon"), max_length=40, blank=True)
    sender_kind = models.CharField(
        _("type"), max_length=20, choices=SenderKind.choices, default=SenderKind.RESIDENT
    )
    sender_postal_address = models.CharField(_("postadresse"), max_length=200, blank=True)
    sender_postcode = models.CharField(_("postnummer"), max_length=10, blank=True)
    sender_postal_place = models.CharField(_("poststad"), max_length=100, blank=True)
    sender_organisation_number = models.CharField(
        _("organisasjonsnummer"), max_length=9, blank=True
    )
    # Only when the sender gives it and the matter needs it; shown masked everywhere.
    sender_national_id = models.CharField(_("fødselsnummer"), max_length=11, blank=True)
    queue = models.ForeignKey(
        Queue, on_delete=models.PROTECT, related_name="inquiries", null=True, blank=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_inquiries",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    received_at = models.DateTimeField(_("motteke"))
    # The guarantee clock (contact.clock derives these from the timeline; services store
    # them so the inboxes filter on indexed columns). original_due_date is the promise made
    # when the round began (registered or reopened); due_date is that promise extended by
    # the time spent waiting for the sender, and nothing else moves it.
    due_date = models.DateField(_("svarfrist"))
    original_due_date = models.DateField(_("opphavleg svarfrist"))
    interim_reply_due = models.DateField(_("førebels svar innan"), null=True, blank=True)
    interim_reply_sent_at = models.DateTimeField(null=True, blank=True)
    # The date an interim reply told the sender; shown beside the promise, never instead.
    interim_promised_date = models.DateField(_("lova svar innan"), null=True, blank=True)
    paused_since = models.DateTimeField(null=True, blank=True)
    # The running wait began after the promise had passed: it stays overdue while waiting.
    paused_late = models.BooleanField(default=False)
    # Working seconds of this round's finished waits that extend the promise.
    paused_seconds = models.PositiveIntegerField(default=0)
    # Whether the current round was settled by its promised date; null while open.
    guarantee_kept = models.BooleanField(_("tenestegaranti halden"), null=True, blank=True)
    answered_at = models.DateTimeField(_("svart"), null=True, blank=True)
    closed_at = models.DateTimeField(_("avslutta"), null=True, blank=True)
    first_contact_resolved = models.BooleanField(_("løyst i fyrstelina"), default=False)
    # The knowledge article the answer was based on; inquiries closed without one feed the
    # front desk's list of missing answers.
    answered_with = models.ForeignKey(
        "knowledge.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answered_inquiries",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registered_inquiries",
    )
    # The e-mail's Message-ID ("<…>") when it came by e-mail: found again by the API's
    # message_id filter, and by replies that name it.
    message_id = models.CharField(_("meldings-ID"), max_length=255, blank=True, default="")
    # Flags the intake sets from the text (routing.flags): an urgent matter notifies the queue
    # at once; a fødselsnummer or health information asks the archive to consider screening.
    urgent = models.BooleanField(_("hastar"), default=False)
    screening_suggested = models.BooleanField(_("bør vurderast skjerma"), default=False)
    # The other public body a matter for the `ekstern` queue belongs to (routing.flags code).
    external_body = models.CharField(_("anna offentleg organ"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        verbose_name = _("henvending")
        verbose_name_plural = _("henvendingar")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="inquiry_year_number"),
        ]
        indexes = [
            # The inboxes: open work by due date, per queue and per person.
            models.Index(fields=["status", "due_date"], name="inquiry_status_due"),
            models.Index(fields=["queue", "status", "due_date"], name="inquiry_queue_status_due"),
            models.Index(fields=["assigned_to", "status", "due_date"], name="inquiry_assigned"),
            models.Index(fields=["received_at"], name="inquiry_received"),
            models.Index(
                fields=["message_id"], condition=~models.Q(message_id=""), name="inquiry_message_id"
            ),
            models.Index(fields=["answered_at"], name="inquiry_answered"),
            # The front desk's inbox: open inquiries in its order (due date first), one page
            # at a time; INCLUDE lets the filter-button counts run as an index-only scan.
            models.Index(
                fields=["due_date", "received_at", "id"],
                include=["status", "paused_since", "paused_late", "assigned_to", "queue"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="inquiry_open_due",
            ),
            # "All statuses": every inquiry in the inbox's order, without sorting a million.
            models.Index(fields=["due_date", "received_at", "id"], name="inquiry_due_order"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return clock.is_overdue(
            status=self.status,
            due_date=self.due_date,
            paused_since=self.paused_since,
            paused_late=self.paused_late,
            today=today or local_today(),
        )

    @property
    def masked_sender_national_id(self) -> str:
        return mask_fodselsnummer(self.sender_national_id) if self.sender_national_id else ""


class GuaranteeOutcome(models.Model):
    """One settled round of an inquiry's guarantee: the figures "guarantees kept" count.

    Written when a round is answered or closed and never changed, so reopening and answering
    again cannot turn a late round into a kept one."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="outcomes")
    queue = models.ForeignKey(
        Queue, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    round_started_at = models.DateTimeField()
    original_due_date = models.DateField()
    due_date = models.DateField()
    settled_at = models.DateTimeField()
    kept = models.BooleanField()
    # An interim reply went out on or before the promised date.
    interim_in_time = models.BooleanField(default=False)
    first_contact = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["due_date", "queue"], name="outcome_due_queue")]

    def __str__(self) -> str:
        return f"{self.inquiry_id} {self.due_date} {'kept' if self.kept else 'late'}"


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("Registrert")
    ROUTED = "routed", _("Fordelt")
    FORWARDED = "forwarded", _("Vidaresendt")
    ACKNOWLEDGED = "acknowledged", _("Motteke av mottakar")
    HANDOVER_OVERDUE = "handover_overdue", _("Ikkje stadfesta motteke i tide")
    TAKEN = "taken", _("Teken")
    NOTE = "note", _("Intern merknad")
    PAUSED = "paused", _("Ventar på avsendar")
    RESUMED = "resumed", _("Vidare arbeid")
    INTERIM_REPLY = "interim_reply", _("Førebels svar sendt")
    ANSWERED = "answered", _("Svar sendt")
    CLOSED = "closed", _("Avslutta")
    REOPENED = "reopened", _("Opna att")
    MESSAGE_RECEIVED = "message_received", _("Melding motteke")
    ATTACHMENT = "attachment", _("Vedlegg lagt til")
    MESSAGE_SENT = "message_sent", _("Melding sendt")
    MESSAGE_FAILED = "message_failed", _("Melding feila")
    FILED = "filed", _("Arkivert")
    FILING_FAILED = "filing_failed", _("Arkivering feila")


class InquiryEvent(models.Model):
    """One line of the timeline: who did what, when. Append-only."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    at = models.DateTimeField(db_index=True)
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["inquiry", "at"], name="event_inquiry_at")]

    def __str__(self) -> str:
        return f"{self.inquiry_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise RuntimeError("The timeline is append-only; events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise RuntimeError("The timeline is append-only; events are never deleted")


class Handover(models.Model):
    """A forwarding to another queue or a named person, waiting for the receiver's
    acknowledgement, so nothing falls between two units."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="handovers")
    from_queue = models.ForeignKey(
        Queue, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="+")
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handovers_received",
    )
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(acknowledged_at__isnull=True),
                name="handover_unacknowledged",
            )
        ]

    def __str__(self) -> str:
        return f"{self.inquiry_id} -> {self.to_queue_id}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"inquiries/{instance.inquiry.year}/{instance.inquiry.reference}/{filename}"


class Attachment(models.Model):
    """A file that came with an inquiry or was added to it. The file is a core.Document in the
    one document store (docs/documents.md), read back checked against its checksum."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="attachments")
    # The file: empty only for an attachment whose old file was missing when the files were
    # moved into the store (migration 0008).
    stored_file = models.ForeignKey(
        "core.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inquiry_attachments",
    )
    # Where the file was kept before the document store; the migration copied it from here.
    # Kept for one release so that nothing is lost, then removed with the old files.
    file = models.FileField(upload_to=attachment_path, max_length=300, blank=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class FilingDirection(models.TextChoices):
    INCOMING = "incoming", _("Inngåande")
    OUTGOING = "outgoing", _("Utgåande")


class InquiryFiling(models.Model):
    """An inquiry filed in the archive (records): the incoming journal post it became, and
    each answer's outgoing post (or the note of a phone answer). contact.filing writes them;
    records knows them only through the source links (records.links)."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.PROTECT, related_name="filings")
    registry_entry = models.OneToOneField(
        "records.RegistryEntry", on_delete=models.PROTECT, related_name="inquiry_filing"
    )
    direction = models.CharField(max_length=10, choices=FilingDirection.choices)
    created_at = models.DateTimeField(default=timezone.now)
    # The member of staff who filed it, or the filing robot (contact.filing.system_actor).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("arkivering")
        verbose_name_plural = _("arkiveringar")
        constraints = [
            # An inquiry is filed once; its answers may be several (reopened and answered).
            models.UniqueConstraint(
                fields=["inquiry"],
                condition=models.Q(direction="incoming"),
                name="inquiry_filed_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.inquiry_id} {self.direction} {self.registry_entry_id}"


class Audience(models.TextChoices):
    """Who an outgoing message is for: the sender of an inquiry, or staff (a notice)."""

    SENDER = "sender", _("Avsendar")
    STAFF = "staff", _("Tilsette")


class MessageKind(models.TextChoices):
    """The kinds of message to a sender."""

    ACKNOWLEDGEMENT = "acknowledgement", _("Kvittering")
    ANSWER = "answer", _("Svar")
    INTERIM_REPLY = "interim_reply", _("Førebels svar")
    MISSING_INFORMATION = "missing_information", _("Manglande opplysningar")
    # Messages about a booking (booking.notices): no inquiry; `data` names the booking.
    BOOKING_CONFIRMATION = "booking_confirmation", _("Stadfesting av booking")
    BOOKING_RECEIVED = "booking_received", _("Booking motteken")
    BOOKING_CANCELLED = "booking_cancelled", _("Avbestilling")
    BOOKING_DENIED = "booking_denied", _("Booking avslått")
    BOOKING_ARRIVAL = "booking_arrival", _("Informasjon før ankomst")
    BOOKING_THANKS = "booking_thanks", _("Takk for besøket")
    BOOKING_MESSAGE = "booking_message", _("Melding om booking")
    LOTTERY = "lottery", _("Trekning")
    TRIAL_HOUSING = "trial_housing", _("Prøvebustad")


#: The messages about an inquiry, rendered from contact/messages/<kind>.<language>.txt; the
#: other kinds are booking's (booking.notices writes them).
INQUIRY_MESSAGE_KINDS = (
    MessageKind.ACKNOWLEDGEMENT,
    MessageKind.ANSWER,
    MessageKind.INTERIM_REPLY,
    MessageKind.MISSING_INFORMATION,
)


class NoticeKind(models.TextChoices):
    """The kinds of notice to staff (contact.notifications), in the outbox beside them."""

    HANDOVER = "handover_notice", _("Varsel om vidaresending")
    HANDOVER_OVERDUE = "handover_overdue", _("Varsel om vidaresending som ikkje er stadfesta")
    URGENT = "urgent_notice", _("Varsel om hastesak")


class MessageStatus(models.TextChoices):
    """Where a message is on its way out (contact.outbox moves it on):
    queued → sending → sent, or → retry → sending … → failed after the last attempt;
    withdrawn when a notice is no longer true before it went out."""

    QUEUED = "queued", _("I kø")
    SENDING = "sending", _("Blir sendt")
    RETRY = "retry", _("Prøver på nytt")
    SENT = "sent", _("Sendt")
    FAILED = "failed", _("Feila")
    WITHDRAWN = "withdrawn", _("Ikkje sendt: ikkje lenger aktuell")


#: Not sent and still to be tried: a worker takes such a message once its time has come.
PENDING_MESSAGE_STATUSES = (MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.RETRY)


class OutgoingMessage(models.Model):
    """One e-mail from Tenestetorget (utboks): to the sender of an inquiry, or a notice to
    staff. Stored before it is sent, with its own Message-ID, and delivered at least once by
    contact.outbox; the row, not the background task, is the truth about it."""

    audience = models.CharField(
        max_length=10, choices=Audience.choices, default=Audience.SENDER, db_default="sender"
    )
    # The inquiry it is about; none for a notice about several (and, later, other matters).
    inquiry = models.ForeignKey(
        Inquiry, on_delete=models.CASCADE, related_name="messages", null=True, blank=True
    )
    kind = models.CharField(max_length=30, choices=MessageKind.choices + NoticeKind.choices)
    # One address, or several separated by ", " (a notice to the staff of a unit goes out as
    # one e-mail to all of them, as one SMTP transaction with one Message-ID).
    to_email = models.TextField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    language = models.CharField(max_length=5)
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    # The last attempt's error; kept while the message is retried and when it has failed.
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # "<…@domain>", made once when the message is stored and sent with every attempt, so a
    # second delivery after an uncertain outcome is recognisably the same message. Empty only
    # on messages sent before the outbox had them.
    message_id = models.CharField(max_length=255, blank=True, default="", db_default="")
    # When a worker may take it next: for queued and retry the time of the next attempt; for
    # sending the end of the lease of the worker that took it (after that it is presumed
    # dead and another worker sends it again). Null once sent, failed or withdrawn.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # What a notice is about, e.g. {"notice": "handover", "handover": 12}.
    data = models.JSONField(default=dict, blank=True, db_default={})
    # Small files sent with it, as they were made (a calendar file): a list of
    # {"filename", "content_type", "content"} with the content as text.
    attachments = models.JSONField(default=list, blank=True, db_default=[])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="message_status"),
            # What the sweep looks for: pending messages whose time has come.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status__in=PENDING_MESSAGE_STATUSES),
                name="message_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.to_email}"

    @property
    def recipients(self) -> list[str]:
        return [address for address in (a.strip() for a in self.to_email.split(",")) if address]


class IntakeRecord(models.Model):
    """The one idempotency record of every intake (contact.intake): which inquiry a source's
    key produced. A source is the adapter and, where keys are chosen by a client, who chose
    it: "api:<user id>" (Idempotency-Key), "webform" (the rendered form's one-time id),
    "phone:<user id>" (the phone note's), "email" (Message-ID or content hash) and "letter"
    (the scan's hash). The unique (source, key) makes "at most once" hold across processes
    and under concurrent requests; the record is written in the inquiry's transaction."""

    source = models.CharField(max_length=60)
    key = models.CharField(max_length=200)
    # What the request meant (api.idempotency.fingerprint); empty where the key alone decides.
    request_hash = models.CharField(max_length=64, blank=True, default="")
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="intake_records")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "key"], name="intake_source_key")]

    def __str__(self) -> str:
        return f"{self.source}:{self.key}"
