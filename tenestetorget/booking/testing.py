"""Resources for tests (and the benchmark): a cabin let by the week to residents, and a
meeting room let by the hour to businesses, with prices, as the demo has them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tenestetorget.booking.models import BookerKind, BookingUnit, Price, Resource, ResourceKind
from tenestetorget.organisation.models import Unit


def unit() -> Unit:
    found, _ = Unit.objects.get_or_create(code="tenestetorget", defaults={"name": "Tenestetorget"})
    return found


def cabin(slug: str = "hytte-test", **changes: object) -> Resource:
    fields: dict[str, object] = {
        "kind": ResourceKind.CABIN,
        "name": "Testhytta",
        "unit": unit(),
        "booking_unit": BookingUnit.NIGHT,
        "min_units": 1,
        "max_units": 7,
        "eligible": [BookerKind.RESIDENT],
        "check_in": dt.time(15),
        "check_out": dt.time(12),
        "free_cancellation_days": 14,
        "deposit": Decimal("500"),
        "capacity": 6,
        "location": "Haukeli",
    }
    fields.update(changes)
    resource = Resource.objects.create(slug=slug, **fields)
    Price.objects.create(
        resource=resource,
        booker_kind=BookerKind.RESIDENT,
        valid_from=dt.date(2020, 1, 1),
        amount=Decimal("350"),
    )
    return resource


def room(slug: str = "rom-test", **changes: object) -> Resource:
    fields: dict[str, object] = {
        "kind": ResourceKind.ROOM,
        "name": "Multimediarommet",
        "unit": unit(),
        "booking_unit": BookingUnit.HOUR,
        "min_units": 1,
        "max_units": 8,
        "eligible": [BookerKind.RESIDENT, BookerKind.CLUB, BookerKind.BUSINESS, BookerKind.STUDENT],
        "check_in": dt.time(8),
        "check_out": dt.time(22),
        "open_weekdays": [0, 1, 2, 3, 4, 5, 6],
        "bookable_from_tomorrow": True,
        "days_ahead_residents": 240,
        "days_ahead_others": 240,
        "free_cancellation_days": 1,
    }
    fields.update(changes)
    resource = Resource.objects.create(slug=slug, **fields)
    for kind, amount in (
        (BookerKind.BUSINESS, "400"),
        (BookerKind.CLUB, "0"),
        (BookerKind.RESIDENT, "100"),
    ):
        Price.objects.create(
            resource=resource,
            booker_kind=kind,
            valid_from=dt.date(2020, 1, 1),
            amount=Decimal(amount),
        )
    return resource
