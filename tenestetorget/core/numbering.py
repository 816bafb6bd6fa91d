"""Reference numbers, unique under concurrent creation on SQLite and PostgreSQL.

The next number is taken with one `UPDATE ... SET last = last + 1 ... RETURNING last` on the
series row, so the number a caller gets is the one its own statement wrote; no second read can
see someone else's. On PostgreSQL that UPDATE locks the row until the surrounding transaction
ends, so concurrent transactions queue on it (and, under READ COMMITTED, each re-reads the
row it waited for). On SQLite the IMMEDIATE transaction mode (settings.py) takes the write
lock when the transaction begins, so writers queue for the whole transaction.

The row for a new series or year is created on first use with INSERT ... ON CONFLICT DO
NOTHING: when two first-of-the-year transactions race, the second waits for the first and
then finds the row, so neither fails and the numbers stay contiguous.

Because the number is taken inside the caller's transaction, a rollback gives it back; the
sequence has no gaps from failed creations (only from deleted objects).
"""

from django.db import connection, transaction

from tenestetorget.core.models import NumberSeries


def _increment(series: str, year: int) -> int | None:
    quote = connection.ops.quote_name
    opts = NumberSeries._meta
    table = quote(opts.db_table)
    columns = {f.name: quote(f.column or f.name) for f in opts.concrete_fields}
    last, series_col, year_col = columns["last"], columns["series"], columns["year"]
    # Identifiers come from the model, values are parameters. RETURNING needs SQLite 3.35 or
    # later, which Django 6 requires anyway.
    sql = (
        f"UPDATE {table} SET {last} = {last} + 1 "  # noqa: S608
        f"WHERE {series_col} = %s AND {year_col} = %s RETURNING {last}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [series, year])
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def next_number(series: str, year: int) -> int:
    """Take the next number in `series` for `year` (1, 2, 3 ...). Must run inside a
    transaction that also writes the numbered object, so a rollback returns the number."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must be called inside transaction.atomic()")
    if not series:
        raise ValueError("series must not be empty")
    number = _increment(series, year)
    if number is None:
        NumberSeries.objects.bulk_create(
            [NumberSeries(series=series, year=year, last=0)], ignore_conflicts=True
        )
        number = _increment(series, year)
    if number is None:  # the row exists now, whoever created it
        raise RuntimeError(f"number series {series}/{year} could not be created")
    return number


def format_reference(year: int, number: int) -> str:
    """2026-000123: the year and a six-digit sequence, as citizens quote it on the phone."""
    return f"{year}-{number:06d}"
