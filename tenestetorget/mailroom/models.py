"""What the mail room keeps: every message as it arrived, before anything else happens to it.

An IncomingMessage is written (raw bytes in the document storage under their SHA-256, the row
in its own transaction) before the message is parsed, so that nothing received is ever lost:
a message that cannot be read waits in the quarantine with its reason and its raw file, and a
process killed half-way leaves it `received`, to be processed again. Its `dedupe_key` (the
Message-ID, or the content's hash when there is none) makes a message seen twice one row.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenestetorget.contact.models import Inquiry


class Kind(models.TextChoices):
    EMAIL = "email", _("E-post")
    SCAN = "scan", _("Skanna brev")


class State(models.TextChoices):
    RECEIVED = "received", _("Motteke, ikkje handsama")
    REGISTERED = "registered", _("Registrert som henvending")
    JOINED = "joined", _("Lagt til ei henvending")
    IGNORED = "ignored", _("Automatisk svar, ikkje registrert")
    QUARANTINED = "quarantined", _("I karantene")


class IncomingMessage(models.Model):
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.EMAIL)
    # Where it came from: "imap:postmottak", "file", "folder", "upload".
    source = models.CharField(_("kjelde"), max_length=80)
    # The file name or IMAP mailbox and UID it was read from, for the archivist.
    source_ref = models.CharField(_("opphav"), max_length=500, blank=True)
    # The address of the mailbox it was fetched from: routing rules on the recipient match it
    # also when the message does not name it (Bcc, a list, a forwarding).
    mailbox_address = models.CharField(max_length=254, blank=True)
    dedupe_key = models.CharField(max_length=255, unique=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    raw_name = models.CharField(max_length=300)
    size = models.PositiveBigIntegerField()
    message_id = models.CharField(_("meldings-ID"), max_length=255, blank=True)
    # Filled when it is read, for the lists (what the archivist scans for).
    subject = models.CharField(_("emne"), max_length=300, blank=True)
    sender = models.CharField(_("avsendar"), max_length=300, blank=True)
    received_at = models.DateTimeField(_("motteke"), default=timezone.now)
    state = models.CharField(
        _("status"), max_length=20, choices=State.choices, default=State.RECEIVED
    )
    # Why it was quarantined or ignored: a stable code and a text for the archivist.
    reason_code = models.CharField(max_length=40, blank=True)
    reason = models.TextField(_("grunn"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Tries that never finished (the process died reading it), counted by process_waiting.
    crashes = models.PositiveSmallIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)
    times_seen = models.PositiveIntegerField(default=1)
    inquiry = models.ForeignKey(
        Inquiry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incoming_messages",
    )
    # The routing proposal at registration (auto, proposed, confidence, candidates), so that
    # the mail room's figures need not read the timeline.
    routing = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("innkomen melding")
        verbose_name_plural = _("innkomne meldingar")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["state", "received_at"], name="mailroom_state_received"),
            models.Index(fields=["received_at"], name="mailroom_received"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject or self.dedupe_key}"


class QuarantinedAttachment(models.Model):
    """An attachment refused on its own (a forbidden or dangerous type, too large, too many):
    kept here with its reason, out of the inquiry, while the message itself is registered."""

    message = models.ForeignKey(
        IncomingMessage, on_delete=models.CASCADE, related_name="quarantined_attachments"
    )
    inquiry = models.ForeignKey(
        Inquiry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("filnamn"), max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    raw_name = models.CharField(max_length=300)
    reason = models.TextField(_("grunn"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vedlegg i karantene")
        verbose_name_plural = _("vedlegg i karantene")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name
