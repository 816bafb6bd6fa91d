"""Public pages (innbyggjarside): home with search, search results, the service catalogue,
service and article pages, contact form with its receipt, service guarantees.

Thin views: parse input, call contact's service through portal.services, read through the
knowledge search, portal.selectors and the organisation's selectors, render.
"""

from __future__ import annotations

import logging
import unicodedata
import uuid
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from tenestetorget.contact.models import Inquiry
from tenestetorget.core.file_responses import document_response
from tenestetorget.knowledge import search as knowledge_search
from tenestetorget.knowledge.models import Kind
from tenestetorget.knowledge.rendering import fees_on, to_html
from tenestetorget.knowledge.selectors import attachment_for
from tenestetorget.organisation.models import Channel
from tenestetorget.organisation.queue_register import active_codes
from tenestetorget.organisation.selectors import (
    DEFAULT_ANSWER_WORKING_DAYS,
    queues_with_guarantees,
)
from tenestetorget.portal import receipts, selectors, spam, topics
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


def _default_guarantees() -> list[dict[str, Any]]:
    """What applies where a queue has no guarantee of its own, per channel."""
    return [
        {"channel": Channel(channel).label, "days": days}
        for channel, days in DEFAULT_ANSWER_WORKING_DAYS.items()
    ]


def _situations_with_content(language: str) -> list[Any]:
    """The life situations that have at least one public service or article."""
    return [
        s
        for s in selectors.life_situations(language, with_articles=True)
        if s.services or s.articles
    ]


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    language = _language()
    situations = _situations_with_content(language)
    return render(
        request,
        "portal/home.html",
        _public_context(
            situations=situations,
            popular=selectors.popular_services(language),
            max_query_chars=knowledge_search.MAX_QUERY_CHARS,
        ),
    )


# --- search -----------------------------------------------------------------------------------

SEARCH_LIMIT = 20
#: How much of the query the page repeats back (a pasted page of text need not be echoed).
ECHO_CHARS = 100


def clean_query(raw: str) -> str:
    """The query as the person meant it: control and format characters (a NUL byte, a
    zero-width space) become spaces, runs of white space one space."""
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in raw)
    return " ".join(text.split())


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Search results over the public articles and services. Every query gives a page: hits,
    or "no hits" with what to try and how to reach us."""
    language = _language()
    query = clean_query(request.GET.get("q", ""))
    hits = (
        knowledge_search.search(
            query, language=language, include_internal=False, limit=SEARCH_LIMIT
        )
        if query
        else []
    )
    # A query of only stop words or symbols gets its own advice: no wording would help.
    nothing_to_search = bool(query) and not hits and not knowledge_search.parse_query(query)
    response = render(
        request,
        "portal/search.html",
        _public_context(
            query=query[: knowledge_search.MAX_QUERY_CHARS],
            query_echo=Truncator(query).chars(ECHO_CHARS),
            hits=hits,
            too_long=len(query) > knowledge_search.MAX_QUERY_CHARS,
            max_query_chars=knowledge_search.MAX_QUERY_CHARS,
            nothing_to_search=nothing_to_search,
        ),
    )
    return response


# --- the service catalogue --------------------------------------------------------------------


def _crumbs(*items: tuple[str, str]) -> list[dict[str, str]]:
    home_ = {"title": _("Tenestetorget"), "url": reverse("portal:home")}
    return [home_, *({"title": title, "url": url} for title, url in items)]


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    language = _language()
    situations = _situations_with_content(language)
    return render(
        request,
        "portal/catalogue.html",
        _public_context(
            situations=situations,
            topics=selectors.services_by_topic(language),
            crumbs=_crumbs((_("Tenester"), reverse("portal:catalogue"))),
        ),
    )


@require_GET
def life_situation(request: HttpRequest, code: str) -> HttpResponse:
    entry = selectors.life_situation(code, _language())
    if entry is None:
        raise Http404
    return render(
        request,
        "portal/life_situation.html",
        _public_context(
            entry=entry,
            crumbs=_crumbs(
                (_("Tenester"), reverse("portal:catalogue")),
                (entry.name, reverse("portal:life_situation", kwargs={"code": code})),
            ),
        ),
    )


# --- service and article pages ----------------------------------------------------------------


def _page_url(kind: str, slug: str) -> str:
    name = "portal:service" if kind == Kind.SERVICE else "portal:article"
    return reverse(name, kwargs={"slug": slug})


def inquiry_url(queue_code: str | None) -> str:
    """The contact form, with the topic chosen when we know it."""
    url = reverse("portal:contact")
    return f"{url}?{urlencode({'tema': queue_code})}" if queue_code else url


@require_GET
def service(request: HttpRequest, slug: str) -> HttpResponse:
    return _knowledge_page(request, slug, Kind.SERVICE)


@require_GET
def article(request: HttpRequest, slug: str) -> HttpResponse:
    return _knowledge_page(request, slug, Kind.ARTICLE)


@require_GET
def article_attachment(request: HttpRequest, pk: int, name: str) -> HttpResponseBase:
    """A file of an article. Files of public articles are for everyone; of internal or
    unpublished ones for staff only, and nobody else learns that they exist (404)."""
    attachment = attachment_for(pk, request.user)
    if attachment is None or attachment.stored_file is None:
        raise Http404
    if name != attachment.original_name:
        # The name in the address is for the reader's download; an old or mistyped one
        # is sent to the right address.
        return HttpResponseRedirect(
            reverse("portal:article_attachment", args=[pk, attachment.original_name])
        )
    # From the document store, checked against its checksum. A PDF or an image is shown in
    # the browser, anything else saved; the type is the one the content is, sandboxed and
    # not to be guessed (core.file_responses).
    return document_response(attachment.stored_file, attachment.original_name)


def _knowledge_page(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    language = _language()
    page = selectors.page(slug, language)
    if page is None:
        raise Http404
    article_ = page.article
    if article_.kind != kind:
        # /teneste/ for an article or the other way round: send the reader to the right page.
        return HttpResponseRedirect(_page_url(article_.kind, slug))
    version = page.version
    fees = fees_on()

    def html(text: str) -> SafeString | str:
        # Rendered in the language of the text: a Nynorsk page shown to an English reader
        # says "kr 9 800 per søknad", like the rest of the text around it.
        return to_html(text, version.language, fees) if text.strip() else ""

    queue = article_.queue
    situation_crumbs = [
        (s.name, reverse("portal:life_situation", kwargs={"code": s.situation.code}))
        for s in page.situations[:1]
    ]
    context = _public_context(
        page=page,
        article=article_,
        version=version,
        fell_back=page.fell_back,
        content_language=version.language,
        summary_html=html(version.summary),
        body_html=html(version.body),
        who_html=html(version.who),
        how_html=html(version.how),
        legal_basis_html=html(version.legal_basis),
        fees=selectors.fee_lines(version, language) if kind == Kind.SERVICE else [],
        guarantees=page.guarantees,
        default_guarantees=_default_guarantees() if not page.guarantees else [],
        queue=queue,
        unit=queue.unit if queue is not None else None,
        inquiry_url=inquiry_url(queue.code if queue is not None and queue.active else None),
        crumbs=[
            *_crumbs((_("Tenester"), reverse("portal:catalogue")), *situation_crumbs),
            {
                "title": version.title,
                "url": request.path,
                "lang": version.language if page.fell_back else "",
            },
        ],
    )
    template = "portal/service.html" if kind == Kind.SERVICE else "portal/article.html"
    return render(request, template, context)


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


@require_GET
@never_cache
def contact_topic(request: HttpRequest) -> JsonResponse:
    """The contact form's script asks what the text is about: {"queue": code} when routing is
    sure of a topic the form offers, else {"queue": ""} (portal.topics)."""
    if not topics.within_rate(request):
        return JsonResponse({"queue": ""}, status=429)
    offered = active_codes()
    queue = topics.sure_topic(
        str(request.GET.get("subject", "")), str(request.GET.get("body", "")), offered
    )
    return JsonResponse({"queue": queue})


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
        form = ContactForm()
        # A service page's "Skriv til oss" link names its topic: ?tema=<queue code>.
        topic = request.GET.get("tema", "")
        if topic and topic in form.topic_codes:
            form.initial["queue"] = topic
        return _render_contact(request, form, str(uuid.uuid4()))

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

    # Show the form again with everything typed, but never with the honeypot's value: a
    # person whose browser filled it in would otherwise be refused again.
    data = request.POST.copy()
    data.pop(spam.HONEYPOT_FIELD, None)
    form = ContactForm(data=data, files=request.FILES)
    # Only a form that passed the spam checks and its own validation counts against the
    # address's allowance (taken and checked in one step; given back below if no inquiry).
    if reason is None and form.is_valid() and not spam.take_submission_slot(request):
        reason = spam.SpamReason.RATE_LIMITED

    if reason is not None:
        log.info("contact form refused as spam: %s", reason)
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
        spam.release_submission_slot(request)
        form.add_service_errors(exc)
        return _render_contact(request, form, sid, files_lost=files_chosen)
    if not created:  # the same form sent twice at once: the first one's inquiry
        spam.release_submission_slot(request)
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
                confirmation_sent=bool(inquiry.sender_email),
            ),
        )
    # The link is the key to the receipt: keep it out of shared caches and out of Referer
    # headers to other sites (same-origin, not no-referrer: with no referrer at all the
    # browser sends «Origin: null» on this page's own forms, the language switch, and the
    # CSRF check refuses them).
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


# --- service guarantees -----------------------------------------------------------------------


@require_GET
def guarantees(request: HttpRequest) -> HttpResponse:
    by_unit: dict[int, dict[str, Any]] = {}
    for queue in queues_with_guarantees():
        entry = by_unit.setdefault(queue.unit_id, {"unit": queue.unit, "queues": []})
        entry["queues"].append(queue)
    return render(
        request,
        "portal/guarantees.html",
        _public_context(units=list(by_unit.values()), defaults=_default_guarantees()),
    )
