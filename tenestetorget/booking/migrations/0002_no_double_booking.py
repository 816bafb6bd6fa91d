"""No two bookings of one resource hold overlapping periods: on PostgreSQL an exclusion
constraint (btree_gist for the resource's equality beside the range's overlap). SQLite has
no such constraint; there booking.services.book checks inside a transaction that SQLite runs
one writer at a time."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE booking_booking ADD CONSTRAINT booking_no_overlap EXCLUDE USING gist (
    resource_id WITH =,
    tstzrange(start, hold_until, '[)') WITH &&
) WHERE (status IN ('pending', 'confirmed', 'blocked'));
"""
DROP = "ALTER TABLE booking_booking DROP CONSTRAINT IF EXISTS booking_no_overlap;"


class PostgresOnly(migrations.RunSQL):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]
    operations = [PostgresOnly(CREATE, DROP)]
