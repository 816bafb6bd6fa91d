"""The staff's booking pages (utleige): the front desk runs it all from one place.

* the overview: a calendar of every resource for 14 days, what waits for approval, what
  needs cleaning when, the staff calendar feeds and the invoice basis;
* one booking with everything about it and what can be done to it;
* book for someone, recurring series, blocks for maintenance;
* the calendar feed per resource (no login: the address carries a secret);
* lotteries for peak weeks and trial housing (at the end of this file).

Every member of staff may look; changes are for those `selectors.can_manage_bookings`
names. Views parse input, call one service and redirect (POST-redirect-GET); a refusal by
the rules (BookingRefused) is shown as a message on the page it came from.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from dateutil.relativedelta import relativedelta
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from tenestetorget.booking import ics, invoicing, notices, selectors, services, trial_housing
from tenestetorget.booking import lottery as draws
from tenestetorget.booking.forms import (
    ApproveApplicationForm,
    BlockForm,
    BookOnBehalfForm,
    ChangeSeriesForm,
    ContactGuestForm,
    DenyApplicationForm,
    DenyForm,
    FollowUpForm,
    InvoicePeriodForm,
    LotteryForm,
    LotteryPeriodFormSet,
    MoveForm,
    SeriesForm,
)
from tenestetorget.booking.models import (
    ApplicationStatus,
    BookerKind,
    Booking,
    EntryStatus,
    Lottery,
    MovedHere,
    Resource,
    Series,
    Status,
    TrialHousingApplication,
)
from tenestetorget.booking.rules import BookingRefused, weekday_name
from tenestetorget.contact import outbox
from tenestetorget.contact.models import Audience, MessageKind
from tenestetorget.contact.models import Status as InquiryStatus
from tenestetorget.core.calendar import to_local
from tenestetorget.organisation.decorators import staff_required

if TYPE_CHECKING:
    from django.contrib.auth.models import User

View = Callable[..., HttpResponseBase]


def _user(request: HttpRequest) -> User:
    return cast("User", request.user)


def _require_manager(request: HttpRequest) -> User:
    if not selectors.can_manage_bookings(request.user):
        raise PermissionDenied(
            _(
                "Berre Tenestetorget, einingsleiarar og administratorar kan endre bookingar. "
                "Du kan sjå dei."
            )
        )
    return _user(request)


def _today() -> dt.date:
    return to_local(timezone.now()).date()


def _parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return None


def _next_url(request: HttpRequest) -> str | None:
    """Where a button on another page (the overview) asked to come back to: a path on this
    site only."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _get_booking(pk: int) -> Booking:
    booking = selectors.booking_detail(pk)
    if booking is None:
        raise Http404(_("Fann ikkje bookinga."))
    return booking


def _money(amount: Decimal | None) -> str:
    return notices.money(amount or Decimal(0))


def _period(booking: Booking) -> str:
    return notices.when(booking)


# --- the overview --------------------------------------------------------------------------------


def _feed_url(resource: Resource) -> str:
    path = reverse(
        "booking:feed",
        kwargs={"slug": resource.slug, "token": selectors.feed_token(resource)},
    )
    return f"{settings.SITE_URL}{path}"


@staff_required
def overview(request: HttpRequest) -> HttpResponse:
    today = _today()
    first = _parse_date(request.GET.get("fra")) or today
    if abs(first.year - today.year) > 10:  # a typed address far off: no calendar of year 1
        first = today
    step = dt.timedelta(days=selectors.WINDOW_DAYS)
    data = selectors.overview(first)
    resources = [row.resource for row in data.rows]
    last_month_end = today.replace(day=1) - dt.timedelta(days=1)
    return render(
        request,
        "booking/overview.html",
        {
            "data": data,
            "today": today,
            "previous": (first - step).isoformat(),
            "following": (first + step).isoformat(),
            "labels": selectors.state_labels(),
            "pending": [
                {"booking": b, "when": _period(b), "kind": _kind_label(b.booker_kind)}
                for b in data.pending
            ],
            "feeds": [(r, _feed_url(r)) for r in resources],
            "can_manage": selectors.can_manage_bookings(request.user),
            "invoice_form": InvoicePeriodForm(
                initial={"first": last_month_end.replace(day=1), "last": last_month_end}
            ),
        },
    )


def _kind_label(kind: str) -> str:
    return str(BookerKind(kind).label) if kind in BookerKind.values else ""


# --- one booking -------------------------------------------------------------------------------


def _event_label(kind: str) -> str:
    labels = {
        "created": _("Oppretta"),
        "approved": _("Godkjend"),
        "denied": _("Avslått"),
        "cancelled": _("Avbestilt"),
        "moved": _("Flytta"),
        "blocked": _("Sperra"),
        "unblocked": _("Sperringa fjerna"),
        "stay_ended": _("Opphaldet er over"),
    }
    return labels.get(kind, kind)


def _event_text(kind: str, data: dict[str, Any]) -> str:
    if kind in ("denied", "blocked") and data.get("reason"):
        return _("Grunn: %(why)s") % {"why": data["reason"]}
    if kind == "cancelled" and data.get("fee") not in (None, "", "0", "0.00"):
        return _("Gebyr: %(fee)s") % {"fee": _money(Decimal(str(data["fee"])))}
    if kind == "moved" and isinstance(data.get("previous"), list) and len(data["previous"]) == 2:
        try:
            start, end = (to_local(dt.datetime.fromisoformat(v)) for v in data["previous"])
        except (TypeError, ValueError):
            return ""
        return _("Var %(from)s – %(to)s") % {
            "from": f"{start:%d.%m.%Y %H:%M}",
            "to": f"{end:%d.%m.%Y %H:%M}",
        }
    if kind == "created" and data.get("status") == Status.PENDING:
        return _("Ventar på godkjenning")
    return ""


def _residency(booking: Booking) -> str:
    """How the booker counts as a resident, without the household key's e-mail part."""
    if booking.booker_kind != BookerKind.RESIDENT:
        return ""
    if booking.household.startswith("override:"):
        return _("Rekna som innbyggjar av tilsett: %(why)s") % {
            "why": booking.residency_override or _("(ingen grunn skriven)")
        }
    if booking.household:
        return _("I folkeregisteret for kommunen (husstand %(key)s)") % {"key": booking.household}
    return ""


def _move_initial(booking: Booking) -> dict[str, Any]:
    start, end = to_local(booking.start), to_local(booking.end)
    return {
        "first_day": start.date(),
        "last_day": end.date(),
        "start_time": start.time().replace(second=0, microsecond=0),
        "end_time": end.time().replace(second=0, microsecond=0),
    }


def _detail_context(request: HttpRequest, booking: Booking, **bound: forms.Form) -> dict[str, Any]:
    user = request.user
    active = booking.status in (Status.PENDING, Status.CONFIRMED)
    fee = services.cancellation_fee(booking) if active else None
    status_labels = dict(InquiryStatus.choices)
    events = selectors.events_of(booking)
    inquiries = selectors.inquiries_from(user, booking.booker_email)
    return {
        "booking": booking,
        "resource": booking.resource,
        "when": _period(booking),
        "kind": _kind_label(booking.booker_kind),
        "language": dict(settings.LANGUAGES).get(booking.language, booking.language),
        "residency": _residency(booking),
        "price": _money(booking.price),
        "deposit": _money(booking.deposit),
        "fee": _money(fee) if fee is not None else None,
        "fee_free": fee is not None and not fee,
        "active": active,
        "can_manage": selectors.can_manage_bookings(user),
        "events": [
            {
                "at": to_local(e.at),
                "label": _event_label(e.kind),
                "text": _event_text(e.kind, e.data or {}),
                "by": (e.by.get_full_name() or e.by.get_username()) if e.by else "",
            }
            for e in events
        ],
        "others": [{"booking": b, "when": _period(b)} for b in selectors.other_bookings(booking)],
        "inquiries": [
            {"inquiry": i, "status": status_labels.get(i.status, i.status)} for i in inquiries
        ],
        "sent": selectors.messages_about(booking),
        "deny_form": bound.get("deny_form") or DenyForm(),
        "move_form": bound.get("move_form")
        or MoveForm(resource=booking.resource, initial=_move_initial(booking)),
        "contact_form": bound.get("contact_form")
        or ContactGuestForm(
            initial={"subject": _("Om bookinga di: %(what)s") % {"what": booking.resource.name}}
        ),
        "open_panel": next((name.removesuffix("_form") for name in bound), ""),
    }


@staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _get_booking(pk)
    return render(request, "booking/detail.html", _detail_context(request, booking))


def _post_action[T](
    load: Callable[[int], T],
    page: Callable[[HttpRequest, T, dict[str, forms.Form]], tuple[str, dict[str, Any]]],
    back: Callable[[HttpRequest, T], str],
    perform: Callable[[HttpRequest, T, dict[str, Any]], str],
    form_class: type[forms.Form] | None,
    context_name: str,
    form_kwargs: Callable[[T], dict[str, Any]] = lambda _obj: {},
) -> View:
    """A POST on one booking or application: permission, the form, the service, a message,
    and back. A form that does not validate is shown again on the object's page with what
    was typed; a refusal by the rules becomes a message."""

    @staff_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        _require_manager(request)
        found = load(pk)
        data: dict[str, Any] = {}
        if form_class is not None:
            form = form_class(request.POST, **form_kwargs(found))
            if not form.is_valid():
                template, context = page(request, found, {context_name: form})
                return render(request, template, context, status=400)
            data = form.cleaned_data
        try:
            message = perform(request, found, data)
        except BookingRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, message)
        return redirect(back(request, found))

    return view


Perform = Callable[[HttpRequest, Booking, dict[str, Any]], str]


def _action(
    perform: Perform,
    form_class: type[forms.Form] | None = None,
    context_name: str = "",
) -> View:
    """A POST on one booking; back to it (or to the page the button was on)."""
    return _post_action(
        _get_booking,
        lambda request, booking, bound: (
            "booking/detail.html",
            _detail_context(request, booking, **bound),
        ),
        lambda request, booking: _next_url(request) or reverse("booking:detail", args=[booking.pk]),
        perform,
        form_class,
        context_name,
        lambda booking: (
            {"resource": booking.resource}
            if form_class is not None and issubclass(form_class, MoveForm)
            else {}
        ),
    )


def _approve(request: HttpRequest, booking: Booking, data: dict[str, Any]) -> str:
    services.approve(booking, by=_user(request))
    return _("Bookinga av %(what)s, %(when)s, er godkjend. Gjesten får stadfesting.") % {
        "what": booking.resource.name,
        "when": _period(booking),
    }


def _deny(request: HttpRequest, booking: Booking, data: dict[str, Any]) -> str:
    services.deny(booking, by=_user(request), reason=data["reason"])
    return _("Bookinga av %(what)s, %(when)s, er avslått. Gjesten får grunnen på e-post.") % {
        "what": booking.resource.name,
        "when": _period(booking),
    }


def _cancel(request: HttpRequest, booking: Booking, data: dict[str, Any]) -> str:
    fee = services.cancellation_fee(booking)
    services.cancel(booking, by=_user(request))
    if fee:
        return _("Bookinga er avbestilt. Gebyret er %(fee)s.") % {"fee": _money(fee)}
    return _("Bookinga er avbestilt utan gebyr.")


def _move(request: HttpRequest, booking: Booking, data: dict[str, Any]) -> str:
    moved = services.move(booking, data["start"], data["end"], by=_user(request))
    return _("Bookinga er flytta til %(when)s. Gjesten får ny stadfesting.") % {
        "when": _period(moved)
    }


def _unblock(request: HttpRequest, booking: Booking, data: dict[str, Any]) -> str:
    services.unblock(booking, by=_user(request))
    return _("Sperringa er fjerna. Perioden er ledig att.")


def _contact(request: HttpRequest, booking: Booking, data: dict[str, Any]) -> str:
    """A short message to the guest, through the one outbox (sent, retried and shown in the
    outbox like every other); `data` ties it to the booking, whose page lists it."""
    if not booking.booker_email:
        raise BookingRefused("no_email", _("Bookinga har inga e-postadresse å sende til."))
    outbox.store(
        audience=Audience.SENDER,
        kind=MessageKind.BOOKING_MESSAGE,
        to=[booking.booker_email],
        subject=data["subject"],
        body=data["text"],
        language=booking.language,
        created_by=_user(request),
        data={"booking": booking.pk},
    )
    return _("Meldinga er lagd i utboksen og blir send til %(to)s.") % {"to": booking.booker_email}


def _cancel_series(request: HttpRequest, booking: Booking, data: dict[str, Any]) -> str:
    if booking.series is None:
        raise BookingRefused("no_series", _("Bookinga er ikkje del av ein serie."))
    count = services.cancel_series(booking.series, by=_user(request))
    return ngettext(
        "%(n)s booking i serien er avbestilt.",
        "%(n)s bookingar i serien er avbestilte.",
        count,
    ) % {"n": count}


approve = _action(_approve)
deny = _action(_deny, DenyForm, "deny_form")
cancel = _action(_cancel)
move = _action(_move, MoveForm, "move_form")
unblock = _action(_unblock)
contact_guest = _action(_contact, ContactGuestForm, "contact_form")
cancel_series = _action(_cancel_series)


# --- series ---------------------------------------------------------------------------------------


def _skipped_key(series_pk: int) -> str:
    return f"booking-series-skipped-{series_pk}"


@staff_required
def series(
    request: HttpRequest, pk: int, change_form: ChangeSeriesForm | None = None
) -> HttpResponse:
    found = Series.objects.select_related("resource").filter(pk=pk).first()
    if found is None:
        raise Http404(_("Fann ikkje serien."))
    bookings = list(found.bookings.order_by("start", "id"))
    booked_days = {to_local(b.start).date() for b in bookings}
    # Why dates were skipped is known when the series is made (services.book_series); the
    # session keeps it for this page. Later, a missing date is shown without the reason.
    reasons: dict[str, str] = request.session.get(_skipped_key(found.pk), {})
    missing = []
    day = found.first_date + dt.timedelta(days=(found.weekday - found.first_date.weekday()) % 7)
    while day <= found.last_date:
        if day not in booked_days:
            missing.append({"day": day, "why": reasons.get(day.isoformat(), "")})
        day += dt.timedelta(days=7)
    now = timezone.now()
    first = bookings[0] if bookings else None
    change_form = change_form or ChangeSeriesForm(
        initial={
            "weekday": found.weekday,
            "start_time": found.start_time,
            "end_time": found.end_time,
        }
    )
    return render(
        request,
        "booking/series.html",
        {
            "change_form": change_form,
            "series": found,
            "weekday": weekday_name(found.weekday),
            "rows": [{"booking": b, "when": _period(b)} for b in bookings],
            "missing": missing,
            "first": first,
            "cancellable": any(
                b.status in (Status.PENDING, Status.CONFIRMED) and b.start > now for b in bookings
            ),
            "can_manage": selectors.can_manage_bookings(request.user),
        },
    )


@staff_required
@require_POST
def change_series(request: HttpRequest, pk: int) -> HttpResponseBase:
    """«Endre heile serien»: another weekday or other hours for every coming booking."""
    user = _require_manager(request)
    found = Series.objects.select_related("resource").filter(pk=pk).first()
    if found is None:
        raise Http404(_("Fann ikkje serien."))
    form = ChangeSeriesForm(request.POST)
    if not form.is_valid():
        shown = series(request, pk, change_form=form)
        shown.status_code = 400
        return shown
    data = form.cleaned_data
    try:
        result = services.change_series(
            found,
            weekday=data["weekday"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            by=user,
        )
    except BookingRefused as refused:
        messages.error(request, refused.message)
    else:
        request.session[_skipped_key(found.pk)] = {
            day.isoformat(): why for day, why in result.skipped
        }
        messages.success(
            request,
            ngettext("%(n)s booking er endra.", "%(n)s bookingar er endra.", len(result.booked))
            % {"n": len(result.booked)},
        )
        for day, why in result.skipped:
            messages.warning(request, f"{day:%d.%m.%Y}: {why}")
    return redirect("booking:series", pk=found.pk)


@staff_required
def new_series(request: HttpRequest) -> HttpResponse:
    user = _require_manager(request)
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.book_series(
                data["resource"],
                weekday=data["weekday"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                first_date=data["first_date"],
                last_date=data["last_date"],
                booker=form.booker(),
                by=user,
            )
        except BookingRefused as refused:
            form.add_error(None, refused.message)
        else:
            request.session[_skipped_key(result.series.pk)] = {
                day.isoformat(): why for day, why in result.skipped
            }
            messages.success(
                request,
                ngettext(
                    "%(n)s dato er booka.",
                    "%(n)s datoar er booka.",
                    len(result.booked),
                )
                % {"n": len(result.booked)},
            )
            if result.skipped:
                messages.warning(
                    request,
                    ngettext(
                        "%(n)s dato var ikkje ledig: sjå lista.",
                        "%(n)s datoar var ikkje ledige: sjå lista.",
                        len(result.skipped),
                    )
                    % {"n": len(result.skipped)},
                )
            return redirect("booking:series", pk=result.series.pk)
    return render(
        request,
        "booking/series_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


# --- book for someone, block ----------------------------------------------------------------------


@sensitive_post_parameters("national_id")
@staff_required
def new_booking(request: HttpRequest) -> HttpResponse:
    user = _require_manager(request)
    initial: dict[str, Any] = {}
    if request.method != "POST":
        chosen = Resource.objects.filter(slug=request.GET.get("objekt", "")).first()
        if chosen is not None:
            initial["resource"] = chosen
        day = _parse_date(request.GET.get("dag"))
        if day is not None:
            initial["first_day"] = day
    form = BookOnBehalfForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = services.book(
                data["resource"],
                data["start"],
                data["end"],
                form.booker(),
                by=user,
                override_reason=data.get("override_reason", ""),
            )
        except BookingRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("Booka: %(what)s, %(when)s. Stadfestinga er send til %(to)s.")
                % {
                    "what": booking.resource.name,
                    "when": _period(booking),
                    "to": booking.booker_email,
                },
            )
            return redirect("booking:detail", pk=booking.pk)
    return render(
        request,
        "booking/book_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def new_block(request: HttpRequest) -> HttpResponse:
    user = _require_manager(request)
    form = BlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            block = services.block(
                data["resource"], data["start"], data["end"], reason=data["reason"], by=user
            )
        except BookingRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("%(what)s er sperra %(when)s.")
                % {"what": block.resource.name, "when": _period(block)},
            )
            return redirect("booking:detail", pk=block.pk)
    return render(
        request,
        "booking/block_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


# --- the calendar feed ----------------------------------------------------------------------------


@require_GET
def feed(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """A resource's bookings for staff calendars (Outlook, Google, Apple). No login: the
    address holds the secret; a wrong one is a plain 404, as for a resource that does not
    exist, so the answer tells nothing. Names and organisations only, never contact details."""
    resource = Resource.objects.filter(slug=slug).first()
    if resource is None or not selectors.feed_token_valid(resource, token):
        raise Http404
    body = ics.calendar_of(selectors.feed_bookings(resource), name=resource.name, for_staff=True)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{resource.slug}.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- the invoice basis ----------------------------------------------------------------------------


@staff_required
@require_GET
def invoice_basis(request: HttpRequest) -> HttpResponse:
    """The invoice basis as CSV for the finance system. Names and e-mail addresses: only for
    those who manage bookings."""
    _require_manager(request)
    form = InvoicePeriodForm({"first": request.GET.get("from"), "last": request.GET.get("to")})
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("booking:index")
    first, last = form.cleaned_data["first"], form.cleaned_data["last"]
    buffer = io.StringIO()
    invoicing.write_csv(invoicing.invoice_rows(first, last), buffer)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="fakturagrunnlag-{first:%Y%m%d}-{last:%Y%m%d}.csv"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- lotteries (trekning) ----------------------------------------------------------------------


@staff_required
def lotteries(request: HttpRequest) -> HttpResponse:
    """The lotteries, newest first, and a form to make one (name, dates, periods)."""
    form = LotteryForm(request.POST or None)
    periods = LotteryPeriodFormSet(request.POST or None, prefix="periods")
    if request.method == "POST":
        user = _require_manager(request)
        if form.is_valid() and periods.is_valid():
            data = form.cleaned_data
            chosen = [
                (period["resource"], period["start"], period["end"])
                for period in periods.cleaned_data
                if period and "start" in period
            ]
            try:
                made = draws.create_lottery(
                    name=data["name"],
                    opens_at=data["opens_at"],
                    closes_at=data["closes_at"],
                    periods=chosen,
                    confirm_days=data["confirm_days"],
                    wins_per_household=data["wins_per_household"],
                    priority_to_last_losers=data["priority_to_last_losers"],
                    previous=data.get("previous"),
                    by=user,
                )
            except BookingRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(
                    request,
                    _("Trekninga «%(name)s» er laga. Periodane er haldne til ho er trekt.")
                    % {"name": made.name},
                )
                return redirect("booking:lottery", pk=made.pk)
    rows = Lottery.objects.annotate(
        entrants=Count("entries", filter=~Q(entries__status=EntryStatus.WITHDRAWN), distinct=True),
        period_count=Count("periods", distinct=True),
    ).order_by("-closes_at", "-pk")[:100]
    return render(
        request,
        "booking/lotteries.html",
        {
            "rows": rows,
            "form": form,
            "periods": periods,
            "can_manage": selectors.can_manage_bookings(request.user),
            "now": timezone.now(),
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def lottery_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One lottery: its periods and entrants, the «Trekk» button after the deadline, and
    after the draw the protocol as the draw wrote it, checked by running it again."""
    found = Lottery.objects.filter(pk=pk).first()
    if found is None:
        raise Http404(_("Fann ikkje trekninga."))
    periods = {p.pk: p for p in found.periods.select_related("resource").order_by("start", "pk")}
    described = {pk: draws.describe_period(p) for pk, p in periods.items()}
    entries = list(
        found.entries.select_related("period", "booking").order_by(
            F("position").asc(nulls_last=True), "pk"
        )
    )
    statuses = dict(EntryStatus.choices)
    protocol = found.protocol or {}
    drawn = found.drawn_at is not None
    households = {str(e["entry"]): e["household"] for e in protocol.get("entrants", [])}
    context: dict[str, Any] = {
        "lottery": found,
        "periods": [{"period": p, "text": described[p.pk]} for p in periods.values()],
        "entrants": sum(1 for e in entries if e.status != EntryStatus.WITHDRAWN),
        "entries": [
            {
                "entry": e,
                "status": statuses.get(e.status, e.status),
                "wishes": [described.get(int(w), str(w)) for w in e.wishes or []],
                "period": described.get(e.period_id or 0, ""),
            }
            for e in entries
        ],
        "drawn": drawn,
        "may_draw": not drawn and timezone.now() >= found.closes_at,
        "can_manage": selectors.can_manage_bookings(request.user),
    }
    if drawn:
        context.update(
            {
                "verified": draws.verify(found),
                "seed": protocol.get("seed", found.seed),
                "method": protocol.get("method", ""),
                "priority": protocol.get("priority_households", []),
                "protocol_entrants": [
                    {
                        "entry": e.get("entry"),
                        "household": e.get("household"),
                        "wishes": [described.get(int(w), str(w)) for w in e.get("wishes", [])],
                    }
                    for e in protocol.get("entrants", [])
                ],
                "order": [
                    {"place": place, "entry": entry, "household": households.get(str(entry), "")}
                    for place, entry in enumerate(protocol.get("order", []), start=1)
                ],
                "allocation": [
                    {
                        "entry": entry,
                        "household": households.get(str(entry), ""),
                        "periods": [described.get(int(p), str(p)) for p in won],
                    }
                    for entry, won in protocol.get("allocation", {}).items()
                ],
                "released": [described.get(int(p), str(p)) for p in protocol.get("released", [])],
                "winners": [
                    {
                        "entry": e,
                        "status": statuses.get(e.status, e.status),
                        "period": described.get(e.period_id or 0, ""),
                    }
                    for e in entries
                    if e.period_id is not None
                ],
            }
        )
    return render(request, "booking/lottery.html", context)


@staff_required
@require_POST
def draw_lottery(request: HttpRequest, pk: int) -> HttpResponse:
    user = _require_manager(request)
    found = Lottery.objects.filter(pk=pk).first()
    if found is None:
        raise Http404(_("Fann ikkje trekninga."))
    try:
        drawn = draws.draw(found, by=user)
    except BookingRefused as refused:
        messages.error(request, refused.message)
    else:
        winners = drawn.entries.filter(status=EntryStatus.WON).count()
        messages.success(
            request,
            ngettext(
                "Trekninga er gjord: %(n)s vinnar har fått e-post om å stadfeste.",
                "Trekninga er gjord: %(n)s vinnarar har fått e-post om å stadfeste.",
                winners,
            )
            % {"n": winners},
        )
    return redirect("booking:lottery", pk=pk)


# --- trial housing (prøvebustad) ---------------------------------------------------------------


def _statistics_year(value: str | None) -> int | None:
    try:
        year = int(value or "")
    except ValueError:
        return None
    return year if 2000 <= year <= 2100 else None


@staff_required
def applications(request: HttpRequest) -> HttpResponse:
    """Applications for trial housing, newest first, and whether households moved here."""
    year = _statistics_year(request.GET.get("ar"))
    status = request.GET.get("status", "")
    rows = TrialHousingApplication.objects.select_related("resource").order_by("-created_at", "-pk")
    if status in ApplicationStatus.values:
        rows = rows.filter(status=status)
    this_year = _today().year
    return render(
        request,
        "booking/applications.html",
        {
            "rows": rows[:200],
            "statistics": trial_housing.statistics(year),
            "year": year,
            "years": list(range(this_year, this_year - 6, -1)),
            "status": status,
            "statuses": ApplicationStatus.choices,
        },
    )


def _get_application(pk: int) -> TrialHousingApplication:
    found = (
        TrialHousingApplication.objects.select_related("resource", "booking", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404(_("Fann ikkje søknaden."))
    return found


def _application_context(
    request: HttpRequest, application: TrialHousingApplication, **bound: forms.Form
) -> dict[str, Any]:
    wanted_end = application.wanted_from + relativedelta(months=application.wanted_months)
    return {
        "application": application,
        "can_manage": selectors.can_manage_bookings(request.user),
        "approve_form": bound.get("approve_form")
        or ApproveApplicationForm(
            initial={"contract_start": application.wanted_from, "contract_end": wanted_end}
        ),
        "deny_form": bound.get("deny_form") or DenyApplicationForm(),
        "follow_up_form": bound.get("follow_up_form")
        or FollowUpForm(
            initial={
                "moved_here": application.moved_here
                if application.moved_here != MovedHere.UNKNOWN
                else None,
                "note": application.follow_up_note,
            }
        ),
        "rent": _money(application.monthly_rent) if application.monthly_rent is not None else "",
        "open_panel": next((name.removesuffix("_form") for name in bound), ""),
    }


@staff_required
def application_page(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get_application(pk)
    return render(request, "booking/application.html", _application_context(request, application))


ApplicationPerform = Callable[[HttpRequest, TrialHousingApplication, dict[str, Any]], str]


def _application_action(
    perform: ApplicationPerform,
    form_class: type[forms.Form] | None = None,
    context_name: str = "",
) -> View:
    """A POST on one application, as _action is for a booking; back to the application."""
    return _post_action(
        _get_application,
        lambda request, application, bound: (
            "booking/application.html",
            _application_context(request, application, **bound),
        ),
        lambda request, application: reverse("booking:application", args=[application.pk]),
        perform,
        form_class,
        context_name,
    )


def _approve_application(
    request: HttpRequest, application: TrialHousingApplication, data: dict[str, Any]
) -> str:
    trial_housing.approve(
        application,
        by=_user(request),
        contract_start=data["contract_start"],
        contract_end=data["contract_end"],
        monthly_rent=data["monthly_rent"],
        assessment=data.get("assessment", ""),
    )
    return _("Søknaden er godkjend, og bustaden er halden for kontraktsperioden.")


def _deny_application(
    request: HttpRequest, application: TrialHousingApplication, data: dict[str, Any]
) -> str:
    trial_housing.deny(application, by=_user(request), assessment=data["assessment"])
    return _("Søknaden er avslått. Søkjaren får vurderinga på e-post.")


def _start_stay(
    request: HttpRequest, application: TrialHousingApplication, data: dict[str, Any]
) -> str:
    trial_housing.start_stay(application, by=_user(request))
    return _("Registrert: husstanden har flytta inn.")


def _finish_stay(
    request: HttpRequest, application: TrialHousingApplication, data: dict[str, Any]
) -> str:
    trial_housing.finish(application, by=_user(request))
    return _("Registrert: opphaldet er avslutta.")


def _follow_up(
    request: HttpRequest, application: TrialHousingApplication, data: dict[str, Any]
) -> str:
    trial_housing.record_follow_up(
        application, moved_here=data["moved_here"], note=data.get("note", ""), by=_user(request)
    )
    return _("Oppfølginga er lagra.")


approve_application = _application_action(
    _approve_application, ApproveApplicationForm, "approve_form"
)
deny_application = _application_action(_deny_application, DenyApplicationForm, "deny_form")
start_stay = _application_action(_start_stay)
finish_stay = _application_action(_finish_stay)
follow_up = _application_action(_follow_up, FollowUpForm, "follow_up_form")
