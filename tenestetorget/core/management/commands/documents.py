"""`tenestetorget documents`: the document store, for the operator.

tenestetorget documents convert-waiting   convert what waits for a converter
tenestetorget documents queue             list what is not converted, with the reason
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from tenestetorget.core import documents


class Command(BaseCommand):
    help = "The document store: the archival (PDF/A) conversion queue."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser(
            "convert-waiting",
            help="Convert every document that waits for a converter (run it after "
            "installing LibreOffice). Safe to run as often as you like.",
        )
        actions.add_parser(
            "queue", help="List the variants that are not made: waiting or failed, and why."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "queue":
            for variant in documents.conversion_queue():
                self.stdout.write(
                    f"{variant.pk}\t{variant.conversion_status}\t{variant.original.mime_type}"
                    f"\t{variant.original.sha256[:12]}\t{variant.conversion_reason}"
                )
            return
        counts = documents.convert_waiting()
        if options["verbosity"] >= 1:
            summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
            self.stdout.write(f"Converted the waiting documents: {summary or 'none waited'}.")
