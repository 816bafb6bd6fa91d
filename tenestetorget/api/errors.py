"""One error format for every API response that is not a success.

    {"code": "invalid",
     "detail": "Nokre felt er ikkje gyldige. ...",
     "errors": [{"field": "sender.email", "message": "E-postadressa er ikkje gyldig.",
                 "code": "invalid"}]}

A refused transition (409, code "transition_refused") adds the inquiry's `status` and the
`action` that was refused.

`field` is a dotted path into the request body (`sender.email`), a header name
(`Idempotency-Key`), a query parameter (`status`) or null when the error concerns the whole
request. Messages are in the request's language (Accept-Language, through LocaleMiddleware):
the services and DRF translate with gettext when they raise.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from tenestetorget.contact.models import Status
from tenestetorget.contact.transitions import TransitionRefused


class IdempotencyKeyReused(exceptions.APIException):
    """The Idempotency-Key was used before with a different request body."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"
    default_detail = gettext_lazy(
        "Denne Idempotency-Key er alt brukt til eit kall med anna innhald. "
        "Bruk ein ny nøkkel for ei ny henvending."
    )


class RequestTooLarge(exceptions.APIException):
    """A body larger than DATA_UPLOAD_MAX_MEMORY_SIZE, refused by Django before reading it."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self) -> None:
        limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)
        super().__init__(
            _("Innhaldet er for stort. Eit kall kan vere høgst %(size)s.") % {"size": limit},
            code=self.default_code,
        )


class TransitionConflict(exceptions.APIException):
    """The status machine refused the action (contact.transitions): 409 with the reason, the
    inquiry's current status and the action."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "transition_refused"

    def __init__(self, refused: TransitionRefused) -> None:
        super().__init__(" ".join(refused.messages), code=self.default_code)
        self.inquiry_status = str(refused.status)
        self.action = str(refused.action)


class ErrorItemSerializer(serializers.Serializer[Any]):
    field = serializers.CharField(
        allow_null=True,
        help_text="Dotted path of the field in the request body (sender.email), the header or "
        "query parameter, or null when the error concerns the whole request.",
    )
    message = serializers.CharField(help_text="What is wrong, in the request's language.")
    code = serializers.CharField(help_text="Machine-readable reason, e.g. required, invalid.")


class ErrorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(
        help_text="Machine-readable error: invalid, not_authenticated, "
        "authentication_failed, permission_denied, not_found, transition_refused, "
        "idempotency_key_reused, ..."
    )
    detail = serializers.CharField(help_text="Summary for people, in the request's language.")
    # DRF's metaclass moves declared fields off the class, so this does not shadow
    # Serializer.errors at run time; mypy sees only the class attribute.
    errors = ErrorItemSerializer(  # type: ignore[assignment]
        many=True, help_text="One entry per field error (may be empty)."
    )


class TransitionRefusedSerializer(ErrorSerializer):
    status = serializers.ChoiceField(
        choices=Status.choices, help_text="The inquiry's status, which refused the action."
    )
    # A string, not an enum: the actions' enum is named once, in allowed_actions.
    action = serializers.CharField(help_text="The refused action, as in the URL (answer, ...).")


def _join(prefix: str | None, key: str) -> str | None:
    if key == api_settings.NON_FIELD_ERRORS_KEY:
        return prefix
    return f"{prefix}.{key}" if prefix else key


def flatten_errors(detail: Any, prefix: str | None = None) -> Iterator[dict[str, str | None]]:
    """Turn DRF's nested error structure into a flat list with dotted field paths.

    Keys that already contain dots (the services' "sender.email") pass through unchanged;
    list positions become path segments (timeline.0.text)."""
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            yield from flatten_errors(value, _join(prefix, str(key)))
    elif isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            for item in detail:
                yield {
                    "field": prefix,
                    "message": str(item),
                    "code": getattr(item, "code", None) or "invalid",
                }
        else:
            for index, item in enumerate(detail):
                yield from flatten_errors(item, _join(prefix, str(index)))
    else:
        yield {
            "field": prefix,
            "message": str(detail),
            "code": getattr(detail, "code", None) or "invalid",
        }


def from_django(exc: DjangoValidationError) -> exceptions.ValidationError:
    """A service's ValidationError (dict keyed by field path, or a plain list) as DRF's."""
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(exc.message_dict)
    return exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.messages})


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with the body reshaped to the format above. Anything DRF does not
    handle (a bug) is left to Django: logged with context and answered with a 500."""
    if isinstance(exc, TransitionRefused):  # before ValidationError: it is one
        exc = TransitionConflict(exc)
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    elif isinstance(exc, DjangoValidationError):
        exc = from_django(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "code": "invalid",
            "detail": _("Nokre felt er ikkje gyldige. Rett dei og send på nytt."),
            "errors": list(flatten_errors(exc.detail)),
        }
        return response
    # DRF has turned Http404 and PermissionDenied into its own exceptions; their message
    # (an ErrorDetail carrying its code) is in the body it built.
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
    code = getattr(detail, "code", None) or "error"
    response.data = {"code": code, "detail": str(detail), "errors": []}
    if isinstance(exc, TransitionConflict):
        response.data.update(status=exc.inquiry_status, action=exc.action)
    return response
