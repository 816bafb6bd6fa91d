"""Small text-only PDF letters for the demo archive, written without a PDF library.

A demo letter is a heading and some paragraphs in one font; that takes a page of PDF 1.4
with the standard Helvetica font (every reader has it, nothing is embedded) in WinAnsi
encoding, which covers Norwegian letters. The output depends only on the text (no date,
no random ID), so the same text gives the same bytes and the document store keeps it once.
These are production-format files: Ghostscript (core.pdfa) makes the archival PDF/A.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 72
LINE_HEIGHT = 15
WRAP = 86  # characters of Helvetica 11 pt across the text width, roughly
MAX_LINES = (PAGE_HEIGHT - 2 * MARGIN) // LINE_HEIGHT


def _encode(text: str) -> bytes:
    """A PDF string literal in WinAnsi (cp1252), brackets and backslashes escaped."""
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _lines(heading: str, paragraphs: Sequence[str]) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = [("F2", heading), ("F1", "")]
    for paragraph in paragraphs:
        lines.extend(("F1", line) for line in textwrap.wrap(paragraph, WRAP) or [""])
        lines.append(("F1", ""))
    return lines[:MAX_LINES]


def text_pdf(heading: str, paragraphs: Sequence[str]) -> bytes:
    """One A4 page: `heading` in bold, then the paragraphs, wrapped. Longer text is cut at
    the end of the page (demo letters are short)."""
    stream = [b"BT", f"{MARGIN} {PAGE_HEIGHT - MARGIN} Td".encode()]
    for n, (font, line) in enumerate(_lines(heading, paragraphs)):
        size = 14 if font == "F2" else 11
        move = b"" if n == 0 else f"0 -{LINE_HEIGHT} Td ".encode()
        stream.append(move + f"/{font} {size} Tf (".encode() + _encode(line) + b") Tj")
    stream.append(b"ET")
    content = b"\n".join(stream)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}]"
            " /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>"
        ).encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream",
        # The title as UTF-16 with a byte-order mark, which the document information
        # dictionary takes for any text (WinAnsi is for the page's fonts only).
        b"<< /Title <"
        + ("\ufeff" + heading).encode("utf-16-be").hex().upper().encode()
        + b"> /Producer (Tenestetorget demo) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe6\xf8\xe5\xc6\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)
