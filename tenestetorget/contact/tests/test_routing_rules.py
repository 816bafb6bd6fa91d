"""A routing rule decides an inquiry's queue at registration, with no model trained."""

from __future__ import annotations

import pytest

from tenestetorget.contact import services as contact
from tenestetorget.organisation.models import Queue, Unit
from tenestetorget.routing.models import RoutingRule, RuleField
from tenestetorget.routing.services import propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def queues() -> dict[str, Queue]:
    unit = Unit.objects.create(code="u", name="Eining")
    return {code: Queue.objects.create(code=code, unit=unit, name=code) for code in ("ekstern",)}


def _rule(queues: dict[str, Queue], field: str, pattern: str, queue: str, **extra: object) -> None:
    rule = RoutingRule(field=field, pattern=pattern, queue=queues[queue], **extra)
    rule.full_clean()
    rule.save()


def test_a_rule_decides_without_a_model_and_the_inquiry_goes_there(
    queues: dict[str, Queue],
) -> None:
    _rule(queues, RuleField.SENDER_DOMAIN, "vegvesen.no", "ekstern", note="Statens vegvesen")
    prediction = propose("Hol i vegen", "Fv 38 ved Rauland", sender_email="post@vegvesen.no")
    assert prediction is not None
    assert (prediction.queue, prediction.confidence, prediction.auto) == ("ekstern", 1.0, True)
    assert "vegvesen.no" in prediction.rule
    inquiry = contact.register_inquiry(
        channel="email",
        subject="Hol i vegen",
        body="Fv 38 ved Rauland",
        sender=contact.SenderData(name="Vegvesenet", email="post@vegvesen.no"),
    )
    assert inquiry.queue is not None and inquiry.queue.code == "ekstern"
    note = inquiry.events.get(kind="registered").data["routing"]
    assert note["auto"] is True and "vegvesen.no" in note["rule"]
