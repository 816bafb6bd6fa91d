"""The one check every uploaded file passes, whoever sends it: a citizen's attachment to an
inquiry or a file an editor adds to an article; and the one way such a file is stored.

Types and size come from settings (ALLOWED_ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES,
MAX_ATTACHMENTS). A file is accepted when the suffix of the name it will be stored under is
allowed and its content is that type (core.file_types); nothing a browser would run as a page
(HTML, SVG, script) is accepted, whatever it is called. The checked type is what the file is
served as later.

Files that are too large or too many never reach this module in full: the upload handler
(core.upload_handlers) stops keeping their bytes and hands over a RefusedUpload, which the
check turns into the message.
"""

from __future__ import annotations

import logging
import unicodedata
import weakref
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tenestetorget.core.file_types import SNIFF_BYTES, CheckedType, checked_type
from tenestetorget.core.upload_handlers import Refusal, refusal_of

if TYPE_CHECKING:
    from django.core.files.base import File
    from django.core.files.storage import Storage
    from django.db.models.fields.files import FieldFile

log = logging.getLogger(__name__)

#: Longest file name kept (the models' original_name holds 255; the stored path adds folders).
MAX_NAME = 200
DEFAULT_NAME = "vedlegg"


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed the check: the name to store it under and its checked type."""

    name: str
    content_type: str
    size: int


def attachment_name(raw: str | None, max_length: int = MAX_NAME) -> str:
    """The name a file is stored and shown under: the last part of what the browser sent,
    without control characters, composed (macOS sends decomposed letters), and shortened
    from the middle so that the suffix the check reads is the one kept."""
    name = PurePath((raw or "").replace("\\", "/")).name
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if not name or name in {".", ".."}:
        return DEFAULT_NAME
    if len(name) <= max_length:
        return name
    suffix = PurePath(name).suffix
    if len(suffix) >= max_length // 2:
        # No real suffix is that long: keep the start, and the check will refuse the type.
        return name[:max_length]
    return name[: max_length - len(suffix)] + suffix


def _allowed_suffixes() -> list[str]:
    return [str(s).lower() for s in settings.TENESTETORGET["ALLOWED_ATTACHMENT_TYPES"]]


def _read_head(upload: File[Any]) -> bytes:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return head if isinstance(head, bytes) else head.encode()


def validate_upload(upload: File[Any]) -> CheckedUpload:
    """Check one file; returns the name to store it under and its type, or raises a
    ValidationError that names the file and says what is wrong."""
    conf = settings.TENESTETORGET
    name = attachment_name(upload.name)
    if refusal_of(upload) == Refusal.TOO_MANY:
        raise _too_many()
    max_bytes = int(conf["MAX_ATTACHMENT_BYTES"])
    if refusal_of(upload) == Refusal.TOO_LARGE or (upload.size or 0) > max_bytes:
        raise ValidationError(
            _("Fila «%(name)s» er for stor. Største storleik er %(mb)s MB.")
            % {"name": name, "mb": max(max_bytes // (1024 * 1024), 1)}
        )
    allowed = _allowed_suffixes()
    suffix = PurePath(name).suffix.lower()
    if suffix not in allowed:
        raise ValidationError(
            _("Fila «%(name)s» er av ein type vi ikkje tek imot. Tillatne typar: %(types)s.")
            % {"name": name, "types": ", ".join(allowed)}
        )
    checked = checked_type(suffix, _read_head(upload))
    if checked is None:
        raise ValidationError(
            _(
                "Innhaldet i fila «%(name)s» er ikkje ei %(type)s-fil, slik namnet seier. "
                "Lagre fila på nytt i rett format, eller vel ei anna fil."
            )
            % {"name": name, "type": suffix.lstrip(".").upper()}
        )
    return CheckedUpload(name=name, content_type=checked.mime, size=upload.size or 0)


def validate_uploads(uploads: list[Any]) -> list[CheckedUpload]:
    """Check the files sent together (an inquiry's attachments): no more than MAX_ATTACHMENTS,
    and each as validate_upload; every message at once."""
    limit = int(settings.TENESTETORGET["MAX_ATTACHMENTS"])
    if len(uploads) > limit or any(refusal_of(u) == Refusal.TOO_MANY for u in uploads):
        raise _too_many()
    errors: list[str] = []
    checked: list[CheckedUpload] = []
    for upload in uploads:
        try:
            checked.append(validate_upload(upload))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return checked


def _too_many() -> ValidationError:
    limit = int(settings.TENESTETORGET["MAX_ATTACHMENTS"])
    return ValidationError(_("Du kan leggje ved høgst %(n)s filer.") % {"n": limit})


# --- storing ---------------------------------------------------------------------------------


def store_upload(field: FieldFile, upload: File[Any]) -> CheckedUpload:
    """Check `upload` and save it into the model's file field (the row is saved by the
    caller), under the checked name. The file is removed again if the transaction it was
    saved in (or the savepoint) is rolled back: see delete_on_rollback."""
    checked = validate_upload(upload)
    field.save(checked.name, upload, save=False)
    delete_on_rollback(field.storage, field.name or "")
    return checked


class _CommitPromise:
    """The on-commit callback that keeps a stored file. Django calls it when the transaction
    commits; when the transaction or the savepoint it was registered in rolls back, Django
    drops it unrun, and its finalizer then deletes the file."""

    def __init__(self, storage: Storage, name: str) -> None:
        self.committed = False
        weakref.finalize(self, _delete_unless_committed, storage, name, self.__dict__)

    def __call__(self) -> None:
        self.committed = True


def _delete_unless_committed(storage: Storage, name: str, state: dict[str, bool]) -> None:
    if state.get("committed"):
        return
    try:
        storage.delete(name)
    except OSError:
        log.exception("could not remove %s after a rolled-back transaction", name)
    else:
        log.info("removed %s: the transaction that stored it was rolled back", name)


def delete_on_rollback(storage: Storage, name: str) -> None:
    """Remove the stored file `name` if the current transaction does not commit.

    Django has on-commit hooks but none for a rollback. The hook registered here is kept by
    nothing but Django's list of on-commit callbacks, which Django empties on a rollback (and
    filters on a savepoint's rollback): the promise is then freed at once, and its finalizer
    deletes the file. Outside a transaction Django runs the hook at once and the file stays."""
    if name:
        transaction.on_commit(_CommitPromise(storage, name))


def served_type(file: File[Any], name: str) -> CheckedType | None:
    """The checked type of a stored file, from its content and name: what it is served as.
    None for a file that would not pass the check today (stored before the check existed)."""
    return checked_type(PurePath(name).suffix, _read_head(file))
