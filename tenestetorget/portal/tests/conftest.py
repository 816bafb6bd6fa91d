"""Fixtures for the public pages: a small organisation made directly in the database, and a
helper that fills in the contact form the way a browser does (GET, then POST what it got)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tenestetorget.organisation.models import Channel, Queue, ServiceGuarantee, Unit


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    # The rate limit lives in the cache; each test starts with none used.
    cache.clear()


@pytest.fixture
def organisation(db: Any) -> dict[str, Any]:
    front = Unit.objects.create(code="tenestetorget", name="Tenestetorget")
    plan = Unit.objects.create(code="plan_bygg", name="Plan, byggjesak og oppmåling")
    motor = Queue.objects.create(code="motorferdsel", unit=front, name="Motorferdsel i utmark")
    building = Queue.objects.create(code="byggjesak", unit=plan, name="Byggjesak")
    Queue.objects.create(code="gammal", unit=plan, name="Nedlagt fagområde", active=False)
    ServiceGuarantee.objects.create(
        queue=motor, channel=Channel.EMAIL, answer_working_days=2, interim_reply_working_days=5
    )
    ServiceGuarantee.objects.create(
        queue=motor, channel=Channel.WEBFORM, answer_working_days=3, text="Løyve innan 3 veker."
    )
    ServiceGuarantee.objects.create(queue=building, channel=Channel.LETTER, answer_working_days=1)
    return {"front": front, "plan": plan, "motor": motor, "building": building}


VALID = {
    "name": "Kari Nordmann",
    "email": "kari@example.no",
    "phone": "",
    "kind": "resident",
    "organisation_number": "",
    "queue": "",
    "subject": "Snøskuterløyve til hytta",
    "body": "Kan eg få løyve til å køyre ved til hytta?",
}


class ContactClient:
    """Fills in the contact form as a browser would: the hidden fields come from the page."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.url = reverse("portal:contact")

    def open(self) -> dict[str, str]:
        response = self.client.get(self.url)
        assert response.status_code == 200
        return {
            "submission_id": response.context["submission_id"],
            "form_token": response.context["form_token"],
        }

    def post(self, hidden: dict[str, str] | None = None, **fields: Any) -> Any:
        data = {**VALID, **(hidden or self.open()), **fields}
        return self.client.post(self.url, data)


@pytest.fixture
def contact_form(client: Client) -> ContactClient:
    return ContactClient(client)
