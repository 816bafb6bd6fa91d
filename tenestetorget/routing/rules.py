"""The routing rules applied to a message: the first active rule that matches decides."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tenestetorget.routing.models import RoutingRule, RuleField

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class RuleMatch:
    queue: str
    rule_id: int
    description: str


def _domain(address: str) -> str:
    return address.rpartition("@")[2].strip().lower().rstrip(">").strip()


def _matches(rule: RoutingRule, subject: str, sender_email: str, recipients: list[str]) -> bool:
    pattern = rule.pattern.strip().lower()
    if rule.field == RuleField.SENDER_DOMAIN:
        domain = _domain(sender_email)
        return bool(domain) and (domain == pattern or domain.endswith("." + pattern))
    if rule.field == RuleField.RECIPIENT:
        return pattern in {r.strip().lower() for r in recipients}
    words = set(_WORD.findall(subject.lower()))
    wanted = _WORD.findall(pattern)
    return bool(wanted) and all(w in words for w in wanted)


def match(
    subject: str, sender_email: str = "", recipients: list[str] | None = None
) -> RuleMatch | None:
    """The first active rule (in position order) whose queue is active and that matches."""
    rules = RoutingRule.objects.filter(active=True, queue__active=True).select_related("queue")
    for rule in rules:
        if _matches(rule, subject, sender_email, recipients or []):
            return RuleMatch(rule.queue.code, rule.pk, str(rule))
    return None
