"""Serializers: the JSON shape of the API, nothing more.

Input serializers check types and lengths the database needs; what makes a value valid
(an e-mail address, a fødselsnummer, a queue code, a contact for the channel) is decided by
`contact.services.register_inquiry`, so the API and the staff forms give the same answers.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator, RegexValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from tenestetorget.contact.models import (
    EventKind,
    Inquiry,
    InquiryEvent,
    SenderKind,
    Status,
)
from tenestetorget.contact.selectors import today
from tenestetorget.contact.services import MAX_SUBJECT, actions_for, resolve_queue
from tenestetorget.contact.transitions import Action
from tenestetorget.knowledge.models import Article
from tenestetorget.organisation.models import Channel, Queue


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 timestamp that must carry its offset.

    DRF would silently read a naive time as Europe/Oslo; an API client that forgot the offset
    is better told, so a naive value is passed on unchanged and register_inquiry refuses it
    with its own message."""

    def enforce_timezone(self, value: dt.datetime) -> dt.datetime:
        if timezone.is_naive(value):
            return value
        return super().enforce_timezone(value)


#: What DRF's CharField trims (Python's str.strip()), spelled out: JSON Schema's \s (ECMA) is
#: another set (it lacks \x1c-\x1f and \x85), and the schema must say what the server does.
_SPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
#: Text without NUL (which PostgreSQL cannot store; DRF refuses it): the schema's pattern.
#: It leaves out the empty text, which the schema allows beside it where a field may be blank
#: (drf-spectacular writes oneOf [pattern, maxLength 0], and oneOf needs them apart).
NO_NUL = RegexValidator(
    r"\A[^\x00]+\Z", gettext_lazy("Teksten kan ikkje innehalde NUL-teiknet (\\u0000).")
)
#: The same, with at least one character that is not space: for the texts the services
#: refuse when empty (a subject, a name, a note, an answer).
NOT_BLANK = RegexValidator(
    rf"\A[^\x00]*[^{_SPACE}\x00][^\x00]*\Z",
    gettext_lazy("Teksten kan ikkje vere tom eller innehalde NUL-teiknet (\\u0000)."),
)


class TextField(serializers.CharField):
    """A JSON string and nothing else. DRF's CharField takes 123 as "123"; the schema says
    string, and a number where text belongs is a client's mistake worth telling it about.

    The schema gets a pattern for what the server refuses: NUL anywhere, and with
    `not_blank` an empty text or one of only spaces. Those still reach the service, which
    refuses them with its own message beside every other error of the request."""

    default_error_messages = {
        "not_text": gettext_lazy(
            "Skriv tekst (ein JSON-streng), ikkje eit tal eller ein annan verdi."
        )
    }

    def __init__(self, *, not_blank: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)
        self.not_blank = not_blank
        # Ours says the same in the caller's language, and is the schema's pattern.
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]
        self.validators.append(NOT_BLANK if not_blank else NO_NUL)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("not_text")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """JSON true or false. DRF's BooleanField also takes "yes", "on", 1 and "true", which
    the schema (type: boolean) does not allow."""

    default_error_messages = {
        "invalid": gettext_lazy("Skriv true eller false (JSON), utan hermeteikn.")
    }

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


@extend_schema_field({"type": "string", "enum": ["", "0", "1", "false", "true"], "default": ""})
class QueryFlagField(serializers.Field):
    """An on/off query parameter: 1 or true for on; 0, false or empty (or none) for off, as
    the staff inbox's form sends it. Nothing else, so that a typo is told, not ignored."""

    ON = frozenset({"1", "true"})
    OFF = frozenset({"", "0", "false"})
    default_error_messages = {
        "invalid": gettext_lazy("Skriv 1 eller true for på, 0 eller false for av.")
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("default", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> bool:
        if data in self.ON:
            return True
        if data in self.OFF:
            return False
        self.fail("invalid")
        raise AssertionError  # fail() raises

    def to_representation(self, value: Any) -> str:
        return "1" if value else "0"


class LeanSerializer(serializers.Serializer[Any]):
    # A serializer whose fields are copied shallowly for each instance. DRF deep-copies every
    # declared field for each serializer instance, so that code changing a field on one
    # instance cannot change it on another; with choices and validators that copying was
    # three quarters of the time spent validating an inquiry. Our serializers never change
    # their fields after declaring them, so a shallow copy (each instance still binds its own
    # field objects) gives the same result. (A comment, not a docstring: drf-spectacular
    # would publish a docstring as every subclass's description.)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {name: copy.copy(field) for name, field in self._declared_fields.items()}


class RequestSchemaExtension(OpenApiSerializerExtension):
    """The schema of the request serializers, as the server reads them:

    - a `not_blank` text without drf-spectacular's "or the empty text" (it writes oneOf
      [pattern, maxLength 0] for every field that may be blank): the service refuses it;
    - an action's body with `additionalProperties: false`: ActionRequestSerializer refuses
      fields it does not know.
    """

    target_class = "tenestetorget.api.serializers.LeanSerializer"
    match_subclasses = True

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema: dict[str, Any] = auto_schema._map_serializer(
            self.target, direction, bypass_extensions=True
        )
        properties = schema.get("properties", {})
        for name, field in self.target.fields.items():
            if getattr(field, "not_blank", False) and "oneOf" in properties.get(name, {}):
                text, _empty = properties[name].pop("oneOf")
                properties[name].update(text)
        if isinstance(self.target, ActionRequestSerializer):
            schema["additionalProperties"] = False
        return schema


class SenderSerializer(LeanSerializer):
    """Who asked. One shape for request and response: the fødselsnummer goes in and only its
    masked form comes out."""

    name = TextField(
        not_blank=True,
        help_text="Name of the person or body.",
    )
    email = TextField(allow_blank=True, max_length=254, default="")
    phone = TextField(allow_blank=True, max_length=40, default="")
    kind = serializers.ChoiceField(choices=SenderKind.choices, default=SenderKind.RESIDENT)
    organisation_number = TextField(
        allow_blank=True, max_length=20, default="", help_text="Organisasjonsnummer (9 digits)."
    )
    national_id = TextField(
        allow_blank=True,
        max_length=20,
        default="",
        write_only=True,
        help_text="Fødselsnummer or D-nummer (11 digits). Give it only when the matter needs "
        "it; it is never returned, only national_id_masked.",
    )
    national_id_masked = serializers.CharField(
        source="masked_national_id",
        read_only=True,
        help_text="The birth date part of the fødselsnummer, the rest masked: 010190*****.",
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        default="nn",
        help_text="Language of the messages to the sender (acknowledgement, answer).",
    )
    postal_address = TextField(
        allow_blank=True, max_length=200, default="", help_text="Street or PO box, for letters."
    )
    postcode = TextField(
        allow_blank=True, max_length=10, default="", help_text="Postnummer (4 digits)."
    )
    postal_place = TextField(allow_blank=True, max_length=100, default="", help_text="Poststad.")


class InquiryCreateSerializer(LeanSerializer):
    channel = serializers.ChoiceField(choices=Channel.choices)
    subject = TextField(not_blank=True, max_length=MAX_SUBJECT, help_text="The subject.")
    body = TextField(
        allow_blank=True, default="", trim_whitespace=False, help_text="The inquiry's text."
    )
    sender = SenderSerializer()
    queue = TextField(
        allow_null=True,
        allow_blank=True,
        max_length=40,
        default=None,
        help_text="Code of the queue (fagområde); null or absent leaves the inquiry for the "
        "front desk to route.",
    )
    received_at = AwareDateTimeField(
        allow_null=True,
        default=None,
        help_text="When the inquiry came in, ISO 8601 with offset (2026-03-02T09:15:00+01:00); "
        "default now. A time without offset is refused.",
    )


class InquiryCreatedSerializer(LeanSerializer):
    reference = serializers.CharField(read_only=True, help_text="E.g. 2026-000123.")
    queue = serializers.CharField(
        source="queue.code", read_only=True, allow_null=True, help_text="Queue code or null."
    )
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    due_date = serializers.DateField(
        read_only=True, help_text="The promised answer date (from the queue's guarantee)."
    )


class InquiryClockMixin:
    # What the list and the detail say about the guarantee clock and the status machine,
    # from the inquiry's own columns: `overdue` is `Inquiry.is_overdue` (contact.clock), and
    # `allowed_actions` is the status machine's table (contact.transitions). (A comment, not
    # a docstring: drf-spectacular would publish it as each serializer's description.)

    _today: dt.date | None = None

    def get_overdue(self, inquiry: Inquiry) -> bool:
        # `today` is read once per response: one child serializer serves every row of a list.
        if self._today is None:
            self._today = today()
        return inquiry.is_overdue(self._today)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(Action.choices)))
    def get_allowed_actions(self, inquiry: Inquiry) -> list[str]:
        # What this user may do: the status machine narrowed by the user's role.
        request = getattr(self, "context", {}).get("request")
        user = getattr(request, "user", None)
        return [
            action.value
            for action in actions_for(user, inquiry, pending_handover=has_pending_handover(inquiry))
        ]


def has_pending_handover(inquiry: Inquiry) -> bool:
    """A handover waits for acknowledgement. Reads what the view prefetched: the list's
    `open_handovers`, or the detail's handovers."""
    pending = getattr(inquiry, "open_handovers", None)
    if pending is None:
        pending = [h for h in inquiry.handovers.all() if h.acknowledged_at is None]
    return bool(pending)


_ORIGINAL_DUE_HELP = "The promise made when the current round began (registered or reopened)."
_DUE_HELP = (
    "The promised answer date: the original promise extended by the working time spent "
    "waiting for the sender. An interim reply never moves it."
)
_PAUSED_HELP = "Waiting for the sender: the guarantee clock is stopped."
_OVERDUE_HELP = (
    "Open and past its due date, unless it waits for the sender since before the date "
    "passed (contact.clock, the same rule as the inbox's overdue filter)."
)
_KEPT_HELP = "Whether the current round was answered or closed by its due date; null while open."
_INTERIM_PROMISED_HELP = "The date an interim reply (førebels svar) told the sender, if any."
_ALLOWED_HELP = (
    "What you may do now (POST /inquiries/{reference}/{action}/): the actions the "
    "inquiry's status allows, narrowed to your role."
)


class IntakeFlagsMixin(serializers.Serializer[Inquiry]):
    # What the intake adds to an inquiry, on the list and the detail alike: the e-mail's
    # Message-ID and the text's flags (routing.flags). (A comment, not a docstring, as above.)

    message_id = serializers.CharField(
        read_only=True, help_text="The e-mail's Message-ID when it came by e-mail, else empty."
    )
    urgent = serializers.BooleanField(
        read_only=True, help_text="Marked urgent from its text; the queue was told at once."
    )
    screening_suggested = serializers.BooleanField(
        read_only=True,
        help_text="The text holds a fødselsnummer or health information: the archive should "
        "consider screening (unntak frå innsyn).",
    )
    external_body = serializers.CharField(
        read_only=True,
        help_text="For the ekstern queue: the other public body the matter belongs to "
        "(vegvesen, fylkeskommune, skatteetaten, nav, politiet, ...), else empty.",
    )


class InquiryListItemSerializer(
    InquiryClockMixin, IntakeFlagsMixin, serializers.Serializer[Inquiry]
):
    reference = serializers.CharField(read_only=True)
    channel = serializers.ChoiceField(choices=Channel.choices, read_only=True)
    subject = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    queue = serializers.CharField(source="queue.code", read_only=True, allow_null=True)
    unit = serializers.CharField(source="queue.unit.code", read_only=True, allow_null=True)
    sender_name = serializers.CharField(
        read_only=True, help_text="The sender's name as given with this inquiry."
    )
    assigned_to = serializers.CharField(
        source="assigned_to.username", read_only=True, allow_null=True, help_text="Username."
    )
    received_at = serializers.DateTimeField(read_only=True)
    original_due_date = serializers.DateField(read_only=True, help_text=_ORIGINAL_DUE_HELP)
    due_date = serializers.DateField(read_only=True, help_text=_DUE_HELP)
    paused = serializers.BooleanField(source="is_paused", read_only=True, help_text=_PAUSED_HELP)
    overdue = serializers.SerializerMethodField(help_text=_OVERDUE_HELP)
    guarantee_kept = serializers.BooleanField(read_only=True, allow_null=True, help_text=_KEPT_HELP)
    interim_promised_date = serializers.DateField(
        read_only=True, allow_null=True, help_text=_INTERIM_PROMISED_HELP
    )
    allowed_actions = serializers.SerializerMethodField(help_text=_ALLOWED_HELP)


class TimelineEventSerializer(serializers.Serializer[InquiryEvent]):
    kind = serializers.ChoiceField(choices=EventKind.choices, read_only=True)
    at = serializers.DateTimeField(read_only=True)
    actor = serializers.CharField(
        source="actor.username",
        read_only=True,
        allow_null=True,
        help_text="Username of the member of staff; null for the system or the public.",
    )
    text = serializers.CharField(read_only=True)


@dataclass(frozen=True)
class SenderSnapshot:
    """The sender as given with one inquiry (its snapshot columns), in the attribute names of
    the shared Sender that SenderSerializer reads: the API shows who asked this time, not
    the register of senders, which staff may update later."""

    name: str
    email: str
    phone: str
    kind: str
    organisation_number: str
    masked_national_id: str
    language: str
    postal_address: str
    postcode: str
    postal_place: str

    @classmethod
    def of(cls, inquiry: Inquiry) -> SenderSnapshot:
        return cls(
            name=inquiry.sender_name,
            email=inquiry.sender_email,
            phone=inquiry.sender_phone,
            kind=inquiry.sender_kind,
            organisation_number=inquiry.sender_organisation_number,
            masked_national_id=inquiry.masked_sender_national_id,
            language=inquiry.language,
            postal_address=inquiry.sender_postal_address,
            postcode=inquiry.sender_postcode,
            postal_place=inquiry.sender_postal_place,
        )


class InquiryDetailSerializer(InquiryClockMixin, IntakeFlagsMixin, serializers.Serializer[Inquiry]):
    reference = serializers.CharField(read_only=True)
    channel = serializers.ChoiceField(choices=Channel.choices, read_only=True)
    subject = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    queue = serializers.CharField(source="queue.code", read_only=True, allow_null=True)
    unit = serializers.CharField(source="queue.unit.code", read_only=True, allow_null=True)
    received_at = serializers.DateTimeField(read_only=True)
    original_due_date = serializers.DateField(read_only=True, help_text=_ORIGINAL_DUE_HELP)
    due_date = serializers.DateField(read_only=True, help_text=_DUE_HELP)
    paused = serializers.BooleanField(source="is_paused", read_only=True, help_text=_PAUSED_HELP)
    overdue = serializers.SerializerMethodField(help_text=_OVERDUE_HELP)
    guarantee_kept = serializers.BooleanField(read_only=True, allow_null=True, help_text=_KEPT_HELP)
    interim_reply_due = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="When an interim reply is due by the queue's guarantee, if it sets one.",
    )
    interim_promised_date = serializers.DateField(
        read_only=True, allow_null=True, help_text=_INTERIM_PROMISED_HELP
    )
    answered_at = serializers.DateTimeField(read_only=True, allow_null=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    first_contact_resolved = serializers.BooleanField(read_only=True)
    sender = serializers.SerializerMethodField(help_text="The sender as given with this inquiry.")
    assigned_to = serializers.CharField(
        source="assigned_to.username", read_only=True, allow_null=True, help_text="Username."
    )
    allowed_actions = serializers.SerializerMethodField(help_text=_ALLOWED_HELP)
    timeline = TimelineEventSerializer(source="events", many=True, read_only=True)

    @extend_schema_field(SenderSerializer)
    def get_sender(self, inquiry: Inquiry) -> dict[str, Any]:
        return dict(SenderSerializer(SenderSnapshot.of(inquiry)).data)


class InquiryFilterSerializer(serializers.Serializer[Any]):
    """Query parameters of the inquiry list: the inbox filters (contact.selectors.InboxFilter).
    An empty parameter means no filter, as in the staff inbox's form."""

    status = serializers.ChoiceField(
        choices=["open", "all", *Status.values],
        default="open",
        allow_blank=True,
        help_text="open (default: new, in progress, waiting, forwarded), all, or one status.",
    )
    queue = serializers.CharField(
        max_length=40, default="", allow_blank=True, help_text="Only this queue (by code)."
    )
    unit = serializers.CharField(
        max_length=40,
        default="",
        allow_blank=True,
        help_text="Only the queues of this unit (by code).",
    )
    channel = serializers.ChoiceField(
        choices=Channel.choices, default="", allow_blank=True, help_text="Only this channel."
    )
    overdue = QueryFlagField(help_text="1 or true: only open inquiries past their due date.")
    mine = QueryFlagField(help_text="1 or true: only those assigned to me.")
    unrouted = QueryFlagField(help_text="1 or true: only those without queue.")
    urgent = QueryFlagField(help_text="1 or true: only those marked urgent.")
    message_id = serializers.CharField(
        max_length=255,
        default="",
        allow_blank=True,
        help_text="Only the inquiry an e-mail with this Message-ID became (with the angle "
        "brackets, e.g. <abc@example.no>). Combine with status=all to find a closed one.",
    )
    attention = QueryFlagField(
        help_text="1 or true: only those with a handover not acknowledged in time."
    )

    def validate_status(self, value: str) -> str:
        return value or "open"


@extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
class ChannelDaysField(serializers.Field):
    """{channel: working days} from the queue's prefetched guarantees."""

    def __init__(self, attribute: str, **kwargs: Any) -> None:
        self.attribute = attribute
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, queue: Queue) -> dict[str, int]:
        # .all() reads the prefetch cache of queues_with_guarantees: no query per queue.
        result = {}
        for guarantee in queue.guarantees.all():
            days = getattr(guarantee, self.attribute)
            if days is not None:
                result[guarantee.channel] = days
        return result


class QueueSerializer(serializers.Serializer[Queue]):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    unit = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    guarantees = ChannelDaysField(
        "answer_working_days",
        help_text="Answer within this many working days, per channel. A channel that is "
        "missing has the municipality's default for that channel.",
    )
    interim_reply_days = ChannelDaysField(
        "interim_reply_working_days",
        help_text="An interim reply (førebels svar) is due within this many working days, for "
        "the channels that set one.",
    )


# --- acting on an inquiry: the request bodies of POST /inquiries/{reference}/{action}/ --------

MAX_NOTE = 10_000
MAX_TEXT = 50_000
#: Ten years: further ahead than any interim reply means, short of the calendar's end.
MAX_INTERIM_DAYS_AHEAD = 3653


def _note_field(help_text: str, *, required: bool = False) -> serializers.CharField:
    if required:
        return TextField(not_blank=True, max_length=MAX_NOTE, help_text=help_text)
    return TextField(allow_blank=True, max_length=MAX_NOTE, default="", help_text=help_text)


class ActionRequestSerializer(LeanSerializer):
    # The base of every action's body (a comment, not a docstring: see LeanSerializer). A
    # field the action does not know is refused rather than ignored: `"closed": false` sent
    # for `"close": false` would otherwise close the inquiry.

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        unknown: dict[str, Any] = {}
        if isinstance(data, Mapping):
            unknown = {
                str(key): [ErrorDetail(_("Ukjend felt."), code="unknown_field")]
                for key in data
                if key not in self.fields
            }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if unknown and isinstance(exc.detail, dict):
                raise serializers.ValidationError({**exc.detail, **unknown}) from None
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return dict(value)


class ForwardRequestSerializer(ActionRequestSerializer):
    queue = TextField(
        allow_blank=True,
        allow_null=True,
        max_length=40,
        default=None,
        help_text="Code of the queue (fagområde) to hand the inquiry to. May be left out when "
        "`user` is given: the person receives it in the current queue if it is their unit's, "
        "else in their unit's first queue.",
    )
    user = TextField(
        allow_blank=True,
        allow_null=True,
        max_length=150,
        default=None,
        help_text="Username of the member of staff who is to have it (optional).",
    )
    note = _note_field("A note to the receiver (on the timeline, not sent to the sender).")

    def validate_queue(self, value: str | None) -> Queue | None:
        try:
            return resolve_queue(value or None)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None

    def validate_user(self, value: str | None) -> Any:
        if not value:
            return None
        user = get_user_model().objects.filter(username=value, is_active=True).first()
        if user is None:
            raise serializers.ValidationError(_("Ukjend brukar: «%(user)s».") % {"user": value})
        return user


class AcknowledgeRequestSerializer(ActionRequestSerializer):
    """No fields: send no body or `{}`."""


class TakeRequestSerializer(ActionRequestSerializer):
    """No fields: send no body or `{}`."""


class NoteRequestSerializer(ActionRequestSerializer):
    note = _note_field(
        "The internal note (on the timeline, never sent to the sender). An empty note is refused.",
        required=True,
    )


class PauseRequestSerializer(ActionRequestSerializer):
    note = _note_field(
        "What is missing. When the sender has an e-mail address it is sent to them, in "
        "their language."
    )


class ResumeRequestSerializer(ActionRequestSerializer):
    note = _note_field("What came in from the sender (on the timeline).")


class InterimReplyRequestSerializer(ActionRequestSerializer):
    text = TextField(
        not_blank=True,
        max_length=MAX_TEXT,
        help_text="Why the answer takes time; sent to the sender (when they have an e-mail "
        "address). An empty text is refused.",
    )
    due_date = serializers.DateField(
        help_text="When the answer will come (ISO date, after today); a day the office is "
        "closed moves to the next working day. It is recorded as `interim_promised_date` and "
        "does not move the guarantee's `due_date`."
    )

    def validate_due_date(self, value: dt.date) -> dt.date:
        # Not a rule of the interim reply (the service decides what is a good date), only a
        # bound against dates the calendar cannot count to (9999-12-31 is a closed day, and
        # the next working day after it does not exist).
        if value > today() + dt.timedelta(days=MAX_INTERIM_DAYS_AHEAD):
            raise serializers.ValidationError(_("Datoen er for langt fram i tid."))
        return value


class AnswerRequestSerializer(ActionRequestSerializer):
    text = TextField(
        not_blank=True,
        max_length=MAX_TEXT,
        help_text="The answer. Sent to the sender by e-mail when they have an address; "
        "otherwise recorded as what was said (a phone answer). An empty answer is refused.",
    )
    close = StrictBooleanField(
        default=True,
        help_text="Close the inquiry with the answer (default). false keeps it "
        "answered but open, for the sender to come back.",
    )
    article = TextField(
        allow_blank=True,
        allow_null=True,
        max_length=120,
        default=None,
        help_text="Slug of the knowledge article the answer is based on, if any. Only an "
        "article published for the public may be used.",
    )

    def validate_article(self, value: str | None) -> Article | None:
        if not value:
            return None
        article = Article.objects.filter(slug=value).first()
        if article is None:
            raise serializers.ValidationError(_("Ukjend artikkel: «%(slug)s».") % {"slug": value})
        return article


class CloseRequestSerializer(ActionRequestSerializer):
    note = _note_field("Why it is closed (on the timeline).")
    first_contact_resolved = StrictBooleanField(
        default=False, help_text="Resolved at the first line (løyst i fyrstelina)."
    )


class ReopenRequestSerializer(ActionRequestSerializer):
    note = _note_field("Why it is opened again (on the timeline).")
