"""Reference numbers, unique under concurrent creation on SQLite and PostgreSQL.

The next number is taken with one UPDATE ... SET last = last + 1 on the series row. On
PostgreSQL that UPDATE locks the row until the surrounding transaction ends, so two
transactions queue on it; on SQLite the IMMEDIATE transaction mode serialises writers. The row
for a new year is created with INSERT ... ON CONFLICT DO NOTHING, so two first-of-the-year
inquiries cannot both create it.
"""

from django.db import transaction
from django.db.models import F

from tenestetorget.core.models import NumberSeries


def next_number(series: str, year: int) -> int:
    """Take the next number in `series` for `year`. Must run inside a transaction that also
    writes the numbered object, so a rollback returns the number."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must be called inside transaction.atomic()")
    NumberSeries.objects.bulk_create(
        [NumberSeries(series=series, year=year, last=0)], ignore_conflicts=True
    )
    NumberSeries.objects.filter(series=series, year=year).update(last=F("last") + 1)
    return NumberSeries.objects.values_list("last", flat=True).get(series=series, year=year)


def format_reference(year: int, number: int) -> str:
    """2026-000123: the year and a six-digit sequence, as citizens quote it on the phone."""
    return f"{year}-{number:06d}"
