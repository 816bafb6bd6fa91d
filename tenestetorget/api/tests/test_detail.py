"""GET /api/v1/inquiries/{reference}/: the inquiry, its sender (masked) and its timeline."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenestetorget.api import authentication
from tenestetorget.api.tests.helpers import VALID_FNR
from tenestetorget.contact import services

pytestmark = pytest.mark.django_db


def url(reference: str) -> str:
    return f"/api/v1/inquiries/{reference}/"


def test_detail_has_the_inquiry_sender_and_timeline(
    client_for, register, queue_a, front_desk, officer_a
):
    inquiry = register(
        queue_a,
        channel="email",
        subject="Søknad om byggjeløyve",
        name="Kari Nordmann",
        email="kari@example.no",
        national_id=VALID_FNR,
    )
    services.take_inquiry(inquiry, officer_a)
    services.add_note(inquiry, officer_a, "Ringde tilbake.")
    response = client_for(officer_a).get(url(inquiry.reference))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["reference"] == inquiry.reference
    assert (body["channel"], body["subject"], body["status"]) == (
        "email",
        "Søknad om byggjeløyve",
        "in_progress",
    )
    assert (body["queue"], body["unit"]) == ("veg", "teknisk")
    assert body["due_date"] == body["original_due_date"] == inquiry.due_date.isoformat()
    assert (body["paused"], body["overdue"], body["guarantee_kept"]) == (False, False, None)
    assert body["interim_promised_date"] is None
    assert body["allowed_actions"] == [
        "forward",
        "take",
        "note",
        "pause",
        "interim-reply",
        "answer",
        "close",
    ]
    assert body["answered_at"] is None
    assert body["first_contact_resolved"] is False
    assert body["assigned_to"] == "arne"
    assert body["sender"] == {
        "name": "Kari Nordmann",
        "email": "kari@example.no",
        "phone": "90000000",
        "kind": "resident",
        "organisation_number": "",
        "national_id_masked": "010190*****",
        "language": "nn",
        "postal_address": "",
        "postcode": "",
        "postal_place": "",
    }
    # The full fødselsnummer is nowhere in the response.
    assert VALID_FNR not in response.content.decode()
    assert [(e["kind"], e["actor"]) for e in body["timeline"]] == [
        ("registered", "frida"),
        ("taken", "arne"),
        ("note", "arne"),
    ]
    assert body["timeline"][2]["text"] == "Ringde tilbake."


def test_answered_inquiry_shows_when(api, register, queue_a, front_desk):
    inquiry = services.answer_inquiry(register(queue_a), front_desk, "Vegen blir brøyta i dag.")
    body = api.get(url(inquiry.reference)).json()
    assert body["status"] == "closed"
    assert body["answered_at"] is not None
    assert [e["kind"] for e in body["timeline"]][-2:] == ["answered", "closed"]


def test_unknown_reference_is_404(api, db):
    response = api.get(url("2026-999999"))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_detail_query_count_does_not_grow_with_the_timeline(api, register, queue_a, front_desk):
    inquiry = register(queue_a)

    def count() -> int:
        authentication.forget()  # count the token's query every time
        with CaptureQueriesContext(connection) as queries:
            assert api.get(url(inquiry.reference)).status_code == 200
        return len(queries)

    before = count()
    for i in range(10):
        services.add_note(inquiry, front_desk, f"Merknad {i}")
    assert count() == before
