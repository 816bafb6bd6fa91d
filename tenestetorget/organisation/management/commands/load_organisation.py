from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenestetorget.organisation.services import load_organisation


class Command(BaseCommand):
    help = "Create or update units, queues, service guarantees and staff from a YAML file."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        try:
            report = load_organisation(path)
        except (ValidationError, KeyError, ValueError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        self.stdout.write(
            f"Units: {report.units_created} new, {report.units_updated} updated. "
            f"Queues: {report.queues_created} new, {report.queues_updated} updated. "
            f"Guarantees: {report.guarantees}. "
            f"Staff: {report.staff_created} new, {report.staff_updated} updated."
        )
        for warning in report.warnings:
            self.stderr.write(f"Warning: {warning}")
