"""The worker's sweep retrains the routing model when there is none or it is old enough,
as a background task, asked for once however many workers sweep."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from tenestetorget.contact.management.commands.worker import Sweeper
from tenestetorget.routing import models_store, schedule


@pytest.mark.django_db
def test_off_at_zero_hours(settings: Any) -> None:
    settings.ROUTING_RETRAIN_HOURS = 0
    assert not schedule.retraining_due()
    assert not schedule.enqueue_retraining_if_due()


@pytest.mark.django_db
def test_the_sweep_trains_the_first_model_and_again_when_it_is_old(
    settings: Any, tmp_path: Path
) -> None:
    settings.ROUTING_RETRAIN_HOURS = 24
    assert models_store.current_name() is None
    # The worker's sweep: no model yet, so one is trained (tasks run at once in the tests).
    Sweeper(every=0).sweep_once()
    first = models_store.current_name()
    assert first is not None
    assert not models_store.current().meta["includes_held_out"]
    # Fresh: not due, and asked for already in any case.
    assert not schedule.retraining_due()
    assert not schedule.enqueue_retraining_if_due(timezone.now() + dt.timedelta(hours=25))
    # A day later (and the earlier ask forgotten): due, and a new model comes in use.
    cache.delete(schedule._ASKED)
    later = timezone.now() + dt.timedelta(hours=25)
    assert schedule.retraining_due(later)
    assert schedule.enqueue_retraining_if_due(later)
    assert models_store.current_name() not in (None, first)


@pytest.mark.django_db
def test_an_unreadable_model_is_replaced(settings: Any) -> None:
    settings.ROUTING_RETRAIN_HOURS = 24
    folder = Path(settings.ROUTING_MODEL_DIR)
    folder.mkdir(parents=True)
    (folder / "model-x.joblib").write_bytes(b"damaged")
    (folder / "current").write_text("model-x.joblib\n")
    assert schedule.retraining_due()
