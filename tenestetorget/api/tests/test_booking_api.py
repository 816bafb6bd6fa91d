"""The booking API (/api/v1/booking/): public resources and availability, booking by the
public and by staff, refusals with their codes, staff-only reading, listing and cancelling,
and the fødselsnummer that never comes back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from tenestetorget.api import authentication
from tenestetorget.api.booking import PUBLIC_BOOKING_RATE
from tenestetorget.api.tests.helpers import VALID_FNR
from tenestetorget.booking import residency, services, testing
from tenestetorget.booking.models import (
    BookerKind,
    Booking,
    BookingEvent,
    Price,
    Resource,
    Status,
)
from tenestetorget.core.calendar import OSLO

pytestmark = pytest.mark.django_db

RESOURCES = "/api/v1/booking/resources/"
BOOKINGS = "/api/v1/booking/bookings/"
OTHER_FNR = "02028010047"  # valid, but not in the register


@pytest.fixture
def register() -> None:
    """The resident register with one resident, household H1."""
    residency.import_register(
        f"fodselsnummer;namn;husstand;adresse\n{VALID_FNR};Kari Nordmann;H1;Vinjevegen 1\n"
    )


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


def days_from_today(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def at(day: dt.date, hour: int) -> str:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=OSLO).isoformat()


def next_friday(weeks: int = 2) -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=(4 - today.weekday()) % 7 + 7 * weeks)


BUSINESS = {
    "name": "Per Hansen",
    "email": "per@firma.no",
    "kind": "business",
    "organisation": "Firma AS",
}


def body(resource: str = "rom-test", start: Any = None, end: Any = None, **extra: Any) -> dict:
    tomorrow = days_from_today(1)
    return {
        "resource": resource,
        "start": start or at(tomorrow, 9),
        "end": end or at(tomorrow, 11),
        "booker": BUSINESS,
        **extra,
    }


def refusal(response: Any, status: int = 400) -> dict[str, Any]:
    """The error body, checked for the API's format: a code, a message, the errors."""
    assert response.status_code == status, response.content
    error = response.json()
    assert set(error) == {"code", "detail", "errors"}
    assert error["code"] and error["detail"]
    return error


# --- resources and availability -------------------------------------------------------------


def test_resources_are_public_with_their_rules_and_todays_prices(anonymous):
    room = testing.room(name_en="The multimedia room", location="Rådhuset")
    testing.cabin()
    testing.cabin("gamal-hytte", active=False)
    # An older price and one that has not begun yet: neither is today's.
    Price.objects.create(
        resource=room,
        booker_kind=BookerKind.BUSINESS,
        valid_from=dt.date(2019, 1, 1),
        amount=Decimal("300"),
    )
    Price.objects.create(
        resource=room,
        booker_kind=BookerKind.BUSINESS,
        valid_from=days_from_today(30),
        amount=Decimal("450"),
    )
    with CaptureQueriesContext(connection) as queries:
        response = anonymous.get(RESOURCES)
    assert response.status_code == 200, response.content
    rows = response.json()
    assert [row["slug"] for row in rows] == ["hytte-test", "rom-test"]
    assert rows[1] == {
        "slug": "rom-test",
        "name": "Multimediarommet",
        "kind": "room",
        "booking_unit": "hour",
        "capacity": 1,
        "location": "Rådhuset",
        "description": "",
        "eligible": ["resident", "club", "business", "student"],
        "needs_approval": False,
        "min_units": 1,
        "max_units": 8,
        "check_in": "08:00:00",
        "check_out": "22:00:00",
        "changeover_weekday": None,
        "deposit": "0.00",
        "prices": [
            {"booker_kind": "business", "amount": "400.00", "valid_from": "2020-01-01"},
            {"booker_kind": "club", "amount": "0.00", "valid_from": "2020-01-01"},
            {"booker_kind": "resident", "amount": "100.00", "valid_from": "2020-01-01"},
        ],
    }
    assert rows[0]["eligible"] == ["resident"] and rows[0]["booking_unit"] == "night"
    # The resources and their prices: two queries, however many resources there are.
    assert len(queries) == 2
    english = anonymous.get(RESOURCES, HTTP_ACCEPT_LANGUAGE="en").json()
    assert [row["name"] for row in english] == ["Testhytta", "The multimedia room"]


def test_one_resource_and_a_404_for_unknown_or_inactive_ones(anonymous):
    testing.room()
    testing.cabin("gamal-hytte", active=False)
    assert anonymous.get(f"{RESOURCES}rom-test/").json()["name"] == "Multimediarommet"
    for slug in ("finst-ikkje", "gamal-hytte", "ikkje.ein.kode"):
        assert refusal(anonymous.get(f"{RESOURCES}{slug}/"), 404)["code"] == "not_found"


def test_availability_per_day_and_the_free_hours_of_a_day(anonymous, front_desk):
    room = testing.room()
    tomorrow = days_from_today(1)
    services.book(
        room,
        dt.datetime.fromisoformat(at(tomorrow, 9)),
        dt.datetime.fromisoformat(at(tomorrow, 11)),
        services.Booker("Per", "per@firma.no", BookerKind.BUSINESS, organisation="Firma AS"),
    )
    response = anonymous.get(
        f"{RESOURCES}rom-test/availability/",
        {"from": tomorrow, "to": tomorrow + dt.timedelta(days=1), "date": tomorrow},
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["resource"] == "rom-test"
    assert data["days"] == [
        {"date": tomorrow.isoformat(), "state": "partly"},
        {"date": (tomorrow + dt.timedelta(days=1)).isoformat(), "state": "free"},
    ]
    starts = [slot["start"] for slot in data["slots"]]
    assert starts == [at(tomorrow, hour) for hour in (8, *range(11, 22))]
    assert data["slots"][0]["end"] == at(tomorrow, 9)
    # By default 60 days from today, and no hours without `date`.
    default = anonymous.get(f"{RESOURCES}rom-test/availability/").json()
    assert len(default["days"]) == 60 and default["slots"] is None
    assert default["days"][0]["date"] == timezone.localdate().isoformat()


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"from": "2026-13-01"}, "from", "invalid"),
        ({"from": ""}, "from", "invalid"),
        ({"from": "2026-03-10", "to": "2026-03-09"}, "to", "invalid_range"),
        ({"from": "2026-01-01", "to": "2027-02-05"}, "to", "too_many_days"),
        ({"from": "9999-12-01", "to": "9999-12-31"}, "from", "out_of_range"),
        ({"from": "9999-12-31"}, "from", "out_of_range"),
    ],
)
def test_availability_refuses_bad_dates(anonymous, params, field, code):
    testing.room()
    error = refusal(anonymous.get(f"{RESOURCES}rom-test/availability/", params))
    assert error["code"] == "invalid"
    assert [(e["field"], e["code"]) for e in error["errors"]] == [(field, code)]


def test_free_hours_only_for_what_is_let_by_the_hour(anonymous):
    testing.cabin()
    error = refusal(
        anonymous.get(f"{RESOURCES}hytte-test/availability/", {"date": days_from_today(3)})
    )
    assert error["errors"][0]["code"] == "not_hourly"


# --- booking ----------------------------------------------------------------------------------


def test_a_business_books_the_room_by_the_hour_from_tomorrow_and_not_twice(anonymous):
    testing.room()
    response = anonymous.post(BOOKINGS, body(), format="json")
    assert response.status_code == 201, response.content
    booking = Booking.objects.get()
    tomorrow = days_from_today(1)
    assert response.json() == {
        "id": booking.pk,
        "resource": "rom-test",
        "start": at(tomorrow, 9),
        "end": at(tomorrow, 11),
        "status": "confirmed",
        "units": 2,
        "price": "800.00",
        "deposit": "0.00",
        "booker": {
            "name": "Per Hansen",
            "email": "per@firma.no",
            "kind": "business",
            "phone": "",
            "organisation": "Firma AS",
        },
        "language": "nn",
        "created_at": response.json()["created_at"],
        "cancelled_at": None,
    }
    assert response["Location"].endswith(f"{BOOKINGS}{booking.pk}/")
    assert booking.created_by is None
    again = refusal(anonymous.post(BOOKINGS, body(), format="json"), 409)
    assert again["code"] == "taken"
    assert again["errors"] == [{"field": None, "message": again["detail"], "code": "taken"}]
    # Overlapping by one hour is as taken.
    overlapping = body(start=at(tomorrow, 10), end=at(tomorrow, 12))
    assert refusal(anonymous.post(BOOKINGS, overlapping, format="json"), 409)["code"] == "taken"
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("make", "code", "field"),
    [
        pytest.param(
            lambda: body(start=at(days_from_today(-1), 9), end=at(days_from_today(-1), 10)),
            "past",
            None,
            id="past",
        ),
        pytest.param(
            lambda: body(start=at(days_from_today(1), 8), end=at(days_from_today(1), 17)),
            "too_long",
            None,
            id="too-long",
        ),
        pytest.param(
            lambda: body(
                "hytte-test",
                start=next_friday().isoformat(),
                end=(next_friday() + dt.timedelta(days=2)).isoformat(),
            ),
            "not_eligible",
            "booker.kind",
            id="not-eligible",
        ),
        pytest.param(
            lambda: body(start=at(days_from_today(1), 9)[:19], end=at(days_from_today(1), 10)),
            "no_time_zone",
            "start",
            id="naive-time",
        ),
        pytest.param(
            lambda: {k: v for k, v in body().items() if k != "booker"},
            "required",
            "booker",
            id="no-booker",
        ),
        pytest.param(
            lambda: body(booker={**BUSINESS, "organisation": ""}),
            "organisation",
            "booker.organisation",
            id="business-without-name",
        ),
        pytest.param(
            lambda: body("finst-ikkje"),
            "unknown_resource",
            "resource",
            id="unknown-resource",
        ),
    ],
)
def test_refusals_are_400_with_a_code_and_a_message(anonymous, make, code, field):
    testing.room()
    testing.cabin()
    error = refusal(anonymous.post(BOOKINGS, make(), format="json"))
    (entry,) = error["errors"]
    assert entry["code"] == code
    assert entry["field"] == field
    assert entry["message"]
    # A refusal of the rules is the top-level code; an invalid field is `invalid`.
    assert error["code"] == ("invalid" if field in ("start", "booker", "resource") else code)
    assert Booking.objects.count() == 0


def test_the_naive_time_message_asks_for_a_time_zone(anonymous):
    testing.room()
    naive = body(start=at(days_from_today(1), 9)[:19])
    (entry,) = refusal(anonymous.post(BOOKINGS, naive, format="json"))["errors"]
    assert "tidssone" in entry["message"]


def test_a_refusal_in_english_keeps_its_code(anonymous):
    # The message is English once the catalogue has it; the code is the contract.
    testing.room()
    yesterday = days_from_today(-1)
    response = anonymous.post(
        BOOKINGS,
        body(start=at(yesterday, 9), end=at(yesterday, 10)),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response["Content-Language"] == "en"
    assert refusal(response)["code"] == "past"


def test_the_emails_are_in_the_requests_language_unless_one_is_given(anonymous):
    testing.room()
    tomorrow = days_from_today(1)
    english = anonymous.post(BOOKINGS, body(), format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["language"] == "en"
    later = body(start=at(tomorrow, 12), end=at(tomorrow, 13), language="nb")
    assert anonymous.post(BOOKINGS, later, format="json").json()["language"] == "nb"


def test_a_cabin_is_booked_by_dates_from_check_in_to_check_out(anonymous, register):
    testing.cabin()
    friday = next_friday()
    sunday = friday + dt.timedelta(days=2)
    resident = {"name": "Kari", "email": "kari@example.no", "kind": "resident"}
    response = anonymous.post(
        BOOKINGS,
        body(
            "hytte-test",
            start=friday.isoformat(),
            end=sunday.isoformat(),
            booker={**resident, "national_id": VALID_FNR},
        ),
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["start"], data["end"]) == (at(friday, 15), at(sunday, 12))
    assert (data["units"], data["price"], data["deposit"]) == (2, "700.00", "500.00")
    assert Booking.objects.get().household == "H1"


def test_dates_for_hours_and_a_date_with_a_time_are_refused(anonymous):
    testing.room()
    tomorrow = days_from_today(1)
    dates = body(start=tomorrow.isoformat(), end=(tomorrow + dt.timedelta(days=1)).isoformat())
    error = refusal(anonymous.post(BOOKINGS, dates, format="json"))
    assert error["errors"][0]["code"] == "time_needed"
    mixed = body(start=tomorrow.isoformat(), end=at(tomorrow, 11))
    assert refusal(anonymous.post(BOOKINGS, mixed, format="json"))["errors"][0]["code"] == "mixed"


@pytest.mark.parametrize(
    "value",
    [
        "2026-02-30",
        "2026-03-02T25:00:00+01:00",
        "2026-03-02T09:00+01:00",
        "2026-03-02T09:00:00+24:00",
        "i morgon",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-23:59",
        20260302,
    ],
)
def test_what_is_not_a_moment_is_refused_never_a_500(anonymous, value):
    testing.room()
    error = refusal(anonymous.post(BOOKINGS, body(start=value), format="json"))
    assert error["errors"][0]["field"] == "start"


def test_staff_book_for_a_club_beyond_the_public_window_and_list_it(api, anonymous, front_desk):
    testing.room()
    # 300 days ahead: past the 240 days the public may book ahead.
    later = days_from_today(300)
    club = {
        "name": "Lise Li",
        "email": "lise@skiklubben.no",
        "kind": "club",
        "organisation": "Skiklubben",
    }
    request = body(start=at(later, 18), end=at(later, 20), booker=club)
    refused = refusal(anonymous.post(BOOKINGS, request, format="json"))
    assert refused["code"] == "too_far_ahead"
    response = api.post(BOOKINGS, request, format="json")
    assert response.status_code == 201, response.content
    booking = Booking.objects.get()
    assert booking.created_by == front_desk and booking.price == 0
    assert BookingEvent.objects.get(booking=booking).by == front_desk
    listed = api.get(BOOKINGS)
    assert listed.status_code == 200
    page = listed.json()
    assert page["count"] == 1 and page["next"] is None
    assert page["results"][0]["id"] == booking.pk
    assert page["results"][0]["booker"]["organisation"] == "Skiklubben"
    detail = api.get(f"{BOOKINGS}{booking.pk}/")
    assert detail.json() == page["results"][0]


def test_staff_may_count_a_resident_missing_from_the_register_the_public_may_not(
    api, anonymous, register
):
    testing.cabin()
    friday = next_friday()
    request = body(
        "hytte-test",
        start=friday.isoformat(),
        end=(friday + dt.timedelta(days=2)).isoformat(),
        booker={"name": "Nyinnflytta", "email": "ny@example.no", "kind": "resident"},
        override_reason="Flytta hit i går",
    )
    error = refusal(anonymous.post(BOOKINGS, request, format="json"))
    assert (error["errors"][0]["field"], error["errors"][0]["code"]) == (
        "override_reason",
        "staff_only",
    )
    without_reason = {**request, "override_reason": ""}
    error = refusal(anonymous.post(BOOKINGS, without_reason, format="json"))
    assert (error["code"], error["errors"][0]["field"]) == ("not_resident", "booker.national_id")
    response = api.post(BOOKINGS, request, format="json")
    assert response.status_code == 201, response.content
    assert Booking.objects.get().residency_override == "Flytta hit i går"


def test_other_staff_read_bookings_but_book_and_cancel_as_the_public_does(
    client_for, officer_a, anonymous
):
    # A case officer is staff (may look) but does not run the booking (staff pages alike).
    testing.room()
    officer = client_for(officer_a)
    later = days_from_today(300)
    beyond = body(start=at(later, 18), end=at(later, 20))
    assert refusal(officer.post(BOOKINGS, beyond, format="json"))["code"] == "too_far_ahead"
    response = officer.post(BOOKINGS, body(), format="json")
    assert response.status_code == 201, response.content
    booking = Booking.objects.get()
    assert booking.created_by is None
    assert officer.get(f"{BOOKINGS}{booking.pk}/").status_code == 200
    cancel = refusal(officer.post(f"{BOOKINGS}{booking.pk}/cancel/"), 403)
    assert cancel["code"] == "permission_denied"
    assert Booking.objects.get().status == Status.CONFIRMED


# --- staff only -------------------------------------------------------------------------------


def _bookings(n: int, *, start_day: int = 1) -> None:
    room = Resource.objects.filter(slug="rom-test").first() or testing.room()
    for i in range(n):
        day = days_from_today(start_day + i // 10)
        start = dt.datetime.fromisoformat(at(day, 8 + i % 10))
        services.book(
            room,
            start,
            start + dt.timedelta(hours=1),
            services.Booker(f"Person {i}", f"p{i}@example.no", BookerKind.STUDENT),
            notify=False,
        )


def _count_queries(client: APIClient, params: dict[str, Any] | None = None) -> int:
    authentication.forget()  # count the token's query every time, as for a new worker
    with CaptureQueriesContext(connection) as queries:
        response = client.get(BOOKINGS, params or {})
    assert response.status_code == 200, response.content
    return len(queries)


def test_the_list_filters_and_pages_in_a_constant_number_of_queries(api, front_desk):
    _bookings(2)
    few = _count_queries(api)
    _bookings(60, start_day=3)
    cabin = testing.cabin()
    friday = next_friday(weeks=12)
    block = services.block(
        cabin,
        dt.datetime.combine(friday, dt.time(15), tzinfo=OSLO),
        dt.datetime.combine(friday + dt.timedelta(days=2), dt.time(12), tzinfo=OSLO),
        reason="Vedlikehald",
        by=front_desk,
    )
    many = _count_queries(api)
    assert many == few
    # The token, the count and the page with its resources: nothing per row.
    assert many <= 4
    page = api.get(BOOKINGS).json()
    assert page["count"] == 63 and len(page["results"]) == 50
    assert page["next"].endswith("page=2")
    assert api.get(BOOKINGS, {"resource": "hytte-test"}).json()["results"] == [
        api.get(f"{BOOKINGS}{block.pk}/").json()
    ]
    assert api.get(f"{BOOKINGS}{block.pk}/").json()["booker"] is None
    assert api.get(BOOKINGS, {"status": "blocked"}).json()["count"] == 1
    # The days the bookings touch, in Oslo time: tomorrow's ten and the first of the others.
    tomorrow = days_from_today(1)
    one_day = api.get(BOOKINGS, {"from": tomorrow, "to": tomorrow}).json()
    assert one_day["count"] == 2
    assert {row["start"][:10] for row in one_day["results"]} == {tomorrow.isoformat()}
    assert api.get(BOOKINGS, {"from": "9999-12-31"}).json()["count"] == 0
    assert _count_queries(api, {"resource": "rom-test", "status": "confirmed"}) == few
    error = refusal(api.get(BOOKINGS, {"status": "waiting", "from": "i dag"}))
    assert {e["field"] for e in error["errors"]} == {"status", "from"}
    assert refusal(api.get(BOOKINGS, {"page": 3}), 404)["code"] == "not_found"


def test_bookings_are_never_shown_to_anyone_but_staff(anonymous, client_for, outsider):
    testing.room()
    booking_id = anonymous.post(BOOKINGS, body(), format="json").json()["id"]
    for path in (BOOKINGS, f"{BOOKINGS}{booking_id}/"):
        assert refusal(anonymous.get(path), 401)["code"] == "not_authenticated"
        assert refusal(client_for(outsider).get(path), 403)["code"] == "permission_denied"
    cancel = f"{BOOKINGS}{booking_id}/cancel/"
    assert refusal(anonymous.post(cancel), 401)["code"] == "not_authenticated"
    assert refusal(client_for(outsider).post(cancel), 403)["code"] == "permission_denied"
    assert Booking.objects.get().status == Status.CONFIRMED


def test_staff_cancel_once_and_unknown_bookings_are_404(api, anonymous):
    testing.room()
    booking_id = anonymous.post(BOOKINGS, body(), format="json").json()["id"]
    response = api.post(f"{BOOKINGS}{booking_id}/cancel/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled" and response.json()["cancelled_at"]
    again = refusal(api.post(f"{BOOKINGS}{booking_id}/cancel/"), 409)
    assert again["code"] == "not_active"
    # The period is free again.
    assert anonymous.post(BOOKINGS, body(), format="json").status_code == 201
    for pk in (999999, 2**63, 10**30):
        assert refusal(api.get(f"{BOOKINGS}{pk}/"), 404)["code"] == "not_found"
        assert refusal(api.post(f"{BOOKINGS}{pk}/cancel/"), 404)["code"] == "not_found"


def test_the_national_id_is_never_in_any_response(api, anonymous, register):
    testing.cabin()
    friday = next_friday()
    dates = {"start": friday.isoformat(), "end": (friday + dt.timedelta(days=2)).isoformat()}
    resident = {"name": "Kari", "email": "kari@example.no", "kind": "resident"}
    responses = [
        # Refused: not in the register, and an invalid body beside the number.
        anonymous.post(
            BOOKINGS,
            body("hytte-test", **dates, booker={**resident, "national_id": OTHER_FNR}),
            format="json",
        ),
        anonymous.post(
            BOOKINGS,
            {"resource": "hytte-test", "booker": {**resident, "national_id": VALID_FNR}},
            format="json",
        ),
        anonymous.post(
            BOOKINGS,
            body("hytte-test", **dates, booker={**resident, "national_id": VALID_FNR}),
            format="json",
        ),
    ]
    assert [r.status_code for r in responses] == [400, 400, 201]
    booking_id = responses[-1].json()["id"]
    assert "national_id" not in responses[-1].json()["booker"]
    responses += [
        api.get(BOOKINGS),
        api.get(f"{BOOKINGS}{booking_id}/"),
        api.post(f"{BOOKINGS}{booking_id}/cancel/"),
    ]
    for response in responses:
        content = response.content.decode()
        assert VALID_FNR not in content and OTHER_FNR not in content
    # Nor is it stored with the booking or its events.
    booking = Booking.objects.get()
    stored = str(booking.__dict__) + str(list(booking.events.values()))
    assert VALID_FNR not in stored


def test_anonymous_bookings_are_throttled_per_address_staff_are_not(anonymous, api):
    testing.room()
    allowed = int(PUBLIC_BOOKING_RATE.split("/")[0])
    for _ in range(allowed):
        assert anonymous.post(BOOKINGS, {}, format="json").status_code == 400
    limited = anonymous.post(BOOKINGS, body(), format="json")
    assert refusal(limited, 429)["code"] == "throttled"
    assert int(limited["Retry-After"]) > 0
    assert not Booking.objects.exists()
    # A client cannot choose its address: an X-Forwarded-For of its own counts for nothing
    # unless the operator has named that header (CLIENT_IP_HEADER).
    spoofed = anonymous.post(BOOKINGS, {}, format="json", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert spoofed.status_code == 429
    # Another address, and staff with a token, are not held back.
    other = APIClient(REMOTE_ADDR="192.0.2.7")
    assert other.post(BOOKINGS, body(), format="json").status_code == 201
    for _ in range(3):
        assert api.post(BOOKINGS, {}, format="json").status_code == 400


def test_the_committed_schema_documents_the_booking_api():
    schema = yaml.safe_load((settings.BASE_DIR / "docs" / "openapi.yaml").read_text())
    paths = schema["paths"]
    operations = {
        ("/api/v1/booking/resources/", "get"): "booking_resources_list",
        ("/api/v1/booking/resources/{slug}/", "get"): "booking_resources_retrieve",
        ("/api/v1/booking/resources/{slug}/availability/", "get"): "booking_resources_availability",
        ("/api/v1/booking/bookings/", "get"): "bookings_list",
        ("/api/v1/booking/bookings/", "post"): "bookings_create",
        ("/api/v1/booking/bookings/{id}/", "get"): "bookings_retrieve",
        ("/api/v1/booking/bookings/{id}/cancel/", "post"): "bookings_cancel",
    }
    for (path, method), operation_id in operations.items():
        assert paths[path][method]["operationId"] == operation_id
    # Public reads need no login; booking may be done with or without a token.
    assert "security" not in paths["/api/v1/booking/resources/"]["get"]
    assert {} in paths["/api/v1/booking/bookings/"]["post"]["security"]
    assert {} not in paths["/api/v1/booking/bookings/"]["get"]["security"]
    booker = schema["components"]["schemas"]["Booker"]["properties"]
    assert booker["national_id"]["writeOnly"] is True
    create = paths["/api/v1/booking/bookings/"]["post"]["responses"]
    assert {"201", "400", "409", "429"} <= set(create)
