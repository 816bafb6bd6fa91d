from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tenestetorget.core"
    label = "core"
    verbose_name = "Core"
