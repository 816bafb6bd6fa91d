"""A separate process on the database in DATABASE_URL, for the outbox's durability test: it
writes and reads the rows the worker processes see (the test's own database is not theirs
on SQLite, where pytest's is in memory).

    python -m tests.mail.outbox_process migrate
    python -m tests.mail.outbox_process register ADDRESS...
    python -m tests.mail.outbox_process report

`register` registers one e-mail inquiry per address, as the e-mail channel does: each stores
its acknowledgement in the outbox and enqueues the send, in one transaction. It prints
{address: message pk}. `report` prints the outbox's rows and the task rows' statuses as JSON.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tenestetorget.settings")
    import django

    django.setup()

    from django.core.management import call_command
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from tenestetorget.contact import services
    from tenestetorget.contact.models import OutgoingMessage
    from tenestetorget.organisation.models import Channel

    if argv[0] == "migrate":
        call_command("migrate", verbosity=0)
        return 0
    if argv[0] == "register":
        stored: dict[str, int] = {}
        for address in argv[1:]:
            inquiry = services.register_inquiry(
                channel=Channel.EMAIL,
                subject=f"Spørsmål frå {address}",
                body="Kva tid blir vegen brøyta?",
                sender=services.SenderData(name="Kari Nordmann", email=address),
            )
            stored[address] = OutgoingMessage.objects.get(inquiry=inquiry).pk
        print(json.dumps(stored))
        return 0
    if argv[0] == "report":
        messages: list[dict[str, Any]] = [
            {
                "pk": m.pk,
                "to": m.to_email,
                "status": m.status,
                "attempts": m.attempts,
                "message_id": m.message_id,
                "error": m.error,
                "sent": m.sent_at is not None,
            }
            for m in OutgoingMessage.objects.order_by("pk")
        ]
        tasks = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by())
        print(json.dumps({"messages": messages, "tasks": tasks}))
        return 0
    print(f"unknown action {argv[0]!r}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
