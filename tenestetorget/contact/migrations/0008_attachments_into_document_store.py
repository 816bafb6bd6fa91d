"""Inquiry attachments move into the one document store: each file gets its core.Document
(SHA-256, size, checked type), linked from `stored_file`. The old files stay where they were
for one release. Idempotent; see core.document_backfill."""

from django.db import migrations

from tenestetorget.core.document_backfill import move_into_store


def forwards(apps, schema_editor):
    move_into_store(apps, "contact", "Attachment")


class Migration(migrations.Migration):
    dependencies = [
        ("contact", "0007_attachment_stored_file"),
        ("core", "0002_documents"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
