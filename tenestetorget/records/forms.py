"""Forms of the archive pages. They parse and check input only; the rules are in the services
(records.services, records.periods), whose refusals the views put back on these forms."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tenestetorget.core.identifiers import mask_fodselsnummer_in_text
from tenestetorget.core.upload_fields import MultipleUploadField
from tenestetorget.core.widgets import FastSelect
from tenestetorget.organisation.models import Unit
from tenestetorget.organisation.permissions import (
    RECORDS_EVERYWHERE,
    RECORDS_OWN_UNIT,
    profile_of,
    role_of,
)
from tenestetorget.records.models import (
    ArchiveClass,
    ArkivdelStatus,
    Avskrivningsmaate,
    Journalposttype,
    Journalstatus,
    RegistryEntry,
    Saksstatus,
    Series,
    SkjermingMetadata,
)
from tenestetorget.records.screening_view import MASK
from tenestetorget.records.search import CaseFilter, JournalFilter, parse_number

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the form: by field where the service named one we have, else
    above the form. What the user typed stays in the form."""
    if hasattr(error, "error_dict"):
        for key, messages in error.message_dict.items():
            target = key if key in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


def officers() -> QuerySet[Any]:
    """Staff who keep records: the officers a post or case can be given to."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            staff_profile__role__in=[*RECORDS_EVERYWHERE, *RECORDS_OWN_UNIT],
        )
        .order_by("first_name", "last_name", "username")
    )


def units_for(user: Any) -> QuerySet[Unit]:
    """The units `user` may keep records in: every unit for the archivist, else their own."""
    if role_of(user) in RECORDS_EVERYWHERE:
        return Unit.objects.order_by("name")
    profile = profile_of(user)
    if profile is None:
        return Unit.objects.none()
    return Unit.objects.filter(pk=profile.unit_id)


# --- the journal post page's actions ------------------------------------------------------------


class JournalstatusForm(forms.Form):
    prefix = "status"
    journalstatus = forms.ChoiceField(label=_("Ny journalstatus"), choices=Journalstatus.choices)

    def __init__(self, *args: Any, allowed: set[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if allowed is not None:
            field: Any = self.fields["journalstatus"]
            field.choices = [(v, label) for v, label in Journalstatus.choices if v in allowed]


class AnnotationForm(forms.Form):
    prefix = "note"
    merknadstekst = forms.CharField(
        label=_("Merknad"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class WriteOffForm(forms.Form):
    prefix = "writeoff"
    how = forms.ChoiceField(label=_("Avskrivingsmåte"), choices=Avskrivningsmaate.choices)
    answered_by = forms.ModelChoiceField(
        label=_("Svar (utgåande eller internt dokument i saka)"),
        queryset=RegistryEntry.objects.none(),
        required=False,
        empty_label=_("– ikkje skriftleg svar –"),
    )
    note = forms.CharField(label=_("Merknad til avskrivinga"), max_length=1000, required=False)

    def __init__(
        self,
        *args: Any,
        answers: QuerySet[RegistryEntry] | None = None,
        hidden: set[int] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        field: Any = self.fields["answered_by"]
        if answers is not None:
            field.queryset = answers
        masked = hidden or set()

        def label(entry: RegistryEntry) -> str:
            title = MASK if entry.pk in masked else mask_fodselsnummer_in_text(entry.tittel)
            return f"{entry.registrerings_id} {title}"

        field.label_from_instance = label


class ScreeningForm(forms.Form):
    prefix = "screening"
    tilgangsrestriksjon = forms.CharField(
        label=_("Tilgangsrestriksjon"),
        max_length=20,
        help_text=_("Til dømes «13» for offentleglova § 13."),
    )
    skjermingshjemmel = forms.CharField(
        label=_("Heimel"), max_length=200, help_text=_("Til dømes «Offl. § 13 jf. fvl. § 13».")
    )
    skjerming_metadata = forms.MultipleChoiceField(
        label=_("Skjerma felt"),
        choices=SkjermingMetadata.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class GrantForm(forms.Form):
    """Access to a screened case or post for one person (records.access.grant_access)."""

    prefix = "grant"
    user = OfficerChoiceField(
        label=_("Kven skal få tilgang"),
        queryset=None,
        help_text=_("Tilsette som fører arkiv. Du kan gje tilgang til deg sjølv."),
    )
    reason = forms.CharField(
        label=_("Grunngjeving"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Skriv kvifor tilgangen blir gjeven.")},
        help_text=_("Til dømes «Klage i saka, skal førebu til klagenemnda»."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_field: Any = self.fields["user"]
        user_field.queryset = officers()


class CloseCaseForm(forms.Form):
    prefix = "close"
    saksstatus = forms.ChoiceField(
        label=_("Ny saksstatus"),
        choices=[
            (Saksstatus.AVSLUTTA.value, Saksstatus.AVSLUTTA.label),
            (Saksstatus.UTGAAR.value, Saksstatus.UTGAAR.label),
        ],
    )


# --- search and lists ---------------------------------------------------------------------------


def _number_field(label: Any, help_text: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=20, required=False, help_text=help_text)


class JournalSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Ord i tittelen"),
        max_length=200,
        required=False,
        help_text=_("Alle orda må vere med. «2026/123-4» finn journalposten."),
    )
    saksnummer = _number_field(_("Saksnummer"), _("Til dømes 2026/123."))
    journalnummer = _number_field(_("Journalnummer"), _("Journalår og sekvensnummer: 2026/45."))
    party = forms.CharField(label=_("Avsendar eller mottakar"), max_length=200, required=False)
    unit = forms.ModelChoiceField(
        label=_("Eining"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Alle"),
        widget=FastSelect,
    )
    officer = OfficerChoiceField(
        label=_("Sakshandsamar"),
        queryset=None,
        required=False,
        empty_label=_("Alle"),
        widget=FastSelect,
    )
    date_from = forms.DateField(label=_("Journaldato frå"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Journaldato til"), required=False, widget=DATE)
    journalposttype = forms.ChoiceField(
        label=_("Type"),
        choices=[("", _("Alle")), *Journalposttype.choices],
        required=False,
        widget=FastSelect,
    )
    journalstatus = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Alle")), *Journalstatus.choices],
        required=False,
        widget=FastSelect,
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field: Any = self.fields["unit"]
        unit_field.queryset = units_for(user)
        officer_field: Any = self.fields["officer"]
        officer_field.queryset = officers()

    def clean_saksnummer(self) -> str:
        return _checked_number(
            self.cleaned_data["saksnummer"], _("Skriv saksnummeret som 2026/123.")
        )

    def clean_journalnummer(self) -> str:
        return _checked_number(
            self.cleaned_data["journalnummer"], _("Skriv journalnummeret som 2026/45.")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Til-datoen kan ikkje vere før frå-datoen."))
        return data

    def to_filter(self) -> JournalFilter:
        data = self.cleaned_data
        return JournalFilter(
            words=data.get("q", ""),
            saksnummer=data.get("saksnummer", ""),
            journalnummer=data.get("journalnummer", ""),
            party=data.get("party", ""),
            unit_id=data["unit"].pk if data.get("unit") else None,
            officer_id=data["officer"].pk if data.get("officer") else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            journalposttype=data.get("journalposttype", ""),
            journalstatus=data.get("journalstatus", ""),
        )


def _checked_number(value: str, message: Any) -> str:
    value = value.strip()
    if value and parse_number(value) is None:
        raise ValidationError(message, code="number")
    return value


class CaseListForm(forms.Form):
    q = forms.CharField(label=_("Ord i tittelen"), max_length=200, required=False)
    saksnummer = _number_field(_("Saksnummer"), _("Til dømes 2026/123."))
    unit = forms.ModelChoiceField(
        label=_("Eining"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Alle"),
        widget=FastSelect,
    )
    officer = OfficerChoiceField(
        label=_("Saksansvarleg"),
        queryset=None,
        required=False,
        empty_label=_("Alle"),
        widget=FastSelect,
    )
    saksstatus = forms.ChoiceField(
        label=_("Saksstatus"),
        choices=[("", _("Alle")), *Saksstatus.choices],
        required=False,
        widget=FastSelect,
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field: Any = self.fields["unit"]
        unit_field.queryset = units_for(user)
        officer_field: Any = self.fields["officer"]
        officer_field.queryset = officers()

    def clean_saksnummer(self) -> str:
        return _checked_number(
            self.cleaned_data["saksnummer"], _("Skriv saksnummeret som 2026/123.")
        )

    def to_filter(self) -> CaseFilter:
        data = self.cleaned_data
        return CaseFilter(
            words=data.get("q", ""),
            saksnummer=data.get("saksnummer", ""),
            unit_id=data["unit"].pk if data.get("unit") else None,
            officer_id=data["officer"].pk if data.get("officer") else None,
            saksstatus=data.get("saksstatus", ""),
        )


class RestanseForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Eining"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Alle"),
        widget=FastSelect,
    )
    officer = OfficerChoiceField(
        label=_("Sakshandsamar"),
        queryset=None,
        required=False,
        empty_label=_("Alle"),
        widget=FastSelect,
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field: Any = self.fields["unit"]
        unit_field.queryset = units_for(user)
        officer_field: Any = self.fields["officer"]
        officer_field.queryset = officers()


# --- registering by hand ------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class RegisterForm(forms.Form):
    """A letter that came on paper (scanned), or one going out, registered by hand."""

    journalposttype = forms.ChoiceField(
        label=_("Type"),
        choices=[
            (t.value, t.label)
            for t in (
                Journalposttype.INNGAAANDE,
                Journalposttype.UTGAAANDE,
                Journalposttype.INTERNT_MED_OPPFOELGING,
                Journalposttype.INTERNT_UTAN_OPPFOELGING,
            )
        ],
        initial=Journalposttype.INNGAAANDE,
    )
    saksnummer = _number_field(
        _("Saksnummer"), _("Ei sak som finst, til dømes 2026/123. Tomt: ny sak (under).")
    )
    case_title = forms.CharField(label=_("Tittel på ny sak"), max_length=1000, required=False)
    case_class = forms.ModelChoiceField(
        label=_("Klasse for ny sak"),
        queryset=ArchiveClass.objects.none(),
        required=False,
        empty_label=_("– ingen –"),
    )
    tittel = forms.CharField(label=_("Tittel på journalposten"), max_length=1000)
    offentlig_tittel = forms.CharField(
        label=_("Offentleg tittel"),
        max_length=1000,
        required=False,
        help_text=_("Tittelen i offentleg journal når tittelen har noko som skal skjermast."),
    )
    dokumentets_dato = forms.DateField(label=_("Dokumentet sin dato"), required=False, widget=DATE)
    mottatt_dato = forms.DateField(label=_("Motteke"), required=False, widget=DATE)
    sendt_dato = forms.DateField(label=_("Sendt"), required=False, widget=DATE)
    forfallsdato = forms.DateField(label=_("Svarfrist"), required=False, widget=DATE)
    party_name = forms.CharField(
        label=_("Avsendar eller mottakar"),
        max_length=300,
        required=False,
        help_text=_("Avsendar for inngåande, mottakar for utgåande dokument."),
    )
    party_address = forms.CharField(label=_("Postadresse"), max_length=300, required=False)
    party_postcode = forms.CharField(label=_("Postnummer"), max_length=10, required=False)
    party_place = forms.CharField(label=_("Poststad"), max_length=100, required=False)
    party_email = forms.EmailField(label=_("E-post"), required=False)
    party_is_person = forms.BooleanField(label=_("Privatperson"), required=False, initial=True)
    unit = forms.ModelChoiceField(label=_("Eining"), queryset=Unit.objects.none())
    officer = OfficerChoiceField(label=_("Sakshandsamar"), queryset=None)
    screen = forms.BooleanField(label=_("Skjerm journalposten"), required=False)
    tilgangsrestriksjon = forms.CharField(
        label=_("Tilgangsrestriksjon"), max_length=20, required=False
    )
    skjermingshjemmel = forms.CharField(label=_("Heimel"), max_length=200, required=False)
    skjerming_metadata = forms.MultipleChoiceField(
        label=_("Skjerma felt"),
        choices=SkjermingMetadata.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    uploads = MultipleUploadField(
        label=_("Dokument (skanna brev: PDF eller bilete)"),
        required=False,
        widget=MultipleFileInput,
        help_text=_("Den første fila blir hovuddokumentet, resten vedlegg."),
    )
    # Files stored already on an earlier try of this form (signed ids), so a refusal never
    # makes the user upload them again.
    kept_files = forms.CharField(widget=forms.HiddenInput, required=False)
    # A one-time id for this rendering of the form, so that a double click or a resent POST
    # registers one post (records.views.register, RegistrationSubmission).
    submission_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_id", uuid.uuid4())
        unit_field: Any = self.fields["unit"]
        unit_field.queryset = units_for(user)
        profile = profile_of(user)
        if profile is not None:
            unit_field.initial = profile.unit_id
        officer_field: Any = self.fields["officer"]
        officer_field.queryset = officers()
        officer_field.initial = getattr(user, "pk", None)
        class_field: Any = self.fields["case_class"]
        class_field.queryset = ArchiveClass.objects.filter(
            classification_system__series__arkivdelstatus=ArkivdelStatus.AKTIV
        ).order_by("klasse_id")

    def clean_saksnummer(self) -> str:
        return _checked_number(
            self.cleaned_data["saksnummer"], _("Skriv saksnummeret som 2026/123.")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("saksnummer") and not (data.get("case_title") or "").strip():
            self.add_error(
                "case_title",
                _("Skriv saksnummeret til ei sak som finst, eller tittelen på ei ny sak."),
            )
        if data.get("screen"):
            if not (data.get("tilgangsrestriksjon") or "").strip():
                self.add_error("tilgangsrestriksjon", _("Skriv tilgangsrestriksjonen."))
            if not (data.get("skjermingshjemmel") or "").strip():
                self.add_error("skjermingshjemmel", _("Skriv heimelen for skjerminga."))
            if not data.get("skjerming_metadata"):
                self.add_error("skjerming_metadata", _("Vel kva felt som skal skjermast."))
        return data


def active_series() -> Series | None:
    """The period new cases go into: the active one (A)."""
    return (
        Series.objects.filter(arkivdelstatus=ArkivdelStatus.AKTIV)
        .order_by("-arkivperiode_start_dato", "-pk")
        .first()
    )


# --- periods ------------------------------------------------------------------------------------


class NewPeriodForm(forms.Form):
    prefix = "period"
    tittel = forms.CharField(label=_("Tittel på den nye perioden"), max_length=500)
    start = forms.DateField(label=_("Startar"), widget=DATE)
