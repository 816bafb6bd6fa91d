"""The site's own error pages: 400, 403, 404 and 500, and a refused form (CSRF).

Each page is in the site's public look and the reader's language and carries a short
reference, such as `K7QM-2XDA`, that the reader can quote to the front desk; the same
reference stands in the log beside the path and, for a 500, the traceback. Django's debug
page is never shown: DEBUG is off everywhere but on a developer's machine.

Under /api/ the answer is JSON in the API's error format (`code`, `detail`, `errors`, see
api/errors.py) with the reference added, for an address no API view matched and for a
failure outside DRF's own handling.

The 500 page is rendered without the context processors (they read the user's profile from
the database, which may be what failed), and if even that fails, as a plain page written
here.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template import loader
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from tenestetorget.core.middleware import language_for

logger = logging.getLogger("tenestetorget.errors")

#: Letters and digits nobody mixes up when reading them out on the phone (no 0/O, 1/I/L, U).
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"


def new_reference() -> str:
    """Eight characters in two groups: unique enough to find one line in a day's log."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reference = new_reference()
    logger.warning(
        "Error reference %s: 400 for %s %s: %s",
        reference,
        request.method,
        request.path,
        _describe(exception),
    )
    # A BadRequest is raised with a message for the reader (a statistics month that is not a
    # month); other 400s (a disallowed host name, too many fields) tell nothing worth reading.
    message = str(exception) if isinstance(exception, BadRequest) and exception.args else ""
    return _respond(request, 400, "400.html", reference, message=message, code="bad_request")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reference = new_reference()
    logger.warning(
        "Error reference %s: 403 for %s %s: %s",
        reference,
        request.method,
        request.path,
        _describe(exception),
    )
    # The views and services say why in the reader's language ("Du har ikkje tilgang til
    # statistikken.").
    message = str(exception) if isinstance(exception, PermissionDenied) and exception.args else ""
    return _respond(request, 403, "403.html", reference, message=message, code="permission_denied")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reference = new_reference()
    # Every mistyped address lands here: worth a line, not a warning.
    logger.info("Error reference %s: 404 for %s %s", reference, request.method, request.path)
    return _respond(request, 404, "404.html", reference, code="not_found")


def server_error(request: HttpRequest) -> HttpResponse:
    # Called by Django while it handles the exception, so the traceback is at hand.
    reference = new_reference()
    logger.error(
        "Error reference %s: 500 for %s %s",
        reference,
        request.method,
        request.path,
        exc_info=True,
    )
    return _respond(request, 500, "500.html", reference, code="server_error", safe=True)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check: in practice a page left open past the end of the
    session, or cookies turned off. Django's own page is in English and plain."""
    reference = new_reference()
    logger.warning(
        "Error reference %s: CSRF refused %s %s: %s",
        reference,
        request.method,
        request.path,
        reason,
    )
    return _respond(request, 403, "403_csrf.html", reference, code="csrf_failed")


def _describe(exception: Exception | None) -> str:
    if exception is None:
        return "-"
    return f"{type(exception).__name__}: {exception}"


def _respond(
    request: HttpRequest,
    status: int,
    template: str,
    reference: str,
    *,
    code: str,
    message: str = "",
    safe: bool = False,
) -> HttpResponse:
    language = getattr(request, "LANGUAGE_CODE", None) or _language_for(request)
    with translation.override(language):
        if request.path.startswith("/api/"):
            return _json(status, reference, code, message)
        context = {**_site_context(), "reference": reference, "message": message}
        html: str
        if not safe:
            html = loader.render_to_string(template, context, request=request)
        else:
            try:
                html = _render_without_context_processors(request, template, context)
            except Exception:
                logger.exception("Error reference %s: the error page failed too", reference)
                html = _plain_page(reference, language)
        response = HttpResponse(html, status=status)
        response.headers["Content-Language"] = language
        return response


def _language_for(request: HttpRequest) -> str:
    # Before the language middleware has run; reading the member of staff's own setting may
    # need the database, and the database may be why we are here.
    try:
        return language_for(request)
    except Exception:
        return str(settings.LANGUAGE_CODE)


def _render_without_context_processors(
    request: HttpRequest, template: str, context: dict[str, Any]
) -> str:
    # What the page's layout reads from the request, given by hand: the language switch
    # needs its CSRF token and the address to come back to; no user, no database.
    return loader.render_to_string(
        template, {**context, "request": request, "csrf_token": get_token(request)}
    )


def _site_context() -> dict[str, Any]:
    """What the public layout shows, from the settings alone."""
    conf: dict[str, Any] = settings.TENESTETORGET
    phone = str(conf["PHONE"])
    return {
        "municipality_name": conf["MUNICIPALITY_NAME"],
        "phone": phone,
        "phone_link": "".join(ch for ch in phone if ch.isdigit() or ch == "+"),
        "opening_hour": conf["OPENING_HOUR"],
        "closing_hour": conf["CLOSING_HOUR"],
    }


def _json(status: int, reference: str, code: str, message: str) -> JsonResponse:
    details = {
        400: _("Førespurnaden er ikkje gyldig."),
        403: _("Du har ikkje tilgang til dette."),
        404: _("Adressa finst ikkje i API-et."),
        500: _("Noko gjekk gale hos oss. Oppgje referansen %(reference)s om du tek kontakt.")
        % {"reference": reference},
    }
    return JsonResponse(
        {
            "code": code,
            "detail": message or details[status],
            "errors": [],
            "reference": reference,
        },
        status=status,
    )


def _plain_page(reference: str, language: str) -> str:
    """The last resort: no template, no database, only the words."""
    title = _("Noko gjekk gale")
    text = _("Feilen er hos oss. Prøv igjen om litt.")
    quote = _("Referanse: %(reference)s") % {"reference": reference}
    return (
        f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body><main><h1>{escape(title)}</h1>"
        f"<p>{escape(text)}</p><p>{escape(quote)}</p></main></body></html>"
    )
