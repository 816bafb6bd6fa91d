"""Acting on an inquiry: POST /api/v1/inquiries/{reference}/{action}/.

One view per action, so that the schema has one operation per action with its own body. A
view finds the inquiry among those the user may see (404 otherwise), parses the body (400)
and calls the one service that does the action (contact.services). The services check the
user's permission (403) and the status machine (409, contact.transitions) themselves, so the
API and the staff pages follow the same rules. The answer is the inquiry as it is afterwards.

Idempotency-Key works as for registering (api.idempotency): a retry with the same key and
request (compared after validation) acts once and replays the result, even when the action
(a forward out of the user's unit) has taken the inquiry out of the user's sight. Without a
key the status machine refuses most repeats (a second answer, close, pause, resume, reopen
or acknowledge is a 409), but a note, a take, a forward and an interim reply can be done
twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from tenestetorget.api import idempotency
from tenestetorget.api.errors import TransitionRefusedSerializer
from tenestetorget.api.parsers import JSONParser
from tenestetorget.api.serializers import (
    AcknowledgeRequestSerializer,
    ActionRequestSerializer,
    AnswerRequestSerializer,
    CloseRequestSerializer,
    ForwardRequestSerializer,
    InquiryDetailSerializer,
    InterimReplyRequestSerializer,
    NoteRequestSerializer,
    PauseRequestSerializer,
    ReopenRequestSerializer,
    ResumeRequestSerializer,
    TakeRequestSerializer,
)
from tenestetorget.api.views import (
    IDEMPOTENCY_PARAMETER,
    LANGUAGE_PARAMETER,
    NOT_FOUND_MESSAGE,
    REFERENCE_PARAMETER,
    UNAUTHENTICATED,
    StaffAPIView,
    error_response,
)
from tenestetorget.contact import services
from tenestetorget.contact.models import Handover, Inquiry, InquiryEvent
from tenestetorget.contact.selectors import visible_inquiries
from tenestetorget.contact.transitions import Action, TransitionRefused

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def inquiry_after_action(pk: int) -> Inquiry:
    """The inquiry as the detail endpoint shows it, read after the action. Not narrowed to
    what the user may see: a forward to another unit takes the inquiry out of a case
    officer's sight, and they still get the result of what they just did."""
    return (
        Inquiry.objects.select_related("queue", "queue__unit", "assigned_to")
        .prefetch_related(
            Prefetch("events", queryset=InquiryEvent.objects.select_related("actor")),
            Prefetch(
                "handovers",
                queryset=Handover.objects.filter(acknowledged_at__isnull=True).only(
                    "id", "inquiry_id", "acknowledged_at"
                ),
                to_attr="open_handovers",
            ),
        )
        .get(pk=pk)
    )


class InquiryActionView(StaffAPIView):
    """POST one action on one inquiry; subclasses name the action, its body and its
    service call."""

    parser_classes = [JSONParser]
    action: ClassVar[Action]
    request_serializer: ClassVar[type[ActionRequestSerializer]]
    #: The service's name for a field where it differs from the body's.
    field_names: ClassVar[dict[str, str]] = {}

    def perform(self, inquiry: Inquiry, actor: User, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def post(self, request: Request, reference: str) -> Response:
        # IsAuthenticated and IsStaffMember have run: the user is a real member of staff.
        actor = cast("User", request.user)
        key = idempotency.key_of(request)
        request_hash = ""
        data: dict[str, Any] | None = None
        if key is not None:
            # The fingerprint is of the validated body, so it is validated first (which
            # reads nothing of the inquiry). Then, before the look-up: a retried forward out
            # of one's own unit is replayed, not a 404. The key is the user's own and names
            # this reference, so a replay tells nothing about inquiries they may not see.
            data = self._validated(request)
            request_hash = idempotency.fingerprint(f"{self.action.value} {reference}", data)
            seen = idempotency.replay_if_seen(actor, key, request_hash)
            if seen is not None:
                return self._respond(seen)
        inquiry = (
            visible_inquiries(actor).select_related("queue").filter(reference=reference).first()
        )
        if inquiry is None:
            raise exceptions.NotFound(NOT_FOUND_MESSAGE)
        if data is None:
            data = self._validated(request)
        if key is None:
            self._act(inquiry, actor, data)
            return self._respond(idempotency.Outcome(inquiry, replayed=False))
        # A request that fails (400, 403, 409) stores nothing: it may be sent again.
        try:
            outcome = idempotency.create_once(
                actor, key, request_hash, lambda: self._act(inquiry, actor, data)
            )
        except TransitionRefused:
            # The same request sent twice at once: the twin held the row lock, acted and
            # stored the key, and the status machine refused ours. Replay the twin's.
            seen = idempotency.replay_if_seen(actor, key, request_hash)
            if seen is None:
                raise
            outcome = seen
        return self._respond(outcome)

    def _validated(self, request: Request) -> dict[str, Any]:
        serializer = self.request_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _respond(self, outcome: idempotency.Outcome) -> Response:
        headers = {"Idempotent-Replayed": "true"} if outcome.replayed else {}
        return Response(
            InquiryDetailSerializer(
                inquiry_after_action(outcome.inquiry.pk), context={"request": self.request}
            ).data,
            status=status.HTTP_200_OK,
            headers=headers,
        )

    def _act(self, inquiry: Inquiry, actor: User, data: dict[str, Any]) -> Inquiry:
        try:
            self.perform(inquiry, actor, data)
        except TransitionRefused:
            raise  # a ValidationError too, answered with 409 by api.errors
        except DjangoValidationError as exc:
            raise self._with_body_names(exc) from None
        return inquiry

    def _with_body_names(self, exc: DjangoValidationError) -> DjangoValidationError:
        """A service's field errors under the names the request body uses."""
        if not self.field_names or not hasattr(exc, "error_dict"):
            return exc
        return DjangoValidationError(
            {self.field_names.get(name, name): errors for name, errors in exc.error_dict.items()}
        )


@extend_schema(exclude=True)
class UnknownActionView(StaffAPIView):
    """Any other path below an inquiry: 404 in the API's error format."""

    def _unknown(self, request: Request, reference: str, action: str) -> Response:
        raise exceptions.NotFound(_("Ukjend handling: «%(action)s».") % {"action": action[:50]})

    get = post = put = patch = delete = _unknown


# --- the schema -------------------------------------------------------------------------------

V = TypeVar("V", bound=type[InquiryActionView])


def action_schema(
    *,
    summary: str,
    description: str,
    example: dict[str, Any] | None,
    refused: tuple[str, str],
) -> Callable[[V], V]:
    """One operation in the schema for an action view: its body, the inquiry as the answer,
    and the errors. `refused` is a (status, reason) the status machine refuses it with."""

    def decorate(view: V) -> V:
        action = view.action.value
        examples = [
            OpenApiExample(
                "Refused by the status machine",
                response_only=True,
                status_codes=["409"],
                value={
                    "code": "transition_refused",
                    "detail": refused[1],
                    "errors": [],
                    "status": refused[0],
                    "action": action,
                },
            )
        ]
        if example is not None:
            examples.insert(0, OpenApiExample(action, request_only=True, value=example))
        schema = extend_schema(
            operation_id=f"inquiries_{action.replace('-', '_')}",
            summary=summary,
            description=description,
            tags=["inquiry actions"],
            request=view.request_serializer,
            parameters=[REFERENCE_PARAMETER, IDEMPOTENCY_PARAMETER, LANGUAGE_PARAMETER],
            responses={
                200: OpenApiResponse(
                    InquiryDetailSerializer,
                    description="Done (or replayed for a repeated Idempotency-Key, with "
                    "`Idempotent-Replayed: true`): the inquiry as it is now.",
                ),
                400: error_response(
                    "The body is not JSON (parse_error) or a field is wrong (invalid; each "
                    "error names its field; an unknown field is refused too)."
                ),
                401: UNAUTHENTICATED,
                403: error_response(
                    "Not a member of staff, or your role may not do this to this inquiry "
                    "(an archivist answering, a handover to another person)."
                ),
                404: error_response("No inquiry with this reference that you may see."),
                409: OpenApiResponse(
                    TransitionRefusedSerializer,
                    description="The inquiry's status does not allow the action "
                    "(transition_refused); `detail` says why, `status` and `action` say "
                    "which.",
                ),
                413: error_response("A body larger than the server's limit (5 MB by default)."),
                415: error_response("A body without `Content-Type: application/json`."),
                422: error_response("The Idempotency-Key was used before with another request."),
            },
            examples=examples,
        )
        return cast("V", extend_schema_view(post=schema)(view))

    return decorate


# --- the actions ------------------------------------------------------------------------------


@action_schema(
    summary="Forward the inquiry to a queue or a person",
    description="Hands the inquiry over (send vidare) to another queue, a named member of "
    "staff, or both. The receiver must acknowledge it; until then it is `forwarded` and the "
    "front desk sees it on its attention list when the acknowledgement is late. A wait for "
    "the sender goes on while it changes hands. Anyone who may see the inquiry may forward "
    "it. Give `queue`, `user` or both.",
    example={"queue": "veg", "user": "kari", "note": "Gjeld brøyting på Fjellvegen."},
    refused=("closed", "Henvendinga er avslutta. Opne ho att fyrst."),
)
class ForwardView(InquiryActionView):
    action = Action.FORWARD
    request_serializer = ForwardRequestSerializer
    field_names = {"to_queue": "queue", "to_user": "user"}

    def perform(self, inquiry: Inquiry, actor: User, data: dict[str, Any]) -> None:
        services.forward_inquiry(
            inquiry, actor, to_queue=data["queue"], to_user=data["user"], note=data["note"]
        )


@action_schema(
    summary="Acknowledge a handover",
    description="The receiver confirms a handover: the inquiry becomes theirs and is in "
    "progress (a wait for the sender goes on). 409 when no handover waits for "
    "acknowledgement. A handover to a named person is acknowledged by that person, a unit "
    "leader or an administrator. No body.",
    example=None,
    refused=("in_progress", "Det er ingen vidaresending som ventar på stadfesting."),
)
class AcknowledgeView(InquiryActionView):
    action = Action.ACKNOWLEDGE
    request_serializer = AcknowledgeRequestSerializer

    def perform(self, inquiry: Inquiry, actor: User, data: dict[str, Any]) -> None:
        services.acknowledge_handover(inquiry, actor)


@action_schema(
    summary="Take the inquiry",
    description="Assigns the inquiry to you and starts work on it (`in_progress`; a wait for "
    "the sender goes on). Taking one that waits for acknowledgement acknowledges the "
    "handover. No body.",
    example=None,
    refused=(
        "answered",
        "Henvendinga er svart. Avslutt ho, eller opna ho att for å arbeide vidare.",
    ),
)
class TakeView(InquiryActionView):
    action = Action.TAKE
    request_serializer = TakeRequestSerializer

    def perform(self, inquiry: Inquiry, actor: User, data: dict[str, Any]) -> None:
        services.take_inquiry(inquiry, actor)


@action_schema(
    summary="Add an internal note",
    description="An internal note on the timeline, never sent to the sender. Allowed in "
    "every status, for anyone who may see the inquiry. An empty note is refused (400).",
    example={"note": "Ringde avsendaren, ho sender kart i morgon."},
    refused=("closed", "Dette kan ikkje gjerast med ei henvending med status «Avslutta»."),
)
class NoteView(InquiryActionView):
    action = Action.NOTE
    request_serializer = NoteRequestSerializer

    def perform(self, inquiry: Inquiry, actor: User, data: dict[str, Any]) -> None:
        services.add_note(inquiry, actor, data["note"])


@action_schema(
    summary="Wait for the sender",
    description="Missing information: the inquiry waits for the sender (`waiting`) and the "
    "guarantee clock stops (`paused`). `note` says what is missing; when the sender has an "
    "e-mail address it is sent to them in their language. An inquiry already past its due "
    "date may wait too, but stays overdue.",
    example={"note": "Vi treng eit kart som viser kvar garasjen skal stå."},
    refused=("waiting", "Henvendinga ventar alt på avsendaren."),
)
class PauseView(InquiryActionView):
    action = Action.PAUSE
    request_serializer = PauseRequestSerializer

    def perform(self, inquiry: Inquiry, actor: User, data: dict[str, Any]) -> None:
        services.pause_for_sender(inquiry, actor, note=data["note"])


@action_schema(
    summary="Resume after waiting for the sender",
    description="The sender has answered: the inquiry is in progress again and the clock "
    "runs. `due_date` is the `original_due_date` extended by the working time spent waiting "
    "in this round, rounded to whole working days.",
    example={"note": "Kartet kom på e-post."},
    refused=("in_progress", "Henvendinga ventar ikkje på avsendaren."),
)
class ResumeView(InquiryActionView):
    action = Action.RESUME
    request_serializer = ResumeRequestSerializer

    def perform(self, inquiry: Inquiry, actor: User, data: dict[str, Any]) -> None:
        services.resume_inquiry(inquiry, actor, note=data["note"])


@action_schema(
    summary="Send an interim reply (førebels svar)",
    description="Forvaltningslova § 11 a: tells the sender why the answer takes time and when "
    "it will come (e-mailed when they have an address). `due_date` is recorded as "
    "`interim_promised_date`, moved to the next working day if the office is closed that "
    "day; it does not move the guarantee's `due_date`. Not while waiting for the sender.",
    example={
        "text": "Saka må synfarast før vi kan svare. Du får svar innan datoen under.",
        "due_date": "2026-12-18",
    },
    refused=(
        "waiting",
        "Henvendinga ventar på avsendaren. Hald fram med ho før du sender førebels svar.",
    ),
)
class InterimReplyView(InquiryActionView):
    action = Action.INTERIM_REPLY
    request_serializer = InterimReplyRequestSerializer
    field_names = {"new_due_date": "due_date"}

    def perform(self, inquiry: Inquiry, actor: User, data: dict[str, Any]) -> None:
        services.send_interim_reply(
            inquiry, actor, new_due_date=data["due_date"], text=data["text"]
        )


@action_schema(
    summary="Answer the sender",
    description="Sends the answer to the sender by e-mail when they have an address, and "
    "otherwise records it as what was said (a phone answer). Closes the inquiry unless "
    "`close` is false. Settles the guarantee (`guarantee_kept`); an answer while waiting "
    "for the sender ends the wait. Archivists may not answer (403). A second answer is "
    "refused (409), so a retried answer is never sent twice.",
    example={
        "text": "Fjellvegen blir brøyta før klokka 07 på yrkedagar.",
        "close": True,
        "article": "broyting-kommunale-vegar",
    },
    refused=("closed", "Henvendinga er avslutta. Opne ho att fyrst."),
)
class AnswerView(InquiryActionView):
    action = Action.ANSWER
    request_serializer = AnswerRequestSerializer

    def perform(self, inquiry: Inquiry, actor: User, data: dict[str, Any]) -> None:
        services.answer_inquiry(
            inquiry, actor, data["text"], close=data["close"], article=data["article"]
        )


@action_schema(
    summary="Close the inquiry",
    description="Closes the inquiry. Closing an answered one ends it; closing an open one "
    "without an answer settles its guarantee now (a late close is late).",
    example={"note": "Avsendaren fekk svar på telefon.", "first_contact_resolved": False},
    refused=("closed", "Henvendinga er avslutta. Opne ho att fyrst."),
)
class CloseView(InquiryActionView):
    action = Action.CLOSE
    request_serializer = CloseRequestSerializer

    def perform(self, inquiry: Inquiry, actor: User, data: dict[str, Any]) -> None:
        services.close_inquiry(
            inquiry,
            actor,
            note=data["note"],
            first_contact_resolved=data["first_contact_resolved"],
        )


@action_schema(
    summary="Reopen an answered or closed inquiry",
    description="A new round: the inquiry is in progress again with a fresh "
    "`original_due_date` (and `due_date`) from the queue's guarantee, counted from now. The "
    "earlier round's outcome stays in the figures.",
    example={"note": "Avsendaren har eit oppfølgingsspørsmål."},
    refused=("in_progress", "Henvendinga er alt open."),
)
class ReopenView(InquiryActionView):
    action = Action.REOPEN
    request_serializer = ReopenRequestSerializer

    def perform(self, inquiry: Inquiry, actor: User, data: dict[str, Any]) -> None:
        services.reopen_inquiry(inquiry, actor, note=data["note"])


#: Every action of the status machine, with its view (api.urls routes them).
ACTION_VIEWS: dict[Action, type[InquiryActionView]] = {
    view.action: view
    for view in (
        ForwardView,
        AcknowledgeView,
        TakeView,
        NoteView,
        PauseView,
        ResumeView,
        InterimReplyView,
        AnswerView,
        CloseView,
        ReopenView,
    )
}
assert set(ACTION_VIEWS) == set(Action), "every action needs its view"
