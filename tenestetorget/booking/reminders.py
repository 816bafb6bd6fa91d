"""The booking's clock, run from the worker's sweep every half minute: key and arrival
information the resource's days before arrival, and when a stay has ended, the `stay_ended`
event (which the user survey will read) and a thank-you e-mail. Each is marked on the
booking in the same transaction as its e-mail is stored, so a second sweep sends nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tenestetorget.booking import lottery, notices
from tenestetorget.booking.models import Booking, BookingEvent, Resource, Status

BATCH = 200


def sweep(now: dt.datetime | None = None) -> tuple[int, int]:
    """(arrival notices sent, stays ended) this time; and the lotteries' deadlines and
    waiting lists moved on (booking.lottery.advance)."""
    now = now or timezone.now()
    lottery.advance(now)
    arrivals = 0
    # One query per distinct notice (a handful: the resources' settings), since a number of
    # days times an interval is not portable SQL.
    due: list[Booking] = []
    for days in Resource.objects.values_list("arrival_notice_days", flat=True).distinct():
        due += list(
            Booking.objects.filter(
                status=Status.CONFIRMED,
                arrival_sent_at__isnull=True,
                start__gt=now,
                start__lte=now + dt.timedelta(days=days),
                resource__arrival_notice_days=days,
            ).select_related("resource")[:BATCH]
        )
    for booking in due:
        with transaction.atomic():
            if Booking.objects.filter(pk=booking.pk, arrival_sent_at__isnull=True).update(
                arrival_sent_at=now
            ):
                notices.arrival(booking)
                arrivals += 1
    ended = 0
    finished = Booking.objects.filter(
        status=Status.CONFIRMED, ended_recorded_at__isnull=True, end__lte=now
    ).select_related("resource")[:BATCH]
    for stay in finished:
        with transaction.atomic():
            if Booking.objects.filter(pk=stay.pk, ended_recorded_at__isnull=True).update(
                ended_recorded_at=now
            ):
                BookingEvent.objects.create(
                    booking=stay,
                    kind="stay_ended",
                    data={"resource": stay.resource.slug, "booker_kind": stay.booker_kind},
                    at=now,
                )
                notices.thanks(stay)
                ended += 1
    return arrivals, ended
