"""SQLite: make FTS5's `rank` the weighted bm25 the search uses (title 10, keywords 5, text 1),
so queries can use FTS5's fast ORDER BY rank path."""

from django.db import migrations


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "INSERT INTO knowledge_fts (knowledge_fts, rank) VALUES ('rank', 'bm25(10.0, 5.0, 1.0)')"
        )


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0003_stems")]
    operations = [migrations.RunPython(up, migrations.RunPython.noop)]
