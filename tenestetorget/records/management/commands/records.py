"""`tenestetorget records`: the archive extraction (arkivuttrekk), for the archivist.

tenestetorget records export --out DIR [--arkivdel ID] [--no-validate]
tenestetorget records import DIR

docs/archive-export.md says what each file is and how screened material looks in each.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tenestetorget.records.extraction import schemas
from tenestetorget.records.extraction.export import ExportRefused, export_package
from tenestetorget.records.extraction.importer import ImportRefused, import_package


class Command(BaseCommand):
    help = "Noark 5 arkivuttrekk: export closed archive periods, import a package."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser(
            "export",
            help="Write a Noark 5 v5.0 extraction package of every closed period (status P), "
            "or of the one named with --arkivdel.",
        )
        export.add_argument("--out", required=True, type=Path, help="A new or empty folder.")
        export.add_argument("--arkivdel", help="The period's id or systemID.")
        export.add_argument(
            "--no-validate",
            action="store_true",
            help="Skip checking each written file against Arkivverket's schemas.",
        )
        imported = actions.add_parser(
            "import", help="Read an extraction package into an empty archive, all or nothing."
        )
        imported.add_argument("package", type=Path, help="The package folder.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "export":
                self._export(options)
            else:
                self._import(options)
        except (ExportRefused, ImportRefused, schemas.SchemasMissing) as refused:
            raise CommandError(str(refused)) from refused

    def _export(self, options: dict[str, Any]) -> None:
        result = export_package(
            options["out"],
            options["arkivdel"],
            validate=not options["no_validate"],
            stream=self.stderr if options["verbosity"] >= 1 else None,
        )
        if options["verbosity"] >= 1:
            rate = result.entries / result.seconds if result.seconds else 0
            self.stdout.write(
                _(
                    "Arkivuttrekket er skrive til %(dir)s: %(entries)s registreringar, "
                    "%(files)s dokumentfiler, %(seconds).1f s (%(rate)s registreringar per sekund)."
                )
                % {
                    "dir": result.out_dir,
                    "entries": result.entries,
                    "files": result.document_files,
                    "seconds": result.seconds,
                    "rate": int(rate),
                }
            )

    def _import(self, options: dict[str, Any]) -> None:
        result = import_package(
            options["package"],
            stream=self.stderr if options["verbosity"] >= 1 else None,
        )
        if options["verbosity"] >= 1:
            self.stdout.write(
                _(
                    "Arkivuttrekket er lese inn: %(cases)s saker, %(entries)s registreringar, "
                    "%(files)s dokumentfiler."
                )
                % {"cases": result.cases, "entries": result.entries, "files": result.files}
            )
            for warning in result.warnings:
                self.stdout.write(warning)
