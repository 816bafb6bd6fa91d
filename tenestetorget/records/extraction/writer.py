"""Writing the extraction's XML files: streaming, with flat memory at any size.

Each file is written through lxml's incremental writer (`etree.xmlfile`), which opens and
closes the root and the containers (arkivdel, klassifikasjonssystem, klasse) with their
namespaces. The records inside them (a case with its posts, a journal line, a change) are
built as text, every value escaped (`escape`: &, <, > and characters XML cannot carry),
and written as they are at the writer's current place. Building them as lxml elements, or
parsing each record's text back into lxml before writing it, cost 6 to 10 times as much
(measured: about 1.4 ms for a case of 23 kB against 0.1 ms), which would have made a
million posts take hours; that the text is well-formed and valid is checked afterwards by
the streaming schema validation (schemas.validate), which parses every byte.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

XSI = "http://www.w3.org/2001/XMLSchema-instance"

# Characters XML 1.0 cannot carry at all (control characters other than tab and newlines).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def escape(text: str) -> str:
    """Text for element content. A character XML cannot carry (a stray control character
    pasted into a title) becomes U+FFFD: the file must stay valid, and the depot keeps a
    visible mark where it was."""
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "\r" in text:
        # Written as a reference, or a reader would make it a line feed (XML § 2.11).
        # As PostgreSQL's xmlforest writes it (extraction.leaves).
        text = text.replace("\r", "&#x0d;")
    return xml_chars(text)


def xml_chars(text: str) -> str:
    """`text` with each character XML 1.0 cannot carry as U+FFFD."""
    # isprintable() is a fast test that nothing unusual is there; the regex decides.
    if not text.isprintable() and NOT_XML.search(text):
        return NOT_XML.sub("\ufffd", text)
    return text


@functools.cache
def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def datetime_text(value: dt.datetime) -> str:
    """xs:dateTime in Norwegian time with its offset (2026-03-01T10:15:00+01:00), the
    fraction of a second without trailing zeros (…:00.5+01:00), as PostgreSQL writes it."""
    if not timezone.is_naive(value):
        value = value.astimezone(_zone())
    text = value.isoformat()
    if value.microsecond:
        # isoformat writes six digits: .500000+01:00 → .5+01:00
        cut = 19 + 7  # "YYYY-MM-DDTHH:MM:SS" and ".ffffff"
        text = text[:20] + text[20:cut].rstrip("0") + text[cut:]
    return text


def xml_text(value: Any) -> str:
    """A value as the schemas want it: xs:dateTime with the Norwegian offset, xs:date,
    integers, UUIDs as text."""
    if isinstance(value, dt.datetime):
        return datetime_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class Fragment:
    """A record being built as escaped XML text."""

    __slots__ = ("parts",)

    def __init__(self) -> None:
        self.parts: list[str] = []

    def leaf(self, tag: str, value: Any) -> None:
        """<tag>value</tag>; nothing for an empty optional value (None or '')."""
        if value is None or value == "":
            return
        # The common types first: a million posts make this a hot path.
        kind = type(value)
        if kind is str:
            text = escape(value)
        elif kind is int:
            text = str(value)
        else:
            text = escape(xml_text(value))
        self.parts.append(f"<{tag}>{text}</{tag}>")

    def open(self, tag: str, xsi_type: str | None = None) -> None:
        self.parts.append(f'<{tag} xsi:type="{xsi_type}">' if xsi_type else f"<{tag}>")

    def close(self, tag: str) -> None:
        self.parts.append(f"</{tag}>")

    def extend(self, other: Fragment) -> None:
        self.parts.extend(other.parts)

    def text(self) -> str:
        return "".join(self.parts)


class XmlDocument:
    """One XML file being written: `write(fragment)` adds records under the open element."""

    def __init__(self, xf: Any, out: IO[bytes], namespace: str) -> None:
        self._xf = xf
        self._out = out
        self._ns = namespace

    def write(self, fragment: Fragment) -> None:
        """The fragment's elements, as they are, at the current place in the document.
        lxml's writer is flushed first, so its open elements come before them."""
        self.write_text(fragment.text())

    def write_text(self, text: str) -> None:
        """Records already written as escaped XML text (by the database)."""
        self._xf.flush()
        self._out.write(text.encode())

    def element(self, tag: str, xsi_type: str | None = None) -> Any:
        """An element left open while its children are written (arkivdel, klasse ...)."""
        attrib = {f"{{{XSI}}}type": xsi_type} if xsi_type else {}
        return self._xf.element(f"{{{self._ns}}}{tag}", attrib)


@contextmanager
def xml_document(path: Path, namespace: str, root: str) -> Iterator[XmlDocument]:
    """Write `path` with the root element `root` in `namespace`."""
    with (
        path.open("wb", buffering=1024 * 1024) as out,
        etree.xmlfile(out, encoding="utf-8", buffered=True) as xf,
    ):
        xf.write_declaration()
        with xf.element(f"{{{namespace}}}{root}", nsmap={None: namespace, "xsi": XSI}):
            yield XmlDocument(xf, out, namespace)
        xf.flush()


class Stream(Protocol):
    """Where progress goes: a text stream, or a management command's stderr."""

    def write(self, text: str, /) -> Any: ...

    def flush(self) -> Any: ...


class Progress:
    """Progress lines on stderr: how far, how fast. Counts only, never a title or a name."""

    def __init__(
        self,
        label: str,
        total: int,
        unit: str,
        stream: Stream | None = None,
        every: float = 2.0,
    ) -> None:
        self.label = label
        self.total = total
        self.unit = unit
        self.stream: Stream = stream if stream is not None else sys.stderr
        self.every = every
        self.done = 0
        self.started = time.monotonic()
        self._last = self.started

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if now - self._last >= self.every:
            self._last = now
            self._line(now)

    def finish(self) -> None:
        self._line(time.monotonic(), final=True)

    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def _line(self, now: float, final: bool = False) -> None:
        elapsed = now - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        share = f" ({100 * self.done // self.total} %)" if self.total else ""
        values = {
            "label": self.label,
            "done": self.done,
            "total": self.total,
            "unit": self.unit,
            "share": share,
            "rate": int(rate),
        }
        if self.total:
            text = _("%(label)s: %(done)s av %(total)s %(unit)s%(share)s, %(rate)s per sekund")
        else:
            text = _("%(label)s: %(done)s %(unit)s, %(rate)s per sekund")
        text %= values
        if final:
            text += _(", ferdig på %(seconds).1f s") % {"seconds": elapsed}
        self.stream.write(text + "\n")
        self.stream.flush()
