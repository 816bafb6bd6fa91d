"""The committed schema (docs/openapi.yaml) and the server agree: what the schema refuses the
server refuses with a 400, and what the schema allows the server takes. Each case here is one
Schemathesis found: a request the schema forbids that the server accepted."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from django.conf import settings

from tenestetorget.api.tests.helpers import payload

pytestmark = pytest.mark.django_db

URL = "/api/v1/inquiries/"
SCHEMA: dict[str, Any] = yaml.safe_load((settings.BASE_DIR / "docs" / "openapi.yaml").read_text())


def parameter(path: str, method: str, name: str) -> dict[str, Any]:
    operation = SCHEMA["paths"][path][method]
    (found,) = [p for p in operation["parameters"] if p["name"] == name]
    return found


def invalid_fields(response: Any) -> list[str | None]:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid", body
    return [e["field"] for e in body["errors"]]


# --- Accept-Language: any value, the supported ones described --------------------------------


def test_accept_language_is_documented_as_any_header_value():
    """Browsers and HTTP libraries send lists with weights (nb-NO,nb;q=0.9,en;q=0.8); the
    server negotiates and falls back to Nynorsk, so the schema must not restrict it."""
    for path, method in [
        ("/api/v1/inquiries/", "get"),
        ("/api/v1/inquiries/", "post"),
        ("/api/v1/inquiries/{reference}/", "get"),
        ("/api/v1/inquiries/{reference}/answer/", "post"),
        ("/api/v1/queues/", "get"),
        ("/api/v1/knowledge/search/", "get"),
    ]:
        schema = parameter(path, method, "Accept-Language")["schema"]
        assert schema["type"] == "string"
        assert "enum" not in schema
        description = parameter(path, method, "Accept-Language")["description"]
        assert all(code in description for code in ("nn", "nb", "en"))


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("nb-NO,nb;q=0.9,en;q=0.8", "nb"),
        ("en-GB", "en"),
        ("r1DD", "nn"),
        ("AAA", "nn"),
        ("*", "nn"),
        ("de, fr;q=0.5", "nn"),
    ],
)
def test_any_accept_language_is_negotiated(api, db, header, language):
    response = api.get("/api/v1/queues/", HTTP_ACCEPT_LANGUAGE=header)
    assert response.status_code == 200
    assert response["Content-Language"] == language


# --- text fields take text only ---------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        payload(subject=123),
        payload(subject=1.5),
        payload(body=0),
        payload(queue=7),
        payload(sender={"name": 42}),
        payload(sender={"phone": 90000000}),
        payload(sender={"national_id": 1019010046}),
        payload(sender={"postcode": 3864}),
    ],
    ids=["subject", "subject-float", "body", "queue", "name", "phone", "national_id", "postcode"],
)
def test_a_number_for_a_text_field_is_refused(api, db, body):
    """DRF's CharField turns 123 into "123"; the schema says string, so a number is an error
    in the client worth telling it about."""
    fields = invalid_fields(api.post(URL, body, format="json"))
    assert len(fields) == 1
    assert fields[0] in {"subject", "body", "queue"} or str(fields[0]).startswith("sender.")


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("note", {"note": 5}, "note"),
        ("forward", {"queue": 1}, "queue"),
        ("forward", {"user": 1}, "user"),
        ("answer", {"text": 12}, "text"),
        ("answer", {"text": "Svar.", "article": 3}, "article"),
        ("answer", {"text": "Svar.", "close": "yes"}, "close"),
        ("answer", {"text": "Svar.", "close": 1}, "close"),
        ("close", {"first_contact_resolved": "true"}, "first_contact_resolved"),
        ("interim-reply", {"text": 1, "due_date": "2026-12-31"}, "text"),
    ],
)
def test_actions_take_the_types_the_schema_names(api, register, queue_a, action, body, field):
    inquiry = register(queue_a)
    response = api.post(f"/api/v1/inquiries/{inquiry.reference}/{action}/", body, format="json")
    assert field in invalid_fields(response)


# --- query parameters -------------------------------------------------------------------------


@pytest.mark.parametrize("limit", ["null", "x", "", "0", "21", "1.5", "-1"])
def test_knowledge_search_limit_outside_the_schema_is_400(client, db, limit):
    schema = parameter("/api/v1/knowledge/search/", "get", "limit")["schema"]
    assert schema == {"type": "integer", "minimum": 1, "maximum": 20, "default": 10}
    response = client.get("/api/v1/knowledge/search/", {"q": "garasje", "limit": limit})
    assert invalid_fields(response) == ["limit"]


@pytest.mark.parametrize("limit", ["1", "20"])
def test_knowledge_search_limit_within_the_schema(client, db, limit):
    response = client.get("/api/v1/knowledge/search/", {"q": "garasje", "limit": limit})
    assert response.status_code == 200


@pytest.mark.parametrize("flag", ["overdue", "mine", "unrouted", "attention"])
def test_list_flags_are_what_the_schema_lists(api, db, flag):
    schema = parameter("/api/v1/inquiries/", "get", flag)["schema"]
    assert schema["type"] == "string"
    for value in schema["enum"]:
        assert api.get(URL, {flag: value}).status_code == 200, value
    for value in ["yes", "on", "True", "2", "null"]:
        assert value not in schema["enum"]
        assert invalid_fields(api.get(URL, {flag: value})) == [flag]


# --- Idempotency-Key: its bounds in the schema and on the server ------------------------------


def test_idempotency_key_bounds_are_in_the_schema():
    for path in ["/api/v1/inquiries/", "/api/v1/inquiries/{reference}/note/"]:
        schema = parameter(path, "post", "Idempotency-Key")["schema"]
        assert schema["minLength"] == 1
        assert schema["maxLength"] == 200
        assert schema["pattern"] == "^[!-~]+$"


@pytest.mark.parametrize(
    "key", ["a b", "nøkkel", "k" * 201, "tab\there"], ids=["space", "non-ascii", "long", "tab"]
)
def test_idempotency_key_outside_the_schema_is_400(api, db, key):
    response = api.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert invalid_fields(response) == ["Idempotency-Key"]


@pytest.mark.parametrize("key", ["0", "7d9f2c1e-3b7a-4c55-9a0e-1f6d2b8c4e10", "~" * 200])
def test_idempotency_key_within_the_schema(api, db, key):
    response = api.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 201, response.content


# --- bodies: unknown fields, NUL, empty texts -------------------------------------------------


def component(name: str) -> dict[str, Any]:
    return SCHEMA["components"]["schemas"][name]


def test_action_bodies_say_unknown_fields_are_refused(api, register, queue_a):
    for name in ["AnswerRequest", "CloseRequest", "NoteRequest", "TakeRequest"]:
        assert component(name)["additionalProperties"] is False
    inquiry = register(queue_a)
    response = api.post(
        f"/api/v1/inquiries/{inquiry.reference}/close/", {"closed": True}, format="json"
    )
    assert invalid_fields(response) == ["closed"]


@pytest.mark.parametrize(
    ("schema", "value", "allowed"),
    [
        ("NoteRequest.note", "Ringde.", True),
        ("NoteRequest.note", "", False),
        ("NoteRequest.note", " \t\x1c\u3000", False),
        ("NoteRequest.note", "a\x00b", False),
        ("PauseRequest.note", "", True),
        ("PauseRequest.note", "a\x00b", False),
        ("InquiryCreate.subject", "   ", False),
        ("Sender.name", "Kari", True),
    ],
)
def test_text_patterns_say_what_the_server_refuses(schema, value, allowed):
    """The patterns are ECMA regular expressions; these ones read the same in Python."""
    name, field = schema.split(".")
    prop = component(name)["properties"][field]
    options = prop.get("oneOf", [prop])
    matches = any(
        len(value) <= option.get("maxLength", 10**9)
        and re.search(option.get("pattern", ""), value) is not None
        for option in options
    )
    assert matches is allowed


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("note", {"note": " \t "}),
        ("note", {"note": "a\x00b"}),
        ("pause", {"note": "a\x00b"}),
        ("answer", {"text": "\u3000"}),
    ],
)
def test_the_server_refuses_what_the_patterns_refuse(api, register, queue_a, action, body):
    inquiry = register(queue_a)
    response = api.post(f"/api/v1/inquiries/{inquiry.reference}/{action}/", body, format="json")
    assert invalid_fields(response) == [next(iter(body))]
