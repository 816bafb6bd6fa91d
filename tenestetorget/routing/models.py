"""Routing rules: where the municipality wants certainty, a rule wins over the classifier."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenestetorget.organisation.models import Queue


class RuleField(models.TextChoices):
    SENDER_DOMAIN = "sender_domain", _("Avsendaren sitt domene")
    RECIPIENT = "recipient", _("Mottakaradresse")
    SUBJECT_WORDS = "subject_words", _("Ord i emnet")


class RoutingRule(models.Model):
    """«Mail from @vegvesen.no goes to ekstern», «mail to byggesak@ goes to byggjesak»,
    «a subject with 'innsynskrav' goes to innsyn». The rules are tried in `position` order;
    the first that matches decides, before the classifier is asked (routing.rules)."""

    position = models.PositiveIntegerField(_("rekkjefølgje"), default=100)
    field = models.CharField(_("ser på"), max_length=20, choices=RuleField.choices)
    pattern = models.CharField(
        _("verdi"),
        max_length=200,
        help_text=_(
            "Domene (vegvesen.no, også underdomene), heil e-postadresse til mottakaren, "
            "eller ord i emnet (alle orda må vere med, store og små bokstavar er like)."
        ),
    )
    queue = models.ForeignKey(
        Queue, on_delete=models.PROTECT, related_name="routing_rules", verbose_name=_("fagområde")
    )
    note = models.CharField(_("merknad"), max_length=200, blank=True)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("rutingsregel")
        verbose_name_plural = _("rutingsreglar")

    def __str__(self) -> str:
        return f"{self.get_field_display()}: {self.pattern} → {self.queue.code}"

    def clean(self) -> None:
        pattern = self.pattern.strip()
        if not pattern:
            raise ValidationError({"pattern": _("Skriv ein verdi.")})
        if self.field == RuleField.RECIPIENT and "@" not in pattern:
            raise ValidationError({"pattern": _("Skriv heile e-postadressa, med @.")})
        if self.field == RuleField.SENDER_DOMAIN and ("@" in pattern or "." not in pattern):
            raise ValidationError({"pattern": _("Skriv domenet utan @, til dømes vegvesen.no.")})
        self.pattern = pattern.lower()
