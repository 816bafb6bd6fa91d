"""Who may use the API and what they see: staff only; a case officer sees their own unit."""

from __future__ import annotations

import pytest
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tenestetorget.api import authentication
from tenestetorget.api.tests.helpers import payload
from tenestetorget.contact import services
from tenestetorget.contact.models import Inquiry

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    ("get", "/api/v1/inquiries/"),
    ("post", "/api/v1/inquiries/"),
    ("get", "/api/v1/inquiries/2026-000001/"),
    ("get", "/api/v1/queues/"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_anonymous_gets_401_with_a_token_challenge(db, method, path):
    response = getattr(APIClient(), method)(path, payload(), format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


def test_a_wrong_token_is_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = client.get("/api/v1/queues/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_a_login_without_staff_profile_gets_403(client_for, outsider, method, path):
    response = getattr(client_for(outsider), method)(path, payload(), format="json")
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "permission_denied"
    assert body["detail"] == "Berre tilsette i kommunen kan bruke dette API-et."
    assert Inquiry.objects.count() == 0


@pytest.mark.parametrize("language", ["nn", "nb", "en"])
def test_the_403_message_follows_the_language(client_for, outsider, language):
    response = client_for(outsider).get("/api/v1/queues/", HTTP_ACCEPT_LANGUAGE=language)
    assert response["Content-Language"] == language
    with translation.override(language):
        expected = translation.gettext("Berre tilsette i kommunen kan bruke dette API-et.")
    assert response.json()["detail"] == expected


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Authentication credentials were not provided."),
        ("nb", "Manglende autentiseringsinformasjon."),
    ],
)
def test_the_401_message_follows_the_language(db, language, message):
    response = APIClient().get("/api/v1/queues/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.json()["detail"] == message


def test_session_login_works_as_well(db, officer_a):
    client = APIClient()
    client.force_login(officer_a)
    assert client.get("/api/v1/queues/").status_code == 200


def test_case_officer_sees_only_their_own_unit(
    client_for, register, queue_a, queue_b, officer_a, officer_b
):
    in_a = register(queue_a)
    in_b = register(queue_b)
    client = client_for(officer_b)
    assert client.get(f"/api/v1/inquiries/{in_a.reference}/").status_code == 404
    assert client.get(f"/api/v1/inquiries/{in_b.reference}/").status_code == 200
    listed = [r["reference"] for r in client.get("/api/v1/inquiries/").json()["results"]]
    assert listed == [in_b.reference]
    # The same filters cannot widen the view.
    assert client.get("/api/v1/inquiries/", {"queue": "veg"}).json()["results"] == []


def test_a_named_handover_makes_it_visible_to_the_receiver(
    client_for, register, queue_a, front_desk, officer_b
):
    inquiry = register(queue_a)
    client = client_for(officer_b)
    assert client.get(f"/api/v1/inquiries/{inquiry.reference}/").status_code == 404
    # Still in unit A's queue, but handed to Berit by name.
    services.forward_inquiry(inquiry, front_desk, to_queue=queue_a, to_user=officer_b)
    assert client.get(f"/api/v1/inquiries/{inquiry.reference}/").status_code == 200


def test_front_desk_sees_every_unit(api, register, queue_a, queue_b):
    register(queue_a)
    register(queue_b)
    assert api.get("/api/v1/inquiries/").json()["count"] == 2


def test_a_superuser_without_profile_is_staff(client_for, register, queue_b, django_user_model):
    admin = django_user_model.objects.create_superuser(username="admin", email="a@example.no")
    inquiry = register(queue_b)
    response = client_for(admin).get(f"/api/v1/inquiries/{inquiry.reference}/")
    assert response.status_code == 200


def test_a_deleted_token_is_refused_at_once(client_for, front_desk):
    client = client_for(front_desk)
    assert client.get("/api/v1/queues/").status_code == 200  # now remembered by the process
    Token.objects.filter(user=front_desk).delete()
    assert client.get("/api/v1/queues/").status_code == 401


def test_a_deactivated_user_is_refused_at_once(client_for, front_desk):
    client = client_for(front_desk)
    assert client.get("/api/v1/queues/").status_code == 200
    front_desk.is_active = False
    front_desk.save()
    assert client.get("/api/v1/queues/").status_code == 401


def test_a_removed_staff_role_counts_at_once(client_for, front_desk):
    client = client_for(front_desk)
    assert client.get("/api/v1/queues/").status_code == 200
    front_desk.staff_profile.delete()
    assert client.get("/api/v1/queues/").status_code == 403


def test_another_workers_revocation_counts_within_the_lifetime(client_for, front_desk, monkeypatch):
    client = client_for(front_desk)
    assert client.get("/api/v1/queues/").status_code == 200
    # A queryset delete sends no signal to this process: as if another worker had revoked it.
    Token.objects.filter(user=front_desk)._raw_delete(Token.objects.db)
    assert client.get("/api/v1/queues/").status_code == 200
    later = authentication.time.monotonic() + authentication.TTL_SECONDS + 1
    monkeypatch.setattr(authentication.time, "monotonic", lambda: later)
    assert client.get("/api/v1/queues/").status_code == 401
