"""GET /api/v1/queues/: queues with their unit and service guarantees, in constant queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenestetorget.api import authentication
from tenestetorget.organisation.models import Queue, ServiceGuarantee

URL = "/api/v1/queues/"
pytestmark = pytest.mark.django_db


def test_queues_with_guarantees_per_channel(api, queue_a, queue_b, unit_a):
    ServiceGuarantee.objects.create(queue=queue_a, channel="email", answer_working_days=2)
    ServiceGuarantee.objects.create(
        queue=queue_a, channel="letter", answer_working_days=10, interim_reply_working_days=5
    )
    Queue.objects.create(code="gamal", unit=unit_a, name="Nedlagd kø", active=False)
    response = api.get(URL)
    assert response.status_code == 200
    assert response.json() == [
        # Ordered by unit name, then queue name: Helse og omsorg before Teknisk drift.
        {
            "code": "heimeteneste",
            "name": "Heimetenester",
            "unit": "helse",
            "unit_name": "Helse og omsorg",
            "guarantees": {},
            "interim_reply_days": {},
        },
        {
            "code": "veg",
            "name": "Veg og brøyting",
            "unit": "teknisk",
            "unit_name": "Teknisk drift",
            "guarantees": {"email": 2, "letter": 10},
            "interim_reply_days": {"letter": 5},
        },
    ]


def test_query_count_does_not_grow_with_queues(api, unit_a, queue_a):
    def count() -> int:
        authentication.forget()  # count the token's query every time
        with CaptureQueriesContext(connection) as queries:
            assert api.get(URL).status_code == 200
        return len(queries)

    ServiceGuarantee.objects.create(queue=queue_a, channel="email", answer_working_days=2)
    few = count()
    for i in range(10):
        queue = Queue.objects.create(code=f"k{i}", unit=unit_a, name=f"Kø {i}")
        for channel in ("email", "phone", "letter"):
            ServiceGuarantee.objects.create(queue=queue, channel=channel, answer_working_days=3)
    assert count() == few
    assert few <= 4  # token, staff profile, queues with units, guarantees
