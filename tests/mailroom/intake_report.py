"""A separate process on the database in DATABASE_URL, for the intake's kill test (pytest's
SQLite database is in memory, invisible to the import processes):

    python -m tests.mailroom.intake_report prepare   migrate, and the demo's units and queues
    python -m tests.mailroom.intake_report report    what the database holds, as JSON
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tenestetorget.settings")
    import django

    django.setup()

    from django.core.management import call_command
    from django.db.models import Count

    from tenestetorget.contact.models import Attachment, Inquiry, IntakeRecord, OutgoingMessage
    from tenestetorget.mailroom.models import IncomingMessage
    from tenestetorget.organisation.services import load_organisation

    if argv[0] == "prepare":
        call_command("migrate", verbosity=0)
        root = Path(__file__).resolve().parents[2]
        load_organisation(root / "tenestetorget" / "demo" / "data" / "queues.yaml")
        return 0
    per_message = Inquiry.objects.values("message_id").annotate(n=Count("id")).filter(n__gt=1)
    acks = (
        OutgoingMessage.objects.filter(kind="acknowledgement")
        .values("inquiry_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    attachments = (
        Attachment.objects.values("inquiry_id", "original_name")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    report = {
        "stored": IncomingMessage.objects.count(),
        "states": dict(
            IncomingMessage.objects.values_list("state").annotate(n=Count("id")).order_by()
        ),
        "inquiries": Inquiry.objects.count(),
        "distinct_message_ids": Inquiry.objects.values("message_id").distinct().count(),
        "doubled_message_ids": per_message.count(),
        "intake_records": IntakeRecord.objects.filter(source="email").count(),
        "acknowledgements": OutgoingMessage.objects.filter(kind="acknowledgement").count(),
        "doubled_acknowledgements": acks.count(),
        "attachments": Attachment.objects.count(),
        "doubled_attachments": attachments.count(),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
