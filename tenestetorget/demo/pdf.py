"""Demo letters as PDF documents: the archive's own plain-text PDF writer (core.text_pdf)."""

from __future__ import annotations

from collections.abc import Sequence

from tenestetorget.core import text_pdf as _text_pdf


def text_pdf(heading: str, paragraphs: Sequence[str]) -> bytes:
    """A letter: the heading, then the paragraphs with a blank line between."""
    return _text_pdf.document(heading, [], "\n\n".join(paragraphs))
