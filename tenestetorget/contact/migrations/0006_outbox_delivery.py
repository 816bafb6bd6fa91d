"""The outbox delivers at least once: a Message-ID per message, the time of its next attempt,
notices to staff beside messages to senders.

Messages stored before keep their state. Those not yet sent get their Message-ID now, and the
queued ones are due at once, so the outbox's sweep sends any whose background task was lost;
failed ones stay failed, for staff to send again from the outbox.
"""

import uuid
from email.utils import parseaddr

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "localhost"


def give_unsent_messages_an_id(apps, schema_editor):
    OutgoingMessage = apps.get_model("contact", "OutgoingMessage")
    domain = _domain()
    unsent = OutgoingMessage.objects.filter(status__in=["queued", "failed"], message_id="")
    for message in unsent.iterator(chunk_size=500):
        message.message_id = f"<outbox-{uuid.uuid4().hex}@{domain}>"
        if message.status == "queued":
            message.next_attempt_at = message.created_at
        message.save(update_fields=["message_id", "next_attempt_at"])


class Migration(migrations.Migration):

    dependencies = [
        ('contact', '0005_sender_search'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='outgoingmessage',
            name='audience',
            field=models.CharField(choices=[('sender', 'Avsendar'), ('staff', 'Tilsette')], db_default='sender', default='sender', max_length=10),
        ),
        migrations.AddField(
            model_name='outgoingmessage',
            name='data',
            field=models.JSONField(blank=True, db_default={}, default=dict),
        ),
        migrations.AddField(
            model_name='outgoingmessage',
            name='message_id',
            field=models.CharField(blank=True, db_default='', default='', max_length=255),
        ),
        migrations.AddField(
            model_name='outgoingmessage',
            name='next_attempt_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='outgoingmessage',
            name='inquiry',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='contact.inquiry'),
        ),
        migrations.AlterField(
            model_name='outgoingmessage',
            name='kind',
            field=models.CharField(choices=[('acknowledgement', 'Kvittering'), ('answer', 'Svar'), ('interim_reply', 'Førebels svar'), ('missing_information', 'Manglande opplysningar'), ('handover_notice', 'Varsel om vidaresending'), ('handover_overdue', 'Varsel om vidaresending som ikkje er stadfesta')], max_length=30),
        ),
        migrations.AlterField(
            model_name='outgoingmessage',
            name='status',
            field=models.CharField(choices=[('queued', 'I kø'), ('sending', 'Blir sendt'), ('retry', 'Prøver på nytt'), ('sent', 'Sendt'), ('failed', 'Feila'), ('withdrawn', 'Ikkje sendt: ikkje lenger aktuell')], default='queued', max_length=10),
        ),
        migrations.AlterField(
            model_name='outgoingmessage',
            name='to_email',
            field=models.TextField(),
        ),
        migrations.AddIndex(
            model_name='outgoingmessage',
            index=models.Index(condition=models.Q(('status__in', ('queued', 'sending', 'retry'))), fields=['next_attempt_at'], name='message_due'),
        ),
        migrations.RunPython(give_unsent_messages_an_id, migrations.RunPython.noop),
    ]
