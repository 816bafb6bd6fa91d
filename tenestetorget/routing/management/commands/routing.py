"""`tenestetorget routing train | evaluate FILE | predict FILE` (docs/routing.md)."""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tenestetorget.routing import dataset, metrics, models_store
from tenestetorget.routing.classifier import texts_of


class Command(BaseCommand):
    help = "The queue classifier: train it, evaluate it on labelled texts, predict queues."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        train = actions.add_parser(
            "train",
            help="Train a model on the shipped examples and the municipality's routing "
            "history, and make it the one in use.",
        )
        train.add_argument(
            "--data",
            type=Path,
            action="append",
            default=[],
            help="Extra labelled JSON Lines (id, subject, body, queue); may be repeated.",
        )
        train.add_argument(
            "--no-history", action="store_true", help="Leave out the inquiries' routing history."
        )
        train.add_argument(
            "--history-per-queue",
            type=int,
            default=None,
            metavar="N",
            help="Learn from the latest N routed inquiries of each queue only (default: all).",
        )
        train.add_argument(
            "--include-held-out",
            action="store_true",
            help="Train on the held-out split too (for production; the figures then have no "
            "untouched test set).",
        )
        evaluate = actions.add_parser(
            "evaluate", help="Accuracy, macro-F1, top-3, confusion matrix, auto-route figures."
        )
        evaluate.add_argument("file", type=Path, help="Labelled JSON Lines.")
        evaluate.add_argument("--json", action="store_true", help="The figures as JSON only.")
        predict = actions.add_parser(
            "predict", help="One JSON line per input line: id, queue, confidence, candidates."
        )
        predict.add_argument("file", type=Path, help="JSON Lines with id, subject and body.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except dataset.DataError as error:
            raise CommandError(_("Fila kan ikkje lesast: %(error)s") % {"error": error}) from error
        except models_store.NoModel as error:
            raise CommandError(str(error)) from error

    def _train(self, options: dict[str, Any]) -> None:
        extra = [e for path in options["data"] for e in dataset.read_jsonl(path)]
        trained = models_store.train_and_install(
            extra=extra,
            history=not options["no_history"],
            include_held_out=options["include_held_out"],
            history_per_queue=options["history_per_queue"],
            progress=self.stderr.write if options["verbosity"] >= 1 else None,
        )
        meta = trained.meta
        self.stdout.write(
            _("Modellen %(name)s er i bruk: %(n)s døme, %(queues)s køar, terskel %(threshold).3f.")
            % {
                "name": meta["file"],
                "n": meta["training_examples"],
                "queues": len(meta["queues"]),
                "threshold": trained.threshold,
            }
        )

    def _evaluate(self, options: dict[str, Any]) -> None:
        examples = dataset.read_jsonl(options["file"])
        model = models_store.current()
        result = metrics.figures(
            model.probabilities(texts_of(examples)),
            [str(e.queue) for e in examples],
            model.classes,
            model.threshold,
        )
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json()))
            return
        figures = result.as_json()
        self.stdout.write(
            _(
                "%(n)s tekstar\n"
                "Treffsikkerheit (accuracy): %(accuracy).3f\n"
                "Makro-F1: %(macro_f1).3f\n"
                "Rett kø blant dei tre første: %(top3_accuracy).3f\n"
                "Terskel for automatisk ruting: %(threshold).3f\n"
                "Automatisk ruta: %(coverage).1f %% av tekstane, rett i %(auto_precision).1f %%"
            )
            % {
                **figures,
                "coverage": 100 * figures["coverage"],
                "auto_precision": 100 * figures["auto_precision"],
            }
        )
        self.stdout.write(_("Forvekslingar (rad: rett kø, kolonne: foreslått):"))
        self.stdout.write(metrics.confusion_text(result))
        self.stdout.write(json.dumps(figures))

    def _predict(self, options: dict[str, Any]) -> None:
        examples = dataset.read_jsonl(options["file"], labelled=False)
        model = models_store.current()
        out = sys.stdout
        batch = 1000
        for start in range(0, len(examples), batch):
            part = examples[start : start + batch]
            for example, prediction in zip(part, model.predict_texts(texts_of(part)), strict=True):
                out.write(
                    json.dumps({"id": example.id, **prediction.as_json()}, ensure_ascii=False)
                )
                out.write("\n")
        out.flush()
