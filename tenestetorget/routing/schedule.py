"""When the worker retrains the routing model (docs/routing.md, «Retraining»).

The worker's sweep asks `enqueue_retraining_if_due()` every half minute. A retraining is
due when no model is in use yet (a new installation: the shipped examples and the queues'
scopes give it sensible proposals from the first day), or when the one in use is older than
ROUTING_RETRAIN_HOURS. The work itself runs as a background task (`routing.tasks.retrain`),
never in the sweep. 0 hours turns this off (then `tenestetorget routing train` by hand)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from tenestetorget.routing import models_store

log = logging.getLogger(__name__)

#: Cache key that marks a retraining as asked for, so that several workers' sweeps ask once.
_ASKED = "routing:retrain-asked"


def retraining_due(now: dt.datetime | None = None) -> bool:
    hours = float(getattr(settings, "ROUTING_RETRAIN_HOURS", 0) or 0)
    if hours <= 0:
        return False
    if models_store.current_name() is None:
        return True
    try:
        created = dt.datetime.fromisoformat(str(models_store.current().meta["created"]))
    except Exception:
        # A model file that cannot be read is replaced by a new one.
        log.exception("routing: the model in use cannot be read; retraining")
        return True
    return (now or timezone.now()) - created >= dt.timedelta(hours=hours)


def enqueue_retraining_if_due(now: dt.datetime | None = None) -> bool:
    """Queue `routing.tasks.retrain` when due and not asked for lately; True if queued."""
    if not retraining_due(now):
        return False
    hours = float(settings.ROUTING_RETRAIN_HOURS)
    # Asked for at most once per period (and per hour while a first model is missing), by
    # whichever worker comes first; the cache is shared between workers where CACHE_URL is set.
    if not cache.add(_ASKED, True, timeout=int(min(hours, 1.0) * 3600)):
        return False
    from tenestetorget.routing.tasks import retrain

    retrain.enqueue()
    log.info("routing: retraining queued")
    return True
