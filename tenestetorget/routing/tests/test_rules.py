"""Routing rules win over the classifier: the first active rule that matches decides."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tenestetorget.organisation.models import Queue, Unit
from tenestetorget.routing import rules
from tenestetorget.routing.models import RoutingRule, RuleField

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


def _queue(found: rules.RuleMatch | None) -> str | None:
    return found.queue if found is not None else None


def test_each_kind_of_rule(queues: dict[str, Queue]) -> None:
    _rule(queues, RuleField.SENDER_DOMAIN, "Vegvesen.no", "ekstern")
    _rule(queues, RuleField.RECIPIENT, "Byggesak@Demo.kommune.no", "byggjesak")
    _rule(queues, RuleField.SUBJECT_WORDS, "Innsynskrav", "innsyn")
    assert _queue(rules.match("Hol i vegen", "ola@region.vegvesen.no")) == "ekstern"
    assert rules.match("Hol i vegen", "ola@ikkjevegvesen.no") is None
    assert _queue(rules.match("Søknad", "", ["byggesak@demo.kommune.no"])) == "byggjesak"
    assert _queue(rules.match("INNSYNSKRAV i sak 2026/12", "")) == "innsyn"
    assert rules.match("Innsyn", "") is None


def test_the_first_active_rule_in_order_decides(queues: dict[str, Queue]) -> None:
    _rule(queues, RuleField.SUBJECT_WORDS, "veg", "veg", position=20)
    first = _rule(queues, RuleField.SUBJECT_WORDS, "veg", "ekstern", position=10)
    assert _queue(rules.match("Fylkesveg 38: veg stengd", "")) == "ekstern"
    # Whole words only: «fylkesveg» is not «veg».
    assert rules.match("Fylkesveg 38 er stengd", "") is None
    first.active = False
    first.save()
    assert _queue(rules.match("veg stengd", "")) == "veg"
    queues["veg"].active = False
    queues["veg"].save()
    assert rules.match("veg stengd", "") is None


def test_a_rule_that_cannot_match_is_refused(queues: dict[str, Queue]) -> None:
    with pytest.raises(ValidationError, match="@"):
        _rule(queues, RuleField.RECIPIENT, "byggesak", "byggjesak")
    with pytest.raises(ValidationError, match="utan @"):
        _rule(queues, RuleField.SENDER_DOMAIN, "ola@vegvesen.no", "ekstern")
    with pytest.raises(ValidationError):
        _rule(queues, RuleField.SUBJECT_WORDS, "  ", "innsyn")
