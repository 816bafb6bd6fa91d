"""A resource's rules for one proposed booking: the period in its booking unit, how far
ahead, who may book, exception days, limits per household. Each refusal is a
`BookingRefused` with a code (for the API and the tests) and a message in the active
language (for the person)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tenestetorget.booking.models import (
    HOLDING,
    BookerKind,
    Booking,
    BookingUnit,
    ClosedDay,
    Resource,
)
from tenestetorget.core.calendar import OSLO, to_local


class BookingRefused(Exception):
    """A booking that the rules do not allow (HTTP 400), with the reason for the person."""

    status = 400

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class PeriodTaken(BookingRefused):
    """The period is held by another booking (HTTP 409)."""

    status = 409

    def __init__(self) -> None:
        super().__init__("taken", _("Perioden er oppteken. Vel ein annan periode."))


def local_moment(day: dt.date, at: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, at, tzinfo=OSLO)


def span_for_dates(
    resource: Resource, arrive: dt.date, depart: dt.date
) -> tuple[dt.datetime, dt.datetime]:
    """Check-in on the day of arrival to check-out on the day of departure."""
    return local_moment(arrive, resource.check_in), local_moment(depart, resource.check_out)


def units_of(resource: Resource, start: dt.datetime, end: dt.datetime) -> int:
    """How many booking units the period is; refuses a period that is not whole units."""
    if end <= start:
        raise BookingRefused("invalid_period", _("Slutten må kome etter starten."))
    first, last = to_local(start), to_local(end)
    unit = resource.booking_unit
    if unit == BookingUnit.HOUR:
        length = last - first
        hours, rest = divmod(length, dt.timedelta(hours=1))
        if rest or first.minute or first.second:
            raise BookingRefused("whole_hours", _("Møterom blir leigde i heile timar."))
        return int(hours)
    if first.time() != resource.check_in or last.time() != resource.check_out:
        raise BookingRefused(
            "check_in_out",
            _("Perioden må starte ved innsjekk kl. %(in)s og slutte ved utsjekk kl. %(out)s.")
            % {
                "in": resource.check_in.strftime("%H:%M"),
                "out": resource.check_out.strftime("%H:%M"),
            },
        )
    nights = (last.date() - first.date()).days
    if nights <= 0:
        raise BookingRefused("invalid_period", _("Slutten må kome etter starten."))
    if unit == BookingUnit.NIGHT:
        return nights
    if unit == BookingUnit.WEEK:
        if (
            resource.changeover_weekday is not None
            and first.weekday() != resource.changeover_weekday
        ):
            raise BookingRefused(
                "changeover",
                _("Veker startar og sluttar på byttedagen, %(day)s.")
                % {"day": weekday_name(resource.changeover_weekday)},
            )
        weeks, rest_days = divmod(nights, 7)
        if rest_days:
            raise BookingRefused("whole_weeks", _("Denne blir leigd i heile veker."))
        return weeks
    months = relativedelta(last.date(), first.date())
    if months.days or months.years * 12 + months.months <= 0:
        raise BookingRefused("whole_months", _("Denne blir leigd i heile månader."))
    return months.years * 12 + months.months


def weekday_name(day: int) -> str:
    names = [
        _("måndag"),
        _("tysdag"),
        _("onsdag"),
        _("torsdag"),
        _("fredag"),
        _("laurdag"),
        _("sundag"),
    ]
    return str(names[day % 7])


def unit_name(resource: Resource, count: int) -> str:
    unit = resource.booking_unit
    if unit == BookingUnit.HOUR:
        text = ngettext("%(n)s time", "%(n)s timar", count)
    elif unit == BookingUnit.NIGHT:
        text = ngettext("%(n)s døgn", "%(n)s døgn", count)
    elif unit == BookingUnit.WEEK:
        text = ngettext("%(n)s veke", "%(n)s veker", count)
    else:
        text = ngettext("%(n)s månad", "%(n)s månader", count)
    return text % {"n": count}


@dataclass(frozen=True)
class Proposal:
    resource: Resource
    start: dt.datetime
    end: dt.datetime
    booker_kind: str
    household: str = ""
    # Staff booking on someone's behalf: how far ahead and notice do not bind them.
    by_staff: bool = False


def nights_of(start: dt.datetime, end: dt.datetime) -> list[dt.date]:
    first, last = to_local(start).date(), to_local(end).date()
    if first == last:
        return [first]
    return [first + dt.timedelta(days=n) for n in range((last - first).days)]


def check(proposal: Proposal, *, now: dt.datetime | None = None, exclude: int | None = None) -> int:
    """Every rule of the resource for this booking; returns its length in units."""
    now = now or timezone.now()
    resource = proposal.resource
    if not resource.active:
        raise BookingRefused("inactive", _("Dette kan ikkje bookast no."))
    units = units_of(resource, proposal.start, proposal.end)
    if proposal.booker_kind not in (resource.eligible or [k.value for k in BookerKind]):
        raise BookingRefused(
            "not_eligible",
            _("%(what)s kan ikkje leigast av %(who)s.")
            % {"what": resource.name, "who": str(BookerKind(proposal.booker_kind).label).lower()}
            if proposal.booker_kind in BookerKind.values
            else _("Ukjend slag leigetakar."),
        )
    if proposal.start < now:
        raise BookingRefused("past", _("Perioden har alt byrja. Vel ein periode fram i tid."))
    if not proposal.by_staff:
        if proposal.start < now + dt.timedelta(hours=resource.notice_hours):
            raise BookingRefused(
                "notice",
                _("Dette må bookast minst %(n)s timar før.") % {"n": resource.notice_hours},
            )
        if (
            resource.bookable_from_tomorrow
            and to_local(proposal.start).date() <= to_local(now).date()
        ):
            raise BookingRefused("from_tomorrow", _("Dette kan bookast frå i morgon."))
        ahead = (
            resource.days_ahead_residents
            if proposal.booker_kind == BookerKind.RESIDENT
            else resource.days_ahead_others
        )
        if proposal.start > now + dt.timedelta(days=ahead):
            raise BookingRefused(
                "too_far_ahead",
                _("Du kan booke høgst %(n)s dagar fram i tid.") % {"n": ahead},
            )
    if units < resource.min_units:
        raise BookingRefused(
            "too_short",
            _("Kortaste leige er %(len)s.") % {"len": unit_name(resource, resource.min_units)},
        )
    if units > resource.max_units:
        raise BookingRefused(
            "too_long",
            _("Lengste leige er %(len)s.") % {"len": unit_name(resource, resource.max_units)},
        )
    if resource.booking_unit == BookingUnit.HOUR:
        day = to_local(proposal.start)
        if to_local(proposal.end).date() != day.date() and to_local(proposal.end).time() != dt.time(
            0
        ):
            raise BookingRefused("one_day", _("Ein time-booking må vere innan éin dag."))
        if resource.open_weekdays and day.weekday() not in resource.open_weekdays:
            raise BookingRefused("closed", _("Det er stengt denne dagen."))
        if day.time() < resource.check_in or (
            to_local(proposal.end).time() > resource.check_out
            or to_local(proposal.end).date() != day.date()
        ):
            raise BookingRefused(
                "opening_hours",
                _("Opningstida er %(from)s–%(to)s.")
                % {
                    "from": resource.check_in.strftime("%H:%M"),
                    "to": resource.check_out.strftime("%H:%M"),
                },
            )
    closed = (
        ClosedDay.objects.filter(Q(resource=resource) | Q(resource__isnull=True))
        .filter(date__in=nights_of(proposal.start, proposal.end))
        .order_by("date")
        .first()
    )
    if closed is not None:
        raise BookingRefused(
            "closed",
            _("Det er stengt %(date)s (%(why)s).")
            % {"date": closed.date.strftime("%d.%m.%Y"), "why": closed.reason or _("stengt")},
        )
    if resource.per_household_per_season and proposal.household:
        year = to_local(proposal.start).year
        held = Booking.objects.filter(
            resource__kind=resource.kind,
            household=proposal.household,
            status__in=HOLDING,
            start__gte=local_moment(dt.date(year, 1, 1), dt.time(0)),
            start__lt=local_moment(dt.date(year + 1, 1, 1), dt.time(0)),
        )
        if exclude:
            held = held.exclude(pk=exclude)
        if held.count() >= resource.per_household_per_season:
            raise BookingRefused(
                "household_limit",
                _("Husstanden har alt %(n)s booking(ar) av dette slaget i %(year)s, som er grensa.")
                % {"n": resource.per_household_per_season, "year": year},
            )
    return units
