"""Extreme request bodies: JSON nested far too deep, and text that is not Unicode (a lone
surrogate such as "\\ud800"). Each is a 400 in the API's error format and the caller's
language, with and without an Idempotency-Key, never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tenestetorget.api.parsers import MAX_DEPTH
from tenestetorget.api.tests.helpers import payload
from tenestetorget.contact.models import Inquiry, IntakeRecord

pytestmark = pytest.mark.django_db

URL = "/api/v1/inquiries/"


def post_raw(client: Any, url: str, raw: str | bytes, **headers: Any) -> Any:
    return client.post(url, raw, content_type="application/json", **headers)


def nested(depth: int, leaf: str = "1") -> str:
    """`depth` levels of objects and lists, alternating, around `leaf`."""
    text = leaf
    for level in range(depth):
        text = f'{{"a": {text}}}' if level % 2 else f"[{text}]"
    return text


def parse_error(response: Any) -> dict[str, Any]:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "parse_error", body
    assert body["detail"]
    assert body["errors"] == []
    return body


@pytest.fixture
def inquiry(register, queue_a) -> Inquiry:
    return register(queue_a, channel="email", email="kari@example.no")


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 900, 1_500, 100_000])
@pytest.mark.parametrize("key", [None, "deep-key"])
def test_deep_json_is_a_parse_error_on_create(api, db, depth, key):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    body = parse_error(post_raw(api, URL, nested(depth), **headers))
    assert "djup" in body["detail"]
    assert Inquiry.objects.count() == 0
    assert IntakeRecord.objects.count() == 0


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1_500])
@pytest.mark.parametrize("key", [None, "deep-key"])
def test_deep_json_is_a_parse_error_on_an_action(api, inquiry, depth, key):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    url = f"/api/v1/inquiries/{inquiry.reference}/note/"
    raw = '{"note": ' + nested(depth, '"x"') + "}"
    parse_error(post_raw(api, url, raw, **headers))
    assert IntakeRecord.objects.count() == 0


def test_deep_brackets_inside_strings_do_not_count(api, db):
    """Brackets in text are text: a subject of 1,000 brackets is an ordinary subject."""
    body = payload(subject="[" * 150, body="{" * 5_000)
    response = api.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    assert Inquiry.objects.get().body == "{" * 5_000


def test_nesting_at_the_limit_reaches_the_fields(api, db):
    """MAX_DEPTH levels parse; the serializer then says what is wrong with the field."""
    raw = json.dumps({**payload(), "subject": None})[:-1] + ', "x": ' + nested(MAX_DEPTH - 1)
    raw += "}"
    response = post_raw(api, URL, raw)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_deep_json_in_the_callers_language(api, db):
    response = post_raw(api, URL, nested(1_500), HTTP_ACCEPT_LANGUAGE="en")
    parse_error(response)
    assert response["Content-Language"] == "en"


def test_invalid_json_says_so_in_the_callers_language(api, db):
    body = parse_error(post_raw(api, URL, b'{"subject": "x'))
    # DRF's own "JSON parse error - ..." is English whatever the language; ours is Nynorsk
    # by default and names where the body went wrong.
    assert body["detail"].startswith("Innhaldet er ikkje gyldig JSON")
    assert "JSON parse error" not in body["detail"]


LONE_SURROGATES = ["\ud800", "a\udfffb", "\udc00\ud800"]


@pytest.mark.parametrize("text", LONE_SURROGATES)
@pytest.mark.parametrize("key", [None, "surrogate-key"])
def test_a_lone_surrogate_is_refused_with_its_field(api, db, text, key):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    # json.dumps writes the surrogate as the escape "\ud800", as a client's JSON library would.
    raw = json.dumps(payload(subject=text))
    response = post_raw(api, URL, raw, **headers)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert [e["field"] for e in body["errors"]] == ["subject"]
    assert body["errors"][0]["code"] == "invalid_text"
    assert Inquiry.objects.count() == 0
    assert IntakeRecord.objects.count() == 0


def test_a_lone_surrogate_deep_in_the_body_names_its_path(api, db):
    raw = json.dumps(payload(sender={"name": "Kari \ud800"}))
    body = api.post(URL, raw, content_type="application/json").json()
    assert [e["field"] for e in body["errors"]] == ["sender.name"]


def test_a_lone_surrogate_in_a_key_is_refused(api, db):
    raw = json.dumps({**payload(), "\udfff": 1})
    response = post_raw(api, URL, raw, HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_text"


def test_a_lone_surrogate_in_an_action_is_refused(api, inquiry):
    url = f"/api/v1/inquiries/{inquiry.reference}/note/"
    raw = json.dumps({"note": "Ringde \ud800"})
    response = post_raw(api, url, raw, HTTP_IDEMPOTENCY_KEY="k", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response["Content-Language"] == "en"
    assert response.json()["errors"][0]["field"] == "note"
    assert not inquiry.events.filter(kind="note").exists()


def test_a_surrogate_pair_is_an_ordinary_character(api, db):
    """The escape pair for one character outside the BMP (🙂) is valid JSON text."""
    raw = json.dumps(payload(subject="Takk 🙂"))  # ensure_ascii: written as \\ud83d\\ude42
    assert "\\ud83d\\ude42" in raw
    response = post_raw(api, URL, raw, HTTP_IDEMPOTENCY_KEY="emoji")
    assert response.status_code == 201, response.content
    assert Inquiry.objects.get().subject == "Takk 🙂"


def test_a_body_that_is_not_its_charset_is_a_parse_error(api, db):
    parse_error(post_raw(api, URL, b'{"subject": "\xff\xfe"}'))


def test_a_charset_that_is_no_text_encoding_is_a_parse_error(api, db):
    """bz2_codec is a codec Python knows, but decoding through it would decompress the
    body past every size limit."""
    response = api.post(URL, b"BZh9", content_type="application/json; charset=bz2_codec")
    parse_error(response)


def test_a_body_over_the_limit_is_413_and_read_no_further(api, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    body = json.dumps(payload(body="x" * 2_000))
    response = post_raw(api, URL, body, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert response["Content-Language"] == "en"
    assert Inquiry.objects.count() == 0
    # Up to the limit is read as usual.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = len(body.encode())
    assert post_raw(api, URL, body).status_code == 201
