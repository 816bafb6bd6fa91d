"""On PostgreSQL, triggers refuse UPDATE and DELETE of an archived registrering and of the
documents, document objects and correspondence parts that belong to it, so that raw SQL
cannot do what the model guards refuse. SQLite relies on the model guards."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

#: table -> the condition, on OLD, that the row belongs to an archived registrering.
ARCHIVED_WHEN = {
    "records_registryentry": "OLD.arkivert_dato IS NOT NULL",
    "records_documentdescription": (
        "EXISTS (SELECT 1 FROM records_registryentry e"
        " WHERE e.id = OLD.registry_entry_id AND e.arkivert_dato IS NOT NULL)"
    ),
    "records_correspondencepart": (
        "EXISTS (SELECT 1 FROM records_registryentry e"
        " WHERE e.id = OLD.registry_entry_id AND e.arkivert_dato IS NOT NULL)"
    ),
    "records_documentobject": (
        "EXISTS (SELECT 1 FROM records_documentdescription d"
        " JOIN records_registryentry e ON e.id = d.registry_entry_id"
        " WHERE d.id = OLD.document_id AND e.arkivert_dato IS NOT NULL)"
    ),
}


def _create(table: str, condition: str) -> list[str]:
    return [
        f"""
CREATE OR REPLACE FUNCTION {table}_archived_is_final() RETURNS trigger AS $$
BEGIN
    IF {condition} THEN
        RAISE EXCEPTION '{table}: the registrering is archived and cannot be changed';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
""",
        f"""
CREATE TRIGGER {table}_archived_is_final
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_archived_is_final()
""",
    ]


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for table, condition in ARCHIVED_WHEN.items():
            for statement in _create(table, condition):
                schema_editor.execute(statement, params=None)


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for table in ARCHIVED_WHEN:
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS {table}_archived_is_final ON {table}", params=None
            )
            schema_editor.execute(
                f"DROP FUNCTION IF EXISTS {table}_archived_is_final()", params=None
            )


class Migration(migrations.Migration):
    dependencies = [("records", "0002_change_log_append_only")]

    operations = [migrations.RunPython(create, drop)]
