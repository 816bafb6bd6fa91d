"""What a file is, judged by its content as well as its name.

A file name's suffix is what the sender says; the first bytes are what the file is. An upload
is accepted only when the two agree (`checked_type`), and the type it is served with comes
from this check, never from the name alone or from what the browser that sent it claimed.

Binary formats are recognised by their signatures with the `filetype` library. It knows no
text formats, so .txt, .csv and .eml pass a plain-text sniff of our own. Content that a
browser would run as a page (HTML, SVG, XML, script) is refused whatever the suffix says.
Office files are recognised by their container, as their suffix family: the old formats
(.doc, .xls, .ppt) are OLE compound files, the newer (.docx, .xlsx, .odt, .ods, ...) zip
archives; telling a .docx from any other zip would need unpacking it, and a browser never
opens either as a page.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass

import filetype

#: How much of a file the checks read: what `filetype` reads for its signatures.
SNIFF_BYTES = 8192

#: Suffixes never accepted, even if an operator lists them: a browser runs these as a page.
ACTIVE_SUFFIXES = frozenset(
    {".htm", ".html", ".xhtml", ".shtml", ".mht", ".mhtml", ".svg", ".svgz", ".xml", ".xsl"}
    | {".xslt", ".js", ".mjs", ".php", ".swf"}
)

#: Types served inline (the browser shows them): PDF and raster images. Everything else is
#: served as a download.
INLINE_TYPES = frozenset(
    {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "image/heic",
        "image/avif",
        "image/tiff",
        "image/bmp",
    }
)

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"

#: How a page starts, after optional white space (the WHATWG MIME sniffing standard's HTML
#: patterns, plus XML and SVG). Each is followed by a space or ">" to count.
_MARKUP_STARTS = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<script",
    b"<iframe",
    b"<h1",
    b"<div",
    b"<font",
    b"<table",
    b"<a",
    b"<style",
    b"<title",
    b"<b",
    b"<body",
    b"<br",
    b"<p",
    b"<?xml",
    b"<svg",
    b"<object",
    b"<embed",
    b"<meta",
    b"<link",
    b"<img",
    b"<form",
    b"<base",
)
_TAG_END = b" \t\n\x0c\r>/"
_TEXT_CONTROLS_ALLOWED = frozenset("\t\n\r\x0c\x1b")


@dataclass(frozen=True)
class CheckedType:
    """The type a file's content was found to be, as served."""

    mime: str

    @property
    def inline(self) -> bool:
        return self.mime in INLINE_TYPES


#: The type served for a file that failed the check (one stored before it existed).
UNKNOWN = CheckedType("application/octet-stream")


def looks_like_markup(head: bytes) -> bool:
    """True when a browser sniffing the bytes would take them for a page (HTML, XML, SVG):
    they start, after white space and any byte-order mark, with a tag or a comment."""
    text = _as_text(head)
    if text is None:
        return False
    start = text.lstrip(" \t\n\r\x0c").encode("utf-8", "replace")[:64].lower()
    return any(
        start.startswith(pattern)
        and (len(start) == len(pattern) or start[len(pattern) : len(pattern) + 1] in _TAG_END)
        for pattern in _MARKUP_STARTS
    ) or start.startswith(b"<!--")  # a comment, whatever follows


def is_plain_text(head: bytes) -> bool:
    """Readable text: UTF-8, UTF-16 with a byte-order mark or a single-byte encoding
    (Windows-1252, as older Norwegian spreadsheets export), without NUL bytes or other control
    characters beyond the odd stray one, and not a binary format `filetype` knows."""
    text = _as_text(head)
    if text is None or filetype.guess(head) is not None:
        return False
    if not text:
        return True
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in _TEXT_CONTROLS_ALLOWED)
    return controls * 100 <= len(text)


def _as_text(head: bytes) -> str | None:
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            # The head may end inside a character: decode what is whole.
            return codecs.getincrementaldecoder(encoding)("replace").decode(head[len(bom) :])
    if b"\x00" in head:
        return None
    try:
        return codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        return head.decode("cp1252", "replace")


def _guessed(head: bytes) -> str | None:
    kind = filetype.guess(head)
    return kind.extension if kind is not None else None


def _signature(*extensions: str) -> Callable[[bytes], bool]:
    return lambda head: _guessed(head) in extensions


def _starts_with(signature: bytes) -> Callable[[bytes], bool]:
    return lambda head: head.startswith(signature)


@dataclass(frozen=True)
class _Family:
    mime: str
    matches: Callable[[bytes], bool]


_OLE = _starts_with(OLE_SIGNATURE)
_ZIP = _starts_with(ZIP_SIGNATURE)

#: The suffixes whose content we know how to check, with the type they are served as.
FAMILIES: dict[str, _Family] = {
    ".pdf": _Family("application/pdf", _signature("pdf")),
    ".jpg": _Family("image/jpeg", _signature("jpg")),
    ".jpeg": _Family("image/jpeg", _signature("jpg")),
    ".png": _Family("image/png", _signature("png", "apng")),
    ".gif": _Family("image/gif", _signature("gif")),
    ".webp": _Family("image/webp", _signature("webp")),
    ".heic": _Family("image/heic", _signature("heic")),
    ".heif": _Family("image/heic", _signature("heic")),
    ".avif": _Family("image/avif", _signature("avif")),
    ".tif": _Family("image/tiff", _signature("tif")),
    ".tiff": _Family("image/tiff", _signature("tif")),
    ".bmp": _Family("image/bmp", _signature("bmp")),
    ".doc": _Family("application/msword", _OLE),
    ".xls": _Family("application/vnd.ms-excel", _OLE),
    ".ppt": _Family("application/vnd.ms-powerpoint", _OLE),
    ".docx": _Family(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP
    ),
    ".xlsx": _Family("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".pptx": _Family(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP
    ),
    ".odt": _Family("application/vnd.oasis.opendocument.text", _ZIP),
    ".ods": _Family("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    ".odp": _Family("application/vnd.oasis.opendocument.presentation", _ZIP),
    ".txt": _Family("text/plain", is_plain_text),
    ".csv": _Family("text/csv", is_plain_text),
    ".eml": _Family("message/rfc822", is_plain_text),
}


def checked_type(suffix: str, head: bytes) -> CheckedType | None:
    """The type of a file named with `suffix` (".pdf") whose first bytes are `head`, or None
    when the content does not match the suffix or is something a browser runs as a page.

    A suffix not in FAMILIES (an operator's addition to ALLOWED_ATTACHMENT_TYPES) is accepted
    when `filetype` recognises the content as that very format."""
    suffix = suffix.lower()
    if suffix in ACTIVE_SUFFIXES or looks_like_markup(head):
        return None
    family = FAMILIES.get(suffix)
    if family is not None:
        return CheckedType(family.mime) if family.matches(head) else None
    kind = filetype.guess(head)
    if kind is not None and f".{kind.extension}" == suffix:
        return CheckedType(kind.mime)
    return None
