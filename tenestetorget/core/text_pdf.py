"""Plain text as a PDF document for the archive, written without a PDF library.

An inquiry filed as a journal post, its answer, or a demo letter needs its text as a document
(Noark keeps documents, not database rows). The text is plain, so a small PDF 1.4 writer is
enough: the standard Helvetica
fonts (every reader has them; nothing embedded) in WinAnsi encoding, which covers Norwegian
letters (a character outside it becomes «?»), lines wrapped by Helvetica's own widths, and as
many A4 pages as the text needs. Ghostscript (core.pdfa) makes the archival PDF/A from it.

The output depends only on the text given (no creation date, no random ID): the same text
gives the same bytes, and the document store keeps it once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 64
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN

#: Helvetica's advance widths (Adobe's AFM, thousandths of the font size) for printable ASCII
#: and the Norwegian letters; anything else is taken as wide as a digit.
_ASCII_WIDTHS = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 "
    "556 556 556 556 556 556 556 556 556 556 278 278 584 584 584 556 "
    "1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778 "
    "667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 "
    "333 556 556 500 556 556 278 556 556 222 222 500 222 833 556 556 "
    "556 556 333 500 278 556 500 722 500 500 500 334 260 334 584"
)
_WIDTHS = {chr(32 + i): int(w) for i, w in enumerate(_ASCII_WIDTHS.split())}
_WIDTHS.update({"æ": 889, "ø": 611, "å": 556, "Æ": 1000, "Ø": 778, "Å": 667})
_DEFAULT_WIDTH = 556
#: Helvetica-Bold is a little wider; measuring it as regular widened by this is safe.
_BOLD_FACTOR = 1.1


@dataclass(frozen=True)
class Style:
    font: str  # F1 Helvetica, F2 Helvetica-Bold
    size: float
    leading: float


HEADING = Style("F2", 14, 19)
META = Style("F1", 10, 14)
BODY = Style("F1", 11, 15)


def text_width(text: str, style: Style) -> float:
    units = sum(_WIDTHS.get(ch, _DEFAULT_WIDTH) for ch in text)
    factor = _BOLD_FACTOR if style.font == "F2" else 1.0
    return units * style.size * factor / 1000


def wrap(text: str, style: Style, width: float = TEXT_WIDTH) -> list[str]:
    """The lines of one paragraph at `width` points; a word longer than a line is broken."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, style) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while text_width(word, style) > width:
            cut = len(word)
            while cut > 1 and text_width(word[:cut], style) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    lines.append(current)
    return lines


def _encode(text: str) -> bytes:
    """A PDF string literal in WinAnsi (cp1252), brackets and backslashes escaped."""
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _printable(text: str) -> str:
    # Tabs and other control characters have no glyph in the standard fonts.
    return "".join(" " if ord(ch) < 32 else ch for ch in text)


@dataclass(frozen=True)
class Block:
    """A paragraph of the document: a style, the text, and space above it."""

    style: Style
    text: str
    space_before: float = 0


def _placed(blocks: Sequence[Block]) -> Iterator[tuple[int, float, Style, str]]:
    """(page, y, style, line) for every line, breaking pages where the text reaches the
    bottom margin."""
    page, y = 0, float(PAGE_HEIGHT - MARGIN)
    for block in blocks:
        y -= block.space_before
        for raw in block.text.split("\n") or [""]:
            for line in wrap(_printable(raw), block.style):
                if y - block.style.leading < MARGIN:
                    page, y = page + 1, float(PAGE_HEIGHT - MARGIN)
                y -= block.style.leading
                yield page, y, block.style, line


def render(blocks: Sequence[Block], title: str) -> bytes:
    """A PDF of the blocks on as many A4 pages as they need, with `title` as its title."""
    pages: list[list[bytes]] = [[]]
    for page, y, style, line in _placed(blocks):
        while len(pages) <= page:
            pages.append([])
        if line:
            pages[page].append(
                f"BT /{style.font} {style.size:g} Tf {MARGIN} {y:.1f} Td (".encode()
                + _encode(line)
                + b") Tj ET"
            )
    # Objects: 1 catalog, 2 pages, 3 and 4 the fonts, 5 the info, then a page and its
    # content stream for each page.
    kids = " ".join(f"{6 + 2 * n} 0 R" for n in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title (" + _encode(title) + b") /Producer (Tenestetorget) >>",
    ]
    for n, lines in enumerate(pages):
        content = b"\n".join(lines)
        objects.append(
            (
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}]"
                f" /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {7 + 2 * n} 0 R >>"
            ).encode()
        )
        objects.append(
            f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream"
        )
    out = bytearray(b"%PDF-1.4\n%\xe6\xf8\xe5\xc6\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 5 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def document(title: str, facts: Sequence[tuple[str, str]], text: str) -> bytes:
    """The usual shape: a heading, label–value lines (sender, dates), then the text."""
    blocks = [Block(HEADING, title)]
    for n, (label, value) in enumerate(facts):
        blocks.append(Block(META, f"{label}: {value}", space_before=8 if n == 0 else 0))
    blocks.append(Block(BODY, text or "", space_before=14))
    return render(blocks, title)
