"""Retraining as a background task (django.tasks, run by `tenestetorget worker`)."""

from __future__ import annotations

from django.tasks import task

from tenestetorget.routing import models_store


@task()
def retrain() -> str:
    """Train on everything the model learns from (shipped examples, queue scopes, the
    knowledge base, the routing history with its corrections) and put the new model in use.
    Safe to run twice: each run writes a new versioned file and points `current` at it."""
    return str(models_store.train_and_install().meta["file"])
