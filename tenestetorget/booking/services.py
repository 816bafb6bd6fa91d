"""Every write of a booking: book, approve, deny, cancel, move, block, and series.

No double bookings: every write that holds a period takes the resource's row lock first
(an UPDATE of `Resource.version`, which on SQLite also takes the database's one write lock,
since transactions there begin IMMEDIATE), then looks for an overlapping booking, then
inserts. On PostgreSQL the exclusion constraint (migration 0002) is the final word: an
insert that slips past the look-up fails there, and is answered as a taken period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tenestetorget.booking import notices, residency
from tenestetorget.booking.availability import overlapping
from tenestetorget.booking.models import (
    BookerKind,
    Booking,
    BookingEvent,
    Price,
    Resource,
    Series,
    Status,
)
from tenestetorget.booking.rules import BookingRefused, PeriodTaken, Proposal, check, units_of
from tenestetorget.core.calendar import OSLO, to_local
from tenestetorget.organisation import permissions


@dataclass(frozen=True)
class Booker:
    """Who books. The fødselsnummer of a resident is checked against the residency check
    and then forgotten: the booking keeps the household, never the number."""

    name: str
    email: str
    kind: str
    phone: str = ""
    organisation: str = ""
    # Never in a repr (error reports, logs).
    national_id: str = field(default="", repr=False)
    language: str = "nn"


def price_for(resource: Resource, booker_kind: str, start: dt.datetime, units: int) -> Decimal:
    """The price list valid on the first day, for this kind of booker, times the units."""
    day = to_local(start).date()
    price = (
        Price.objects.filter(resource=resource, booker_kind=booker_kind, valid_from__lte=day)
        .order_by("-valid_from")
        .values_list("amount", flat=True)
        .first()
    )
    return (price or Decimal(0)) * units


def _household(booker: Booker, by: Any, override_reason: str) -> str:
    if booker.kind != BookerKind.RESIDENT:
        return f"email:{booker.email.strip().lower()}"
    household = residency.check().household_of(booker.national_id) if booker.national_id else None
    if household:
        return household
    if override_reason.strip() and permissions.is_staff_member(by):
        return f"override:{booker.email.strip().lower()}"
    raise BookingRefused(
        "not_resident",
        _(
            "Vi finn ikkje fødselsnummeret i folkeregisteret for kommunen, så du kan ikkje "
            "booke som innbyggjar. Er du busett her, ta kontakt med Tenestetorget."
        ),
    )


def _validate_booker(booker: Booker) -> None:
    if not booker.name.strip():
        raise BookingRefused("name", _("Skriv namnet ditt."))
    if "@" not in booker.email or len(booker.email) > 254:
        raise BookingRefused("email", _("Skriv ei gyldig e-postadresse."))
    if booker.kind not in BookerKind.values:
        raise BookingRefused("booker_kind", _("Ukjend slag leigetakar."))
    if booker.kind in (BookerKind.CLUB, BookerKind.BUSINESS) and not booker.organisation.strip():
        raise BookingRefused("organisation", _("Skriv namnet på laget eller verksemda."))


def _event(booking: Booking, kind: str, by: Any = None, **data: Any) -> None:
    BookingEvent.objects.create(
        booking=booking,
        kind=kind,
        data=data,
        by=by if getattr(by, "is_authenticated", False) else None,
        at=timezone.now(),
    )


def _lock(resource: Resource) -> None:
    Resource.objects.filter(pk=resource.pk).update(version=F("version") + 1)


def _insert(booking: Booking) -> Booking:
    if overlapping(booking.resource, booking.start, booking.hold_until).exists():
        raise PeriodTaken()
    try:
        with transaction.atomic():
            booking.save(force_insert=True)
    except IntegrityError as error:  # the exclusion constraint (PostgreSQL)
        raise PeriodTaken() from error
    return booking


def book(
    resource: Resource,
    start: dt.datetime,
    end: dt.datetime,
    booker: Booker,
    *,
    by: Any = None,
    override_reason: str = "",
    series: Series | None = None,
    now: dt.datetime | None = None,
    check_rules: bool = True,
    notify: bool = True,
) -> Booking:
    """Book a period for a booker: checked against the resource's rules, priced, held
    against every other booking, and confirmed by e-mail (or received, when it waits for
    approval; it holds its period meanwhile). Raises BookingRefused (PeriodTaken when held)."""
    now = now or timezone.now()
    _validate_booker(booker)
    household = _household(booker, by, override_reason)
    by_staff = permissions.is_staff_member(by)
    proposal = Proposal(resource, start, end, booker.kind, household, by_staff=by_staff)
    units = check(proposal, now=now) if check_rules else units_of(resource, start, end)
    hold_until = end + dt.timedelta(minutes=resource.buffer_minutes)
    with transaction.atomic():
        _lock(resource)
        booking = _insert(
            Booking(
                resource=resource,
                start=start,
                end=end,
                hold_until=hold_until,
                status=Status.PENDING
                if resource.needs_approval and not by_staff
                else Status.CONFIRMED,
                booker_name=booker.name.strip()[:200],
                # Lower case, as the «mine bookingar» link and the look-ups by address have it.
                booker_email=booker.email.strip().lower(),
                booker_phone=booker.phone.strip()[:40],
                booker_kind=booker.kind,
                organisation=booker.organisation.strip()[:200],
                household=household,
                residency_override=override_reason.strip()[:300]
                if household.startswith("override:")
                else "",
                units=units,
                price=price_for(resource, booker.kind, start, units),
                deposit=resource.deposit,
                language=booker.language if booker.language in ("nn", "nb", "en") else "nn",
                series=series,
                created_by=by if getattr(by, "is_authenticated", False) else None,
                created_at=now,
            )
        )
        _event(booking, "created", by, status=booking.status)
        if notify:
            notices.booked(booking)
    return booking


def approve(booking: Booking, *, by: Any) -> Booking:
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.status != Status.PENDING:
            raise BookingRefused("not_pending", _("Bookinga ventar ikkje på godkjenning."))
        locked.status = Status.CONFIRMED
        locked.save(update_fields=["status"])
        _event(locked, "approved", by)
        notices.booked(locked)
    return locked


def deny(booking: Booking, *, by: Any, reason: str = "") -> Booking:
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.status != Status.PENDING:
            raise BookingRefused("not_pending", _("Bookinga ventar ikkje på godkjenning."))
        locked.status = Status.DENIED
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["status", "cancelled_at"])
        _event(locked, "denied", by, reason=reason)
        notices.denied(locked, reason)
    return locked


def cancellation_fee(booking: Booking, now: dt.datetime | None = None) -> Decimal:
    """Free until the resource's free-cancellation days before the start; then the price."""
    now = now or timezone.now()
    if booking.status != Status.CONFIRMED:
        return Decimal(0)  # never confirmed (still waiting for approval): nothing to pay
    days = booking.resource.free_cancellation_days
    return Decimal(0) if booking.start - now >= dt.timedelta(days=days) else booking.price


def cancel(
    booking: Booking, *, by: Any = None, now: dt.datetime | None = None, notify: bool = True
) -> Booking:
    """Cancel within the terms: a guest may cancel until the start; staff at any time."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Booking.objects.select_for_update().select_related("resource").get(pk=booking.pk)
        if locked.status not in (Status.PENDING, Status.CONFIRMED):
            raise BookingRefused("not_active", _("Bookinga er ikkje aktiv."))
        if locked.start <= now and not permissions.is_staff_member(by):
            raise BookingRefused(
                "started",
                _(
                    "Ei booking som har byrja, kan ikkje avbestillast her. "
                    "Ta kontakt med Tenestetorget."
                ),
            )
        fee = cancellation_fee(locked, now)
        locked.status = Status.CANCELLED
        locked.cancelled_at = now
        locked.save(update_fields=["status", "cancelled_at"])
        _event(locked, "cancelled", by, fee=str(fee))
        if notify:
            notices.cancelled(locked, fee)
    return locked


def move(
    booking: Booking, start: dt.datetime, end: dt.datetime, *, by: Any = None, notify: bool = True
) -> Booking:
    """Move or change a booking to another period of the same resource, by the same rules
    (staff are not bound by how far ahead); the old period is free once the new one holds."""
    now = timezone.now()
    with transaction.atomic():
        resource = booking.resource
        _lock(resource)
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.status not in (Status.PENDING, Status.CONFIRMED):
            raise BookingRefused("not_active", _("Bookinga er ikkje aktiv."))
        if locked.start <= now and not permissions.is_staff_member(by):
            raise BookingRefused("started", _("Ei booking som har byrja, kan ikkje endrast her."))
        proposal = Proposal(
            resource,
            start,
            end,
            locked.booker_kind,
            locked.household,
            by_staff=permissions.is_staff_member(by),
        )
        units = check(proposal, now=now, exclude=locked.pk)
        hold_until = end + dt.timedelta(minutes=resource.buffer_minutes)
        if overlapping(resource, start, hold_until).exclude(pk=locked.pk).exists():
            raise PeriodTaken()
        old = (locked.start.isoformat(), locked.end.isoformat())
        locked.start, locked.end, locked.hold_until = start, end, hold_until
        locked.units = units
        locked.price = price_for(resource, locked.booker_kind, start, units)
        try:
            with transaction.atomic():
                locked.save(update_fields=["start", "end", "hold_until", "units", "price"])
        except IntegrityError as error:
            raise PeriodTaken() from error
        _event(locked, "moved", by, previous=old)
        if notify:
            notices.booked(locked, changed=True)
    return locked


def block(
    resource: Resource, start: dt.datetime, end: dt.datetime, *, reason: str, by: Any
) -> Booking:
    """Block a period (maintenance, the municipality's own use): held like a booking."""
    if end <= start:
        raise BookingRefused("invalid_period", _("Slutten må kome etter starten."))
    with transaction.atomic():
        _lock(resource)
        booking = _insert(
            Booking(
                resource=resource,
                start=start,
                end=end,
                hold_until=end,
                status=Status.BLOCKED,
                note=reason[:2000],
                created_by=by if getattr(by, "is_authenticated", False) else None,
                created_at=timezone.now(),
            )
        )
        _event(booking, "blocked", by, reason=reason)
    return booking


def unblock(booking: Booking, *, by: Any) -> None:
    with transaction.atomic():
        if booking.status != Status.BLOCKED:
            raise BookingRefused("not_blocked", _("Dette er ikkje ei sperring."))
        booking.status = Status.CANCELLED
        booking.cancelled_at = timezone.now()
        booking.save(update_fields=["status", "cancelled_at"])
        _event(booking, "unblocked", by)


@dataclass
class SeriesResult:
    series: Series
    booked: list[Booking]
    # The dates that could not be booked, with why (taken, closed …).
    skipped: list[tuple[dt.date, str]]


def book_series(
    resource: Resource,
    *,
    weekday: int,
    start_time: dt.time,
    end_time: dt.time,
    first_date: dt.date,
    last_date: dt.date,
    booker: Booker,
    by: Any,
) -> SeriesResult:
    """Recurring bookings (every Tuesday 18–20 this autumn) as one series, booked by staff;
    the dates that are taken or closed are skipped and named, the rest are booked."""
    if last_date < first_date or (last_date - first_date).days > 366:
        raise BookingRefused("series_period", _("Ein serie kan vare høgst eitt år."))
    if not permissions.is_staff_member(by):
        raise BookingRefused("staff_only", _("Seriar blir lagde av Tenestetorget."))
    with transaction.atomic():
        series = Series.objects.create(
            resource=resource,
            weekday=weekday,
            start_time=start_time,
            end_time=end_time,
            first_date=first_date,
            last_date=last_date,
        )
        booked: list[Booking] = []
        skipped: list[tuple[dt.date, str]] = []
        day = first_date + dt.timedelta(days=(weekday - first_date.weekday()) % 7)
        while day <= last_date:
            start = dt.datetime.combine(day, start_time, tzinfo=OSLO)
            end = dt.datetime.combine(day, end_time, tzinfo=OSLO)
            try:
                with transaction.atomic():
                    booked.append(
                        book(resource, start, end, booker, by=by, series=series, notify=False)
                    )
            except BookingRefused as refused:
                skipped.append((day, refused.message))
            day += dt.timedelta(days=7)
        if booked:
            notices.series_booked(series, booked, skipped)
    return SeriesResult(series, booked, skipped)


def cancel_series(series: Series, *, by: Any) -> int:
    """Cancel every booking of the series that has not started."""
    now = timezone.now()
    count = 0
    with transaction.atomic():
        for booking in series.bookings.filter(
            status__in=(Status.PENDING, Status.CONFIRMED), start__gt=now
        ):
            cancel(booking, by=by, now=now, notify=False)
            count += 1
    return count


def change_series(
    series: Series,
    *,
    weekday: int,
    start_time: dt.time,
    end_time: dt.time,
    by: Any,
) -> SeriesResult:
    """Change every booking of the series that has not started to another weekday (in the
    same week) or other hours, as one: each is moved by the same rules as a single move; one
    that cannot be (taken, closed) stays as it was and is named with why. The booker gets
    one e-mail with the new times."""
    if not permissions.can_manage_bookings(by):
        raise BookingRefused("staff_only", _("Seriar blir endra av Tenestetorget."))
    if not 0 <= weekday <= 6 or end_time <= start_time:
        raise BookingRefused("invalid_period", _("Slutten må kome etter starten."))
    now = timezone.now()
    moved: list[Booking] = []
    skipped: list[tuple[dt.date, str]] = []
    with transaction.atomic():
        coming = series.bookings.filter(
            status__in=(Status.PENDING, Status.CONFIRMED), start__gt=now
        ).select_related("resource")
        for booking in coming.order_by("start"):
            old_day = to_local(booking.start).date()
            day = old_day + dt.timedelta(days=weekday - old_day.weekday())
            start = dt.datetime.combine(day, start_time, tzinfo=OSLO)
            end = dt.datetime.combine(day, end_time, tzinfo=OSLO)
            try:
                with transaction.atomic():
                    moved.append(move(booking, start, end, by=by, notify=False))
            except BookingRefused as refused:
                skipped.append((old_day, refused.message))
        series.weekday, series.start_time, series.end_time = weekday, start_time, end_time
        series.save(update_fields=["weekday", "start_time", "end_time"])
        if moved:
            notices.series_booked(series, moved, skipped, changed=True)
    return SeriesResult(series, moved, skipped)
