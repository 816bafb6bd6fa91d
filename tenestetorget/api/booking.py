"""The booking API (utleige) under /api/v1/booking/: the resources, their availability, and
bookings.

Who may call what:

* the resources and their availability: anyone, without login (public, throttled per address);
* booking: anyone, as the public books on the site (throttled per address); with a token,
  those who run the booking (organisation.permissions.can_manage_bookings: the front desk,
  unit leaders, administrators) book on behalf of any kind of booker, and services.book
  treats them as staff (how far ahead and the notice do not bind them, no approval, and they
  may count a booker as a resident with a reason). Other staff book as the public does;
* reading and listing bookings: members of staff only (bookings are personal data);
  cancelling: those who run the booking, as in the staff pages.

The rules live in booking.rules and booking.services; a refusal there (BookingRefused) is
answered with its code and message in the request's language: 409 when the period is taken,
400 otherwise. The fødselsnummer a resident gives goes to the residency check and nowhere
else: it is never answered, stored or logged.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tenestetorget.api.errors import ErrorSerializer, api_exception_handler
from tenestetorget.api.journal import DATE_MESSAGE
from tenestetorget.api.parsers import JSONParser
from tenestetorget.api.permissions import IsStaffMember
from tenestetorget.api.serializers import LeanSerializer, TextField
from tenestetorget.api.throttles import PublicThrottle
from tenestetorget.api.views import LANGUAGE_DESCRIPTION, LANGUAGE_PARAMETER
from tenestetorget.booking import availability, services
from tenestetorget.booking.models import (
    BookerKind,
    Booking,
    BookingUnit,
    Price,
    Resource,
    ResourceKind,
)
from tenestetorget.booking.models import Status as BookingStatus
from tenestetorget.booking.rules import BookingRefused, span_for_dates
from tenestetorget.core.calendar import OSLO
from tenestetorget.organisation.permissions import can_manage_bookings

#: How many days one availability call may cover, and how many it covers by default.
MAX_DAYS = 400
DEFAULT_DAYS = 60
#: Ten years either way: further than any booking or calendar means, short of the ends of the
#: calendar (a moment near year 1 or 9999 cannot be turned into UTC).
MAX_YEARS_DAYS = 3653
#: The largest id the database can hold (a bigger one in the address is a 404, not a 500).
MAX_ID = 2**63 - 1
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")

PUBLIC_READ_RATE = "300/min"
PUBLIC_BOOKING_RATE = "30/hour"

RESOURCE_NOT_FOUND = gettext_lazy("Fann ikkje noko utleigeobjekt med denne koden.")
BOOKING_NOT_FOUND = gettext_lazy("Fann inga booking med dette nummeret.")
RANGE_MESSAGE = gettext_lazy("Vel datoar innan ti år frå i dag.")


def current_language() -> str:
    """The request's language (LocaleMiddleware picked it from Accept-Language)."""
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    codes = [code for code, _name in settings.LANGUAGES]
    return language if language in codes else settings.LANGUAGE_CODE


def in_language(resource: Resource, field: str) -> str:
    """A Nynorsk text of the resource, or its translation in the request's language."""
    return resource.in_language(field, current_language())


# --- throttling -------------------------------------------------------------------------------


class PublicReadThrottle(PublicThrottle):
    # As the public journal: enough to browse, not enough to load the database for everyone.
    scope = "public_booking_read"
    rate = PUBLIC_READ_RATE


class PublicBookingThrottle(PublicThrottle):
    # A person books a few things an hour; a script holding every free period does not get far.
    scope = "public_booking_create"
    rate = PUBLIC_BOOKING_RATE


# --- refusals ---------------------------------------------------------------------------------

#: The request field a refusal of the services is about, where it is about one.
REFUSAL_FIELDS = {
    "name": "booker.name",
    "email": "booker.email",
    "booker_kind": "booker.kind",
    "organisation": "booker.organisation",
    "not_eligible": "booker.kind",
    "not_resident": "booker.national_id",
}


class Refused(exceptions.APIException):
    """A refusal of the booking rules, with its code and message (in the request's
    language): 409 for a taken period, 400 for the others, or 409 for any when acting on a
    booking whose state does not allow it (cancelling one that is not active)."""

    def __init__(self, refused: BookingRefused, status_code: int | None = None) -> None:
        self.status_code = status_code or refused.status
        super().__init__(refused.message, code=refused.code)
        self.field = REFUSAL_FIELDS.get(refused.code)


def booking_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """The API's error format; a refusal of the rules adds one entry naming its field."""
    if isinstance(exc, BookingRefused):
        exc = Refused(exc)
    response = api_exception_handler(exc, context)
    if response is not None and isinstance(exc, Refused):
        response.data["errors"] = [
            {"field": exc.field, "message": str(exc.detail), "code": response.data["code"]}
        ]
    return response


class BookingAPIView(APIView):
    def get_exception_handler(self) -> Callable[..., Any]:
        return booking_exception_handler


class PublicView(BookingAPIView):
    # No login; throttled per address. (Comments, not docstrings, here and below:
    # drf-spectacular would publish them as the operations' descriptions.)

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    throttle_classes = [PublicReadThrottle]


class StaffView(BookingAPIView):
    # Authenticated members of staff only (401 without credentials, 403 for others).

    permission_classes = [IsAuthenticated, IsStaffMember]


class ManagesBookings(BasePermission):
    """Those who run the booking: approve, cancel, book on someone's behalf."""

    message = gettext_lazy(
        "Berre dei som styrer utleiga (Tenestetorget, einingsleiarar og administratorar), "
        "kan gjere dette."
    )

    def has_permission(self, request: Request, view: APIView) -> bool:
        return can_manage_bookings(request.user)


# --- fields -----------------------------------------------------------------------------------


class NamedChoiceField(serializers.ChoiceField):
    # A choice field whose choices are one of the booking's enums, published once as a named
    # schema component. drf-spectacular would otherwise name the enums by the fields that use
    # them (`status`, `kind`), which the inquiries' enums already use. (A comment, not a
    # docstring: drf-spectacular would publish it.)

    choices_of: ClassVar[type[models.TextChoices]]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=self.choices_of.choices, **kwargs)


def _enum(values: list[str], description: str) -> dict[str, Any]:
    return {"type": "string", "enum": values, "description": description}


@extend_schema_field(
    _enum(
        BookerKind.values,
        "Kind of booker: `resident` (innbyggjar: in the municipality's resident register), "
        "`non_resident`, `club` (lag og foreining), `business` (verksemd), `student`.",
    ),
    component_name="BookerKind",
)
class BookerKindField(NamedChoiceField):
    choices_of = BookerKind


@extend_schema_field(
    _enum(
        ResourceKind.values,
        "`cabin` (høgfjellshytte), `room` (møterom), `study_room` (rom på studiesenteret), "
        "`trial_housing` (prøvebustad).",
    ),
    component_name="ResourceKind",
)
class ResourceKindField(NamedChoiceField):
    choices_of = ResourceKind


@extend_schema_field(
    _enum(
        BookingUnit.values,
        "What a booking is counted in: `hour` (from and to whole hours within the opening "
        "hours), `night`, `week` or `month` (from check-in on the day of arrival to "
        "check-out on the day of departure).",
    ),
    component_name="BookingUnit",
)
class BookingUnitField(NamedChoiceField):
    choices_of = BookingUnit


@extend_schema_field(
    _enum(
        BookingStatus.values,
        "`pending` (waits for approval; holds the period meanwhile), `confirmed`, "
        "`cancelled`, `denied`, `blocked` (held by the municipality, no booker).",
    ),
    component_name="BookingStatus",
)
class BookingStatusField(NamedChoiceField):
    choices_of = BookingStatus


_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
DATE_RE = re.compile(_DATE)
#: RFC 3339, as the schema's `date-time`: seconds, and the offset (or Z).
_TIME = r"[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
AWARE_RE = re.compile(rf"{_DATE}[Tt]{_TIME}([Zz]|[+-][0-9]{{2}}:[0-9]{{2}})")
#: What a client that forgot the offset sends.
NAIVE_RE = re.compile(rf"{_DATE}[Tt ][0-9]{{2}}:[0-9]{{2}}(:[0-9]{{2}}(\.[0-9]+)?)?")


def within_years(day: dt.date) -> bool:
    return abs((day - timezone.localdate()).days) <= MAX_YEARS_DAYS


@extend_schema_field(
    {
        "type": "string",
        "anyOf": [{"format": "date"}, {"format": "date-time"}],
        "example": "2026-03-02T09:00:00+01:00",
    }
)
class MomentField(serializers.Field):
    """An ISO 8601 date-time with its offset, or a plain date (for what is let by the night,
    week or month: check-in or check-out on that day). A time without offset is refused with
    its own message: read as Oslo time or UTC it could be an hour wrong."""

    default_error_messages = {
        "invalid": gettext_lazy(
            "Skriv ein dato (2026-03-02) eller eit tidspunkt med tidssone "
            "(2026-03-02T09:00:00+01:00)."
        ),
        "no_time_zone": gettext_lazy(
            "Skriv tida med tidssone, til dømes 2026-03-02T09:00:00+01:00."
        ),
        "out_of_range": RANGE_MESSAGE,
    }

    def to_internal_value(self, data: Any) -> dt.date | dt.datetime:
        if not isinstance(data, str):
            self.fail("invalid")
        value: dt.date | dt.datetime
        try:
            if DATE_RE.fullmatch(data):
                value = dt.date.fromisoformat(data)
                day = value
            elif AWARE_RE.fullmatch(data):
                value = dt.datetime.fromisoformat(data.upper())
                day = value.date()
            elif NAIVE_RE.fullmatch(data):
                self.fail("no_time_zone")
            else:
                self.fail("invalid")
        except ValueError:  # 2026-02-30, 25:00, an offset of +24:00
            self.fail("invalid")
        if not within_years(day):
            self.fail("out_of_range")
        return value

    def to_representation(self, value: Any) -> str:
        return str(value.isoformat())


# --- resources --------------------------------------------------------------------------------


class PriceSerializer(serializers.Serializer[Price]):
    booker_kind = BookerKindField(read_only=True)
    amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, read_only=True, help_text="Per booking unit, in NOK."
    )
    valid_from = serializers.DateField(read_only=True, help_text="Valid from this day.")


class ResourceSerializer(serializers.Serializer[Resource]):
    slug = serializers.SlugField(read_only=True, help_text="The resource's code, in its URLs.")
    name = serializers.SerializerMethodField(
        help_text="In the request's language where translated, else Nynorsk."
    )
    kind = ResourceKindField(read_only=True)
    booking_unit = BookingUnitField(read_only=True)
    capacity = serializers.IntegerField(read_only=True, help_text="Places (beds, seats).")
    location = serializers.CharField(read_only=True)
    description = serializers.SerializerMethodField(
        help_text="In the request's language where translated, else Nynorsk."
    )
    eligible = serializers.SerializerMethodField(help_text="The kinds of booker that may book.")
    needs_approval = serializers.BooleanField(
        read_only=True,
        help_text="A booking waits for approval by staff (status `pending`), holding its period.",
    )
    min_units = serializers.IntegerField(read_only=True, help_text="Shortest booking, in units.")
    max_units = serializers.IntegerField(read_only=True, help_text="Longest booking, in units.")
    check_in = serializers.TimeField(
        read_only=True, help_text="Check-in (nights, weeks, months) or opening (hours), Oslo."
    )
    check_out = serializers.TimeField(
        read_only=True, help_text="Check-out (nights, weeks, months) or closing (hours), Oslo."
    )
    changeover_weekday = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="For weeks: the weekday a week starts and ends (0 Monday … 6 Sunday).",
    )
    deposit = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True)
    prices = serializers.SerializerMethodField(
        help_text="The price per unit valid today, per kind of booker that has one."
    )

    def get_name(self, resource: Resource) -> str:
        return in_language(resource, "name")

    def get_description(self, resource: Resource) -> str:
        return in_language(resource, "description")

    @extend_schema_field(serializers.ListField(child=BookerKindField()))
    def get_eligible(self, resource: Resource) -> list[str]:
        # No list means everyone (booking.rules.check).
        return list(resource.eligible or BookerKind.values)

    @extend_schema_field(PriceSerializer(many=True))
    def get_prices(self, resource: Resource) -> list[dict[str, Any]]:
        # The view prefetched the prices valid by today, newest first per kind.
        valid: dict[str, Price] = {}
        for price in resource.prices.all():
            valid.setdefault(price.booker_kind, price)
        return [PriceSerializer(price).data for price in valid.values()]


def resources() -> QuerySet[Resource]:
    """Active resources with the prices valid today: two queries for any number."""
    current = Price.objects.filter(valid_from__lte=timezone.localdate()).order_by(
        "booker_kind", "-valid_from"
    )
    return Resource.objects.filter(active=True).prefetch_related(Prefetch("prices", current))


def resource_or_404(slug: str) -> Resource:
    # Only a slug's characters reach the database (PostgreSQL cannot compare a NUL).
    found = resources().filter(slug=slug).first() if _SLUG.fullmatch(slug) else None
    if found is None:
        raise exceptions.NotFound(RESOURCE_NOT_FOUND)
    return found


SLUG_PARAMETER = OpenApiParameter(
    "slug",
    {"type": "string", "pattern": SLUG_PATTERN, "maxLength": 60},
    OpenApiParameter.PATH,
    description="The resource's code, e.g. `hytta-vinje`.",
)
PUBLIC_LANGUAGE_PARAMETER = OpenApiParameter(
    "Accept-Language",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=f"Language of the names, texts and messages. {LANGUAGE_DESCRIPTION}",
)


def error_response(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


READ_THROTTLED = error_response(
    "More than 300 calls a minute from one address; try again after the seconds in `Retry-After`."
)
BOOKING_THROTTLED = error_response(
    "More than 30 bookings an hour from one address without a staff token; try again after "
    "the seconds in `Retry-After`."
)
UNAUTHENTICATED = error_response("No or an invalid token.")
FORBIDDEN = error_response("Not a member of staff.")


@extend_schema_view(
    get=extend_schema(
        operation_id="booking_resources_list",
        summary="What can be booked",
        description="Every active resource (cabins, rooms, the study centre's rooms, trial "
        "housing) with its rules and today's prices. No login needed; not paginated.",
        tags=["booking"],
        parameters=[PUBLIC_LANGUAGE_PARAMETER],
        responses={200: ResourceSerializer(many=True), 429: READ_THROTTLED},
        auth=[],
    )
)
class ResourceListView(PublicView, generics.ListAPIView[Resource]):
    serializer_class = ResourceSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Resource]:
        return resources()


@extend_schema_view(
    get=extend_schema(
        operation_id="booking_resources_retrieve",
        summary="One resource",
        description="An active resource with its rules and today's prices. No login needed.",
        tags=["booking"],
        parameters=[SLUG_PARAMETER, PUBLIC_LANGUAGE_PARAMETER],
        responses={
            200: ResourceSerializer,
            404: error_response("No active resource with this code."),
            429: READ_THROTTLED,
        },
        auth=[],
    )
)
class ResourceDetailView(PublicView, generics.RetrieveAPIView[Resource]):
    serializer_class = ResourceSerializer

    def get_object(self) -> Resource:
        return resource_or_404(self.kwargs["slug"])


# --- availability -----------------------------------------------------------------------------


@extend_schema_field(
    _enum(
        ["free", "partly", "taken", "closed"],
        "`free`; `partly` (some hours held, or a changeover day); `taken` (for nights: the "
        "night from that day's check-in is held; for hours: every opening hour is held); "
        "`closed` (an exception day, or a weekday it is not open).",
    ),
    component_name="DayState",
)
class DayStateField(serializers.CharField):
    pass


class DaySerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    state = DayStateField()


class SlotSerializer(serializers.Serializer[Any]):
    start = serializers.DateTimeField(help_text="Oslo time, with its offset.")
    end = serializers.DateTimeField()


class AvailabilitySerializer(serializers.Serializer[Any]):
    resource = serializers.SlugField(help_text="The resource's code.")
    days = DaySerializer(many=True, help_text="Each day from `from` to `to`.")
    slots = SlotSerializer(
        many=True,
        allow_null=True,
        help_text="With `date` (resources let by the hour): the free whole hours of that "
        "day. Null without `date`.",
    )


def date_parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.DATE, description=description)


def date_field() -> serializers.DateField:
    return serializers.DateField(
        input_formats=["iso-8601"], error_messages={"invalid": DATE_MESSAGE}
    )


def read_query(request: Request, fields: Mapping[str, serializers.Field]) -> dict[str, Any]:
    """The query parameters given of `fields`, each refused by name when it is not valid
    (all of them at once). Empty counts as given: `from=` is no more a date than `from=x`."""
    found: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for name, field in fields.items():
        if name not in request.query_params:
            continue
        try:
            found[name] = field.run_validation(request.query_params[name])
        except serializers.ValidationError as error:
            errors[name] = error.detail
    if errors:
        raise serializers.ValidationError(errors)
    return found


def refuse(field: str, message: str, code: str) -> serializers.ValidationError:
    return serializers.ValidationError({field: [exceptions.ErrorDetail(message, code=code)]})


@extend_schema_view(
    get=extend_schema(
        operation_id="booking_resources_availability",
        summary="When a resource is free",
        description=f"Per day from `from` to `to` (at most {MAX_DAYS} days; by default "
        f"{DEFAULT_DAYS} days from today): free, partly, taken or closed. For a resource let "
        "by the hour, `date` adds that day's free whole hours. No login needed.",
        tags=["booking"],
        parameters=[
            SLUG_PARAMETER,
            date_parameter("from", "First day (default today)."),
            date_parameter(
                "to", f"Last day, inclusive (default {DEFAULT_DAYS - 1} days after `from`)."
            ),
            date_parameter("date", "For resources let by the hour: the day to list free hours."),
            PUBLIC_LANGUAGE_PARAMETER,
        ],
        responses={
            200: AvailabilitySerializer,
            400: error_response(
                f"A date that is not one, `to` before `from`, more than {MAX_DAYS} days, a "
                "date more than ten years away, or `date` for a resource not let by the hour."
            ),
            404: error_response("No active resource with this code."),
            429: READ_THROTTLED,
        },
        auth=[],
    )
)
class AvailabilityView(PublicView):
    def get(self, request: Request, slug: str) -> Response:
        resource = resource_or_404(slug)
        dates = read_query(request, dict.fromkeys(("from", "to", "date"), date_field()))
        for name, given in dates.items():
            if not within_years(given):
                raise refuse(name, str(RANGE_MESSAGE), "out_of_range")
        first = dates.get("from") or timezone.localdate()
        last = dates.get("to") or first + dt.timedelta(days=DEFAULT_DAYS - 1)
        if last < first:
            raise refuse("to", _("«to» kan ikkje vere før «from»."), "invalid_range")
        if (last - first).days + 1 > MAX_DAYS:
            raise refuse(
                "to",
                _("Du kan sjå høgst %(n)s dagar om gongen.") % {"n": MAX_DAYS},
                "too_many_days",
            )
        day = dates.get("date")
        if day is not None and resource.booking_unit != BookingUnit.HOUR:
            raise refuse(
                "date",
                _("Ledige timar finst berre for det som blir leigd per time."),
                "not_hourly",
            )
        states = availability.calendar([resource], first, last)[resource.slug]
        body = {
            "resource": resource.slug,
            "days": [{"date": date, "state": state} for date, state in states.items()],
            "slots": None
            if day is None
            else [
                {"start": start, "end": end}
                for start, end in availability.free_slots(resource, day)
            ],
        }
        return Response(AvailabilitySerializer(body).data)


# --- bookings ---------------------------------------------------------------------------------


class BookerSerializer(LeanSerializer):
    # Who books. One shape for request and answer: the fødselsnummer goes in and never comes
    # out. (A comment, not a docstring: drf-spectacular would publish it.)

    name = TextField(not_blank=True, max_length=200, help_text="The person's name.")
    email = TextField(
        not_blank=True,
        max_length=254,
        help_text="The confirmation, with a calendar file and the link to «mine bookingar», "
        "goes here.",
    )
    kind = BookerKindField(help_text="Must be one the resource lets to (`eligible`).")
    phone = TextField(allow_blank=True, max_length=40, default="")
    organisation = TextField(
        allow_blank=True,
        max_length=200,
        default="",
        help_text="The club's or business's name; required for `club` and `business`.",
    )
    national_id = TextField(
        allow_blank=True,
        max_length=20,
        default="",
        write_only=True,
        help_text="For `resident`: the fødselsnummer or D-nummer (11 digits), checked against "
        "the resident register and then forgotten. Never returned, stored or logged.",
    )


class BookingCreateSerializer(LeanSerializer):
    resource = TextField(not_blank=True, max_length=60, help_text="The resource's code (slug).")
    start = MomentField(
        help_text="ISO 8601 with offset (2026-03-02T09:00:00+01:00), or for resources let by "
        "the night, week or month a date: check-in that day. A time without offset is refused."
    )
    end = MomentField(
        help_text="ISO 8601 with offset, or a date: check-out that day. Both `start` and "
        "`end` are dates, or both times."
    )
    booker = BookerSerializer()
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text="Language of the e-mails to the booker; default the request's language.",
    )
    override_reason = TextField(
        allow_blank=True,
        max_length=300,
        default="",
        help_text="For those who run the booking only: why a `resident` who is not found in "
        "the resident register counts as one (moved here lately). Refused from anyone else.",
    )

    def validate_resource(self, slug: str) -> Resource:
        found = Resource.objects.filter(slug=slug).first() if _SLUG.fullmatch(slug) else None
        if found is None:
            raise serializers.ValidationError(
                _("Ukjend utleigeobjekt: «%(slug)s». Sjå lista over det som kan bookast.")
                % {"slug": slug[:60]},
                code="unknown_resource",
            )
        return found


class BookingSerializer(serializers.Serializer[Booking]):
    id = serializers.IntegerField(read_only=True)
    resource = serializers.CharField(
        source="resource.slug", read_only=True, help_text="The resource's code."
    )
    start = serializers.DateTimeField(read_only=True, help_text="Oslo time, with its offset.")
    end = serializers.DateTimeField(read_only=True)
    status = BookingStatusField(read_only=True)
    units = serializers.IntegerField(read_only=True, help_text="Hours, nights, weeks or months.")
    price = serializers.DecimalField(
        max_digits=10, decimal_places=2, read_only=True, help_text="In NOK, for the whole period."
    )
    deposit = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True)
    booker = serializers.SerializerMethodField(help_text="Null for a block (status `blocked`).")
    language = serializers.CharField(read_only=True, help_text="Language of the e-mails.")
    created_at = serializers.DateTimeField(read_only=True)
    cancelled_at = serializers.DateTimeField(read_only=True, allow_null=True)

    @extend_schema_field(BookerSerializer(allow_null=True))
    def get_booker(self, booking: Booking) -> dict[str, str] | None:
        if not booking.booker_kind:
            return None
        return {
            "name": booking.booker_name,
            "email": booking.booker_email,
            "kind": booking.booker_kind,
            "phone": booking.booker_phone,
            "organisation": booking.organisation,
        }


def period(resource: Resource, start: Any, end: Any) -> tuple[dt.datetime, dt.datetime]:
    """The period asked for: two moments as given, or two dates as check-in on the first
    and check-out on the second (booking.rules.span_for_dates)."""
    if isinstance(start, dt.datetime) and isinstance(end, dt.datetime):
        return start, end
    if isinstance(start, dt.datetime) or isinstance(end, dt.datetime):
        raise refuse(
            "end", _("Skriv både start og slutt som dato, eller begge som tidspunkt."), "mixed"
        )
    if resource.booking_unit == BookingUnit.HOUR:
        raise refuse(
            "start",
            _(
                "Dette blir leigd per time: skriv start og slutt som tidspunkt med tidssone, "
                "til dømes 2026-03-02T09:00:00+01:00."
            ),
            "time_needed",
        )
    return span_for_dates(resource, start, end)


@sensitive_variables("data", "booker")
def book(data: Mapping[str, Any], user: Any) -> Booking:
    """Book as the request asks: on the booker's behalf when the caller runs the booking,
    else as the public books. The fødselsnummer is passed to the service only (see the
    decorator: not shown in an error report either)."""
    staff = can_manage_bookings(user)
    if data["override_reason"].strip() and not staff:
        raise refuse(
            "override_reason",
            _(
                "Berre dei som styrer utleiga, kan rekne ein leigetakar som innbyggjar med "
                "ei grunngjeving."
            ),
            "staff_only",
        )
    resource: Resource = data["resource"]
    start, end = period(resource, data["start"], data["end"])
    booker = services.Booker(
        name=data["booker"]["name"],
        email=data["booker"]["email"],
        kind=data["booker"]["kind"],
        phone=data["booker"]["phone"],
        organisation=data["booker"]["organisation"],
        national_id=data["booker"]["national_id"],
        language=data.get("language") or current_language(),
    )
    return services.book(
        resource,
        start,
        end,
        booker,
        by=user if staff else None,
        override_reason=data["override_reason"],
    )


def booking_filters(request: Request) -> dict[str, Any]:
    """The list's filters from the query string; every one given must be valid."""
    return read_query(
        request,
        {
            "resource": TextField(max_length=60),
            "status": serializers.ChoiceField(choices=BookingStatus.choices),
            "from": date_field(),
            "to": date_field(),
        },
    )


#: Filter dates beyond these hold no bookings; they are clamped so that turning them into
#: moments cannot leave the calendar.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(9000, 12, 31)


def filtered_bookings(filters: Mapping[str, Any]) -> QuerySet[Booking]:
    rows = Booking.objects.select_related("resource").order_by("start", "id")
    if "resource" in filters:
        rows = rows.filter(resource__slug=filters["resource"])
    if "status" in filters:
        rows = rows.filter(status=filters["status"])
    if "from" in filters:
        first = min(max(filters["from"], EARLIEST), LATEST)
        rows = rows.filter(end__gt=dt.datetime.combine(first, dt.time(0), tzinfo=OSLO))
    if "to" in filters:
        last = min(max(filters["to"], EARLIEST), LATEST)
        following = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=OSLO)
        rows = rows.filter(start__lt=following)
    return rows


BOOKING_EXAMPLE = {
    "resource": "multimediarommet",
    "start": "2026-03-02T09:00:00+01:00",
    "end": "2026-03-02T11:00:00+01:00",
    "booker": {
        "name": "Per Hansen",
        "email": "per@firma.no",
        "kind": "business",
        "organisation": "Firma AS",
    },
}


@extend_schema_view(
    get=extend_schema(
        operation_id="bookings_list",
        summary="List bookings (staff)",
        description="Every booking and block, by start, 50 a page, for members of staff. "
        "Filters are optional; all given must hold. `from` and `to` give the bookings that "
        "touch those days (Oslo time).",
        tags=["booking"],
        parameters=[
            OpenApiParameter(
                "resource",
                {"type": "string", "maxLength": 60, "pattern": r"^[^\x00]*$"},
                description="Only this resource (by code).",
            ),
            OpenApiParameter(
                "status",
                {"type": "string", "enum": BookingStatus.values},
                description="Only bookings with this status.",
            ),
            date_parameter("from", "Only bookings that end after this day begins."),
            date_parameter("to", "Only bookings that start before this day ends."),
            LANGUAGE_PARAMETER,
        ],
        responses={
            200: BookingSerializer(many=True),
            400: error_response("A filter that is not valid."),
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: error_response("A page beyond the last one."),
        },
    ),
    post=extend_schema(
        operation_id="bookings_create",
        summary="Book",
        description="Books a period of a resource by its rules, as the public booking pages "
        "do: how far ahead, the notice, whole units, who may book, closed days, limits per "
        "household, and a period no other booking holds. The booker gets the confirmation "
        "(or, where bookings wait for approval, a receipt) by e-mail with a calendar file.\n\n"
        "Without a token anyone may book as the public does (at most 30 an hour from one "
        "address). With the token of someone who runs the booking (the front desk, unit "
        "leaders, administrators) you book on someone's behalf: how far ahead and the notice "
        "do not bind you, a booking needs no approval, and `override_reason` lets a resident "
        "who is not in the register book as one. Other staff book as the public does.\n\n"
        "A refusal says why in `code` and `detail` (in the request's language): `taken` "
        "(409), or 400 with e.g. `past`, `too_far_ahead`, `notice`, `from_tomorrow`, "
        "`too_short`, `too_long`, `whole_hours`, `check_in_out`, `changeover`, "
        "`opening_hours`, `closed`, `not_eligible`, `not_resident`, `household_limit`, "
        "`inactive`; invalid fields are `invalid` with one entry per field in `errors`.",
        tags=["booking"],
        request=BookingCreateSerializer,
        parameters=[LANGUAGE_PARAMETER],
        responses={
            201: OpenApiResponse(
                BookingSerializer,
                description="Booked (`confirmed`, or `pending` where staff approve). "
                "`Location` is the booking's address for staff.",
            ),
            400: error_response("Refused by the rules, or invalid fields."),
            401: error_response("An invalid token (none is needed)."),
            409: error_response("The period is taken (code `taken`)."),
            413: error_response("A body larger than the server's limit."),
            429: BOOKING_THROTTLED,
        },
        examples=[
            OpenApiExample(
                "The multimedia room for two hours", request_only=True, value=BOOKING_EXAMPLE
            ),
            OpenApiExample(
                "A cabin for a week, by dates (a resident adds national_id)",
                request_only=True,
                value={
                    "resource": "hytta-vinje",
                    "start": "2026-03-06",
                    "end": "2026-03-13",
                    "booker": {
                        "name": "Kari Nordmann",
                        "email": "kari@example.no",
                        "kind": "resident",
                    },
                },
            ),
        ],
    ),
)
class BookingListCreateView(BookingAPIView, generics.ListAPIView[Booking]):
    throttle_classes = [PublicBookingThrottle]
    parser_classes = [JSONParser]
    serializer_class = BookingSerializer

    def get_permissions(self) -> list[BasePermission]:
        # Anyone may book; only members of staff may list bookings.
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated(), IsStaffMember()]

    def get_throttles(self) -> list[Any]:
        # Reading the list needs a staff token, which is never throttled.
        return super().get_throttles() if self.request.method == "POST" else []

    def get_queryset(self) -> QuerySet[Booking]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no request
            return Booking.objects.none()
        return filtered_bookings(booking_filters(self.request))

    # The validated body holds the fødselsnummer: not shown in an error report either.
    @method_decorator(sensitive_variables("serializer"))
    def post(self, request: Request) -> Response:
        serializer = BookingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        booking = book(serializer.validated_data, request.user)
        location = request.build_absolute_uri(
            reverse("api:booking-detail", kwargs={"pk": booking.pk})
        )
        return Response(
            BookingSerializer(booking).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )


BOOKING_ID_PARAMETER = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    OpenApiParameter.PATH,
    description="The booking's number.",
)


def booking_or_404(pk: int) -> Booking:
    found = (
        Booking.objects.select_related("resource").filter(pk=pk).first() if pk <= MAX_ID else None
    )
    if found is None:
        raise exceptions.NotFound(BOOKING_NOT_FOUND)
    return found


@extend_schema_view(
    get=extend_schema(
        operation_id="bookings_retrieve",
        summary="One booking (staff)",
        description="A booking or block by its number, for members of staff.",
        tags=["booking"],
        parameters=[BOOKING_ID_PARAMETER, LANGUAGE_PARAMETER],
        responses={
            200: BookingSerializer,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: error_response("No booking with this number."),
        },
    )
)
class BookingDetailView(StaffView, generics.RetrieveAPIView[Booking]):
    serializer_class = BookingSerializer

    def get_object(self) -> Booking:
        return booking_or_404(self.kwargs["pk"])


@extend_schema_view(
    post=extend_schema(
        operation_id="bookings_cancel",
        summary="Cancel a booking (those who run the booking)",
        description="Cancels a pending or confirmed booking at any time, also one that has "
        "begun, and frees its period. The booker is told by e-mail, with the fee by the "
        "resource's terms (free until its free-cancellation days before the start).",
        tags=["booking"],
        request=None,
        parameters=[BOOKING_ID_PARAMETER, LANGUAGE_PARAMETER],
        responses={
            200: BookingSerializer,
            401: UNAUTHENTICATED,
            403: error_response(
                "Not one who runs the booking (front desk, unit leader, administrator)."
            ),
            404: error_response("No booking with this number."),
            409: error_response("The booking is not active (code `not_active`)."),
        },
    )
)
class BookingCancelView(StaffView):
    permission_classes = [IsAuthenticated, ManagesBookings]

    def post(self, request: Request, pk: int) -> Response:
        booking = booking_or_404(pk)
        try:
            cancelled = services.cancel(booking, by=request.user)
        except BookingRefused as refused:
            # The booking's state refuses it, as the inquiries' actions answer.
            raise Refused(refused, status.HTTP_409_CONFLICT) from None
        return Response(BookingSerializer(cancelled).data)
