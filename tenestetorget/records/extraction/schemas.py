"""Arkivverket's schemas, read from settings.NOARK5_XSD_DIR (never copied into the
repository), and validation of a written or received file against them.

Validation streams in flat memory. A valid file (the usual case, and the export's gigabytes)
is fed through a parser that builds no tree and calls no Python per element, so libxml2
checks it at its own speed (about 90 MB/s here, four times the element loop). Only when
that finds an error is the file read again element by element, to tell the line and the
record where it is."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

#: The package's XML files and the schema each is written against (NOARK5.md § 2).
SCHEMA_OF = {
    "arkivstruktur.xml": "arkivstruktur.xsd",
    "endringslogg.xml": "endringslogg.xsd",
    "loependeJournal.xml": "loependeJournal.xsd",
    "offentligJournal.xml": "offentligJournal.xsd",
    "arkivuttrekk.xml": "addml.xsd",
}
#: Every schema file the package carries beside the XML (metadatakatalog.xsd is imported
#: by the Noark schemas).
SCHEMA_FILES = (
    "arkivstruktur.xsd",
    "metadatakatalog.xsd",
    "endringslogg.xsd",
    "loependeJournal.xsd",
    "offentligJournal.xsd",
    "addml.xsd",
)


#: How every package file is parsed: a package may come from elsewhere, so no entity is
#: expanded (no «billion laughs»), nothing is fetched, and libxml2's size limits stay on.
SAFE: dict[str, bool] = {"resolve_entities": False, "no_network": True, "huge_tree": False}


class SchemasMissing(Exception):
    pass


@dataclass(frozen=True)
class SchemaError:
    """Where a file breaks its schema: the file, the line (near it, for streamed
    validation), and lxml's message."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return _("%(file)s, linje %(line)s: %(message)s") % {
            "file": self.file,
            "line": self.line,
            "message": self.message,
        }


def schema_dir() -> Path:
    folder = Path(settings.NOARK5_XSD_DIR)
    missing = [name for name in SCHEMA_FILES if not (folder / name).is_file()]
    if missing:
        raise SchemasMissing(
            _(
                "Finn ikkje Arkivverket sine skjema (%(names)s) i NOARK5_XSD_DIR (%(dir)s). "
                "Set NOARK5_XSD_DIR til mappa med skjemaa."
            )
            % {"names": ", ".join(missing), "dir": folder}
        )
    return folder


@functools.cache
def _schema(path: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(path))


def schema_for(xml_name: str) -> etree.XMLSchema:
    return _schema(str(schema_dir() / SCHEMA_OF[xml_name]))


def validate(
    path: Path, xml_name: str | None = None, schema_path: Path | None = None
) -> SchemaError | None:
    """None when `path` is valid against its schema; else the first error. With
    `schema_path` it needs no Django settings (a worker process checks files with it)."""
    name = xml_name or path.name
    schema = _schema(str(schema_path)) if schema_path is not None else schema_for(name)
    error = _fast_check(path, name, schema)
    if error is None:
        return None
    # Where: the fast parser knows no line for a schema error (it builds no nodes).
    return _located_check(path, name, schema) or error


class _Sink:
    """A parser target with no start/end/data methods: lxml then calls no Python for the
    elements, and nothing is kept."""

    def close(self) -> None:
        return None


#: How much of the file the fast check feeds the parser at a time.
FEED = 1024 * 1024


def _fast_check(path: Path, name: str, schema: etree.XMLSchema) -> SchemaError | None:
    # A target without the element callbacks (lxml's stubs want them all, hence Any).
    sink: Any = _Sink()
    parser = etree.XMLParser(
        schema=schema, target=sink, resolve_entities=False, no_network=True, huge_tree=False
    )
    try:
        with path.open("rb") as source:
            while block := source.read(FEED):
                parser.feed(block)
        parser.close()
    except etree.XMLSyntaxError as error:
        return SchemaError(name, error.lineno or 0, str(error.msg or error))
    except OSError as error:
        return SchemaError(name, 0, str(error))
    return None


def _located_check(path: Path, name: str, schema: etree.XMLSchema) -> SchemaError | None:
    """The slow check: element by element, noting the line of each start, and dropping
    what has been read so memory stays that of one record."""
    line = 0
    try:
        for event, element in etree.iterparse(
            str(path), events=("start", "end"), schema=schema, **SAFE
        ):
            if event == "start":
                line = element.sourceline or line
            else:
                element.clear(keep_tail=False)
                parent = element.getparent()
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
    except etree.XMLSyntaxError as error:
        message = str(error.msg or error)
        return SchemaError(name, error.lineno or line, message)
    except OSError as error:
        return SchemaError(name, 0, str(error))
    return None
