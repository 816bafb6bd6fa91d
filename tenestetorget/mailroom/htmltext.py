"""HTML mail as plain text (tekst frå HTML-e-post) for the archive and for routing.

What a reader sees in a mail client, as lines: block elements break lines, `<br>` is a line
break, list items start with "- ", quotes with "> ", links keep their address when it says
something the link text does not, and scripts, styles and comments are gone. The walk over
the tree is iterative: a citizen's mail (or a hostile one) with thousands of nested elements
must not reach Python's recursion limit.
"""

from __future__ import annotations

import html as htmllib
import re

import lxml.etree
import lxml.html

__all__ = ["html_to_text"]

#: Elements whose content is never text for a reader.
_DROPPED = frozenset(
    {"script", "style", "head", "title", "noscript", "template", "object", "iframe", "svg"}
)

#: Elements that start and end a line (a browser lays them out as blocks).
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "caption", "center", "dd", "details", "dialog", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hr",
        "legend", "main", "nav", "section", "summary", "table", "tbody", "tfoot", "thead",
        "tr", "ol", "ul", "li", "blockquote", "pre",
    }
)  # fmt: skip

#: Blocks with a margin: a blank line before and after, as a browser shows them.
_PARAGRAPHS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6"})

_CELLS = frozenset({"td", "th"})
_LINK_SCHEMES = ("http://", "https://", "mailto:", "ftp://", "tel:")
_SPACE = re.compile(r"[ \t\n\r\f\v\u200b]+")
_TAG = re.compile(r"<[^>]*>")
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(" {2,}")
_NBSP = "\xa0"


class _Line:
    __slots__ = ("content", "marker", "pre", "prefix")

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.marker = ""
        self.pre = False
        self.content: list[str] = []


class _Writer:
    """Collects text into lines, collapsing white space the way a browser does.

    Breaks between blocks are kept pending until the next text arrives: a browser shows no
    empty line for a block that ends a cell, a list item or the document, and a table cell
    after another in the same row sits beside it, not under it."""

    def __init__(self) -> None:
        self.lines: list[_Line] = [_Line("")]
        self.pending = 0  # 1: a line break is due before the next text, 2: a blank line
        self.marker = ""  # a list item's "- ", written with the item's first text
        self.quote_depth = 0
        self.list_depth = 0
        self.pre_depth = 0
        self.rows: list[bool] = []  # per open table row: has a cell ended in it yet
        self.beside = False  # in a cell next to another one that has no text yet
        self.links: list[tuple[str, list[str]]] = []

    def _line_break(self) -> None:
        self.lines.append(_Line("> " * self.quote_depth))

    def newline(self) -> None:
        """A forced break (<br>, a new line in <pre>)."""
        self._flush()
        self._line_break()

    def block_break(self) -> None:
        if not self.beside:
            self.pending = max(self.pending, 1)

    def paragraph_break(self) -> None:
        if self.list_depth:
            # Paragraphs in list items are one item each, not spaced out.
            self.block_break()
        elif not self.beside:
            self.pending = 2

    def cell_start(self) -> None:
        if self.rows and self.rows[-1] and self.pending < 2:
            # Outlook wraps every cell's text in a <p>: its break must not move the cell.
            self.beside = True
            self.pending = 0
            line = self.lines[-1].content
            if line and not line[-1].endswith(" "):
                line.append(" ")

    def list_item(self) -> None:
        self.block_break()
        self.marker = "  " * max(self.list_depth - 1, 0) + "- "

    def _flush(self) -> None:
        if self.pending:
            current = self.lines[-1]
            if current.content:
                self._line_break()
            previous = self.lines[-2] if len(self.lines) >= 2 else None
            # No blank line where a quote starts or ends: the "> " marks the change already.
            if (
                self.pending == 2
                and previous is not None
                and previous.content
                and previous.prefix == "> " * self.quote_depth
            ):
                self._line_break()
            self.pending = 0
        if self.marker:
            self.lines[-1].marker, self.marker = self.marker, ""

    def text(self, value: str) -> None:
        if not value:
            return
        if self.pre_depth:
            first, *rest = value.replace("\r\n", "\n").split("\n")
            self._append(first)
            for piece in rest:
                self.newline()
                self._append(piece)
            return
        value = _SPACE.sub(" ", value)
        line = self.lines[-1].content
        if value.startswith(" ") and (self.pending or not line or line[-1].endswith(" ")):
            value = value[1:]
        self._append(value)

    def _append(self, value: str) -> None:
        if not value:
            return
        self._flush()
        self.beside = False
        line = self.lines[-1]
        if not line.content:
            line.prefix = "> " * self.quote_depth
        line.content.append(value)
        line.pre = line.pre or bool(self.pre_depth)
        for _href, parts in self.links:
            parts.append(value)

    def result(self) -> str:
        out: list[str] = []
        for line in self.lines:
            content = "".join(line.content).replace(_NBSP, " ").rstrip()
            if not line.pre:
                content = _SPACES.sub(" ", content.lstrip())
            if content:
                out.append(f"{line.prefix}{line.marker}{content}".rstrip())
            else:
                out.append(line.prefix.rstrip())
        text = "\n".join(out)
        return _BLANK_LINES.sub("\n\n", text).strip("\n")


def _same_target(text: str, href: str) -> bool:
    def norm(value: str) -> str:
        value = value.strip().lower().removeprefix("mailto:")
        for scheme in ("https://", "http://"):
            value = value.removeprefix(scheme)
        return value.removeprefix("www.").rstrip("/")

    return norm(text) == norm(href)


def _outlook_line(el: lxml.html.HtmlElement) -> bool:
    # Outlook writes every line as <p class=MsoNormal> with the margins set to 0 in CSS,
    # and blank lines as <p>&nbsp;</p>: those are plain lines, not paragraphs.
    return "mso" in (el.get("class") or "").lower()


def _open(el: lxml.html.HtmlElement, tag: str, out: _Writer) -> None:
    if tag in _PARAGRAPHS:
        if _outlook_line(el):
            out.block_break()
        else:
            out.paragraph_break()
    elif tag == "li":
        out.list_item()
    elif tag in _BLOCKS:
        out.block_break()
        if tag in ("ul", "ol"):
            out.list_depth += 1
        elif tag == "blockquote":
            out.quote_depth += 1
        elif tag == "pre":
            out.pre_depth += 1
        elif tag == "tr":
            out.rows.append(False)
    elif tag in _CELLS:
        out.cell_start()
    elif tag == "br":
        out.newline()
    elif tag == "a":
        out.links.append(((el.get("href") or "").strip(), []))


def _close(el: lxml.html.HtmlElement, tag: str, out: _Writer) -> None:
    if tag in _PARAGRAPHS:
        if _outlook_line(el):
            out.block_break()
        else:
            out.paragraph_break()
    elif tag in _BLOCKS:
        if tag in ("ul", "ol"):
            out.list_depth = max(out.list_depth - 1, 0)
        elif tag == "blockquote":
            out.quote_depth = max(out.quote_depth - 1, 0)
        elif tag == "pre":
            out.pre_depth = max(out.pre_depth - 1, 0)
        elif tag == "tr" and out.rows:
            out.rows.pop()
        out.block_break()
    elif tag in _CELLS:
        out.beside = False
        if out.rows:
            out.rows[-1] = True
    elif tag == "a" and out.links:
        href, parts = out.links.pop()
        label = _SPACE.sub(" ", "".join(parts)).replace(_NBSP, " ").strip()
        if label and href.lower().startswith(_LINK_SCHEMES) and not _same_target(label, href):
            out.text(f" ({href})")


def html_to_text(html: str) -> str:
    """The text a reader of `html` sees, as tidy lines ("" for a document with no text)."""
    if not html or not html.strip():
        return ""
    try:
        # Bytes with the encoding given, because lxml refuses a str that carries an XML
        # encoding declaration, and a <meta charset> in the mail must not override what the
        # MIME part said (the caller has already decoded it).
        parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
        root = lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (lxml.etree.LxmlError, ValueError):
        return _fallback(html)
    out = _Writer()
    # (element, opened): an explicit stack instead of recursion, see the module docstring.
    stack: list[tuple[lxml.html.HtmlElement, bool]] = [(root, False)]
    while stack:
        el, opened = stack.pop()
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if opened:
            _close(el, tag, out)
            out.text(el.tail or "")
            continue
        if not tag or tag in _DROPPED:
            # Comments, processing instructions and scripts: only the text after them counts.
            out.text(el.tail or "")
            continue
        _open(el, tag, out)
        out.text(el.text or "")
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(el))
    return out.result()


def _fallback(html: str) -> str:
    """Tags stripped and entities decoded, for markup lxml cannot read at all."""
    text = htmllib.unescape(_TAG.sub(" ", html)).replace(_NBSP, " ")
    lines = (_SPACE.sub(" ", line).strip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")
