"""The routing classifier's figures (docs/routing.md): quality on the fixed held-out split,
the auto-route threshold's precision and coverage, and prediction speed on one core.

    .venv/bin/python -m benchmarks.routing

1. Trains exactly as `tenestetorget routing train` does for a new municipality: the shipped
   examples without the held-out split, plus each queue's name and scope (queues.yaml). The
   threshold is chosen on out-of-fold predictions of that training data.
2. Reports three sets of figures, so that none is mistaken for another:
   - held-out: the 125 texts never trained on and not looked at while tuning (the figure);
   - cross-validated: out-of-fold predictions of the training data (what tuning looked at);
   - in-sample: the training data scored by the model that learnt it (optimistic).
3. Times prediction on one core (BLAS threads pinned to one): texts per second in batches
   of 1,000, and the time for a single text, as a form asks.

Targets (issue 10): macro-F1 ≥ 0.93 and top-3 ≥ 0.99 held out; auto-routed precision ≥ 98 %
at ≥ 80 % coverage; ≥ 5,000 texts/s on one core. Results go to var/bench-routing.json.
"""

from __future__ import annotations

import os

# One core: set before numpy loads its BLAS.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import json  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import yaml  # noqa: E402

from tenestetorget.routing import classifier, dataset, metrics  # noqa: E402
from tenestetorget.routing.dataset import Example  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
QUEUES = ROOT / "tenestetorget" / "demo" / "data" / "queues.yaml"
RESULTS = ROOT / "var" / "bench-routing.json"


def queue_descriptions() -> list[Example]:
    queues = yaml.safe_load(QUEUES.read_text(encoding="utf-8"))["queues"]
    return [
        Example(f"queue-{code}", str(q["name"]), str(q.get("scope", "")), code)
        for code, q in queues.items()
    ]


def _figures(
    model: classifier.RoutingModel, probabilities: Any, examples: list[Example]
) -> dict[str, Any]:
    result = metrics.figures(
        probabilities, [str(e.queue) for e in examples], model.classes, model.threshold
    )
    return result.as_json()


def speed(model: classifier.RoutingModel, texts: list[str]) -> dict[str, float]:
    batch = (texts * (5000 // len(texts) + 1))[:5000]
    model.predict_texts(batch[:100])  # warm
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for start in range(0, len(batch), 1000):
            model.predict_texts(batch[start : start + 1000])
        best = min(best, time.perf_counter() - started)
    singles = []
    for text in texts[:200]:
        started = time.perf_counter()
        model.predict_texts([text])
        singles.append(time.perf_counter() - started)
    singles.sort()
    return {
        "texts_per_second": round(len(batch) / best),
        "single_text_ms_p50": round(1000 * singles[len(singles) // 2], 2),
        "single_text_ms_p95": round(1000 * singles[int(len(singles) * 0.95)], 2),
    }


def main() -> int:
    train, held = dataset.split(dataset.shipped())
    training = [*train, *queue_descriptions()]
    started = time.perf_counter()
    model, out_of_fold = classifier.train(training)
    trained_in = time.perf_counter() - started
    held_texts = classifier.texts_of(held)
    report = {
        "training_examples": len(training),
        "held_out_examples": len(held),
        "training_seconds": round(trained_in, 1),
        "threshold": round(model.threshold, 4),
        "held_out": _figures(model, model.probabilities(held_texts), held),
        "cross_validated": _figures(model, out_of_fold, training),
        "in_sample": _figures(model, model.probabilities(classifier.texts_of(training)), training),
        "speed_one_core": speed(model, held_texts + classifier.texts_of(train)),
        "machine": platform.machine(),
        "python": platform.python_version(),
    }
    held_result = metrics.figures(
        model.probabilities(held_texts),
        [str(e.queue) for e in held],
        model.classes,
        model.threshold,
    )
    print(json.dumps(report, indent=2))
    print("\nHeld-out confusion matrix (rows: true queue, columns: predicted):")
    print(metrics.confusion_text(held_result))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
