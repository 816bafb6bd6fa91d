"""One intake record for every adapter (contact.intake): the API's idempotency records get a
source ("api:<user id>") instead of a user column, and the model its new name. The portal's
own table of contact-form submissions moves in here in its next migration. Inquiries get the
e-mail's Message-ID and the intake's flags."""

from typing import Any

from django.conf import settings
from django.db import migrations, models


def users_to_sources(apps: Any, schema_editor: Any) -> None:
    Record = apps.get_model("contact", "IdempotencyRecord")
    for record in Record.objects.all().only("pk", "user_id").iterator():
        Record.objects.filter(pk=record.pk).update(source=f"api:{record.user_id}")


def sources_to_users(apps: Any, schema_editor: Any) -> None:
    Record = apps.get_model("contact", "IdempotencyRecord")
    for record in Record.objects.all().iterator():
        source = record.source or ""
        if source.startswith("api:"):
            Record.objects.filter(pk=record.pk).update(user_id=int(source[4:]))
        else:
            record.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contact", "0009_inquiry_filing"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="idempotencyrecord",
            name="source",
            field=models.CharField(default="", max_length=60),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="idempotencyrecord",
            name="request_hash",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AlterField(
            model_name="idempotencyrecord",
            name="user",
            field=models.ForeignKey(
                null=True, on_delete=models.deletion.CASCADE, to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.RunPython(users_to_sources, sources_to_users),
        migrations.RemoveConstraint(model_name="idempotencyrecord", name="idempotency_user_key"),
        migrations.RemoveField(model_name="idempotencyrecord", name="user"),
        migrations.AlterField(
            model_name="idempotencyrecord",
            name="inquiry",
            field=models.ForeignKey(
                on_delete=models.deletion.CASCADE,
                related_name="intake_records",
                to="contact.inquiry",
            ),
        ),
        migrations.RenameModel("IdempotencyRecord", "IntakeRecord"),
        migrations.AddConstraint(
            model_name="intakerecord",
            constraint=models.UniqueConstraint(fields=("source", "key"), name="intake_source_key"),
        ),
        migrations.AddField(
            model_name="inquiry",
            name="message_id",
            field=models.CharField(
                blank=True, default="", max_length=255, verbose_name="meldings-ID"
            ),
        ),
        migrations.AddField(
            model_name="inquiry",
            name="urgent",
            field=models.BooleanField(default=False, verbose_name="hastar"),
        ),
        migrations.AddField(
            model_name="inquiry",
            name="screening_suggested",
            field=models.BooleanField(default=False, verbose_name="bør vurderast skjerma"),
        ),
        migrations.AddField(
            model_name="inquiry",
            name="external_body",
            field=models.CharField(
                blank=True, max_length=40, verbose_name="anna offentleg organ"
            ),
        ),
        migrations.AddIndex(
            model_name="inquiry",
            index=models.Index(
                condition=models.Q(("message_id", ""), _negated=True),
                fields=["message_id"],
                name="inquiry_message_id",
            ),
        ),
    ]
