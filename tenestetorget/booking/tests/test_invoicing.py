"""The invoice basis (fakturagrunnlag): which stays and cancellation fees are in a period,
the columns, and a file Excel in Norway opens as it is (BOM, semicolons, decimal comma)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from tenestetorget.booking import invoicing, residency, services, testing
from tenestetorget.booking.models import BookerKind, Booking, BookingEvent, Status
from tenestetorget.booking.rules import local_moment, span_for_dates
from tenestetorget.organisation.models import Role, StaffProfile

pytestmark = pytest.mark.django_db

FNR = "01019010046"


@pytest.fixture
def residents() -> None:
    residency.import_register(
        f"fodselsnummer;namn;husstand;adresse\n{FNR};Kari Nordmann;H1;Vinjevegen 1\n"
    )


def stay(resource: Any, start: dt.datetime, end: dt.datetime, **fields: Any) -> Booking:
    """A stay as it is once it has happened (the services refuse periods in the past)."""
    values: dict[str, Any] = {
        "resource": resource,
        "start": start,
        "end": end,
        "hold_until": end,
        "status": Status.CONFIRMED,
        "booker_name": "Kari Nordmann",
        "booker_email": "kari@example.no",
        "booker_phone": "91234567",
        "booker_kind": BookerKind.RESIDENT,
        "household": "H1",
        "units": 2,
        "price": Decimal("700"),
        "deposit": Decimal("500"),
        "created_at": start - dt.timedelta(days=30),
    }
    values.update(fields)
    return Booking.objects.create(**values)


def test_stays_that_ended_in_the_period_with_every_column() -> None:
    cabin = testing.cabin()
    room = testing.room()
    inside = stay(cabin, *span_for_dates(cabin, dt.date(2026, 2, 27), dt.date(2026, 3, 1)))
    # Ends the day after the period: next month's invoice.
    stay(cabin, *span_for_dates(cabin, dt.date(2026, 3, 30), dt.date(2026, 4, 1)))
    # Ends on the first day of the period, at 00:30 Oslo time (still March the 1st).
    midnight = local_moment(dt.date(2026, 3, 1), dt.time(0, 30))
    business = stay(
        room,
        midnight - dt.timedelta(hours=3),
        midnight,
        booker_name='=HYPERLINK("x")',
        booker_kind=BookerKind.BUSINESS,
        organisation="Firma AS",
        booker_email="per@firma.no",
        units=3,
        price=Decimal("1000"),
        deposit=Decimal(0),
    )
    # Free and without a deposit: nothing to invoice. Pending, cancelled: not stays.
    stay(room, midnight, midnight + dt.timedelta(hours=1), price=Decimal(0), deposit=Decimal(0))
    stay(
        cabin,
        *span_for_dates(cabin, dt.date(2026, 3, 10), dt.date(2026, 3, 12)),
        status=Status.PENDING,
    )
    stay(
        cabin,
        *span_for_dates(cabin, dt.date(2026, 3, 13), dt.date(2026, 3, 15)),
        status=Status.CANCELLED,
    )
    rows = invoicing.invoice_rows(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert [r.booking_number for r in rows] == sorted([inside.pk, business.pk])
    first = next(r for r in rows if r.booking_number == inside.pk)
    assert first.invoice_date == dt.date(2026, 3, 1)
    assert (first.customer_name, first.email, first.customer_kind) == (
        "Kari Nordmann",
        "kari@example.no",
        "Innbyggjar",
    )
    assert first.resource == "Testhytta" and first.units == 2
    assert (first.unit_price, first.amount, first.deposit) == (
        Decimal("350.00"),
        Decimal("700"),
        Decimal("500"),
    )
    assert first.start == local_moment(dt.date(2026, 2, 27), dt.time(15))
    other = next(r for r in rows if r.booking_number == business.pk)
    # 1000 over three hours: the unit price rounded to øre.
    assert other.unit_price == Decimal("333.33") and other.organisation == "Firma AS"


def test_a_cancellation_with_a_fee_is_a_row_and_a_free_one_is_not(residents) -> None:
    cabin = testing.cabin()  # free cancellation until 14 days before
    friday = timezone.localdate() + dt.timedelta(days=5)
    late = services.book(
        cabin,
        *span_for_dates(cabin, friday, friday + dt.timedelta(days=2)),
        services.Booker("Kari Nordmann", "kari@example.no", BookerKind.RESIDENT, national_id=FNR),
    )
    services.cancel(late)
    early_day = timezone.localdate() + dt.timedelta(days=40)
    early = services.book(
        cabin,
        *span_for_dates(cabin, early_day, early_day + dt.timedelta(days=2)),
        services.Booker("Kari Nordmann", "kari@example.no", BookerKind.RESIDENT, national_id=FNR),
    )
    services.cancel(early)
    assert BookingEvent.objects.get(booking=early, kind="cancelled").data["fee"] == "0"
    today = timezone.localdate()
    rows = invoicing.invoice_rows(today, today)
    assert [r.booking_number for r in rows] == [late.pk]
    fee = rows[0]
    assert fee.invoice_date == today and fee.note == "Avbestillingsgebyr"
    assert (fee.units, fee.unit_price, fee.amount, fee.deposit) == (
        1,
        Decimal("700.00"),
        Decimal("700.00"),
        Decimal(0),
    )
    # The booked period is named, so that finance can tell which stay the fee is for.
    assert fee.start.date() == friday
    assert invoicing.invoice_rows(today + dt.timedelta(days=1), today + dt.timedelta(days=9)) == []


def test_the_csv_is_what_excel_in_norway_opens() -> None:
    cabin = testing.cabin()
    booking = stay(
        cabin,
        *span_for_dates(cabin, dt.date(2026, 3, 6), dt.date(2026, 3, 8)),
        booker_name="Åse Ødegård; Bø",
        price=Decimal("1234.5"),
        units=2,
    )
    formula = stay(
        cabin,
        *span_for_dates(cabin, dt.date(2026, 3, 9), dt.date(2026, 3, 10)),
        booker_name="=1+2",
        units=1,
    )
    out = io.StringIO()
    invoicing.write_csv(invoicing.invoice_rows(dt.date(2026, 3, 1), dt.date(2026, 3, 31)), out)
    text = out.getvalue()
    assert text.startswith("\ufeff") and "\r\n" in text
    data = text.encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == [
        "fakturadato",
        "kundenamn",
        "organisasjon",
        "e-post",
        "kundetype",
        "ressurs",
        "frå",
        "til",
        "einingar",
        "einingspris",
        "beløp",
        "depositum",
        "bookingnummer",
        "merknad",
    ]
    assert rows[1] == [
        "08.03.2026",
        "Åse Ødegård; Bø",
        "",
        "kari@example.no",
        "Innbyggjar",
        "Testhytta",
        "06.03.2026 15:00",
        "08.03.2026 12:00",
        "2",
        "617,25",
        "1234,50",
        "500,00",
        str(booking.pk),
        "",
    ]
    # The semicolon inside the name is quoted, not a new column.
    assert '"Åse Ødegård; Bø"' in text
    # A name that looks like a formula stays text in a spreadsheet.
    assert rows[2][1] == "'=1+2" and rows[2][12] == str(formula.pk)


def test_the_download_is_for_those_who_manage_bookings() -> None:
    cabin = testing.cabin()
    stay(cabin, *span_for_dates(cabin, dt.date(2026, 3, 6), dt.date(2026, 3, 8)))
    users = get_user_model()
    desk = users.objects.create_user("desk", password="x")
    StaffProfile.objects.create(user=desk, unit=testing.unit(), role=Role.FRONT_DESK)
    officer = users.objects.create_user("officer", password="x")
    StaffProfile.objects.create(user=officer, unit=testing.unit(), role=Role.CASE_OFFICER)
    url = "/tenestetorget/utleige/fakturagrunnlag.csv?from=2026-03-01&to=2026-03-31"
    client = Client()
    client.force_login(officer)
    assert client.get(url).status_code == 403
    client.force_login(desk)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="fakturagrunnlag-20260301-20260331.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbffakturadato;")
    assert "Kari Nordmann" in response.content.decode("utf-8-sig")
    bad = client.get(
        "/tenestetorget/utleige/fakturagrunnlag.csv?from=2026-03-31&to=2026-03-01", follow=True
    )
    assert "Til-datoen må vere etter frå-datoen" in bad.content.decode()
