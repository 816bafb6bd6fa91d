"""The one question other apps ask routing: which queue for this text?"""

from __future__ import annotations

import logging

from tenestetorget.routing import models_store
from tenestetorget.routing.classifier import Prediction

logger = logging.getLogger(__name__)


def propose(subject: str, body: str) -> Prediction | None:
    """The proposed queue with its confidence and the top three candidates; `auto` when the
    model is sure enough to route without a person. None while no model has been trained
    (then a person routes, as before)."""
    try:
        model = models_store.current()
        return model.predict(subject, body)
    except models_store.NoModel:
        return None
    except Exception:
        # A damaged or missing model file must never stop an inquiry from being
        # registered: it waits for a person, and the error is in the log for the operator.
        logger.exception("routing: no proposal, the model in use failed")
        return None
