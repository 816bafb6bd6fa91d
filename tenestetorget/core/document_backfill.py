"""Moving files kept in a model's own FileField into the document store (core.Document).

For data migrations: inquiry attachments (contact) and article attachments (knowledge) kept
their files under their own folders before the store existed. `move_into_store` gives each
row that has a file and no document yet its `core.Document`, stored as `core.documents`
stores one (named by its SHA-256, written, read back and checked), and links it.

It works on the historical models a migration hands it, so it does not call
`core.documents.store` (that uses today's models and refuses files that fail today's upload
check; a file accepted years ago is kept as it is, with the type its content has).

Idempotent: rows that have their document are skipped, a file already in the store under its
checksum is reused, and running it again after a failure carries on where it stopped. The old
file is left where it was: removing it is for a later release, once the store has been
backed up. A file missing on disk is reported and its row keeps no document.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.core.files.storage import Storage, storages

from tenestetorget.core.file_types import SNIFF_BYTES, UNKNOWN, checked_type

log = logging.getLogger(__name__)

CHUNK = 64 * 1024
#: The folder and naming of core.documents: documents/ab/abcd…ef.pdf.
FOLDER = "documents"


@dataclass
class BackfillReport:
    moved: int = 0
    reused: int = 0
    missing: list[str] = field(default_factory=list)


def _digest(handle: Any) -> tuple[str, int, bytes]:
    sha = hashlib.sha256()
    size = 0
    head = b""
    while data := handle.read(CHUNK):
        if not head:
            head = data[:SNIFF_BYTES]
        sha.update(data)
        size += len(data)
    return sha.hexdigest(), size, head


def _stored_digest(where: Storage, name: str) -> str:
    with where.open(name, "rb") as stored:
        return _digest(stored)[0]


def store_file(
    document_model: Any, where: Storage, source_name: str, original_name: str
) -> tuple[Any, bool]:
    """The Document for the file `source_name` in `where`: an existing one with the same
    checksum, or a new one written under the store's name. Returns (document, created)."""
    from tenestetorget.core.documents import pronom_of

    with where.open(source_name, "rb") as handle:
        digest, size, head = _digest(handle)
    existing = document_model.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing, False
    suffix = PurePath(original_name or source_name).suffix.lower()
    # The type its content is; a file that fails today's check (stored before it existed)
    # is kept as an unknown type and served as a download, whatever it was called or claimed.
    checked = checked_type(suffix, head) or UNKNOWN
    mime = checked.mime
    target = f"{FOLDER}/{digest[:2]}/{digest}{suffix}"
    if not (where.exists(target) and _stored_digest(where, target) == digest):
        # Left by an earlier run that stopped before its row was written, or new.
        if where.exists(target):
            where.delete(target)
        with where.open(source_name, "rb") as handle:
            target = where.save(target, handle)
        found = _stored_digest(where, target)
        if found != digest:
            where.delete(target)
            raise OSError(f"{target}: written with SHA-256 {found}, read with {digest}")
    document = document_model.objects.create(
        sha256=digest,
        size=size,
        mime_type=mime,
        pronom=pronom_of(mime, head[:16]),
        storage_name=target,
        stored_by="",
    )
    return document, True


def move_into_store(
    apps: Any,
    app_label: str,
    model_name: str,
    *,
    file_field: str = "file",
    document_field: str = "stored_file",
    name_field: str = "original_name",
) -> BackfillReport:
    """Give every row of `app_label.model_name` that has a file in `file_field` and nothing in
    `document_field` its core.Document (see the module's docstring)."""
    model = apps.get_model(app_label, model_name)
    document_model = apps.get_model("core", "Document")
    where = storages["default"]
    report = BackfillReport()
    rows = (
        model._default_manager.filter(**{f"{document_field}__isnull": True})
        .exclude(**{file_field: ""})
        .order_by("pk")
    )
    for row in rows.iterator():
        source = str(getattr(row, file_field).name or "")
        if not source:
            continue
        if not where.exists(source):
            log.warning("%s.%s %s: file %s is missing", app_label, model_name, row.pk, source)
            report.missing.append(source)
            continue
        document, created = store_file(
            document_model,
            where,
            source,
            str(getattr(row, name_field, "") or ""),
        )
        model._default_manager.filter(pk=row.pk).update(**{document_field: document})
        if created:
            report.moved += 1
        else:
            report.reused += 1
    if report.missing:
        log.warning(
            "%s.%s: %s files missing, left without a document: %s",
            app_label,
            model_name,
            len(report.missing),
            ", ".join(report.missing),
        )
    return report
