"""GET /api/v1/inquiries/: the inbox filters, paging, and a query count that does not grow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenestetorget.api import authentication
from tenestetorget.api.tests.helpers import mock_now
from tenestetorget.contact import services
from tenestetorget.contact.models import Status
from tenestetorget.organisation.models import Queue

URL = "/api/v1/inquiries/"
pytestmark = pytest.mark.django_db
LONG_AGO = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def in_april_2025():
    """A month after LONG_AGO: within the year a registration may go back."""
    with mock_now(dt.datetime(2025, 4, 2, 12, 0, tzinfo=dt.UTC)):
        yield


def references(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["reference"] for row in response.json()["results"]]


@pytest.mark.usefixtures("in_april_2025")
def test_list_shows_open_inquiries_by_due_date(api, register, queue_a, queue_b, front_desk):
    late = register(queue_a, received_at=LONG_AGO)
    fresh = register(queue_b, channel="email", email="a@example.no")
    services.close_inquiry(register(queue_a), front_desk)
    response = api.get(URL)
    body = response.json()
    assert references(response) == [late.reference, fresh.reference]
    assert body["count"] == 2
    assert body["next"] is None
    row = body["results"][0]
    assert row == {
        "reference": late.reference,
        "channel": "phone",
        "subject": "Spørsmål",
        "status": "new",
        "queue": "veg",
        "unit": "teknisk",
        "sender_name": "Per Hansen",
        "assigned_to": None,
        "received_at": row["received_at"],
        "original_due_date": "2025-03-05",
        "due_date": "2025-03-05",
        "paused": False,
        "overdue": True,
        "guarantee_kept": None,
        "interim_promised_date": None,
        "message_id": "",
        "urgent": False,
        "screening_suggested": False,
        "external_body": "",
        "allowed_actions": ["forward", "take", "note", "pause", "interim-reply", "answer", "close"],
    }
    assert body["results"][1]["overdue"] is False


def test_status_filter(api, register, queue_a, front_desk):
    open_one = register(queue_a)
    closed = services.close_inquiry(register(queue_a), front_desk)
    assert references(api.get(URL, {"status": "closed"})) == [closed.reference]
    assert set(references(api.get(URL, {"status": "all"}))) == {
        open_one.reference,
        closed.reference,
    }
    assert references(api.get(URL, {"status": ""})) == [open_one.reference]


def test_queue_unit_and_channel_filters(api, register, queue_a, queue_b):
    a = register(queue_a)
    b = register(queue_b, channel="email", email="b@example.no")
    unrouted = register(None)
    assert references(api.get(URL, {"queue": "veg"})) == [a.reference]
    assert references(api.get(URL, {"unit": "helse"})) == [b.reference]
    assert references(api.get(URL, {"channel": "email"})) == [b.reference]
    assert references(api.get(URL, {"unrouted": "1"})) == [unrouted.reference]
    assert references(api.get(URL, {"queue": "finst-ikkje"})) == []


@pytest.mark.usefixtures("in_april_2025")
def test_overdue_filter(api, register, queue_a, front_desk):
    late = register(queue_a, received_at=LONG_AGO)
    register(queue_a)
    paused = services.pause_for_sender(register(queue_a, received_at=LONG_AGO), front_desk)
    assert paused.status == Status.WAITING
    in_time = services.pause_for_sender(register(queue_a), front_desk)
    assert in_time.status == Status.WAITING
    # A wait that began after the promise had passed does not stop the clock.
    overdue = sorted([late.reference, paused.reference])
    assert sorted(references(api.get(URL, {"overdue": "1"}))) == overdue
    assert sorted(references(api.get(URL, {"overdue": "true"}))) == overdue
    # Each row's `overdue` is the same rule as the filter (contact.clock).
    rows = api.get(URL).json()["results"]
    assert sorted(row["reference"] for row in rows if row["overdue"]) == overdue
    assert {row["reference"] for row in rows if row["paused"]} == {
        paused.reference,
        in_time.reference,
    }


def test_mine_filter(client_for, register, queue_a, officer_a):
    taken = services.take_inquiry(register(queue_a), officer_a)
    register(queue_a)
    client = client_for(officer_a)
    assert references(client.get(URL, {"mine": "1"})) == [taken.reference]
    assert len(references(client.get(URL))) == 2
    row = client.get(URL, {"mine": "1"}).json()["results"][0]
    assert (row["assigned_to"], row["status"]) == ("arne", "in_progress")


@pytest.mark.parametrize(
    ("params", "field"),
    [({"status": "halvferdig"}, "status"), ({"channel": "brevdue"}, "channel")],
)
def test_unknown_filter_values_are_refused(api, db, params, field):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_pages_of_fifty(api, register, queue_a):
    for _ in range(51):
        register(queue_a)
    first = api.get(URL)
    assert first.json()["count"] == 51
    assert len(first.json()["results"]) == 50
    assert first.json()["next"].endswith("page=2")
    second = api.get(URL, {"page": 2})
    assert len(references(second)) == 1
    beyond = api.get(URL, {"page": 3})
    assert beyond.status_code == 404
    assert beyond.json()["code"] == "not_found"


def _count_queries(client, params=None) -> int:
    authentication.forget()  # count the token's query every time, as for a new worker
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params or {"status": "all"})
    assert response.status_code == 200
    return len(queries)


def _add_rows(register, queues, officer, n: int) -> None:
    for i in range(n):
        inquiry = register(
            queues[i % len(queues)],
            name=f"Avsendar {i}",
            channel="email",
            email=f"a{i}@example.no",
        )
        if i % 2:
            services.take_inquiry(inquiry, officer)


def test_query_count_does_not_grow_with_rows(api, register, unit_a, queue_a, queue_b, front_desk):
    queues = [queue_a, queue_b]
    _add_rows(register, queues, front_desk, 2)
    few = _count_queries(api)
    more_queues = [
        *queues,
        *(Queue.objects.create(code=f"q{i}", unit=unit_a, name=f"Kø {i}") for i in range(5)),
    ]
    _add_rows(register, more_queues, front_desk, 30)
    many = _count_queries(api)
    assert many == few
    # Authentication (token, staff profile), the count, the page and the page's waiting
    # handovers (for allowed_actions): nothing per row.
    assert many <= 5
    assert _count_queries(api, {"status": "open", "mine": "1", "channel": "email"}) == few
