"""`tenestetorget mark-overdue-handovers`: mark every handover nobody acknowledged in time.

Each handover already gets a check of its own, deferred to the moment it becomes late (see
contact.notifications.handover_created), so with the django-tasks-db worker running nothing
else is needed. This command is the sweep over all of them: run it once after upgrading
(handovers made before have no check), after lowering HANDOVER_ACK_WORKING_HOURS, and from
cron where the task backend cannot defer. It is idempotent: a handover is marked once.
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from tenestetorget.contact.notifications import mark_overdue_handovers


class Command(BaseCommand):
    help = (
        "Write a 'not acknowledged in time' event for each handover that has waited longer "
        "than HANDOVER_ACK_WORKING_HOURS office hours, once per handover, and e-mail the "
        "front desk about the new ones. Safe to run as often as you like."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--no-email",
            action="store_true",
            help="Write the events but do not e-mail the front desk.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        marked = mark_overdue_handovers(announce=not options["no_email"])
        if options["verbosity"] >= 1:
            self.stdout.write(f"{len(marked)} handover(s) marked as not acknowledged in time.")
