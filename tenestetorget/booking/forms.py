"""Forms for the staff's booking pages. They parse input into plain values (a period as two
aware moments, a Booker); the rules live in booking.rules and booking.services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tenestetorget.booking.models import (
    BookerKind,
    BookingUnit,
    MovedHere,
    Resource,
    ResourceKind,
)
from tenestetorget.booking.rules import local_moment, weekday_name
from tenestetorget.booking.services import Booker


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


class NotEchoedInput(forms.TextInput):
    """A text input that never writes its value back into the page: a fødselsnummer typed
    once is checked and forgotten, not kept in the HTML of a form shown again."""

    def format_value(self, value: Any) -> str | None:
        return None


def resource_field(**kwargs: Any) -> forms.ModelChoiceField[Resource]:
    return forms.ModelChoiceField(
        label=_("Utleigeobjekt"),
        queryset=Resource.objects.filter(active=True).order_by("kind", "name"),
        empty_label=_("Vel utleigeobjekt"),
        **kwargs,
    )


class PeriodForm(forms.Form):
    """A period of one resource in its own terms: nights from check-in on the first day to
    check-out on the last (times may be changed), or hours on one day."""

    first_day = forms.DateField(label=_("Frå dato"), widget=DateInput())
    last_day = forms.DateField(
        label=_("Til dato"),
        required=False,
        widget=DateInput(),
        help_text=_("Dagen gjesten reiser. Tomt for timeleige: same dag."),
    )
    start_time = forms.TimeField(
        label=_("Frå klokka"),
        required=False,
        widget=TimeInput(),
        help_text=_("Tomt: innsjekkingstida til objektet."),
    )
    end_time = forms.TimeField(
        label=_("Til klokka"),
        required=False,
        widget=TimeInput(),
        help_text=_("Tomt: utsjekkingstida til objektet."),
    )

    def __init__(self, *args: Any, resource: Resource | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The resource when the form has no field for it (moving a booking).
        self.fixed_resource = resource

    def period_resource(self) -> Resource | None:
        resource = self.cleaned_data.get("resource") or self.fixed_resource
        return resource if isinstance(resource, Resource) else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        resource = self.period_resource()
        first = data.get("first_day")
        if resource is None or first is None:
            return data
        last: dt.date | None = data.get("last_day")
        start_time: dt.time | None = data.get("start_time")
        end_time: dt.time | None = data.get("end_time")
        if resource.booking_unit == BookingUnit.HOUR:
            if start_time is None or end_time is None:
                raise ValidationError(
                    _("Skriv frå og til klokka: dette objektet blir leigd i timar.")
                )
            data["start"] = local_moment(first, start_time)
            data["end"] = local_moment(last or first, end_time)
        else:
            if last is None:
                self.add_error("last_day", _("Skriv dagen gjesten reiser."))
                return data
            data["start"] = local_moment(first, start_time or resource.check_in)
            data["end"] = local_moment(last, end_time or resource.check_out)
        if data["end"] <= data["start"]:
            raise ValidationError(_("Slutten må kome etter starten."))
        return data


class BookerForm(forms.Form):
    """Who the booking is for, as the front desk hears it on the phone or at the counter."""

    booker_kind = forms.ChoiceField(label=_("Leigetakar"), choices=BookerKind.choices)
    name = forms.CharField(label=_("Namn"), max_length=200)
    email = forms.EmailField(
        label=_("E-post"), help_text=_("Stadfestinga og kvitteringane går hit.")
    )
    phone = forms.CharField(label=_("Telefon"), max_length=40, required=False)
    organisation = forms.CharField(
        label=_("Verksemd eller lag"),
        max_length=200,
        required=False,
        help_text=_("For lag, foreiningar og verksemder."),
    )
    national_id = forms.CharField(
        label=_("Fødselsnummer"),
        max_length=11,
        required=False,
        widget=NotEchoedInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        help_text=_(
            "For innbyggjarar: blir sjekka mot folkeregisteret for kommunen og ikkje lagra."
        ),
    )
    override_reason = forms.CharField(
        label=_("Grunn til å rekne personen som innbyggjar"),
        max_length=300,
        required=False,
        help_text=_(
            "Berre når personen bur her, men ikkje er i registeret (til dømes nyinnflytta). "
            "Grunnen blir lagra på bookinga."
        ),
    )
    language = forms.ChoiceField(
        label=_("Språk i e-postane"),
        choices=[("nn", "Nynorsk"), ("nb", "Bokmål"), ("en", "English")],
        initial="nn",
    )

    def booker(self) -> Booker:
        data = self.cleaned_data
        return Booker(
            name=data["name"],
            email=data["email"],
            kind=data["booker_kind"],
            phone=data.get("phone", ""),
            organisation=data.get("organisation", ""),
            national_id=data.get("national_id", ""),
            language=data.get("language", "nn"),
        )


class BookOnBehalfForm(BookerForm, PeriodForm):
    """Book for someone (staff): the resource, the period and the booker."""

    resource = resource_field()
    field_order = ["resource", "first_day", "last_day", "start_time", "end_time"]


class SeriesForm(BookerForm):
    """Recurring bookings: one weekday, the same times, between two dates."""

    resource = resource_field()
    weekday = forms.TypedChoiceField(
        label=_("Vekedag"), coerce=int, choices=[(n, "") for n in range(7)]
    )
    start_time = forms.TimeField(label=_("Frå klokka"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Til klokka"), widget=TimeInput())
    first_date = forms.DateField(label=_("Første dato"), widget=DateInput())
    last_date = forms.DateField(label=_("Siste dato"), widget=DateInput())
    field_order = ["resource", "weekday", "start_time", "end_time", "first_date", "last_date"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Weekday names in the language of the request, not of the import.
        field = self.fields["weekday"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(n, weekday_name(n).capitalize()) for n in range(7)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_date"), data.get("last_date")
        if first and last and last < first:
            self.add_error("last_date", _("Siste dato må vere etter første dato."))
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("Slutten må kome etter starten."))
        return data


class ChangeSeriesForm(forms.Form):
    """Every coming booking of a series to another weekday or other hours, as one."""

    weekday = forms.TypedChoiceField(
        label=_("Vekedag"), coerce=int, choices=[(n, "") for n in range(7)]
    )
    start_time = forms.TimeField(label=_("Frå klokka"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Til klokka"), widget=TimeInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["weekday"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(n, weekday_name(n).capitalize()) for n in range(7)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("Slutten må kome etter starten."))
        return data


class BlockForm(PeriodForm):
    """Block a period (maintenance, the municipality's own use)."""

    resource = resource_field()
    reason = forms.CharField(
        label=_("Grunn"),
        max_length=2000,
        help_text=_("Til dømes «Vedlikehald: nytt tak». Synleg for tilsette i kalenderen."),
    )
    field_order = ["resource", "first_day", "last_day", "start_time", "end_time", "reason"]


class MoveForm(PeriodForm):
    """A new period for a booking of the same resource."""


class DenyForm(forms.Form):
    reason = forms.CharField(
        label=_("Grunn til avslaget"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Gjesten får grunnen på e-post."),
        error_messages={"required": _("Skriv kvifor bookinga blir avslått.")},
    )


class ContactGuestForm(forms.Form):
    subject = forms.CharField(label=_("Emne"), max_length=200)
    text = forms.CharField(
        label=_("Melding"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class InvoicePeriodForm(forms.Form):
    """The period of an invoice basis (GET parameters `from` and `to`)."""

    first = forms.DateField(label=_("Frå og med"), widget=DateInput())
    last = forms.DateField(label=_("Til og med"), widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first"), data.get("last")
        if first and last:
            if last < first:
                raise ValidationError(_("Til-datoen må vere etter frå-datoen."))
            if (last - first).days > 366:
                raise ValidationError(_("Vel ein periode på høgst eitt år."))
        return data


# --- lotteries (trekning) ---------------------------------------------------------------------


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class LotteryForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200, help_text=_("Til dømes «Påske 2027»."))
    opens_at = forms.DateTimeField(
        label=_("Søknad opnar"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    closes_at = forms.DateTimeField(
        label=_("Søknadsfrist"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    confirm_days = forms.IntegerField(
        label=_("Frist for stadfesting (dagar)"), min_value=1, max_value=60, initial=7
    )
    wins_per_household = forms.IntegerField(
        label=_("Periodar per husstand"), min_value=1, max_value=10, initial=1
    )
    priority_to_last_losers = forms.BooleanField(
        label=_("Førerett for husstandar som ikkje vart trekte ut førre gong"), required=False
    )
    previous: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Førre trekning"),
        queryset=None,
        required=False,
        empty_label=_("Ingen"),
        help_text=_("Den trekninga førerett blir rekna frå."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from tenestetorget.booking.models import Lottery

        field = self.fields["previous"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Lottery.objects.filter(drawn_at__isnull=False).order_by("-closes_at")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("Søknadsfristen må vere etter at søknaden opnar."))
        if data.get("priority_to_last_losers") and not data.get("previous"):
            self.add_error("previous", _("Vel trekninga førerett skal reknast frå."))
        return data


class LotteryPeriodForm(forms.Form):
    """One period in the draw: a resource from one date to another (check-in to check-out)."""

    resource = forms.ModelChoiceField(
        label=_("Utleigeobjekt"),
        queryset=Resource.objects.filter(active=True).exclude(kind=ResourceKind.TRIAL_HOUSING),
        empty_label=_("Vel utleigeobjekt"),
    )
    first_day = forms.DateField(label=_("Frå dato"), widget=DateInput())
    last_day = forms.DateField(label=_("Til dato"), widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        resource, first, last = data.get("resource"), data.get("first_day"), data.get("last_day")
        if resource and first and last:
            if last <= first:
                self.add_error("last_day", _("Til-datoen må vere etter frå-datoen."))
            else:
                data["start"] = local_moment(first, resource.check_in)
                data["end"] = local_moment(last, resource.check_out)
        return data


LotteryPeriodFormSet = forms.formset_factory(
    LotteryPeriodForm, extra=3, min_num=1, validate_min=True, max_num=100
)


# --- trial housing (prøvebustad) ----------------------------------------------------------------


class ApproveApplicationForm(forms.Form):
    contract_start = forms.DateField(label=_("Kontrakt frå"), widget=DateInput())
    contract_end = forms.DateField(label=_("Kontrakt til"), widget=DateInput())
    monthly_rent = forms.DecimalField(
        label=_("Husleige per månad (kr)"), max_digits=10, decimal_places=2, min_value=0
    )
    assessment = forms.CharField(
        label=_("Vurdering"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("contract_start"), data.get("contract_end")
        if start and end and end <= start:
            self.add_error("contract_end", _("Kontrakten må slutte etter at han byrjar."))
        return data


class DenyApplicationForm(forms.Form):
    assessment = forms.CharField(
        label=_("Vurdering"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Søkjaren får vurderinga som grunn for avslaget."),
        error_messages={"required": _("Skriv vurderinga som avslaget byggjer på.")},
    )


class FollowUpForm(forms.Form):
    moved_here = forms.ChoiceField(
        label=_("Flytta dei hit?"),
        choices=[
            ("", _("Vel")),
            (MovedHere.YES, MovedHere.YES.label),
            (MovedHere.NO, MovedHere.NO.label),
        ],
    )
    note = forms.CharField(
        label=_("Merknad"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
