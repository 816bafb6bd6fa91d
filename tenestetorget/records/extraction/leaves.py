"""The runs of simple elements the export writes (`<systemID>…</systemID><tittel>…`),
from the `spec` field lists: `write(f, fields, row)` writes one run of a row.

On PostgreSQL the database writes them itself. Most of arkivstruktur.xml is such runs
(about sixty elements a journal post). Written in Python each value is fetched, converted to a
Python object (a datetime, a UUID), turned back into text and escaped; at a million posts
that was most of the export's time. PostgreSQL's `xmlforest` does the same in C inside
the query: it leaves out NULLs, escapes &, <, > and carriage returns, and writes a
timestamptz as xs:dateTime in the session's time zone. What it does not do is replace the
few characters XML cannot carry (a control character pasted into a title): `clean` does
that in Python, on the rendered text, which costs one C-level scan of it (the database's
translate() cost more than all the rest of the query). `Leaves(fields)` is one such run
as a text column, built from the same `spec` field lists the Python writer uses, so the
two cannot drift apart; a test on PostgreSQL checks that both give the same bytes.

The Python writer (`python_write`) stays the reference, and is what SQLite uses.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Func, QuerySet, TextField
from django.db.models.sql.compiler import SQLCompiler

from tenestetorget.records.extraction import spec
from tenestetorget.records.extraction.codes import CODE_LISTS
from tenestetorget.records.extraction.writer import Fragment, datetime_text, escape, xml_chars

#: Off in the test that compares the two writers, to get the Python writer's output.
ENABLED = True

_KEYS: dict[int, str] = {}

Row = dict[str, Any]


def enabled() -> bool:
    return ENABLED and connection.vendor == "postgresql"


def key(fields: Sequence[spec.Field]) -> str:
    """The values() name of the rendered run of `fields` (short: PostgreSQL cuts names at
    63 bytes). The spec's field lists are module constants, so their id is stable."""
    found = _KEYS.get(id(fields))
    if found is None:
        digest = hashlib.sha256(",".join(f.element for f in fields).encode()).hexdigest()
        found = _KEYS[id(fields)] = f"xml_{digest[:16]}"
    return found


class Leaves(Func):
    """`<element>value</element>` for each of `fields` that is neither NULL nor empty, in
    order, as one text ('' when all are empty)."""

    output_field = TextField()

    def __init__(self, fields: Sequence[spec.Field]) -> None:
        self.fields = tuple(fields)
        super().__init__(*(F(f.key) for f in fields))

    def as_sql(  # type: ignore[override]
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, list[Any]]:
        items: list[str] = []
        params: list[Any] = []
        for field, argument in zip(self.fields, self.get_source_expressions(), strict=True):
            sql, own = compiler.compile(argument)
            value, value_params = _value(field, f"({sql})", list(own))
            items.append(f"{value} AS {connection.ops.quote_name(field.element)}")
            params.extend(value_params)
        return f"COALESCE(xmlforest({', '.join(items)})::text, '')", params


def _value(field: spec.Field, sql: str, params: list[Any]) -> tuple[str, list[Any]]:
    if field.code_list is not None:
        # The code's text from the code list; a value outside it as it is (codes.text_of).
        table = CODE_LISTS[field.code_list]
        whens = " ".join("WHEN %s THEN %s" for _ in table)
        pairs = [text for item in table.items() for text in item]
        return (
            f"NULLIF(CASE {sql} {whens} ELSE {sql}::text END, '')",
            [*params, *pairs, *params],
        )
    if field.kind == spec.TEXT:
        return f"NULLIF({sql}::text, '')", params
    # Datetimes, dates, numbers, UUIDs: PostgreSQL's XML form is the schemas' form.
    return sql, params


def clean(rendered: str) -> str:
    """The rendered text with each character XML 1.0 cannot carry as U+FFFD, as
    writer.escape does with a value. Safe on the rendered text: no such character is
    part of the markup."""
    return xml_chars(rendered)


@contextmanager
def norwegian_time() -> Iterator[None]:
    """The session's time zone set to Norwegian time while rendering queries run, so that
    xmlforest writes the offset (+01:00/+02:00) as writer.datetime_text does. Only around
    queries that return no timestamps to Django: its loader takes every timestamp it
    reads as UTC, so a datetime read meanwhile would be off by the offset."""
    if not enabled():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('TimeZone', %s, false)", [settings.TIME_ZONE])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('TimeZone', %s, false)", [connection.timezone_name])


def values(
    queryset: QuerySet[Any], groups: Sequence[tuple[spec.Field, ...]], *raw: str
) -> QuerySet[Any]:
    """values() of `raw` and of what `groups` are written from: on PostgreSQL each group
    as its rendered XML (Leaves), elsewhere the fields themselves."""
    if enabled():
        rendered = {key(group): Leaves(group) for group in groups}
        return queryset.values(*raw, **rendered)
    return queryset.values(*raw, *spec.keys(*groups))


def write(f: Fragment, fields: Sequence[spec.Field], row: Row) -> None:
    """The elements `fields` of `row`, in order, empty ones left out: as the database
    rendered them (PostgreSQL), or written here."""
    rendered = row.get(key(fields))
    if rendered is not None:
        f.parts.append(clean(rendered))
        return
    python_write(f, fields, row)


def python_write(f: Fragment, fields: Sequence[spec.Field], row: Row) -> None:
    """The hot loop of the Python writer (about sixty elements per post), so written out
    rather than through leaf()."""
    append = f.parts.append
    for one in fields:
        value = row[one.key]
        if value is None or value == "":
            continue
        if one.code_list is not None:
            text = escape(CODE_LISTS[one.code_list].get(value) or value)
        elif one.kind == spec.TEXT:
            text = escape(value)
        elif one.kind == spec.DATETIME:
            text = datetime_text(value)
        else:
            text = str(value)
        append(f"<{one.element}>{text}</{one.element}>")
