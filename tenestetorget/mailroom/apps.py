from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailroomConfig(AppConfig):
    """The mail room (postmottak): e-mail from IMAP mailboxes and files, and scanned paper
    mail, stored first and then registered as inquiries through contact's one intake."""

    name = "tenestetorget.mailroom"
    label = "mailroom"
    verbose_name = _("Postmottak")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tenestetorget.core import sweeps
        from tenestetorget.mailroom.tasks import enqueue_waiting_if_any

        sweeps.register("mailroom", enqueue_waiting_if_any)
