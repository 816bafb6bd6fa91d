"""SQLite: FTS5's own term statistics (documents per term), so a query can leave out words
that nearly every article contains."""

from django.db import migrations


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE knowledge_fts_vocab USING fts5vocab(knowledge_fts, 'row')"
        )


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS knowledge_fts_vocab")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0004_fts_rank")]
    operations = [migrations.RunPython(up, down)]
