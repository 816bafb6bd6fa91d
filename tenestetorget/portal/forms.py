"""The public contact form: parses what the citizen typed into plain values for
contact.services.register_inquiry.

The rules live in the contact service. The form asks the service's own validators
(clean_sender, validate_attachments) so that every mistake is shown at once, next to its field,
and maps any ValidationError that register_inquiry still raises back to the fields
(SERVICE_ERROR_FIELDS). The form holds no limits of its own beyond the service's.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from tenestetorget.contact.models import SenderKind
from tenestetorget.contact.services import (
    MAX_BODY,
    MAX_SUBJECT,
    SenderData,
    clean_sender,
    validate_attachments,
)
from tenestetorget.core.upload_fields import MultipleUploadField
from tenestetorget.organisation.models import Queue
from tenestetorget.portal.localised import LocalText, current_language, localised

#: Keys of the service's ValidationError -> form field. Anything else is shown at the top.
SERVICE_ERROR_FIELDS = {
    "subject": "subject",
    "body": "body",
    "sender.name": "name",
    "sender.email": "email",
    "sender.phone": "phone",
    "sender.organisation_number": "organisation_number",
    "sender.kind": "kind",
    "queue": "queue",
    "attachments": "attachments",
}

#: clean_sender's keys -> form field.
SENDER_ERROR_FIELDS = {
    "name": "name",
    "email": "email",
    "phone": "phone",
    "organisation_number": "organisation_number",
    "kind": "kind",
}

MAX_NAME = 200  # Sender.name
MAX_EMAIL = 254  # Sender.email (EmailField)
MAX_PHONE = 40  # Sender.phone
MAX_ORGNR_INPUT = 20  # nine digits, with spaces or dots as people write them


class TopicSelect(forms.Select):
    """The topic list: queue names grouped by unit, in the reader's language where translated;
    a Nynorsk name on a page in another language gets `lang="nn"` (portal.localised)."""

    template_name = "portal/widgets/topic_select.html"

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        label = option["label"]
        if isinstance(label, LocalText) and label.fell_back:
            option["attrs"]["lang"] = label.language
        return option


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(MultipleUploadField):
    """Several files in one input; cleans to a list (empty when none). A file the upload
    handler refused (too large, one too many) reaches clean_attachments, which says why."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)


def _text(max_length: int, message: Any, **kwargs: Any) -> forms.CharField:
    # A validator rather than max_length: max_length would add a maxlength attribute, and
    # browsers then cut pasted text silently; a message says what to do instead.
    return forms.CharField(validators=[MaxLengthValidator(max_length, message)], **kwargs)


#: Bidirectional embeddings, overrides and isolates: invisible, they make text show in another
#: order than it is written ("\u202emoc.live" reads as a domain).
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _breaks_the_line(ch: str) -> bool:
    """A line or paragraph break of any kind (LF, CR, NEL, U+2028, U+2029, VT, FF), another
    control character, or a direction control."""
    return unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in _BIDI_CONTROLS


class OneLineField(forms.CharField):
    """One line of text, such as a name or a subject that messages repeat: a tab becomes a
    space; a line break or another control character is refused with `one_line_message`
    (never removed silently), like a text too long (`max_length`, `length_message`)."""

    def __init__(
        self, *, max_length: int, length_message: Any, one_line_message: Any, **kwargs: Any
    ) -> None:
        self.one_line_message = one_line_message
        super().__init__(
            validators=[self._validate_one_line, MaxLengthValidator(max_length, length_message)],
            **kwargs,
        )

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).replace("\t", " ")

    def _validate_one_line(self, value: str) -> None:
        if any(_breaks_the_line(ch) for ch in value):
            raise ValidationError(self.one_line_message, code="one_line")


class ContactForm(forms.Form):
    name = OneLineField(
        max_length=MAX_NAME,
        length_message=_("Namnet kan vere høgst %(limit_value)d teikn. No er det %(show_value)d."),
        one_line_message=_("Skriv namnet på éi linje, utan linjeskift eller usynlege styreteikn."),
        label=_("Namn"),
        error_messages={"required": _("Skriv inn namnet ditt.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = _text(
        MAX_EMAIL,
        _("E-postadressa kan vere høgst %(limit_value)d teikn."),
        label=_("E-post"),
        required=False,
        help_text=_("Hit sender vi stadfestinga og svaret."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = _text(
        MAX_PHONE,
        _("Telefonnummeret kan vere høgst %(limit_value)d teikn."),
        label=_("Telefon"),
        required=False,
        help_text=_("Om du heller vil at vi ringjer deg."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    kind = forms.ChoiceField(
        label=_("Eg skriv som"),
        choices=SenderKind.choices,
        initial=SenderKind.RESIDENT,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Vel kven du skriv som."),
            "invalid_choice": _("Vel eit av svara i lista."),
        },
    )
    organisation_number = _text(
        MAX_ORGNR_INPUT,
        _("Organisasjonsnummeret har 9 siffer."),
        label=_("Organisasjonsnummer (valfritt)"),
        required=False,
        help_text=_("For verksemder, lag og offentlege instansar: 9 siffer."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    queue = forms.ChoiceField(
        label=_("Kva gjeld det? (valfritt)"),
        required=False,
        help_text=_("Veit du ikkje, sender Tenestetorget det vidare til rett stad."),
        widget=TopicSelect,
        error_messages={"invalid_choice": _("Vel eit av fagområda i lista.")},
    )
    subject = OneLineField(
        max_length=MAX_SUBJECT,
        length_message=_("Emnet kan vere høgst %(limit_value)d teikn. No er det %(show_value)d."),
        one_line_message=_(
            "Skriv emnet på éi linje, utan linjeskift eller usynlege styreteikn. "
            "Resten kan du skrive i teksten under."
        ),
        label=_("Emne"),
        help_text=_("Kort om kva det gjeld, til dømes «Søknad om snøskuterløyve»."),
        error_messages={"required": _("Skriv eit emne.")},
    )
    body = _text(
        MAX_BODY,
        _(
            "Teksten kan vere høgst %(limit_value)d teikn. No er det %(show_value)d. "
            "Korta ned, eller legg den lange teksten ved som fil."
        ),
        label=_("Kva lurer du på?"),
        help_text=_(
            "Skriv ikkje fødselsnummer eller helseopplysningar her. Treng saka slikt, ring oss."
        ),
        error_messages={"required": _("Skriv kva du lurer på.")},
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    attachments = MultipleFileField(
        label=_("Vedlegg (valfritt)"),
        required=False,
        error_messages={
            "empty": _("Fila er tom."),
            "invalid": _("Det som vart sendt, var ikkje ei fil."),
        },
    )

    #: Fields shown in one fieldset: the citizen and how to reach them.
    SENDER_FIELDS = ("name", "email", "phone", "kind", "organisation_number")
    #: The inquiry itself.
    INQUIRY_FIELDS = ("queue", "subject", "body", "attachments")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queue_field = self.fields["queue"]
        assert isinstance(queue_field, forms.ChoiceField)
        choices = self._queue_choices()
        queue_field.choices = choices
        #: The codes a citizen can choose (the active queues), grouped by unit in `choices`.
        self.topic_codes: set[str] = {
            str(code) for _unit, group in choices[1:] for code, _name in group
        }
        conf: dict[str, Any] = settings.TENESTETORGET
        self.fields["attachments"].help_text = _(
            "Opptil %(n)s filer, høgst %(mb)s MB kvar. Filtypar: %(types)s."
        ) % {
            "n": conf["MAX_ATTACHMENTS"],
            "mb": conf["MAX_ATTACHMENT_BYTES"] // (1024 * 1024) or 1,
            "types": ", ".join(conf["ALLOWED_ATTACHMENT_TYPES"]),
        }
        self.fields["attachments"].widget.attrs["accept"] = ",".join(
            conf["ALLOWED_ATTACHMENT_TYPES"]
        )
        for field in self.fields.values():
            if not isinstance(field.widget, forms.RadioSelect | forms.FileInput):
                field.widget.attrs.setdefault("class", "ds-input")
        self.fields["kind"].widget.attrs["class"] = "ds-input"

    @staticmethod
    def _queue_choices() -> list[tuple[Any, Any]]:
        """ "Veit ikkje" first, then the active queues grouped by their unit, named in the
        reader's language (LocalText labels, see portal.localised)."""
        language = current_language()
        groups: dict[int, tuple[LocalText, list[tuple[str, LocalText]]]] = {}
        queues = Queue.objects.filter(active=True).select_related("unit")
        for queue in queues.order_by("unit__name", "name"):
            unit = queue.unit
            _label, group = groups.setdefault(unit.pk, (localised(unit, "name", language), []))
            group.append((queue.code, localised(queue, "name", language)))
        choices: list[tuple[Any, Any]] = [("", _("Veit ikkje"))]
        choices.extend(groups.values())
        return choices

    # --- validation -----------------------------------------------------------------------

    def clean_attachments(self) -> list[UploadedFile]:
        uploads: list[UploadedFile] = self.cleaned_data.get("attachments") or []
        try:
            validate_attachments(uploads)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return uploads

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email = (data.get("email") or "").strip()
        phone = (data.get("phone") or "").strip()
        if not email and not phone and not self.has_error("email") and not self.has_error("phone"):
            # The same rule register_inquiry applies to the web form; checked here too so the
            # citizen sees it together with any other mistake.
            self.add_error(
                "email",
                _("Skriv inn e-postadressa di eller telefonnummeret ditt, så vi kan svare."),
            )
        if data.get("name"):
            try:
                clean_sender(self.sender_data(language="nn"))
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    field = SENDER_ERROR_FIELDS.get(key)
                    if field is not None and not self.has_error(field):
                        for message in messages:
                            self.add_error(field, message)
        return data

    # --- values for the service -----------------------------------------------------------

    def sender_data(self, *, language: str) -> SenderData:
        data = self.cleaned_data
        return SenderData(
            name=data.get("name") or "",
            email=data.get("email") or "",
            phone=data.get("phone") or "",
            kind=data.get("kind") or SenderKind.RESIDENT,
            organisation_number=data.get("organisation_number") or "",
            language=language,
        )

    def add_service_errors(self, error: ValidationError) -> None:
        """Put the service's errors next to the fields they belong to."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, messages in error.message_dict.items():
            field = SERVICE_ERROR_FIELDS.get(key)
            for message in messages:
                if field is not None and field in self.fields:
                    if message not in self.errors.get(field, []):
                        self.add_error(field, message)
                else:
                    self.add_error(None, message)

    # --- rendering ------------------------------------------------------------------------

    def error_summary(self) -> list[dict[str, str]]:
        """(anchor, message) for each field error in the order of the form, for the error
        summary at the top; each links to its field."""
        summary = []
        for name in self.fields:
            if name not in self.errors:
                continue
            bound = self[name]
            anchor = f"{bound.auto_id}_0" if name == "kind" else bound.auto_id
            for message in self.errors[name]:
                summary.append({"anchor": str(anchor), "message": str(message)})
        return summary

    def sender_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.SENDER_FIELDS]

    def inquiry_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.INQUIRY_FIELDS]
