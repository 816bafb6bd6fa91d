from typing import Any

from django.apps import AppConfig
from django.core import checks


class CoreConfig(AppConfig):
    name = "tenestetorget.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        checks.register(check_calendar_settings)


def check_calendar_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A wrong CLOSED_DAYS or office hour would otherwise show only at the first deadline."""
    from django.core.exceptions import ImproperlyConfigured

    from tenestetorget.core.calendar import calendar_from_settings

    try:
        calendar_from_settings()
    except (ImproperlyConfigured, ValueError) as exc:
        return [checks.Error(str(exc), id="tenestetorget.E001")]
    return []
