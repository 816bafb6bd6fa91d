"""The queue classifier: TF-IDF on word and character n-grams, a linear model, calibrated
probabilities, and the auto-route threshold.

Why this model: it is the strong, fast and explainable baseline for short texts of this
kind (Signalen's choice too). Word unigrams and bigrams carry the matter («ferdigattest»,
«skjenkeløyve»); character n-grams within words carry the inflected and misspelt forms of
Nynorsk, Bokmål and the dialects («brøyting», «brøytinga», «broyting») and the compounds
Norwegian is made of. A linear SVM separates them best in cross-validation on the training
data (docs/routing.md); its scores are turned into probabilities by sigmoid calibration
on out-of-fold scores (`Calibrated`), so that «0.97» means right about 97 % of the time,
which is what the threshold needs.

The threshold is chosen on out-of-fold predictions of the training data (each text scored
by a model that did not see it): the lowest confidence at which the texts at or above it
were right at least `PRECISION` of the time. Below it a person decides."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from tenestetorget.routing.dataset import Example, fingerprint
from tenestetorget.routing.features import TextFeatures
from tenestetorget.routing.text import for_classification

#: The share of auto-routed texts that must be right (issue: ≥ 98 %).
PRECISION = 0.98
FOLDS = 5
#: Bumped when the file's layout changes; a model of another format is not loaded.
FORMAT = 1
TOP = 3
#: The id prefixes of examples that describe a queue rather than being mail to it
#: (routing.history, contact.routing_sources).
DESCRIPTIONS = ("queue-", "article-")
#: The threshold when no confidence is safe: above any probability, so nothing is routed
#: without a person.
NEVER = 1.01


@dataclass(frozen=True)
class Candidate:
    queue: str
    confidence: float


@dataclass(frozen=True)
class Prediction:
    queue: str
    confidence: float
    candidates: tuple[Candidate, ...]
    #: Sure enough to route without a person (confidence at or above the threshold).
    auto: bool
    #: The routing rule that decided, if one did (routing.rules); then the model did not.
    rule: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "queue": self.queue,
            "confidence": round(self.confidence, 4),
            "candidates": [
                {"queue": c.queue, "confidence": round(c.confidence, 4)} for c in self.candidates
            ],
            "auto": self.auto,
            **({"rule": self.rule} if self.rule else {}),
        }


def build_pipeline(seed: int = 0) -> Pipeline:
    """Features and the linear SVM, without calibration (train() adds it)."""
    svm = LinearSVC(C=0.5, class_weight="balanced", random_state=seed)
    return Pipeline([("features", TextFeatures()), ("svm", svm)])


class Calibrated:
    """The SVM's scores as probabilities: per queue a sigmoid (Platt scaling, a logistic
    regression on the one score) fitted on out-of-fold scores, then normalised to sum to
    one. This is what scikit-learn's CalibratedClassifierCV(method="sigmoid",
    ensemble=False) does; done here because the same out-of-fold scores also choose the
    threshold, which saves the five further fits that wrapping would cost."""

    def __init__(self, pipeline: Pipeline, sigmoids: np.ndarray) -> None:
        self.pipeline = pipeline
        #: (a, b) per class: p = 1 / (1 + exp(-(a·score + b))).
        self.sigmoids = sigmoids

    @property
    def classes_(self) -> np.ndarray:
        return np.asarray(self.pipeline.classes_)

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """The SVM's scores, as the pipeline's decision_function gives them, computed
        directly (features · coefficients + intercepts): scikit-learn's checks on every
        call cost a third of a single text's time, and the mail room asks one at a time."""
        features = self.pipeline.named_steps["features"].transform(list(texts))
        svm = self.pipeline.named_steps["svm"]
        if svm.coef_.shape[0] == 1:  # two classes: one score column, as scikit-learn has it
            return np.asarray(self.pipeline.decision_function(list(texts)))
        return np.asarray(features @ svm.coef_.T + svm.intercept_)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return _probabilities(self.decision_function(texts), self.sigmoids)


def _fit_sigmoids(scores: np.ndarray, truth: np.ndarray, classes: np.ndarray) -> np.ndarray:
    sigmoids = np.zeros((len(classes), 2))
    for k, queue in enumerate(classes):
        target = truth == queue
        platt = LogisticRegression(C=1e4).fit(scores[:, k : k + 1], target)
        sigmoids[k] = (platt.coef_[0, 0], platt.intercept_[0])
    return sigmoids


def _probabilities(scores: np.ndarray, sigmoids: np.ndarray) -> np.ndarray:
    raw = 1 / (1 + np.exp(-(scores * sigmoids[:, 0] + sigmoids[:, 1])))
    total = raw.sum(axis=1, keepdims=True)
    total[total == 0] = 1
    return np.asarray(raw / total)


def texts_of(examples: Sequence[Example]) -> list[str]:
    return [for_classification(e.subject, e.body) for e in examples]


def choose_threshold(
    probabilities: np.ndarray, truth: Sequence[str], classes: Sequence[str], precision: float
) -> float:
    """The lowest confidence t such that the texts predicted with confidence ≥ t were right
    at least `precision` of the time (NEVER when even the surest miss it)."""
    best = probabilities.argmax(axis=1)
    confidence = probabilities[np.arange(len(best)), best]
    right = np.array([classes[b] == t for b, t in zip(best, truth, strict=True)])
    order = np.argsort(-confidence, kind="stable")
    hits = np.cumsum(right[order])
    shares = hits / np.arange(1, len(order) + 1)
    threshold = NEVER
    for i in range(len(order)):
        # A threshold must take all texts of equal confidence together.
        if i + 1 < len(order) and confidence[order[i + 1]] == confidence[order[i]]:
            continue
        if shares[i] >= precision:
            threshold = float(confidence[order[i]])
    return threshold


@dataclass
class RoutingModel:
    pipeline: Calibrated
    threshold: float
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def classes(self) -> list[str]:
        return [str(c) for c in self.pipeline.classes_]

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self.pipeline.predict_proba(list(texts)))

    def predict_texts(self, texts: Sequence[str]) -> list[Prediction]:
        if not texts:
            return []
        probabilities = self.probabilities(texts)
        classes = self.classes
        top = np.argsort(-probabilities, axis=1, kind="stable")[:, :TOP]
        out: list[Prediction] = []
        for row, best in zip(probabilities, top, strict=True):
            candidates = tuple(Candidate(classes[i], float(row[i])) for i in best)
            first = candidates[0]
            out.append(
                Prediction(
                    first.queue, first.confidence, candidates, first.confidence >= self.threshold
                )
            )
        return out

    def predict(self, subject: str, body: str) -> Prediction:
        return self.predict_texts([for_classification(subject, body)])[0]

    # The file

    def save(self, path: Path) -> Path:
        """Write the model (joblib) and its description beside it (.json); both are
        written whole before they replace anything."""
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = {**self.meta, "format": FORMAT, "threshold": self.threshold}
        partial = path.with_name(path.name + ".part")
        joblib.dump({"format": FORMAT, "pipeline": self.pipeline, "meta": meta}, partial)
        described = path.with_suffix(".json")
        described_part = described.with_name(described.name + ".part")
        described_part.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
        os.replace(partial, path)
        os.replace(described_part, described)
        return path

    @classmethod
    def load(cls, path: Path) -> RoutingModel:
        """A model this installation wrote (joblib is pickle: never load a file from
        elsewhere; the path comes from the settings, not from a user)."""
        stored = joblib.load(path)
        if not isinstance(stored, dict) or stored.get("format") != FORMAT:
            raise ValueError(f"{path}: not a routing model of format {FORMAT}")
        meta = stored["meta"]
        return cls(stored["pipeline"], float(meta["threshold"]), meta)


def train(
    examples: Sequence[Example], *, seed: int = 0, precision: float = PRECISION
) -> tuple[RoutingModel, np.ndarray]:
    """A model trained on `examples`, its probabilities calibrated and its threshold chosen
    on out-of-fold scores (each text scored by a model that did not see it); also those
    out-of-fold probabilities, in the model's class order."""
    texts = texts_of(examples)
    labels = np.array([str(e.queue) for e in examples])
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=seed)
    scores = cross_val_predict(
        build_pipeline(seed), texts, labels, cv=folds, method="decision_function"
    )
    pipeline = build_pipeline(seed).fit(texts, labels)
    classes = np.asarray(pipeline.classes_)
    sigmoids = _fit_sigmoids(scores, labels, classes)
    out_of_fold = _probabilities(scores, sigmoids)
    # The threshold is chosen on texts that are mail, not on the descriptions of the queues
    # (their scope, knowledge articles), which are no sample of what will come in.
    mail = np.array([not e.id.startswith(DESCRIPTIONS) for e in examples])
    threshold = choose_threshold(
        out_of_fold[mail], list(labels[mail]), [str(c) for c in classes], precision
    )
    meta = {
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "training_examples": len(examples),
        "training_data_sha256": fingerprint(examples),
        "queues": [str(c) for c in classes],
        "precision_target": precision,
    }
    return RoutingModel(Calibrated(pipeline, sigmoids), threshold, meta), out_of_fold
