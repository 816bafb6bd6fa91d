"""The invoice basis (fakturagrunnlag) for the finance system: one row per stay to invoice
and per cancellation that costs a fee, as a CSV file that Excel in Norway opens as it is
(semicolon between columns, decimal comma, UTF-8 with a byte-order mark).

The finance system invoices; we only say what to invoice. A stay is invoiced once it has
ended (the booking e-mail says «faktura blir send etter leigeperioden»), a cancellation fee
on the day of the cancellation (the BookingEvent «cancelled» keeps the fee the terms gave)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TextIO

from django.utils.translation import gettext as _

from tenestetorget.booking.models import BookerKind, Booking, BookingEvent, Status
from tenestetorget.booking.rules import local_moment
from tenestetorget.core.calendar import to_local

#: The columns, in the order the finance system reads them. The last one is ours: it tells a
#: cancellation fee from a stay (empty for a stay), after the columns it expects.
COLUMNS = (
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
)

CENT = Decimal("0.01")


@dataclass(frozen=True)
class InvoiceRow:
    invoice_date: dt.date
    customer_name: str
    organisation: str
    email: str
    customer_kind: str
    resource: str
    start: dt.datetime
    end: dt.datetime
    units: int
    unit_price: Decimal
    amount: Decimal
    deposit: Decimal
    booking_number: int
    # Empty for a stay; «Avbestillingsgebyr» for a cancellation fee.
    note: str = ""


def _bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[first 00:00, the day after last 00:00) in Oslo time."""
    return local_moment(first, dt.time(0)), local_moment(last + dt.timedelta(days=1), dt.time(0))


def _kind_label(kind: str) -> str:
    return str(BookerKind(kind).label) if kind in BookerKind.values else kind


def _row(booking: Booking, **values: object) -> InvoiceRow:
    fields: dict[str, object] = {
        "customer_name": booking.booker_name,
        "organisation": booking.organisation,
        "email": booking.booker_email,
        "customer_kind": _kind_label(booking.booker_kind),
        "resource": booking.resource.name,
        "start": to_local(booking.start),
        "end": to_local(booking.end),
        "booking_number": booking.pk,
    }
    fields.update(values)
    return InvoiceRow(**fields)  # type: ignore[arg-type]


def stays(first: dt.date, last: dt.date) -> list[InvoiceRow]:
    """Confirmed bookings whose stay ended in [first, last] (Oslo dates) and that cost
    something: a free booking with no deposit is no invoice."""
    start, end = _bounds(first, last)
    rows = []
    for booking in (
        Booking.objects.filter(status=Status.CONFIRMED, end__gte=start, end__lt=end)
        .select_related("resource")
        .order_by("end", "id")
    ):
        if not booking.price and not booking.deposit:
            continue
        units = max(booking.units, 1)
        rows.append(
            _row(
                booking,
                invoice_date=to_local(booking.end).date(),
                units=units,
                unit_price=(booking.price / units).quantize(CENT, ROUND_HALF_UP),
                amount=booking.price,
                deposit=booking.deposit,
            )
        )
    return rows


def cancellation_fees(first: dt.date, last: dt.date) -> list[InvoiceRow]:
    """Cancellations in [first, last] that cost a fee by the terms (the cancelled event's
    data["fee"], as a decimal string). The deposit is not charged for a stay not taken."""
    start, end = _bounds(first, last)
    rows = []
    for event in (
        BookingEvent.objects.filter(kind="cancelled", at__gte=start, at__lt=end)
        .exclude(data__fee__in=["0", "0.00", ""])
        .select_related("booking", "booking__resource")
        .order_by("at", "id")
    ):
        try:
            fee = Decimal(str(event.data.get("fee", "0")))
        except ArithmeticError:
            continue
        if fee <= 0:
            continue
        rows.append(
            _row(
                event.booking,
                invoice_date=to_local(event.at).date(),
                units=1,
                unit_price=fee,
                amount=fee,
                deposit=Decimal(0),
                note=_("Avbestillingsgebyr"),
            )
        )
    return rows


def invoice_rows(first: dt.date, last: dt.date) -> list[InvoiceRow]:
    """Everything to invoice for [first, last], by invoice date then booking number."""
    return sorted(
        stays(first, last) + cancellation_fees(first, last),
        key=lambda row: (row.invoice_date, row.booking_number, row.note),
    )


def _decimal(amount: Decimal) -> str:
    """Two decimals with a decimal comma and no thousands separator (Excel in Norway reads
    «1234,50» as a number; a space between thousands would make it text)."""
    return f"{amount.quantize(CENT, ROUND_HALF_UP):f}".replace(".", ",")


def _cells(row: InvoiceRow) -> list[str]:
    return [
        f"{row.invoice_date:%d.%m.%Y}",
        row.customer_name,
        row.organisation,
        row.email,
        row.customer_kind,
        row.resource,
        f"{row.start:%d.%m.%Y %H:%M}",
        f"{row.end:%d.%m.%Y %H:%M}",
        str(row.units),
        _decimal(row.unit_price),
        _decimal(row.amount),
        _decimal(row.deposit),
        str(row.booking_number),
        row.note,
    ]


def _safe(cell: str) -> str:
    """A name typed by a guest that starts like a formula («=HYPERLINK(…)») must stay text
    when the file is opened in a spreadsheet (CSV injection)."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def write_csv(rows: Iterable[InvoiceRow], file: TextIO) -> None:
    """The rows as CSV for Excel in Norway: BOM, semicolons, decimal comma, CRLF."""
    file.write("\ufeff")
    writer = csv.writer(file, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for row in rows:
        cells = _cells(row)
        # Only the free-text columns can carry a guest's formula; numbers and dates are ours.
        for index in (1, 2, 3, 5, 13):
            cells[index] = _safe(cells[index])
        writer.writerow(cells)
