"""The resident register (imported, replaced, never holding the number) and the booking's
clock (arrival information once, the stay's end recorded once, with thanks)."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from tenestetorget.booking import reminders, residency, services, testing
from tenestetorget.booking.models import BookerKind, Booking, BookingEvent, Resident
from tenestetorget.booking.rules import span_for_dates
from tenestetorget.contact.models import OutgoingMessage

pytestmark = pytest.mark.django_db

FNR = "01019010046"
OTHER = "02028010047"


def test_the_register_is_imported_by_command_replaced_whole_and_bad_lines_named(
    tmp_path: Path,
) -> None:
    first = tmp_path / "a.csv"
    first.write_text(
        f"fodselsnummer;namn;husstand;adresse\n{FNR};Kari;H1;Vegen 1\n12345678901;Feil;H9;\n"
    )
    out = StringIO()
    call_command("booking", "import-residents", str(first), stdout=out)
    assert json.loads(out.getvalue()) == {"imported": 1, "skipped": ["line 3"]}
    assert residency.check().household_of(FNR) == "H1"
    assert FNR not in json.dumps(list(Resident.objects.values()), default=str)
    # The next extract replaces the register: Kari has moved away, Olav has come.
    second = tmp_path / "b.csv"
    second.write_text(f"fodselsnummer,namn,husstand,adresse\n{OTHER},Olav,H2,Vegen 2\n")
    call_command("booking", "import-residents", str(second), stdout=StringIO())
    assert residency.check().household_of(FNR) is None
    assert residency.check().household_of(OTHER) == "H2"


def test_arrival_information_goes_once_before_arrival_and_thanks_once_after(settings) -> None:
    residency.import_register(f"fodselsnummer;namn;husstand\n{FNR};Kari;H1\n")
    cabin = testing.cabin(arrival_info="Nøkkelen ligg i boksen, kode 1234.")
    arrive = timezone.localdate() + dt.timedelta(days=10)
    start, end = span_for_dates(cabin, arrive, arrive + dt.timedelta(days=2))
    booker = services.Booker("Kari", "kari@example.no", BookerKind.RESIDENT, national_id=FNR)
    booking = services.book(cabin, start, end, booker)

    assert reminders.sweep(now=start - dt.timedelta(days=5)) == (0, 0)
    assert reminders.sweep(now=start - dt.timedelta(days=2)) == (1, 0)
    assert reminders.sweep(now=start - dt.timedelta(days=1)) == (0, 0)
    arrival = OutgoingMessage.objects.get(kind="booking_arrival")
    assert "kode 1234" in arrival.body

    assert reminders.sweep(now=end + dt.timedelta(hours=1)) == (0, 1)
    assert reminders.sweep(now=end + dt.timedelta(hours=2)) == (0, 0)
    assert BookingEvent.objects.filter(booking=booking, kind="stay_ended").count() == 1
    assert OutgoingMessage.objects.filter(kind="booking_thanks").count() == 1
    assert Booking.objects.get(pk=booking.pk).ended_recorded_at is not None
