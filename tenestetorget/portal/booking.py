"""Public booking pages (utleige): the resources, one resource with its calendar and booking
form, the receipt, «mine bookingar» behind the secret link from the e-mails, the lotteries
for peak weeks and the applications for trial housing.

Thin views: parse the form (portal.booking_forms), call booking.services.book / move /
cancel, booking.lottery.enter / confirm or booking.trial_housing.apply, and render. Every
rule and every refusal is the booking app's; a refusal (BookingRefused) is shown with the
form again, next to the field it is about, with everything typed kept except the
fødselsnummer.

The forms have the contact form's protections (portal.spam): CSRF, a honeypot, a signed
form token with a one-time submission id (one rendered form makes at most one booking: a
double click leads to the same receipt), and a rate limit per client address of their own.
A refused booking as a resident is not given back to the allowance: the answer says whether
a fødselsnummer is in the resident register, and that must not be asked in bulk.

Receipts are shown behind a link that names one booking (a keyed hash of its id), never
behind the «mine bookingar» link: that link is the key to every booking of an e-mail
address, and comes only by e-mail to that address. Whoever types someone else's address
into the form sees the receipt of their own booking and nothing more.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db.models import Q
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tenestetorget.booking import lottery, services, trial_housing
from tenestetorget.booking.availability import DayState, calendar, free_slots
from tenestetorget.booking.models import (
    BookerKind,
    BookerLink,
    Booking,
    BookingUnit,
    EntryStatus,
    Lottery,
    LotteryEntry,
    LotteryPeriod,
    Price,
    Resource,
    ResourceImage,
    ResourceKind,
    Status,
    TrialHousingApplication,
)
from tenestetorget.booking.rules import BookingRefused, PeriodTaken
from tenestetorget.core.calendar import to_local
from tenestetorget.core.file_responses import FILE_CSP
from tenestetorget.core.uploads import served_type
from tenestetorget.portal import spam
from tenestetorget.portal.booking_forms import (
    DatesBookingForm,
    HoursBookingForm,
    LotteryForm,
    PublicForm,
    TrialHousingForm,
    booking_form_class,
    eligible_kinds,
    lottery_period_choices,
    move_form_class,
)
from tenestetorget.portal.localised import LocalText, localised
from tenestetorget.portal.views import _language, _public_context

log = logging.getLogger(__name__)

#: Receipts are shown this long after the booking, entry or application was made.
RECEIPT_VALID_DAYS = 30
_RECEIPT_SALT = "tenestetorget.portal.booking-receipt"
#: The booking forms' own allowance per client address (the contact form's numbers).
_RATE_PREFIX = "portal:booking-rate"
#: submission id -> the receipt its form led to, so a form sent twice leads to one receipt.
_DONE_PREFIX = "portal:booking-done"
#: The order of the kinds on the overview.
KIND_ORDER = (
    ResourceKind.CABIN,
    ResourceKind.ROOM,
    ResourceKind.STUDY_ROOM,
    ResourceKind.TRIAL_HOUSING,
)
#: Characters of a resource's description shown on the overview.
SUMMARY_CHARS = 220
#: What a calendar day shows beside its number; the word is the accessible text, and the
#: symbol, with the legend under the table, is for the eye (never colour alone).
DAY_SYMBOLS = {
    DayState.FREE: "✓",
    DayState.PARTLY: "◐",
    DayState.TAKEN: "✕",
    DayState.CLOSED: "–",
    "past": "",
}


# --- presentation helpers -----------------------------------------------------------------------


def money(amount: Decimal) -> str:
    """350 kr, 1 250,50 kr: in the page's number format, decimals only when there are any."""
    places = 0 if amount == amount.to_integral_value() else 2
    number = formats.number_format(amount, places, use_l10n=True, force_grouping=True)
    return _("%(amount)s kr") % {"amount": number}


def per_unit(unit: str) -> str:
    texts: dict[str, str] = {
        BookingUnit.HOUR: _("per time"),
        BookingUnit.NIGHT: _("per døgn"),
        BookingUnit.WEEK: _("per veke"),
        BookingUnit.MONTH: _("per månad"),
    }
    return texts.get(unit, "")


def kind_heading(kind: str) -> str:
    texts: dict[str, str] = {
        ResourceKind.CABIN: _("Høgfjellshytter"),
        ResourceKind.ROOM: _("Møterom"),
        ResourceKind.STUDY_ROOM: _("Studiesenteret"),
        ResourceKind.TRIAL_HOUSING: _("Prøvebustad"),
    }
    return texts.get(kind, kind)


def _day_text(moment: dt.datetime) -> str:
    return f"{formats.date_format(moment, 'l')} {formats.date_format(moment, 'DATE_FORMAT')}"


def period_text(start: dt.datetime, end: dt.datetime) -> str:
    """«fredag 13. mars 2026 kl. 15:00 – sundag 15. mars 2026 kl. 12:00», or one day with
    two times, in Europe/Oslo."""
    first, last = to_local(start), to_local(end)
    if first.date() == last.date():
        return _("%(day)s kl. %(from)s–%(to)s") % {
            "day": _day_text(first),
            "from": f"{first:%H:%M}",
            "to": f"{last:%H:%M}",
        }
    return _("%(from_day)s kl. %(from)s – %(to_day)s kl. %(to)s") % {
        "from_day": _day_text(first),
        "from": f"{first:%H:%M}",
        "to_day": _day_text(last),
        "to": f"{last:%H:%M}",
    }


def date_text(day: dt.date | dt.datetime) -> str:
    if isinstance(day, dt.datetime):
        day = to_local(day)
    return str(formats.date_format(day, "DATE_FORMAT"))


def moment_text(moment: dt.datetime) -> str:
    local = to_local(moment)
    return _("%(day)s kl. %(time)s") % {"day": date_text(local), "time": f"{local:%H:%M}"}


def who_may_book(resource: Resource) -> str:
    return ", ".join(str(BookerKind(kind).label) for kind in eligible_kinds(resource))


def _no_store(response: HttpResponse) -> HttpResponse:
    """A page behind a secret link: kept out of shared caches, and its address out of the
    Referer header to any other site. Not `no-referrer`: with it the browser sends
    `Origin: null` with the page's own forms (cancel, move, the language switch), and the
    CSRF check rightly refuses them."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


# --- reads (one query each, whatever the number of bookings) -----------------------------------


def current_prices(resources: Sequence[Resource], day: dt.date) -> dict[int, dict[str, Decimal]]:
    """Per resource, per kind of booker: the price per unit of the price list valid on `day`."""
    rows = (
        Price.objects.filter(resource__in=[r.pk for r in resources], valid_from__lte=day)
        .order_by("resource_id", "booker_kind", "-valid_from")
        .values_list("resource_id", "booker_kind", "amount")
    )
    out: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for resource_id, kind, amount in rows:
        out[resource_id].setdefault(kind, amount)
    return out


def _lottery_state(draw: Lottery, now: dt.datetime) -> str:
    if now < draw.opens_at:
        return "not_yet"
    if now < draw.closes_at and draw.drawn_at is None:
        return "open"
    return "closed"


def _lotteries_to_show(now: dt.datetime) -> list[Lottery]:
    """The lotteries that are open for entries, or will open."""
    return list(Lottery.objects.filter(closes_at__gt=now).order_by("opens_at", "pk"))


# --- the overview -----------------------------------------------------------------------------


@dataclass
class ResourceCard:
    resource: Resource
    name: LocalText
    summary: str
    summary_lang: str
    who: str
    price_from: str
    per_unit: str
    url: str


def _summary(text: LocalText) -> str:
    first = (str(text).strip().split("\n\n") or [""])[0]
    return Truncator(" ".join(first.split())).chars(SUMMARY_CHARS)


def _card(resource: Resource, prices: dict[str, Decimal], language: str) -> ResourceCard:
    kinds = eligible_kinds(resource)
    amounts = [prices[kind] for kind in kinds if kind in prices]
    description = localised(resource, "description", language)
    return ResourceCard(
        resource=resource,
        name=localised(resource, "name", language),
        summary=_summary(description),
        summary_lang=description.language if description.fell_back else "",
        who=who_may_book(resource),
        price_from=money(min(amounts)) if amounts else "",
        per_unit=per_unit(resource.booking_unit),
        url=reverse("portal:booking_resource", kwargs={"slug": resource.slug}),
    )


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    language = _language()
    now = timezone.now()
    resources = list(Resource.objects.filter(active=True).order_by("kind", "name"))
    prices = current_prices(resources, timezone.localdate())
    by_kind: dict[str, list[ResourceCard]] = defaultdict(list)
    for resource in resources:
        by_kind[resource.kind].append(_card(resource, prices.get(resource.pk, {}), language))
    groups = [
        {"kind": kind, "heading": kind_heading(kind), "cards": by_kind[kind]}
        for kind in KIND_ORDER
        if by_kind.get(kind)
    ]
    lotteries = [
        {
            "lottery": draw,
            "open": _lottery_state(draw, now) == "open",
            "opens": moment_text(draw.opens_at),
            "closes": moment_text(draw.closes_at),
            "url": reverse("portal:booking_lottery", kwargs={"pk": draw.pk}),
        }
        for draw in _lotteries_to_show(now)
    ]
    return render(
        request,
        "portal/booking/index.html",
        _public_context(groups=groups, lotteries=lotteries, crumbs=_crumbs()),
    )


# --- the calendar -----------------------------------------------------------------------------


@dataclass
class CalendarDay:
    day: dt.date
    state: str
    label: str
    symbol: str
    today: bool
    url: str = ""


def state_label(state: str) -> str:
    return {
        DayState.FREE: _("ledig"),
        DayState.PARTLY: _("delvis ledig"),
        DayState.TAKEN: _("oppteken"),
        DayState.CLOSED: _("stengt"),
        "past": _("passert"),
    }.get(state, state)


def parse_month(value: str, today: dt.date, last: dt.date) -> dt.date:
    """The first day of the month ?month=YYYY-MM names; this month when it names none, or
    one before this month or after the month of `last` (the end of the booking window)."""
    this_month = today.replace(day=1)
    try:
        year, month = (int(part) for part in value.split("-", 1))
        first = dt.date(year, month, 1)
    except (TypeError, ValueError):
        return this_month
    return first if this_month <= first <= last else this_month


def _add_month(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_url(path: str, month: dt.date, **extra: str) -> str:
    query = {"month": f"{month:%Y-%m}", **{k: v for k, v in extra.items() if v}}
    return f"{path}?{urlencode(query)}#kalender"


def month_calendar(
    resource: Resource, month: dt.date, today: dt.date, path: str, *, selected: dt.date | None
) -> dict[str, Any]:
    """The weeks of one month (Monday first), each day with its state, and the links to the
    month before (never before this month) and after (never past the booking window)."""
    last = _add_month(month, 1) - dt.timedelta(days=1)
    states = calendar([resource], month, last)[resource.slug]
    hourly = resource.booking_unit == BookingUnit.HOUR
    weeks: list[list[CalendarDay | None]] = []
    week: list[CalendarDay | None] = [None] * month.weekday()
    day = month
    while day <= last:
        state = "past" if day < today else states.get(day, DayState.FREE)
        url = ""
        if hourly and state not in ("past", DayState.CLOSED, DayState.TAKEN):
            url = _month_url(path, month, dag=day.isoformat()).replace("#kalender", "#ledige-timar")
        week.append(
            CalendarDay(
                day=day,
                state=state,
                label=state_label(state),
                symbol=DAY_SYMBOLS.get(state, ""),
                today=day == today,
                url=url,
            )
        )
        if len(week) == 7:
            weeks.append(week)
            week = []
        day += dt.timedelta(days=1)
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    following = _add_month(month, 1)
    this_month = today.replace(day=1)
    keep = {"dag": selected.isoformat()} if selected else {}
    return {
        "month": month,
        "weeks": weeks,
        "previous_url": _month_url(path, _add_month(month, -1), **keep)
        if month > this_month
        else "",
        "next_url": _month_url(path, following, **keep)
        if following <= last_bookable_day(resource, today)
        else "",
        "weekdays": weekday_headers(),
        "legend": [
            {"symbol": DAY_SYMBOLS[state], "label": state_label(state)}
            for state in (DayState.FREE, DayState.PARTLY, DayState.TAKEN, DayState.CLOSED)
        ],
        "partly_means": _("nokre timar er bookte")
        if hourly
        else _("byttedag: nokon reiser eller kjem denne dagen"),
    }


def weekday_headers() -> list[dict[str, str]]:
    names = [
        (_("må"), _("måndag")),
        (_("ty"), _("tysdag")),
        (_("on"), _("onsdag")),
        (_("to"), _("torsdag")),
        (_("fr"), _("fredag")),
        (_("la"), _("laurdag")),
        (_("su"), _("sundag")),
    ]
    return [{"short": short, "long": long} for short, long in names]


# --- the resource page --------------------------------------------------------------------------


def _resource_or_404(slug: str) -> Resource:
    resource = Resource.objects.filter(slug=slug, active=True).first()
    if resource is None:
        raise Http404
    return resource


def _price_lines(resource: Resource) -> list[dict[str, str]]:
    prices = current_prices([resource], timezone.localdate()).get(resource.pk, {})
    unit = per_unit(resource.booking_unit)
    return [
        {
            "who": str(BookerKind(kind).label),
            "price": money(prices[kind]) if prices[kind] else _("Gratis"),
            "unit": unit if prices[kind] else "",
        }
        for kind in eligible_kinds(resource)
        if kind in prices
    ]


def first_bookable_day(resource: Resource, today: dt.date) -> dt.date:
    return today + dt.timedelta(days=1) if resource.bookable_from_tomorrow else today


def _free_ranges(resource: Resource, day: dt.date, now: dt.datetime) -> list[str]:
    """The free hours of one day as ranges («08:00–12:00»), without the hours gone by."""
    ranges: list[list[dt.datetime]] = []
    for start, end in free_slots(resource, day):
        if start < now:
            continue
        if ranges and ranges[-1][1] == start:
            ranges[-1][1] = end
        else:
            ranges.append([start, end])
    return [f"{to_local(s):%H:%M}–{to_local(e):%H:%M}" for s, e in ranges]


def last_bookable_day(resource: Resource, today: dt.date) -> dt.date:
    return today + dt.timedelta(days=max(resource.days_ahead_residents, resource.days_ahead_others))


def _chosen_day(request: HttpRequest, resource: Resource, today: dt.date) -> dt.date:
    """The day whose free hours are listed: the form's date once sent, else ?dag=; a day
    outside the booking window (or no day) gives the first day that can be booked."""
    for value in (request.POST.get("day"), request.GET.get("dag")):
        with contextlib.suppress(TypeError, ValueError):
            day = dt.date.fromisoformat(value or "")
            if today <= day <= last_bookable_day(resource, today):
                return day
    return first_bookable_day(resource, today)


def _spam_fields(submission_id: str) -> dict[str, str]:
    return {
        "submission_id": submission_id,
        "form_token": spam.issue_form_token(submission_id),
        "honeypot_field": spam.HONEYPOT_FIELD,
        "form_token_field": spam.FORM_TOKEN_FIELD,
    }


def _render_resource(
    request: HttpRequest,
    resource: Resource,
    form: PublicForm,
    submission_id: str,
    *,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    language = _language()
    now = timezone.now()
    today = timezone.localdate()
    path = reverse("portal:booking_resource", kwargs={"slug": resource.slug})
    hourly = resource.booking_unit == BookingUnit.HOUR
    trial = resource.kind == ResourceKind.TRIAL_HOUSING
    chosen = _chosen_day(request, resource, today) if hourly and not trial else None
    month = parse_month(request.GET.get("month", ""), today, last_bookable_day(resource, today))
    if chosen is not None and "month" not in request.GET:
        month = chosen.replace(day=1)
    description = localised(resource, "description", language)
    images = [
        {"url": reverse("portal:booking_image", kwargs={"pk": image.pk}), "alt": image.alt}
        for image in resource.images.all()
    ]
    day_closed = too_early = False
    if chosen is not None:
        day_closed = calendar([resource], chosen, chosen)[resource.slug][chosen] == DayState.CLOSED
        too_early = chosen < first_bookable_day(resource, today)
    error_summary = form.error_summary() if form.is_bound else []
    context = _public_context(
        resource=resource,
        name=localised(resource, "name", language),
        description=description,
        kind_label=ResourceKind(resource.kind).label,
        images=images,
        who=who_may_book(resource),
        prices=_price_lines(resource),
        calendar=month_calendar(resource, month, today, path, selected=chosen),
        hourly=hourly,
        trial=trial,
        chosen_day=chosen,
        chosen_day_text=date_text(chosen) if chosen else "",
        day_closed=day_closed,
        too_early=too_early,
        free_ranges=_free_ranges(resource, chosen, now)
        if chosen and not (day_closed or too_early)
        else [],
        deposit=money(resource.deposit) if resource.deposit else "",
        from_tomorrow=resource.bookable_from_tomorrow,
        form=form,
        **_spam_fields(submission_id),
        notice=notice,
        error_summary=error_summary,
        has_errors=bool(notice or error_summary),
        action=path,
        crumbs=_crumbs((str(localised(resource, "name", language)), path)),
    )
    return render(request, "portal/booking/resource.html", context, status=status)


def _crumbs(*items: tuple[str, str]) -> list[dict[str, str]]:
    return [
        {"title": _("Tenestetorget"), "url": reverse("portal:home")},
        {"title": _("Utleige"), "url": reverse("portal:booking_index")},
        *({"title": title, "url": url} for title, url in items),
    ]


def _new_form(resource: Resource, **kwargs: Any) -> PublicForm:
    if resource.kind == ResourceKind.TRIAL_HOUSING:
        return TrialHousingForm(**kwargs)
    form_class = booking_form_class(resource)
    return form_class(resource=resource, **kwargs)


@never_cache
@sensitive_post_parameters("national_id")
@require_http_methods(["GET", "POST"])
def resource(request: HttpRequest, slug: str) -> HttpResponse:
    """One resource: what it is, its prices and calendar, and the booking form (for trial
    housing the application form)."""
    found = _resource_or_404(slug)
    if request.method != "POST":
        initial: dict[str, Any] = {}
        if found.booking_unit == BookingUnit.HOUR:
            initial["day"] = _chosen_day(request, found, timezone.localdate())
        form = _new_form(found, initial=initial)
        return _render_resource(request, found, form, str(uuid.uuid4()))

    def make(**kwargs: Any) -> PublicForm:
        return _new_form(found, **kwargs)

    if found.kind == ResourceKind.TRIAL_HOUSING:
        outcome = _handle_post(request, make, lambda form: _apply(found, form))
    else:
        outcome = _handle_post(
            request, make, lambda form: _book(found, form), probes_register=_as_resident
        )
    if outcome.redirect:
        return HttpResponseRedirect(outcome.redirect)
    return _render_resource(
        request,
        found,
        outcome.form,
        outcome.submission_id,
        notice=outcome.notice,
        status=outcome.status,
    )


def _as_resident(form: PublicForm) -> bool:
    return bool(form.is_bound and form.data.get("booker_kind") == BookerKind.RESIDENT)


def _book(found: Resource, form: PublicForm) -> str:
    assert isinstance(form, DatesBookingForm | HoursBookingForm)
    start, end = form.span()
    booking = services.book(found, start, end, form.booker(language=_language()))
    log.info("booking %s made on the public page", booking.pk)
    return receipt_url("booking", booking.pk)


def _apply(found: Resource, form: PublicForm) -> str:
    data = form.cleaned_data
    application = trial_housing.apply(
        resource=found,
        name=data["name"],
        email=data["email"],
        phone=data.get("phone") or "",
        household=data["household"],
        reason=data["reason"],
        wanted_from=data["wanted_from"],
        wanted_months=data["wanted_months"],
        language=_language(),
    )
    return receipt_url("trial", application.pk)


# --- one POST of a public form ------------------------------------------------------------------


@dataclass
class Outcome:
    """What became of a POST: a receipt to redirect to, or the form to show again."""

    form: PublicForm
    submission_id: str
    redirect: str = ""
    notice: str = ""
    status: int = 200


def _submission_id(value: str | None) -> str | None:
    try:
        return str(uuid.UUID(str(value or "")))
    except ValueError:
        return None


def _rate_key(request: HttpRequest) -> str:
    return spam.client_rate_key(_RATE_PREFIX, request)


def _take_slot(request: HttpRequest) -> bool:
    conf: dict[str, Any] = settings.TENESTETORGET
    limit = int(conf.get("CONTACT_FORM_RATE_LIMIT", spam.DEFAULT_RATE_LIMIT))
    window = int(conf.get("CONTACT_FORM_RATE_WINDOW_SECONDS", spam.DEFAULT_RATE_WINDOW_SECONDS))
    return spam.count_in_window(_rate_key(request), limit, window)


def _release_slot(request: HttpRequest) -> None:
    with contextlib.suppress(ValueError):
        cache.decr(_rate_key(request))


def _done_key(submission_id: str) -> str:
    return f"{_DONE_PREFIX}:{submission_id}"


def spam_notice(reason: spam.SpamReason) -> str:
    phone = settings.TENESTETORGET["PHONE"]
    if reason == spam.SpamReason.TOO_FAST:
        return _(
            "Skjemaet vart sendt svært kort tid etter at det vart opna, slik maskiner gjer. "
            "Det du skreiv, står framleis nedanfor, utanom fødselsnummeret. Sjå over og send "
            "på nytt."
        )
    if reason == spam.SpamReason.EXPIRED:
        return _(
            "Skjemaet har vore ope i meir enn eit døgn. Det du skreiv, står framleis nedanfor, "
            "utanom fødselsnummeret. Sjå over og send på nytt."
        )
    if reason == spam.SpamReason.RATE_LIMITED:
        return _(
            "Det er sendt mange skjema frå same nettverk på kort tid, så vi tek ein pause. "
            "Prøv igjen om nokre minutt, eller ring oss på %(phone)s."
        ) % {"phone": phone}
    return _(
        "Vi kunne ikkje ta imot skjemaet fordi det liknar på automatisk utfylling. "
        "Det du skreiv, står framleis nedanfor, utanom fødselsnummeret. Sjå over og send på "
        "nytt, eller ring oss på %(phone)s."
    ) % {"phone": phone}


def _handle_post(
    request: HttpRequest,
    make_form: Callable[..., PublicForm],
    act: Callable[[PublicForm], str],
    *,
    probes_register: Callable[[PublicForm], bool] = lambda form: False,
) -> Outcome:
    """The contact form's protections, then `act` (the service call, which returns the
    receipt's address or raises BookingRefused)."""
    sid = _submission_id(request.POST.get("submission_id"))
    if sid is not None:
        done = cache.get(_done_key(sid))
        if done:  # a double click or a resent POST: the same receipt, nothing booked twice
            return Outcome(make_form(), sid, redirect=str(done))
    sid = sid or str(uuid.uuid4())
    reason = spam.check_submission(request.POST, sid)
    # Shown again with what was typed, never with the honeypot's value.
    data = request.POST.copy()
    data.pop(spam.HONEYPOT_FIELD, None)
    form = make_form(data=data)
    if reason is None and form.is_valid() and not _take_slot(request):
        reason = spam.SpamReason.RATE_LIMITED
    if reason is not None:
        log.info("booking form refused as automated: %s", reason)
        retry = make_form(initial=form.kept_input())
        status = 429 if reason == spam.SpamReason.RATE_LIMITED else 400
        return Outcome(retry, sid, notice=spam_notice(reason), status=status)
    if not form.is_valid():
        return Outcome(form, sid, status=400)
    try:
        url = act(form)
    except BookingRefused as refused:
        if not probes_register(form):
            _release_slot(request)
        done = cache.get(_done_key(sid))
        if done and isinstance(refused, PeriodTaken):
            # The same form sent twice at once: the first one booked the period.
            return Outcome(form, sid, redirect=str(done))
        log.info("booking refused on the public page: %s", refused.code)
        form.add_refusal(refused)
        return Outcome(form, sid, status=refused.status)
    max_age = int(
        settings.TENESTETORGET.get("CONTACT_FORM_MAX_AGE_SECONDS", spam.DEFAULT_MAX_AGE_SECONDS)
    )
    cache.set(_done_key(sid), url, timeout=max_age)
    return Outcome(form, sid, redirect=url)


# --- receipts -----------------------------------------------------------------------------------


def receipt_token(kind: str, pk: int) -> str:
    """A key to the receipt of one booking, entry or application; opens nothing else."""
    return salted_hmac(_RECEIPT_SALT, f"{kind}:{pk}", algorithm="sha256").hexdigest()[:32]


def receipt_url(kind: str, pk: int) -> str:
    names = {
        "booking": "portal:booking_receipt",
        "lottery": "portal:booking_lottery_receipt",
        "trial": "portal:booking_trial_receipt",
    }
    return reverse(names[kind], kwargs={"token": receipt_token(kind, pk), "pk": pk})


def _check_receipt(kind: str, token: str, pk: int, made_at: dt.datetime | None) -> None:
    if not constant_time_compare(token, receipt_token(kind, pk)) or made_at is None:
        raise Http404
    if timezone.now() - made_at > dt.timedelta(days=RECEIPT_VALID_DAYS):
        raise Http404


@require_GET
def receipt(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    booking = Booking.objects.select_related("resource").filter(pk=pk).first()
    _check_receipt("booking", token, pk, booking.created_at if booking else None)
    assert booking is not None
    found = booking.resource
    response = render(
        request,
        "portal/booking/receipt.html",
        _public_context(
            booking=booking,
            name=localised(found, "name", _language()),
            pending=booking.status == Status.PENDING,
            confirmed=booking.status == Status.CONFIRMED,
            status_label=Status(booking.status).label,
            period=period_text(booking.start, booking.end),
            price=money(booking.price),
            deposit=money(booking.deposit) if booking.deposit else "",
            email=booking.booker_email,
            free_cancellation_days=found.free_cancellation_days,
            location=found.location,
            resource_url=reverse("portal:booking_resource", kwargs={"slug": found.slug}),
        ),
    )
    return _no_store(response)


@require_GET
def trial_receipt(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    application = TrialHousingApplication.objects.select_related("resource").filter(pk=pk).first()
    _check_receipt("trial", token, pk, application.created_at if application else None)
    assert application is not None
    response = render(
        request,
        "portal/booking/trial_receipt.html",
        _public_context(
            application=application,
            name=localised(application.resource, "name", _language()),
            wanted_from=date_text(application.wanted_from),
            email=application.email,
        ),
    )
    return _no_store(response)


# --- mine bookingar ----------------------------------------------------------------------------


def _link_or_404(token: str) -> BookerLink:
    link = BookerLink.objects.filter(token=token).first()
    if link is None or not token:
        raise Http404
    return link


def _own(link: BookerLink) -> Q:
    # The link holds the address in lower case; a booking keeps it as it was typed.
    return Q(booker_email__iexact=link.email)


def _own_booking(link: BookerLink, pk: int) -> Booking:
    booking = Booking.objects.select_related("resource").filter(_own(link), pk=pk).first()
    # A stay in the trial home is a contract that staff followed up (booking.trial_housing):
    # it is changed or ended with them, not here.
    if booking is None or booking.resource.kind == ResourceKind.TRIAL_HOUSING:
        raise Http404
    return booking


def _changeable(booking: Booking, now: dt.datetime) -> bool:
    return (
        booking.status in (Status.PENDING, Status.CONFIRMED)
        and booking.start > now
        and booking.resource.kind != ResourceKind.TRIAL_HOUSING
    )


def _move_initial(booking: Booking) -> dict[str, Any]:
    start, end = to_local(booking.start), to_local(booking.end)
    if booking.resource.booking_unit == BookingUnit.HOUR:
        return {"day": start.date(), "start_hour": start.hour, "hours": booking.units}
    return {"arrive": start.date(), "depart": end.date()}


def _booking_item(
    booking: Booking, now: dt.datetime, language: str, token: str, form: PublicForm | None
) -> dict[str, Any]:
    changeable = _changeable(booking, now)
    if changeable and form is None:
        form = move_form_class(booking.resource)(
            resource=booking.resource, initial=_move_initial(booking), prefix=f"b{booking.pk}"
        )
    return {
        "booking": booking,
        "name": localised(booking.resource, "name", language),
        "status_label": Status(booking.status).label,
        "status": booking.status,
        "period": period_text(booking.start, booking.end),
        "price": money(booking.price),
        "deposit": money(booking.deposit) if booking.deposit else "",
        "changeable": changeable,
        "form": form if changeable else None,
        "errors": form.error_summary() if form is not None and form.is_bound else [],
        "cancel_url": reverse("portal:booking_cancel", kwargs={"token": token, "pk": booking.pk}),
        "move_url": reverse("portal:booking_move", kwargs={"token": token, "pk": booking.pk}),
    }


def _entry_item(entry: LotteryEntry, now: dt.datetime, language: str, token: str) -> dict:
    period = entry.period
    return {
        "entry": entry,
        "lottery": entry.lottery,
        "status_label": EntryStatus(entry.status).label,
        "period": (
            f"{localised(period.resource, 'name', language)}: "
            f"{period_text(period.start, period.end)}"
            if period is not None
            else ""
        ),
        "confirm_by": moment_text(entry.confirm_by) if entry.confirm_by else "",
        "can_confirm": entry.status == EntryStatus.WON
        and entry.confirm_by is not None
        and now < entry.confirm_by,
        "confirm_url": reverse(
            "portal:booking_lottery_confirm", kwargs={"token": token, "pk": entry.pk}
        ),
    }


def _render_mine(
    request: HttpRequest,
    link: BookerLink,
    *,
    move_forms: dict[int, PublicForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    language = _language()
    now = timezone.now()
    token = link.token
    bookings = list(
        Booking.objects.filter(_own(link))
        .exclude(status=Status.BLOCKED)
        .select_related("resource")
        .order_by("start", "pk")
    )
    forms_ = move_forms or {}
    upcoming = [
        _booking_item(b, now, language, token, forms_.get(b.pk)) for b in bookings if b.end > now
    ]
    past = [
        _booking_item(b, now, language, token, None) for b in reversed(bookings) if b.end <= now
    ]
    entries = [
        _entry_item(entry, now, language, token)
        for entry in LotteryEntry.objects.filter(email__iexact=link.email)
        .select_related("lottery", "period__resource")
        .order_by("-entered_at", "-pk")
    ]
    applications = [
        {
            "application": application,
            "name": localised(application.resource, "name", language),
            "status_label": application.get_status_display(),
            "wanted_from": date_text(application.wanted_from),
            "contract": (
                f"{date_text(application.contract_start)}–{date_text(application.contract_end)}"
                if application.contract_start and application.contract_end
                else ""
            ),
        }
        for application in TrialHousingApplication.objects.filter(email__iexact=link.email)
        .select_related("resource")
        .order_by("-created_at", "-pk")
    ]
    response = render(
        request,
        "portal/booking/mine.html",
        _public_context(
            email=link.email,
            upcoming=upcoming,
            past=past,
            entries=entries,
            applications=applications,
            has_errors=any(item["errors"] for item in upcoming),
        ),
        status=status,
    )
    return _no_store(response)


@never_cache
@require_GET
def mine(request: HttpRequest, token: str) -> HttpResponse:
    """Every booking, lottery entry and trial-housing application of the e-mail address the
    secret link was sent to; nobody else's."""
    return _render_mine(request, _link_or_404(token))


def _mine_url(link: BookerLink, anchor: str = "") -> str:
    url = reverse("portal:booking_mine", kwargs={"token": link.token})
    return f"{url}#{anchor}" if anchor else url


@never_cache
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    """«Avbestill»: a page that says what it costs, then the cancellation."""
    link = _link_or_404(token)
    booking = _own_booking(link, pk)
    now = timezone.now()
    error = ""
    if request.method == "POST":
        try:
            services.cancel(booking, now=now)
        except BookingRefused as refused:
            error = refused.message
        else:
            messages.success(
                request,
                _("Bookinga av %(what)s, %(when)s, er avbestilt. Du får ei stadfesting på e-post.")
                % {
                    "what": localised(booking.resource, "name", _language()),
                    "when": period_text(booking.start, booking.end),
                },
            )
            return HttpResponseRedirect(_mine_url(link))
    fee = services.cancellation_fee(booking, now)
    response = render(
        request,
        "portal/booking/cancel.html",
        _public_context(
            booking=booking,
            name=localised(booking.resource, "name", _language()),
            period=period_text(booking.start, booking.end),
            fee=money(fee) if fee else "",
            free_cancellation_days=booking.resource.free_cancellation_days,
            changeable=_changeable(booking, now),
            error=error,
            has_errors=bool(error),
            mine_url=_mine_url(link),
        ),
        status=400 if error else 200,
    )
    return _no_store(response)


@never_cache
@require_POST
def move(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    """«Endre»: the booking to another period by the same rules, or the page again with why
    not, at that booking."""
    link = _link_or_404(token)
    booking = _own_booking(link, pk)
    form = move_form_class(booking.resource)(
        resource=booking.resource, data=request.POST, prefix=f"b{booking.pk}"
    )
    status = 400
    if form.is_valid():
        start, end = form.span()
        try:
            moved = services.move(booking, start, end)
        except BookingRefused as refused:
            form.add_refusal(refused)
            status = refused.status
        else:
            messages.success(
                request,
                _("Bookinga av %(what)s er endra til %(when)s. Du får ei stadfesting på e-post.")
                % {
                    "what": localised(moved.resource, "name", _language()),
                    "when": period_text(moved.start, moved.end),
                },
            )
            return HttpResponseRedirect(_mine_url(link))
    return _render_mine(request, link, move_forms={booking.pk: form}, status=status)


@never_cache
@require_POST
def lottery_confirm(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    """«Stadfest»: a period won in a lottery becomes a booking."""
    link = _link_or_404(token)
    entry = LotteryEntry.objects.filter(email__iexact=link.email, pk=pk).first()
    if entry is None:
        raise Http404
    try:
        booking = lottery.confirm(entry)
    except BookingRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("Takk! Perioden er stadfesta: %(when)s. Du får ei stadfesting på e-post.")
            % {"when": period_text(booking.start, booking.end)},
        )
    return HttpResponseRedirect(_mine_url(link, "trekning"))


# --- lotteries ---------------------------------------------------------------------------------


def _period_label(language: str) -> Callable[[LotteryPeriod], str]:
    def label(period: LotteryPeriod) -> str:
        name = localised(period.resource, "name", language)
        return f"{name}: {period_text(period.start, period.end)}"

    return label


def _render_lottery(
    request: HttpRequest,
    lottery_: Lottery,
    periods: Sequence[LotteryPeriod],
    form: PublicForm | None,
    submission_id: str,
    *,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    label = _period_label(_language())
    error_summary = form.error_summary() if form is not None and form.is_bound else []
    path = reverse("portal:booking_lottery", kwargs={"pk": lottery_.pk})
    context = _public_context(
        lottery=lottery_,
        state=_lottery_state(lottery_, now),
        opens=moment_text(lottery_.opens_at),
        closes=moment_text(lottery_.closes_at),
        drawn=moment_text(lottery_.drawn_at) if lottery_.drawn_at else "",
        periods=[label(period) for period in periods],
        form=form,
        **_spam_fields(submission_id),
        notice=notice,
        error_summary=error_summary,
        has_errors=bool(notice or error_summary),
        action=path,
        crumbs=_crumbs((lottery_.name, path)),
    )
    return render(request, "portal/booking/lottery.html", context, status=status)


@never_cache
@sensitive_post_parameters("national_id")
@require_http_methods(["GET", "POST"])
def lottery_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A lottery for peak weeks: the entry form while it is open, else its dates and what
    happens next."""
    found = Lottery.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    periods = list(found.periods.select_related("resource").order_by("start", "resource_id"))
    choices = lottery_period_choices(periods, _period_label(_language()))

    def make(**kwargs: Any) -> PublicForm:
        return LotteryForm(periods=choices, **kwargs)

    is_open = _lottery_state(found, timezone.now()) == "open"
    if request.method != "POST" or not is_open:
        form = make() if is_open else None
        status = 400 if request.method == "POST" else 200
        return _render_lottery(request, found, periods, form, str(uuid.uuid4()), status=status)

    def enter(form: PublicForm) -> str:
        assert isinstance(form, LotteryForm)
        data = form.cleaned_data
        entry = lottery.enter(
            found,
            name=data["name"],
            email=data["email"],
            national_id=data["national_id"],
            wishes=form.wishes(),
            language=_language(),
        )
        return receipt_url("lottery", entry.pk)

    # Every entry gives a fødselsnummer: none is given back to the allowance.
    outcome = _handle_post(request, make, enter, probes_register=lambda form: True)
    if outcome.redirect:
        return HttpResponseRedirect(outcome.redirect)
    return _render_lottery(
        request,
        found,
        periods,
        outcome.form,
        outcome.submission_id,
        notice=outcome.notice,
        status=outcome.status,
    )


@require_GET
def lottery_receipt(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    entry = LotteryEntry.objects.select_related("lottery").filter(pk=pk).first()
    _check_receipt("lottery", token, pk, entry.entered_at if entry else None)
    assert entry is not None
    label = _period_label(_language())
    wished = {
        period.pk: period
        for period in LotteryPeriod.objects.filter(pk__in=entry.wishes).select_related("resource")
    }
    response = render(
        request,
        "portal/booking/lottery_receipt.html",
        _public_context(
            entry=entry,
            lottery=entry.lottery,
            wishes=[label(wished[pk]) for pk in entry.wishes if pk in wished],
            closes=moment_text(entry.lottery.closes_at),
            confirm_days=entry.lottery.confirm_days,
            email=entry.email,
        ),
    )
    return _no_store(response)


# --- pictures -----------------------------------------------------------------------------------


@require_GET
def image(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A picture of an active resource, served as the image its content is (never as
    anything a browser would run), like the other uploads (core.file_responses)."""
    picture = ResourceImage.objects.filter(pk=pk, resource__active=True).first()
    name = picture.image.name if picture is not None else None
    if picture is None or not name:
        raise Http404
    try:
        handle = picture.image.storage.open(name, "rb")
    except OSError as error:
        raise Http404 from error
    checked = served_type(handle, name)
    if checked is None or not checked.inline or not checked.mime.startswith("image/"):
        handle.close()
        raise Http404
    response = FileResponse(handle, content_type=checked.mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "public, max-age=3600"
    return response
