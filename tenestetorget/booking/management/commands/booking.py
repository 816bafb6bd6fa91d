"""tenestetorget booking: utleige from the command line (docs/booking.md).

booking import-residents FILE.csv   replace the resident register with this extract from the
                                    population data (fodselsnummer;namn;husstand;adresse)
booking sweep                       send what is due now (arrival information, thanks after
                                    a stay, lottery deadlines); the worker does this by itself
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tenestetorget.booking import reminders, residency


class Command(BaseCommand):
    help = "Utleige: import the resident register, or run the booking sweep."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        importing = commands.add_parser("import-residents", help="import the resident register")
        importing.add_argument("path", type=Path)
        commands.add_parser("sweep", help="send what is due now")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import-residents":
            path: Path = options["path"]
            try:
                text = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"{path}: cannot be read as UTF-8 text ({exc})") from None
            report = residency.import_register(text)
            self.stdout.write(json.dumps({"imported": report.imported, "skipped": report.skipped}))
            return
        arrivals, ended = reminders.sweep()
        self.stdout.write(json.dumps({"arrival_notices": arrivals, "stays_ended": ended}))
