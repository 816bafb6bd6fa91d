"""RegistryEntry.avskriven: whether the post has been written off, kept on the post itself so
that the restanse (incoming posts J or E not written off) is one small partial index.

Before, every restanse query joined the open incoming letters with all the write-offs
(`NOT EXISTS`, a hash anti-join over 484,000 rows at a million posts): about a second for
the counts per unit and officer (docs/performance.md, "Records at 1,000,000 journal posts").

The flag follows the write-offs, never the other way round:

* on PostgreSQL a trigger on records_writeoff sets or clears it in the statement that
  inserts, moves or deletes a write-off (any writer, raw SQL too), and a trigger on the post
  puts it back if an UPDATE tries to set it to anything else;
* on every database WriteOff.save()/delete() set it in the same transaction (SQLite has no
  triggers here: Django remakes a SQLite table to alter it, which would drop them);
* writers that insert posts and write-offs in bulk (the import, the demo, the benchmark's
  loader) set it on the posts they write off, since an archived post cannot be updated.

The fill sets it from the write-offs present. Archived posts are final (migration 0003's
trigger refuses UPDATE on them); the flag says nothing new about them (it is derived from
their write-offs, which are final too), so the fill passes that trigger for its one UPDATE.

The partial index `records_entry_restanse` (migration 0009) gets `AND NOT avskriven`.
"""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

RESTANSE = "kind = 'journalpost' AND journalposttype = 'I' AND journalstatus IN ('J', 'E')"
OLD_INDEX = "records_entry_restanse"
NEW_INDEX = "records_entry_restanse_open"

PG_FUNCTIONS = [
    """
CREATE OR REPLACE FUNCTION records_writeoff_marks_entry() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        UPDATE records_registryentry SET avskriven = TRUE
        WHERE id = NEW.registry_entry_id AND NOT avskriven;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        UPDATE records_registryentry SET avskriven = FALSE
        WHERE id = OLD.registry_entry_id AND avskriven
            AND NOT EXISTS (
                SELECT 1 FROM records_writeoff w WHERE w.registry_entry_id = OLD.registry_entry_id
            );
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER records_writeoff_marks_entry
    AFTER INSERT OR DELETE OR UPDATE OF registry_entry_id ON records_writeoff
    FOR EACH ROW EXECUTE FUNCTION records_writeoff_marks_entry()
""",
    """
CREATE OR REPLACE FUNCTION records_registryentry_avskriven() RETURNS trigger AS $$
BEGIN
    NEW.avskriven := EXISTS (
        SELECT 1 FROM records_writeoff w WHERE w.registry_entry_id = NEW.id
    );
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER records_registryentry_avskriven
    BEFORE UPDATE OF avskriven ON records_registryentry
    FOR EACH ROW WHEN (OLD.avskriven IS DISTINCT FROM NEW.avskriven)
    EXECUTE FUNCTION records_registryentry_avskriven()
""",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS records_writeoff_marks_entry ON records_writeoff",
    "DROP FUNCTION IF EXISTS records_writeoff_marks_entry()",
    "DROP TRIGGER IF EXISTS records_registryentry_avskriven ON records_registryentry",
    "DROP FUNCTION IF EXISTS records_registryentry_avskriven()",
]
ARCHIVED_TRIGGER = "records_registryentry_archived_is_final"


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(
            f"ALTER TABLE records_registryentry DISABLE TRIGGER {ARCHIVED_TRIGGER}", params=None
        )
    schema_editor.execute(
        "UPDATE records_registryentry SET avskriven = TRUE WHERE EXISTS"
        " (SELECT 1 FROM records_writeoff w WHERE w.registry_entry_id = records_registryentry.id)",
        params=None,
    )
    if postgresql:
        schema_editor.execute(
            f"ALTER TABLE records_registryentry ENABLE TRIGGER {ARCHIVED_TRIGGER}", params=None
        )
        for statement in PG_FUNCTIONS:
            schema_editor.execute(statement, params=None)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NEW_INDEX} ON records_registryentry (journaldato, id)"
        f" WHERE {RESTANSE} AND NOT avskriven",
        params=None,
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}", params=None)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON records_registryentry (journaldato, id)"
        f" WHERE {RESTANSE}",
        params=None,
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {NEW_INDEX}", params=None)
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0011_registration_submission"),
    ]

    operations = [
        migrations.AddField(
            model_name="registryentry",
            name="avskriven",
            field=models.BooleanField(
                db_default=False, default=False, editable=False, verbose_name="avskriven"
            ),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
