"""Utleige: the municipality's bookable things (mountain cabins, the multimedia room, the
study centre's rooms, trial housing), their rules and prices, the bookings, the lotteries for
peak weeks and the applications for trial housing.

A booking holds its period from `start` to `hold_until` (its end plus the resource's buffer
for cleaning); no two active bookings of one resource may hold overlapping periods. That is
the database's promise, not the code's: an exclusion constraint on PostgreSQL (migration
0002), and on SQLite a check inside a transaction that SQLite runs one writer at a time
(`transaction_mode=IMMEDIATE`), see booking.services.book."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tenestetorget.organisation.models import Unit, in_language


class ResourceKind(models.TextChoices):
    CABIN = "cabin", _("Høgfjellshytte")
    ROOM = "room", _("Møterom")
    STUDY_ROOM = "study_room", _("Rom på studiesenteret")
    TRIAL_HOUSING = "trial_housing", _("Prøvebustad")


class BookerKind(models.TextChoices):
    RESIDENT = "resident", _("Innbyggjar")
    NON_RESIDENT = "non_resident", _("Ikkje innbyggjar")
    CLUB = "club", _("Lag og foreining")
    BUSINESS = "business", _("Verksemd")
    STUDENT = "student", _("Student")


class BookingUnit(models.TextChoices):
    """What a booking is counted in."""

    HOUR = "hour", _("Time")
    NIGHT = "night", _("Døgn")
    WEEK = "week", _("Veke")
    MONTH = "month", _("Månad")


class Resource(models.Model):
    """Something the municipality lends or lets (utleigeobjekt)."""

    slug = models.SlugField(_("kode"), max_length=60, unique=True)
    kind = models.CharField(_("slag"), max_length=20, choices=ResourceKind.choices)
    name = models.CharField(_("namn"), max_length=200)
    name_nb = models.CharField(in_language(_("namn"), "nb"), max_length=200, blank=True)
    name_en = models.CharField(in_language(_("namn"), "en"), max_length=200, blank=True)
    description = models.TextField(_("skildring"), blank=True)
    description_nb = models.TextField(in_language(_("skildring"), "nb"), blank=True)
    description_en = models.TextField(in_language(_("skildring"), "en"), blank=True)
    location = models.CharField(_("stad"), max_length=300, blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(_("plassar"), default=1)
    equipment = models.TextField(_("utstyr"), blank=True)
    terms = models.TextField(_("vilkår for bruk"), blank=True)
    # What the guest is sent before arrival (key, road, parking), not shown on public pages.
    arrival_info = models.TextField(_("informasjon før ankomst"), blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="resources")
    active = models.BooleanField(_("aktiv"), default=True)

    # --- rules -------------------------------------------------------------------------------
    booking_unit = models.CharField(
        _("leigeeining"), max_length=10, choices=BookingUnit.choices, default=BookingUnit.NIGHT
    )
    # For whole weeks: the weekday a week starts and ends (0 Monday … 6 Sunday).
    changeover_weekday = models.PositiveSmallIntegerField(_("byttedag"), null=True, blank=True)
    min_units = models.PositiveSmallIntegerField(_("minste leige (einingar)"), default=1)
    max_units = models.PositiveSmallIntegerField(_("lengste leige (einingar)"), default=7)
    # How far ahead a booking may start, in days, for residents and for everyone else; the
    # others' window shorter gives «residents first, others later».
    days_ahead_residents = models.PositiveSmallIntegerField(
        _("kor langt fram (innbyggjarar, dagar)"), default=365
    )
    days_ahead_others = models.PositiveSmallIntegerField(
        _("kor langt fram (andre, dagar)"), default=365
    )
    # The earliest start, in hours from now («from tomorrow» is the next day's opening).
    notice_hours = models.PositiveSmallIntegerField(_("varsel (timar)"), default=0)
    bookable_from_tomorrow = models.BooleanField(_("kan bookast frå i morgon"), default=False)
    # Who may book: a list of BookerKind values.
    eligible = models.JSONField(_("kven kan leige"), default=list)
    # Bookings a household may hold that start in one season (calendar year); 0: no limit.
    per_household_per_season = models.PositiveSmallIntegerField(
        _("bookingar per husstand per år"), default=0
    )
    buffer_minutes = models.PositiveIntegerField(_("tid til reinhald (minutt)"), default=0)
    needs_approval = models.BooleanField(_("må godkjennast"), default=False)
    deposit = models.DecimalField(_("depositum"), max_digits=10, decimal_places=2, default=0)
    # Cancelled at least this many days before the start: no charge.
    free_cancellation_days = models.PositiveSmallIntegerField(
        _("gratis avbestilling (dagar før)"), default=7
    )
    # Check-in and check-out for nights, weeks and months; opening hours for hours.
    check_in = models.TimeField(_("innsjekk / opnar"), default="15:00")
    check_out = models.TimeField(_("utsjekk / stenger"), default="12:00")
    # For hours: the weekdays it is open (0 Monday … 6 Sunday).
    open_weekdays = models.JSONField(_("opne vekedagar"), default=list, blank=True)
    # Days before arrival the key and arrival information are sent.
    arrival_notice_days = models.PositiveSmallIntegerField(
        _("sende nøkkelinfo (dagar før)"), default=3
    )
    # Lock row: SQLite and PostgreSQL both serialise bookings of one resource through it.
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("utleigeobjekt")
        verbose_name_plural = _("utleigeobjekt")

    def __str__(self) -> str:
        return self.name

    def in_language(self, field: str = "name", language: str | None = None) -> str:
        """The Nynorsk text (`name`, `description`), or its translation (`name_nb`,
        `description_en`) in that language (the active one by default) where one is filled
        in: what every page, e-mail and API answer shows."""
        language = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
        if language != settings.LANGUAGE_CODE:
            translated = getattr(self, f"{field}_{language}", "")
            if translated:
                return str(translated)
        return str(getattr(self, field))


class ResourceImage(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="images")
    image = models.FileField(_("bilete"), upload_to="booking/images/")
    alt = models.CharField(_("alternativ tekst"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.alt


class ClosedDay(models.Model):
    """An exception day (jul, påske): the resource (or all, when empty) is closed."""

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="closed_days", null=True, blank=True
    )
    date = models.DateField(_("dato"))
    reason = models.CharField(_("grunn"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        indexes = [models.Index(fields=["date"], name="booking_closed_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.reason}"


class Price(models.Model):
    """What one booking unit costs a kind of booker, from a date (prisliste)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="prices")
    booker_kind = models.CharField(_("leigetakar"), max_length=20, choices=BookerKind.choices)
    valid_from = models.DateField(_("gjeld frå"))
    amount = models.DecimalField(_("pris per eining"), max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["resource", "booker_kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "booker_kind", "valid_from"], name="booking_price_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.booker_kind} {self.amount} ({self.valid_from})"


class Resident(models.Model):
    """One person in the resident register the municipality imports (folkeregister extract).
    The fødselsnummer is not stored: only its keyed hash, to recognise it when given."""

    national_id_hash = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    household = models.CharField(_("husstand"), max_length=100)
    address = models.CharField(max_length=300, blank=True)
    imported_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["household"], name="booking_resident_household")]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    PENDING = "pending", _("Ventar på godkjenning")
    CONFIRMED = "confirmed", _("Stadfesta")
    CANCELLED = "cancelled", _("Avbestilt")
    DENIED = "denied", _("Avslått")
    BLOCKED = "blocked", _("Sperra")


#: The statuses that hold the period.
HOLDING = (Status.PENDING, Status.CONFIRMED, Status.BLOCKED)


class Series(models.Model):
    """Recurring bookings (a club every Tuesday this autumn), changed or cancelled as one."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="series")
    weekday = models.PositiveSmallIntegerField()
    start_time = models.TimeField()
    end_time = models.TimeField()
    first_date = models.DateField()
    last_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.resource_id} {self.first_date}–{self.last_date}"


class Booking(models.Model):
    """One booking (or a block for maintenance: status blocked, no booker)."""

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="bookings")
    start = models.DateTimeField(_("frå"))
    end = models.DateTimeField(_("til"))
    # end + the resource's buffer: what the exclusion constraint compares.
    hold_until = models.DateTimeField()
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    booker_name = models.CharField(_("namn"), max_length=200, blank=True)
    booker_email = models.EmailField(_("e-post"), blank=True)
    booker_phone = models.CharField(_("telefon"), max_length=40, blank=True)
    booker_kind = models.CharField(
        _("leigetakar"), max_length=20, choices=BookerKind.choices, blank=True
    )
    organisation = models.CharField(_("verksemd eller lag"), max_length=200, blank=True)
    household = models.CharField(max_length=100, blank=True, db_index=True)
    # Why a booker who is not in the register counts as a resident (staff's override).
    residency_override = models.CharField(max_length=300, blank=True)
    units = models.PositiveSmallIntegerField(default=1)
    price = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    deposit = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    language = models.CharField(max_length=5, default="nn")
    note = models.TextField(_("merknad"), blank=True)
    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, null=True, blank=True, related_name="bookings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    arrival_sent_at = models.DateTimeField(null=True, blank=True)
    ended_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start", "id"]
        indexes = [
            models.Index(fields=["resource", "start"], name="booking_resource_start"),
            models.Index(fields=["booker_email"], name="booking_email"),
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.start:%Y-%m-%d}"


class BookingEvent(models.Model):
    """What happened to a booking (append-only): created, approved, cancelled, stay_ended …
    The user survey (a later issue) reads stay_ended from here."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30)
    data = models.JSONField(default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class BookerLink(models.Model):
    """The secret link in every booking e-mail to «mine bookingar» for that address."""

    email = models.EmailField(unique=True)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.email


# --- peak weeks by lottery (trekning) ---------------------------------------------------------


class Lottery(models.Model):
    """A draw for weeks in demand (vinterferie, påske, jakt): applications open for a period,
    then a seeded, reproducible draw allocates the periods; winners confirm by a deadline,
    or the waiting list moves up."""

    name = models.CharField(_("namn"), max_length=200)
    opens_at = models.DateTimeField(_("søknad opnar"))
    closes_at = models.DateTimeField(_("søknadsfrist"))
    # Winners who have not confirmed this many days after the draw (or after being offered a
    # place from the waiting list) lose it to the next.
    confirm_days = models.PositiveSmallIntegerField(_("frist for stadfesting (dagar)"), default=7)
    wins_per_household = models.PositiveSmallIntegerField(_("periodar per husstand"), default=1)
    # Households that lost every wish in the previous draw of the same name go first.
    priority_to_last_losers = models.BooleanField(
        _("førerett for dei som tapte i fjor"), default=False
    )
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next"
    )
    seed = models.CharField(max_length=64, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)
    # The entrants as the draw saw them, and the order it drew (for staff to check).
    protocol = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-closes_at"]

    def __str__(self) -> str:
        return self.name


class LotteryPeriod(models.Model):
    lottery = models.ForeignKey(Lottery, on_delete=models.CASCADE, related_name="periods")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT)
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        ordering = ["start", "resource_id", "id"]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.start:%Y-%m-%d}"


class EntryStatus(models.TextChoices):
    ENTERED = "entered", _("Påmeld")
    WON = "won", _("Vunne, ventar på stadfesting")
    CONFIRMED = "confirmed", _("Stadfesta")
    LOST = "lost", _("Ikkje trekt ut")
    EXPIRED = "expired", _("Fristen gjekk ut")
    WITHDRAWN = "withdrawn", _("Trekt")


class LotteryEntry(models.Model):
    lottery = models.ForeignKey(Lottery, on_delete=models.CASCADE, related_name="entries")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    household = models.CharField(max_length=100)
    language = models.CharField(max_length=5, default="nn")
    # The periods wished for, best first (LotteryPeriod ids).
    wishes = models.JSONField(default=list)
    status = models.CharField(max_length=12, choices=EntryStatus.choices, default="entered")
    # The period won or offered, the confirmation deadline, and the booking once confirmed.
    period = models.ForeignKey(
        LotteryPeriod, on_delete=models.SET_NULL, null=True, blank=True, related_name="winners"
    )
    confirm_by = models.DateTimeField(null=True, blank=True)
    booking = models.ForeignKey(Booking, on_delete=models.SET_NULL, null=True, blank=True)
    # Place in the draw's order (1 = drawn first); the waiting list follows it.
    position = models.PositiveIntegerField(null=True, blank=True)
    entered_at = models.DateTimeField()

    class Meta:
        ordering = ["lottery", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["lottery", "household"], name="lottery_household_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"


# --- trial housing (prøvebustad) ---------------------------------------------------------------


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", _("Motteken")
    APPROVED = "approved", _("Godkjend")
    DENIED = "denied", _("Avslått")
    IN_STAY = "in_stay", _("Bur i prøvebustaden")
    FINISHED = "finished", _("Avslutta")
    WITHDRAWN = "withdrawn", _("Trekt")


class MovedHere(models.TextChoices):
    UNKNOWN = "unknown", _("Ikkje kjent enno")
    YES = "yes", _("Flytta hit")
    NO = "no", _("Flytta ikkje hit")


class TrialHousingApplication(models.Model):
    """A household's application to live in the trial housing for a while before deciding
    to move (prøvebustad): applied for and assessed, not booked."""

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="applications")
    name = models.CharField(_("namn"), max_length=200)
    email = models.EmailField(_("e-post"))
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    household = models.TextField(_("kven er i husstanden"))
    reason = models.TextField(_("kvifor de vurderer å flytte hit"))
    wanted_from = models.DateField(_("ønskt frå"))
    wanted_months = models.PositiveSmallIntegerField(_("kor mange månader"), default=3)
    language = models.CharField(max_length=5, default="nn")
    status = models.CharField(max_length=12, choices=ApplicationStatus.choices, default="received")
    assessment = models.TextField(_("vurdering"), blank=True)
    contract_start = models.DateField(_("kontrakt frå"), null=True, blank=True)
    contract_end = models.DateField(_("kontrakt til"), null=True, blank=True)
    monthly_rent = models.DecimalField(
        _("husleige per månad"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    booking = models.ForeignKey(Booking, on_delete=models.SET_NULL, null=True, blank=True)
    follow_up_on = models.DateField(_("følgjast opp"), null=True, blank=True)
    moved_here = models.CharField(
        _("flytta hit?"), max_length=10, choices=MovedHere.choices, default="unknown"
    )
    follow_up_note = models.TextField(_("oppfølging"), blank=True)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"
