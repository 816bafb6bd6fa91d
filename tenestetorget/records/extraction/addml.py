"""arkivuttrekk.xml: the ADDML description of the package, as Arkivverket's template for
Noark 5 v5.0 (noark5-standard, «Noark 5 v 5-arkivuttrekk_v5_0.xml») lays it out: who made
the archive, the period, what the package holds (screened material, material to be
disposed of, business-specific metadata, the number of document files), and for each XML
file its SHA-256 checksum, its schemas with theirs, and counts of its main elements.

The document files are not listed one by one: each dokumentobjekt in arkivstruktur.xml
carries its file's checksum and size, which is what the import (and Arkade) check."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from tenestetorget.records.extraction.spec import ADDML_NS
from tenestetorget.records.extraction.writer import XSI, xml_text

A = f"{{{ADDML_NS}}}"
SYSTEM_NAME = "Tenestetorget"

#: The schema each XML file is validated against, and the one it imports.
SCHEMAS = {
    "arkivstruktur.xml": ("arkivstruktur.xsd", "metadatakatalog.xsd"),
    "endringslogg.xml": ("endringslogg.xsd", "metadatakatalog.xsd"),
    "loependeJournal.xml": ("loependeJournal.xsd", "metadatakatalog.xsd"),
    "offentligJournal.xml": ("offentligJournal.xsd", "metadatakatalog.xsd"),
}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Description:
    archive: str
    creators: Sequence[str]
    start: Any
    end: Any
    screened: bool
    to_dispose: bool
    document_files: int
    #: Per XML file written: element name → count.
    occurrences: dict[str, Mapping[str, int]] = field(default_factory=dict)


def _property(
    parent: etree._Element, name: str, value: Any = None, data_type: str = ""
) -> etree._Element:
    prop = etree.SubElement(parent, f"{A}property", name=name)
    if data_type:
        prop.set("dataType", data_type)
    if value is not None:
        etree.SubElement(prop, f"{A}value").text = xml_text(value)
    return prop


def _properties(parent: etree._Element) -> etree._Element:
    return etree.SubElement(parent, f"{A}properties")


def _additional(parent: etree._Element, name: str, value: Any = None) -> etree._Element:
    element = etree.SubElement(parent, f"{A}additionalElement", name=name)
    if value is not None:
        etree.SubElement(element, f"{A}value").text = xml_text(value)
    return element


def _file(parent: etree._Element, name: str, checksum: str) -> None:
    props = _properties(_property(parent, "file"))
    _property(props, "name", name)
    _properties(_property(props, "format", "XML")).append(_version("1.0"))
    checks = _properties(_property(props, "checksum"))
    _property(checks, "algorithm", "SHA-256")
    _property(checks, "value", checksum)


def _version(value: str) -> etree._Element:
    prop = etree.Element(f"{A}property", name="version")
    etree.SubElement(prop, f"{A}value").text = value
    return prop


def write_addml(out_dir: Path, description: Description) -> Path:
    root = etree.Element(
        f"{A}addml",
        nsmap={None: ADDML_NS, "xsi": XSI},  # type: ignore[dict-item]
        name="Noark 5-arkivuttrekk",
    )
    root.set(f"{{{XSI}}}schemaLocation", f"{ADDML_NS} addml.xsd")
    dataset = etree.SubElement(root, f"{A}dataset")
    etree.SubElement(dataset, f"{A}description").text = "Noark 5-arkivuttrekk"
    reference = etree.SubElement(dataset, f"{A}reference")
    context = etree.SubElement(etree.SubElement(reference, f"{A}context"), f"{A}additionalElements")
    creators = etree.SubElement(_additional(context, "recordCreators"), f"{A}additionalElements")
    for creator in description.creators:
        _additional(creators, "recordCreator", creator)
    _additional(context, "systemType", "Sakarkiv (Noark-5)")
    _additional(context, "systemName", SYSTEM_NAME)
    _additional(context, "archive", description.archive)
    content = etree.SubElement(etree.SubElement(reference, f"{A}content"), f"{A}additionalElements")
    period = _properties(_additional(content, "archivalPeriod"))
    _property(period, "startDate", description.start)
    _property(period, "endDate", description.end)

    objects = etree.SubElement(dataset, f"{A}dataObjects")
    package = etree.SubElement(objects, f"{A}dataObject", name="Noark 5-arkivuttrekk")
    info = _properties(_property(_properties(package), "info"))
    kind = _property(info, "type", "Noark 5")
    _properties(kind).append(_version("5.0"))
    extra = _properties(_property(info, "additionalInfo"))
    # Closing a period is refused while a case is open (records.periods): a sharp division.
    division = _properties(_property(extra, "periode"))
    _property(division, "inngaaendeSkille", "skarpt")
    _property(division, "utgaaendeSkille", "skarpt")
    _property(extra, "inneholderSkjermetInformasjon", _bool(description.screened), "boolean")
    _property(extra, "omfatterDokumenterSomErKassert", "false", "boolean")
    _property(
        extra, "inneholderDokumenterSomSkalKasseres", _bool(description.to_dispose), "boolean"
    )
    _property(extra, "inneholderVirksomhetsspesifikkeMetadata", "true", "boolean")
    _property(extra, "antallDokumentfiler", description.document_files, "integer")

    files = etree.SubElement(package, f"{A}dataObjects")
    for name, counts in description.occurrences.items():
        one = etree.SubElement(files, f"{A}dataObject", name=name.removesuffix(".xml"))
        props = _properties(one)
        _file(props, name, sha256_of(out_dir / name))
        main, imported = SCHEMAS[name]
        for schema_name, is_main in ((main, True), (imported, False)):
            schema = _property(props, "schema", "main" if is_main else None)
            schema_props = _properties(schema)
            _file(schema_props, schema_name, sha256_of(out_dir / schema_name))
            _properties(_property(schema_props, "type", "XML Schema")).append(_version("1.0"))
        occurrences = _properties(_property(props, "info"))
        for element, count in counts.items():
            found = _properties(_property(occurrences, "numberOfOccurrences", element))
            _property(found, "elementPath", f"//{element}")
            _property(found, "value", count, "integer")
    path = out_dir / "arkivuttrekk.xml"
    etree.ElementTree(root).write(
        str(path), encoding="utf-8", xml_declaration=True, pretty_print=True
    )
    return path


def _bool(value: bool) -> str:
    return "true" if value else "false"


def read_checksums(path: Path) -> dict[str, str]:
    """The checksums arkivuttrekk.xml gives for the package's XML files and schemas:
    file name → SHA-256."""
    tree = etree.parse(str(path))
    found: dict[str, str] = {}
    for prop in tree.iter(f"{A}property"):
        if prop.get("name") != "file":
            continue
        name = prop.findtext(f"{A}properties/{A}property[@name='name']/{A}value")
        value = prop.findtext(
            f"{A}properties/{A}property[@name='checksum']/{A}properties/{A}property[@name='value']/{A}value"
        )
        if name and value:
            found[name] = value.strip().lower()
    return found
