"""Calendar files (RFC 5545, the icalendar library): one booking for the guest's calendar,
and a resource's bookings as a feed for staff calendars."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from icalendar import Calendar, Event

from tenestetorget.booking.models import Booking, Status

PRODID = "-//Tenestetorget//Utleige//NN"


def _domain() -> str:
    return settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "tenestetorget"


def _event(booking: Booking, *, for_staff: bool, name: str = "") -> Event:
    event = Event()
    event.add("uid", f"booking-{booking.pk}@{_domain()}")
    event.add("dtstamp", booking.created_at)
    event.add("dtstart", booking.start)
    event.add("dtend", booking.end)
    title = name or booking.resource.name
    if for_staff:
        who = booking.organisation or booking.booker_name or booking.note or ""
        label = {"blocked": "Sperra", "pending": "Ventar"}.get(str(booking.status), "")
        title = " – ".join(part for part in (title, label, who) if part)
    event.add("summary", title)
    if booking.resource.location:
        event.add("location", booking.resource.location)
    event.add("status", "TENTATIVE" if booking.status == Status.PENDING else "CONFIRMED")
    return event


def calendar_of(bookings: Iterable[Booking], *, name: str = "", for_staff: bool = False) -> str:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if name:
        calendar.add("x-wr-calname", name)
    for booking in bookings:
        calendar.add_component(_event(booking, for_staff=for_staff, name="" if for_staff else name))
    return calendar.to_ical().decode()


def booking_calendar(booking: Booking) -> str:
    return calendar_of([booking], name=booking.resource.name)
