from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "tenestetorget.records"
    label = "records"
    verbose_name = _("Arkiv")

    def ready(self) -> None:
        # The public journal's search table follows every change of what it is made from.
        from tenestetorget.records import public_search

        public_search.connect_signals()
