"""`tenestetorget knowledge load|evaluate|remind-reviews|reindex`: the knowledge base's
operator tasks."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenestetorget.knowledge import search, services
from tenestetorget.knowledge.evaluation import evaluate, read_questions


class Command(BaseCommand):
    help = "Knowledge base: load content, evaluate search quality, remind owners, reindex."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Load articles, fees and life situations.")
        load.add_argument("directory", nargs="?", type=Path, default=services.CONTENT_DIR)
        ev = sub.add_parser("evaluate", help="Share of questions answered in the top 1 and 3.")
        ev.add_argument("file", type=Path)
        ev.add_argument("--verbose", action="store_true", help="List every question.")
        sub.add_parser("remind-reviews", help="E-mail owners of articles due for review.")
        sub.add_parser("reindex", help="Rebuild the search index.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "load":
            directory: Path = options["directory"]
            if not (directory / "articles").is_dir():
                raise CommandError(f"No articles/ folder in {directory}")
            try:
                report = services.load_content(directory)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            indexed = search.reindex_all()
            self.stdout.write(
                f"Life situations: {report.life_situations}. Fee prices: {report.fees}. "
                f"Articles: {report.articles_created} new, {report.articles_updated} updated; "
                f"{report.versions_changed} texts changed; {report.attachments} attachments "
                f"stored. Indexed: {indexed}."
            )
        elif action == "evaluate":
            path: Path = options["file"]
            if not path.exists():
                raise CommandError(f"No such file: {path}")
            try:
                questions = read_questions(path)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            result = evaluate(questions)
            if options["verbose"]:
                for o in result.outcomes:
                    mark = f"#{o.rank}" if o.rank else "--"
                    self.stdout.write(
                        f"{mark:>3} [{o.question.language}] {o.question.question} -> "
                        f"{', '.join(o.top) or '(no hits)'}"
                    )
            self.stdout.write(
                f"Questions: {result.total}. Top 1: {result.share(1):.1%}. "
                f"Top 3: {result.share(3):.1%}."
            )
        elif action == "remind-reviews":
            count = services.remind_owners()
            self.stdout.write(f"Reminded about {count} articles.")
        elif action == "reindex":
            self.stdout.write(f"Indexed {search.reindex_all()} versions.")
