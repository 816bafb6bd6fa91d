"""`tenestetorget import-history FILE`: inquiries older than a year, with their own dates.

Registration refuses a received_at more than a year back; this is the one way to bring in an
earlier system's history (contact.history_import). Nothing is sent to the senders.
"""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from tenestetorget.contact.history_import import (
    ImportFailed,
    import_history,
    rows_from_csv,
    rows_from_jsonl,
)

READERS = {".jsonl": rows_from_jsonl, ".csv": rows_from_csv}


class Command(BaseCommand):
    help = (
        "Import older inquiries from a .jsonl or .csv file with their original received_at "
        "(back to 1900) and, for closed ones, closed_at. No acknowledgement is sent. All or "
        "nothing: one bad row imports nothing, and every bad line is named."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "file", type=Path, help="A .jsonl (one JSON object a line) or .csv file."
        )
        parser.add_argument(
            "--actor",
            metavar="USERNAME",
            help="The member of staff the import is recorded as (default: the system).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row, import nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        reader = READERS.get(path.suffix.lower())
        if reader is None:
            raise CommandError(f"{path}: give a .jsonl or .csv file")
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        actor = None
        if options["actor"]:
            actor = get_user_model().objects.filter(username=options["actor"]).first()
            if actor is None:
                raise CommandError(f"No such user: {options['actor']}")
        try:
            with path.open(encoding="utf-8-sig", newline="") as stream:
                report = import_history(reader(stream), actor=actor, dry_run=options["dry_run"])
        except ImportFailed as exc:
            raise CommandError(f"{path}: nothing imported.\n{exc}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path}: not UTF-8 text ({exc})") from exc
        verb = "checked (dry run, nothing kept)" if options["dry_run"] else "imported"
        self.stdout.write(
            f"{report.imported} inquiries {verb}, {report.closed} of them closed; "
            "no acknowledgements sent."
        )
