"""Background tasks (django.tasks, run by the django-tasks-db worker)."""

from django.tasks import task

from tenestetorget.contact import notifications
from tenestetorget.contact.messaging import deliver
from tenestetorget.contact.models import OutgoingMessage


@task()
def send_outgoing_message(message_id: int) -> bool:
    message = OutgoingMessage.objects.select_related("inquiry").filter(pk=message_id).first()
    if message is None:
        return False
    return deliver(message)


@task()
def send_handover_notice(handover_id: int) -> bool:
    """E-mail the receiver of a handover (notifications.handover_created queues it)."""
    return notifications.deliver_handover_notice(handover_id)


@task()
def check_handover_overdue(handover_id: int) -> bool:
    """Deferred to the moment the handover becomes late: mark and announce it if it is
    still not acknowledged."""
    return notifications.check_handover(handover_id)


@task()
def send_overdue_notice(handover_ids: list[int]) -> bool:
    """E-mail the front desk about handovers just marked late."""
    return notifications.deliver_overdue_notice(handover_ids)


@task()
def mark_overdue_handovers() -> int:
    """The sweep over every handover (what `tenestetorget mark-overdue-handovers` runs)."""
    return len(notifications.mark_overdue_handovers())
