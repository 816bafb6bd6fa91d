from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "tenestetorget.demo"
    label = "demo"
    verbose_name = "Demo municipality"
