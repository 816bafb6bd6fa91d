from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tenestetorget.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from tenestetorget.api import authentication

        authentication.connect_signals()
