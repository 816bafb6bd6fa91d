"""Reads for the staff's booking pages (utleige): who may act, the overview (a calendar of
every resource, the list waiting for approval, what needs cleaning when), one booking with
everything about it, and the secret address of each resource's calendar feed.

Each read is a fixed number of queries whatever the number of bookings: rows are fetched as
values in one query per list, related rows joined, the next arrival found by a subquery."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from tenestetorget.booking import availability
from tenestetorget.booking.models import (
    HOLDING,
    Booking,
    BookingEvent,
    BookingUnit,
    Resource,
    Status,
)
from tenestetorget.booking.rules import local_moment
from tenestetorget.contact.models import Inquiry, OutgoingMessage, Sender
from tenestetorget.contact.selectors import visible_inquiries
from tenestetorget.core.calendar import to_local
from tenestetorget.organisation import permissions

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser

#: Days in the overview's calendar window.
WINDOW_DAYS = 14
#: At most this many rows in the overview's lists (waiting for approval, cleaning).
LIST_SIZE = 100
#: The staff feed: bookings from this many days back to this many ahead.
FEED_DAYS_BACK = 30
FEED_DAYS_AHEAD = 400


def can_manage_bookings(user: AnyUser | None) -> bool:
    """Approve, deny, cancel, move, block and book on someone's behalf; the invoice basis,
    lotteries and trial housing: the front desk, unit leaders and administrators. Every
    member of staff may see the booking pages. The rule is organisation.permissions'."""
    return permissions.can_manage_bookings(user)


# --- the calendar feed's secret -----------------------------------------------------------------


def feed_token(resource: Resource) -> str:
    """The secret in a resource's feed address. Calendar apps cannot log in, so the address
    itself is the key: an HMAC of the slug with the site's secret key (a new SECRET_KEY makes
    every old address stop working), no table to keep."""
    key = f"booking-ical:{settings.SECRET_KEY}".encode()
    return hmac.new(key, resource.slug.encode(), hashlib.sha256).hexdigest()[:40]


def feed_token_valid(resource: Resource, token: str) -> bool:
    return hmac.compare_digest(feed_token(resource), token)


def feed_bookings(resource: Resource, now: dt.datetime | None = None) -> QuerySet[Booking]:
    """What the staff feed of one resource holds: every held period (bookings, those waiting
    for approval, blocks) from 30 days back to 400 days ahead."""
    now = now or timezone.now()
    return (
        Booking.objects.filter(
            resource=resource,
            status__in=HOLDING,
            end__gt=now - dt.timedelta(days=FEED_DAYS_BACK),
            start__lt=now + dt.timedelta(days=FEED_DAYS_AHEAD),
        )
        .select_related("resource")
        .order_by("start", "id")
    )


# --- the overview --------------------------------------------------------------------------------


class CellState:
    """What a calendar cell says, in words (the colour only repeats it)."""

    FREE = "free"
    BOOKED = "booked"
    PENDING = "pending"
    BLOCKED = "blocked"
    CLOSED = "closed"


def state_labels() -> dict[str, str]:
    return {
        CellState.FREE: _("Ledig"),
        CellState.BOOKED: _("Booka"),
        CellState.PENDING: _("Ventar"),
        CellState.BLOCKED: _("Sperra"),
        CellState.CLOSED: _("Stengt"),
    }


STATE_OF_STATUS = {
    Status.CONFIRMED: CellState.BOOKED,
    Status.PENDING: CellState.PENDING,
    Status.BLOCKED: CellState.BLOCKED,
}
#: When a day holds several, the cell is named by the first of these it has.
STATE_ORDER = (CellState.BLOCKED, CellState.PENDING, CellState.BOOKED)


@dataclass
class CellBooking:
    pk: int
    state: str
    label: str
    # Who and when, for the link's accessible name and the hourly resources' times.
    who: str
    times: str


@dataclass
class Cell:
    day: dt.date
    state: str
    label: str
    # Some of the day is free (hours, or a changeover day): «delvis».
    partly: bool
    bookings: list[CellBooking] = field(default_factory=list)


@dataclass
class CalendarRow:
    resource: Resource
    cells: list[Cell]


@dataclass
class CleaningRow:
    booking_pk: int
    resource: str
    check_out: dt.datetime
    buffer_minutes: int
    guest: str
    next_arrival: dt.datetime | None
    next_pk: int | None


@dataclass
class Overview:
    first: dt.date
    days: list[dt.date]
    rows: list[CalendarRow]
    pending: list[Booking]
    pending_count: int
    cleaning: list[CleaningRow]

    @property
    def last(self) -> dt.date:
        return self.days[-1]


def active_resources() -> list[Resource]:
    return list(Resource.objects.filter(active=True).order_by("kind", "name", "pk"))


def _day_window(resource: Resource, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The bookable time of a day, as availability.calendar counts it: opening hours, or the
    night from check-in to the next day's check-out."""
    if resource.booking_unit == BookingUnit.HOUR:
        return local_moment(day, resource.check_in), local_moment(day, resource.check_out)
    return (
        local_moment(day, resource.check_in),
        local_moment(day + dt.timedelta(days=1), resource.check_out),
    )


def _who(row: dict[str, Any]) -> str:
    if row["status"] == Status.BLOCKED:
        return str(row["note"] or _("sperra"))[:80]
    return str(row["organisation"] or row["booker_name"])


def calendar_rows(resources: Sequence[Resource], days: list[dt.date]) -> list[CalendarRow]:
    """One row per resource, one cell per day. Three queries: availability.calendar's two
    (held periods and closed days, for free/partly/taken/closed) and the bookings themselves
    (for the status of each and a link to it)."""
    if not resources or not days:
        return []
    first, last = days[0], days[-1]
    states = availability.calendar(resources, first, last)
    start = local_moment(first, dt.time(0))
    end = local_moment(last + dt.timedelta(days=2), dt.time(0))
    by_resource: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in (
        Booking.objects.filter(
            resource__in=[r.pk for r in resources],
            status__in=HOLDING,
            start__lt=end,
            hold_until__gt=start,
        )
        .order_by("resource_id", "start", "id")
        .values(
            "pk",
            "resource_id",
            "start",
            "end",
            "status",
            "booker_name",
            "organisation",
            "note",
        )
    ):
        by_resource[row["resource_id"]].append(dict(row))
    labels = state_labels()
    out = []
    for resource in resources:
        mine = by_resource.get(resource.pk, [])
        day_states = states.get(resource.slug, {})
        hourly = resource.booking_unit == BookingUnit.HOUR
        cells = []
        for day in days:
            opens, closes = _day_window(resource, day)
            touching = [b for b in mine if b["start"] < closes and b["end"] > opens]
            found = [
                CellBooking(
                    pk=b["pk"],
                    state=STATE_OF_STATUS.get(b["status"], CellState.BOOKED),
                    label=labels[STATE_OF_STATUS.get(b["status"], CellState.BOOKED)],
                    who=_who(b),
                    times=(
                        f"{to_local(b['start']):%H:%M}–{to_local(b['end']):%H:%M}" if hourly else ""
                    ),
                )
                for b in touching
            ]
            available = day_states.get(day, availability.DayState.FREE)
            if available == availability.DayState.CLOSED:
                state = CellState.CLOSED
            else:
                present = {b.state for b in found}
                state = next((s for s in STATE_ORDER if s in present), CellState.FREE)
            cells.append(
                Cell(
                    day=day,
                    state=state,
                    label=labels[state],
                    partly=bool(found) and available == availability.DayState.PARTLY,
                    bookings=found,
                )
            )
        out.append(CalendarRow(resource, cells))
    return out


def waiting_for_approval(limit: int = LIST_SIZE) -> QuerySet[Booking]:
    """Bookings waiting for approval, the soonest first (they hold their period meanwhile)."""
    return (
        Booking.objects.filter(status=Status.PENDING)
        .select_related("resource")
        .order_by("start", "id")[:limit]
    )


def cleaning(first: dt.date, last: dt.date, limit: int = LIST_SIZE) -> list[CleaningRow]:
    """Stays that end in [first, last] and the next arrival after each (reinhald). Stays let
    by the hour are left out unless the resource has time set aside for cleaning: a meeting
    room is not cleaned after every meeting. One query: the next arrival is a subquery."""
    start = local_moment(first, dt.time(0))
    end = local_moment(last + dt.timedelta(days=1), dt.time(0))
    following = Booking.objects.filter(
        resource_id=OuterRef("resource_id"),
        status__in=(Status.PENDING, Status.CONFIRMED),
        start__gte=OuterRef("end"),
    ).order_by("start", "id")
    rows = (
        Booking.objects.filter(status=Status.CONFIRMED, end__gte=start, end__lt=end)
        .filter(~Q(resource__booking_unit=BookingUnit.HOUR) | Q(resource__buffer_minutes__gt=0))
        .annotate(
            next_arrival=Subquery(following.values("start")[:1]),
            next_pk=Subquery(following.values("pk")[:1]),
        )
        .order_by("end", "resource__name", "id")
        .values(
            "pk",
            "resource__name",
            "resource__buffer_minutes",
            "end",
            "booker_name",
            "organisation",
            "next_arrival",
            "next_pk",
        )[:limit]
    )
    return [
        CleaningRow(
            booking_pk=row["pk"],
            resource=row["resource__name"],
            check_out=row["end"],
            buffer_minutes=row["resource__buffer_minutes"],
            guest=row["organisation"] or row["booker_name"],
            next_arrival=row["next_arrival"],
            next_pk=row["next_pk"],
        )
        for row in rows
    ]


def overview(first: dt.date, days: int = WINDOW_DAYS) -> Overview:
    window = [first + dt.timedelta(days=n) for n in range(days)]
    resources = active_resources()
    pending = list(waiting_for_approval())
    pending_count = (
        len(pending)
        if len(pending) < LIST_SIZE
        else Booking.objects.filter(status=Status.PENDING).count()
    )
    return Overview(
        first=first,
        days=window,
        rows=calendar_rows(resources, window),
        pending=pending,
        pending_count=pending_count,
        cleaning=cleaning(window[0], window[-1]),
    )


# --- one booking -----------------------------------------------------------------------------


def booking_detail(pk: int) -> Booking | None:
    return Booking.objects.select_related("resource", "series", "created_by").filter(pk=pk).first()


def events_of(booking: Booking) -> list[BookingEvent]:
    return list(booking.events.select_related("by").order_by("at", "id"))


def other_bookings(booking: Booking, limit: int = 20) -> list[Booking]:
    """The booker's other bookings (same e-mail address in any case), newest first.
    Bookings keep the address as typed, so the match ignores case; a municipality's bookings
    are thousands a year, not millions (an index on the lower-cased address would serve)."""
    if not booking.booker_email:
        return []
    return list(
        Booking.objects.filter(booker_email=booking.booker_email)
        .exclude(pk=booking.pk)
        .select_related("resource")
        .order_by("-start", "-id")[:limit]
    )


def inquiries_from(user: AnyUser | None, email: str, limit: int = 10) -> list[Inquiry]:
    """Inquiries from this e-mail address that `user` may see (contact.selectors'
    visible_inquiries), newest first. Found through the sender register, as the inquiry
    page's sender history finds them: the register keeps the address in lower case under an
    index, where Inquiry.sender_email has none (a million inquiries would be read through)."""
    if not email.strip():
        return []
    return list(
        visible_inquiries(user)
        .filter(sender_id__in=Sender.objects.filter(email=email.strip().lower()).values("pk"))
        .order_by("-received_at", "-pk")
        .only("reference", "subject", "status", "received_at")[:limit]
    )


def messages_about(booking: Booking) -> list[OutgoingMessage]:
    """Every e-mail to the guest about this booking (confirmations, notices, staff's own)."""
    return list(
        OutgoingMessage.objects.filter(data__booking=booking.pk).order_by("created_at", "id")
    )
