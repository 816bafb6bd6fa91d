from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactConfig(AppConfig):
    name = "tenestetorget.contact"
    label = "contact"
    verbose_name = _("Henvendingar")

    def ready(self) -> None:
        # The journal post pages (records) link back to the inquiry a post was filed from,
        # without records importing contact.
        from tenestetorget.contact.filing import inquiry_sources
        from tenestetorget.records.links import register_source_resolver

        register_source_resolver(inquiry_sources)
        # Routing learns from the inquiries' final queues and from the knowledge base.
        from tenestetorget.contact.routing_sources import inquiry_history, knowledge_descriptions
        from tenestetorget.routing.history import register_descriptions, register_history

        register_history(inquiry_history)
        register_descriptions(knowledge_descriptions)
