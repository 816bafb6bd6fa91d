"""The arkivformat (A) version of a finished document: which files are archival already, and
the listener that adds the A version once core has made the PDF/A.

When a dokumentbeskrivelse is finished (`services.finish_dokument`), the P version of its
latest versjonsnummer gets its A variant:

* a file that is already in an archival format (PDF/A-1 or PDF/A-2 by its XMP metadata, plain
  text) is its own A variant at once: the same file, with the archival PRONOM id;
* anything else is converted to PDF/A-2b by core's converter (`core.documents.finalise`,
  in the background task `core.tasks.make_archival_variant`), and `core.documents` sends
  `variant_done` when it is made; `on_variant_done` below then adds the A version.

Archiving the post waits until every finished document has its A version
(`services.archival_variants_missing`).
"""

from __future__ import annotations

import re
from typing import Any

from tenestetorget.core import documents, pdfa
from tenestetorget.core.models import Document as StoredDocument
from tenestetorget.core.models import DocumentVariant

#: Types kept as they are: plain text is an archival format of its own (Riksarkivarens
#: forskrift § 5-17), as XML is (the store refuses XML uploads today, but an import may have it).
ARCHIVAL_AS_IS = {
    "text/plain": "x-fmt/111",
    "application/xml": "fmt/101",
    "text/xml": "fmt/101",
}

#: PRONOM ids of the PDF/A parts and conformance levels the archive takes as they are. PDF/A-3
#: (which may carry any embedded file) is converted to PDF/A-2b like any other PDF.
PDFA_PRONOM = {
    (1, "A"): "fmt/95",
    (1, "B"): "fmt/354",
    (2, "A"): "fmt/476",
    (2, "B"): "fmt/477",
    (2, "U"): "fmt/478",
}

_CONFORMANCE = re.compile(rb"pdfaid:conformance\s*(?:=\s*['\"]([A-Za-z])['\"]|>\s*([A-Za-z])\s*<)")


def archival_format_of(stored_file: StoredDocument) -> str | None:
    """The PRONOM id when `stored_file` is already in an archival format, else None (it is to
    be converted). A PDF counts by what its XMP metadata declares (pdfaid:part and
    :conformance), the same check core makes of its own output; veraPDF is not installed."""
    if stored_file.mime_type in ARCHIVAL_AS_IS:
        return ARCHIVAL_AS_IS[stored_file.mime_type]
    if stored_file.mime_type not in pdfa.PDF_TYPES:
        return None
    try:
        content = documents.read_verified(stored_file)
    except documents.DocumentCorrupted:
        return None  # the conversion reports it, with the reason, in the queue
    part = pdfa.declared_pdfa_part(content)
    match = _CONFORMANCE.search(content)
    if part is None or match is None:
        return None
    conformance = (match.group(1) or match.group(2)).decode().upper()
    return PDFA_PRONOM.get((part, conformance))


#: The receiver's id, so that connecting twice (or again after a test) keeps one receiver.
DISPATCH_UID = "records.archival_variant"


def connect_signals() -> None:
    documents.variant_done.connect(on_variant_done, dispatch_uid=DISPATCH_UID)


def on_variant_done(sender: Any, variant: DocumentVariant, **kwargs: Any) -> None:
    """Core made (or was asked again for) an archival PDF/A: every finished document whose
    latest version is that file in P gets its A version, once."""
    from tenestetorget.records import services

    services.add_archival_variants_for(variant)
