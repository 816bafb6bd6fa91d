"""The figures a routing model is judged by: accuracy, macro-F1, top-3 accuracy, the
confusion matrix, and precision and coverage at the auto-route threshold."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.metrics import confusion_matrix, f1_score


@dataclass(frozen=True)
class Figures:
    n: int
    accuracy: float
    macro_f1: float
    top3: float
    threshold: float
    #: Share of texts at or above the threshold (auto-routed).
    coverage: float
    #: Share of the auto-routed that were right.
    auto_precision: float
    labels: list[str]
    confusion: list[list[int]]

    def as_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "top3_accuracy": round(self.top3, 4),
            "threshold": round(self.threshold, 4),
            "coverage": round(self.coverage, 4),
            "auto_precision": round(self.auto_precision, 4),
        }


def figures(
    probabilities: np.ndarray, truth: Sequence[str], classes: Sequence[str], threshold: float
) -> Figures:
    order = np.argsort(-probabilities, axis=1, kind="stable")
    predicted = [classes[i] for i in order[:, 0]]
    top3 = np.mean(
        [t in {classes[i] for i in row[:3]} for t, row in zip(truth, order, strict=True)]
    )
    confidence = probabilities[np.arange(len(truth)), order[:, 0]]
    auto = confidence >= threshold
    right = np.array([p == t for p, t in zip(predicted, truth, strict=True)])
    labels = sorted(set(truth) | set(predicted))
    return Figures(
        n=len(truth),
        accuracy=float(np.mean(right)) if len(truth) else 0.0,
        macro_f1=float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)),
        top3=float(top3) if len(truth) else 0.0,
        threshold=threshold,
        coverage=float(np.mean(auto)) if len(truth) else 0.0,
        auto_precision=float(np.mean(right[auto])) if auto.any() else 1.0,
        labels=labels,
        confusion=confusion_matrix(truth, predicted, labels=labels).tolist(),
    )


def confusion_text(result: Figures) -> str:
    """The confusion matrix as text: rows are the true queue, columns the predicted
    (short names: the first four letters), only the rows and columns that are not empty."""
    labels = result.labels
    width = max(len(label) for label in labels)
    head = " " * width + " " + " ".join(f"{label[:4]:>4}" for label in labels)
    lines = [head]
    for label, row in zip(labels, result.confusion, strict=True):
        cells = " ".join(f"{n:>4}" if n else "   ." for n in row)
        lines.append(f"{label:>{width}} {cells}")
    return "\n".join(lines)
