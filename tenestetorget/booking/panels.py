"""The sender's bookings on the inquiry page (core.panels): staff answering a question about
a booking see the booker's bookings beside it, one click from each."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from tenestetorget.booking.models import Booking
from tenestetorget.organisation import permissions

SHOWN = 10


def sender_bookings(user: Any, email: str) -> SafeString | None:
    if not permissions.is_staff_member(user):
        return None
    bookings = list(
        Booking.objects.filter(booker_email=email.strip().lower())
        .select_related("resource")
        .order_by("-start")[:SHOWN]
    )
    if not bookings:
        return None
    html = render_to_string("booking/_sender_bookings.html", {"bookings": bookings})
    # Our own template, rendered with autoescape: safe to put in the page as it is.
    return mark_safe(html)
