"""The API answers a body too large to read in its own JSON error format (api.errors), not
with Django's HTML page; the page-size middleware leaves the API alone."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    from tenestetorget.organisation.models import Role, StaffProfile, Unit

    user = get_user_model().objects.create_user("frida")
    unit = Unit.objects.create(code="tenestetorget", name="Tenestetorget")
    StaffProfile.objects.create(user=user, unit=unit, role=Role.FRONT_DESK)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def _json(response: Any) -> dict[str, Any]:
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    return json.loads(response.content)


def test_a_json_body_over_the_limit_is_a_json_413(api: APIClient, settings: Any):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"subject": "x", "body": "y" * 2048})
    response = api.post(
        "/api/v1/inquiries/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="nn"
    )
    assert response.status_code == 413
    data = _json(response)
    assert data["code"] == "request_too_large"
    assert data["detail"] == "Innhaldet er for stort. Eit kall kan vere høgst 1,0\xa0KB."
    assert data["errors"] == []


def test_the_page_size_limit_leaves_the_api_to_its_own_answer(api: APIClient, settings: Any):
    # Far beyond what any page accepts, and still the API's JSON.
    settings.TENESTETORGET = {**settings.TENESTETORGET, "MAX_ATTACHMENTS": 0}
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = api.post(
        "/api/v1/inquiries/", json.dumps({"body": "y" * 4096}), content_type="application/json"
    )
    assert response.status_code == 413
    assert _json(response)["code"] == "request_too_large"
