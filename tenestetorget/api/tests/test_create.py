"""POST /api/v1/inquiries/: registering, and every way a request can be wrong."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from tenestetorget.api.tests.helpers import (
    INVALID_FNR,
    INVALID_ORGNR,
    VALID_FNR,
    VALID_ORGNR,
    mock_now,
    payload,
)
from tenestetorget.contact.models import EventKind, Inquiry, Sender
from tenestetorget.organisation.models import ServiceGuarantee

URL = "/api/v1/inquiries/"
pytestmark = pytest.mark.django_db


#: Monday 3 March 2025 at noon in Oslo: the tests below registered at 09:00 that day.
MARCH_3 = dt.datetime(2025, 3, 3, 12, 0, tzinfo=ZoneInfo("Europe/Oslo"))


@pytest.fixture
def on_march_3():
    with mock_now(MARCH_3):
        yield


def errors_by_field(response) -> dict[str | None, list[str]]:
    result: dict[str | None, list[str]] = {}
    for item in response.json()["errors"]:
        result.setdefault(item["field"], []).append(item["message"])
    return result


@pytest.mark.usefixtures("on_march_3")
def test_create_returns_reference_and_due_date_from_the_queues_guarantee(api, queue_a, front_desk):
    # Monday 3 March 2025, 09:00 in Oslo; the queue promises e-mail answers in 5 working
    # days (the default would be 2), so the answer is due Monday 10 March.
    ServiceGuarantee.objects.create(queue=queue_a, channel="email", answer_working_days=5)
    response = api.post(
        URL, payload(queue="veg", received_at="2025-03-03T09:00:00+01:00"), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"reference", "queue", "status", "due_date"}
    assert body["queue"] == "veg"
    assert body["status"] == "new"
    assert body["due_date"] == "2025-03-10"
    assert body["reference"].startswith("2025-")
    assert response["Location"].endswith(f"/api/v1/inquiries/{body['reference']}/")

    inquiry = Inquiry.objects.get(reference=body["reference"])
    assert inquiry.queue == queue_a
    assert inquiry.created_by == front_desk
    assert inquiry.sender.email == "kari@example.no"
    assert list(inquiry.events.values_list("kind", flat=True)) == [EventKind.REGISTERED]


@pytest.mark.usefixtures("on_march_3")
def test_create_without_queue_waits_for_routing_with_the_default_guarantee(api, db):
    response = api.post(URL, payload(received_at="2025-03-03T09:00:00+01:00"), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["queue"] is None
    assert response.json()["due_date"] == "2025-03-05"


def test_create_keeps_optional_sender_fields(api, db):
    response = api.post(
        URL,
        payload(
            channel="letter",
            sender={
                "name": "Fjellstova AS",
                "kind": "business",
                "organisation_number": VALID_ORGNR,
                "language": "en",
                "phone": "35 12 34 56",
            },
        ),
        format="json",
    )
    assert response.status_code == 201, response.content
    sender = Inquiry.objects.get(reference=response.json()["reference"]).sender
    assert (sender.kind, sender.organisation_number, sender.language) == (
        "business",
        VALID_ORGNR,
        "en",
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"sender": {"email": "kari@@example"}}, "sender.email"),
        ({"sender": {"email": "", "phone": ""}}, "sender.email"),
        ({"sender": {"national_id": INVALID_FNR}}, "sender.national_id"),
        ({"sender": {"organisation_number": INVALID_ORGNR}}, "sender.organisation_number"),
        ({"sender": {"name": ""}}, "sender.name"),
        ({"subject": "   "}, "subject"),
        ({"subject": "x" * 301}, "subject"),
        ({"queue": "finst-ikkje"}, "queue"),
        ({"received_at": "2025-03-03T09:00:00"}, "received_at"),
        ({"received_at": "i går"}, "received_at"),
        ({"channel": "pigeon"}, "channel"),
        ({"sender": {"kind": "alien"}}, "sender.kind"),
    ],
)
def test_invalid_requests_are_refused_with_the_field_path(api, queue_a, overrides, field):
    response = api.post(URL, payload(**overrides), format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert field in errors_by_field(response), body
    assert Inquiry.objects.count() == 0


def test_missing_contact_for_email_says_what_is_needed(api, db):
    response = api.post(URL, payload(sender={"email": "", "phone": ""}), format="json")
    assert errors_by_field(response) == {
        "sender.email": ["Vi treng ei e-postadresse eller eit telefonnummer for å kunne svare."]
    }


def test_unknown_queue_names_the_code(api, queue_a):
    response = api.post(URL, payload(queue="finst-ikkje"), format="json")
    assert response.status_code == 400
    assert errors_by_field(response) == {"queue": ["Ukjend fagområde: «finst-ikkje»."]}


def test_time_without_offset_is_refused(api, db):
    response = api.post(URL, payload(received_at="2025-03-03T09:00:00"), format="json")
    assert response.status_code == 400
    assert errors_by_field(response) == {"received_at": ["Tidspunktet manglar tidssone."]}


def test_several_errors_come_together(api, db):
    response = api.post(
        URL,
        payload(subject="", sender={"email": "nope", "national_id": INVALID_FNR}),
        format="json",
    )
    assert set(errors_by_field(response)) == {"subject", "sender.email", "sender.national_id"}


def test_missing_fields_are_named(api, db):
    response = api.post(URL, {"sender": {}}, format="json")
    assert response.status_code == 400
    assert set(errors_by_field(response)) == {"channel", "subject", "sender.name"}


def test_body_must_be_json(api, db):
    response = api.post(URL, "channel=email", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_valid_national_id_is_stored_but_never_returned(api, db):
    response = api.post(URL, payload(sender={"national_id": VALID_FNR}), format="json")
    assert response.status_code == 201
    assert VALID_FNR not in response.content.decode()
    assert Sender.objects.get().national_id == VALID_FNR


@pytest.mark.parametrize(
    ("language", "required"),
    [
        ("en", "This field is required."),
        ("nb", "Dette feltet er påkrevd."),
        ("nn", "Feltet er påkravd."),
    ],
)
def test_errors_are_in_the_requests_language(api, db, language, required):
    # DRF's own messages come from its catalogues ...
    response = api.post(
        URL,
        {"channel": "email", "sender": {"name": "Kari"}},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    assert response["Content-Language"] == language
    assert errors_by_field(response)["subject"] == [required]
    # ... and the service's messages through ours, in the same language as the request.
    response = api.post(
        URL, payload(sender={"email": "nope"}), format="json", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 400
    with translation.override(language):
        expected = translation.gettext("E-postadressa er ikkje gyldig.")
        summary = translation.gettext("Nokre felt er ikkje gyldige. Rett dei og send på nytt.")
    assert errors_by_field(response) == {"sender.email": [expected]}
    assert response.json()["detail"] == summary


def test_registering_again_reads_only_the_sender(api, queue_a, django_assert_num_queries):
    """The busiest request of the API: the token with the caller's role and the queue with its
    guarantee are remembered by the process, so registering an inquiry reads only the sender
    and writes in one transaction."""
    ServiceGuarantee.objects.create(queue=queue_a, channel="phone", answer_working_days=3)
    first = api.post(URL, payload(channel="phone", queue="veg"), format="json")
    assert first.status_code == 201, first.content
    # Savepoint (the test's transaction), number, sender lookup (found again), inquiry, event,
    # the savepoint's release.
    with django_assert_num_queries(6) as captured:
        response = api.post(URL, payload(channel="phone", queue="veg"), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["due_date"] == Inquiry.objects.latest("id").due_date.isoformat()
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    assert len(reads) == 1
    assert "contact_sender" in reads[0]


def test_sender_postal_address_is_kept_on_the_inquiry(api, db):
    sender = {
        "name": "Per Brev",
        "phone": "35 00 00 01",
        "postal_address": "Storvegen 1",
        "postcode": "3890",
        "postal_place": "Vinje",
    }
    body = {"channel": "letter", "subject": "Søknad om tomt", "sender": sender}
    created = api.post("/api/v1/inquiries/", body, format="json")
    assert created.status_code == 201, created.content
    detail = api.get(f"/api/v1/inquiries/{created.json()['reference']}/").json()
    assert detail["sender"]["postal_address"] == "Storvegen 1"
    assert (detail["sender"]["postcode"], detail["sender"]["postal_place"]) == ("3890", "Vinje")
    bad = api.post(
        "/api/v1/inquiries/",
        {**body, "sender": {**sender, "postcode": "38"}},
        format="json",
    )
    assert bad.status_code == 400
    assert [e["field"] for e in bad.json()["errors"]] == ["sender.postcode"]


# --- received_at: at most five minutes ahead, at most a year back -----------------------------


@pytest.mark.usefixtures("on_march_3")
@pytest.mark.parametrize(
    "received_at",
    [
        "2025-03-03T12:05:01+01:00",  # past the clock skew allowed
        "9999-12-31T23:59:59+00:00",
        "2024-03-01T09:00:00+01:00",  # a year and two days back
        "1900-01-01T00:00:00+00:00",
        "0396-06-01T00:00:00+00:00",
        "0001-02-05T00:00:00+00:00",
    ],
)
@pytest.mark.parametrize("language", ["nn", "en"])
def test_received_at_out_of_bounds_is_refused(api, received_at, language):
    response = api.post(
        URL, payload(received_at=received_at), format="json", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 400, response.content
    assert response["Content-Language"] == language
    assert list(errors_by_field(response)) == ["received_at"]
    assert not Inquiry.objects.exists()


@pytest.mark.usefixtures("on_march_3")
@pytest.mark.parametrize(
    "received_at",
    ["2025-03-03T12:04:00+01:00", "2024-03-04T12:00:00+01:00", "2025-03-03T11:00:00Z"],
    ids=["clock skew", "a year back", "an hour ago"],
)
def test_received_at_within_bounds(api, received_at):
    response = api.post(URL, payload(received_at=received_at), format="json")
    assert response.status_code == 201, response.content


def test_the_refusal_says_what_to_do(api, db):
    response = api.post(URL, payload(received_at="1900-01-01T00:00:00Z"), format="json")
    (message,) = errors_by_field(response)["received_at"]
    assert "eitt år" in message
    assert "import-history" in message
