"""Forms of the public journal: the search (a GET form, every field optional) and the request
for access (innsynskrav) to one journal post.

The search form turns what the reader typed into a records.public_search.JournalQuery; the
rules about what may be found live there. The request form holds only what the person types:
the post it is about comes from the address, never from the form.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from tenestetorget.contact.models import SenderKind
from tenestetorget.contact.services import MAX_BODY, SenderData
from tenestetorget.portal.forms import MAX_EMAIL, MAX_NAME, OneLineField
from tenestetorget.portal.views import clean_query as clean_query_text
from tenestetorget.records.models import Journalposttype
from tenestetorget.records.public_search import JournalQuery, Number, parse_number

#: What the search repeats of a text field; a longer paste is cut, not refused.
MAX_QUERY = 200
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"]
DATE_MESSAGE = _("Skriv datoen som dd.mm.åååå, til dømes 05.03.2026.")


def _date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": DATE_MESSAGE},
        widget=forms.DateInput(attrs={"type": "date", "class": "ds-input"}, format="%Y-%m-%d"),
    )


def _text(label: Any, help_text: Any = "", **attrs: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs={"class": "ds-input", **attrs}),
    )


class JournalSearchForm(forms.Form):
    q = _text(
        _("Søk i journalen"),
        _("Ord frå tittelen, eit namn, eller eit saksnummer som 2026/123."),
        type="search",
    )
    part = _text(_("Avsendar eller mottakar"), autocomplete="off")
    saksnr = _text(_("Saksnummer"), _("Til dømes 2026/123."), inputmode="numeric")
    journalnr = _text(_("Journalnummer"), _("Til dømes 2026/456."), inputmode="numeric")
    fra = _date(_("Journalført frå"))
    til = _date(_("Journalført til"))
    type = forms.MultipleChoiceField(
        label=_("Type dokument"),
        required=False,
        choices=Journalposttype.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Vel blant typane i lista.")},
    )
    #: The day of the daily list (not a search field).
    dato = _date(_("Vel dag"))

    SEARCH_FIELDS = ("q", "part", "saksnr", "journalnr", "fra", "til", "type")

    def _number(self, name: str, message: Any) -> Number | None:
        text = (self.cleaned_data.get(name) or "").strip()
        if not text:
            return None
        number = parse_number(text)
        if number is None:
            raise forms.ValidationError(message)
        return number

    def clean_q(self) -> str:
        return clean_query_text(self.cleaned_data.get("q") or "")[:MAX_QUERY]

    def clean_part(self) -> str:
        return clean_query_text(self.cleaned_data.get("part") or "")[:MAX_QUERY]

    def clean_saksnr(self) -> Number | None:
        return self._number("saksnr", _("Skriv saksnummeret som år/nummer, til dømes 2026/123."))

    def clean_journalnr(self) -> Number | None:
        number = self._number(
            "journalnr", _("Skriv journalnummeret som år/nummer, til dømes 2026/456.")
        )
        if number is not None and number.entry_number is not None:
            raise forms.ValidationError(
                _("Eit journalnummer har ikkje bindestrek. Skriv til dømes 2026/456.")
            )
        return number

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("fra"), data.get("til")
        if start and end and start > end:
            self.add_error("til", _("Til-datoen kan ikkje vere før frå-datoen."))
        return data

    def is_search(self) -> bool:
        """Whether the reader searched (else the page shows a day)."""
        return any(self.cleaned_data.get(name) for name in self.SEARCH_FIELDS)

    def journal_query(self, day: dt.date | None = None) -> JournalQuery:
        data = self.cleaned_data
        return JournalQuery(
            text=data.get("q") or "",
            name=data.get("part") or "",
            case_number=data.get("saksnr"),
            journal_number=data.get("journalnr"),
            date_from=day or data.get("fra"),
            date_to=day or data.get("til"),
            post_types=tuple(data.get("type") or ()),
        )

    def error_summary(self) -> list[dict[str, str]]:
        summary = []
        for name in self.fields:
            for message in self.errors.get(name, []):
                summary.append({"anchor": str(self[name].auto_id), "message": str(message)})
        return summary


class AccessRequestForm(forms.Form):
    """Innsynskrav: who asks, where the answer goes, and anything they want to add."""

    name = OneLineField(
        max_length=MAX_NAME,
        length_message=_("Namnet kan vere høgst %(limit_value)d teikn. No er det %(show_value)d."),
        one_line_message=_("Skriv namnet på éi linje, utan linjeskift eller usynlege styreteikn."),
        label=_("Namn"),
        error_messages={"required": _("Skriv inn namnet ditt.")},
        widget=forms.TextInput(attrs={"autocomplete": "name", "class": "ds-input"}),
    )
    email = forms.EmailField(
        label=_("E-post"),
        help_text=_("Hit sender vi svaret og dokumenta."),
        validators=[MaxLengthValidator(MAX_EMAIL, _("E-postadressa er for lang."))],
        error_messages={
            "required": _("Skriv inn e-postadressa di, så vi kan sende deg svaret."),
            "invalid": _("Skriv ei gyldig e-postadresse, til dømes namn@example.no."),
        },
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "spellcheck": "false", "class": "ds-input"}
        ),
    )
    message = forms.CharField(
        label=_("Melding (valfritt)"),
        required=False,
        strip=False,
        help_text=_("Til dømes om du vil ha heile saka, eller berre dette dokumentet."),
        validators=[
            MaxLengthValidator(
                MAX_BODY,
                _("Meldinga kan vere høgst %(limit_value)d teikn. No er det %(show_value)d."),
            )
        ],
        widget=forms.Textarea(attrs={"rows": 4, "class": "ds-input"}),
    )

    def sender_data(self, *, language: str) -> SenderData:
        return SenderData(
            name=self.cleaned_data["name"],
            email=self.cleaned_data["email"],
            kind=SenderKind.RESIDENT,
            language=language,
        )

    def error_summary(self) -> list[dict[str, str]]:
        summary = []
        for name in self.fields:
            for message in self.errors.get(name, []):
                summary.append({"anchor": str(self[name].auto_id), "message": str(message)})
        return summary
