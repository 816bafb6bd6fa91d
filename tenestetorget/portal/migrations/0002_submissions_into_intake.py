"""The contact form's submissions move into contact's one intake record (source "webform",
key the form's one-time id), and the portal's own table goes."""

from typing import Any

from django.db import migrations


def into_intake(apps: Any, schema_editor: Any) -> None:
    Submission = apps.get_model("portal", "ContactSubmission")
    Record = apps.get_model("contact", "IntakeRecord")
    Record.objects.bulk_create(
        [
            Record(source="webform", key=str(s.submission_id), inquiry_id=s.inquiry_id)
            for s in Submission.objects.all().iterator()
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


def out_of_intake(apps: Any, schema_editor: Any) -> None:
    Submission = apps.get_model("portal", "ContactSubmission")
    Record = apps.get_model("contact", "IntakeRecord")
    for record in Record.objects.filter(source="webform").iterator():
        Submission.objects.get_or_create(
            submission_id=record.key, defaults={"inquiry_id": record.inquiry_id}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("contact", "0010_intake_record"),
    ]

    operations = [
        migrations.RunPython(into_intake, out_of_intake),
        migrations.DeleteModel(name="ContactSubmission"),
    ]
