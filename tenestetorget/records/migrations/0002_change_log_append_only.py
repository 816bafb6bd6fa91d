"""On PostgreSQL, a trigger refuses UPDATE and DELETE on the change log (endringslogg), so
that not even raw SQL or another program can rewrite it. SQLite relies on the model guards."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CREATE = [
    """
CREATE OR REPLACE FUNCTION records_changelog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'records_changelogentry is append-only';
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER records_changelog_append_only
    BEFORE UPDATE OR DELETE ON records_changelogentry
    FOR EACH ROW EXECUTE FUNCTION records_changelog_append_only()
""",
]

DROP = [
    "DROP TRIGGER IF EXISTS records_changelog_append_only ON records_changelogentry",
    "DROP FUNCTION IF EXISTS records_changelog_append_only()",
]


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement, params=None)


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
