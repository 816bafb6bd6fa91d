"""PostgreSQL: a small second index over the title and keywords only.

The full search_vector of a long article is several kilobytes, stored out of line; ranking
every text that contains a query word meant reading thousands of them. The title and keywords
are a few hundred bytes, so "which texts have this word in the title" is answered from this
index and a short row, and only a bounded number of texts is ranked on the full vector
(knowledge/search.py)."""

from django.db import migrations

UP = """
ALTER TABLE knowledge_articleversion ADD COLUMN head_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('norwegian', coalesce(search_title, '')), 'A') ||
        setweight(to_tsvector('norwegian', coalesce(search_keywords, '')), 'B')
    ) STORED;
CREATE INDEX knowledge_version_head ON knowledge_articleversion USING GIN (head_vector);
"""
DOWN = """
DROP INDEX IF EXISTS knowledge_version_head;
ALTER TABLE knowledge_articleversion DROP COLUMN IF EXISTS head_vector;
"""


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UP)


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DOWN)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0005_fts_vocab")]
    operations = [migrations.RunPython(up, down)]
