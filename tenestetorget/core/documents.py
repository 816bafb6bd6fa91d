"""The one document store: every file the service keeps, whoever sent it, is a core.Document.

- `store(file, name, actor)` checks the file as every upload is checked (core.uploads: type
  by content, size, name), writes it through Django's default storage (local disk, or an
  S3-compatible store by configuration: docs/documents.md) under its SHA-256, and records
  the checksum. The same content stored twice is one Document.
- `open_verified(document)` reads it back, hashing as it reads; content that no longer has
  its checksum raises DocumentCorrupted instead of being handed on.
- `finalise(document)` asks for the archival PDF/A variant, which a background task makes
  (core.tasks, core.pdfa); `make_archival_variant(document)` makes it at once. The original
  is kept. An office file waits in `conversion_queue()` where LibreOffice is not installed;
  `tenestetorget documents convert-waiting` converts what waits once it is.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePath
from types import TracebackType
from typing import IO, Any

from django.core.files.base import File
from django.core.files.storage import Storage, storages
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from tenestetorget.core import pdfa
from tenestetorget.core.models import (
    ConversionStatus,
    Document,
    DocumentVariant,
    VariantFormat,
)
from tenestetorget.core.uploads import delete_on_rollback, validate_upload

log = logging.getLogger(__name__)

CHUNK = 64 * 1024
FOLDER = "documents"

#: Sent with `variant=` when a variant's conversion is done, and again whenever a done one is
#: converted (a task run twice, after its worker died): the records app adds its arkivformat
#: version from it (core imports no app; the apps listen). Receivers must be idempotent.
variant_done = Signal()

#: PRONOM identifiers where the checked type settles the format. PDF is told by its header's
#: version (pronom_of); a format whose versions differ inside (JPEG, PNG, ODF) is left blank
#: rather than guessed.
_PRONOM = {
    "application/msword": "fmt/40",
    "application/vnd.ms-excel": "fmt/61",
    "application/vnd.ms-powerpoint": "fmt/126",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "fmt/412",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "fmt/214",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "fmt/215",
    "text/plain": "x-fmt/111",
    "text/csv": "x-fmt/18",
    "message/rfc822": "fmt/950",
}
_PDF_PRONOM = {
    b"1.0": "fmt/14",
    b"1.1": "fmt/15",
    b"1.2": "fmt/16",
    b"1.3": "fmt/17",
    b"1.4": "fmt/18",
    b"1.5": "fmt/19",
    b"1.6": "fmt/20",
    b"1.7": "fmt/276",
    b"2.0": "fmt/1129",
}


class DocumentCorrupted(Exception):
    """A stored document's content no longer has the checksum it was stored with: changed or
    damaged on disk or in the bucket, or missing."""

    def __init__(self, document: Document, found: str | None) -> None:
        self.document = document
        facts = {
            "id": document.pk,
            "name": document.storage_name,
            "expected": document.sha256,
            "found": found,
        }
        if found is None:
            message = _(
                "Dokument %(id)s (%(name)s) manglar i lageret. Hent fila frå tryggingskopien."
            )
        else:
            message = _(
                "Dokument %(id)s (%(name)s) er endra eller skadd i lageret: innhaldet har "
                "ikkje lenger kontrollsummen det vart lagra med (SHA-256 %(expected)s, no "
                "%(found)s). Hent fila frå tryggingskopien."
            )
        super().__init__(message % facts)


def storage() -> Storage:
    """Where documents are kept: Django's default storage (settings.STORAGES)."""
    return storages["default"]


def pronom_of(mime_type: str, head: bytes) -> str:
    if mime_type == "application/pdf" and head.startswith(b"%PDF-"):
        return _PDF_PRONOM.get(head[5:8], "")
    return _PRONOM.get(mime_type, "")


# --- storing -----------------------------------------------------------------------------------


def store(file: File[Any], name: str | None = None, actor: Any = None) -> Document:
    """Check `file` as an upload (core.uploads.validate_upload, which raises ValidationError
    with the message for the user) and store it; `name` overrides the file's own name.
    Returns the Document, which is an existing one when the same content was stored before."""
    if name is not None:
        file.name = name
    checked = validate_upload(file)
    return _store_checked(file, checked.name, checked.content_type, actor)


def _store_checked(
    file: File[Any], name: str, mime_type: str, actor: Any = None, pronom: str | None = None
) -> Document:
    digest, size, head = _digest(file)
    existing = Document.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing
    where = storage()
    suffix = PurePath(name).suffix.lower()
    file.seek(0)
    stored_name = where.save(f"{FOLDER}/{digest[:2]}/{digest}{suffix}", file)
    # The checksum is of what was written, not only of what was sent.
    found = _stored_digest(where, stored_name)
    if found != digest:
        where.delete(stored_name)
        raise OSError(f"{stored_name}: written with SHA-256 {found}, sent with {digest}")
    try:
        with transaction.atomic():
            document = Document.objects.create(
                sha256=digest,
                size=size,
                mime_type=mime_type,
                pronom=pronom if pronom is not None else pronom_of(mime_type, head),
                storage_name=stored_name,
                stored_by=actor.get_username() if actor is not None else "",
            )
    except IntegrityError:
        # Stored at the same moment by someone else: theirs is the one.
        where.delete(stored_name)
        return Document.objects.get(sha256=digest)
    delete_on_rollback(where, stored_name)
    return document


def _digest(file: File[Any]) -> tuple[str, int, bytes]:
    file.seek(0)
    sha = hashlib.sha256()
    size = 0
    head = b""
    for chunk in file.chunks(CHUNK):
        data = chunk if isinstance(chunk, bytes) else chunk.encode()
        if not head:
            head = data[:16]
        sha.update(data)
        size += len(data)
    file.seek(0)
    return sha.hexdigest(), size, head


def _stored_digest(where: Storage, name: str) -> str:
    sha = hashlib.sha256()
    with where.open(name, "rb") as stored:
        for chunk in iter(lambda: stored.read(CHUNK), b""):
            sha.update(chunk)
    return sha.hexdigest()


# --- reading -------------------------------------------------------------------------------------


class VerifiedReader:
    """A stored document opened for reading, hashed as it is read. Reading to the end checks
    the checksum and size: a mismatch raises DocumentCorrupted there, before the caller takes
    the last bytes as good. Use `verify(document)` to check before sending a byte."""

    def __init__(self, document: Document, raw: IO[bytes]) -> None:
        self.document = document
        self._raw = raw
        self._sha = hashlib.sha256()
        self._size = 0
        self._checked = False

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self._sha.update(data)
        self._size += len(data)
        if not data or size is None or size < 0 or self._size > self.document.size:
            self._check()
        return data

    def chunks(self, chunk_size: int = CHUNK) -> Iterator[bytes]:
        while data := self.read(chunk_size):
            yield data

    def _check(self) -> None:
        if self._checked:
            return
        self._checked = True
        found = self._sha.hexdigest()
        if found != self.document.sha256 or self._size != self.document.size:
            log.error("document %s failed its checksum: %s", self.document.pk, found)
            raise DocumentCorrupted(self.document, found)

    def close(self) -> None:
        self._raw.close()

    def __enter__(self) -> VerifiedReader:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def open_verified(document: Document) -> VerifiedReader:
    """Open a stored document for reading, checked against its checksum as it is read."""
    try:
        raw = storage().open(document.storage_name, "rb")
    except FileNotFoundError as exc:
        raise DocumentCorrupted(document, None) from exc
    return VerifiedReader(document, raw)


def read_verified(document: Document) -> bytes:
    with open_verified(document) as reader:
        return reader.read()


def verify(document: Document) -> None:
    """Read the whole document and check it; raises DocumentCorrupted."""
    with open_verified(document) as reader:
        for _chunk in reader.chunks():
            pass


# --- the archival variant ------------------------------------------------------------------------


def finalise(document: Document) -> DocumentVariant:
    """Ask for the archival PDF/A variant of a document that is now final; a background task
    makes it once the transaction commits. Asking again changes nothing."""
    from tenestetorget.core import tasks

    variant, _created = DocumentVariant.objects.get_or_create(
        original=document, variant_format=VariantFormat.ARCHIVAL
    )
    if variant.conversion_status != ConversionStatus.DONE:
        pk = variant.pk
        transaction.on_commit(lambda: tasks.make_archival_variant.enqueue(pk))
    return variant


def make_archival_variant(document: Document) -> DocumentVariant:
    """Make the archival PDF/A variant now (finalise's task does this in the background)."""
    variant, _created = DocumentVariant.objects.get_or_create(
        original=document, variant_format=VariantFormat.ARCHIVAL
    )
    return convert(variant)


def convert(variant: DocumentVariant) -> DocumentVariant:
    """Try the conversion of one variant; it ends done, failed (with the reason), or waiting
    when the converter its type needs is not installed. Done variants are not converted
    again; `variant_done` is sent for them again, so that a listener that missed it catches up."""
    if variant.conversion_status == ConversionStatus.DONE:
        _announce(variant)
        return variant
    original = variant.original
    suffix = PurePath(original.storage_name).suffix
    with tempfile.TemporaryDirectory(prefix="tt-pdfa-") as tmp:
        workdir = Path(tmp)
        source = workdir / f"original{suffix}"
        try:
            with open_verified(original) as reader, source.open("wb") as copy:
                for chunk in reader.chunks():
                    copy.write(chunk)
            output, converter = pdfa.to_pdfa(source, original.mime_type, workdir)
        except pdfa.ConverterMissing as missing:
            _set(
                variant,
                ConversionStatus.WAITING,
                _("Ventar på %(tool)s, som ikkje er installert på tenaren.")
                % {"tool": missing.args[0]},
            )
        except pdfa.NoConverter:
            _set(
                variant,
                ConversionStatus.FAILED,
                _("Det finst ingen omformar til PDF/A for filtypen %(type)s.")
                % {"type": original.mime_type},
            )
        except (pdfa.ConversionError, DocumentCorrupted) as error:
            log.warning("archival variant of document %s failed: %s", original.pk, error)
            _set(
                variant,
                ConversionStatus.FAILED,
                _("Konverteringa feila: %(error)s") % {"error": error},
            )
        else:
            with output.open("rb") as made:
                archival = _store_checked(
                    File(made), "arkivformat.pdf", "application/pdf", pronom=pdfa.PDFA_2B_PRONOM
                )
            variant.document = archival
            variant.converter = converter[:100]
            variant.converted_at = timezone.now()
            _set(variant, ConversionStatus.DONE, "")
            _announce(variant)
    return variant


def _announce(variant: DocumentVariant) -> None:
    # A listener's failure is logged, not raised: the variant is made whatever the listener
    # does with it, and convert_waiting goes on to the next one.
    for receiver, result in variant_done.send_robust(sender=DocumentVariant, variant=variant):
        if isinstance(result, Exception):
            log.error("%s failed on variant %s: %s", receiver, variant.pk, result, exc_info=result)


def _set(variant: DocumentVariant, status: str, reason: str) -> None:
    variant.conversion_status = status
    variant.conversion_reason = reason
    variant.save()


def conversion_queue() -> QuerySet[DocumentVariant]:
    """The variants that are not made: waiting for a converter, or failed with the reason.
    What the archivist looks after."""
    return (
        DocumentVariant.objects.exclude(conversion_status=ConversionStatus.DONE)
        .select_related("original")
        .order_by("requested_at", "pk")
    )


def convert_waiting() -> dict[str, int]:
    """Try every waiting conversion again (after LibreOffice was installed); counts by the
    status each ended in."""
    counts: dict[str, int] = {}
    waiting = DocumentVariant.objects.filter(conversion_status=ConversionStatus.WAITING)
    for variant in waiting.select_related("original").order_by("pk"):
        status = convert(variant).conversion_status
        counts[status] = counts.get(status, 0) + 1
    return counts
