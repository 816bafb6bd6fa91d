from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "tenestetorget.records"
    label = "records"
    verbose_name = _("Arkiv")

    def ready(self) -> None:
        # Listens for core's finished PDF/A conversions: the A version of finished documents.
        from tenestetorget.records import archival_variant  # noqa: F401

        # The public journal's search table follows every change of what it is made from.
        from tenestetorget.records import public_search

        public_search.connect_signals()
