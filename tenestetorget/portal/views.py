"""Public pages (innbyggjarside): home, contact form with its receipt, service guarantees.

Thin views: parse input, call contact's service through portal.services, read through the
organisation's selectors, render.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from tenestetorget.contact.models import Inquiry
from tenestetorget.organisation.models import Channel
from tenestetorget.organisation.selectors import (
    DEFAULT_ANSWER_WORKING_DAYS,
    queues_with_guarantees,
)
from tenestetorget.portal import receipts, spam
from tenestetorget.portal.forms import ContactForm
from tenestetorget.portal.services import inquiry_for_submission, submit_contact_form

log = logging.getLogger(__name__)

SUPPORTED_LANGUAGES = ("nn", "nb", "en")


def _public_context(**extra: Any) -> dict[str, Any]:
    conf: dict[str, Any] = settings.TENESTETORGET
    phone = str(conf["PHONE"])
    return {
        "municipality_name": conf["MUNICIPALITY_NAME"],
        "phone": phone,
        "phone_link": "".join(ch for ch in phone if ch.isdigit() or ch == "+"),
        "opening_hour": conf["OPENING_HOUR"],
        "closing_hour": conf["CLOSING_HOUR"],
        **extra,
    }


def _language() -> str:
    language = (translation.get_language() or "nn").split("-")[0]
    return language if language in SUPPORTED_LANGUAGES else "nn"


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", _public_context())


# --- contact form -----------------------------------------------------------------------------


def _spam_message(reason: spam.SpamReason) -> str:
    phone = settings.TENESTETORGET["PHONE"]
    if reason == spam.SpamReason.TOO_FAST:
        return _(
            "Skjemaet vart sendt svært kort tid etter at det vart opna, slik maskiner gjer. "
            "Det du skreiv, står framleis nedanfor. Sjå over og trykk «Send» på nytt."
        )
    if reason == spam.SpamReason.EXPIRED:
        return _(
            "Skjemaet har vore ope i meir enn eit døgn. Det du skreiv, står framleis nedanfor. "
            "Sjå over og trykk «Send» på nytt."
        )
    if reason == spam.SpamReason.RATE_LIMITED:
        return _(
            "Det er sendt mange skjema frå same nettverk på kort tid, så vi tek ein pause. "
            "Det du skreiv, står framleis nedanfor. Prøv igjen om nokre minutt, eller ring oss "
            "på %(phone)s."
        ) % {"phone": phone}
    return _(
        "Vi kunne ikkje ta imot skjemaet fordi det liknar på automatisk utfylling. "
        "Det du skreiv, står framleis nedanfor. Sjå over og trykk «Send» på nytt, "
        "eller ring oss på %(phone)s."
    ) % {"phone": phone}


def _render_contact(
    request: HttpRequest,
    form: ContactForm,
    submission_id: str,
    *,
    notice: str = "",
    files_lost: bool = False,
    status: int = 200,
) -> HttpResponse:
    error_summary = form.error_summary() if form.is_bound else []
    context = _public_context(
        form=form,
        submission_id=submission_id,
        form_token=spam.issue_form_token(submission_id),
        honeypot_field=spam.HONEYPOT_FIELD,
        form_token_field=spam.FORM_TOKEN_FIELD,
        notice=notice,
        error_summary=error_summary,
        non_field_errors=form.non_field_errors() if form.is_bound else [],
        files_lost=files_lost,
        has_errors=bool(notice or error_summary or (form.is_bound and form.non_field_errors())),
    )
    return render(request, "portal/contact.html", context, status=status)


def _receipt_redirect(inquiry: Inquiry) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        reverse("portal:receipt", kwargs={"token": receipts.receipt_token(inquiry)})
    )


def _submission_id(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value or ""))
    except ValueError:
        return None


@never_cache
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    """The public contact form: POST, then redirect to the receipt (POST/redirect/GET)."""
    if request.method != "POST":
        return _render_contact(request, ContactForm(), str(uuid.uuid4()))

    submission_id = _submission_id(request.POST.get("submission_id"))
    if submission_id is not None:
        # A double click or a resent POST: the same receipt, no second inquiry.
        earlier = inquiry_for_submission(submission_id)
        if earlier is not None:
            return _receipt_redirect(earlier)
    # A form without a valid id of its own gets a fresh one; the token check below fails for
    # it, since the token names the id it was issued with.
    sid = str(submission_id or uuid.uuid4())
    files_chosen = any(f.size for f in request.FILES.getlist("attachments"))
    reason = spam.check_submission(request.POST, sid)
    if reason is None and spam.is_rate_limited(request):
        reason = spam.SpamReason.RATE_LIMITED

    # Show the form again with everything typed, but never with the honeypot's value: a
    # person whose browser filled it in would otherwise be refused again.
    data = request.POST.copy()
    data.pop(spam.HONEYPOT_FIELD, None)
    form = ContactForm(data=data, files=request.FILES)

    if reason is not None:
        log.info("contact form refused as spam: %s", reason)
        if reason != spam.SpamReason.RATE_LIMITED:
            spam.count_submission(request)
        status = 429 if reason == spam.SpamReason.RATE_LIMITED else 400
        unbound = ContactForm(initial=_initial_from(form))
        return _render_contact(
            request,
            unbound,
            sid,
            notice=_spam_message(reason),
            files_lost=files_chosen,
            status=status,
        )

    if not form.is_valid():
        return _render_contact(request, form, sid, files_lost=files_chosen)

    data_ = form.cleaned_data
    try:
        inquiry, created = submit_contact_form(
            submission_id=uuid.UUID(sid),
            subject=data_["subject"],
            body=data_["body"],
            sender=form.sender_data(language=_language()),
            queue_code=data_.get("queue") or None,
            attachments=data_.get("attachments") or [],
        )
    except ValidationError as exc:
        form.add_service_errors(exc)
        return _render_contact(request, form, sid, files_lost=files_chosen)
    if created:
        spam.count_submission(request)
    return _receipt_redirect(inquiry)


def _initial_from(form: ContactForm) -> dict[str, Any]:
    """What the citizen typed, as initial values of a form shown without error messages
    (after a spam refusal the fields themselves are not at fault)."""
    initial: dict[str, Any] = {}
    for name, field in form.fields.items():
        if name == "attachments":
            continue
        value = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        if value not in (None, ""):
            initial[name] = value
    return initial


@require_GET
def receipt(request: HttpRequest, token: str) -> HttpResponse:
    inquiry = receipts.inquiry_for_receipt(token)
    if inquiry is None:
        response = render(request, "portal/receipt_missing.html", _public_context(), status=404)
    else:
        response = render(
            request,
            "portal/receipt.html",
            _public_context(
                reference=inquiry.reference,
                subject=inquiry.subject,
                received_at=inquiry.received_at,
                due_date=inquiry.due_date,
                confirmation_sent=bool(inquiry.sender.email),
            ),
        )
    # The link is the key to the receipt: keep it out of shared caches and Referer headers.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- service guarantees -----------------------------------------------------------------------


@require_GET
def guarantees(request: HttpRequest) -> HttpResponse:
    by_unit: dict[int, dict[str, Any]] = {}
    for queue in queues_with_guarantees():
        entry = by_unit.setdefault(queue.unit_id, {"unit": queue.unit, "queues": []})
        entry["queues"].append(queue)
    defaults = [
        {"channel": Channel(channel).label, "days": days}
        for channel, days in DEFAULT_ANSWER_WORKING_DAYS.items()
    ]
    return render(
        request,
        "portal/guarantees.html",
        _public_context(units=list(by_unit.values()), defaults=defaults),
    )
