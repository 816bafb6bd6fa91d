"""An interim reply dated 9999-12-31 (the calendar's last day, a closed one, with no working
day after it) is refused with the form's message, on the staff page as in the API
(api/tests/test_actions.py sends it as "far date"), never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tenestetorget.contact.models import EventKind

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("date", ["9999-12-31", "9999-12-30", "2200-01-01", "0001-01-01"])
def test_a_far_date_is_refused_on_the_page(register: Any, staff: Any, date: str) -> None:
    inquiry = register()
    client = Client()
    client.force_login(staff["front"])
    response = client.post(
        f"/tenestetorget/henvending/{inquiry.reference}/forebels-svar/",
        {"interim-new_due_date": date, "interim-text": "Saka må synfarast."},
        follow=True,
    )
    assert response.status_code in (200, 400), response.status_code
    html = response.content.decode()
    assert "Den nye datoen" in html
    assert not inquiry.events.filter(kind=EventKind.INTERIM_REPLY).exists()


def test_the_api_refuses_the_last_day_of_the_calendar(register: Any, staff: Any) -> None:
    inquiry = register()
    client = APIClient()
    client.force_authenticate(staff["front"])
    response = client.post(
        f"/api/v1/inquiries/{inquiry.reference}/interim-reply/",
        {"text": "Saka må synfarast.", "due_date": "9999-12-31"},
        format="json",
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["due_date"]
