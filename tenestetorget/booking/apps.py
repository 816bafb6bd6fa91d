from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    name = "tenestetorget.booking"
    label = "booking"
    verbose_name = _("Utleige")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tenestetorget.booking import panels, reminders
        from tenestetorget.core import panels as core_panels
        from tenestetorget.core import sweeps

        sweeps.register("booking", reminders.sweep)
        core_panels.register_sender_panel("booking", panels.sender_bookings)
