"""Forms for the staff pages. They parse input; the rules live in services."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tenestetorget.contact.models import SenderKind
from tenestetorget.core.upload_fields import MultipleUploadField
from tenestetorget.core.widgets import FastSelect
from tenestetorget.organisation.models import Channel, Queue, in_language

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise
    from django.utils.safestring import SafeString

#: Service error keys (see services.register_inquiry) and the form fields they belong to.
SERVICE_FIELD_MAP = {
    "subject": "subject",
    "body": "body",
    "channel": "channel",
    "queue": "queue",
    "received_at": None,
    "attachments": "attachments",
    "sender.name": "sender_name",
    "sender.email": "sender_email",
    "sender.phone": "sender_phone",
    "sender.kind": "sender_kind",
    "sender.organisation_number": "organisation_number",
    "sender.national_id": "national_id",
    "sender.postal_address": "postal_address",
    "sender.postcode": "postcode",
    "sender.postal_place": "postal_place",
    "text": "text",
    "new_due_date": "new_due_date",
    "channel_days": None,
}


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, field by field, so the page shows each
    message next to its field and nothing the user typed is lost."""
    if hasattr(error, "error_dict"):
        for key, messages in error.message_dict.items():
            field = SERVICE_FIELD_MAP.get(key, key)
            if field not in form.fields:
                field = None
            for message in messages:
                form.add_error(field, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(MultipleUploadField):
    widget = MultipleFileInput


class QueueSelect(FastSelect):
    """The queue list, each option carrying the words a person might search for it by
    (data-words): its name, unit and scope, and the tags and synonyms of the knowledge
    articles it owns (`extra_words`, by queue code). The phone note's filter matches these,
    so "snø" finds the roads queue that clears snow, not only queues named so."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.extra_words: dict[str, str] = {}

    def option_attrs(self, option_value: Any, key: str) -> SafeString:
        queue = getattr(option_value, "instance", None)
        words = ""
        if isinstance(queue, Queue):
            words = " ".join(
                (queue.name, queue.unit.name, queue.scope, self.extra_words.get(key, ""))
            ).casefold()
        return format_html(' data-words="{}"', words)


class QueueChoiceField(forms.ModelChoiceField):
    widget = FastSelect

    def label_from_instance(self, obj: Queue) -> str:
        return f"{obj.name} ({obj.unit.name})"


def queue_field(
    label: str | _StrPromise,
    required: bool,
    empty_label: str | _StrPromise | None,
    widget: type[forms.Select] = FastSelect,
) -> QueueChoiceField:
    return QueueChoiceField(
        queryset=Queue.objects.filter(active=True).select_related("unit").order_by("name"),
        to_field_name="code",
        label=label,
        required=required,
        empty_label=empty_label,
        widget=widget,
    )


class PhoneNoteForm(forms.Form):
    """The quick form the front desk fills in while talking (telefonnotat)."""

    submission_id = forms.CharField(widget=forms.HiddenInput, required=False)
    channel = forms.ChoiceField(label=_("Kanal"), choices=Channel.choices, initial=Channel.PHONE)
    sender_name = forms.CharField(
        label=_("Namn"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
    sender_phone = forms.CharField(
        label=_("Telefon"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    sender_email = forms.CharField(
        label=_("E-post"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    sender_kind = forms.ChoiceField(
        label=_("Avsendar er"), choices=SenderKind.choices, initial=SenderKind.RESIDENT
    )
    organisation_number = forms.CharField(
        label=_("Organisasjonsnummer"),
        max_length=20,
        required=False,
        help_text=_("9 siffer, berre for verksemder og lag."),
    )
    national_id = forms.CharField(
        label=_("Fødselsnummer"),
        max_length=20,
        required=False,
        help_text=_("Berre når saka krev det. Blir vist maskert."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    # For an answer by letter; the lookup fills them in from the register.
    postal_address = forms.CharField(
        label=_("Postadresse"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    postcode = forms.CharField(
        label=_("Postnummer"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    postal_place = forms.CharField(
        label=_("Poststad"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    language = forms.ChoiceField(
        label=_("Svarspråk"),
        choices=[("nn", "Nynorsk"), ("nb", "Bokmål"), ("en", "English")],
        initial="nn",
    )
    subject = forms.CharField(label=_("Emne"), max_length=300)
    body = forms.CharField(
        label=_("Tekst"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    queue = queue_field(
        _("Fagområde"), required=False, empty_label=_("Ikkje fordelt enno"), widget=QueueSelect
    )
    first_contact_resolved = forms.BooleanField(
        label=_("Løyst i fyrstelina"),
        required=False,
        help_text=_("Kryss av når du svarte på staden. Henvendinga blir då avslutta."),
    )
    resolution = forms.CharField(
        label=_("Kva svara du?"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    attachments = MultipleFileField(label=_("Vedlegg"), required=False)

    def __init__(
        self, *args: Any, queue_words: dict[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_id", uuid.uuid4().hex)
        widget = self.fields["queue"].widget
        assert isinstance(widget, QueueSelect)
        widget.extra_words = queue_words or {}
        # The chosen queue's answer time is shown under it (see phone_note.html).
        widget.attrs["aria-describedby"] = "queue-answer-time"


def staff_label(user: Any) -> str:
    return f"{user.get_full_name() or user.username} ({user.staff_profile.unit.name})"


class ForwardForm(forms.Form):
    prefix = "forward"
    to_queue = queue_field(_("Til fagområde"), required=False, empty_label=_("Vel fagområde"))
    to_user = forms.ModelChoiceField(
        queryset=get_user_model()
        .objects.filter(is_active=True, staff_profile__isnull=False)
        .select_related("staff_profile__unit")
        .order_by("first_name", "last_name"),
        label=_("Til person"),
        required=False,
        empty_label=_("Alle i fagområdet"),
        widget=FastSelect,
    )
    note = forms.CharField(
        label=_("Merknad til mottakaren"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.label_from_instance = staff_label  # type: ignore[method-assign,assignment]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("to_queue") and not data.get("to_user"):
            raise ValidationError(_("Vel eit fagområde eller ein person å sende vidare til."))
        return data


class AnswerForm(forms.Form):
    prefix = "answer"
    text = forms.CharField(
        label=_("Svar til avsendaren"), widget=forms.Textarea(attrs={"rows": 8}), max_length=50_000
    )
    close = forms.BooleanField(label=_("Avslutt henvendinga"), required=False, initial=True)
    # The knowledge article the answer was started from (its slug), recorded with the answer.
    article = forms.CharField(widget=forms.HiddenInput, required=False, max_length=120)


class InterimReplyForm(forms.Form):
    prefix = "interim"
    new_due_date = forms.DateField(
        label=_("Ny svardato"), widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(
        label=_("Kvifor tek svaret tid?"), widget=forms.Textarea(attrs={"rows": 4})
    )


class NoteForm(forms.Form):
    prefix = "note"
    text = forms.CharField(label=_("Intern merknad"), widget=forms.Textarea(attrs={"rows": 3}))


class PauseForm(forms.Form):
    prefix = "pause"
    note = forms.CharField(
        label=_("Kva manglar?"),
        help_text=_(
            "Har avsendaren e-postadresse, blir teksten send dit saman med referansen, på "
            "språket til avsendaren."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CloseForm(forms.Form):
    prefix = "close"
    note = forms.CharField(
        label=_("Merknad"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    first_contact_resolved = forms.BooleanField(label=_("Løyst i fyrstelina"), required=False)


class FileForm(forms.Form):
    """Arkiver: file the inquiry in a new case or an open one, screened if need be."""

    prefix = "file"
    case_number = forms.CharField(
        label=_("Saksnummer"),
        help_text=_("Tomt: ny sak. Eller saksnummeret til ei open sak, til dømes 2026/12."),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"list": "open-cases", "autocomplete": "off"}),
    )
    new_case_title = forms.CharField(label=_("Tittel på ny sak"), required=False, max_length=1000)
    screen = forms.BooleanField(label=_("Skjerm (unnateke frå offentlegheit)"), required=False)
    tilgangsrestriksjon = forms.CharField(
        label=_("Tilgangsrestriksjon"), required=False, max_length=20, initial="13"
    )
    skjermingshjemmel = forms.CharField(
        label=_("Heimel"), required=False, max_length=200, initial="Offl. § 13 jf. fvl. § 13"
    )
    offentlig_tittel = forms.CharField(
        label=_("Offentleg tittel"),
        help_text=_("Byt ut orda som skal skjermast med ******."),
        required=False,
        max_length=1000,
    )
    screen_name = forms.BooleanField(
        label=_("Skjerm namnet til avsendaren"), required=False, initial=True
    )


class AttachmentForm(forms.Form):
    prefix = "attach"
    uploads = MultipleFileField(label=_("Legg ved filer"))


class GuaranteeForm(forms.Form):
    """Set the guarantee for one queue and channel (creates or changes it)."""

    queue = queue_field(_("Fagområde"), required=True, empty_label=None)
    channel = forms.ChoiceField(label=_("Kanal"), choices=Channel.choices)
    answer_working_days = forms.IntegerField(
        label=_("Svar innan (arbeidsdagar)"), min_value=0, max_value=260
    )
    interim_reply_working_days = forms.IntegerField(
        label=_("Førebels svar innan (arbeidsdagar)"), min_value=0, max_value=260, required=False
    )
    text = forms.CharField(label=_("Publisert tekst"), max_length=300, required=False)
    # The same text in Bokmål and English; left empty, those pages and messages compose the
    # promise from the working days.
    text_nb = forms.CharField(
        label=in_language(_("Publisert tekst"), "nb"), max_length=300, required=False
    )
    text_en = forms.CharField(
        label=in_language(_("Publisert tekst"), "en"), max_length=300, required=False
    )
