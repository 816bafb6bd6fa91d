from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "tenestetorget.routing"
    label = "routing"
    verbose_name = _("Ruting")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tenestetorget.routing.history import queue_descriptions, register_descriptions

        register_descriptions(queue_descriptions)

        from tenestetorget.routing import rules

        rules.connect_signals()
