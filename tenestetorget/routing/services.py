"""The one question other apps ask routing: which queue for this text?"""

from __future__ import annotations

import logging

from tenestetorget.routing import models_store, rules
from tenestetorget.routing.classifier import Candidate, Prediction

logger = logging.getLogger(__name__)


def propose(
    subject: str, body: str, *, sender_email: str = "", recipients: list[str] | None = None
) -> Prediction | None:
    """The proposed queue with its confidence and the top three candidates; `auto` when it
    may be routed without a person. A matching routing rule decides first (confidence 1,
    `rule` set); otherwise the model proposes. None while there is neither a rule that
    matches nor a trained model (then a person routes, as before)."""
    found = rules.match(subject, sender_email, recipients)
    model_prediction = _from_model(subject, body)
    if found is None:
        return model_prediction
    others = [
        c
        for c in (model_prediction.candidates if model_prediction else ())
        if c.queue != found.queue
    ]
    return Prediction(
        found.queue,
        1.0,
        (Candidate(found.queue, 1.0), *others[:2]),
        True,
        rule=found.description,
    )


def _from_model(subject: str, body: str) -> Prediction | None:
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
