"""The classifier on the shipped data: what it returns, its file, and its threshold. The
figures against the targets are measured by benchmarks/routing.py (docs/routing.md); the
floor here only catches a model that has stopped learning."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tenestetorget.routing import classifier, dataset, metrics, testing
from tenestetorget.routing.classifier import RoutingModel, choose_threshold


@pytest.fixture(scope="session")
def trained() -> tuple[RoutingModel, np.ndarray, list[dataset.Example]]:
    train, _held = dataset.split(dataset.shipped())
    model, out_of_fold = testing.trained()
    return model, out_of_fold, train


def test_a_prediction_has_three_candidates_best_first(trained) -> None:
    model, _oof, _train = trained
    prediction = model.predict(
        "Søknad om skjenkeløyve", "Vi søkjer om skjenkeløyve for bryllaup i Rauland samfunnshus."
    )
    assert prediction.queue == "alkohol"
    assert len(prediction.candidates) == 3
    confidences = [c.confidence for c in prediction.candidates]
    assert confidences == sorted(confidences, reverse=True)
    assert 0 < sum(confidences) <= 1.0001
    assert prediction.auto == (prediction.confidence >= model.threshold)


def test_the_held_out_split_is_learnt_well_above_chance(trained) -> None:
    model, _oof, _train = trained
    _train_part, held = dataset.split(dataset.shipped())
    result = metrics.figures(
        model.probabilities(classifier.texts_of(held)),
        [str(e.queue) for e in held],
        model.classes,
        model.threshold,
    )
    assert result.macro_f1 > 0.6 and result.top3 > 0.85


def test_the_threshold_keeps_its_promise_on_the_texts_it_was_chosen_on(trained) -> None:
    model, oof, train = trained
    result = metrics.figures(oof, [str(e.queue) for e in train], model.classes, model.threshold)
    assert result.auto_precision >= classifier.PRECISION
    assert model.meta["training_data_sha256"] == dataset.fingerprint(train)


def test_the_model_file_round_trips(trained, tmp_path: Path) -> None:
    model, _oof, train = trained
    path = model.save(tmp_path / "model.joblib")
    again = RoutingModel.load(path)
    texts = classifier.texts_of(train[:20])
    assert np.allclose(again.probabilities(texts), model.probabilities(texts))
    assert again.threshold == model.threshold
    assert (tmp_path / "model.json").exists()
    import joblib

    joblib.dump({"format": 0}, tmp_path / "old.joblib")
    with pytest.raises(ValueError, match="not a routing model"):
        RoutingModel.load(tmp_path / "old.joblib")


@given(
    st.lists(st.tuples(st.floats(0.04, 1.0), st.booleans()), min_size=1, max_size=60),
    st.sampled_from([0.5, 0.9, 0.98]),
)
def test_the_chosen_threshold_gives_the_precision_asked_for(
    rows: list[tuple[float, bool]], precision: float
) -> None:
    """Whatever the scores: the texts at or above the threshold are right at least
    `precision` of the time, or nothing is auto-routed (a threshold beyond any score)."""
    classes = ["a", "b"]
    probabilities = np.array([[c, 1 - c] if c >= 0.5 else [1 - c, c] for c, _ in rows])
    best = probabilities.argmax(axis=1)
    truth = [
        classes[b] if right else classes[1 - b] for b, (_, right) in zip(best, rows, strict=True)
    ]
    threshold = choose_threshold(probabilities, truth, classes, precision)
    confidence = probabilities.max(axis=1)
    chosen = confidence >= threshold
    if chosen.any():
        right = np.array([classes[b] == t for b, t in zip(best, truth, strict=True)])
        assert right[chosen].mean() >= precision
    else:
        assert threshold == classifier.NEVER


def test_the_direct_scores_are_the_pipelines_own() -> None:
    """Calibrated.decision_function skips scikit-learn's per-call checks; it must give the
    very scores the pipeline gives."""
    from tenestetorget.routing.testing import trained_model

    model = trained_model()
    texts = ["Søknad om skjenkeløyve til bryllaup", "Vasslekkasje i kjellaren", "", "x" * 5000]
    ours = model.pipeline.decision_function(texts)
    theirs = model.pipeline.pipeline.decision_function(texts)
    assert ours.shape == theirs.shape
    assert abs(ours - theirs).max() < 1e-9
