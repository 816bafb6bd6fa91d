"""The in-memory register of queues and guarantees: a change in this process is seen at once,
a change made elsewhere (another web worker) within the register's lifetime."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenestetorget.organisation import queue_register
from tenestetorget.organisation.models import Queue, Role, ServiceGuarantee, StaffProfile, Unit
from tenestetorget.organisation.selectors import answer_working_days, guarantee_for
from tenestetorget.organisation.services import set_guarantee

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue() -> Queue:
    unit = Unit.objects.create(code="teknisk", name="Teknisk drift")
    return Queue.objects.create(code="veg", unit=unit, name="Vegar")


def test_reads_the_database_once_then_answers_from_memory(queue):
    ServiceGuarantee.objects.create(queue=queue, channel="email", answer_working_days=4)
    queue_register.forget()
    with CaptureQueriesContext(connection) as first:
        assert queue_register.queue_by_code("veg") == queue
    with CaptureQueriesContext(connection) as again:
        found = queue_register.queue_by_code("veg")
        assert found is not None
        assert found.unit.code == "teknisk"
        assert answer_working_days(found, "email") == 4
        assert guarantee_for(found, "phone") is None
        assert queue_register.queue_by_code("nope") is None
    assert len(first) == 2
    assert len(again) == 0


def test_a_guarantee_changed_in_this_process_counts_at_once(queue):
    admin = get_user_model().objects.create_user("admin")
    StaffProfile.objects.create(user=admin, unit=queue.unit, role=Role.ADMINISTRATOR)
    assert answer_working_days(queue, "email") == 2  # the default, now in the register
    set_guarantee(actor=admin, queue=queue, channel="email", answer_working_days=7)
    assert answer_working_days(queue, "email") == 7


def test_a_change_in_another_process_counts_after_the_lifetime(queue, monkeypatch):
    assert queue_register.queue_by_code("veg").active  # type: ignore[union-attr]
    # A queryset update sends no signal: as if another worker had made the change.
    Queue.objects.filter(pk=queue.pk).update(active=False)
    assert queue_register.queue_by_code("veg").active  # type: ignore[union-attr]
    later = queue_register.time.monotonic() + queue_register.TTL_SECONDS + 1
    monkeypatch.setattr(queue_register.time, "monotonic", lambda: later)
    assert not queue_register.queue_by_code("veg").active  # type: ignore[union-attr]


def test_a_new_queue_is_found_at_once(queue):
    assert queue_register.queue_by_code("brann") is None
    Queue.objects.create(code="brann", unit=queue.unit, name="Brann og feiing")
    assert queue_register.queue_by_code("brann") is not None
