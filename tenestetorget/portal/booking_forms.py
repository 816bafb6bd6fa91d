"""Forms of the public booking pages (utleige): what a person types, parsed into the plain
values booking.services.book, booking.lottery.enter and booking.trial_housing.apply take.

The rules live in the booking app. The forms check only what a field can know by itself
(a date is a date, the terms are accepted, a fødselsnummer has valid check digits) so that
such mistakes are shown at once; everything else is the service's refusal, put back next to
the field it is about (`add_refusal`).

The fødselsnummer is never written back into a page: its widget renders without a value,
whatever the form holds, so a page shown again after a mistake does not carry it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.no import fodselsnummer

from tenestetorget.booking.models import BookerKind, BookingUnit, LotteryPeriod, Resource
from tenestetorget.booking.rules import BookingRefused, span_for_dates, weekday_name
from tenestetorget.booking.services import Booker
from tenestetorget.core.calendar import OSLO
from tenestetorget.portal.forms import MAX_EMAIL, MAX_NAME, MAX_PHONE, OneLineField

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"]
DATE_MESSAGE = _("Skriv datoen som dd.mm.åååå, til dømes 05.03.2026.")
MAX_ORGANISATION = 200  # Booking.organisation
MAX_TEXT = 4000  # the trial-housing application's free texts
#: How many wishes a lottery entry may give (first, second, third).
WISHES = 3

#: A refusal's code -> the field it is about. Any other code is about the period.
REFUSAL_FIELDS = {
    "name": "name",
    "email": "email",
    "organisation": "organisation",
    "booker_kind": "booker_kind",
    "not_eligible": "booker_kind",
    "not_resident": "national_id",
    "national_id": "national_id",
    "household": "household",
    "reason": "reason",
    "already_entered": "national_id",
    "no_wishes": "wish_1",
    "unknown_period": "wish_1",
    "duplicate_wish": "wish_1",
    "months": "wanted_months",
}


class SecretInput(forms.TextInput):
    """A text input that never shows its value (the fødselsnummer). Not a password input:
    the number is not a secret of the person's own, and a password field would invite the
    browser to offer to save it."""

    def format_value(self, value: Any) -> str | None:
        return None


def _date(label: Any, help_text: Any = "", **attrs: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": DATE_MESSAGE, "required": _("Vel ein dato.")},
        widget=forms.DateInput(
            attrs={"type": "date", "class": "ds-input", **attrs}, format="%Y-%m-%d"
        ),
    )


def _text(max_length: int, message: Any, **kwargs: Any) -> forms.CharField:
    # A validator rather than max_length, as in the contact form: a message says what to do,
    # where a maxlength attribute would cut pasted text without a word.
    return forms.CharField(validators=[MaxLengthValidator(max_length, message)], **kwargs)


def _name_field() -> OneLineField:
    return OneLineField(
        max_length=MAX_NAME,
        length_message=_("Namnet kan vere høgst %(limit_value)d teikn. No er det %(show_value)d."),
        one_line_message=_("Skriv namnet på éi linje, utan linjeskift eller usynlege styreteikn."),
        label=_("Namn"),
        error_messages={"required": _("Skriv inn namnet ditt.")},
        widget=forms.TextInput(attrs={"autocomplete": "name", "class": "ds-input"}),
    )


def _email_field(help_text: Any) -> forms.EmailField:
    return forms.EmailField(
        label=_("E-post"),
        help_text=help_text,
        validators=[MaxLengthValidator(MAX_EMAIL, _("E-postadressa er for lang."))],
        error_messages={
            "required": _("Skriv inn e-postadressa di."),
            "invalid": _("Skriv ei gyldig e-postadresse, til dømes kari@example.no."),
        },
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "spellcheck": "false", "class": "ds-input"}
        ),
    )


def _phone_field(required: bool = False) -> forms.CharField:
    return _text(
        MAX_PHONE,
        _("Telefonnummeret kan vere høgst %(limit_value)d teikn."),
        label=_("Telefon") if required else _("Telefon (valfritt)"),
        required=required,
        error_messages={"required": _("Skriv inn telefonnummeret ditt.")},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "class": "ds-input"}),
    )


def _national_id_field(help_text: Any) -> forms.CharField:
    return forms.CharField(
        label=_("Fødselsnummer"),
        required=False,
        help_text=help_text,
        widget=SecretInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "spellcheck": "false",
                "class": "ds-input",
            }
        ),
    )


def clean_national_id(value: str) -> str:
    """Eleven digits with valid check digits; spaces and dots as people write them are
    allowed. The message never repeats the number."""
    digits = "".join(ch for ch in value if not ch.isspace() and ch != ".")
    if not digits:
        raise forms.ValidationError(_("Skriv inn fødselsnummeret ditt (11 siffer)."))
    if not fodselsnummer.is_valid(digits):
        raise forms.ValidationError(
            _("Fødselsnummeret er ikkje gyldig. Sjå over dei 11 siffera og prøv igjen.")
        )
    return digits


class PublicForm(forms.Form):
    """What every public booking form shares: the error summary and the refusals."""

    #: The field a refusal about the period is shown at.
    period_field = ""

    def error_summary(self) -> list[dict[str, str]]:
        """(anchor, message) for each error in the order of the form, each linking to its
        field (a radio group to its first option)."""
        summary = [{"anchor": "", "message": str(m)} for m in self.non_field_errors()]
        for name in self.fields:
            for message in self.errors.get(name, []):
                summary.append({"anchor": self.anchor(name), "message": str(message)})
        return summary

    def anchor(self, name: str) -> str:
        bound = self[name]
        if isinstance(self.fields[name].widget, forms.RadioSelect):
            return f"{bound.auto_id}_0"
        return str(bound.auto_id)

    def kept_input(self) -> dict[str, Any]:
        """What the person typed, without the fødselsnummer and the honeypot: the initial
        values of the form shown again after a refusal that is no field's fault."""
        initial: dict[str, Any] = {}
        for name, field in self.fields.items():
            if name == "national_id":
                continue
            value = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            if value not in (None, ""):
                initial[name] = value
        return initial

    def add_refusal(self, refused: BookingRefused) -> None:
        """Show a service's refusal next to the field it is about."""
        field: str | None = REFUSAL_FIELDS.get(refused.code, self.period_field)
        if field not in self.fields:
            field = self.period_field if self.period_field in self.fields else None
        self.add_error(field, refused.message)


# --- the period ---------------------------------------------------------------------------------


class DatesFields(PublicForm):
    """Arrival and departure, for what is let by the night, week or month."""

    arrive = _date(_("Komedag"))
    depart = _date(_("Avreisedag"))
    period_field = "arrive"

    def __init__(self, *args: Any, resource: Resource, **kwargs: Any) -> None:
        self.resource = resource
        super().__init__(*args, **kwargs)
        check_in = resource.check_in.strftime("%H:%M")
        check_out = resource.check_out.strftime("%H:%M")
        arrive_help = _("Innsjekk frå kl. %(time)s.") % {"time": check_in}
        if resource.booking_unit == BookingUnit.WEEK:
            arrive_help = str(_("Blir leigd i heile veker.")) + " " + arrive_help
            if resource.changeover_weekday is not None:
                arrive_help += " " + _("Byttedag er %(day)s.") % {
                    "day": weekday_name(resource.changeover_weekday)
                }
        elif resource.booking_unit == BookingUnit.MONTH:
            arrive_help = str(_("Blir leigd i heile månader.")) + " " + arrive_help
        self.fields["arrive"].help_text = arrive_help
        self.fields["depart"].help_text = _("Utsjekk innan kl. %(time)s.") % {"time": check_out}
        today = timezone.localdate().isoformat()
        for name in ("arrive", "depart"):
            self.fields[name].widget.attrs["min"] = today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        arrive, depart = data.get("arrive"), data.get("depart")
        if arrive and depart and depart <= arrive and not self.has_error("depart"):
            self.add_error("depart", _("Avreisedagen må vere etter komedagen."))
        return data

    def span(self) -> tuple[dt.datetime, dt.datetime]:
        """Check-in on the day of arrival to check-out on the day of departure."""
        return span_for_dates(
            self.resource, self.cleaned_data["arrive"], self.cleaned_data["depart"]
        )


def hour_choices(resource: Resource) -> list[tuple[int, str]]:
    """The whole hours a booking may start, from opening to the last hour before closing."""
    first = resource.check_in.hour + (1 if resource.check_in.minute else 0)
    last = resource.check_out.hour - 1
    return [(hour, f"{hour:02d}:00") for hour in range(first, last + 1)]


class HoursFields(PublicForm):
    """A day, the hour to start and how many hours, for what is let by the hour."""

    day = _date(_("Dato"))
    start_hour = forms.TypedChoiceField(
        label=_("Frå klokka"),
        coerce=int,
        error_messages={
            "required": _("Vel kva tid du vil starte."),
            "invalid_choice": _("Vel eit klokkeslett i lista."),
        },
        widget=forms.Select(attrs={"class": "ds-input"}),
    )
    hours = forms.TypedChoiceField(
        label=_("Tal på timar"),
        coerce=int,
        error_messages={
            "required": _("Vel kor mange timar."),
            "invalid_choice": _("Vel eit tal på timar i lista."),
        },
        widget=forms.Select(attrs={"class": "ds-input"}),
    )
    period_field = "day"

    def __init__(self, *args: Any, resource: Resource, **kwargs: Any) -> None:
        self.resource = resource
        super().__init__(*args, **kwargs)
        start = self.fields["start_hour"]
        hours = self.fields["hours"]
        assert isinstance(start, forms.ChoiceField) and isinstance(hours, forms.ChoiceField)
        start.choices = hour_choices(resource)
        low, high = max(resource.min_units, 1), max(resource.max_units, resource.min_units, 1)
        hours.choices = [(n, str(n)) for n in range(low, high + 1)]
        self.fields["day"].help_text = _("Opningstid kl. %(from)s–%(to)s.") % {
            "from": resource.check_in.strftime("%H:%M"),
            "to": resource.check_out.strftime("%H:%M"),
        }
        self.fields["day"].widget.attrs["min"] = timezone.localdate().isoformat()

    def span(self) -> tuple[dt.datetime, dt.datetime]:
        # Aware in Europe/Oslo; the hours are wall-clock hours of the day, as the rules
        # count them (opening hours never cross a change to or from summer time).
        data = self.cleaned_data
        start = dt.datetime.combine(data["day"], dt.time(data["start_hour"]), tzinfo=OSLO)
        return start, start + dt.timedelta(hours=data["hours"])


# --- who books ------------------------------------------------------------------------------------


class BookerFields(PublicForm):
    booker_kind = forms.ChoiceField(
        label=_("Eg bookar som"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Vel kven du bookar som."),
            "invalid_choice": _("Vel eit av svara i lista."),
        },
    )
    name = _name_field()
    email = _email_field(_("Hit sender vi stadfestinga og lenkja til bookingane dine."))
    phone = _phone_field()
    organisation = _text(
        MAX_ORGANISATION,
        _("Namnet kan vere høgst %(limit_value)d teikn."),
        label=_("Namn på laget eller verksemda"),
        required=False,
        help_text=_("Berre når du bookar for eit lag eller ei verksemd."),
        widget=forms.TextInput(attrs={"autocomplete": "organization", "class": "ds-input"}),
    )
    national_id = _national_id_field(
        _(
            "Berre når du bookar som innbyggjar: vi slår opp i folkeregisteret for kommunen "
            "at du bur her. Vi lagrar ikkje fødselsnummeret."
        )
    )
    accept_terms = forms.BooleanField(
        label=_("Eg har lese og godtek vilkåra for leige"),
        error_messages={"required": _("Du må godta vilkåra for å booke.")},
    )

    #: Set by the period's fields (DatesFields, HoursFields), which come first.
    resource: Resource

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = eligible_kinds(self.resource)
        kind_field = self.fields["booker_kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [(kind, BookerKind(kind).label) for kind in kinds]
        if len(kinds) == 1:
            kind_field.initial = kinds[0]
        if BookerKind.RESIDENT not in kinds:
            del self.fields["national_id"]
        if not {BookerKind.CLUB, BookerKind.BUSINESS} & set(kinds):
            del self.fields["organisation"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("booker_kind")
        if kind == BookerKind.RESIDENT and "national_id" in self.fields:
            try:
                data["national_id"] = clean_national_id(data.get("national_id") or "")
            except forms.ValidationError as error:
                self.add_error("national_id", error)
        else:
            # Asked only of residents: a number typed and then another kind chosen is dropped.
            data["national_id"] = ""
        if (
            kind in (BookerKind.CLUB, BookerKind.BUSINESS)
            and "organisation" in self.fields
            and not (data.get("organisation") or "").strip()
        ):
            self.add_error("organisation", _("Skriv namnet på laget eller verksemda."))
        return data

    def booker(self, *, language: str) -> Booker:
        data = self.cleaned_data
        kind = data["booker_kind"]
        return Booker(
            name=data["name"],
            email=data["email"],
            kind=kind,
            phone=data.get("phone") or "",
            organisation=(data.get("organisation") or "")
            if kind in (BookerKind.CLUB, BookerKind.BUSINESS)
            else "",
            national_id=data.get("national_id") or "",
            language=language,
        )


def eligible_kinds(resource: Resource) -> list[str]:
    """Who may book the resource, in the order of BookerKind (everyone when none is set)."""
    allowed = set(resource.eligible or BookerKind.values)
    return [kind for kind in BookerKind.values if kind in allowed]


class DatesBookingForm(DatesFields, BookerFields):
    field_order = [
        "arrive",
        "depart",
        "booker_kind",
        "name",
        "email",
        "phone",
        "organisation",
        "national_id",
        "accept_terms",
    ]


class HoursBookingForm(HoursFields, BookerFields):
    field_order = [
        "day",
        "start_hour",
        "hours",
        "booker_kind",
        "name",
        "email",
        "phone",
        "organisation",
        "national_id",
        "accept_terms",
    ]


def booking_form_class(resource: Resource) -> type[DatesBookingForm] | type[HoursBookingForm]:
    return HoursBookingForm if resource.booking_unit == BookingUnit.HOUR else DatesBookingForm


class DatesMoveForm(DatesFields):
    """Another period for a booking (mine bookingar)."""


class HoursMoveForm(HoursFields):
    """Another time for a booking by the hour (mine bookingar)."""


def move_form_class(resource: Resource) -> type[DatesMoveForm] | type[HoursMoveForm]:
    return HoursMoveForm if resource.booking_unit == BookingUnit.HOUR else DatesMoveForm


# --- the lottery ------------------------------------------------------------------------------


class LotteryForm(PublicForm):
    """An entry in a lottery: up to three wishes, best first, and who enters."""

    name = _name_field()
    email = _email_field(_("Hit sender vi stadfestinga og svaret etter trekninga."))
    national_id = _national_id_field(
        _(
            "Trekninga er for innbyggjarar i kommunen, éin søknad per husstand: vi slår opp i "
            "folkeregisteret at du bur her. Vi lagrar ikkje fødselsnummeret."
        )
    )
    period_field = "wish_1"

    def __init__(self, *args: Any, periods: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = [_("Førsteønske"), _("Andreønske (valfritt)"), _("Tredjeønske (valfritt)")]
        empty = [("", _("Vel ein periode"))]
        for number in range(1, WISHES + 1):
            self.fields[f"wish_{number}"] = forms.TypedChoiceField(
                label=labels[number - 1],
                coerce=int,
                required=number == 1,
                empty_value=None,
                choices=empty + [(pk, label) for pk, label in periods],
                error_messages={
                    "required": _("Vel perioden du helst vil ha."),
                    "invalid_choice": _("Vel ein periode i lista."),
                },
                widget=forms.Select(attrs={"class": "ds-input"}),
            )
        self.order_fields(
            [f"wish_{n}" for n in range(1, WISHES + 1)] + ["name", "email", "national_id"]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen: set[int] = set()
        for number in range(1, WISHES + 1):
            wish = data.get(f"wish_{number}")
            if wish is None:
                continue
            if wish in seen:
                self.add_error(f"wish_{number}", _("Du har alt valt denne perioden."))
            seen.add(wish)
        try:
            data["national_id"] = clean_national_id(data.get("national_id") or "")
        except forms.ValidationError as error:
            self.add_error("national_id", error)
        return data

    def wishes(self) -> list[int]:
        data = self.cleaned_data
        return [
            data[f"wish_{n}"] for n in range(1, WISHES + 1) if data.get(f"wish_{n}") is not None
        ]


def lottery_period_choices(
    periods: Sequence[LotteryPeriod], label: Callable[[LotteryPeriod], str]
) -> list[tuple[int, str]]:
    """(id, label) of each period; `label` names one (resource and dates)."""
    return [(period.pk, label(period)) for period in periods]


# --- trial housing ----------------------------------------------------------------------------

MONTH_CHOICES = [(n, str(n)) for n in range(1, 13)]


class TrialHousingForm(PublicForm):
    """An application to live in the trial housing for a while (prøvebustad)."""

    name = _name_field()
    email = _email_field(_("Hit sender vi stadfestinga og svaret på søknaden."))
    phone = _phone_field()
    household = _text(
        MAX_TEXT,
        _("Teksten kan vere høgst %(limit_value)d teikn. No er det %(show_value)d."),
        label=_("Kven er i husstanden?"),
        help_text=_("Til dømes «to vaksne og to born på 4 og 7 år»."),
        error_messages={"required": _("Skriv kven som skal bu i prøvebustaden.")},
        widget=forms.Textarea(attrs={"rows": 3, "class": "ds-input"}),
    )
    reason = _text(
        MAX_TEXT,
        _("Teksten kan vere høgst %(limit_value)d teikn. No er det %(show_value)d."),
        label=_("Kvifor vurderer de å flytte hit?"),
        help_text=_("Arbeid, familie, skule, eller noko anna. Fortel kort."),
        error_messages={"required": _("Skriv kort kvifor de vurderer å flytte hit.")},
        widget=forms.Textarea(attrs={"rows": 5, "class": "ds-input"}),
    )
    wanted_from = _date(_("Ønskt frå"))
    wanted_months = forms.TypedChoiceField(
        label=_("Kor mange månader?"),
        coerce=int,
        choices=MONTH_CHOICES,
        initial=3,
        error_messages={"invalid_choice": _("Vel eit tal på månader i lista.")},
        widget=forms.Select(attrs={"class": "ds-input"}),
    )
    period_field = "wanted_from"
    field_order = ["household", "reason", "wanted_from", "wanted_months", "name", "email", "phone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wanted_from"].widget.attrs["min"] = timezone.localdate().isoformat()
