"""The API shows an e-mail's Message-ID on the inquiry it became, and finds the inquiry by it:
`GET /api/v1/inquiries/?status=all&message_id=...`."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from tenestetorget.contact.services import close_inquiry
from tenestetorget.mailroom import intake
from tenestetorget.mailroom.tests import mailsamples as samples
from tenestetorget.organisation.models import Role, StaffProfile, Unit

pytestmark = pytest.mark.django_db
URL = "/api/v1/inquiries/"


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_message_id_is_shown_and_found_also_when_closed(town) -> None:
    message, _ = intake.take(
        samples.plain(subject="Søknad om skjenkeløyve", message_id="<api-1@example.no>"),
        source="test",
    )
    intake.take(samples.plain(subject="Anna", message_id="<api-2@example.no>"), source="test")
    inquiry = message.inquiry
    assert inquiry is not None
    api = _api(town["front"])
    found = api.get(URL, {"status": "all", "message_id": "<api-1@example.no>"}).json()
    assert [row["reference"] for row in found["results"]] == [inquiry.reference]
    assert found["results"][0]["message_id"] == "<api-1@example.no>"
    detail = api.get(f"{URL}{inquiry.reference}/").json()
    assert detail["message_id"] == "<api-1@example.no>"
    close_inquiry(inquiry, town["front"], note="Løyst på telefon")
    assert api.get(URL, {"message_id": "<api-1@example.no>"}).json()["results"] == []
    again = api.get(URL, {"status": "all", "message_id": "<api-1@example.no>"}).json()
    assert len(again["results"]) == 1
    assert api.get(URL, {"status": "all", "message_id": "<nope@x>"}).json()["results"] == []


def test_message_id_does_not_reveal_what_the_user_may_not_see(town) -> None:
    message, _ = intake.take(
        samples.plain(
            subject="Søknad om skjenkeløyve",
            body="Vi søkjer om skjenkeløyve for bryllaupet vårt i samfunnshuset i juni.",
            message_id="<api-3@example.no>",
        ),
        source="test",
    )
    assert message.inquiry is not None and message.inquiry.queue is not None
    other_unit = Unit.objects.create(code="skule", name="Skule")
    outsider = get_user_model().objects.create_user("lærar", password="x")
    StaffProfile.objects.create(user=outsider, unit=other_unit, role=Role.CASE_OFFICER)
    rows = _api(outsider).get(URL, {"status": "all", "message_id": "<api-3@example.no>"}).json()
    assert rows["results"] == []
