"""Routing rules win over the classifier: the first active rule that matches decides."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tenestetorget.contact import services as contact
from tenestetorget.organisation.models import Queue, Unit
from tenestetorget.routing import rules
from tenestetorget.routing.models import RoutingRule, RuleField
from tenestetorget.routing.services import propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def queues() -> dict[str, Queue]:
    unit = Unit.objects.create(code="u", name="Eining")
    return {
        code: Queue.objects.create(code=code, unit=unit, name=code)
        for code in ("ekstern", "byggjesak", "innsyn", "veg")
    }


def _rule(
    queues: dict[str, Queue], field: str, pattern: str, queue: str, **extra: Any
) -> RoutingRule:
    rule = RoutingRule(field=field, pattern=pattern, queue=queues[queue], **extra)
    rule.full_clean()
    rule.save()
    return rule


def test_each_kind_of_rule(queues: dict[str, Queue]) -> None:
    _rule(queues, RuleField.SENDER_DOMAIN, "Vegvesen.no", "ekstern")
    _rule(queues, RuleField.RECIPIENT, "Byggesak@Demo.kommune.no", "byggjesak")
    _rule(queues, RuleField.SUBJECT_WORDS, "Innsynskrav", "innsyn")
    assert rules.match("Hol i vegen", "ola@region.vegvesen.no").queue == "ekstern"
    assert rules.match("Hol i vegen", "ola@ikkjevegvesen.no") is None
    assert rules.match("Søknad", "", ["byggesak@demo.kommune.no"]).queue == "byggjesak"
    assert rules.match("INNSYNSKRAV i sak 2026/12", "").queue == "innsyn"
    assert rules.match("Innsyn", "") is None


def test_the_first_active_rule_in_order_decides(queues: dict[str, Queue]) -> None:
    _rule(queues, RuleField.SUBJECT_WORDS, "veg", "veg", position=20)
    first = _rule(queues, RuleField.SUBJECT_WORDS, "veg", "ekstern", position=10)
    assert rules.match("Fylkesveg 38: veg stengd", "").queue == "ekstern"
    # Whole words only: «fylkesveg» is not «veg».
    assert rules.match("Fylkesveg 38 er stengd", "") is None
    first.active = False
    first.save()
    assert rules.match("veg stengd", "").queue == "veg"
    queues["veg"].active = False
    queues["veg"].save()
    assert rules.match("veg stengd", "") is None


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


def test_a_rule_that_cannot_match_is_refused(queues: dict[str, Queue]) -> None:
    with pytest.raises(ValidationError, match="@"):
        _rule(queues, RuleField.RECIPIENT, "byggesak", "byggjesak")
    with pytest.raises(ValidationError, match="utan @"):
        _rule(queues, RuleField.SENDER_DOMAIN, "ola@vegvesen.no", "ekstern")
    with pytest.raises(ValidationError):
        _rule(queues, RuleField.SUBJECT_WORDS, "  ", "innsyn")
