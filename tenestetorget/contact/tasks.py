"""Background tasks (django.tasks, run by `tenestetorget worker`).

Every task here may run twice: the outbox's sweep hands a task that a dead worker left
*running* back to be run again (contact.outbox.recover_stale_tasks), so each one is
idempotent. A task added here that is not must stay out of SAFE_TO_RUN_AGAIN."""

from django.tasks import task

from tenestetorget.contact import filing, notifications, outbox
from tenestetorget.core import tasks as core_tasks
from tenestetorget.routing import tasks as routing_tasks


@task()
def send_outgoing_message(message_id: int) -> str:
    """Send one stored message (outbox.store queues it). Returns the status it ends in, or ""
    when there was nothing to do: sent already, not due, or another worker has it."""
    return outbox.send(message_id) or ""


@task()
def send_handover_notice(handover_id: int) -> bool:
    """Queued before the outbox stored notices itself; kept so those rows still run."""
    return notifications.deliver_handover_notice(handover_id)


@task()
def check_handover_overdue(handover_id: int) -> bool:
    """Deferred to the moment the handover becomes late: mark and announce it if it is
    still not acknowledged."""
    return notifications.check_handover(handover_id)


@task()
def send_overdue_notice(handover_ids: list[int]) -> bool:
    """Queued before the outbox stored notices itself; kept so those rows still run."""
    return notifications.deliver_overdue_notice(handover_ids)


@task()
def mark_overdue_handovers() -> int:
    """The sweep over every handover (what `tenestetorget mark-overdue-handovers` runs)."""
    return len(notifications.mark_overdue_handovers())


@task()
def file_received_inquiry(inquiry_id: int) -> str:
    """File an inquiry received in a queue that always files (contact.filing.file_on_receipt):
    "filed", "skipped" (filed already, or the queue no longer files) or "failed" (the reason
    is on the inquiry's timeline)."""
    return filing.file_on_receipt(inquiry_id)


#: The tasks that may run again after their worker died mid-way (all of them: the outbox
#: takes a message once per attempt, the handover checks mark each handover once, and an
#: inquiry is filed once), and
#: core's PDF/A conversion, which makes one archival variant however often it runs.
SAFE_TO_RUN_AGAIN = frozenset(
    t.module_path
    for t in (
        core_tasks.make_archival_variant,
        send_outgoing_message,
        send_handover_notice,
        check_handover_overdue,
        send_overdue_notice,
        mark_overdue_handovers,
        file_received_inquiry,
        routing_tasks.retrain,
    )
)
