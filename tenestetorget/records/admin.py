"""Django admin for the records: to look, never to write. Every change of a record goes
through records/services.py, which checks the permissions, the statuses and writes the
change log; the admin would bypass all three, so it adds, changes and deletes nothing.

It shows the archive's structure and the access grants, not the cases, posts, documents or
change log: those may be screened, and only the records pages (`records/views`) apply the
screening rules (`records/access.py`). The admin would show a screened title to anyone
with the administrator's login, without a trace."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tenestetorget.records.models import (
    AccessGrant,
    Archive,
    ArchiveClass,
    ClassificationSystem,
    Series,
)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccessGrant)
class AccessGrantAdmin(ReadOnlyAdmin):
    list_display = ["user", "case_folder", "registry_entry", "granted_by", "granted_at"]


for model in (Archive, Series, ClassificationSystem, ArchiveClass):
    admin.site.register(model, ReadOnlyAdmin)
