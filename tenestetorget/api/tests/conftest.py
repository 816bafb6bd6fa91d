"""Fixtures for the API tests: two units with a queue each, staff in the roles that matter,
and clients that authenticate with real DRF tokens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tenestetorget.contact.models import Inquiry
from tenestetorget.contact.services import SenderData, register_inquiry
from tenestetorget.organisation.models import Queue, Role, StaffProfile, Unit

User = get_user_model()


@pytest.fixture
def unit_a(db) -> Unit:
    return Unit.objects.create(code="teknisk", name="Teknisk drift")


@pytest.fixture
def unit_b(db) -> Unit:
    return Unit.objects.create(code="helse", name="Helse og omsorg")


@pytest.fixture
def queue_a(unit_a) -> Queue:
    return Queue.objects.create(code="veg", unit=unit_a, name="Veg og brøyting")


@pytest.fixture
def queue_b(unit_b) -> Queue:
    return Queue.objects.create(code="heimeteneste", unit=unit_b, name="Heimetenester")


@pytest.fixture
def make_staff(db) -> Callable[..., Any]:
    def make(username: str, role: str, unit: Unit) -> Any:
        user = User.objects.create_user(username=username)  # no password: hashing is slow
        StaffProfile.objects.create(user=user, unit=unit, role=role)
        return user

    return make


@pytest.fixture
def front_desk(make_staff, unit_a):
    return make_staff("frida", Role.FRONT_DESK, unit_a)


@pytest.fixture
def officer_a(make_staff, unit_a):
    return make_staff("arne", Role.CASE_OFFICER, unit_a)


@pytest.fixture
def officer_b(make_staff, unit_b):
    return make_staff("berit", Role.CASE_OFFICER, unit_b)


@pytest.fixture
def outsider(db):
    """A login without a staff profile (e.g. a citizen's account)."""
    return User.objects.create_user(username="olav")


@pytest.fixture
def client_for() -> Callable[[Any], APIClient]:
    """An API client that sends the user's real DRF token, as an integration would."""

    def make(user: Any) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def api(client_for, front_desk) -> APIClient:
    return client_for(front_desk)


@pytest.fixture
def register(front_desk) -> Callable[..., Inquiry]:
    """Register an inquiry through the service, as any channel would."""

    def make(
        queue: Queue | None = None,
        *,
        channel: str = "phone",
        subject: str = "Spørsmål",
        name: str = "Per Hansen",
        received_at: dt.datetime | None = None,
        actor: Any = None,
        **sender: Any,
    ) -> Inquiry:
        return register_inquiry(
            channel=channel,
            subject=subject,
            body="",
            sender=SenderData(name=name, phone=sender.pop("phone", "90000000"), **sender),
            queue=queue,
            received_at=received_at,
            actor=actor or front_desk,
        )

    return make
