"""The full-text index, different per database engine (see knowledge/search.py)."""

from django.db import migrations

POSTGRESQL_UP = """
ALTER TABLE knowledge_articleversion ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('norwegian', coalesce(search_title, '')), 'A') ||
        setweight(to_tsvector('norwegian', coalesce(search_keywords, '')), 'B') ||
        setweight(to_tsvector('norwegian', coalesce(search_body, '')), 'C')
    ) STORED;
CREATE INDEX knowledge_version_search ON knowledge_articleversion USING GIN (search_vector);
"""
POSTGRESQL_DOWN = """
DROP INDEX IF EXISTS knowledge_version_search;
ALTER TABLE knowledge_articleversion DROP COLUMN IF EXISTS search_vector;
"""
# The words are stemmed in Python before they go in, so FTS5's own tokenizer only splits on
# spaces ("unicode61" keeps æ, ø and å as letters).
SQLITE_UP = """
CREATE VIRTUAL TABLE knowledge_fts USING fts5(
    title, keywords, body, tokenize = "unicode61 remove_diacritics 0"
);
"""
SQLITE_DOWN = "DROP TABLE IF EXISTS knowledge_fts;"


def up(apps, schema_editor):
    sql = {"postgresql": POSTGRESQL_UP, "sqlite": SQLITE_UP}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def down(apps, schema_editor):
    sql = {"postgresql": POSTGRESQL_DOWN, "sqlite": SQLITE_DOWN}.get(
        schema_editor.connection.vendor
    )
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
