"""The case page (saksmappe) with its posts, closing a case, and the case list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenestetorget.organisation.permissions import can_manage_archive, profile_of
from tenestetorget.records import access, services
from tenestetorget.records.forms import (
    CaseListForm,
    CloseCaseForm,
    GrantForm,
    apply_service_errors,
)
from tenestetorget.records.links import sources_for
from tenestetorget.records.models import (
    AccessGrant,
    CaseFolder,
    DocumentDescription,
    RegistryEntry,
    Saksstatus,
    Screening,
    WriteOff,
)
from tenestetorget.records.screening_view import MASK, case_hidden, hidden_cases, hidden_entries
from tenestetorget.records.search import CaseFilter, search_cases, visible_cases
from tenestetorget.records.views.common import (
    cursor_of,
    day_text,
    query_without_cursor,
    records_staff_required,
    title_text,
    url_for_pk,
    user_of,
)


def get_case(request: HttpRequest, pk: int) -> CaseFolder:
    case = (
        visible_cases(request.user)
        .select_related("series", "klasse", "sekundaer_klasse", "unit")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404(_("Fann ikkje saka."))
    return case


def _case_context(request: HttpRequest, case: CaseFolder, **bound: Any) -> dict[str, Any]:
    user = user_of(request)
    # Every post of the case in one query, with what the list shows of each.
    entries = list(
        RegistryEntry.objects.filter(case_folder=case)
        .select_related("case_folder")
        .annotate(
            written_off=Exists(WriteOff.objects.filter(registry_entry=OuterRef("pk"))),
            has_documents=Exists(DocumentDescription.objects.filter(registry_entry=OuterRef("pk"))),
        )
        .prefetch_related("correspondence_parts")
        .order_by("journalpostnummer", "pk")
    )
    hidden = hidden_entries(user, entries)
    sources = sources_for([e.pk for e in entries])
    rows = [
        {
            "entry": entry,
            "title": MASK if entry.pk in hidden else entry.tittel,
            "hidden": entry.pk in hidden,
            "parties": [] if entry.pk in hidden else list(entry.correspondence_parts.all()),
            "sources": sources.get(entry.pk, []),
        }
        for entry in entries
    ]
    case_screening = Screening.objects.filter(case_folder=case).first()
    # The archivist lets someone see a screened case with all its posts; the grants listed
    # are those to the case and to single posts in it.
    can_grant = can_manage_archive(user) and case_screening is not None
    grants = (
        list(
            AccessGrant.objects.filter(Q(case_folder=case) | Q(registry_entry__case_folder=case))
            .select_related("user", "registry_entry")
            .order_by("granted_at", "pk")
        )
        if can_grant
        else []
    )
    return {
        "case": case,
        "case_hidden": case_hidden(user, case),
        "case_screening": case_screening,
        "can_grant": can_grant,
        "grants": grants,
        "grant_form": bound.get("grant_form") or GrantForm(),
        "open_panel": "grant_form" if "grant_form" in bound else None,
        "mask": MASK,
        "rows": rows,
        "is_open": case.saksstatus == Saksstatus.UNDER_BEHANDLING,
        "close_form": bound.get("close_form") or CloseCaseForm(),
    }


@records_staff_required
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case(request, pk)
    return render(request, "records/case.html", _case_context(request, case))


@records_staff_required
@require_POST
def close_case(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case(request, pk)
    form = CloseCaseForm(request.POST)
    if form.is_valid():
        try:
            closed = services.close_saksmappe(
                case, user_of(request), form.cleaned_data["saksstatus"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Saka er sett til «%(status)s».") % {"status": closed.get_saksstatus_display()},
            )
            return redirect("records:case", pk=case.pk)
    context = _case_context(request, get_case(request, pk), close_form=form)
    return render(request, "records/case.html", context, status=400)


@records_staff_required
@require_POST
def grant(request: HttpRequest, pk: int) -> HttpResponse:
    """Let someone see a screened case, with all its posts (records.access.grant_access)."""
    actor = user_of(request)
    if not can_manage_archive(actor):
        raise PermissionDenied(_("Berre arkivaren kan gjere dette."))
    case = get_case(request, pk)
    form = GrantForm(request.POST)
    if form.is_valid():
        try:
            if not Screening.objects.filter(case_folder=case).exists():
                raise ValidationError(
                    _("Saka er ikkje skjerma: alle som fører arkiv i eininga ser henne alt."),
                    code="not_screened",
                )
            done = access.grant_access(
                case, form.cleaned_data["user"], actor, form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s har fått tilgang til saka.")
                % {"name": done.user.get_full_name() or done.user.get_username()},
            )
            return redirect("records:case", pk=case.pk)
    context = _case_context(request, get_case(request, pk), grant_form=form)
    if not context["can_grant"]:
        context["refusals"] = [str(error) for errors in form.errors.values() for error in errors]
    return render(request, "records/case.html", context, status=400)


@records_staff_required
def case_list(request: HttpRequest) -> HttpResponse:
    """The cases: by default the open cases of the user's own unit."""
    user = user_of(request)
    params: QueryDict = request.GET.copy()
    if not any(key in params for key in ("q", "saksnummer", "unit", "officer", "saksstatus")):
        profile = profile_of(user)
        params["saksstatus"] = Saksstatus.UNDER_BEHANDLING
        if profile is not None:
            params["unit"] = str(profile.unit_id)
    form = CaseListForm(params, user=user)
    page = None
    hidden: set[int] = set()
    if form.is_valid():
        wanted: CaseFilter = form.to_filter()
        page = search_cases(user, wanted, after=cursor_of(request))
        hidden = hidden_cases(user, page.rows)
        if wanted.words:
            # A screened title may not be found by its words by someone who may not read it.
            page.rows = [case for case in page.rows if case.pk not in hidden]
    return render(
        request,
        "records/cases.html",
        {
            "form": form,
            "page": page,
            "rows": case_rows(page.rows, hidden) if page is not None else [],
            "query": query_without_cursor(params),
        },
    )


def case_rows(cases: list[CaseFolder], hidden: set[int]) -> list[dict[str, Any]]:
    """What the case list shows of each case, computed here once rather than by the
    template's tags per row (views.common)."""
    url = url_for_pk("records:case")
    status = {value: str(label) for value, label in Saksstatus.choices}
    return [
        {
            "url": url(case.pk),
            "mappe_id": case.mappe_id,
            "title": MASK if case.pk in hidden else title_text(case.tittel),
            "klasse": case.klasse.klasse_id if case.klasse else "",
            "unit": case.administrativ_enhet,
            "officer": case.saksansvarlig,
            "saksdato": day_text(case.saksdato),
            "status": status.get(case.saksstatus, case.saksstatus),
        }
        for case in cases
    ]
