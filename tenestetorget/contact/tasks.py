"""Background tasks (django.tasks, run by the django-tasks-db worker)."""

from django.tasks import task

from tenestetorget.contact.messaging import deliver
from tenestetorget.contact.models import OutgoingMessage


@task()
def send_outgoing_message(message_id: int) -> bool:
    message = OutgoingMessage.objects.select_related("inquiry").filter(pk=message_id).first()
    if message is None:
        return False
    return deliver(message)
