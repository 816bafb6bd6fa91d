"""The public journal's search table (records.search_index.PublicJournalRow).

On PostgreSQL its three text columns get trigram GIN indexes (pg_trgm), which serve the
search's LIKE '%word%'; they are not in the model's state, since SQLite has no such index
and scans instead (fine at the sizes SQLite serves). Rows are written by records.public_search;
an archive that has journal posts already fills the table with
`tenestetorget rebuild-public-journal`.
"""

import django.db.models.deletion
from django.db import migrations, models

TRIGRAM_INDEXES = {
    "records_pj_text_trgm": "text",
    "records_pj_person_trgm": "person_names",
    "records_pj_org_trgm": "organisation_names",
}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON records_publicjournalrow "
            f"USING gin ({column} gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0007_person_and_access_grant"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublicJournalRow",
            fields=[
                (
                    "entry",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="records.registryentry",
                    ),
                ),
                ("journaldato", models.DateField()),
                ("journalposttype", models.CharField(max_length=1)),
                ("journalaar", models.PositiveIntegerField()),
                ("journalsekvensnummer", models.PositiveIntegerField()),
                ("saksaar", models.PositiveIntegerField()),
                ("sakssekvensnummer", models.PositiveIntegerField()),
                ("journalpostnummer", models.PositiveIntegerField()),
                ("text", models.TextField(blank=True)),
                ("person_names", models.TextField(blank=True)),
                ("organisation_names", models.TextField(blank=True)),
            ],
            options={
                "verbose_name": "offentleg journal (søk)",
                "indexes": [
                    models.Index(fields=["journaldato", "entry"], name="records_pj_date"),
                    models.Index(
                        fields=["journalaar", "journalsekvensnummer"], name="records_pj_jnr"
                    ),
                    models.Index(fields=["saksaar", "sakssekvensnummer"], name="records_pj_case"),
                ],
            },
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
