"""An archived journal post (journalstatus A) and its documents, versions and
correspondence parts are never changed or deleted, by services, instances or querysets;
they can only be annotated. systemID never changes."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.forms.models import model_to_dict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenestetorget.records import services
from tenestetorget.records.models import (
    Annotation,
    ArchivedRecordError,
    CaseFolder,
    ChangeLogEntry,
    CorrespondencePart,
    DocumentDescription,
    DocumentObject,
    RegistryEntry,
    SystemIdError,
)

pytestmark = pytest.mark.django_db

ARCHIVED_MESSAGE = "Journalposten er arkivert og kan ikkje endrast. Du kan leggje til ein merknad."

# Random changes of the fields a journal post has.
entry_changes = st.fixed_dictionaries(
    {},
    optional={
        "tittel": st.text(min_size=1, max_size=40),
        "offentlig_tittel": st.text(max_size=40),
        "journalposttype": st.sampled_from(["I", "U", "N", "X", "S"]),
        "journalstatus": st.sampled_from(["J", "E", "U"]),
        "dokumentets_dato": st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)),
        "forfallsdato": st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)),
        "saksbehandler": st.text(max_size=20),
        "arkivert_dato": st.none(),
    },
).filter(bool)
service_changes = st.fixed_dictionaries(
    {},
    optional={field: st.text(min_size=1, max_size=40) for field in ("tittel", "offentlig_tittel")}
    | {"dokumentets_dato": st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1))},
).filter(bool)
PROPERTY = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _snapshot(entry: RegistryEntry) -> dict[str, Any]:
    def rows(model: Any, **lookup: Any) -> list[dict[str, Any]]:
        return [model_to_dict(o) for o in model.objects.filter(**lookup).order_by("pk")]

    return {
        "entry": rows(RegistryEntry, pk=entry.pk),
        "documents": rows(DocumentDescription, registry_entry=entry),
        "objects": rows(DocumentObject, document__registry_entry=entry),
        "parts": rows(CorrespondencePart, registry_entry=entry),
        "log": ChangeLogEntry.objects.count(),
    }


def _save_with(record: Any, field: str, value: Any) -> Callable[[], None]:
    def change() -> None:
        setattr(record, field, value)
        record.save()

    return change


def _refused(action: Callable[[], Any]) -> None:
    with pytest.raises(ArchivedRecordError) as refused, transaction.atomic():
        action()
    assert refused.value.messages == [ARCHIVED_MESSAGE]


@PROPERTY
@given(changes=entry_changes)
def test_saving_any_change_of_an_archived_post_is_refused(
    archived_entry: RegistryEntry, changes: dict[str, Any]
) -> None:
    before = _snapshot(archived_entry)
    instance = RegistryEntry.objects.get(pk=archived_entry.pk)
    for field, value in changes.items():
        setattr(instance, field, value)
    _refused(instance.save)
    _refused(lambda: RegistryEntry.objects.filter(pk=instance.pk).update(**changes))
    assert _snapshot(archived_entry) == before


@PROPERTY
@given(changes=service_changes)
def test_changing_an_archived_post_through_the_service_is_refused(
    archived_entry: RegistryEntry, staff: Any, changes: dict[str, Any]
) -> None:
    before = _snapshot(archived_entry)
    for actor in (staff["builder"], staff["archivist"]):
        _refused(partial(services.change_journalpost, archived_entry, actor, **changes))
    assert _snapshot(archived_entry) == before


def test_nothing_of_an_archived_post_can_be_deleted_or_added(
    archived_entry: RegistryEntry, staff: Any
) -> None:
    before = _snapshot(archived_entry)
    document = archived_entry.documents.get()
    version = document.document_objects.get()
    part = archived_entry.correspondence_parts.get()
    actor = staff["archivist"]
    actions: list[Callable[[], Any]] = [
        archived_entry.delete,
        RegistryEntry.objects.filter(pk=archived_entry.pk).delete,
        document.delete,
        DocumentDescription.objects.filter(pk=document.pk).delete,
        lambda: DocumentDescription.objects.filter(pk=document.pk).update(tittel="Ny"),
        _save_with(document, "tittel", "Ny"),
        version.delete,
        lambda: DocumentObject.objects.filter(pk=version.pk).update(filstoerrelse=1),
        _save_with(version, "sjekksum", "b" * 64),
        part.delete,
        lambda: CorrespondencePart.objects.filter(pk=part.pk).update(korrespondansepart_navn="X"),
        _save_with(part, "korrespondansepart_navn", "X"),
        lambda: services.add_dokument(archived_entry, "Vedlegg", actor, "V"),
        lambda: services.add_dokumentobjekt(
            document,
            actor,
            format="fmt/95",
            sjekksum="c" * 64,
            filstoerrelse=1,
            referanse_dokumentfil="DOKUMENT/2.pdf",
            versjonsnummer=2,
        ),
        lambda: services.set_journalstatus(archived_entry, "U", actor),
        lambda: services.add_skjerming(archived_entry, "13", "Offl. § 13", ["NA"], actor),
        lambda: services.set_kassasjon(archived_entry, "K", 10, actor),
        lambda: CorrespondencePart.objects.create(
            registry_entry=archived_entry, korrespondanseparttype="EK", korrespondansepart_navn="Y"
        ),
    ]
    for action in actions:
        _refused(action)
    assert _snapshot(archived_entry) == before


def test_an_archived_post_can_be_annotated(archived_entry: RegistryEntry, staff: Any) -> None:
    note = services.annotate(
        archived_entry, "Feil dato i brevet; rett dato er 3. mars.", staff["builder"]
    )
    assert Annotation.objects.get(registry_entry=archived_entry) == note
    assert note.merknad_registrert_av == "Byggjar Test"


def test_the_unarchived_posts_of_a_queryset_are_not_touched_when_one_is_archived(
    archived_entry: RegistryEntry, register: Callable[..., RegistryEntry]
) -> None:
    open_entry = register()
    with pytest.raises(ArchivedRecordError), transaction.atomic():
        RegistryEntry.objects.all().update(tittel="Alle")
    open_entry.refresh_from_db()
    assert open_entry.tittel != "Alle"


def test_system_id_cannot_change(case: CaseFolder, register: Callable[..., RegistryEntry]) -> None:
    original = case.system_id
    case.system_id = uuid.uuid4()
    with pytest.raises(SystemIdError):
        case.save()
    with pytest.raises(SystemIdError):
        CaseFolder.objects.filter(pk=case.pk).update(system_id=uuid.uuid4())
    entry = register()
    entry.system_id = uuid.uuid4()
    with pytest.raises(ValidationError):
        entry.save()
    assert CaseFolder.objects.get(pk=case.pk).system_id == original


def test_postgresql_refuses_raw_sql_on_archived_rows(archived_entry: RegistryEntry) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the triggers exist on PostgreSQL only; SQLite relies on the model guards")
    before = _snapshot(archived_entry)
    document = archived_entry.documents.get()
    for sql, param in [
        ("UPDATE records_registryentry SET tittel = 'X' WHERE id = %s", archived_entry.pk),
        ("DELETE FROM records_correspondencepart WHERE registry_entry_id = %s", archived_entry.pk),
        ("UPDATE records_documentdescription SET tittel = 'X' WHERE id = %s", document.pk),
        ("DELETE FROM records_documentobject WHERE document_id = %s", document.pk),
    ]:
        with (
            pytest.raises(DatabaseError, match="archived"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [param])
    assert _snapshot(archived_entry) == before


def test_raw_sql_on_posts_not_archived_is_not_blocked(
    register: Callable[..., RegistryEntry],
) -> None:
    entry = register()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE records_registryentry SET tittel = 'Ny' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.tittel == "Ny"
