"""Inquiries (henvendingar): every question from every channel, in one inbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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
    name_search = models.CharField(max_length=200, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("avsendar")
        verbose_name_plural = _("avsendarar")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        # A lower-cased copy so lookup by name is an index range scan on both databases.
        self.name_search = self.name.casefold()
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
    # The promised answer date. It moves only by the rules in services: a pause for the
    # sender pushes it by the working days paused, an interim reply sets a new date.
    due_date = models.DateField(_("svarfrist"))
    original_due_date = models.DateField(_("opphavleg svarfrist"))
    interim_reply_due = models.DateField(_("førebels svar innan"), null=True, blank=True)
    interim_reply_sent_at = models.DateTimeField(null=True, blank=True)
    paused_since = models.DateTimeField(null=True, blank=True)
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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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
            models.Index(fields=["answered_at"], name="inquiry_answered"),
            # The front desk's inbox: open inquiries in its order (due date first), one page
            # at a time; INCLUDE lets the filter-button counts run as an index-only scan.
            models.Index(
                fields=["due_date", "received_at", "id"],
                include=["status", "paused_since", "assigned_to", "queue"],
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
    ATTACHMENT = "attachment", _("Vedlegg lagt til")
    MESSAGE_SENT = "message_sent", _("Melding sendt")
    MESSAGE_FAILED = "message_failed", _("Melding feila")


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
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class MessageKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("Kvittering")
    ANSWER = "answer", _("Svar")
    INTERIM_REPLY = "interim_reply", _("Førebels svar")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("I kø")
    SENT = "sent", _("Sendt")
    FAILED = "failed", _("Feila")


class OutgoingMessage(models.Model):
    """A message to the sender, stored before it is sent, so a failed send is visible."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    to_email = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    language = models.CharField(max_length=5)
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="message_status")]

    def __str__(self) -> str:
        return f"{self.kind} {self.to_email}"


class IdempotencyRecord(models.Model):
    """The first result of an API POST with an Idempotency-Key, per user."""

    key = models.CharField(max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    request_hash = models.CharField(max_length=64)
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key")]

    def __str__(self) -> str:
        return self.key
