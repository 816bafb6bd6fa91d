"""The portal keeps no domain data; only what the public pages need to behave well."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenestetorget.contact.models import Inquiry


class ContactSubmission(models.Model):
    """One accepted submission of the public contact form, keyed by the one-time id the
    rendered form carried. A double click or a resent POST with the same id finds the inquiry
    it already created instead of creating a second one. The unique index (not a cache) makes
    this hold across processes and under concurrent requests."""

    submission_id = models.UUIDField(_("innsendings-id"), unique=True)
    inquiry = models.OneToOneField(
        Inquiry, on_delete=models.CASCADE, related_name="contact_submission"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("innsending frå kontaktskjemaet")
        verbose_name_plural = _("innsendingar frå kontaktskjemaet")

    def __str__(self) -> str:
        return str(self.submission_id)
