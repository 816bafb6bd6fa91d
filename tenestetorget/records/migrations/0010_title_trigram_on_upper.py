"""Trigram indexes that the archive pages' word searches can use (PostgreSQL only).

The pages search titles and names with Django's `icontains`, which PostgreSQL gets as
`UPPER(column) LIKE UPPER('%word%')`. Migration 0009's trigram indexes are on the bare
columns, so the planner could not use them for that expression: a word in the case list
read all 333,000 cases (270 ms at 1,000,000 journal posts, more under load), and a rare
word in the staff search all the posts. The same indexes on UPPER(column) serve it (0.3 ms
for a rare word; a common word still pages through the date index, ~10 ms). The bare-column
ones serve no query and are dropped; the reverse puts them back.
"""

from django.db import migrations

#: name: (table, column) for the UPPER(...) indexes; the 0009 index each replaces.
UPPER_INDEXES = {
    "records_case_title_upper_trgm": ("records_casefolder", "tittel", "records_case_title_trgm"),
    "records_entry_title_upper_trgm": (
        "records_registryentry",
        "tittel",
        "records_entry_title_trgm",
    ),
    "records_party_name_upper_trgm": (
        "records_correspondencepart",
        "korrespondansepart_navn",
        "records_party_name_trgm",
    ),
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column, old) in UPPER_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {old}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, column, old) in UPPER_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {old} ON {table} USING gin ({column} gin_trgm_ops)"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0009_archive_page_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
