"""How a stored upload is given to a browser: the public files of articles and the staff's
attachments to inquiries alike.

The type comes from the file's content, checked as at upload (core.file_types), not from its
name nor from what the sender's browser claimed. Only PDF and raster images are shown in the
browser; everything else is a download. Every file response forbids the browser to guess
another type (nosniff) and runs the file, if a browser would ever open it as a page, in a
sandbox with no scripts, no requests and no access to the site's cookies or storage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import FileResponse

from tenestetorget.core import documents
from tenestetorget.core.file_types import UNKNOWN
from tenestetorget.core.uploads import served_type

if TYPE_CHECKING:
    from tenestetorget.core.models import Document

#: The policy of every file response: no script, no subresource, no form, a unique origin.
#: Chromium and Firefox still show PDFs under it (their viewers are not the document).
FILE_CSP = "sandbox; default-src 'none'"


def document_response(document: Document, name: str) -> FileResponse:
    """The response for a file in the document store (core.documents), named `name` for the
    reader, with the type its content was checked to be when stored. The whole file is
    checked against its checksum first, so a changed or damaged file is refused
    (DocumentCorrupted) before a byte goes out, and read checked again as it is sent."""
    documents.verify(document)
    # The type is what the content passes as today, not the one recorded when it was stored:
    # a file moved in from before the check (an HTML page, say) is only ever a download.
    with documents.storage().open(document.storage_name, "rb") as probe:
        checked = served_type(probe, name) or UNKNOWN
    response = FileResponse(
        documents.open_verified(document),
        as_attachment=not checked.inline,
        filename=name,
        content_type=checked.mime,
    )
    response["Content-Length"] = str(document.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    return response
