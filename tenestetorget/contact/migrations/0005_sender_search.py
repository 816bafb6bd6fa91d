"""Finding a caller: trigram indexes on PostgreSQL, and every known phone number in E.164.

The trigram indexes (pg_trgm, GIN) serve the sender lookup's similarity (name_search %> …)
and its LIKE '%…%' on the name and the e-mail address. They exist on PostgreSQL only and so
are not in the model's state: SQLite, the embedded fallback, has no such index and searches
another way (contact.senders)."""

from django.db import migrations

BATCH = 2000

TRIGRAM_INDEXES = {
    "contact_sender_name_trgm": "name_search",
    "contact_sender_email_trgm": "email",
}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON contact_sender USING gin ({column} gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def fill_phone_e164(apps, schema_editor):
    """Every known sender's number in E.164, as Sender.save stores it from now on."""
    from tenestetorget.contact.senders import normalise_phone

    Sender = apps.get_model("contact", "Sender")
    last_id = 0
    while True:
        batch = list(
            Sender.objects.filter(pk__gt=last_id)
            .exclude(phone="")
            .order_by("pk")
            .only("pk", "phone", "phone_e164")[:BATCH]
        )
        if not batch:
            break
        last_id = batch[-1].pk
        changed = []
        for sender in batch:
            e164 = normalise_phone(sender.phone)
            if e164 != sender.phone_e164:
                sender.phone_e164 = e164
                changed.append(sender)
        Sender.objects.bulk_update(changed, ["phone_e164"])


class Migration(migrations.Migration):
    dependencies = [
        ("contact", "0004_guarantee_clock_and_sender_snapshot"),
    ]

    operations = [
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
        migrations.RunPython(fill_phone_e164, migrations.RunPython.noop, elidable=True),
    ]
