"""The staff's booking pages: who may look and who may act, the overview (calendar, waiting
for approval, cleaning) in a fixed number of queries, and every action end to end through
the pages: approve, deny, cancel with its fee, move, block and unblock, book for someone
with a residency override, a series with its skipped dates, a message to the guest, the
lottery and trial housing pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tenestetorget.booking import lottery as draws
from tenestetorget.booking import residency, services, testing, trial_housing
from tenestetorget.booking.models import (
    ApplicationStatus,
    BookerKind,
    Booking,
    BookingEvent,
    ClosedDay,
    EntryStatus,
    Lottery,
    LotteryEntry,
    MovedHere,
    ResourceKind,
    Series,
    Status,
    TrialHousingApplication,
)
from tenestetorget.booking.rules import local_moment, span_for_dates
from tenestetorget.contact import services as contact_services
from tenestetorget.contact.models import Inquiry, MessageKind, OutgoingMessage
from tenestetorget.organisation.models import (
    Channel,
    Queue,
    Role,
    ServiceGuarantee,
    StaffProfile,
    Unit,
)

pytestmark = pytest.mark.django_db

URL = "/tenestetorget/utleige/"
FNR = "01019010046"


@pytest.fixture
def residents() -> None:
    residency.import_register(
        f"fodselsnummer;namn;husstand;adresse\n{FNR};Kari Nordmann;H1;Vinjevegen 1\n"
    )


@pytest.fixture
def staff() -> dict[str, Any]:
    """The front desk, a unit leader and case officers of two other units; the technical
    unit has a queue for water (with its guarantee) that inquiries go to."""
    units = {
        code: Unit.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in [
            ("tenestetorget", "Tenestetorget"),
            ("teknisk", "Teknisk drift"),
            ("plan_bygg", "Plan og bygg"),
        ]
    }
    queue = Queue.objects.create(code="vatn_avlop", unit=units["teknisk"], name="Vatn og avløp")
    ServiceGuarantee.objects.create(queue=queue, channel=Channel.EMAIL, answer_working_days=2)
    people = {}
    for username, role, unit in [
        ("front", Role.FRONT_DESK, "tenestetorget"),
        ("leader", Role.UNIT_LEADER, "teknisk"),
        ("tech", Role.CASE_OFFICER, "teknisk"),
        ("builder", Role.CASE_OFFICER, "plan_bygg"),
    ]:
        user = get_user_model().objects.create_user(username, password="x")
        StaffProfile.objects.create(user=user, unit=units[unit], role=role)
        people[username] = user
    return people


def inquiry_from(email: str, actor: Any) -> Inquiry:
    return contact_services.register_inquiry(
        channel=Channel.EMAIL,
        subject="Kor hentar vi nøkkelen?",
        body="Vi kjem på fredag.",
        sender=contact_services.SenderData(name="Kari Nordmann", email=email),
        queue="vatn_avlop",
        actor=actor,
    )


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def days_ahead(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def kari(email: str = "kari@example.no", name: str = "Kari Nordmann") -> services.Booker:
    return services.Booker(name=name, email=email, kind=BookerKind.RESIDENT, national_id=FNR)


def book_cabin(cabin: Any, arrive: dt.date, nights: int = 2, **booker: Any) -> Booking:
    return services.book(
        cabin, *span_for_dates(cabin, arrive, arrive + dt.timedelta(days=nights)), kari(**booker)
    )


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- who may look, who may act --------------------------------------------------------------


def test_anonymous_are_sent_to_log_in(residents) -> None:
    booking = book_cabin(testing.cabin(needs_approval=True), days_ahead(5))
    for url in (URL, f"{URL}booking/{booking.pk}/", f"{URL}fakturagrunnlag.csv"):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    response = Client().post(f"{URL}booking/{booking.pk}/godkjenn/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert Booking.objects.get(pk=booking.pk).status == Status.PENDING


def test_a_case_officer_of_another_unit_sees_but_cannot_approve(residents, staff) -> None:
    booking = book_cabin(testing.cabin(needs_approval=True), days_ahead(5))
    officer = client_for(staff["builder"])
    overview = page(officer, URL)
    assert "Testhytta" in overview and f'href="{URL}booking/{booking.pk}/"' in overview
    # No buttons to press on a page they may only read.
    assert "godkjenn/" not in overview
    detail = page(officer, f"{URL}booking/{booking.pk}/")
    assert "Kari Nordmann" in detail and "avsla/" not in detail
    assert officer.post(f"{URL}booking/{booking.pk}/godkjenn/").status_code == 403
    assert officer.post(f"{URL}booking/{booking.pk}/avsla/", {"reason": "x"}).status_code == 403
    assert officer.get(f"{URL}ny/").status_code == 403
    assert officer.get(f"{URL}fakturagrunnlag.csv?from=2026-01-01&to=2026-01-31").status_code == 403
    assert Booking.objects.get(pk=booking.pk).status == Status.PENDING


def test_a_unit_leader_may_approve(residents, staff) -> None:
    booking = book_cabin(testing.cabin(needs_approval=True), days_ahead(5))
    response = client_for(staff["leader"]).post(f"{URL}booking/{booking.pk}/godkjenn/")
    assert response.status_code == 302
    assert Booking.objects.get(pk=booking.pk).status == Status.CONFIRMED


def test_posts_need_the_csrf_token(residents, staff) -> None:
    booking = book_cabin(testing.cabin(needs_approval=True), days_ahead(5))
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff["front"])
    assert client.post(f"{URL}booking/{booking.pk}/godkjenn/").status_code == 403
    assert Booking.objects.get(pk=booking.pk).status == Status.PENDING


# --- the overview ------------------------------------------------------------------------------


def test_the_calendar_says_in_words_what_each_day_is(residents, staff) -> None:
    cabin = testing.cabin(needs_approval=True)
    other = testing.cabin("hytte-to", name="Fjellstova")
    pending = book_cabin(cabin, days_ahead(2), nights=1)
    confirmed = book_cabin(other, days_ahead(2), nights=1, email="ola@example.no")
    block = services.block(
        cabin,
        *span_for_dates(cabin, days_ahead(5), days_ahead(6)),
        reason="Nytt tak",
        by=staff["front"],
    )
    ClosedDay.objects.create(resource=other, date=days_ahead(8), reason="Jul")
    html = page(client_for(staff["front"]), URL)
    html = html.split('id="calendar-h"')[1].split('id="pending-h"')[0]
    # A real table: a caption, a column per day, a row header per resource.
    assert "<caption" in html and html.count('<th scope="row">') == 2
    assert html.count('<th scope="col">') == 15
    assert f'href="{URL}booking/{pending.pk}/">Ventar' in html
    assert f'href="{URL}booking/{confirmed.pk}/">Booka' in html
    assert f'href="{URL}booking/{block.pk}/">Sperra' in html
    assert "Stengt</span>" in html
    # The window moves by 14 days either way.
    assert f"?fra={days_ahead(14).isoformat()}" in html
    later = page(client_for(staff["front"]), f"{URL}?fra={days_ahead(14).isoformat()}")
    assert (
        f"booking/{pending.pk}/" not in later.split('id="calendar-h"')[1].split('id="pending-h"')[0]
    )


def test_waiting_list_and_cleaning_with_the_next_arrival(residents, staff) -> None:
    cabin = testing.cabin(needs_approval=True, buffer_minutes=180)
    first = book_cabin(cabin, days_ahead(2), nights=2)
    services.approve(first, by=staff["front"])
    following = book_cabin(cabin, days_ahead(6), nights=1, email="ola@example.no", name="Ola")
    html = page(client_for(staff["front"]), URL)
    waiting = html.split('id="pending-h"')[1].split('id="cleaning-h"')[0]
    assert "Ventar på godkjenning (1)" in html
    assert f"booking/{following.pk}/godkjenn/" in waiting
    assert f"booking/{first.pk}/" not in waiting
    cleaning = html.split('id="cleaning-h"')[1]
    # Checked out at 12:00 on the day of departure; the next guest arrives four days later.
    check_out = days_ahead(4)
    assert f"{check_out:%d.%m.} 12:00" in cleaning
    assert f'href="{URL}booking/{following.pk}/">' in cleaning
    assert f"{days_ahead(6):%d.%m.} 15:00" in cleaning
    assert "180 minutt" in cleaning


def _many_bookings(resources: list[Any], count: int) -> None:
    """`count` bookings over the window, written straight to the table: the overview only
    reads them, and the services would take seconds to make a hundred."""
    now = timezone.now()
    rows = []
    for n in range(count):
        resource = resources[n % len(resources)]
        day = days_ahead(n // len(resources) % 14)
        start = local_moment(day, dt.time(8 + n // (len(resources) * 14)))
        rows.append(
            Booking(
                resource=resource,
                start=start,
                end=start + dt.timedelta(minutes=50),
                hold_until=start + dt.timedelta(minutes=50),
                status=[Status.CONFIRMED, Status.PENDING, Status.BLOCKED][n % 3],
                booker_name=f"Gjest {n}",
                booker_email=f"gjest{n}@example.no",
                booker_kind=BookerKind.BUSINESS,
                organisation="Firma AS",
                units=1,
                price=Decimal("400"),
                created_at=now,
            )
        )
    Booking.objects.bulk_create(rows)


def test_the_overview_takes_the_same_queries_for_10_and_100_bookings(
    staff, django_assert_max_num_queries
) -> None:
    resources = [testing.room(f"rom-{n}", name=f"Rom {n}", buffer_minutes=10) for n in range(3)]
    resources.append(testing.cabin())
    client = client_for(staff["front"])
    _many_bookings(resources[:3], 10)
    client.get(URL)
    with django_assert_max_num_queries(40) as few:
        assert client.get(URL).status_code == 200
    Booking.objects.all().delete()
    _many_bookings(resources[:3], 100)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(URL).content.decode()
    last = Booking.objects.order_by("pk").last()
    assert last is not None and f'href="{URL}booking/{last.pk}/"' in html


# --- actions on one booking -----------------------------------------------------------------------


def test_approve_from_the_overview_comes_back_to_it(residents, staff) -> None:
    booking = book_cabin(testing.cabin(needs_approval=True), days_ahead(5))
    client = client_for(staff["front"])
    response = client.post(
        f"{URL}booking/{booking.pk}/godkjenn/", {"next": f"{URL}?fra=2030-01-01"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"{URL}?fra=2030-01-01"
    assert "er godkjend" in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == Status.CONFIRMED
    event = BookingEvent.objects.get(booking=booking, kind="approved")
    assert event.by == staff["front"]
    assert OutgoingMessage.objects.filter(
        data__booking=booking.pk, kind=MessageKind.BOOKING_CONFIRMATION
    ).exists()
    # A second press: the rules refuse, and the page says so.
    again = client.post(f"{URL}booking/{booking.pk}/godkjenn/", follow=True)
    assert "ventar ikkje på godkjenning" in again.content.decode()


def test_an_outside_next_address_is_ignored(residents, staff) -> None:
    booking = book_cabin(testing.cabin(needs_approval=True), days_ahead(5))
    response = client_for(staff["front"]).post(
        f"{URL}booking/{booking.pk}/godkjenn/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"{URL}booking/{booking.pk}/"


def test_deny_needs_a_reason_and_tells_the_guest(residents, staff) -> None:
    booking = book_cabin(testing.cabin(needs_approval=True), days_ahead(5))
    client = client_for(staff["front"])
    empty = client.post(f"{URL}booking/{booking.pk}/avsla/", {"reason": " "})
    assert empty.status_code == 400
    assert "Skriv kvifor bookinga blir avslått" in empty.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == Status.PENDING
    client.post(f"{URL}booking/{booking.pk}/avsla/", {"reason": "Hytta skal målast"})
    assert Booking.objects.get(pk=booking.pk).status == Status.DENIED
    assert BookingEvent.objects.get(booking=booking, kind="denied").data["reason"] == (
        "Hytta skal målast"
    )
    denied = OutgoingMessage.objects.get(data__booking=booking.pk, kind=MessageKind.BOOKING_DENIED)
    assert "Hytta skal målast" in denied.body
    detail = page(client, f"{URL}booking/{booking.pk}/")
    assert "Grunn: Hytta skal målast" in detail


def test_cancel_shows_the_fee_and_records_it(residents, staff) -> None:
    # 14 days of free cancellation; five days ahead costs the price of two nights.
    booking = book_cabin(testing.cabin(), days_ahead(5))
    client = client_for(staff["front"])
    detail = page(client, f"{URL}booking/{booking.pk}/")
    assert "Avbestilling no kostar 700,00 kr" in detail
    response = client.post(f"{URL}booking/{booking.pk}/avbestill/", follow=True)
    assert "Gebyret er 700,00 kr" in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == Status.CANCELLED
    assert BookingEvent.objects.get(booking=booking, kind="cancelled").data["fee"] == "700.00"


def test_move_to_a_free_period_and_refused_onto_a_taken_one(residents, staff) -> None:
    cabin = testing.cabin()
    booking = book_cabin(cabin, days_ahead(20))
    book_cabin(cabin, days_ahead(30), email="ola@example.no", name="Ola")
    client = client_for(staff["front"])
    arrive = days_ahead(24)
    response = client.post(
        f"{URL}booking/{booking.pk}/flytt/",
        {
            "first_day": arrive.isoformat(),
            "last_day": (arrive + dt.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 302
    moved = Booking.objects.get(pk=booking.pk)
    assert moved.start == local_moment(arrive, dt.time(15)) and moved.units == 3
    assert moved.price == Decimal("1050")
    taken = days_ahead(30)
    refused = client.post(
        f"{URL}booking/{booking.pk}/flytt/",
        {"first_day": taken.isoformat(), "last_day": (taken + dt.timedelta(days=1)).isoformat()},
        follow=True,
    )
    assert "Perioden er oppteken" in refused.content.decode()
    assert Booking.objects.get(pk=booking.pk).start == local_moment(arrive, dt.time(15))
    # A form that makes no sense is shown again with what was typed.
    bad = client.post(f"{URL}booking/{booking.pk}/flytt/", {"first_day": arrive.isoformat()})
    assert bad.status_code == 400 and "Skriv dagen gjesten reiser" in bad.content.decode()


def test_block_and_unblock_a_period(staff) -> None:
    cabin = testing.cabin()
    client = client_for(staff["front"])
    first = days_ahead(10)
    response = client.post(
        f"{URL}sperr/",
        {
            "resource": cabin.pk,
            "first_day": first.isoformat(),
            "last_day": (first + dt.timedelta(days=3)).isoformat(),
            "reason": "Vedlikehald: nytt tak",
        },
    )
    block = Booking.objects.get(status=Status.BLOCKED)
    assert response["Location"] == f"{URL}booking/{block.pk}/"
    assert block.note == "Vedlikehald: nytt tak"
    # The block holds its period against the same block again.
    again = client.post(
        f"{URL}sperr/",
        {
            "resource": cabin.pk,
            "first_day": first.isoformat(),
            "last_day": (first + dt.timedelta(days=1)).isoformat(),
            "reason": "Igjen",
        },
    )
    assert again.status_code == 400 and "Perioden er oppteken" in again.content.decode()
    detail = page(client, f"{URL}booking/{block.pk}/")
    assert "Sperring av Testhytta" in detail and "Fjern sperringa" in detail
    client.post(f"{URL}booking/{block.pk}/fjern-sperring/")
    assert Booking.objects.get(pk=block.pk).status == Status.CANCELLED


def _on_behalf(cabin: Any, arrive: dt.date, **changes: str) -> dict[str, Any]:
    data = {
        "resource": cabin.pk,
        "first_day": arrive.isoformat(),
        "last_day": (arrive + dt.timedelta(days=2)).isoformat(),
        "booker_kind": BookerKind.RESIDENT,
        "name": "Nyinnflytta Nilsen",
        "email": "ny@example.no",
        "phone": "91234567",
        "language": "nn",
    }
    data.update(changes)
    return data


def test_book_for_someone_with_a_residency_override(residents, staff) -> None:
    cabin = testing.cabin()
    client = client_for(staff["front"])
    arrive = days_ahead(400)  # beyond how far ahead residents may book: staff are not bound
    refused = client.post(f"{URL}ny/", _on_behalf(cabin, arrive, national_id="02028010047"))
    body = refused.content.decode()
    assert refused.status_code == 400 and "folkeregisteret" in body
    # The fødselsnummer typed is not written back into the page.
    assert "02028010047" not in body
    response = client.post(
        f"{URL}ny/",
        _on_behalf(cabin, arrive, override_reason="Flytta hit i går, ikkje i registeret enno"),
    )
    booking = Booking.objects.get(booker_email="ny@example.no")
    assert response["Location"] == f"{URL}booking/{booking.pk}/"
    assert booking.status == Status.CONFIRMED and booking.created_by == staff["front"]
    assert booking.household == "override:ny@example.no"
    detail = page(client, f"{URL}booking/{booking.pk}/")
    assert "Rekna som innbyggjar av tilsett: Flytta hit i går" in detail
    assert "700,00 kr" in detail and "500,00 kr" in detail


def test_book_for_someone_in_the_register(residents, staff) -> None:
    cabin = testing.cabin()
    arrive = days_ahead(12)
    client_for(staff["front"]).post(
        f"{URL}ny/", _on_behalf(cabin, arrive, national_id=FNR, email="kari@example.no")
    )
    booking = Booking.objects.get(booker_email="kari@example.no")
    assert booking.household == "H1" and booking.residency_override == ""
    assert FNR not in str(Booking.objects.filter(pk=booking.pk).values().get())


def test_a_series_names_the_dates_it_skipped_and_is_cancelled_as_one(staff) -> None:
    room = testing.room()
    client = client_for(staff["front"])
    first = days_ahead(7)
    tuesday = first + dt.timedelta(days=(1 - first.weekday()) % 7)
    ClosedDay.objects.create(date=tuesday + dt.timedelta(days=14), reason="Haustferie")
    response = client.post(
        f"{URL}serie/ny/",
        {
            "resource": room.pk,
            "weekday": "1",
            "start_time": "18:00",
            "end_time": "20:00",
            "first_date": first.isoformat(),
            "last_date": (tuesday + dt.timedelta(days=28)).isoformat(),
            "booker_kind": BookerKind.CLUB,
            "name": "Per Lagleiar",
            "email": "per@laget.no",
            "organisation": "Sjakklubben",
            "language": "nn",
        },
        follow=True,
    )
    html = response.content.decode()
    series = Series.objects.get()
    assert response.redirect_chain[-1][0] == f"{URL}serie/{series.pk}/"
    assert series.bookings.count() == 4
    assert "4 datoar er booka" in html and "1 dato var ikkje ledig" in html
    assert f"{tuesday + dt.timedelta(days=14):%d.%m.%Y}</time>: Det er stengt" in html
    assert "Haustferie" in html
    # Changed as one: every coming Tuesday 18–20 becomes Wednesday 17–19, one e-mail.
    changed = client.post(
        f"{URL}serie/{series.pk}/endre/",
        {"weekday": "2", "start_time": "17:00", "end_time": "19:00"},
        follow=True,
    )
    assert "4 bookingar er endra" in changed.content.decode()
    for moved in series.bookings.all():
        local = timezone.localtime(moved.start)
        assert local.weekday() == 2 and local.hour == 17
        assert timezone.localtime(moved.end).hour == 19
    series.refresh_from_db()
    assert series.weekday == 2 and series.start_time == dt.time(17)
    assert OutgoingMessage.objects.filter(subject__startswith="Endra faste tider").count() == 1
    one = series.bookings.first()
    assert one is not None
    detail = page(client, f"{URL}booking/{one.pk}/")
    assert "Avbestill heile serien" in detail and f"{URL}serie/{series.pk}/" in detail
    cancelled = client.post(f"{URL}booking/{one.pk}/avbestill-serien/", follow=True)
    assert "4 bookingar i serien er avbestilte" in cancelled.content.decode()
    assert not series.bookings.exclude(status=Status.CANCELLED).exists()


def test_contact_the_guest_through_the_outbox(residents, staff) -> None:
    booking = book_cabin(testing.cabin(), days_ahead(5))
    client = client_for(staff["front"])
    response = client.post(
        f"{URL}booking/{booking.pk}/kontakt/",
        {"subject": "Om nøkkelen", "text": "Nøkkelen ligg i nøkkelboksen."},
    )
    assert response.status_code == 302
    message = OutgoingMessage.objects.get(kind=MessageKind.BOOKING_MESSAGE)
    assert message.data == {"booking": booking.pk} and message.to_email == "kari@example.no"
    assert message.created_by == staff["front"]
    detail = page(client, f"{URL}booking/{booking.pk}/")
    assert "Om nøkkelen" in detail
    empty = client.post(f"{URL}booking/{booking.pk}/kontakt/", {"subject": "Tomt", "text": ""})
    assert empty.status_code == 400
    assert 'value="Tomt"' in empty.content.decode()


def test_the_bookers_other_bookings_and_the_inquiries_the_user_may_see(residents, staff) -> None:
    cabin = testing.cabin()
    booking = book_cabin(cabin, days_ahead(5))
    earlier = book_cabin(cabin, days_ahead(40), email="Kari@Example.no")
    stranger = book_cabin(cabin, days_ahead(60), email="ola@example.no", name="Ola")
    inquiry = inquiry_from("kari@example.no", staff["front"])  # to the technical unit's queue
    front = page(client_for(staff["front"]), f"{URL}booking/{booking.pk}/")
    assert f"booking/{earlier.pk}/" in front and f"booking/{stranger.pk}/" not in front
    assert inquiry.reference in front
    # A case officer of another unit sees the booking, but not the technical unit's inquiry.
    builder = page(client_for(staff["builder"]), f"{URL}booking/{booking.pk}/")
    assert inquiry.reference not in builder
    assert "Ingen henvendingar du har tilgang til" in builder
    tech = page(client_for(staff["tech"]), f"{URL}booking/{booking.pk}/")
    assert inquiry.reference in tech
    # And the other way round: the inquiry page's panel (booking.panels) links here.
    inquiry_page = page(
        client_for(staff["front"]), reverse("contact:detail", args=[inquiry.reference])
    )
    assert f'href="{URL}booking/{booking.pk}/"' in inquiry_page


# --- lotteries and trial housing ------------------------------------------------------------


def test_a_lottery_is_made_drawn_and_its_protocol_shown(residents, staff) -> None:
    cabin = testing.cabin()
    client = client_for(staff["front"])
    opens = timezone.localtime() - dt.timedelta(days=2)
    closes = timezone.localtime() + dt.timedelta(days=1)
    week = days_ahead(30)
    response = client.post(
        f"{URL}trekning/",
        {
            "name": "Påske",
            "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
            "confirm_days": "7",
            "wins_per_household": "1",
            "periods-TOTAL_FORMS": "3",
            "periods-INITIAL_FORMS": "0",
            "periods-MIN_NUM_FORMS": "1",
            "periods-MAX_NUM_FORMS": "100",
            "periods-0-resource": str(cabin.pk),
            "periods-0-first_day": week.isoformat(),
            "periods-0-last_day": (week + dt.timedelta(days=7)).isoformat(),
        },
    )
    made = Lottery.objects.get()
    assert response["Location"] == f"{URL}trekning/{made.pk}/"
    period = made.periods.get()
    LotteryEntry.objects.create(
        lottery=made,
        name="Kari Nordmann",
        email="kari@example.no",
        household="H1",
        wishes=[period.pk],
        entered_at=timezone.now(),
    )
    before = page(client, f"{URL}trekning/{made.pk}/")
    assert "Trekninga kan gjerast etter søknadsfristen" in before
    # Too early: the rules refuse and the page says so.
    early = client.post(f"{URL}trekning/{made.pk}/trekk/", follow=True)
    assert "Trekninga kan gjerast etter søknadsfristen" in early.content.decode()
    Lottery.objects.filter(pk=made.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    drawn = client.post(f"{URL}trekning/{made.pk}/trekk/", follow=True).content.decode()
    made.refresh_from_db()
    assert made.drawn_at is not None and made.seed in drawn
    assert "Kontrollert:" in drawn and "Påmelding" in drawn and "H1" in drawn
    entry = made.entries.get()
    assert entry.status == EntryStatus.WON and entry.confirm_by is not None
    assert f"{timezone.localtime(entry.confirm_by):%d.%m.%Y %H:%M}" in drawn
    assert draws.verify(made)


def test_lottery_form_errors_are_shown_with_what_was_typed(staff) -> None:
    response = client_for(staff["front"]).post(
        f"{URL}trekning/",
        {
            "name": "Jakt",
            "opens_at": "2030-01-02T10:00",
            "closes_at": "2030-01-01T10:00",
            "confirm_days": "7",
            "wins_per_household": "1",
            "periods-TOTAL_FORMS": "1",
            "periods-INITIAL_FORMS": "0",
            "periods-MIN_NUM_FORMS": "1",
            "periods-MAX_NUM_FORMS": "100",
        },
    )
    assert response.status_code == 400
    assert "Søknadsfristen må vere etter" in response.content.decode()
    assert not Lottery.objects.exists()


def _application() -> TrialHousingApplication:
    home = testing.cabin(
        "provebustad",
        name="Prøvebustaden",
        kind=ResourceKind.TRIAL_HOUSING,
        booking_unit="month",
        max_units=12,
    )
    return trial_housing.apply(
        resource=home,
        name="Familien Berg",
        email="berg@example.no",
        household="To vaksne og to born",
        reason="Ny jobb i kommunen",
        wanted_from=days_ahead(40),
        wanted_months=3,
    )


def test_trial_housing_from_application_to_follow_up(staff) -> None:
    application = _application()
    client = client_for(staff["front"])
    listing = page(client, f"{URL}provebustad/")
    assert "Familien Berg" in listing
    start = days_ahead(40)
    end = start + relativedelta(months=3)
    # The contract must be whole months of the flat's: the rules refuse, the page says why.
    uneven = client.post(
        f"{URL}provebustad/{application.pk}/godkjenn/",
        {
            "contract_start": start.isoformat(),
            "contract_end": (end + dt.timedelta(days=3)).isoformat(),
            "monthly_rent": "6500",
        },
        follow=True,
    )
    assert "heile månader" in uneven.content.decode()
    client.post(
        f"{URL}provebustad/{application.pk}/godkjenn/",
        {
            "contract_start": start.isoformat(),
            "contract_end": end.isoformat(),
            "monthly_rent": "6500",
            "assessment": "Fyller vilkåra",
        },
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.monthly_rent == Decimal("6500") and application.booking is not None
    client.post(f"{URL}provebustad/{application.pk}/innflytting/")
    client.post(f"{URL}provebustad/{application.pk}/avslutt/")
    response = client.post(
        f"{URL}provebustad/{application.pk}/oppfolging/",
        {"moved_here": MovedHere.YES, "note": "Kjøpte hus i sentrum"},
        follow=True,
    )
    assert "Oppfølginga er lagra" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.FINISHED
    assert application.moved_here == MovedHere.YES
    stats = page(client, f"{URL}provebustad/")
    assert "Del som flytta hit" in stats and "100 %" in stats
    # A step that does not follow from the status is refused with the reason.
    again = client.post(f"{URL}provebustad/{application.pk}/innflytting/", follow=True)
    assert "kan ikkje gjerast no" in again.content.decode()


def test_trial_housing_denied_with_an_assessment(staff) -> None:
    application = _application()
    client = client_for(staff["front"])
    empty = client.post(f"{URL}provebustad/{application.pk}/avsla/", {"assessment": ""})
    assert empty.status_code == 400
    client.post(f"{URL}provebustad/{application.pk}/avsla/", {"assessment": "Ingen plass"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DENIED
    assert (
        client_for(staff["builder"])
        .post(f"{URL}provebustad/{application.pk}/innflytting/")
        .status_code
        == 403
    )
