"""API views: parse the request, call one service or selector, serialize the result.

Rules live elsewhere: register_inquiry validates and registers, visible_inquiries and the
inbox filter decide what a member of staff sees, queues_with_guarantees reads the queues.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from tenestetorget.api import idempotency
from tenestetorget.api.errors import ErrorSerializer, api_exception_handler
from tenestetorget.api.parsers import JSONParser
from tenestetorget.api.permissions import IsStaffMember
from tenestetorget.api.serializers import (
    InquiryCreatedSerializer,
    InquiryCreateSerializer,
    InquiryDetailSerializer,
    InquiryFilterSerializer,
    InquiryListItemSerializer,
    QueueSerializer,
)
from tenestetorget.contact.models import Handover, Inquiry
from tenestetorget.contact.selectors import (
    InboxFilter,
    filter_inquiries,
    handover_cutoff,
    inquiry_detail,
    visible_inquiries,
)
from tenestetorget.contact.services import SenderData, register_inquiry
from tenestetorget.organisation.models import Queue
from tenestetorget.organisation.selectors import queues_with_guarantees

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, User


class StaffAPIView(APIView):
    """Base of every API view: authenticated members of staff only (401 without
    credentials, 403 for others), and the API's error format."""

    permission_classes = [IsAuthenticated, IsStaffMember]

    def get_exception_handler(self) -> Any:
        return api_exception_handler


#: Any value an HTTP client sends (nb-NO,nb;q=0.9,en;q=0.8): content negotiation picks the best
#: of the supported languages and falls back to Nynorsk, so the schema does not narrow it to
#: an enum the server would not enforce.
LANGUAGE_DESCRIPTION = (
    "Preferred language, as any HTTP client sends it (e.g. `nb-NO,nb;q=0.9,en;q=0.8`). "
    "Supported: `nn` (Nynorsk, the default), `nb` (Bokmål) and `en` (English); anything "
    "else falls back to `nn`. The response's `Content-Language` says which was used."
)
LANGUAGE_PARAMETER = OpenApiParameter(
    "Accept-Language",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=f"Language of the error messages. {LANGUAGE_DESCRIPTION}",
)


REFERENCE_PARAMETER = OpenApiParameter(
    "reference",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The inquiry's reference, e.g. 2026-000123.",
)

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    idempotency.HEADER,
    {
        "type": "string",
        "minLength": 1,
        "maxLength": idempotency.MAX_KEY_LENGTH,
        "pattern": idempotency.KEY_PATTERN,
    },
    OpenApiParameter.HEADER,
    description="A unique key per request (a UUID), 1 to "
    f"{idempotency.MAX_KEY_LENGTH} visible ASCII characters (no spaces), scoped to your user.",
)


def error_response(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


UNAUTHENTICATED = error_response("No or an invalid token.")
FORBIDDEN = error_response("Not a member of staff.")
NOT_FOUND_MESSAGE = gettext_lazy(
    "Fann inga henvending med denne referansen som du har tilgang til."
)

_SENDER_EXAMPLE = {
    "name": "Kari Nordmann",
    "email": "kari@example.no",
    "phone": "",
    "kind": "resident",
    "language": "nn",
}


def inquiry_list_queryset(user: AbstractBaseUser, filters: InboxFilter) -> QuerySet[Inquiry]:
    """The inbox selector's rows for the API: what `user` may see, narrowed by the inbox
    filters, with every related row the list shows joined in the same query, and the page's
    waiting handovers (for `allowed_actions`) in one more."""
    rows = filter_inquiries(visible_inquiries(user), filters, user, handover_cutoff())
    return (
        rows.select_related("queue", "queue__unit", "assigned_to")
        .prefetch_related(
            Prefetch(
                "handovers",
                queryset=Handover.objects.filter(acknowledged_at__isnull=True).only(
                    "id", "inquiry_id", "acknowledged_at"
                ),
                to_attr="open_handovers",
            )
        )
        .order_by("due_date", "received_at", "id")
    )


@extend_schema_view(
    get=extend_schema(
        operation_id="inquiries_list",
        summary="List inquiries (the inbox)",
        description="The inquiries you may see, by due date, 50 a page. Without filters: the "
        "open ones. A case officer sees the queues of their own unit and what is assigned "
        "to them; the front desk, archivists and administrators see all.",
        tags=["inquiries"],
        parameters=[InquiryFilterSerializer, LANGUAGE_PARAMETER],
        responses={
            200: InquiryListItemSerializer(many=True),
            400: error_response("An unknown filter value."),
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: error_response("A page beyond the last one."),
        },
    ),
    post=extend_schema(
        operation_id="inquiries_create",
        summary="Register an inquiry",
        description="Registers an inquiry from any channel, as the staff forms do: a "
        "reference, the promised answer date from the queue's service guarantee, the first "
        "timeline event and (for e-mail and web form) the acknowledgement to the sender.\n\n"
        "With an `Idempotency-Key` header a retry is safe: the same key and request return the "
        "first result (201 again, with the header `Idempotent-Replayed: true`) and create "
        "nothing; the same key with another request is refused with 422. Requests are "
        "compared after validation: a default written out or left out, key order and "
        "whitespace that is trimmed do not make another request.",
        tags=["inquiries"],
        request=InquiryCreateSerializer,
        parameters=[IDEMPOTENCY_PARAMETER, LANGUAGE_PARAMETER],
        responses={
            201: OpenApiResponse(
                InquiryCreatedSerializer,
                description="Registered (or replayed for a repeated Idempotency-Key). "
                "`Location` points to the inquiry.",
            ),
            400: error_response("Invalid fields; each error names its field path."),
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            413: error_response("A body larger than the server's limit (5 MB by default)."),
            422: error_response("The Idempotency-Key was used before with another request."),
        },
        examples=[
            OpenApiExample(
                "E-mail to a queue",
                request_only=True,
                value={
                    "channel": "email",
                    "subject": "Brøyting av Fjellvegen",
                    "body": "Når blir vegen brøyta?",
                    "sender": _SENDER_EXAMPLE,
                    "queue": "veg",
                    "received_at": "2026-03-02T09:15:00+01:00",
                },
            ),
            OpenApiExample(
                "Registered",
                response_only=True,
                status_codes=["201"],
                value={
                    "reference": "2026-000123",
                    "queue": "veg",
                    "status": "new",
                    "due_date": "2026-03-04",
                },
            ),
        ],
    ),
)
class InquiryListCreateView(StaffAPIView, generics.ListCreateAPIView[Inquiry]):
    parser_classes = [JSONParser]

    def get_serializer_class(self) -> type[BaseSerializer[Inquiry]]:
        if self.request.method == "POST":
            return InquiryCreateSerializer
        return InquiryListItemSerializer

    def get_queryset(self) -> QuerySet[Inquiry]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Inquiry.objects.none()
        params = InquiryFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return inquiry_list_queryset(self.request.user, InboxFilter(**params.validated_data))  # type: ignore[arg-type]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # IsAuthenticated has run: the user is a real one.
        user = cast("AbstractBaseUser", request.user)
        key = idempotency.key_of(request)
        serializer = InquiryCreateSerializer(data=request.data)
        # A request that fails validation stores nothing: the client may fix it and send
        # again with the same key.
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if key is None:
            outcome = idempotency.Outcome(self._register(data), False)
        else:
            request_hash = idempotency.fingerprint("inquiries_create", data)
            seen = idempotency.replay_if_seen(user, key, request_hash)
            if seen is None:
                outcome = idempotency.create_once(
                    user, key, request_hash, lambda: self._register(data)
                )
            else:
                outcome = seen
        inquiry = outcome.inquiry
        headers = {
            "Location": request.build_absolute_uri(
                reverse("api:inquiry-detail", kwargs={"reference": inquiry.reference})
            )
        }
        if outcome.replayed:
            headers["Idempotent-Replayed"] = "true"
        return Response(
            InquiryCreatedSerializer(inquiry).data,
            status=status.HTTP_201_CREATED,
            headers=headers,
        )

    def _register(self, data: dict[str, Any]) -> Inquiry:
        return register_inquiry(
            channel=data["channel"],
            subject=data["subject"],
            body=data["body"],
            sender=SenderData(**data["sender"]),
            queue=data["queue"] or None,
            received_at=data["received_at"],
            actor=cast("User", self.request.user),
        )


@extend_schema_view(
    get=extend_schema(
        operation_id="inquiries_retrieve",
        summary="One inquiry with its timeline",
        description="404 both when the reference does not exist and when you may not see the "
        "inquiry, so references cannot be probed. The sender's fødselsnummer is only shown "
        "masked.",
        tags=["inquiries"],
        parameters=[REFERENCE_PARAMETER, LANGUAGE_PARAMETER],
        responses={
            200: InquiryDetailSerializer,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: error_response("No inquiry with this reference that you may see."),
        },
    )
)
class InquiryDetailView(StaffAPIView, generics.RetrieveAPIView[Inquiry]):
    serializer_class = InquiryDetailSerializer

    def get_object(self) -> Inquiry:
        try:
            return inquiry_detail(self.request.user, self.kwargs["reference"])
        except Inquiry.DoesNotExist:
            raise exceptions.NotFound(NOT_FOUND_MESSAGE) from None


@extend_schema_view(
    get=extend_schema(
        operation_id="queues_list",
        summary="Queues and their service guarantees",
        description="Every active queue (fagområde) with its unit and its service guarantees "
        "per channel. Not paginated: a municipality has tens of queues.",
        tags=["queues"],
        parameters=[LANGUAGE_PARAMETER],
        responses={200: QueueSerializer(many=True), 401: UNAUTHENTICATED, 403: FORBIDDEN},
    )
)
class QueueListView(StaffAPIView, generics.ListAPIView[Queue]):
    serializer_class = QueueSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Queue]:
        return queues_with_guarantees()
