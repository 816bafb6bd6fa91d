"""endringslogg.xml: the change log of every record in the extraction (the periods, their
cases, posts, documents and versions), oldest first."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from itertools import batched, chain
from pathlib import Path

from django.db.models import Q, TextField, Value
from django.db.models.functions import Coalesce, NullIf

from tenestetorget.records import models as m
from tenestetorget.records.extraction import leaves, spec
from tenestetorget.records.extraction.writer import Fragment, Progress, xml_document

CHUNK = 5000


def changes(series: Sequence[m.Series]) -> Q:
    """The changes of the periods' records: those whose referanseArkivenhet is the systemID
    of one of them. Written as one `IN` over the four kinds of record joined by UNION ALL,
    which PostgreSQL plans as a hash of the systemIDs probed once per change (23 s for 3.4
    million changes at a million posts). An EXISTS per kind, ORed, was planned as four
    index probes per change of the whole log (62 s); four INs ORed as a scan of the
    materialised list per change once the lists outgrew work_mem (quadratic, hours)."""
    ids = [s.pk for s in series]
    records = (
        m.Series.objects.filter(pk__in=ids)
        .order_by()
        .values("system_id")
        .union(
            m.CaseFolder.objects.filter(series__in=ids).order_by().values("system_id"),
            m.RegistryEntry.objects.filter(case_folder__series__in=ids)
            .order_by()
            .values("system_id"),
            m.DocumentDescription.objects.filter(registry_entry__case_folder__series__in=ids)
            .order_by()
            .values("system_id"),
            all=True,
        )
    )
    return Q(referanse_arkivenhet__in=records)


#: The change's elements, with the two values as shown: «(tom)» for no value.
SHOWN = tuple(
    dataclasses.replace(field, key=f"{field.key}_shown")
    if field.element in ("tidligereVerdi", "nyVerdi")
    else field
    for field in spec.ENDRING
)


def write_endringslogg(
    path: Path, series: Sequence[m.Series], progress: Progress | None = None
) -> int | None:
    """The change log; None (no file) when nothing in the period was ever changed (the
    schema wants at least one endring)."""
    shown = {
        f"{field.key}_shown": Coalesce(
            NullIf(field.key, Value("")), Value(spec.EMPTY_VALUE), output_field=TextField()
        )
        for field in spec.ENDRING
        if field.element in ("tidligereVerdi", "nyVerdi")
    }
    rows = (
        m.ChangeLogEntry.objects.filter(changes(series))
        .annotate(**shown)
        .order_by("endret_dato", "pk")
    )
    # The rows are rendered as they are fetched: the whole loop is in Norwegian time, and
    # reads nothing else meanwhile (leaves.norwegian_time).
    with leaves.norwegian_time():
        iterator = leaves.values(rows, (SHOWN,)).iterator(chunk_size=CHUNK)
        first = next(iterator, None)
        if first is None:
            return None
        written = 0
        key = leaves.key(SHOWN)
        with xml_document(path, spec.ENDRINGSLOGG_NS, "endringslogg") as doc:
            for batch in batched(chain([first], iterator), CHUNK):
                if key in first:
                    # Rendered by the database: joined, and cleaned once (leaves.clean).
                    text = leaves.clean("".join(f"<endring>{row[key]}</endring>" for row in batch))
                else:
                    f = Fragment()
                    for row in batch:
                        f.parts.append("<endring>")
                        leaves.python_write(f, SHOWN, row)
                        f.parts.append("</endring>")
                    text = f.text()
                doc.write_text(text)
                written += len(batch)
                if progress is not None:
                    progress.advance(len(batch))
    return written
