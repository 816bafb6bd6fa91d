"""Indexes for the archive pages' lists (records.search, the restanse list), built for a
million journal posts: each list is read in (date, id) order a page at a time, so each
filter the pages offer has an index that starts with it and ends with that order.

They are created with SQL, not in the models' state: the trigram GIN indexes (pg_trgm) for
the title and party words exist on PostgreSQL only, and the b-tree ones are the pages'
concern rather than the models'. SQLite gets the b-tree ones too.
"""

from django.db import migrations

#: name: (table, columns, WHERE of a partial index or "")
BTREE_INDEXES = {
    "records_entry_journal_order": ("records_registryentry", "journaldato, id", ""),
    "records_entry_unit_journal": ("records_registryentry", "unit_id, journaldato, id", ""),
    "records_entry_officer_journal": (
        "records_registryentry",
        "saksbehandler_user_id, journaldato, id",
        "",
    ),
    # The restanse list and the menu's count: incoming posts still journalført or ekspedert.
    "records_entry_restanse": (
        "records_registryentry",
        "journaldato, id",
        "kind = 'journalpost' AND journalposttype = 'I' AND journalstatus IN ('J', 'E')",
    ),
    "records_case_date": ("records_casefolder", "saksdato, id", ""),
    "records_case_unit_status_date": (
        "records_casefolder",
        "unit_id, saksstatus, saksdato, id",
        "",
    ),
    "records_case_officer_date": (
        "records_casefolder",
        "saksansvarlig_user_id, saksdato, id",
        "",
    ),
}

TRIGRAM_INDEXES = {
    "records_entry_title_trgm": ("records_registryentry", "tittel"),
    "records_case_title_trgm": ("records_casefolder", "tittel"),
    "records_party_name_trgm": ("records_correspondencepart", "korrespondansepart_navn"),
}


def create_indexes(apps, schema_editor):
    for name, (table, columns, where) in BTREE_INDEXES.items():
        condition = f" WHERE {where}" if where else ""
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns}){condition}"
        )
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    names = list(BTREE_INDEXES)
    if schema_editor.connection.vendor == "postgresql":
        names += list(TRIGRAM_INDEXES)
    for name in names:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0008_public_journal_search"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
