"""The public journal (offentleg journal) and the request for access (innsynskrav).

`/journal/` shows the posts registered on one day (the latest day with posts unless the
reader picks another), or, when the reader searches, every post that answers, newest first.
All that is shown comes from records.public through records.public_search: the public title,
masked names and the legal basis of a screening, never the full title of a screened post.

"Be om innsyn" on a post opens `/journal/innsyn/<systemID>/`: the post's reference is shown
and filled in, the reader gives a name and an e-mail address, and the request becomes an
inquiry in the queue `innsyn` through the contact form's service, with the same protections
(honeypot, signed form token, rate limit, one inquiry per rendered form) and receipt.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import formats
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from tenestetorget.contact.services import MAX_SUBJECT
from tenestetorget.organisation.queue_register import queue_by_code
from tenestetorget.portal import spam
from tenestetorget.portal.journal_forms import AccessRequestForm, JournalSearchForm
from tenestetorget.portal.services import inquiry_for_submission, submit_contact_form
from tenestetorget.portal.views import (
    _language,
    _public_context,
    _receipt_redirect,
    _spam_message,
    _submission_id,
)
from tenestetorget.records import public_search
from tenestetorget.records.models import Journalposttype, Korrespondanseparttype
from tenestetorget.records.public import PublicEntry, public_entries, publishable_entries

log = logging.getLogger(__name__)

#: The queue requests for access go to (the demo's "Innsyn og arkiv"; queues.yaml).
ACCESS_QUEUE = "innsyn"
#: Offentleglova § 29: a request is decided "utan ugrunna opphald"; Sivilombodet reads that
#: as the same day or within 1–3 working days, and § 32 counts 5 without an answer as a
#: refusal. The inquiry is due the next working day whatever the queue's guarantee says.
ACCESS_ANSWER_WORKING_DAYS = 1
PAGE_SIZE = 25


# --- presentation -----------------------------------------------------------------------------


def _party_label(role: str) -> str:
    try:
        return str(Korrespondanseparttype(role).label)
    except ValueError:
        return role


def _type_label(code: str) -> str:
    try:
        return str(Journalposttype(code).label)
    except ValueError:
        return code


def entry_view(
    entry: PublicEntry, access_url: Callable[[uuid.UUID], str] | None = None
) -> dict[str, Any]:
    """What a template shows of one post; only PublicEntry's fields. Everything the page
    prints is computed here, once per post: in the template, the filters and tags per post
    were most of the page's CPU time (docs/performance.md). `access_url` makes the URL of
    the post's request page (see `entry_views`)."""
    url = access_url or _access_url()
    return {
        "entry": entry,
        "system_id": entry.system_id,
        "title": linebreaksbr(entry.tittel, autoescape=True),
        "mappe_id": entry.mappe_id,
        "case_title": linebreaksbr(entry.case_tittel, autoescape=True),
        "registrerings_id": entry.registrerings_id,
        "journal_number": f"{entry.journalaar}/{entry.journalsekvensnummer}",
        "type": entry.journalposttype,
        "type_label": _type_label(entry.journalposttype),
        "journaldato_iso": entry.journaldato.isoformat(),
        "journaldato": formats.date_format(entry.journaldato, "SHORT_DATE_FORMAT"),
        "dokumentets_dato_iso": (
            entry.dokumentets_dato.isoformat() if entry.dokumentets_dato else ""
        ),
        "dokumentets_dato": (
            formats.date_format(entry.dokumentets_dato, "SHORT_DATE_FORMAT")
            if entry.dokumentets_dato
            else ""
        ),
        "parties": [
            {"label": _party_label(party.role), "name": party.name} for party in entry.parties
        ],
        "unit": entry.administrativ_enhet,
        "officer": entry.saksbehandler,
        "screened": entry.screened,
        "basis": entry.skjermingshjemmel,
        "access_url": url(entry.system_id),
    }


def _access_url() -> Callable[[uuid.UUID], str]:
    """reverse() of the request page, once per page rather than once per post."""
    slot = uuid.UUID(int=0)
    head, _sep, tail = reverse("portal:journal_access", kwargs={"system_id": slot}).rpartition(
        str(slot)
    )
    return lambda system_id: f"{head}{system_id}{tail}"


def entry_views(entries: list[PublicEntry]) -> list[dict[str, Any]]:
    """`entry_view` of each post of a page."""
    url = _access_url()
    return [entry_view(entry, url) for entry in entries]


def _page_url(params: QueryDict, **changes: str | None) -> str:
    query = params.copy()
    for key in ("etter", "foer"):
        query.pop(key, None)
    for key, value in changes.items():
        query.pop(key, None)
        if value:
            query[key] = value
    encoded = query.urlencode()
    return f"{reverse('portal:journal')}?{encoded}" if encoded else reverse("portal:journal")


def _day_url(day: dt.date | None) -> str | None:
    if day is None:
        return None
    return f"{reverse('portal:journal')}?{urlencode({'dato': day.isoformat()})}"


# --- the journal ------------------------------------------------------------------------------


@require_GET
def journal(request: HttpRequest) -> HttpResponse:
    form = JournalSearchForm(data=request.GET)
    valid = form.is_valid()
    searching = valid and form.is_search()
    day: dt.date | None = None
    navigation = None
    page = public_search.JournalPage(entries=[])
    if valid:
        if not searching:
            day = form.cleaned_data.get("dato") or public_search.latest_day()
            if day is not None:
                navigation = public_search.day_navigation(day)
        if searching or day is not None:
            page = public_search.search(
                form.journal_query(day),
                after=request.GET.get("etter"),
                before=request.GET.get("foer"),
                page_size=PAGE_SIZE,
            )
    # The values as typed, for the form shown again (a bound form shows them).
    context = _public_context(
        form=form,
        searching=searching,
        day=day,
        day_input=(day or dt.date.today()).isoformat(),
        previous_day_url=_day_url(navigation.previous_day) if navigation else None,
        next_day_url=_day_url(navigation.next_day) if navigation else None,
        entries=entry_views(page.entries),
        ignored_words=page.ignored_words,
        next_url=_page_url(request.GET, etter=page.next_cursor) if page.next_cursor else None,
        previous_url=(
            _page_url(request.GET, foer=page.previous_cursor) if page.previous_cursor else None
        ),
        error_summary=form.error_summary() if not valid else [],
        types=Journalposttype.choices,
        selected_types=request.GET.getlist("type"),
    )
    return render(request, "portal/journal.html", context, status=200 if valid else 400)


# --- request for access -----------------------------------------------------------------------


def _public_entry(system_id: uuid.UUID) -> PublicEntry:
    entries = list(public_entries(publishable_entries().filter(system_id=system_id)))
    if not entries:
        raise Http404
    return entries[0]


def access_subject(entry: PublicEntry) -> str:
    subject = _("Innsynskrav: %(id)s %(title)s") % {
        "id": entry.registrerings_id,
        "title": " ".join(entry.tittel.split()),
    }
    return Truncator(subject).chars(MAX_SUBJECT)


def access_body(entry: PublicEntry, link: str, message: str) -> str:
    """The inquiry's text: the post's reference as the public journal shows it, the link to
    it, and what the person wrote."""
    lines = [
        _("Innsynskrav for journalpost %(id)s.") % {"id": entry.registrerings_id},
        "",
        _("Sak: %(case)s %(title)s") % {"case": entry.mappe_id, "title": entry.case_tittel},
        _("Journalpost: %(id)s %(title)s") % {"id": entry.registrerings_id, "title": entry.tittel},
        _("Journalnummer: %(year)s/%(number)s")
        % {"year": entry.journalaar, "number": entry.journalsekvensnummer},
        _("Journaldato: %(date)s")
        % {"date": formats.date_format(entry.journaldato, "SHORT_DATE_FORMAT")},
        _("Systemid: %(id)s") % {"id": entry.system_id},
        _("I offentleg journal: %(link)s") % {"link": link},
    ]
    if message.strip():
        lines += ["", _("Melding:"), message.strip()]
    return "\n".join(lines)


def _access_queue() -> str | None:
    """The innsyn queue, if this municipality has it; else the front desk routes the request
    (nothing is lost, and the promise of 1 working day holds either way)."""
    queue = queue_by_code(ACCESS_QUEUE)
    if queue is None or not queue.active:
        log.warning("no active queue %r: the access request goes to the front desk", ACCESS_QUEUE)
        return None
    return ACCESS_QUEUE


def _render_access(
    request: HttpRequest,
    entry: PublicEntry,
    form: AccessRequestForm,
    submission_id: str,
    *,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    error_summary = form.error_summary() if form.is_bound else []
    view = entry_view(entry)
    context = _public_context(
        form=form,
        item=view,
        items=[view],
        submission_id=submission_id,
        form_token=spam.issue_form_token(submission_id),
        honeypot_field=spam.HONEYPOT_FIELD,
        form_token_field=spam.FORM_TOKEN_FIELD,
        notice=notice,
        error_summary=error_summary,
        non_field_errors=form.non_field_errors() if form.is_bound else [],
        has_errors=bool(notice or error_summary),
        answer_days=ACCESS_ANSWER_WORKING_DAYS,
    )
    return render(request, "portal/journal_access.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def access_request(request: HttpRequest, system_id: uuid.UUID) -> HttpResponse:
    """The innsynskrav form for one post: POST, then the contact form's receipt."""
    entry = _public_entry(system_id)
    if request.method != "POST":
        return _render_access(request, entry, AccessRequestForm(), str(uuid.uuid4()))

    submission_id = _submission_id(request.POST.get("submission_id"))
    if submission_id is not None:
        earlier = inquiry_for_submission(submission_id)
        if earlier is not None:
            return _receipt_redirect(earlier)
    sid = str(submission_id or uuid.uuid4())
    reason = spam.check_submission(request.POST, sid)
    data = request.POST.copy()
    data.pop(spam.HONEYPOT_FIELD, None)
    form = AccessRequestForm(data=data)
    if reason is None and form.is_valid() and not spam.take_submission_slot(request):
        reason = spam.SpamReason.RATE_LIMITED
    if reason is not None:
        log.info("access request refused as automated: %s", reason)
        # Shown again without field errors: the fields are not at fault.
        retry = AccessRequestForm(
            initial={key: data.get(key, "") for key in ("name", "email", "message")}
        )
        status = 429 if reason == spam.SpamReason.RATE_LIMITED else 400
        return _render_access(
            request, entry, retry, sid, notice=_spam_message(reason), status=status
        )
    if not form.is_valid():
        return _render_access(request, entry, form, sid)

    link = request.build_absolute_uri(
        f"{reverse('portal:journal')}?{urlencode({'q': entry.registrerings_id})}"
    )
    try:
        inquiry, created = submit_contact_form(
            submission_id=uuid.UUID(sid),
            subject=access_subject(entry),
            body=access_body(entry, link, form.cleaned_data.get("message") or ""),
            sender=form.sender_data(language=_language()),
            queue_code=_access_queue(),
            answer_within_working_days=ACCESS_ANSWER_WORKING_DAYS,
        )
    except ValidationError as exc:
        spam.release_submission_slot(request)
        for message in exc.messages:
            form.add_error(None, message)
        return _render_access(request, entry, form, sid, status=400)
    if not created:
        spam.release_submission_slot(request)
    return _receipt_redirect(inquiry)
