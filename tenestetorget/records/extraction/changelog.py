"""endringslogg.xml: the change log of every record in the extraction (the periods, their
cases, posts, documents and versions), oldest first."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from pathlib import Path
from typing import Any

from django.db.models import Exists, OuterRef, Q

from tenestetorget.records import models as m
from tenestetorget.records.extraction import spec
from tenestetorget.records.extraction.writer import Fragment, Progress, xml_document

CHUNK = 5000


def changes(series: Sequence[m.Series]) -> Q:
    """The changes of the periods' records. Each test is an EXISTS on the record's unique
    systemID: linear in the log. (`referanse_arkivenhet IN (SELECT system_id ...)` ORed
    four times was planned as a scan of the materialised list per change once the lists
    outgrew work_mem: quadratic, hours at a million posts.)"""
    ids = [s.pk for s in series]
    ref = OuterRef("referanse_arkivenhet")
    return (
        Q(Exists(m.Series.objects.filter(pk__in=ids, system_id=ref)))
        | Q(Exists(m.CaseFolder.objects.filter(series__in=ids, system_id=ref)))
        | Q(Exists(m.RegistryEntry.objects.filter(case_folder__series__in=ids, system_id=ref)))
        | Q(
            Exists(
                m.DocumentDescription.objects.filter(
                    registry_entry__case_folder__series__in=ids, system_id=ref
                )
            )
        )
    )


def write_endringslogg(
    path: Path, series: Sequence[m.Series], progress: Progress | None = None
) -> int | None:
    """The change log; None (no file) when nothing in the period was ever changed (the
    schema wants at least one endring)."""
    rows = (
        m.ChangeLogEntry.objects.filter(changes(series))
        .order_by("endret_dato", "pk")
        .values(*spec.keys(spec.ENDRING))
    )
    iterator = rows.iterator(chunk_size=CHUNK)
    first = next(iterator, None)
    if first is None:
        return None
    written = 0
    with xml_document(path, spec.ENDRINGSLOGG_NS, "endringslogg") as doc:
        for row in chain([first], iterator):
            doc.write(_fragment(row))
            written += 1
            if progress is not None:
                progress.advance()
    return written


def _fragment(row: dict[str, Any]) -> Fragment:
    f = Fragment()
    f.open("endring")
    for field in spec.ENDRING:
        value = field.out(row)
        if field.element in ("tidligereVerdi", "nyVerdi") and value in (None, ""):
            value = spec.EMPTY_VALUE
        f.leaf(field.element, value)
    f.close("endring")
    return f
