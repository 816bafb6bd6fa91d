"""Staff pages: inbox, phone note, inquiry page with its actions, search, outbox, statistics.

Views parse input, call one service or selector and render. Errors from services are shown
next to the field they concern, with everything the user typed kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tenestetorget.contact import filing, intake, selectors, senders, services
from tenestetorget.contact import outbox as outbox_messages
from tenestetorget.contact.forms import (
    AnswerForm,
    AttachmentForm,
    CloseForm,
    FileForm,
    ForwardForm,
    GuaranteeForm,
    InterimReplyForm,
    NoteForm,
    PauseForm,
    PhoneNoteForm,
    apply_service_errors,
)
from tenestetorget.contact.models import (
    OPEN_STATUSES,
    EventKind,
    Handover,
    Inquiry,
    MessageStatus,
    Status,
)
from tenestetorget.contact.transitions import Action, TransitionRefused
from tenestetorget.core import panels
from tenestetorget.core.calendar import WorkingCalendar, calendar_from_settings
from tenestetorget.core.file_responses import document_response
from tenestetorget.knowledge import search as knowledge_search
from tenestetorget.knowledge.models import Article
from tenestetorget.knowledge.search import SearchHit
from tenestetorget.knowledge.selectors import answer_text, public_articles, queue_search_words
from tenestetorget.organisation import permissions
from tenestetorget.organisation.decorators import staff_required
from tenestetorget.organisation.models import Channel, Queue
from tenestetorget.organisation.queue_register import queue_by_code
from tenestetorget.organisation.selectors import answer_working_days, queues_with_guarantees
from tenestetorget.organisation.services import set_guarantee
from tenestetorget.routing import flags as routing_flags
from tenestetorget.routing.services import propose

if TYPE_CHECKING:
    from django.contrib.auth.models import User

View = Callable[..., HttpResponseBase]


def _user(request: HttpRequest) -> User:
    """The logged-in member of staff (views behind staff_required only)."""
    return cast("User", request.user)


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        return 1


# --- inbox ------------------------------------------------------------------------------------


@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    filters = selectors.InboxFilter.from_params(request.GET)
    page = selectors.inbox(request.user, filters, page=_page_number(request))
    query = request.GET.copy()
    query.pop("page", None)
    status_labels, channel_labels = dict(Status.choices), dict(Channel.choices)
    unrouted = _("Ikkje fordelt")
    prefix = reverse("contact:detail", args=["0"]).removesuffix("0/")
    # The rows as plain strings: a 50-row table renders several times faster this way than
    # with model methods, filters and URL reversing per row.
    rows = [
        {
            "reference": item["reference"],
            "href": f"{prefix}{item['reference']}/",
            "subject": item["subject"]
            if len(item["subject"]) <= 80
            else item["subject"][:79] + "…",
            "sender": item["sender_name"],
            "channel": channel_labels.get(item["channel"], item["channel"]),
            "queue": item["queue_name"] or unrouted,
            "assignee": person_name(
                item["assignee_first"], item["assignee_last"], item["assignee_username"]
            ),
            "late": item["late_handover"],
            "pending": item["pending_handover"],
            "status": status_labels.get(item["status"], item["status"]),
            "due": f"{item['due_date']:%d.%m.%Y}",
            "overdue": item["is_overdue"],
            "urgent": item["urgent"],
        }
        for item in page.items
    ]
    context = {
        "page": page,
        "rows": rows,
        "filters": filters,
        "queues": Queue.objects.filter(active=True).order_by("name"),
        "channels": Channel.choices,
        "statuses": Status.choices,
        "query": query.urlencode(),
        "counts": page.counts,
        "attention": attention_rows(request.user)
        if permissions.sees_all_inquiries(request.user)
        else [],
        "handover_limit": _handover_limit_hours(),
    }
    template = (
        "contact/_inbox_table.html" if request.headers.get("HX-Request") else "contact/inbox.html"
    )
    return render(request, template, context)


@never_cache
def inbox_counts(request: HttpRequest) -> HttpResponse:
    """htmx: the inbox's filter-button counts, polled so they stay fresh without a reload.
    Only the numbers are swapped (out of band), so a button with keyboard focus keeps it.
    Once the session is gone the answer is 286, which stops htmx polling (rather than
    fetching the login page every 30 seconds)."""
    if not permissions.is_staff_member(request.user):
        return HttpResponse(status=286)
    return render(
        request,
        "contact/_inbox_counts.html",
        {"counts": selectors.inbox_counts(request.user), "oob": True},
    )


def person_name(first: str | None, last: str | None, username: str | None) -> str:
    """A member of staff as the lists show them: the full name, else the user name, else
    nothing (an unassigned inquiry)."""
    full = " ".join(part for part in (first, last) if part)
    return full or username or ""


def _handover_limit_hours() -> int:
    return round(float(settings.TENESTETORGET["HANDOVER_ACK_WORKING_HOURS"]))


def handover_lateness(
    since: dt.datetime, now: dt.datetime, calendar: WorkingCalendar, limit_hours: float
) -> str:
    """How late a handover is, in working time: "venta 6 arbeidstimar" while it is less than
    a working day over the limit, then "2 arbeidsdagar over fristen"."""
    waited = calendar.working_hours_between(since, now)
    day_hours = (
        dt.datetime.combine(dt.date.min, calendar.closing)
        - dt.datetime.combine(dt.date.min, calendar.opening)
    ).total_seconds() / 3600
    over = waited - limit_hours
    if over >= day_hours:
        days = int(over // day_hours)
        return ngettext(
            "%(n)s arbeidsdag over fristen", "%(n)s arbeidsdagar over fristen", days
        ) % {"n": days}
    hours = max(1, round(waited))
    return ngettext("venta %(n)s arbeidstime", "venta %(n)s arbeidstimar", hours) % {"n": hours}


def attention_rows(user: Any, limit: int = 10) -> list[dict[str, Any]]:
    """The attention list with how late each handover is: the waiting handovers of the
    listed inquiries come in one query, and the lateness is counted in working time."""
    items = selectors.attention_list(user, limit=limit)
    if not items:
        return []
    waiting: dict[int, dt.datetime] = {}
    for inquiry_id, created_at in Handover.objects.filter(
        inquiry_id__in=[item.pk for item in items], acknowledged_at__isnull=True
    ).values_list("inquiry_id", "created_at"):
        # One handover waits at a time (a new one supersedes it); the oldest counts if not.
        if inquiry_id not in waiting or created_at < waiting[inquiry_id]:
            waiting[inquiry_id] = created_at
    calendar = calendar_from_settings()
    now = timezone.now()
    limit_hours = float(settings.TENESTETORGET["HANDOVER_ACK_WORKING_HOURS"])
    rows = []
    for item in items:
        since = waiting.get(item.pk)
        assignee = item.assigned_to
        rows.append(
            {
                "reference": item.reference,
                "subject": item.subject,
                "queue": item.queue.name if item.queue else "",
                "assignee": person_name(assignee.first_name, assignee.last_name, assignee.username)
                if assignee
                else "",
                "since": timezone.localtime(since) if since else None,
                "late": handover_lateness(since, now, calendar, limit_hours) if since else "",
            }
        )
    return rows


@staff_required
def unit_inbox(request: HttpRequest) -> HttpResponse:
    """The own unit's inbox: the general inbox filtered to the unit's queues."""
    profile = permissions.profile_of(request.user)
    if profile is None:
        return redirect("contact:inbox")
    return redirect(f"{reverse('contact:inbox')}?unit={profile.unit.code}")


# --- phone note ---------------------------------------------------------------------------------


@staff_required
def phone_note(request: HttpRequest) -> HttpResponse:
    """Register an inquiry while talking to the person: keyboard only, lookup of earlier
    senders, queue from a short list."""
    words = queue_search_words()
    if request.method == "POST":
        form = PhoneNoteForm(request.POST, request.FILES, queue_words=words)
        user = _user(request)
        # The rendered form's one-time id is its key in the one intake record
        # (contact.intake): a doubled submit (double click, reload, a second tab) shows the
        # inquiry already registered.
        submission_id = str(request.POST.get("submission_id", ""))[: intake.MAX_KEY_LENGTH]
        source = intake.phone_source(user.pk)
        earlier = intake.find(source, submission_id) if submission_id else None
        if earlier is not None:
            return redirect("contact:detail", reference=earlier.inquiry.reference)
        if form.is_valid():
            data = form.cleaned_data
            fields: dict[str, Any] = {
                "channel": data["channel"],
                "subject": data["subject"],
                "body": data["body"],
                "sender": services.SenderData(
                    name=data["sender_name"],
                    email=data["sender_email"],
                    phone=data["sender_phone"],
                    kind=data["sender_kind"],
                    organisation_number=data["organisation_number"],
                    national_id=data["national_id"],
                    language=data["language"],
                    postal_address=data["postal_address"],
                    postcode=data["postcode"],
                    postal_place=data["postal_place"],
                ),
                "queue": data["queue"],
                "actor": user,
                "first_contact_resolved": data["first_contact_resolved"],
                "attachments": data["attachments"],
                "resolution": data["resolution"],
            }
            try:
                if submission_id:
                    inquiry = intake.register(
                        intake.SourceKey(source, submission_id), **fields
                    ).inquiry
                else:
                    inquiry = services.register_inquiry(**fields)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Registrert som %(ref)s. Svarfrist %(date)s.")
                    % {"ref": inquiry.reference, "date": inquiry.due_date.strftime("%d.%m.%Y")},
                )
                return redirect("contact:detail", reference=inquiry.reference)
    else:
        form = PhoneNoteForm(queue_words=words)
    times = answer_times()
    channel = str(form["channel"].value() or Channel.PHONE)
    queue_code = str(form["queue"].value() or "")
    days = times["queues"].get(queue_code, {}).get(channel, times["defaults"].get(channel, 2))
    return render(
        request,
        "contact/phone_note.html",
        {"form": form, "answer_times": times, "answer_time": times["texts"].get(days, "")},
    )


def answer_times() -> dict[str, Any]:
    """What the phone note shows under the chosen queue: the promised answer time for each
    queue and channel (the service guarantee, else the channel's default), and for each
    number of working days the text with the answer date it gives if registered now."""
    queues = {
        queue.code: {g.channel: g.answer_working_days for g in queue.guarantees.all()}
        for queue in queues_with_guarantees()
    }
    defaults = {channel: answer_working_days(None, channel) for channel in Channel.values}
    calendar = calendar_from_settings()
    now = timezone.now()
    texts = {}
    for days in sorted({*defaults.values(), *(d for q in queues.values() for d in q.values())}):
        date = f"{calendar.due_date(now, days):%d.%m.%Y}"
        if days == 0:
            texts[days] = _("Svartid: same arbeidsdag (svarfrist %(date)s)") % {"date": date}
        else:
            texts[days] = ngettext(
                "Svartid: %(n)s arbeidsdag (svarfrist %(date)s)",
                "Svartid: %(n)s arbeidsdagar (svarfrist %(date)s)",
                days,
            ) % {"n": days, "date": date}
    return {"queues": queues, "defaults": defaults, "texts": texts}


@staff_required
def sender_lookup(request: HttpRequest) -> HttpResponse:
    """htmx: earlier senders matching what is typed in the name, phone or e-mail field."""
    query = (
        request.GET.get("q")
        or request.GET.get("sender_name")
        or request.GET.get("sender_phone")
        or request.GET.get("sender_email")
        or ""
    )
    return render(
        request,
        "contact/_sender_lookup.html",
        {"senders": selectors.find_senders(request.user, query)},
    )


#: What of the typed text the proposal reads (a phone note is short; this bounds the work).
MAX_PROPOSAL_TEXT = 5000


@staff_required
def queue_proposal(request: HttpRequest) -> HttpResponse:
    """htmx: routing's proposal for what is typed in the phone note's subject and body, with
    the three candidates as buttons; the page's script pre-selects the proposal when the
    model is sure and no queue has been chosen yet (docs/routing.md)."""
    subject = request.GET.get("subject", "")[:MAX_PROPOSAL_TEXT]
    body = request.GET.get("body", "")[:MAX_PROPOSAL_TEXT]
    sender_email = request.GET.get("sender_email", "")[:254]
    typed = subject.strip() or body.strip()
    prediction = propose(subject, body, sender_email=sender_email) if typed else None
    candidates = []
    for c in prediction.candidates if prediction is not None else ():
        # The queues from the per-process register (no query per keystroke).
        queue = queue_by_code(c.queue)
        if queue is not None and queue.active:
            candidates.append(
                {"code": c.queue, "name": queue.name, "percent": round(100 * c.confidence)}
            )
    preselect = (
        prediction.queue
        if prediction is not None
        and prediction.auto
        and candidates
        and candidates[0]["code"] == prediction.queue
        else ""
    )
    return render(
        request,
        "contact/_queue_proposal.html",
        {"candidates": candidates, "preselect": preselect},
    )


# --- the inquiry page ---------------------------------------------------------------------------


def _get_inquiry(request: HttpRequest, reference: str) -> Inquiry:
    try:
        return selectors.inquiry_detail(request.user, reference)
    except Inquiry.DoesNotExist as exc:
        raise Http404(_("Fann ikkje henvendinga.")) from exc


#: The actions on the inquiry page that open a form in a panel (the rest are one button).
ACTION_PANELS = ("answer", "forward", "interim", "note", "pause", "close", "attach", "file")


def offered_actions(request: HttpRequest, inquiry: Inquiry, pending: Handover | None) -> set[str]:
    """The actions the inquiry page offers: those the user may take now (services.actions_for:
    the status machine narrowed by role, as in the API), less what would do nothing here
    (taking an inquiry that is already yours, or one that waits to be acknowledged)."""
    offered = {
        action.value
        for action in services.actions_for(
            request.user,  # type: ignore[arg-type]
            inquiry,
            pending_handover=pending is not None,
        )
    }
    if inquiry.assigned_to_id == request.user.pk or pending is not None:
        offered.discard(Action.TAKE.value)
    return offered


def _detail_context(request: HttpRequest, inquiry: Inquiry, **forms_: forms.Form) -> dict[str, Any]:
    today = selectors.today()
    calendar = calendar_from_settings()
    handovers: list[Handover] = list(inquiry.handovers.all())
    pending = next((h for h in reversed(handovers) if h.acknowledged_at is None), None)
    is_open = inquiry.status in OPEN_STATUSES
    # Prompt for a førebels svar when the promised date is today or gone, or the interim
    # reply date has come, and none has been sent.
    needs_interim = (
        is_open
        and inquiry.paused_since is None
        and inquiry.interim_reply_sent_at is None
        and (
            inquiry.due_date <= calendar.add_working_days(today, 0)
            or (inquiry.interim_reply_due is not None and inquiry.interim_reply_due <= today)
        )
    )
    answer_form = AnswerForm()
    chosen = request.GET.get("svar_med", "")
    if is_open and chosen:
        article = public_articles().filter(slug=chosen).first()
        if article is None:
            # Internal routines carry phone lists and queue codes: never a ready answer.
            messages.error(
                request, _("Artikkelen er ikkje open for publikum og kan ikkje brukast som svar.")
            )
        else:
            answer_form = AnswerForm(
                initial={
                    "text": answer_text(article, inquiry.language, request.build_absolute_uri("/")),
                    "article": article.slug,
                    "close": True,
                }
            )
    defaults: dict[str, forms.Form] = {
        "forward_form": ForwardForm(),
        "answer_form": answer_form,
        "interim_form": InterimReplyForm(
            initial={"new_due_date": calendar.add_working_days(max(today, inquiry.due_date), 5)}
        ),
        "note_form": NoteForm(),
        "pause_form": PauseForm(),
        "close_form": CloseForm(),
        "attach_form": AttachmentForm(),
        "file_form": FileForm(
            initial={"new_case_title": inquiry.subject, "offentlig_tittel": inquiry.subject}
        ),
    }
    defaults.update(forms_)
    kind_labels = dict(EventKind.choices)
    timeline = []
    for event in inquiry.events.all():
        at = timezone.localtime(event.at)
        actor = event.actor
        timeline.append(
            {
                "iso": at.isoformat(),
                "when": f"{at:%d.%m.%Y %H:%M}",
                "kind": kind_labels.get(event.kind, event.kind),
                "actor": (actor.get_full_name() or actor.username) if actor else "",
                "to_queue": event.data.get("to_queue"),
                "to_user": event.data.get("to_user"),
                "new_due": event.data.get("due_date") if event.kind != EventKind.REGISTERED else "",
                "text": event.text,
                # A filing links to its journal post (records' page).
                "link": filing.entry_url(event.data["registry_entry"])
                if event.kind == EventKind.FILED and event.data.get("registry_entry")
                else "",
            }
        )
    actions = offered_actions(request, inquiry, pending)
    filed = filing.incoming_filing(inquiry)
    may_file = filed is None and filing.may_file(request.user, inquiry)
    panel = request.GET.get("handling", "")
    external_body = (
        routing_flags.body_name(inquiry.external_body, translation.get_language() or "nn")
        if inquiry.external_body
        else ""
    )
    return {
        "external_body": external_body,
        "inquiry": inquiry,
        "actions": actions,
        # The one action panel shown open: the one asked for (a link or a form with errors),
        # else the answer, the main action, when it is offered.
        "open_panel": panel if panel in ACTION_PANELS else "answer",
        # Prepared once here: a long history renders much faster from plain values.
        "timeline": timeline,
        "handovers": handovers,
        "pending_handover": pending,
        "attachments": list(inquiry.attachments.all()),
        "outgoing": list(inquiry.messages.all()),
        "is_open": is_open,
        "is_overdue": inquiry.is_overdue(today),
        "needs_interim": needs_interim,
        "can_work": services.can_work_on(request.user, inquiry),  # type: ignore[arg-type]
        "filed": filed,
        "filed_url": filing.entry_url(filed.registry_entry_id) if filed else "",
        "may_file": may_file,
        "open_cases": list(filing.cases_for(request.user)[:20]) if may_file else [],
        # The sender's other inquiries, and what the register could learn from this one.
        "sender_history": senders.earlier_inquiries(request.user, inquiry),
        "register_differences": senders.field_labels(senders.register_differences(inquiry))
        if senders.can_update_register(request.user)
        else [],
        # What outer apps know of the sender (booking: their bookings), core.panels.
        "sender_panels": panels.sender_panels(request.user, inquiry.sender_email),
        **defaults,
    }


@staff_required
def suggestions(request: HttpRequest, reference: str) -> HttpResponse:
    """The knowledge articles that best match what was asked (loaded into the inquiry page
    after it is shown, so the page itself never waits for the search)."""
    inquiry = _get_inquiry(request, reference)
    hits: list[SearchHit] = knowledge_search.suggest_for_text(
        f"{inquiry.subject}\n{inquiry.body[:600]}",
        language=translation.get_language() or "nn",
        limit=5,
    )
    return render(request, "contact/_suggestions.html", {"inquiry": inquiry, "suggestions": hits})


@staff_required
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    inquiry = _get_inquiry(request, reference)
    return render(request, "contact/detail.html", _detail_context(request, inquiry))


def _action(
    form_class: type[forms.Form] | None,
    context_name: str,
    perform: Callable[[HttpRequest, Inquiry, dict[str, Any]], str],
    *,
    files: bool = False,
) -> View:
    """A POST action on one inquiry: validate the form, call the service, show the result.
    On an error the inquiry page is shown again with the form as the user filled it in."""

    @staff_required
    @require_POST
    def view(request: HttpRequest, reference: str) -> HttpResponse:
        inquiry = _get_inquiry(request, reference)
        form = None
        data: dict[str, Any] = {}
        if form_class is not None:
            form = form_class(request.POST, request.FILES if files else None)
            if not form.is_valid():
                return _rerender(request, inquiry, context_name, form)
            data = form.cleaned_data
        try:
            message = perform(request, inquiry, data)
        except TransitionRefused as exc:
            # The status no longer allows this (someone else acted first, or an old page):
            # the panel is gone from the page, so the reason is said above it.
            for text in exc.messages:
                messages.error(request, text)
            return redirect("contact:detail", reference=reference)
        except ValidationError as exc:
            if form is None:
                for text in exc.messages:
                    messages.error(request, text)
                return redirect("contact:detail", reference=reference)
            apply_service_errors(form, exc)
            return _rerender(request, inquiry, context_name, form)
        messages.success(request, message)
        return redirect("contact:detail", reference=reference)

    return view


def _rerender(request: HttpRequest, inquiry: Inquiry, name: str, form: forms.Form) -> HttpResponse:
    context = _detail_context(request, inquiry, **{name: form})
    context["open_panel"] = name.removesuffix("_form")
    return render(request, "contact/detail.html", context, status=400)


def _forward(request: HttpRequest, inquiry: Inquiry, data: dict[str, Any]) -> str:
    handover = services.forward_inquiry(
        inquiry,
        _user(request),
        to_queue=data.get("to_queue"),
        to_user=data.get("to_user"),
        note=data.get("note", ""),
    )
    return _("Sendt vidare til %(queue)s.") % {"queue": handover.to_queue.name}


def _acknowledge(request: HttpRequest, inquiry: Inquiry, data: dict[str, Any]) -> str:
    services.acknowledge_handover(inquiry, _user(request))
    return _("Du har stadfesta at du har motteke henvendinga.")


def _take(request: HttpRequest, inquiry: Inquiry, data: dict[str, Any]) -> str:
    services.take_inquiry(inquiry, _user(request))
    return _("Henvendinga er no di.")


def _answer(request: HttpRequest, inquiry: Inquiry, data: dict[str, Any]) -> str:
    article = None
    if data.get("article"):
        # Looked up whatever its audience: the service refuses what may not be sent.
        article = Article.objects.filter(slug=data["article"]).first()
    answered = services.answer_inquiry(
        inquiry,
        _user(request),
        data["text"],
        close=data.get("close", False),
        article=article,
    )
    if answered.sender_email:
        return _("Svaret er sendt til %(email)s.") % {"email": answered.sender_email}
    return _("Svaret er registrert.")


def _interim(request: HttpRequest, inquiry: Inquiry, data: dict[str, Any]) -> str:
    updated = services.send_interim_reply(
        inquiry,
        _user(request),
        new_due_date=data["new_due_date"],
        text=data["text"],
    )
    return _("Førebels svar er sendt. Ny svarfrist: %(date)s.") % {
        "date": updated.due_date.strftime("%d.%m.%Y")
    }


def _note(request: HttpRequest, inquiry: Inquiry, data: dict[str, Any]) -> str:
    services.add_note(inquiry, _user(request), data["text"])
    return _("Merknaden er lagra.")


def _pause(request: HttpRequest, inquiry: Inquiry, data: dict[str, Any]) -> str:
    paused = services.pause_for_sender(inquiry, _user(request), data.get("note", ""))
    if data.get("note", "").strip() and paused.sender_email:
        return _("Henvendinga ventar på avsendaren, som har fått e-post om kva som manglar.")
    return _("Henvendinga ventar på avsendaren. Fristen står stille.")


def _resume(request: HttpRequest, inquiry: Inquiry, data: dict[str, Any]) -> str:
    updated = services.resume_inquiry(inquiry, _user(request))
    return _("Arbeidet held fram. Ny svarfrist: %(date)s.") % {
        "date": updated.due_date.strftime("%d.%m.%Y")
    }


def _close(request: HttpRequest, inquiry: Inquiry, data: dict[str, Any]) -> str:
    services.close_inquiry(
        inquiry,
        _user(request),
        note=data.get("note", ""),
        first_contact_resolved=data.get("first_contact_resolved", False),
    )
    return _("Henvendinga er avslutta.")


def _reopen(request: HttpRequest, inquiry: Inquiry, data: dict[str, Any]) -> str:
    services.reopen_inquiry(inquiry, _user(request))
    return _("Henvendinga er opna att.")


def _update_sender(request: HttpRequest, inquiry: Inquiry, data: dict[str, Any]) -> str:
    changed = senders.update_sender_from_inquiry(inquiry, _user(request))
    if changed:
        return _("Avsendarregisteret er oppdatert: %(fields)s.") % {
            "fields": ", ".join(senders.field_labels(changed))
        }
    return _("Avsendarregisteret hadde alt desse opplysningane.")


def _file(request: HttpRequest, inquiry: Inquiry, data: dict[str, Any]) -> str:
    user = _user(request)
    case = filing.case_by_number(user, data["case_number"]) if data.get("case_number") else None
    screening = (
        filing.FilingScreening(
            tilgangsrestriksjon=data.get("tilgangsrestriksjon", ""),
            skjermingshjemmel=data.get("skjermingshjemmel", ""),
            offentlig_tittel=data.get("offentlig_tittel", ""),
            screen_name=data.get("screen_name", False),
        )
        if data.get("screen")
        else None
    )
    filed = filing.file_inquiry(
        inquiry,
        user,
        case=case,
        new_case_title=data.get("new_case_title") or None,
        screening=screening,
    )
    return _("Arkivert som %(id)s.") % {"id": filed.registry_entry.registrerings_id}


def _attach(request: HttpRequest, inquiry: Inquiry, data: dict[str, Any]) -> str:
    services.add_attachments(inquiry, _user(request), data["uploads"])
    return _("Vedlegga er lagra.")


forward = _action(ForwardForm, "forward_form", _forward)
acknowledge = _action(None, "", _acknowledge)
take = _action(None, "", _take)
answer = _action(AnswerForm, "answer_form", _answer)
interim_reply = _action(InterimReplyForm, "interim_form", _interim)
note = _action(NoteForm, "note_form", _note)
pause = _action(PauseForm, "pause_form", _pause)
resume = _action(None, "", _resume)
close = _action(CloseForm, "close_form", _close)
reopen = _action(None, "", _reopen)
attach = _action(AttachmentForm, "attach_form", _attach, files=True)
file_inquiry = _action(FileForm, "file_form", _file)
update_sender = _action(None, "", _update_sender)


@staff_required
def attachment_download(request: HttpRequest, reference: str, pk: int) -> HttpResponseBase:
    """A file the sender sent, from the document store, checked against its checksum. A PDF
    or an image opens in the browser, anything else is saved; always with the type its
    content is, sandboxed (core.file_responses)."""
    inquiry = _get_inquiry(request, reference)
    attachment = inquiry.attachments.select_related("stored_file").filter(pk=pk).first()
    if attachment is None or attachment.stored_file is None:
        # None: the file was already missing when the files moved into the document store.
        raise Http404(_("Fann ikkje vedlegget."))
    return document_response(attachment.stored_file, attachment.original_name)


# --- search, outbox, statistics, guarantees -----------------------------------------------------


@staff_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    results = selectors.search_inquiries(request.user, query)
    return render(
        request, "contact/search.html", {"q": query, "results": results, "searched": bool(query)}
    )


@staff_required
def outbox(request: HttpRequest) -> HttpResponse:
    """Every e-mail Tenestetorget sends: messages to senders and notices to staff (in the
    demo, where e-mail does not leave the machine, this is where it can be read). Failures
    come first, with their last error and a button to send them again; then those still on
    their way; then what went out, newest first."""
    qs = outbox_messages.visible_messages(request.user).select_related("inquiry")
    status = request.GET.get("status", "")
    if status in MessageStatus.values:
        qs = qs.filter(status=status)
    q = request.GET.get("q", "").strip()
    if q:
        # One address, or any of several on a notice to a unit.
        qs = qs.filter(Q(to_email__icontains=q) | Q(inquiry__reference=q))
    paginator = Paginator(outbox_messages.in_outbox_order(qs), 25)
    page = paginator.get_page(_page_number(request))
    return render(
        request,
        "contact/outbox.html",
        {
            "page": page,
            "status": status,
            "statuses": MessageStatus.choices,
            "q": q,
            "max_attempts": outbox_messages.POLICY.max_attempts,
        },
    )


@staff_required
@require_POST
def resend_message(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Send på nytt": a failed message queued again as it was (same Message-ID), by anyone
    who may see it in the outbox."""
    message = outbox_messages.visible_messages(request.user).filter(pk=pk).first()
    if message is None:
        raise Http404
    if outbox_messages.resend(message):
        messages.success(
            request, _("Meldinga til %(to)s blir send på nytt.") % {"to": message.to_email}
        )
    else:
        messages.info(request, _("Meldinga er alt send eller på veg."))
    back = request.POST.get("next", "")
    if not back.startswith(reverse("contact:outbox")):
        back = reverse("contact:outbox")
    return redirect(back)


# The figures start with the first guarantee a municipality could have registered; a month
# far outside would only show empty tables, and year 1 or 9999 break the month arithmetic.
STATISTICS_FIRST_YEAR = 2000
STATISTICS_YEARS_AHEAD = 5


def _statistics_month(value: str) -> dt.date:
    """The month asked for (YYYY-MM), or this month when none is given. A malformed or
    far-off month is the user's error: 400 with a reason, never a 500."""
    today = selectors.today()
    if not value:
        return today.replace(day=1)
    try:
        month = dt.date.fromisoformat(value + "-01")
    except ValueError:
        raise BadRequest(
            _("«%(month)s» er ikkje ein månad. Skriv han som ÅÅÅÅ-MM, til dømes %(example)s.")
            % {"month": value[:20], "example": today.strftime("%Y-%m")}
        ) from None
    if not STATISTICS_FIRST_YEAR <= month.year <= today.year + STATISTICS_YEARS_AHEAD:
        raise BadRequest(
            _("Statistikken finst berre for åra %(first)d–%(last)d.")
            % {"first": STATISTICS_FIRST_YEAR, "last": today.year + STATISTICS_YEARS_AHEAD}
        )
    return month


@staff_required
def statistics(request: HttpRequest) -> HttpResponse:
    if not permissions.can_see_statistics(request.user):
        raise PermissionDenied(_("Du har ikkje tilgang til statistikken."))
    month = _statistics_month(request.GET.get("month", ""))
    rows = selectors.guarantee_statistics(request.user, month)
    total = selectors.GuaranteeRow(
        queue=Queue(),
        kept=sum(r.kept for r in rows),
        late=sum(r.late for r in rows),
        open_late=sum(r.open_late for r in rows),
        late_with_interim=sum(r.late_with_interim for r in rows),
    )
    prev_month = (month.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    next_month = (month.replace(day=28) + dt.timedelta(days=4)).strftime("%Y-%m")
    return render(
        request,
        "contact/statistics.html",
        {
            "rows": rows,
            "month": month,
            "total": total,
            "prev_month": prev_month,
            "next_month": next_month,
        },
    )


@staff_required
def guarantees(request: HttpRequest) -> HttpResponse:
    """The published guarantees; administrators and unit leaders change them here."""
    can_edit = permissions.can_manage_guarantees(request.user)
    form = GuaranteeForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Du kan ikkje endre tenestegarantiar."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                set_guarantee(
                    actor=_user(request),
                    queue=data["queue"],
                    channel=data["channel"],
                    answer_working_days=data["answer_working_days"],
                    interim_reply_working_days=data["interim_reply_working_days"],
                    text=data["text"],
                    text_nb=data["text_nb"],
                    text_en=data["text_en"],
                )
            except PermissionDenied:
                form.add_error("queue", _("Du kan berre endre garantiane til eiga eining."))
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Tenestegarantien er lagra."))
                return HttpResponseRedirect(reverse("contact:guarantees"))
    return render(
        request,
        "contact/guarantees.html",
        {"queues": queues_with_guarantees(), "form": form, "can_edit": can_edit},
    )


@staff_required
def missing_answers(request: HttpRequest) -> HttpResponse:
    """The front desk's list of questions that come often and have no article."""
    try:
        days = max(7, min(int(request.GET.get("dagar", "90")), 730))
    except ValueError:
        days = 90
    return render(
        request,
        "contact/missing_answers.html",
        {"rows": selectors.missing_answers(request.user, days=days), "days": days},
    )


# --- the header's count of handovers waiting for the user ---------------------------------------


def handover_count(request: HttpRequest) -> HttpResponse:
    """htmx, every 30 s from the staff header: how many handovers wait for the user to
    acknowledge (contact/_handover_count.html). 204 when the count is the one shown (htmx
    swaps nothing, so screen readers hear nothing new); 286 (htmx stops polling) once the
    session is gone, so the login page is never swapped into the header."""
    from django.utils.cache import add_never_cache_headers

    from tenestetorget.contact import notifications

    context = notifications.header_count(request.user)
    if context is None:
        response = HttpResponse(status=286)
    elif request.GET.get("seen") == str(context["count"]):
        response = HttpResponse(status=204)
    else:
        response = render(request, "contact/_handover_count.html", {"handover_count": context})
    add_never_cache_headers(response)
    return response
