"""The archive periods (arkivdelar): the list, closing one, starting the next."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenestetorget.organisation.permissions import can_manage_archive
from tenestetorget.records import periods as period_rules
from tenestetorget.records.forms import NewPeriodForm, apply_service_errors
from tenestetorget.records.models import Saksstatus, Series
from tenestetorget.records.views.common import records_staff_required, user_of


def _series_list() -> list[Series]:
    return list(
        Series.objects.select_related("archive")
        .annotate(
            case_count=Count("case_folders"),
            open_count=Count(
                "case_folders", filter=Q(case_folders__saksstatus=Saksstatus.UNDER_BEHANDLING)
            ),
        )
        .order_by("-arkivperiode_start_dato", "-pk")
    )


def _render(
    request: HttpRequest,
    *,
    blocked: Series | None = None,
    blocking: list[Any] | None = None,
    form: NewPeriodForm | None = None,
    form_for: int | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "records/periods.html",
        {
            "series_list": _series_list(),
            "can_manage": can_manage_archive(request.user),
            "blocked": blocked,
            "blocking": blocking or [],
            "new_form": form or NewPeriodForm(),
            "form_for": form_for,
        },
        status=status,
    )


@records_staff_required
def period_list(request: HttpRequest) -> HttpResponse:
    return _render(request)


def _series(pk: int) -> Series:
    series = Series.objects.filter(pk=pk).first()
    if series is None:
        raise Http404(_("Fann ikkje arkivdelen."))
    return series


@records_staff_required
@require_POST
def close_period(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_manage_archive(request.user):
        raise PermissionDenied(_("Berre arkivaren kan gjere dette."))
    series = _series(pk)
    try:
        period_rules.close_series(series, user_of(request))
    except period_rules.OpenCasesInPeriod as refused:
        messages.error(request, refused.messages[0])
        return _render(request, blocked=series, blocking=refused.cases, status=400)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
        return redirect("records:periods")
    messages.success(request, _("Perioden «%(title)s» er avslutta.") % {"title": series.tittel})
    return redirect("records:periods")


@records_staff_required
@require_POST
def start_period(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_manage_archive(request.user):
        raise PermissionDenied(_("Berre arkivaren kan gjere dette."))
    series = _series(pk)
    form = NewPeriodForm(request.POST)
    if form.is_valid():
        try:
            new = period_rules.start_next_period(
                series,
                form.cleaned_data["tittel"],
                user_of(request),
                start=form.cleaned_data["start"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Ny periode «%(new)s» er aktiv. «%(old)s» er no overlappingsperiode.")
                % {"new": new.tittel, "old": series.tittel},
            )
            return redirect("records:periods")
    return _render(request, form=form, form_for=series.pk, status=400)
