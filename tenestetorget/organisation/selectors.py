"""Reads of the organisation."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from tenestetorget.organisation import queue_register
from tenestetorget.organisation.models import Channel, Queue, ServiceGuarantee

#: Used when a queue has no guarantee for a channel, and for inquiries not yet routed.
DEFAULT_ANSWER_WORKING_DAYS = {
    Channel.PHONE: 2,
    Channel.COUNTER: 2,
    Channel.EMAIL: 2,
    Channel.WEBFORM: 2,
    Channel.LETTER: 5,
    Channel.SOCIAL: 2,
}


def queues_with_guarantees() -> QuerySet[Queue]:
    return (
        Queue.objects.filter(active=True)
        .select_related("unit")
        .prefetch_related(
            Prefetch("guarantees", queryset=ServiceGuarantee.objects.order_by("channel"))
        )
        .order_by("unit__name", "name")
    )


def guarantee_for(queue: Queue | None, channel: str) -> ServiceGuarantee | None:
    if queue is None:
        return None
    return queue_register.guarantee(queue, channel)


_UNSET = object()


def answer_working_days(
    queue: Queue | None, channel: str, guarantee: ServiceGuarantee | object | None = _UNSET
) -> int:
    """The promised answer time in working days; pass the guarantee if already looked up."""
    if guarantee is _UNSET:
        guarantee = guarantee_for(queue, channel)
    if isinstance(guarantee, ServiceGuarantee):
        return guarantee.answer_working_days
    return DEFAULT_ANSWER_WORKING_DAYS.get(Channel(channel), 2)
