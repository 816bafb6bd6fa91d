"""Units (einingar), queues (fagområde), staff, roles and service guarantees."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def in_language(label: _StrPromise, language: str) -> _StrPromise:
    """«namn – Bokmål»: the label of a translation of a field (a column here, an input in a
    form), with the language's own name as the language switch shows it, so that it needs
    no message of its own."""
    return format_lazy("{} – {}", label, LANGUAGE_NAMES[language])


class Channel(models.TextChoices):
    """How an inquiry reached the municipality."""

    PHONE = "phone", _("Telefon")
    COUNTER = "counter", _("Skranke")
    EMAIL = "email", _("E-post")
    WEBFORM = "webform", _("Nettskjema")
    LETTER = "letter", _("Brev")
    SOCIAL = "social", _("Sosiale medium")


class Role(models.TextChoices):
    FRONT_DESK = "front_desk", _("Tenestetorget (fyrstelina)")
    CASE_OFFICER = "case_officer", _("Sakshandsamar")
    UNIT_LEADER = "unit_leader", _("Einingsleiar")
    ARCHIVIST = "archivist", _("Arkivar")
    ADMINISTRATOR = "administrator", _("Administrator")


class Unit(models.Model):
    """Eining: an organisational unit that owns queues and staff."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("namn"), max_length=200)
    # The name in Bokmål and English; empty: the Nynorsk name is shown, marked lang="nn".
    name_nb = models.CharField(in_language(_("namn"), "nb"), max_length=200, blank=True)
    name_en = models.CharField(in_language(_("namn"), "en"), max_length=200, blank=True)
    note = models.TextField(_("merknad"), blank=True)
    # The unit's shared address: handovers to the unit (not to a named person) are announced
    # here; without one, to the unit's case officers and leader.
    email = models.EmailField(_("e-post"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("eining")
        verbose_name_plural = _("einingar")

    def __str__(self) -> str:
        return self.name


class FilingPolicy(models.TextChoices):
    """Whether the inquiries of a queue are filed in the archive (records) as journal posts."""

    ALWAYS = "always", _("Arkivera alltid")
    NEVER = "never", _("Aldri")
    CHOICE = "choice", _("Etter val")


class Queue(models.Model):
    """Fagområde / kø: where inquiries are routed and worked on."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="queues")
    name = models.CharField(_("namn"), max_length=200)
    name_nb = models.CharField(in_language(_("namn"), "nb"), max_length=200, blank=True)
    name_en = models.CharField(in_language(_("namn"), "en"), max_length=200, blank=True)
    scope = models.TextField(_("kva som høyrer til her"), blank=True)
    active = models.BooleanField(_("aktiv"), default=True)
    # always: each inquiry is filed in a new case when it is received (contact.filing);
    # never: the front desk's general questions, which the archive does not keep;
    # choice: the officer decides on the inquiry page.
    filing = models.CharField(
        _("arkivering"),
        max_length=10,
        choices=FilingPolicy.choices,
        default=FilingPolicy.CHOICE,
        db_default=FilingPolicy.CHOICE,
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("fagområde")
        verbose_name_plural = _("fagområde")

    def __str__(self) -> str:
        return self.name


class ServiceGuarantee(models.Model):
    """Tenestegaranti: a published promise for one queue and channel.

    E.g. "e-post: svar innan 2 arbeidsdagar". `interim_reply_working_days` is when a førebels
    svar (fvl. § 11a) is due if the answer cannot be given in time.
    """

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="guarantees")
    channel = models.CharField(_("kanal"), max_length=20, choices=Channel.choices)
    answer_working_days = models.PositiveSmallIntegerField(_("svar innan (arbeidsdagar)"))
    interim_reply_working_days = models.PositiveSmallIntegerField(
        _("førebels svar innan (arbeidsdagar)"), null=True, blank=True
    )
    text = models.CharField(_("publisert tekst"), max_length=300, blank=True)
    # The published text in Bokmål and English; empty: those pages and messages compose the
    # promise from the working days instead.
    text_nb = models.CharField(in_language(_("publisert tekst"), "nb"), max_length=300, blank=True)
    text_en = models.CharField(in_language(_("publisert tekst"), "en"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["queue__name", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["queue", "channel"], name="guarantee_queue_channel"),
            models.CheckConstraint(
                condition=models.Q(answer_working_days__lte=260),
                name="guarantee_within_a_year",
            ),
        ]
        verbose_name = _("tenestegaranti")
        verbose_name_plural = _("tenestegarantiar")

    def __str__(self) -> str:
        return f"{self.queue.code}/{self.channel}: {self.answer_working_days}"


class StaffProfile(models.Model):
    """A member of staff: the unit they belong to and their role."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)
    title = models.CharField(_("stilling"), max_length=200, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    language = models.CharField(_("språk"), max_length=5, choices=settings.LANGUAGES, default="nn")

    class Meta:
        verbose_name = _("tilsett")
        verbose_name_plural = _("tilsette")

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.get_username()} ({self.unit.code})"
