"""Every element that arkivstruktur.xsd v5.0 makes mandatory for the entities kept here has
a model field (or relation) through the model's NOARK_FIELDS mapping, and the fields that
must always be filled are stored as NOT NULL."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import IntegrityError, models, transaction
from lxml import etree

from tenestetorget.records.models import (
    Annotation,
    Archive,
    ArchiveClass,
    ArchiveCreator,
    CaseFolder,
    ClassificationSystem,
    CorrespondencePart,
    Disposal,
    DocumentDescription,
    DocumentObject,
    RegistryEntry,
    Screening,
    Series,
    WriteOff,
)

# Arkivverket's schemas are read from the configured folder, never committed (settings).
XSD = Path(settings.NOARK5_XSD_DIR) / "arkivstruktur.xsd"
if not XSD.is_file():
    if os.environ.get("CI"):
        raise RuntimeError(f"CI needs Arkivverket's Noark 5 schemas; not found: {XSD}")
    pytest.skip(
        f"Arkivverket's arkivstruktur.xsd is not in NOARK5_XSD_DIR ({XSD}); set the folder",
        allow_module_level=True,
    )
XS = "{http://www.w3.org/2001/XMLSchema}"

MODELS: dict[str, type[models.Model]] = {
    "arkiv": Archive,
    "arkivskaper": ArchiveCreator,
    "arkivdel": Series,
    "klassifikasjonssystem": ClassificationSystem,
    "klasse": ArchiveClass,
    "saksmappe": CaseFolder,
    "journalpost": RegistryEntry,
    "dokumentbeskrivelse": DocumentDescription,
    "dokumentobjekt": DocumentObject,
    "korrespondansepart": CorrespondencePart,
    "merknad": Annotation,
    "skjerming": Screening,
    "kassasjon": Disposal,
    "avskrivning": WriteOff,
}

#: Mandatory in the schema, but filled only when the record is closed or archived
#: (avsluttetDato/-Av, arkivertDato/-Av): nullable here, required by the export.
FILLED_AT_CLOSE = {"avsluttetDato", "avsluttetAv", "arkivertDato", "arkivertAv"}
#: Mandatory for a journalpost; nullable because an arkivnotat shares the table, and
#: required for journalposts by the check constraint records_entry_kind_fields.
JOURNAL_ONLY = {"journalaar", "journalsekvensnummer", "journalpostnummer", "journaldato"}


def _mandatory(schema: etree._ElementTree, type_name: str) -> list[str]:
    """The mandatory child elements of complexType `type_name`, with those of its base."""
    (complex_type,) = schema.findall(f"{XS}complexType[@name='{type_name}']")
    names: list[str] = []
    extension = complex_type.find(f"{XS}complexContent/{XS}extension")
    if extension is not None:
        names += _mandatory(schema, str(extension.get("base")))
    for element in complex_type.iter(f"{XS}element"):
        parent = element.getparent()
        in_choice = parent is not None and parent.tag == f"{XS}choice"
        if element.get("minOccurs", "1") != "0" and not in_choice:
            names.append(str(element.get("name")))
    return names


@pytest.fixture(scope="module")
def schema() -> etree._ElementTree:
    return etree.parse(str(XSD))


def test_the_schema_is_arkivverkets_v5(schema: etree._ElementTree) -> None:
    assert schema.getroot().get("targetNamespace") == (
        "http://www.arkivverket.no/standarder/noark5/arkivstruktur"
    )
    assert _mandatory(schema, "saksmappe")[:3] == ["systemID", "mappeID", "tittel"]


@pytest.mark.parametrize("entity", sorted(MODELS))
def test_every_mandatory_element_has_a_field(schema: etree._ElementTree, entity: str) -> None:
    model = MODELS[entity]
    mapping: dict[str, str] = model.NOARK_FIELDS  # type: ignore[attr-defined]
    missing = [name for name in _mandatory(schema, entity) if name not in mapping]
    assert missing == [], f"{entity}: no field for {missing}"
    for noark, field_name in mapping.items():
        field = model._meta.get_field(field_name)
        if noark in FILLED_AT_CLOSE | JOURNAL_ONLY or (field.is_relation and field.auto_created):
            continue
        if noark in _mandatory(schema, entity) and not field.is_relation:
            assert not field.null, f"{entity}.{noark} is nullable"


@pytest.mark.parametrize("field", ["journalaar", "journalsekvensnummer", "journaldato"])
def test_the_database_refuses_a_journalpost_without_journal_numbers(
    register: Any, field: str
) -> None:
    entry = register()
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistryEntry.objects.filter(pk=entry.pk).update(**{field: None})


def test_system_id_is_a_fixed_uuid() -> None:
    field = CaseFolder._meta.get_field("system_id")
    assert isinstance(field, models.UUIDField)
    assert field.unique and not field.editable
