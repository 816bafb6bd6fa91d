from typing import Any

from django.core.management.base import BaseCommand

from tenestetorget.records import public_search


class Command(BaseCommand):
    help = (
        "Write the public journal's search table again from the records (after an upgrade "
        "that adds it, or an import that bypassed the services)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = public_search.rebuild()
        self.stdout.write(f"The public journal has {count} posts.")
