"""The one check every uploaded file passes, whoever sends it: a citizen's attachment to an
inquiry or a file an editor adds to an article. Types and size come from settings
(ALLOWED_ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES); no type that a browser would run as a page
(HTML, SVG) is allowed by default."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _


def validate_upload(upload: UploadedFile) -> None:
    conf = settings.TENESTETORGET
    name = upload.name or "vedlegg"
    suffix = PurePath(name).suffix.lower()
    if suffix not in conf["ALLOWED_ATTACHMENT_TYPES"]:
        raise ValidationError(
            _("Fila «%(name)s» er av ein type vi ikkje tek imot. Tillatne typar: %(types)s.")
            % {"name": name, "types": ", ".join(conf["ALLOWED_ATTACHMENT_TYPES"])}
        )
    if (upload.size or 0) > conf["MAX_ATTACHMENT_BYTES"]:
        raise ValidationError(
            _("Fila «%(name)s» er for stor. Største storleik er %(mb)s MB.")
            % {"name": name, "mb": conf["MAX_ATTACHMENT_BYTES"] // (1024 * 1024)}
        )
