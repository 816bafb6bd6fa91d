"""Background tasks of core (django.tasks, run by `tenestetorget worker`).

Each may run twice (a dead worker's task is handed out again): converting a variant that is
done already does nothing."""

from django.tasks import task

from tenestetorget.core import documents
from tenestetorget.core.models import DocumentVariant


@task()
def make_archival_variant(variant_id: int) -> str:
    """Make one archival PDF/A variant (core.documents.finalise queues it). Returns the status
    it ends in, or "" when the variant is gone."""
    variant = DocumentVariant.objects.filter(pk=variant_id).select_related("original").first()
    if variant is None:
        return ""
    return str(documents.convert(variant).conversion_status)
