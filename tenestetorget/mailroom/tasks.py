"""The mail room's background tasks. Both are safe to run again: a message is processed only
while it is `received`, and registering it again is refused by its intake key."""

from __future__ import annotations

from django.tasks import task

from tenestetorget.mailroom import intake
from tenestetorget.mailroom.models import IncomingMessage, State


@task()
def process_message(message_id: int) -> str:
    """Process one stored message (an uploaded scan: OCR takes seconds a page)."""
    message = IncomingMessage.objects.filter(pk=message_id).first()
    if message is None:
        return ""
    return intake.process(message).state


@task()
def process_waiting() -> int:
    return intake.process_waiting(limit=500)


def enqueue_waiting_if_any() -> bool:
    """The worker's sweep: messages stored but left unprocessed (a process killed half-way, an
    upload whose task was lost) are processed by a task. Older than a minute only, so that
    a message an adapter is processing right now is not taken twice."""
    import datetime as dt

    from django.utils import timezone

    cutoff = timezone.now() - dt.timedelta(minutes=1)
    if IncomingMessage.objects.filter(state=State.RECEIVED, received_at__lt=cutoff).exists():
        process_waiting.enqueue()
        return True
    return False
