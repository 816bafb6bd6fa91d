"""For tests: a routing model trained once per test process on the shipped training split,
installed into a folder of the test's choosing."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
from django.test import override_settings

from tenestetorget.routing import classifier, dataset, models_store


@functools.cache
def trained() -> tuple[classifier.RoutingModel, np.ndarray]:
    """Trained once (seconds), then shared by every test that needs a model: the model and
    its out-of-fold probabilities on the training split."""
    return classifier.train(dataset.split(dataset.shipped())[0])


def trained_model() -> classifier.RoutingModel:
    return trained()[0]


def install_trained_model(folder: Path) -> Path:
    """`folder` as a ROUTING_MODEL_DIR with the trained model in use; returns it."""
    with override_settings(ROUTING_MODEL_DIR=folder):
        models_store.install(trained_model())
    return folder
