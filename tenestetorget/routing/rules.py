"""The routing rules applied to a message: the first active rule that matches decides."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from tenestetorget.core.process_memory import forget_on_change
from tenestetorget.organisation.queue_register import queue_by_code
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


#: How long a process keeps the rules before reading them again. A change in the admin clears
#: this process's copy at once (the signal below); other processes see it within this time.
RULES_SECONDS = 30.0
_cache: tuple[float, list[RoutingRule]] | None = None


def _active_rules() -> list[RoutingRule]:
    """The active rules in position order, read at most every RULES_SECONDS: the mail room
    asks for every message, and a query each time cost more than the classifier."""
    global _cache
    now = time.monotonic()
    if _cache is None or now - _cache[0] > RULES_SECONDS:
        rules = list(
            RoutingRule.objects.filter(active=True, queue__active=True).select_related("queue")
        )
        _cache = (now, rules)
    return _cache[1]


def forget_rules() -> None:
    global _cache
    _cache = None


def connect_signals() -> None:
    """A rule saved or deleted is forgotten at once, and again at the commit
    (core.process_memory, as the queue register does)."""
    forget_on_change("routing_rules", (RoutingRule,), forget_rules)


def match(
    subject: str, sender_email: str = "", recipients: list[str] | None = None
) -> RuleMatch | None:
    """The first active rule (in position order) whose queue is active and that matches."""
    for rule in _active_rules():
        # The queue's state from the queue register (its own cache, told of every change),
        # not from the copy held with the rule.
        queue = queue_by_code(rule.queue.code)
        if queue is None or not queue.active:
            continue
        if _matches(rule, subject, sender_email, recipients or []):
            return RuleMatch(rule.queue.code, rule.pk, str(rule))
    return None
