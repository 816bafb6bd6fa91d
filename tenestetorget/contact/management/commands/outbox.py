"""`tenestetorget outbox sweep|status`: the outbox from the command line.

`sweep` does once what `tenestetorget worker` does every 30 seconds: sends every message
whose time has come (a retry that is due, or one a dead worker was sending when its lease ran
out) and hands task rows a dead worker left *running* back to be run. Run it from cron where
no worker runs beside the web processes, e.g. `* * * * * tenestetorget outbox sweep`.

`status` counts the messages by status and lists those that failed, for monitoring: it exits
with 1 when any message has failed, so a check can alert on it.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Count

from tenestetorget.contact import outbox
from tenestetorget.contact.models import MessageStatus, OutgoingMessage


class Command(BaseCommand):
    help = (
        "The outbox: 'sweep' sends what is due and recovers what a dead worker left behind; "
        "'status' counts messages by status and lists the failed ones (exit 1 if any)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["sweep", "status"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "sweep":
            report = outbox.sweep()
            if options["verbosity"] >= 1:
                self.stdout.write(f"Outbox sweep: {report}.")
            return
        counts = dict(
            OutgoingMessage.objects.values_list("status").annotate(n=Count("id")).order_by()
        )
        for status in MessageStatus:
            self.stdout.write(f"{status.value:<10} {counts.get(status.value, 0)}")
        failed = OutgoingMessage.objects.filter(status=MessageStatus.FAILED).order_by("-id")
        for message in failed[:50]:
            self.stdout.write(
                f"failed #{message.pk} to {message.to_email} after {message.attempts} "
                f"attempt(s): {message.error}"
            )
        if counts.get(MessageStatus.FAILED, 0):
            raise SystemExit(1)
