from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tenestetorget.api"
    label = "api"
    verbose_name = "API"
