"""POST /api/v1/inquiries/{reference}/{action}/: staff act on inquiries through the API with
the rules of the staff pages (the services decide), answering 409 for what the status machine
refuses, 403 for what the role may not do and 404 for what the user may not see."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import hypothesis
import jsonschema
import pytest
from django.db import connection
from drf_spectacular.generators import SchemaGenerator
from hypothesis import strategies as st

from tenestetorget.contact import services
from tenestetorget.contact.models import (
    EventKind,
    Inquiry,
    IntakeRecord,
    MessageKind,
    OutgoingMessage,
    Status,
)
from tenestetorget.contact.transitions import Action
from tenestetorget.core.calendar import calendar_from_settings
from tenestetorget.knowledge.models import Article, Audience
from tenestetorget.organisation.models import Role

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
#: What the status machine allows while waiting for the sender, with no handover waiting.
WAITING_ACTIONS = ["forward", "take", "note", "resume", "answer", "close"]


def url(reference: str, action: str) -> str:
    return f"/api/v1/inquiries/{reference}/{action}/"


def act(client: Any, inquiry: Inquiry, action: str, body: Any = None, **extra: Any) -> Any:
    return client.post(url(inquiry.reference, action), body, format="json", **extra)


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.content
    return response.json()


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code, body
    assert body["detail"]
    return body


def fields(body: dict[str, Any]) -> list[str | None]:
    return [e["field"] for e in body["errors"]]


def kinds(body: dict[str, Any]) -> list[str]:
    return [e["kind"] for e in body["timeline"]]


@contextmanager
def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> Iterator[None]:
    """Run as if it were this time in Oslo (every service reads timezone.now)."""
    moment = dt.datetime(year, month, day, hour, minute, tzinfo=OSLO)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@pytest.fixture
def archivist(make_staff, unit_a):
    return make_staff("anna", Role.ARCHIVIST, unit_a)


@pytest.fixture
def public_article(unit_a) -> Article:
    return Article.objects.create(
        slug="broyting", owner=unit_a, review_date=dt.date(2030, 1, 1), audience=Audience.PUBLIC
    )


@pytest.fixture
def internal_article(unit_a) -> Article:
    return Article.objects.create(
        slug="rutine-broyting",
        owner=unit_a,
        review_date=dt.date(2030, 1, 1),
        audience=Audience.INTERNAL,
    )


@pytest.fixture
def email_inquiry(register, queue_a) -> Inquiry:
    return register(queue_a, channel="email", email="kari@example.no", name="Kari Nordmann")


def future_working_day(days: int = 20) -> dt.date:
    calendar = calendar_from_settings()
    return calendar.on_or_next_working_day(dt.date.today() + dt.timedelta(days=days))


# --- every action, the way it should go ------------------------------------------------------


def test_forward_to_a_queue_and_a_person(api, email_inquiry, queue_b, officer_b):
    body = ok(
        act(
            api,
            email_inquiry,
            "forward",
            {"queue": "heimeteneste", "user": "berit", "note": "Gjeld heimetenesta."},
        )
    )
    assert (body["status"], body["queue"], body["unit"]) == ("forwarded", "heimeteneste", "helse")
    assert body["assigned_to"] == "berit"
    assert "acknowledge" in body["allowed_actions"]
    assert body["timeline"][-1]["kind"] == "forwarded"
    assert body["timeline"][-1]["text"] == "Gjeld heimetenesta."
    assert body["timeline"][-1]["actor"] == "frida"


def test_forward_to_a_person_only_uses_their_unit_queue(api, email_inquiry, queue_b, officer_b):
    body = ok(act(api, email_inquiry, "forward", {"user": "berit"}))
    assert (body["queue"], body["assigned_to"]) == ("heimeteneste", "berit")


def test_acknowledge_makes_it_mine(client_for, api, email_inquiry, queue_b, officer_b):
    ok(act(api, email_inquiry, "forward", {"queue": "heimeteneste"}))
    body = ok(act(client_for(officer_b), email_inquiry, "acknowledge"))
    assert (body["status"], body["assigned_to"]) == ("in_progress", "berit")
    assert "acknowledge" not in body["allowed_actions"]
    assert kinds(body)[-1] == "acknowledged"


def test_take(client_for, email_inquiry, officer_a):
    body = ok(act(client_for(officer_a), email_inquiry, "take", {}))
    assert (body["status"], body["assigned_to"]) == ("in_progress", "arne")
    assert kinds(body)[-1] == "taken"


def test_take_without_a_body(client_for, email_inquiry, officer_a):
    response = client_for(officer_a).post(url(email_inquiry.reference, "take"))
    assert ok(response)["status"] == "in_progress"


def test_note(api, email_inquiry):
    body = ok(act(api, email_inquiry, "note", {"note": "Ringde, ingen svar."}))
    assert body["status"] == "new"
    assert body["timeline"][-1] == {
        "kind": "note",
        "at": body["timeline"][-1]["at"],
        "actor": "frida",
        "text": "Ringde, ingen svar.",
    }


def test_pause_stops_the_clock_and_tells_the_sender(api, email_inquiry):
    body = ok(act(api, email_inquiry, "pause", {"note": "Vi treng eit kart over tomta."}))
    assert (body["status"], body["paused"], body["overdue"]) == ("waiting", True, False)
    assert body["allowed_actions"] == WAITING_ACTIONS
    message = OutgoingMessage.objects.get(
        inquiry=email_inquiry, kind=MessageKind.MISSING_INFORMATION
    )
    assert "kart over tomta" in message.body


def test_resume(api, email_inquiry):
    services.pause_for_sender(email_inquiry, email_inquiry.created_by)
    body = ok(act(api, email_inquiry, "resume", {"note": "Kartet kom."}))
    assert (body["status"], body["paused"]) == ("in_progress", False)
    assert body["timeline"][-1]["text"] == "Kartet kom."


def test_interim_reply_records_the_date_and_keeps_the_promise(api, email_inquiry):
    promised = future_working_day()
    body = ok(
        act(
            api,
            email_inquiry,
            "interim-reply",
            {"text": "Vi må synfare staden først.", "due_date": promised.isoformat()},
        )
    )
    assert body["interim_promised_date"] == promised.isoformat()
    # An interim reply never moves the guarantee.
    assert body["due_date"] == body["original_due_date"] == email_inquiry.due_date.isoformat()
    assert kinds(body)[-1] == "interim_reply"
    assert OutgoingMessage.objects.filter(
        inquiry=email_inquiry, kind=MessageKind.INTERIM_REPLY
    ).exists()


def test_answer_closes_and_settles_the_guarantee(api, email_inquiry, public_article):
    body = ok(
        act(
            api,
            email_inquiry,
            "answer",
            {"text": "Vegen blir brøyta i dag.", "article": "broyting"},
        )
    )
    assert body["status"] == "closed"
    assert body["guarantee_kept"] is True
    assert body["answered_at"] is not None
    assert body["allowed_actions"] == ["note", "reopen"]
    assert kinds(body)[-2:] == ["answered", "closed"]
    email_inquiry.refresh_from_db()
    assert email_inquiry.answered_with == public_article
    assert (
        OutgoingMessage.objects.filter(inquiry=email_inquiry, kind=MessageKind.ANSWER).count() == 1
    )


def test_answer_may_keep_it_open(api, email_inquiry):
    body = ok(act(api, email_inquiry, "answer", {"text": "Svar.", "close": False}))
    assert body["status"] == "answered"
    assert body["allowed_actions"] == ["note", "close", "reopen"]


def test_close(api, email_inquiry):
    body = ok(act(api, email_inquiry, "close", {"note": "Dobbel henvending."}))
    assert (body["status"], body["guarantee_kept"]) == ("closed", True)
    assert body["timeline"][-1]["text"] == "Dobbel henvending."


def test_close_resolved_at_first_line(api, email_inquiry):
    body = ok(act(api, email_inquiry, "close", {"first_contact_resolved": True}))
    assert body["first_contact_resolved"] is True


def test_reopen(api, email_inquiry, front_desk):
    services.close_inquiry(email_inquiry, front_desk)
    body = ok(act(api, email_inquiry, "reopen", {"note": "Avsendaren ringde att."}))
    assert (body["status"], body["guarantee_kept"], body["closed_at"]) == (
        "in_progress",
        None,
        None,
    )
    assert kinds(body)[-1] == "reopened"


# --- refused -----------------------------------------------------------------------------------


def test_answer_on_a_closed_inquiry_is_409(api, email_inquiry, front_desk):
    services.close_inquiry(email_inquiry, front_desk)
    body = error(act(api, email_inquiry, "answer", {"text": "Svar."}), 409, "transition_refused")
    assert (body["status"], body["action"], body["errors"]) == ("closed", "answer", [])
    assert "avslutta" in body["detail"]
    assert not OutgoingMessage.objects.filter(kind=MessageKind.ANSWER).exists()


def test_resume_when_not_waiting_is_409(api, email_inquiry):
    body = error(act(api, email_inquiry, "resume"), 409, "transition_refused")
    assert (body["status"], body["action"]) == ("new", "resume")
    assert body["detail"] == "Henvendinga ventar ikkje på avsendaren."


def test_acknowledge_without_a_handover_is_409(client_for, email_inquiry, officer_a):
    services.take_inquiry(email_inquiry, officer_a)
    body = error(
        act(client_for(officer_a), email_inquiry, "acknowledge"), 409, "transition_refused"
    )
    assert (body["status"], body["action"]) == ("in_progress", "acknowledge")
    assert "stadfesting" in body["detail"]


def test_reopen_an_open_inquiry_is_409(api, email_inquiry):
    body = error(act(api, email_inquiry, "reopen"), 409, "transition_refused")
    assert (body["status"], body["action"]) == ("new", "reopen")


def test_refusal_is_in_the_language_asked_for(api, email_inquiry):
    nn = act(api, email_inquiry, "resume", HTTP_ACCEPT_LANGUAGE="nn")
    en = act(api, email_inquiry, "resume", HTTP_ACCEPT_LANGUAGE="en")
    assert (nn["Content-Language"], en["Content-Language"]) == ("nn", "en")
    assert en.json()["code"] == nn.json()["code"] == "transition_refused"


def test_archivist_may_not_answer(client_for, archivist, email_inquiry):
    client = client_for(archivist)
    body = error(act(client, email_inquiry, "answer", {"text": "Svar."}), 403, "permission_denied")
    assert body["detail"] == "Du kan ikkje arbeide med denne henvendinga."
    # Archivists may still note and forward, as on the pages, and are offered only those.
    body = ok(act(client, email_inquiry, "note", {"note": "Journalført."}))
    assert body["allowed_actions"] == ["forward", "note"]
    assert Inquiry.objects.get(pk=email_inquiry.pk).status == Status.NEW


def test_permission_is_checked_before_the_status(client_for, archivist, email_inquiry, front_desk):
    services.close_inquiry(email_inquiry, front_desk)
    error(
        act(client_for(archivist), email_inquiry, "answer", {"text": "x"}), 403, "permission_denied"
    )


def test_handover_to_another_person_is_not_mine_to_acknowledge(
    client_for, make_staff, unit_a, api, email_inquiry, officer_a
):
    colleague = make_staff("astrid", Role.CASE_OFFICER, unit_a)
    ok(act(api, email_inquiry, "forward", {"queue": "veg", "user": "arne"}))
    error(act(client_for(colleague), email_inquiry, "acknowledge"), 403, "permission_denied")
    ok(act(client_for(officer_a), email_inquiry, "acknowledge"))


# --- not found -----------------------------------------------------------------------------------


def test_another_units_inquiry_is_404_like_an_unknown_one(client_for, email_inquiry, officer_b):
    client = client_for(officer_b)
    hidden = error(act(client, email_inquiry, "answer", {"text": "Svar."}), 404, "not_found")
    missing = error(
        client.post(url("2026-999999", "answer"), {"text": "Svar."}, format="json"),
        404,
        "not_found",
    )
    assert hidden == missing
    # Nothing happened, and a body the inquiry would refuse does not tell it exists either.
    assert Inquiry.objects.get(pk=email_inquiry.pk).status == Status.NEW
    assert error(act(client, email_inquiry, "answer", {"bad": 1}), 404, "not_found") == missing


def test_unknown_action_is_404(api, email_inquiry):
    body = error(act(api, email_inquiry, "approve", {}), 404, "not_found")
    assert "approve" in body["detail"]
    error(api.get(url(email_inquiry.reference, "approve")), 404, "not_found")


def test_actions_need_a_member_of_staff(client_for, outsider, email_inquiry, client):
    error(act(client_for(outsider), email_inquiry, "take"), 403, "permission_denied")
    response = client.post(
        url(email_inquiry.reference, "take"), {}, content_type="application/json"
    )
    assert response.status_code == 401


def test_actions_are_post_only(api, email_inquiry):
    assert api.get(url(email_inquiry.reference, "take")).status_code == 405


# --- bad input -----------------------------------------------------------------------------------


def test_interim_reply_needs_a_date_after_today(api, email_inquiry):
    body = error(
        act(
            api,
            email_inquiry,
            "interim-reply",
            {"text": "Tek tid.", "due_date": dt.date.today().isoformat()},
        ),
        400,
        "invalid",
    )
    # The service's `new_due_date` is reported under the body's name for it.
    assert fields(body) == ["due_date"]
    body = error(act(api, email_inquiry, "interim-reply", {"text": "Tek tid."}), 400, "invalid")
    assert fields(body) == ["due_date"]
    assert body["errors"][0]["code"] == "required"


def test_empty_texts_are_refused_by_the_services(api, email_inquiry):
    assert fields(error(act(api, email_inquiry, "note", {"note": "  "}), 400, "invalid")) == [
        "note"
    ]
    assert fields(error(act(api, email_inquiry, "answer", {"text": ""}), 400, "invalid")) == [
        "text"
    ]
    assert fields(error(act(api, email_inquiry, "note", {}), 400, "invalid")) == ["note"]


def test_forward_needs_a_known_queue_or_person(api, email_inquiry, queue_b, outsider):
    assert fields(error(act(api, email_inquiry, "forward", {"queue": "snø"}), 400, "invalid")) == [
        "queue"
    ]
    assert fields(error(act(api, email_inquiry, "forward", {"user": "ingen"}), 400, "invalid")) == [
        "user"
    ]
    # A login without a staff profile cannot receive an inquiry (the service says so).
    assert fields(error(act(api, email_inquiry, "forward", {"user": "olav"}), 400, "invalid")) == [
        "user"
    ]
    # Neither: refused by the service, under the queue it asks for.
    assert fields(error(act(api, email_inquiry, "forward", {}), 400, "invalid")) == ["queue"]
    assert Inquiry.objects.get(pk=email_inquiry.pk).status == Status.NEW


def test_answer_with_an_internal_or_unknown_article_is_refused(
    api, email_inquiry, internal_article
):
    body = error(
        act(api, email_inquiry, "answer", {"text": "Svar.", "article": "rutine-broyting"}),
        400,
        "invalid",
    )
    assert fields(body) == ["article"]
    assert "ikkje open for publikum" in body["errors"][0]["message"]
    body = error(
        act(api, email_inquiry, "answer", {"text": "Svar.", "article": "finst-ikkje"}),
        400,
        "invalid",
    )
    assert fields(body) == ["article"]
    assert Inquiry.objects.get(pk=email_inquiry.pk).status == Status.NEW
    assert not OutgoingMessage.objects.filter(kind=MessageKind.ANSWER).exists()


def test_unknown_fields_are_refused(api, email_inquiry):
    body = error(
        act(api, email_inquiry, "answer", {"text": "Svar.", "closed": False}), 400, "invalid"
    )
    assert body["errors"] == [
        {"field": "closed", "message": "Ukjend felt.", "code": "unknown_field"}
    ]
    # Reported together with the other field errors.
    body = error(act(api, email_inquiry, "answer", {"closed": False}), 400, "invalid")
    assert set(fields(body)) == {"closed", "text"}
    assert Inquiry.objects.get(pk=email_inquiry.pk).status == Status.NEW


def test_body_must_be_a_json_object(api, email_inquiry):
    response = api.post(
        url(email_inquiry.reference, "note"), "{ikkje json", content_type="application/json"
    )
    error(response, 400, "parse_error")
    error(act(api, email_inquiry, "note", ["a"]), 400, "invalid")
    response = api.post(url(email_inquiry.reference, "note"), {"note": "x"})  # multipart
    error(response, 415, "unsupported_media_type")


# --- idempotency --------------------------------------------------------------------------------


def test_a_repeated_answer_is_refused_and_sends_one_email(api, email_inquiry):
    ok(act(api, email_inquiry, "answer", {"text": "Svar."}))
    error(act(api, email_inquiry, "answer", {"text": "Svar."}), 409, "transition_refused")
    assert OutgoingMessage.objects.filter(kind=MessageKind.ANSWER).count() == 1


def test_idempotency_key_replays_an_action(api, email_inquiry):
    key = {"HTTP_IDEMPOTENCY_KEY": "b7e1-interim-1"}
    body = {"text": "Vi må synfare.", "due_date": future_working_day().isoformat()}
    first = act(api, email_inquiry, "interim-reply", body, **key)
    assert "Idempotent-Replayed" not in ok(first) and "Idempotent-Replayed" not in first
    again = act(api, email_inquiry, "interim-reply", body, **key)
    assert again["Idempotent-Replayed"] == "true"
    assert ok(again) == first.json()
    # One reply, one e-mail.
    assert OutgoingMessage.objects.filter(kind=MessageKind.INTERIM_REPLY).count() == 1
    assert email_inquiry.events.filter(kind=EventKind.INTERIM_REPLY).count() == 1
    # The same key with another body, or for another action, is refused.
    other = act(api, email_inquiry, "interim-reply", {**body, "text": "Anna."}, **key)
    error(other, 422, "idempotency_key_reused")
    error(act(api, email_inquiry, "note", {"note": "x"}, **key), 422, "idempotency_key_reused")


def test_a_retried_forward_out_of_my_unit_is_replayed(
    client_for, email_inquiry, officer_a, queue_b
):
    arne = client_for(officer_a)
    key = {"HTTP_IDEMPOTENCY_KEY": "forward-away-1"}
    first = act(arne, email_inquiry, "forward", {"queue": "heimeteneste"}, **key)
    assert ok(first)["queue"] == "heimeteneste"
    # Arne may no longer see it, but his retry gets the first result, not a 404.
    assert arne.get(f"/api/v1/inquiries/{email_inquiry.reference}/").status_code == 404
    again = act(arne, email_inquiry, "forward", {"queue": "heimeteneste"}, **key)
    assert again["Idempotent-Replayed"] == "true"
    assert ok(again)["timeline"] == first.json()["timeline"]
    # Anything else is the 404 of an inquiry he may not see.
    error(act(arne, email_inquiry, "forward", {"queue": "veg"}), 404, "not_found")


def test_a_refused_action_stores_no_key(api, email_inquiry, front_desk):
    key = {"HTTP_IDEMPOTENCY_KEY": "resume-1"}
    error(act(api, email_inquiry, "resume", {}, **key), 409, "transition_refused")
    assert not IntakeRecord.objects.exists()
    services.pause_for_sender(email_inquiry, front_desk)
    assert ok(act(api, email_inquiry, "resume", {}, **key))["status"] == "in_progress"
    assert IntakeRecord.objects.count() == 1


def test_bad_idempotency_key_is_400(api, email_inquiry):
    body = error(
        act(api, email_inquiry, "take", {}, HTTP_IDEMPOTENCY_KEY="x" * 201), 400, "invalid"
    )
    assert fields(body) == ["Idempotency-Key"]


# --- a case officer's round trip, with the guarantee's dates ----------------------------------


def test_round_trip_through_the_api(client_for, register, queue_a, queue_b, officer_a, officer_b):
    arne, berit = client_for(officer_a), client_for(officer_b)
    # Monday 23 November 2026, 10:00: an e-mail lands in the wrong unit's queue. The
    # default guarantee for e-mail is two working days: Wednesday 25 November.
    with at(2026, 11, 23, 10):
        inquiry = register(queue_b, channel="email", email="kari@example.no", name="Kari Nordmann")
    assert inquiry.due_date == dt.date(2026, 11, 25)

    with at(2026, 11, 23, 11):
        body = ok(act(berit, inquiry, "forward", {"queue": "veg", "note": "Gjeld vegen."}))
    assert (body["status"], body["queue"], body["due_date"]) == ("forwarded", "veg", "2026-11-25")
    # Handed out of Berit's unit: she no longer sees it.
    assert berit.get(f"/api/v1/inquiries/{inquiry.reference}/").status_code == 404

    with at(2026, 11, 23, 12):
        body = ok(act(arne, inquiry, "acknowledge"))
    assert (body["status"], body["assigned_to"]) == ("in_progress", "arne")

    with at(2026, 11, 23, 13):
        body = ok(act(arne, inquiry, "pause", {"note": "Kva strekning gjeld det?"}))
    assert (body["status"], body["paused"], body["due_date"]) == ("waiting", True, "2026-11-25")
    assert body["allowed_actions"] == WAITING_ACTIONS

    # Thursday 13:00: after the promised date, but the clock has stood still.
    with at(2026, 11, 26, 13):
        waiting = arne.get(f"/api/v1/inquiries/{inquiry.reference}/").json()
        assert (waiting["overdue"], waiting["paused"]) == (False, True)
        body = ok(act(arne, inquiry, "resume", {"note": "Kari svarte."}))
        # Mon 13:00 to Thu 13:00 is three office days of waiting: 25 Nov + 3 = Mon 30 Nov.
        assert (body["status"], body["paused"], body["overdue"]) == ("in_progress", False, False)
        assert (body["original_due_date"], body["due_date"]) == ("2026-11-25", "2026-11-30")
        listed = arne.get("/api/v1/inquiries/", {"mine": "1"}).json()["results"]
        assert [(r["reference"], r["due_date"], r["overdue"]) for r in listed] == [
            (inquiry.reference, "2026-11-30", False)
        ]

    with at(2026, 11, 27, 10):
        body = ok(act(arne, inquiry, "answer", {"text": "Vegen blir brøyta.", "close": False}))
    assert (body["status"], body["guarantee_kept"]) == ("answered", True)
    assert body["allowed_actions"] == ["note", "close", "reopen"]

    # Tuesday 1 December 09:00: a new round, with a fresh promise (Thursday 3 December).
    with at(2026, 12, 1, 9):
        body = ok(act(arne, inquiry, "reopen", {"note": "Kari spør igjen."}))
    assert (body["status"], body["guarantee_kept"]) == ("in_progress", None)
    assert (body["original_due_date"], body["due_date"]) == ("2026-12-03", "2026-12-03")

    # Friday 4 December: closed a day late without an answer.
    with at(2026, 12, 4, 10):
        body = ok(act(arne, inquiry, "close", {"note": "Ingen ny informasjon."}))
    assert (body["status"], body["guarantee_kept"], body["overdue"]) == ("closed", False, False)
    assert kinds(body) == [
        "registered",
        "forwarded",
        "acknowledged",
        "paused",
        "resumed",
        "answered",
        "reopened",
        "closed",
    ]
    # The first round stays kept in the figures, the second late.
    assert list(inquiry.outcomes.order_by("round_started_at").values_list("kept", flat=True)) == [
        True,
        False,
    ]


def test_every_action_has_an_endpoint():
    from tenestetorget.api.actions import ACTION_VIEWS

    assert [a.value for a in ACTION_VIEWS] == [a.value for a in Action]


# --- driven by the OpenAPI schema: what the schema says is valid works, nothing gives a 500 ---

ACTION_PATH = re.compile(r"^/api/v1/inquiries/\{reference\}/([a-z-]+)/$")
#: Values for fields that name things that must exist (the schema only says "a string").
EXISTING = {"queue": "heimeteneste", "user": "berit", "article": "broyting"}
WRONG_VALUES: list[tuple[str, Any]] = [
    ("null", None),
    ("integer", 12345),
    ("huge integer", 10**30),
    ("float", 1.5),
    ("true", True),
    ("false", False),
    ("list", ["a", 1]),
    ("object", {"a": {"b": 1}}),
    ("empty", ""),
    ("blank", "   "),
    ("NUL", "a\x00b"),
    ("impossible date", "2026-02-30"),
    ("far date", "9999-12-31"),
    ("past date", "1900-01-01"),
    ("datetime", "2026-12-01T10:00:00+01:00"),
    ("emoji", "🙂" * 3),
    ("10k characters", "æ" * 10_000),
    ("10k+1 characters", "x" * 10_001),
]
RAW_BODIES: list[tuple[str, bytes]] = [
    ("not JSON", b"{ikkje json"),
    ("truncated JSON", b'{"note": "x'),
    ("invalid UTF-8", b'{"note": "\xff\xfe"}'),
    ("JSON list", b"[]"),
    ("JSON string", b'"tekst"'),
    ("JSON number", b"1"),
    ("JSON null", b"null"),
    ("JSON true", b"true"),
    ("deep JSON", b"[" * 2000 + b"]" * 2000),
]


@functools.cache
def openapi() -> dict[str, Any]:
    """The schema as /api/schema/ serves it (and `make schema` writes to docs/openapi.yaml),
    as plain JSON values."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(schema, default=str))


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = openapi()["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    if "oneOf" in node:  # a text that may be blank: [the text's own schema, the empty text]
        outer = {k: v for k, v in node.items() if k != "oneOf"}
        node = {**outer, **resolve(node["oneOf"][0])}
    return node


def operation(action: str) -> dict[str, Any]:
    return openapi()["paths"][f"/api/v1/inquiries/{{reference}}/{action}/"]["post"]


def request_schema(action: str) -> dict[str, Any]:
    body = operation(action).get("requestBody")
    if body is None:  # an action without fields: no body, or an empty object
        return {"type": "object", "properties": {}}
    return resolve(body["content"]["application/json"]["schema"])


def valid_value(name: str, prop: dict[str, Any]) -> Any:
    prop = resolve(prop)
    if name in EXISTING:
        return EXISTING[name]
    if "enum" in prop:
        return prop["enum"][0]
    kind = prop.get("type")
    if kind == "boolean":
        return prop.get("default", True)
    if kind == "integer":
        return 1
    if kind == "string" and prop.get("format") == "date":
        return future_working_day().isoformat()
    assert kind == "string", prop
    return "Tekst laga frå skjemaet."


def valid_body(action: str) -> dict[str, Any]:
    properties = request_schema(action).get("properties", {})
    return {name: valid_value(name, prop) for name, prop in properties.items()}


def bad_bodies(action: str) -> list[tuple[str, Any, str | None]]:
    """(label, body, the field a 400 must name, if it must be a 400)."""
    schema = request_schema(action)
    valid = valid_body(action)
    cases: list[tuple[str, Any, str | None]] = [
        ("unknown field", {**valid, "ukjend_felt": 1}, "ukjend_felt"),
        ("nested unknown field", {**valid, "sender": {"name": "x"}}, "sender"),
    ]
    for name in schema.get("required", []):
        cases.append((f"without {name}", {k: v for k, v in valid.items() if k != name}, name))
    for name, prop in schema.get("properties", {}).items():
        prop = resolve(prop)
        for label, value in WRONG_VALUES:
            cases.append((f"{name}: {label}", {**valid, name: value}, None))
        if "maxLength" in prop:
            too_long = "y" * (prop["maxLength"] + 1)
            cases.append((f"{name}: over maxLength", {**valid, name: too_long}, name))
    return cases


def openapi_to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0's `nullable` as JSON Schema, so jsonschema can check a response."""
    if isinstance(node, list):
        return [openapi_to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {k: openapi_to_json_schema(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable"):
        if "type" in converted:
            converted["type"] = [converted["type"], "null"]
        else:
            converted = {"anyOf": [converted, {"type": "null"}]}
    return converted


def check_response(action: str, response: Any) -> None:
    """Never a 500; every answer is described by the operation's responses."""
    assert response.status_code < 500
    described = operation(action)["responses"]
    assert str(response.status_code) in described, (response.status_code, response.content)
    schema = described[str(response.status_code)]["content"]["application/json"]["schema"]
    document = openapi_to_json_schema(
        {**schema, "components": openapi()["components"]}  # for the $refs
    )
    jsonschema.validate(response.json(), document)


@pytest.fixture
def prepared(register, queue_a, queue_b, front_desk, officer_b, public_article):
    """An inquiry in a status that allows the action, acted on by the front desk."""

    def make(action: str) -> Inquiry:
        inquiry = register(queue_a, channel="email", email="kari@example.no")
        if action == "acknowledge":
            services.forward_inquiry(inquiry, front_desk, to_queue=queue_a)
        elif action == "resume":
            services.pause_for_sender(inquiry, front_desk)
        elif action == "reopen":
            services.close_inquiry(inquiry, front_desk)
        return inquiry

    return make


def test_the_schema_has_one_operation_per_action(api):
    served = api.get("/api/schema/", {"format": "json"})
    assert served.status_code == 200
    paths = json.loads(served.content)["paths"]
    found = {m.group(1) for path in paths if (m := ACTION_PATH.match(path))}
    assert found == set(Action.values)
    for action in found:
        post = paths[f"/api/v1/inquiries/{{reference}}/{action}/"]
        assert set(post) == {"post"}
        assert post["post"]["operationId"] == f"inquiries_{action.replace('-', '_')}"
        assert {"200", "400", "401", "403", "404", "409"} <= set(post["post"]["responses"])


@pytest.mark.parametrize("action", Action.values)
def test_a_body_built_from_the_schema_works(api, prepared, action):
    inquiry = prepared(action)
    response = act(api, inquiry, action, valid_body(action))
    assert response.status_code == 200, response.content
    check_response(action, response)
    # Done once, the same again is either allowed (a second note) or refused: never a 500.
    check_response(action, act(api, inquiry, action, valid_body(action)))


@pytest.mark.parametrize("action", Action.values)
def test_bad_bodies_are_4xx_never_500(api, prepared, action):
    for label, body, field in bad_bodies(action):
        response = act(api, prepared(action), action, body)
        check_response(action, response)
        assert response.status_code in (200, 400), (label, response.content)
        if field is not None:
            assert response.status_code == 400, label
            assert field in fields(response.json()), (label, response.json())
    inquiry = prepared(action)
    for label, raw in RAW_BODIES:
        response = api.post(url(inquiry.reference, action), raw, content_type="application/json")
        check_response(action, response)
        assert response.status_code == 400, (label, response.content)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)


@pytest.mark.parametrize("action", Action.values)
def test_random_bodies_are_4xx_never_500(api, prepared, action):
    names = [*request_schema(action).get("properties", {}), "ukjend"]
    valid = valid_body(action)

    @hypothesis.settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
    )
    @hypothesis.given(
        body=st.dictionaries(
            st.sampled_from(names),
            JSON_VALUES | st.sampled_from([*valid.values(), "x" * 10_000]),
            max_size=len(names) + 1,
        )
        | JSON_VALUES
    )
    def check(body: Any) -> None:
        response = act(api, prepared(action), action, body)
        check_response(action, response)
        assert response.status_code in (200, 400), response.content

    check()


# --- the same action sent several times at once ------------------------------------------------


def _race(client_for: Any, user: Any, path: str, body: Any, key: str, parallel: int) -> list:
    """Send `parallel` identical POSTs at the same moment, each on its own connection."""
    barrier = threading.Barrier(parallel)
    responses: list = []
    errors: list[BaseException] = []

    def send() -> None:
        try:
            client = client_for(user)
            barrier.wait()
            responses.append(client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=key))
        except BaseException as exc:  # a thread's exception would otherwise be lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return responses


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("action", ["answer", "interim-reply"])
def test_concurrent_identical_actions_act_once(client_for, register, queue_a, front_desk, action):
    """An answer repeated at once loses at the status machine (409 inside, replayed); an
    interim reply, which the status machine allows twice, loses at the key's unique
    constraint. Either way: one action, one e-mail, the same answer to every request.
    PostgreSQL only: the SQLite test database serialises everything."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for concurrent transactions")
    client_for(front_desk)  # the token exists before the threads look it up
    body = {"text": "Svar.", "due_date": future_working_day().isoformat()}
    if action == "answer":
        body = {"text": "Svar."}
    kind = {"answer": MessageKind.ANSWER, "interim-reply": MessageKind.INTERIM_REPLY}[action]
    parallel = 4
    for n in range(3):
        inquiry = register(queue_a, channel="email", email="kari@example.no")
        path = url(inquiry.reference, action)
        responses = _race(client_for, front_desk, path, body, f"{action}-{n}", parallel)
        assert [r.status_code for r in responses] == [200] * parallel, [
            r.content for r in responses
        ]
        assert sum(r.has_header("Idempotent-Replayed") for r in responses) == parallel - 1
        assert OutgoingMessage.objects.filter(inquiry=inquiry, kind=kind).count() == 1
