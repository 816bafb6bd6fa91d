"""Serializers: the JSON shape of the API, nothing more.

Input serializers check types and lengths the database needs; what makes a value valid
(an e-mail address, a fødselsnummer, a queue code, a contact for the channel) is decided by
`contact.services.register_inquiry`, so the API and the staff forms give the same answers.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tenestetorget.contact.models import (
    EventKind,
    Inquiry,
    InquiryEvent,
    SenderKind,
    Status,
)
from tenestetorget.contact.selectors import today
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


class SenderSerializer(LeanSerializer):
    """Who asked. One shape for request and response: the fødselsnummer goes in and only its
    masked form comes out."""

    name = serializers.CharField(allow_blank=True, help_text="Name of the person or body.")
    email = serializers.CharField(allow_blank=True, max_length=254, default="")
    phone = serializers.CharField(allow_blank=True, max_length=40, default="")
    kind = serializers.ChoiceField(choices=SenderKind.choices, default=SenderKind.RESIDENT)
    organisation_number = serializers.CharField(
        allow_blank=True, max_length=20, default="", help_text="Organisasjonsnummer (9 digits)."
    )
    national_id = serializers.CharField(
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


class InquiryCreateSerializer(LeanSerializer):
    channel = serializers.ChoiceField(choices=Channel.choices)
    subject = serializers.CharField(allow_blank=True, help_text="At most 300 characters.")
    body = serializers.CharField(
        allow_blank=True, default="", trim_whitespace=False, help_text="The inquiry's text."
    )
    sender = SenderSerializer()
    queue = serializers.CharField(
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


class InquiryListItemSerializer(serializers.Serializer[Inquiry]):
    reference = serializers.CharField(read_only=True)
    channel = serializers.ChoiceField(choices=Channel.choices, read_only=True)
    subject = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    queue = serializers.CharField(source="queue.code", read_only=True, allow_null=True)
    unit = serializers.CharField(source="queue.unit.code", read_only=True, allow_null=True)
    sender_name = serializers.CharField(source="sender.name", read_only=True)
    assigned_to = serializers.CharField(
        source="assigned_to.username", read_only=True, allow_null=True, help_text="Username."
    )
    received_at = serializers.DateTimeField(read_only=True)
    due_date = serializers.DateField(read_only=True)
    is_overdue = serializers.SerializerMethodField(
        help_text="Open, not waiting for the sender, and past its due date."
    )

    _today: dt.date | None = None

    def get_is_overdue(self, inquiry: Inquiry) -> bool:
        # The same rule as the inbox (contact.selectors.inbox); `today` is read once per
        # page, as the one child serializer serves every row of the list.
        if self._today is None:
            self._today = today()
        return bool(
            inquiry.is_open and inquiry.paused_since is None and inquiry.due_date < self._today
        )


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


class InquiryDetailSerializer(serializers.Serializer[Inquiry]):
    reference = serializers.CharField(read_only=True)
    channel = serializers.ChoiceField(choices=Channel.choices, read_only=True)
    subject = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    queue = serializers.CharField(source="queue.code", read_only=True, allow_null=True)
    unit = serializers.CharField(source="queue.unit.code", read_only=True, allow_null=True)
    due_date = serializers.DateField(read_only=True)
    original_due_date = serializers.DateField(read_only=True)
    interim_reply_due = serializers.DateField(read_only=True, allow_null=True)
    received_at = serializers.DateTimeField(read_only=True)
    answered_at = serializers.DateTimeField(read_only=True, allow_null=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    first_contact_resolved = serializers.BooleanField(read_only=True)
    sender = SenderSerializer(read_only=True)
    assigned_to = serializers.CharField(
        source="assigned_to.username", read_only=True, allow_null=True, help_text="Username."
    )
    timeline = TimelineEventSerializer(source="events", many=True, read_only=True)


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
    overdue = serializers.BooleanField(
        default=False, help_text="1: only open inquiries past their due date."
    )
    mine = serializers.BooleanField(default=False, help_text="1: only those assigned to me.")
    unrouted = serializers.BooleanField(default=False, help_text="1: only those without queue.")
    attention = serializers.BooleanField(
        default=False, help_text="1: only those with a handover not acknowledged in time."
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
