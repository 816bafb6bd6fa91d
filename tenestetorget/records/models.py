"""Noark 5 records (arkiv): the archive structure, journal posts, documents and the change log.

Class names are English (DESIGN.md); the fields that a Noark 5 export (arkivuttrekk) writes
keep their Noark names in snake_case (`saksaar`, `journalposttype`, `opprettet_dato`), so
the export maps them mechanically. `NOARK_FIELDS` on each model says which model field holds
which element of arkivstruktur.xsd v5.0; the tests check it against the schema.

Rules kept here as well as in the services, so that no code path can break them:

* systemID (`system_id`) is a UUID set once and never changed;
* an archived registrering (journalstatus A, `arkivert_dato` set) and its documents,
  document objects and correspondence parts are never changed or deleted, only annotated
  (merknad), through instances and through querysets;
* the change log (endringslogg) is append-only.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tenestetorget.core.models import Document as StoredDocument
from tenestetorget.core.models import VariantFormat
from tenestetorget.organisation.models import Unit


class ArchivedRecordError(ValidationError):
    """A change to an archived registrering or one of its parts."""

    def __init__(self) -> None:
        super().__init__(
            gettext(
                "Journalposten er arkivert og kan ikkje endrast. Du kan leggje til ein merknad."
            ),
            code="archived",
        )


class ChangeLogError(ValidationError):
    def __init__(self) -> None:
        super().__init__(
            gettext("Endringsloggen kan ikkje endrast eller slettast, berre utvidast."),
            code="change_log",
        )


class SystemIdError(ValidationError):
    def __init__(self) -> None:
        super().__init__(gettext("SystemID kan ikkje endrast."), code="system_id")


# Code lists (NOARK5.md § 1). The value stored is the API code; the label is the Nynorsk text.


class ArkivdelStatus(models.TextChoices):
    AKTIV = "A", _("Aktiv periode")
    OVERLAPPING = "O", _("Overlappingsperiode")
    AVSLUTTA = "P", _("Avslutta periode")
    UAKTUELLE = "U", _("Uaktuelle mapper")


class Saksstatus(models.TextChoices):
    UNDER_BEHANDLING = "B", _("Under behandling")
    AVSLUTTA = "A", _("Avslutta")
    UTGAAR = "U", _("Utgår")


class Journalposttype(models.TextChoices):
    INNGAAANDE = "I", _("Inngåande dokument")
    UTGAAANDE = "U", _("Utgåande dokument")
    INTERNT_MED_OPPFOELGING = "N", _("Organinternt dokument for oppfølging")
    INTERNT_UTAN_OPPFOELGING = "X", _("Organinternt dokument utan oppfølging")
    SAKSFRAMLEGG = "S", _("Saksframlegg")


class Journalstatus(models.TextChoices):
    JOURNALFOERT = "J", _("Journalført")
    EKSPEDERT = "E", _("Ekspedert")
    ARKIVERT = "A", _("Arkivert")
    UTGAAR = "U", _("Utgår")


class RegistreringKind(models.TextChoices):
    """A journalpost is journalført with numbers; an arkivnotat is a registrering without
    journal numbers (notes kept in the case but not in the journal)."""

    JOURNALPOST = "journalpost", _("Journalpost")
    ARKIVNOTAT = "arkivnotat", _("Arkivnotat")


class Dokumentstatus(models.TextChoices):
    UNDER_REDIGERING = "B", _("Under redigering")
    FERDIGSTILT = "F", _("Ferdigstilt")


class TilknyttetRegistreringSom(models.TextChoices):
    HOVUDDOKUMENT = "H", _("Hovuddokument")
    VEDLEGG = "V", _("Vedlegg")


# Noark's variantformat (M700) is one code list, kept with the document store.
Variantformat = VariantFormat


class Korrespondanseparttype(models.TextChoices):
    AVSENDAR = "EA", _("Avsendar")
    MOTTAKAR = "EM", _("Mottakar")
    KOPIMOTTAKAR = "EK", _("Kopimottakar")
    GRUPPEMOTTAKAR = "GM", _("Gruppemottakar")
    INTERN_AVSENDAR = "IA", _("Intern avsendar")
    INTERN_MOTTAKAR = "IM", _("Intern mottakar")


class SkjermingMetadata(models.TextChoices):
    """Which fields the public journal masks (M502)."""

    KLASSE_ID = "KID", _("Klasse-ID")
    KLASSE_TITTEL = "TKL", _("Tittel på klasse")
    MAPPE_TITTEL_1 = "TM1", _("Tittel på mappe, første linje")
    MAPPE_TITTEL_MEIR = "TMO", _("Tittel på mappe, meir enn første linje")
    NAMN_PARTAR = "NPS", _("Namn på partar i saka")
    REGISTRERING_TITTEL_1 = "TR1", _("Tittel på registrering, første linje")
    REGISTRERING_TITTEL_MEIR = "TRO", _("Tittel på registrering, meir enn første linje")
    NAMN_AVSENDAR = "NA", _("Namn på avsendar")
    NAMN_MOTTAKAR = "NM", _("Namn på mottakar")
    DOKUMENT_TITTEL = "TD", _("Tittel på dokument")
    MERKNAD_TEKST = "MT", _("Merknadstekst")
    MIDLERTIDIG = "M", _("Midlertidig skjerma")


class Kassasjonsvedtak(models.TextChoices):
    BEVARAST = "B", _("Bevarast")
    KASSERAST = "K", _("Kasserast")
    VURDERAST_SEINARE = "G", _("Vurderast seinare")


# Base classes


class NoarkQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        if "system_id" in kwargs:
            raise SystemIdError()
        return super().update(**kwargs)


class NoarkEntity(models.Model):
    """Every arkivenhet: systemID and who created it when (opprettetDato/-Av).

    `opprettet_av` is the name as it was, since the export needs it after the user is gone.
    """

    system_id = models.UUIDField(_("systemID"), default=uuid.uuid4, unique=True, editable=False)
    opprettet_dato = models.DateTimeField(_("oppretta"), default=timezone.now, editable=False)
    opprettet_av = models.CharField(_("oppretta av"), max_length=200)

    objects: ClassVar[Any] = NoarkQuerySet.as_manager()

    NOARK_FIELDS: ClassVar[dict[str, str]] = {
        "systemID": "system_id",
        "opprettetDato": "opprettet_dato",
        "opprettetAv": "opprettet_av",
    }

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.guard_save(self._stored(*self.stored_fields()))
        super().save(*args, **kwargs)

    def _stored(self, *fields: str) -> dict[str, Any] | None:
        if self.pk is None:
            return None
        return type(self)._base_manager.filter(pk=self.pk).values("system_id", *fields).first()

    def guard_save(self, stored: dict[str, Any] | None) -> None:
        """Refuse what may never be saved; subclasses add their own rules."""
        if stored is not None and stored["system_id"] != self.system_id:
            raise SystemIdError()

    def stored_fields(self) -> tuple[str, ...]:
        return ()


# The archive structure


class Archive(NoarkEntity):
    """Arkiv: the whole archive of the municipality (or of one body of it)."""

    tittel = models.CharField(_("tittel"), max_length=500)
    beskrivelse = models.TextField(_("skildring"), blank=True)
    avsluttet_dato = models.DateTimeField(_("avslutta"), null=True, blank=True)
    avsluttet_av = models.CharField(_("avslutta av"), max_length=200, blank=True)

    NOARK_FIELDS: ClassVar[dict[str, str]] = {
        **NoarkEntity.NOARK_FIELDS,
        "tittel": "tittel",
        "avsluttetDato": "avsluttet_dato",
        "avsluttetAv": "avsluttet_av",
        "arkivskaper": "creators",
        "arkivdel": "series",
    }

    class Meta:
        verbose_name = _("arkiv")
        verbose_name_plural = _("arkiv")

    def __str__(self) -> str:
        return self.tittel


class ArchiveCreator(models.Model):
    """Arkivskapar: the body whose archive it is (e.g. the municipality, by org. number)."""

    archive = models.ForeignKey(Archive, on_delete=models.PROTECT, related_name="creators")
    arkivskaper_id = models.CharField(_("arkivskapar-ID"), max_length=100)
    arkivskaper_navn = models.CharField(_("arkivskapar"), max_length=300)

    NOARK_FIELDS: ClassVar[dict[str, str]] = {
        "arkivskaperID": "arkivskaper_id",
        "arkivskaperNavn": "arkivskaper_navn",
    }

    class Meta:
        verbose_name = _("arkivskapar")
        verbose_name_plural = _("arkivskaparar")

    def __str__(self) -> str:
        return self.arkivskaper_navn


class ClassificationSystem(NoarkEntity):
    """Klassifikasjonssystem, e.g. KS's K-kodar, or gards- og bruksnummer as a second
    ordering value."""

    tittel = models.CharField(_("tittel"), max_length=500)
    klassifikasjonstype = models.CharField(_("klassifikasjonstype"), max_length=100, blank=True)

    NOARK_FIELDS: ClassVar[dict[str, str]] = {
        **NoarkEntity.NOARK_FIELDS,
        "tittel": "tittel",
        "klasse": "classes",
    }

    class Meta:
        verbose_name = _("klassifikasjonssystem")
        verbose_name_plural = _("klassifikasjonssystem")

    def __str__(self) -> str:
        return self.tittel


class ArchiveClass(NoarkEntity):
    """Klasse: one value of a classification system (a K-kode such as «614», or a gnr/bnr
    such as «12/34»); classes may nest."""

    classification_system = models.ForeignKey(
        ClassificationSystem, on_delete=models.PROTECT, related_name="classes"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    klasse_id = models.CharField(_("klasse-ID"), max_length=100)
    tittel = models.CharField(_("tittel"), max_length=500)

    NOARK_FIELDS: ClassVar[dict[str, str]] = {
        **NoarkEntity.NOARK_FIELDS,
        "klasseID": "klasse_id",
        "tittel": "tittel",
    }

    class Meta:
        verbose_name = _("klasse")
        verbose_name_plural = _("klassar")
        constraints = [
            models.UniqueConstraint(
                fields=["classification_system", "klasse_id"], name="records_class_id_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.klasse_id} {self.tittel}"


class Series(NoarkEntity):
    """Arkivdel: a period of the archive (e.g. 2026–2029), with its status."""

    archive = models.ForeignKey(Archive, on_delete=models.PROTECT, related_name="series")
    tittel = models.CharField(_("tittel"), max_length=500)
    arkivdelstatus = models.CharField(
        _("arkivdelstatus"), max_length=1, choices=ArkivdelStatus.choices
    )
    arkivperiode_start_dato = models.DateField(_("periode frå"), null=True, blank=True)
    arkivperiode_slutt_dato = models.DateField(_("periode til"), null=True, blank=True)
    classification_system = models.ForeignKey(
        ClassificationSystem, on_delete=models.PROTECT, null=True, blank=True
    )
    avsluttet_dato = models.DateTimeField(_("avslutta"), null=True, blank=True)
    avsluttet_av = models.CharField(_("avslutta av"), max_length=200, blank=True)

    NOARK_FIELDS: ClassVar[dict[str, str]] = {
        **NoarkEntity.NOARK_FIELDS,
        "tittel": "tittel",
        "arkivdelstatus": "arkivdelstatus",
        "avsluttetDato": "avsluttet_dato",
        "avsluttetAv": "avsluttet_av",
    }

    class Meta:
        verbose_name = _("arkivdel")
        verbose_name_plural = _("arkivdelar")

    def __str__(self) -> str:
        return self.tittel


class CaseFolder(NoarkEntity):
    """Saksmappe: a case, numbered saksår/sakssekvensnummer (mappeID «2026/123»).

    `klasse` is the primary class (a K-kode); `sekundaer_klasse` an optional second ordering
    value from another classification system, such as gnr/bnr. The unit and the responsible
    officer are kept as links and as names, since the export needs the names as they were.
    """

    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="case_folders")
    klasse = models.ForeignKey(
        ArchiveClass, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sekundaer_klasse = models.ForeignKey(
        ArchiveClass, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    mappe_id = models.CharField(_("saksnummer"), max_length=20, unique=True)
    tittel = models.CharField(_("tittel"), max_length=1000)
    offentlig_tittel = models.CharField(_("offentleg tittel"), max_length=1000, blank=True)
    saksaar = models.PositiveIntegerField(_("saksår"))
    sakssekvensnummer = models.PositiveIntegerField(_("sakssekvensnummer"))
    saksdato = models.DateField(_("saksdato"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    administrativ_enhet = models.CharField(_("administrativ eining"), max_length=200)
    saksansvarlig_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    saksansvarlig = models.CharField(_("saksansvarleg"), max_length=200)
    saksstatus = models.CharField(
        _("saksstatus"),
        max_length=1,
        choices=Saksstatus.choices,
        default=Saksstatus.UNDER_BEHANDLING,
    )
    avsluttet_dato = models.DateTimeField(_("avslutta"), null=True, blank=True)
    avsluttet_av = models.CharField(_("avslutta av"), max_length=200, blank=True)
    # The journalpostnummer last given in this case; raised by one UPDATE per registration.
    siste_journalpostnummer = models.PositiveIntegerField(default=0, editable=False)

    NOARK_FIELDS: ClassVar[dict[str, str]] = {
        **NoarkEntity.NOARK_FIELDS,
        "mappeID": "mappe_id",
        "tittel": "tittel",
        "offentligTittel": "offentlig_tittel",
        "avsluttetDato": "avsluttet_dato",
        "avsluttetAv": "avsluttet_av",
        "saksaar": "saksaar",
        "sakssekvensnummer": "sakssekvensnummer",
        "saksdato": "saksdato",
        "administrativEnhet": "administrativ_enhet",
        "saksansvarlig": "saksansvarlig",
        "saksstatus": "saksstatus",
        "referanseSekundaerKlassifikasjon": "sekundaer_klasse",
    }

    class Meta:
        verbose_name = _("saksmappe")
        verbose_name_plural = _("saksmapper")
        constraints = [
            models.UniqueConstraint(
                fields=["saksaar", "sakssekvensnummer"],
                name="records_case_number_unique",
                violation_error_message=_("Saksnummeret er alt i bruk."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.mappe_id} {self.tittel}"


# Registreringar and documents

ARCHIVED = models.Q(arkivert_dato__isnull=False)


class RegistryEntryQuerySet(NoarkQuerySet):
    def _refuse_archived(self) -> None:
        if self.filter(ARCHIVED).exists():
            raise ArchivedRecordError()

    def update(self, **kwargs: Any) -> int:
        self._refuse_archived()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._refuse_archived()
        return super().delete()


class RegistryEntry(NoarkEntity):
    """Registrering: a journalpost (with journal numbers) or an arkivnotat (without).

    registreringsID is «2026/123-4»: the case's mappeID and the journalpostnummer.
    Once archived (`arkivert_dato` set, journalstatus A) it is never changed again.
    """

    case_folder = models.ForeignKey(CaseFolder, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(
        _("type registrering"),
        max_length=12,
        choices=RegistreringKind.choices,
        default=RegistreringKind.JOURNALPOST,
    )
    registrerings_id = models.CharField(_("registrerings-ID"), max_length=30, blank=True)
    tittel = models.CharField(_("tittel"), max_length=1000)
    offentlig_tittel = models.CharField(_("offentleg tittel"), max_length=1000, blank=True)
    journalaar = models.PositiveIntegerField(_("journalår"), null=True, blank=True)
    journalsekvensnummer = models.PositiveIntegerField(
        _("journalsekvensnummer"), null=True, blank=True
    )
    journalpostnummer = models.PositiveIntegerField(_("journalpostnummer"), null=True, blank=True)
    journalposttype = models.CharField(
        _("journalposttype"), max_length=1, choices=Journalposttype.choices, blank=True
    )
    journalstatus = models.CharField(
        _("journalstatus"), max_length=1, choices=Journalstatus.choices, blank=True
    )
    journaldato = models.DateField(_("journaldato"), null=True, blank=True)
    dokumentets_dato = models.DateField(_("dokumentet sin dato"), null=True, blank=True)
    mottatt_dato = models.DateTimeField(_("motteke"), null=True, blank=True)
    sendt_dato = models.DateTimeField(_("sendt"), null=True, blank=True)
    forfallsdato = models.DateField(_("frist"), null=True, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    administrativ_enhet = models.CharField(_("administrativ eining"), max_length=200)
    saksbehandler_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    saksbehandler = models.CharField(_("sakshandsamar"), max_length=200, blank=True)
    arkivert_dato = models.DateTimeField(_("arkivert"), null=True, blank=True)
    arkivert_av = models.CharField(_("arkivert av"), max_length=200, blank=True)
    #: Written off (avskriven): the post has a WriteOff. Kept with the write-offs, never set
    #: by hand: on PostgreSQL by a trigger on the write-offs (migration 0012), on every
    #: database by WriteOff.save()/delete(); writers that insert posts and write-offs in bulk
    #: (the import, the demo, the benchmark's loader) set it on the posts they write off.
    #: It makes the restanse a partial index instead of an anti-join with every write-off.
    avskriven = models.BooleanField(_("avskriven"), default=False, db_default=False, editable=False)

    objects: ClassVar[Any] = RegistryEntryQuerySet.as_manager()

    NOARK_FIELDS: ClassVar[dict[str, str]] = {
        **NoarkEntity.NOARK_FIELDS,
        "registreringsID": "registrerings_id",
        "tittel": "tittel",
        "offentligTittel": "offentlig_tittel",
        "arkivertDato": "arkivert_dato",
        "arkivertAv": "arkivert_av",
        "journalaar": "journalaar",
        "journalsekvensnummer": "journalsekvensnummer",
        "journalpostnummer": "journalpostnummer",
        "journalposttype": "journalposttype",
        "journalstatus": "journalstatus",
        "journaldato": "journaldato",
        "dokumentetsDato": "dokumentets_dato",
        "mottattDato": "mottatt_dato",
        "sendtDato": "sendt_dato",
        "forfallsdato": "forfallsdato",
        "administrativEnhet": "administrativ_enhet",
        "saksbehandler": "saksbehandler",
        "korrespondansepart": "correspondence_parts",
        "dokumentbeskrivelse": "documents",
        "avskrivning": "write_offs",
    }

    class Meta:
        verbose_name = _("registrering")
        verbose_name_plural = _("registreringar")
        constraints = [
            models.UniqueConstraint(
                fields=["journalaar", "journalsekvensnummer"],
                name="records_journal_number_unique",
                violation_error_message=_("Journalnummeret er alt i bruk."),
            ),
            models.UniqueConstraint(
                fields=["case_folder", "journalpostnummer"],
                name="records_entry_number_unique",
                violation_error_message=_("Dokumentnummeret er alt i bruk i saka."),
            ),
            # A journalpost carries every journal field; an arkivnotat none of the numbers.
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind=RegistreringKind.JOURNALPOST,
                        journalaar__isnull=False,
                        journalsekvensnummer__isnull=False,
                        journalpostnummer__isnull=False,
                        journaldato__isnull=False,
                    )
                    & ~models.Q(journalposttype="")
                    & ~models.Q(journalstatus="")
                )
                | models.Q(
                    kind=RegistreringKind.ARKIVNOTAT,
                    journalaar__isnull=True,
                    journalsekvensnummer__isnull=True,
                ),
                name="records_entry_kind_fields",
            ),
            models.CheckConstraint(
                condition=~models.Q(journalstatus=Journalstatus.ARKIVERT)
                | models.Q(arkivert_dato__isnull=False),
                name="records_archived_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registrerings_id} {self.tittel}"

    @property
    def is_archived(self) -> bool:
        return self.arkivert_dato is not None

    def stored_fields(self) -> tuple[str, ...]:
        return ("arkivert_dato", "avskriven")

    def guard_save(self, stored: dict[str, Any] | None) -> None:
        super().guard_save(stored)
        if stored is not None and stored["arkivert_dato"] is not None:
            raise ArchivedRecordError()
        if stored is not None:
            # Only the write-offs move the flag: an instance read before a write-off must
            # not put the post back in the restanse when it is saved.
            self.avskriven = stored["avskriven"]

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        stored = self._stored("arkivert_dato")
        if stored is not None and stored["arkivert_dato"] is not None:
            raise ArchivedRecordError()
        return super().delete(*args, **kwargs)


class _PartOfEntryQuerySet(NoarkQuerySet):
    """Refuses update() and delete() over rows that belong to an archived registrering."""

    archived_lookup = "registry_entry__arkivert_dato__isnull"

    def _refuse_archived(self) -> None:
        if self.filter(**{self.archived_lookup: False}).exists():
            raise ArchivedRecordError()

    def update(self, **kwargs: Any) -> int:
        self._refuse_archived()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._refuse_archived()
        return super().delete()


class _ObjectQuerySet(_PartOfEntryQuerySet):
    archived_lookup = "document__registry_entry__arkivert_dato__isnull"


class _PartOfEntry(models.Model):
    """Rows that are part of a registrering and share its immutability once archived."""

    class Meta:
        abstract = True

    def entry_archived(self) -> bool:
        raise NotImplementedError

    def _guard(self) -> None:
        if self.entry_archived():
            raise ArchivedRecordError()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self._guard()
        return super().delete(*args, **kwargs)


def _entry_archived(entry_id: int | None) -> bool:
    return (
        entry_id is not None
        and RegistryEntry._base_manager.filter(pk=entry_id, arkivert_dato__isnull=False).exists()
    )


class CorrespondencePart(_PartOfEntry):
    """Korrespondansepart: sender, recipient, copy recipient or internal party of a post."""

    registry_entry = models.ForeignKey(
        RegistryEntry, on_delete=models.PROTECT, related_name="correspondence_parts"
    )
    korrespondanseparttype = models.CharField(
        _("type korrespondansepart"), max_length=2, choices=Korrespondanseparttype.choices
    )
    korrespondansepart_navn = models.CharField(_("namn"), max_length=300)
    postadresse = models.CharField(_("postadresse"), max_length=300, blank=True)
    postnummer = models.CharField(_("postnummer"), max_length=10, blank=True)
    poststed = models.CharField(_("poststad"), max_length=100, blank=True)
    epostadresse = models.CharField(_("e-post"), max_length=254, blank=True)
    administrativ_enhet = models.CharField(_("administrativ eining"), max_length=200, blank=True)
    saksbehandler = models.CharField(_("sakshandsamar"), max_length=200, blank=True)
    # A private person (not an organisation or a public body). Offentlegforskrifta § 6: their
    # names stop being searchable in the public journal one year after the journal date.
    # Unknown parties count as persons: the safe side for privacy.
    is_person = models.BooleanField(_("privatperson"), default=True)

    objects: ClassVar[Any] = _PartOfEntryQuerySet.as_manager()

    NOARK_FIELDS: ClassVar[dict[str, str]] = {
        "korrespondanseparttype": "korrespondanseparttype",
        "korrespondansepartNavn": "korrespondansepart_navn",
        "postadresse": "postadresse",
        "postnummer": "postnummer",
        "poststed": "poststed",
        "epostadresse": "epostadresse",
        "administrativEnhet": "administrativ_enhet",
        "saksbehandler": "saksbehandler",
    }

    class Meta:
        verbose_name = _("korrespondansepart")
        verbose_name_plural = _("korrespondansepartar")

    def __str__(self) -> str:
        return f"{self.korrespondanseparttype} {self.korrespondansepart_navn}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._guard()
        super().save(*args, **kwargs)

    def entry_archived(self) -> bool:
        return _entry_archived(self.registry_entry_id)


class DocumentDescription(NoarkEntity, _PartOfEntry):
    """Dokumentbeskrivelse: one document of a registrering, the main document (H) or an
    attachment (V), numbered 1, 2, 3 ... within it. A description belongs to one
    registrering here (Noark allows several; nothing here needs that yet)."""

    registry_entry = models.ForeignKey(
        RegistryEntry, on_delete=models.PROTECT, related_name="documents"
    )
    dokumenttype = models.CharField(_("dokumenttype"), max_length=100)
    dokumentstatus = models.CharField(
        _("dokumentstatus"),
        max_length=1,
        choices=Dokumentstatus.choices,
        default=Dokumentstatus.UNDER_REDIGERING,
    )
    tittel = models.CharField(_("tittel"), max_length=1000)
    tilknyttet_registrering_som = models.CharField(
        _("knytt til registreringa som"), max_length=1, choices=TilknyttetRegistreringSom.choices
    )
    dokumentnummer = models.PositiveIntegerField(_("dokumentnummer"))
    tilknyttet_dato = models.DateTimeField(_("knytt til"), default=timezone.now)
    tilknyttet_av = models.CharField(_("knytt til av"), max_length=200)

    objects: ClassVar[Any] = _PartOfEntryQuerySet.as_manager()

    NOARK_FIELDS: ClassVar[dict[str, str]] = {
        **NoarkEntity.NOARK_FIELDS,
        "dokumenttype": "dokumenttype",
        "dokumentstatus": "dokumentstatus",
        "tittel": "tittel",
        "tilknyttetRegistreringSom": "tilknyttet_registrering_som",
        "dokumentnummer": "dokumentnummer",
        "tilknyttetDato": "tilknyttet_dato",
        "tilknyttetAv": "tilknyttet_av",
        "dokumentobjekt": "document_objects",
    }

    class Meta:
        verbose_name = _("dokumentbeskriving")
        verbose_name_plural = _("dokumentbeskrivingar")
        constraints = [
            models.UniqueConstraint(
                fields=["registry_entry", "dokumentnummer"],
                name="records_document_number_unique",
                violation_error_message=_("Dokumentnummeret er alt i bruk i journalposten."),
            )
        ]

    def __str__(self) -> str:
        return self.tittel

    def entry_archived(self) -> bool:
        return _entry_archived(self.registry_entry_id)

    def guard_save(self, stored: dict[str, Any] | None) -> None:
        super().guard_save(stored)
        self._guard()


class DocumentObject(NoarkEntity, _PartOfEntry):
    """Dokumentobjekt: one version in one variant (P production, A archive format, O screened)
    of a document, with its PRONOM format and SHA-256 checksum. `stored_file` is the file in
    the shared document store (core.Document), whose checksum and size these copy; a record
    imported without its file has none."""

    document = models.ForeignKey(
        DocumentDescription, on_delete=models.PROTECT, related_name="document_objects"
    )
    stored_file = models.ForeignKey(
        StoredDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lagra fil"),
    )
    versjonsnummer = models.PositiveIntegerField(_("versjon"))
    variantformat = models.CharField(
        _("variantformat"), max_length=1, choices=Variantformat.choices
    )
    format = models.CharField(_("format (PRONOM)"), max_length=30)
    format_detaljer = models.CharField(_("formatdetaljar"), max_length=200, blank=True)
    referanse_dokumentfil = models.CharField(_("dokumentfil"), max_length=500)
    sjekksum = models.CharField(_("sjekksum"), max_length=64)
    sjekksum_algoritme = models.CharField(_("sjekksumalgoritme"), max_length=20, default="SHA256")
    filstoerrelse = models.PositiveBigIntegerField(_("filstorleik (byte)"))

    objects: ClassVar[Any] = _ObjectQuerySet.as_manager()

    NOARK_FIELDS: ClassVar[dict[str, str]] = {
        **NoarkEntity.NOARK_FIELDS,
        "versjonsnummer": "versjonsnummer",
        "variantformat": "variantformat",
        "format": "format",
        "formatDetaljer": "format_detaljer",
        "referanseDokumentfil": "referanse_dokumentfil",
        "sjekksum": "sjekksum",
        "sjekksumAlgoritme": "sjekksum_algoritme",
        "filstoerrelse": "filstoerrelse",
    }

    class Meta:
        verbose_name = _("dokumentobjekt")
        verbose_name_plural = _("dokumentobjekt")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "versjonsnummer", "variantformat"],
                name="records_object_version_unique",
                violation_error_message=_("Denne versjonen og varianten finst alt."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.versjonsnummer}{self.variantformat} {self.format}"

    def entry_archived(self) -> bool:
        document_id = self.document_id
        return document_id is not None and (
            DocumentDescription._base_manager.filter(
                pk=document_id, registry_entry__arkivert_dato__isnull=False
            ).exists()
        )

    def guard_save(self, stored: dict[str, Any] | None) -> None:
        super().guard_save(stored)
        self._guard()


class Avskrivningsmaate(models.TextChoices):
    """How an incoming post was written off (Noark M619)."""

    BESVART_MED_BREV = "BU", _("Besvart med brev")
    BESVART_MED_EPOST = "BE", _("Besvart med e-post")
    BESVART_PAA_TELEFON = "TLF", _("Besvart på telefon")
    TATT_TIL_ETTERRETNING = "TE", _("Teke til etterretning")
    TATT_TIL_ORIENTERING = "TO", _("Teke til orientering")


#: The ways of writing off that need the answering journal post (referanseAvskrivesAv...).
ANSWERED_IN_WRITING = (Avskrivningsmaate.BESVART_MED_BREV, Avskrivningsmaate.BESVART_MED_EPOST)


class WriteOff(_PartOfEntry):
    """Avskrivning: an incoming post (I) marked as dealt with, by an answering letter or
    e-mail (`answered_by`, an outgoing or internal post in the same case), by phone, or as
    noted. One per post here (Noark allows several; a post is out of the restanse list once
    written off, and a second write-off would say nothing new). Like the post's other parts
    it is final once the post is archived."""

    registry_entry = models.ForeignKey(
        RegistryEntry, on_delete=models.PROTECT, related_name="write_offs"
    )
    avskrivningsdato = models.DateField(_("avskrivingsdato"), default=timezone.localdate)
    avskrevet_av = models.CharField(_("avskrive av"), max_length=200)
    avskrevet_av_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    avskrivningsmaate = models.CharField(
        _("avskrivingsmåte"), max_length=3, choices=Avskrivningsmaate.choices
    )
    answered_by = models.ForeignKey(
        RegistryEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("svar"),
    )
    note = models.TextField(_("merknad"), blank=True)

    objects: ClassVar[Any] = _PartOfEntryQuerySet.as_manager()

    NOARK_FIELDS: ClassVar[dict[str, str]] = {
        "avskrivningsdato": "avskrivningsdato",
        "avskrevetAv": "avskrevet_av",
        "avskrivningsmaate": "avskrivningsmaate",
        "referanseAvskrivesAvJournalpost": "answered_by",
    }

    class Meta:
        verbose_name = _("avskriving")
        verbose_name_plural = _("avskrivingar")
        constraints = [
            models.UniqueConstraint(
                fields=["registry_entry"],
                name="records_write_off_once",
                violation_error_message=_("Journalposten er alt avskriven."),
            ),
            # An answer by letter or e-mail names the answering post; other ways none.
            models.CheckConstraint(
                condition=models.Q(
                    avskrivningsmaate__in=ANSWERED_IN_WRITING, answered_by__isnull=False
                )
                | (
                    ~models.Q(avskrivningsmaate__in=ANSWERED_IN_WRITING)
                    & models.Q(answered_by__isnull=True)
                ),
                name="records_write_off_answer",
            ),
            models.CheckConstraint(
                condition=~models.Q(answered_by=models.F("registry_entry")),
                name="records_write_off_not_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.avskrivningsmaate} {self.avskrivningsdato}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._guard()
        previous = self._stored_entry_id()
        super().save(*args, **kwargs)
        # The base manager: RegistryEntryQuerySet.update() refuses archived posts, and an
        # archived post's write-off cannot be saved anyway (the guard above).
        RegistryEntry._base_manager.filter(pk=self.registry_entry_id, avskriven=False).update(
            avskriven=True
        )
        if previous is not None and previous != self.registry_entry_id:
            _update_written_off(previous)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        deleted = super().delete(*args, **kwargs)
        _update_written_off(self.registry_entry_id)
        return deleted

    def _stored_entry_id(self) -> int | None:
        if self.pk is None:
            return None
        stored: int | None = (
            WriteOff._base_manager.filter(pk=self.pk)
            .values_list("registry_entry_id", flat=True)
            .first()
        )
        return stored

    def entry_archived(self) -> bool:
        return _entry_archived(self.registry_entry_id)


def _update_written_off(entry_id: int) -> None:
    """RegistryEntry.avskriven of a post that lost a write-off, from the write-offs left.

    WriteOff.save() and delete() keep the flag in the transaction of the change: on SQLite
    they are what keeps it; on PostgreSQL the trigger of migration 0012 has done it already
    (then nothing changes here), and covers rows written with SQL as well."""
    written_off = WriteOff._base_manager.filter(registry_entry_id=entry_id).exists()
    RegistryEntry._base_manager.filter(pk=entry_id).exclude(avskriven=written_off).update(
        avskriven=written_off
    )


# What is attached to a case, a registrering or a document


class _Attached(models.Model):
    """Attached to exactly one of: a saksmappe, a registrering, a dokumentbeskrivelse."""

    case_folder = models.ForeignKey(
        CaseFolder, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    registry_entry = models.ForeignKey(
        RegistryEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    document = models.ForeignKey(
        DocumentDescription, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    @staticmethod
    def exactly_one(name: str) -> models.CheckConstraint:
        one = [
            models.Q(case_folder__isnull=a, registry_entry__isnull=b, document__isnull=c)
            for a, b, c in [(False, True, True), (True, False, True), (True, True, False)]
        ]
        return models.CheckConstraint(condition=one[0] | one[1] | one[2], name=name)


class Annotation(_Attached):
    """Merknad: a note added to a record; the only thing that may be added once it is
    archived."""

    merknadstekst = models.TextField(_("merknad"))
    merknadstype = models.CharField(_("type merknad"), max_length=50, blank=True)
    merknadsdato = models.DateTimeField(_("dato"), default=timezone.now)
    merknad_registrert_av = models.CharField(_("registrert av"), max_length=200)

    NOARK_FIELDS: ClassVar[dict[str, str]] = {
        "merknadstekst": "merknadstekst",
        "merknadstype": "merknadstype",
        "merknadsdato": "merknadsdato",
        "merknadRegistrertAv": "merknad_registrert_av",
    }

    class Meta:
        verbose_name = _("merknad")
        verbose_name_plural = _("merknader")
        constraints = [_Attached.exactly_one("records_annotation_target")]

    def __str__(self) -> str:
        return self.merknadstekst[:50]


class Screening(_Attached):
    """Skjerming: the access restriction (tilgangsrestriksjon, e.g. «13» for offl. § 13),
    its legal basis (skjermingshjemmel, e.g. «Offl. § 13 jf. fvl. § 13») and the fields the
    public journal masks (skjermingMetadata codes)."""

    tilgangsrestriksjon = models.CharField(_("tilgangsrestriksjon"), max_length=20)
    skjermingshjemmel = models.CharField(_("skjermingsheimel"), max_length=200)
    skjerming_metadata = models.JSONField(_("skjerma felt"), default=list)
    skjermingsvarighet = models.PositiveIntegerField(_("skjerma i (år)"), null=True, blank=True)
    skjerming_opphoerer_dato = models.DateField(_("skjerminga tek slutt"), null=True, blank=True)

    NOARK_FIELDS: ClassVar[dict[str, str]] = {
        "tilgangsrestriksjon": "tilgangsrestriksjon",
        "skjermingshjemmel": "skjermingshjemmel",
        "skjermingMetadata": "skjerming_metadata",
        "skjermingsvarighet": "skjermingsvarighet",
        "skjermingOpphoererDato": "skjerming_opphoerer_dato",
    }

    class Meta:
        verbose_name = _("skjerming")
        verbose_name_plural = _("skjermingar")
        constraints = [
            _Attached.exactly_one("records_screening_target"),
            models.UniqueConstraint(fields=["case_folder"], name="records_screening_one_per_case"),
            models.UniqueConstraint(
                fields=["registry_entry"], name="records_screening_one_per_entry"
            ),
            models.UniqueConstraint(fields=["document"], name="records_screening_one_per_doc"),
        ]

    def __str__(self) -> str:
        return f"{self.tilgangsrestriksjon} {self.skjermingshjemmel}"


class AccessGrant(models.Model):
    """Access to a screened case or journal post for someone who is not its officer
    (tilgang): granted by the archivist, kept as a record of who was let in, when and why.
    Not part of the Noark export (the depot has its own access rules)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    case_folder = models.ForeignKey(
        CaseFolder, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    registry_entry = models.ForeignKey(
        RegistryEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("grunngjeving"), max_length=300)
    granted_by = models.CharField(_("gjeve av"), max_length=200)
    granted_at = models.DateTimeField(_("gjeve"), default=timezone.now)

    class Meta:
        verbose_name = _("tilgang til skjerma")
        verbose_name_plural = _("tilgangar til skjerma")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case_folder__isnull=False, registry_entry__isnull=True)
                | models.Q(case_folder__isnull=True, registry_entry__isnull=False),
                name="records_access_grant_target",
            ),
            models.UniqueConstraint(
                fields=["user", "case_folder"], name="records_access_grant_case_once"
            ),
            models.UniqueConstraint(
                fields=["user", "registry_entry"], name="records_access_grant_entry_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ({self.granted_by}, {self.granted_at:%Y-%m-%d})"


class Disposal(_Attached):
    """Kassasjon: keep (B), dispose of (K) or decide later (G), after `bevaringstid` years,
    on `kassasjonsdato`."""

    kassasjonsvedtak = models.CharField(
        _("kassasjonsvedtak"), max_length=1, choices=Kassasjonsvedtak.choices
    )
    kassasjonshjemmel = models.CharField(_("kassasjonsheimel"), max_length=200, blank=True)
    bevaringstid = models.PositiveIntegerField(_("bevaringstid (år)"))
    kassasjonsdato = models.DateField(_("kassasjonsdato"))

    NOARK_FIELDS: ClassVar[dict[str, str]] = {
        "kassasjonsvedtak": "kassasjonsvedtak",
        "kassasjonshjemmel": "kassasjonshjemmel",
        "bevaringstid": "bevaringstid",
        "kassasjonsdato": "kassasjonsdato",
    }

    class Meta:
        verbose_name = _("kassasjon")
        verbose_name_plural = _("kassasjonar")
        constraints = [
            _Attached.exactly_one("records_disposal_target"),
            models.UniqueConstraint(fields=["case_folder"], name="records_disposal_one_per_case"),
            models.UniqueConstraint(
                fields=["registry_entry"], name="records_disposal_one_per_entry"
            ),
            models.UniqueConstraint(fields=["document"], name="records_disposal_one_per_doc"),
        ]

    def __str__(self) -> str:
        return f"{self.kassasjonsvedtak} {self.kassasjonsdato}"


class CrossReference(models.Model):
    """Kryssreferanse: a reference from a case or registrering to another case or
    registrering."""

    from_case_folder = models.ForeignKey(
        CaseFolder, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_registry_entry = models.ForeignKey(
        RegistryEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_case_folder = models.ForeignKey(
        CaseFolder, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_registry_entry = models.ForeignKey(
        RegistryEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opprettet_dato = models.DateTimeField(default=timezone.now, editable=False)
    opprettet_av = models.CharField(max_length=200)

    NOARK_FIELDS: ClassVar[dict[str, str]] = {
        "referanseTilMappe": "to_case_folder",
        "referanseTilRegistrering": "to_registry_entry",
    }

    class Meta:
        verbose_name = _("kryssreferanse")
        verbose_name_plural = _("kryssreferansar")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(from_case_folder__isnull=False, from_registry_entry__isnull=True)
                | models.Q(from_case_folder__isnull=True, from_registry_entry__isnull=False),
                name="records_crossref_from_one",
            ),
            models.CheckConstraint(
                condition=models.Q(to_case_folder__isnull=False, to_registry_entry__isnull=True)
                | models.Q(to_case_folder__isnull=True, to_registry_entry__isnull=False),
                name="records_crossref_to_one",
            ),
        ]

    def __str__(self) -> str:
        return f"kryssreferanse {self.pk}"


# The change log


class ChangeLogQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise ChangeLogError()

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ChangeLogError()


class ChangeLogEntry(models.Model):
    """Endringslogg: one changed field of one record, append-only.

    `referanse_arkivenhet` is the record's systemID, `referanse_metadata` the Noark field
    name (e.g. «tittel», «journalstatus»); values are stored as text as the export writes
    them. On PostgreSQL a trigger refuses UPDATE and DELETE as well (migration 0002).
    """

    referanse_arkivenhet = models.UUIDField(_("arkiveining (systemID)"), db_index=True)
    referanse_metadata = models.CharField(_("felt"), max_length=100)
    tidligere_verdi = models.TextField(_("tidlegare verdi"), blank=True)
    ny_verdi = models.TextField(_("ny verdi"), blank=True)
    endret_dato = models.DateTimeField(_("endra"), default=timezone.now)
    endret_av = models.CharField(_("endra av"), max_length=200)
    endret_av_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[Any] = ChangeLogQuerySet.as_manager()

    NOARK_FIELDS: ClassVar[dict[str, str]] = {
        "referanseArkivenhet": "referanse_arkivenhet",
        "referanseMetadata": "referanse_metadata",
        "endretDato": "endret_dato",
        "endretAv": "endret_av",
        "tidligereVerdi": "tidligere_verdi",
        "nyVerdi": "ny_verdi",
    }

    class Meta:
        ordering = ["endret_dato", "pk"]
        verbose_name = _("endringslogg")
        verbose_name_plural = _("endringslogg")

    def __str__(self) -> str:
        return f"{self.referanse_arkivenhet} {self.referanse_metadata}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ChangeLogError()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ChangeLogError()


class RegistrationSubmission(models.Model):
    """One accepted submission of the form that registers a post by hand, keyed by the
    one-time id the rendered form carried. A double click or a resent POST finds the post it
    made instead of making a second one; the unique index (not the session) makes this hold
    when the two requests run at once. Not part of the Noark export."""

    submission_id = models.UUIDField(_("innsendings-id"), unique=True)
    registry_entry = models.OneToOneField(RegistryEntry, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("innsending frå registreringsskjemaet")
        verbose_name_plural = _("innsendingar frå registreringsskjemaet")

    def __str__(self) -> str:
        return str(self.submission_id)


# The public journal's search table lives in its own module (records.search_index); imported
# here so that Django registers it with the records app.
from tenestetorget.records.search_index import PublicJournalRow  # noqa: E402, F401
