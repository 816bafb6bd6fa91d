from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "tenestetorget.records"
    label = "records"
    verbose_name = _("Arkiv")

    def ready(self) -> None:
        # archival_variant listens for core's finished PDF/A conversions (the A version of
        # finished documents); the public journal's search table follows every change of
        # what it is made from.
        from tenestetorget.records import archival_variant, public_search

        archival_variant.connect_signals()
        public_search.connect_signals()
