from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "tenestetorget.organisation"
    label = "organisation"
    verbose_name = _("Organisasjon")

    def ready(self) -> None:
        from tenestetorget.organisation import queue_register

        queue_register.connect_signals()
