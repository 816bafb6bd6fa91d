"""Django admin for the records: to look, never to write. Every change of a record goes
through records/services.py, which checks the permissions, the statuses and writes the
change log; the admin would bypass all three, so it adds, changes and deletes nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tenestetorget.records.models import (
    Annotation,
    Archive,
    ArchiveClass,
    CaseFolder,
    ChangeLogEntry,
    ClassificationSystem,
    CorrespondencePart,
    CrossReference,
    Disposal,
    DocumentDescription,
    DocumentObject,
    RegistryEntry,
    Screening,
    Series,
    WriteOff,
)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CaseFolder)
class CaseFolderAdmin(ReadOnlyAdmin):
    list_display = ["mappe_id", "tittel", "administrativ_enhet", "saksansvarlig", "saksstatus"]
    list_filter = ["saksstatus", "saksaar"]
    search_fields = ["mappe_id", "tittel"]


@admin.register(RegistryEntry)
class RegistryEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "registrerings_id",
        "tittel",
        "kind",
        "journalposttype",
        "journalstatus",
        "journaldato",
    ]
    list_filter = ["kind", "journalposttype", "journalstatus"]
    search_fields = ["registrerings_id", "tittel"]


@admin.register(ChangeLogEntry)
class ChangeLogEntryAdmin(ReadOnlyAdmin):
    list_display = ["endret_dato", "referanse_arkivenhet", "referanse_metadata", "endret_av"]
    search_fields = ["referanse_arkivenhet"]


for model in (
    Archive,
    Series,
    ClassificationSystem,
    ArchiveClass,
    DocumentDescription,
    DocumentObject,
    CorrespondencePart,
    Annotation,
    Screening,
    Disposal,
    CrossReference,
    WriteOff,
):
    admin.site.register(model, ReadOnlyAdmin)
