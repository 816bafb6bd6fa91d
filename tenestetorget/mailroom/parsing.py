"""Reading an e-mail as the mail room (postmottak) needs it: who, when, about what, the text, the
attachments, and whether it is an automatic reply or a bounce.

Real mail is messy: Outlook's HTML, mislabelled charsets, broken MIME from old scanners and
forms, forwards inside forwards. A citizen's slightly broken mail must still be registered, so
`parse` reads as much as it can and lists what was wrong in `defects`; it raises only
`Unparseable`, and only when the bytes are not mail at all or go past the limits that keep a
hostile message from tying up a worker.

Headers are read with the tolerant `compat32` policy and decoded here (charset rule below,
RFC 2047 words), because the modern header classes raise or crawl on some broken headers.
The structure is walked iteratively with a depth counter; the `email` package itself parses
nesting recursively, so its RecursionError is turned into `too_deep`.

Charset rule (the same for bodies, headers and file names): bytes that are valid UTF-8 and not
plain ASCII are UTF-8 whatever the label says (mail labelled latin-1 by a client that wrote
UTF-8 is common); otherwise the declared charset when the bytes are valid in it; otherwise
windows-1252, which is what "latin-1" and "no charset" mean in practice here.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import datetime as dt
import functools
import io
import mimetypes
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.feedparser import BytesFeedParser
from email.generator import BytesGenerator
from email.message import Message
from email.policy import Compat32
from email.utils import getaddresses, parsedate_to_datetime

from django.utils.translation import gettext as _

from .htmltext import html_to_text

__all__ = ["Address", "ParsedMail", "Part", "Unparseable", "decode_text", "parse"]


class Unparseable(Exception):
    """The message cannot be read as mail at all; `reason` is a short Nynorsk text for the
    archivist (gettext `_`), and `code` a stable slug ("empty", "too_large", "not_mail",
    "too_deep", "too_many_parts")."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(code, reason)
        self.code = code
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.code}: {self.reason}"


@dataclass(frozen=True)
class Address:
    """One mailbox from an address header."""

    name: str
    email: str  # lower-cased, "" when there is none or it is malformed


@dataclass(frozen=True)
class Part:
    """An attachment (vedlegg), an inline image or a calendar file, decoded."""

    name: str  # file name ("vedlegg.bin" style default when none)
    content_type: str  # as declared, lower-case
    data: bytes
    inline: bool = False
    content_id: str = ""  # without the angle brackets, as `cid:` links in the HTML name it


@dataclass(frozen=True)
class ParsedMail:
    """What the mail room keeps of one e-mail."""

    message_id: str
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    subject: str
    sender: Address
    reply_to: Address | None
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    delivered_to: tuple[str, ...]
    date: dt.datetime | None
    text: str
    html: bool  # some of `text` was turned into text from HTML
    attachments: tuple[Part, ...]
    calendar: str
    auto_reply: bool  # out-of-office and other automatic replies, bounces included
    bounce: bool
    language_hint: str
    defects: tuple[str, ...]


#: The line that introduces a forwarded message in `text`. Not translated: it is part of the
#: archived text, which must read the same whatever language the archivist's screen uses.
FORWARD_LINE = "---------- Vidaresend melding ----------"
_FORWARD_LABELS = ("Frå", "Dato", "Emne")

SUBJECT_MAX = 300
_MAX_DEFECTS = 50
#: Longer headers are cut before address parsing, which is slow on pathological input.
_HEADER_MAX = 100_000
#: How far into a part's text a lost boundary is looked for.
_BOUNDARY_SCAN = 65_536


class _RawPolicy(Compat32):
    """compat32, but header values come back exactly as they were in the bytes (8-bit bytes as
    surrogate escapes): decoding them is this module's job."""

    def header_fetch_parse(self, name: str, value: str) -> str:
        return value


_POLICY = _RawPolicy()


# -- Text and charsets ---------------------------------------------------------------------

#: Codecs that are not charsets of mail text: quadratic (punycode), or not a byte encoding
#: of text at all.
_UNSAFE_CODECS = frozenset(
    {"punycode", "idna", "unicode-escape", "raw-unicode-escape", "undefined", "mbcs", "oem"}
)
#: Labels that mean windows-1252 in practice (as in the WHATWG encoding standard).
_WINDOWS_1252_LABELS = frozenset({"ascii", "iso8859-1", "latin-1", "cp1252"})
#: Encodings whose text is not ASCII-compatible bytes: they must be tried before the rule.
_NON_ASCII_COMPATIBLE = ("utf-16", "utf-32", "utf-7", "iso2022", "hz")
_C1_CONTROLS = re.compile("[\x80-\x9f]")
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WHITESPACE = re.compile(r"\s+")


@functools.lru_cache(maxsize=256)
def _codec(label: str | None) -> str | None:
    """Python's name for a declared charset, or None when it is missing, unknown or unsafe."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if not label or len(label) > 40:
        return None
    try:
        info = codecs.lookup(label)
    except (LookupError, ValueError, TypeError):
        return None
    # Codecs such as base64 or zlib are byte-to-byte transforms, not charsets.
    if not getattr(info, "_is_text_encoding", True) or info.name in _UNSAFE_CODECS:
        return None
    return info.name


def _decode_with(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeError, LookupError, ValueError):
        return None


def decode_text(data: bytes, declared: str | None = None) -> str:
    """`data` as text by the module's charset rule; never raises."""
    codec = _codec(declared)
    if codec is not None and codec.startswith(_NON_ASCII_COMPATIBLE):
        text = _decode_with(data, codec)
        if text is not None:
            return text.removeprefix("\ufeff")
    if data.isascii():
        return data.decode("ascii")
    text = _decode_with(data, "utf-8")
    if text is not None:
        return text.removeprefix("\ufeff")
    if codec is not None and codec not in _WINDOWS_1252_LABELS and codec != "utf-8":
        text = _decode_with(data, codec)
        # C1 control characters in a single-byte charset are nearly always windows-1252's
        # quotes and dashes under a wrong label.
        if text is not None and not _C1_CONTROLS.search(text):
            return text
    text = _decode_with(data, "cp1252")
    if text is not None:
        return text
    # The five bytes windows-1252 leaves undefined: latin-1 reads every byte.
    return data.decode("latin-1")


def _clean(text: str) -> str:
    """Without NUL and other control characters (a database text column refuses NUL)."""
    return _CONTROL_CHARS.sub("", text) if not text.isprintable() else text


def _one_line(text: str) -> str:
    return _WHITESPACE.sub(" ", _clean(text)).strip()


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# -- Headers -------------------------------------------------------------------------------

_FOLD = re.compile(r"\r?\n(?=[ \t])")
_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,75})\?([QqBb])\?([^?]*?)\?=")
_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/\s]")


def _raw_bytes(value: str) -> bytes:
    # The parser keeps 8-bit header bytes as surrogate escapes; real characters can only come
    # from a caller's own Message, and UTF-8 is then the right reading of them.
    return value.encode("utf-8", "surrogateescape")


def _unfold(value: str) -> str:
    value = _FOLD.sub("", value)
    if value.isascii():
        return value
    return decode_text(_raw_bytes(value))


def _decode_word(charset: str, encoding: str, payload: str) -> bytes | None:
    if encoding in "Qq":
        return binascii.a2b_qp(payload.encode("utf-8", "replace"), header=True)
    if _NOT_BASE64.search(payload.rstrip("=")):
        return None  # not base64 at all: the word is shown as it was written
    chars = _WHITESPACE.sub("", payload.rstrip("="))
    if len(chars) % 4 == 1:
        chars = chars[:-1]
    try:
        return base64.b64decode(chars + "=" * (-len(chars) % 4))
    except (binascii.Error, ValueError):
        return None


def decode_words(value: str) -> str:
    """RFC 2047 encoded words in `value` decoded, tolerantly: adjacent words of one charset
    are joined as bytes first (clients split a multi-byte letter between two words), and
    words with spaces inside, or without space around them, are read too."""
    if "=?" not in value:
        return value
    out: list[str] = []
    pending: bytes = b""
    pending_charset = ""
    last_end = 0

    def flush() -> None:
        nonlocal pending, pending_charset
        if pending_charset:
            out.append(decode_text(pending, pending_charset))
        pending, pending_charset = b"", ""

    for match in _ENCODED_WORD.finditer(value):
        gap = value[last_end : match.start()]
        charset = match.group(1).split("*", 1)[0]
        data = _decode_word(charset, match.group(2), match.group(3))
        if data is None:
            continue
        if gap and not (pending_charset and gap.isspace()):
            flush()
            out.append(gap)
        if pending_charset and charset.lower() != pending_charset.lower():
            flush()
        pending += data
        pending_charset = charset
        last_end = match.end()
    flush()
    out.append(value[last_end:])
    return "".join(out)


def _header_text(value: str | None) -> str:
    if not value:
        return ""
    return _clean(decode_words(_unfold(value)))


_EMAIL = re.compile(r"[^\s@<>()\[\]\\,;:\"]+@[^\s@<>()\[\]\\,;:\".]+(?:\.[^\s@<>()\[\]\\,;:\".]+)+")


def _email(value: str) -> str:
    value = value.strip().lower()
    return value if _EMAIL.fullmatch(value) else ""


def _addresses(values: Iterable[str]) -> tuple[Address, ...]:
    found: list[Address] = []
    texts = [_unfold(value)[:_HEADER_MAX] for value in values]
    for name, email in getaddresses(texts):
        name = _one_line(decode_words(name)).strip("\"' ")
        address = _email(email)
        if not address and not name:
            name = _one_line(email)
        if name or address:
            found.append(Address(name=name, email=address))
    return tuple(found)


_MESSAGE_ID = re.compile(r"<([^<>]+)>")


def _message_ids(value: str | None) -> list[str]:
    if not value:
        return []
    text = _unfold(value)[:_HEADER_MAX]
    ids = ["<" + _WHITESPACE.sub("", inner) + ">" for inner in _MESSAGE_ID.findall(text)]
    if not ids:
        # Some clients leave the angle brackets out.
        ids = [f"<{token.strip('<>')}>" for token in text.split() if "@" in token]
    return [_clean(mid) for mid in dict.fromkeys(ids) if len(mid) > 2]


def _date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(_one_line(_unfold(value)))
    except (ValueError, TypeError, IndexError, OverflowError, AttributeError):
        return None
    if when is None:
        return None
    # "-0000" means the sender did not know its zone: the time is UTC then (RFC 5322 3.3).
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


# -- Automatic replies and bounces ---------------------------------------------------------

_AUTO_SUBJECT = re.compile(
    r"^\W*(automatisk svar|automatic reply|auto(matic)?[ -]?(reply|response)|autosvar|"
    r"fråverande|fraværende|fravær|out of (the )?office|abwesend|auto:)",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT = re.compile(
    r"^\W*(undeliverable|undelivered mail|delivery status notification|ikke levert|"
    r"ikkje levert|kunne ikke leveres|kunne ikkje leverast|returned mail|"
    r"mail delivery (failed|failure|system)|delivery (has )?failed|failure notice|"
    r"non remis|unzustellbar)",
    re.IGNORECASE,
)
_BOUNCE_SENDERS = re.compile(r"^\W*(mailer-daemon|postmaster)\b", re.IGNORECASE)


def _is_auto_reply(msg: Message, subject: str) -> bool:
    for value in msg.get_all("Auto-Submitted") or ():
        if _one_line(value).split(";", 1)[0].strip().lower() not in ("", "no"):
            return True
    if msg.get("X-Autoreply") is not None or msg.get("X-Autorespond") is not None:
        return True
    precedence = _one_line(msg.get("Precedence") or "").lower()
    if precedence in ("auto_reply", "bulk", "junk"):
        return True
    return bool(_AUTO_SUBJECT.search(subject))


def _is_bounce(msg: Message, subject: str, sender: Address, from_text: str) -> bool:
    if msg.get_content_type() == "multipart/report":
        report_type = msg.get_param("report-type")
        if isinstance(report_type, str) and report_type.strip().lower() == "delivery-status":
            return True
    if _BOUNCE_SENDERS.search(sender.email or from_text):
        return True
    return bool(_BOUNCE_SUBJECT.search(subject))


# -- Parts ---------------------------------------------------------------------------------

# Python's built-in table only: the result must not depend on the machine's /etc/mime.types.
_MIME_TYPES = mimetypes.MimeTypes(filenames=())
_DEFAULT_NAMES = {
    "text/calendar": "invitasjon.ics",
    "application/ics": "invitasjon.ics",
    "message/rfc822": "melding.eml",
    "message/delivery-status": "leveringsstatus.txt",
    "text/rfc822-headers": "meldingshovud.txt",
    "text/plain": "vedlegg.txt",
    "text/html": "vedlegg.html",
    "image/jpeg": "vedlegg.jpg",
}
_PATH_SEPARATORS = re.compile(r"[/\\]")
_NAME_MAX = 255


def _default_name(content_type: str) -> str:
    if content_type in _DEFAULT_NAMES:
        return _DEFAULT_NAMES[content_type]
    extension = _MIME_TYPES.guess_extension(content_type) or ".bin"
    return f"vedlegg{extension}"


def _filename(part: Message) -> str:
    raw: object = part.get_param("filename", None, "content-disposition")
    if raw is None:
        raw = part.get_param("name", None, "content-type")
    if isinstance(raw, tuple):
        # RFC 2231: (charset, language, text with the bytes as code points)
        charset, _language, text = raw
        name = decode_text(str(text).encode("latin-1", "replace"), charset or None)
    elif isinstance(raw, str):
        name = _header_text(raw.strip('"'))
    else:
        return ""
    # Only the last path component: a name like "../../x" must not reach a file system.
    name = _PATH_SEPARATORS.split(_one_line(name))[-1].strip(" .")
    if len(name) > _NAME_MAX:
        # Cut the stem, not the extension that tells what the file is.
        _stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 16:
            name = name[: _NAME_MAX - len(extension) - 1] + "." + extension
        name = name[:_NAME_MAX]
    return name


def _payload(part: Message) -> bytes:
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


_FLOWED_QUOTE = re.compile(r"^>+")


def _unflow(text: str, delsp: bool) -> str:
    """format=flowed (RFC 3676) lines joined back into the paragraphs the writer typed."""
    out: list[str] = []
    current: list[str] | None = None
    current_depth = 0
    for line in text.split("\n"):
        quote = _FLOWED_QUOTE.match(line)
        depth = quote.end() if quote else 0
        content = line[depth:]
        content = content.removeprefix(" ")  # space-stuffing
        if current is not None and depth != current_depth:
            out.append(">" * current_depth + (" " if current_depth else "") + "".join(current))
            current = None
        flowed = content.endswith(" ") and content != "-- "
        if flowed and delsp:
            content = content[:-1]
        if current is None:
            current, current_depth = [], depth
        current.append(content)
        if not flowed:
            out.append(">" * depth + (" " if depth else "") + "".join(current))
            current = None
    if current is not None:
        out.append(">" * current_depth + (" " if current_depth else "") + "".join(current))
    return "\n".join(out)


def _part_text(part: Message, data: bytes) -> str:
    text = decode_text(data, part.get_content_charset()).replace("\r\n", "\n").replace("\r", "\n")
    if str(part.get_param("format") or "").lower() == "flowed":
        delsp = str(part.get_param("delsp") or "").lower() == "yes"
        text = _unflow(text, delsp)
    return _clean(text)


_ICS_FOLD = re.compile(r"\r?\n[ \t]")
_ICS_LINE = re.compile(r'^((?:[^:"]|"[^"]*")*):(.*)$')
_CALENDAR_FIELDS = ("SUMMARY", "DTSTART", "LOCATION")


def calendar_summary(data: bytes, charset: str | None = None) -> str:
    """SUMMARY, DTSTART and LOCATION of the first event in an iCalendar file, unfolded and
    unescaped, one per line ("" when there is no event)."""
    # iCalendar folds by CRLF and one space or tab, both removed when unfolding (RFC 5545 3.1).
    text = _ICS_FOLD.sub("", decode_text(data, charset))
    found: dict[str, str] = {}
    in_event = False
    for line in text.splitlines():
        upper = line.strip().upper()
        if upper == "BEGIN:VEVENT":
            in_event = True
        elif upper == "END:VEVENT":
            if found:
                break
            in_event = False
        elif in_event:
            match = _ICS_LINE.match(line.strip())
            if not match:
                continue
            name = re.split(r"[;:]", match.group(1), maxsplit=1)[0].upper()
            if name in _CALENDAR_FIELDS and name not in found:
                value = (
                    match.group(2)
                    .replace("\\n", " ")
                    .replace("\\N", " ")
                    .replace("\\,", ",")
                    .replace("\\;", ";")
                    .replace("\\\\", "\\")
                )
                found[name] = _one_line(f"{match.group(1)}:{value}")
    return "\n".join(found[name] for name in _CALENDAR_FIELDS if name in found)


def _is_calendar(content_type: str, name: str) -> bool:
    return content_type in ("text/calendar", "application/ics") or name.lower().endswith(".ics")


def _serialise(msg: Message) -> bytes:
    buffer = io.BytesIO()
    BytesGenerator(buffer, mangle_from_=False, policy=_POLICY).flatten(msg)
    return buffer.getvalue()


def _status_blocks(blocks: list[Message]) -> bytes:
    """message/delivery-status, which the parser splits into header blocks, as its text."""
    text = "\n\n".join(
        "\n".join(f"{name}: {value}" for name, value in block.raw_items()) for block in blocks
    )
    return text.encode("utf-8", "surrogateescape")


# -- The walk ------------------------------------------------------------------------------


def _children(part: Message) -> list[Message]:
    if not part.is_multipart():
        # get_payload() without decode would decode a text payload with its declared
        # charset, which raises on broken ones: never ask for it.
        return []
    payload = part.get_payload()
    if isinstance(payload, list):
        return [child for child in payload if isinstance(child, Message)]
    return []


def _read(raw: bytes) -> Message:
    # One feed of the whole message: BytesParser would feed it in 8 KB pieces, each one
    # resuming the parser, which costs a noticeable part of the time for a typical mail.
    parser = BytesFeedParser(policy=_POLICY)
    parser.feed(raw)
    return parser.close()


def _check_limits(root: Message, depth: int, count: int, max_depth: int, max_parts: int) -> int:
    """Raises Unparseable past the limits; returns the number of parts counted so far."""
    stack = [(root, depth)]
    while stack:
        part, level = stack.pop()
        count += 1
        if level > max_depth:
            raise Unparseable("too_deep", _("E-posten har for mange nivå inni kvarandre."))
        if count > max_parts:
            raise Unparseable("too_many_parts", _("E-posten har for mange delar."))
        stack.extend((child, level + 1) for child in _children(part))
    return count


_LOST_BOUNDARY = re.compile(rb"^--([^\s]{1,70})[ \t]*\r?$", re.MULTILINE)


def _recover_multipart(part: Message, defects: list[str]) -> Message | None:
    """A multipart whose boundary is missing or wrong, parsed again with the boundary its
    body actually uses (the first "--something" line that comes back)."""
    data = _payload(part)
    match = _LOST_BOUNDARY.search(data[:_BOUNDARY_SCAN])
    if not match or data.count(b"--" + match.group(1)) < 2:
        return None
    boundary = match.group(1).rstrip(b"-")
    head = b'Content-Type: multipart/mixed; boundary="' + boundary.replace(b'"', b"") + b'"\n\n'
    defects.append("BoundaryRecovered: multipart read with the boundary found in the body")
    recovered = _read(head + data)
    return recovered if _children(recovered) else None


class _Walk:
    """The iterative walk over the parts that builds the text and the attachment list."""

    def __init__(self, max_depth: int, max_parts: int, count: int) -> None:
        self.max_depth = max_depth
        self.max_parts = max_parts
        self.count = count
        self.texts: list[str] = []
        self.from_html = False
        self.attachments: list[Part] = []
        self.calendar = ""
        self.defects: list[str] = []
        self.language = ""

    def run(self, root: Message) -> None:
        # Items: (part, depth, wants text, inside a multipart/report) or a ready text.
        stack: list[tuple[Message, int, bool, bool] | str] = [(root, 0, True, False)]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                self.texts.append(item)
                continue
            part, depth, wants_text, in_report = item
            try:
                stack.extend(reversed(self._visit(part, depth, wants_text, in_report)))
            except Unparseable:
                raise
            except RecursionError:
                raise
            except Exception as exc:
                # A bug here, or in `email`, must not lose the citizen's mail: the rest of
                # the message is still read, and the record says what went wrong.
                self.defects.append(f"InternalError: {type(exc).__name__}: {exc}"[:300])

    def _visit(
        self, part: Message, depth: int, wants_text: bool, in_report: bool
    ) -> list[tuple[Message, int, bool, bool] | str]:
        content_type = part.get_content_type()
        maintype = part.get_content_maintype()
        children = _children(part)
        if content_type == "message/delivery-status" and part.is_multipart():
            self._attach(part, content_type, _status_blocks(children))
            return []
        if maintype == "message" and children:
            inner = children[0]
            if in_report or not wants_text:
                if in_report:
                    self._attach(part, content_type, _serialise(inner))
                    return []
                return [(inner, depth + 1, False, False)]
            return [self._forward_header(inner), (inner, depth + 1, True, False)]
        if maintype == "multipart":
            if not children:
                recovered = _recover_multipart(part, self.defects)
                if recovered is None:
                    return self._leaf(part, "text/plain", wants_text)
                self.count = _check_limits(
                    recovered, depth + 1, self.count, self.max_depth, self.max_parts
                )
                children = _children(recovered)
            report = content_type == "multipart/report"
            if content_type == "multipart/alternative" and wants_text:
                chosen = self._choose_alternative(children)
                return [
                    (child, depth + 1, child is chosen, False) for child in children
                ]  # the others only for their attachments (inline images, the .ics)
            return [(child, depth + 1, wants_text, report) for child in children]
        return self._leaf(part, content_type, wants_text)

    def _choose_alternative(self, children: list[Message]) -> Message | None:
        """text/plain with something in it first, then a multipart (related HTML), then HTML."""
        ranked: list[tuple[int, int, Message]] = []
        for index, child in enumerate(children):
            kind = child.get_content_type()
            if child.get_content_disposition() == "attachment":
                continue
            if kind == "text/plain":
                if _payload(child).strip():
                    ranked.append((0, index, child))
            elif child.get_content_maintype() in ("multipart", "message"):
                ranked.append((1, index, child))
            elif kind == "text/html":
                ranked.append((2, index, child))
        return min(ranked, key=lambda entry: entry[:2])[2] if ranked else None

    def _leaf(
        self, part: Message, content_type: str, wants_text: bool
    ) -> list[tuple[Message, int, bool, bool] | str]:
        name = _filename(part)
        disposition = part.get_content_disposition()
        if content_type in ("text/plain", "text/html") and disposition != "attachment" and not name:
            if wants_text:
                self._text(part, content_type)
            return []
        self._attach(part, content_type, _payload(part), name)
        return []

    def _text(self, part: Message, content_type: str) -> None:
        text = _part_text(part, _payload(part))
        if content_type == "text/html":
            text = _clean(html_to_text(text))
            self.from_html = self.from_html or bool(text.strip())
        text = text.strip("\n").rstrip()
        if text.strip():
            self.texts.append(text)
        if not self.language:
            self.language = _language(part)

    def _attach(self, part: Message, content_type: str, data: bytes, name: str = "") -> None:
        name = name or _filename(part) or _default_name(content_type)
        content_id = _one_line(_unfold(part.get("Content-ID") or "")).strip("<> ")
        disposition = part.get_content_disposition()
        inline = (
            part.get_content_maintype() == "image"
            and disposition != "attachment"
            and (disposition == "inline" or bool(content_id))
        )
        if not self.calendar and _is_calendar(content_type, name):
            self.calendar = calendar_summary(data, part.get_content_charset())
        self.attachments.append(
            Part(
                name=name,
                content_type=content_type,
                data=data,
                inline=inline,
                content_id=content_id,
            )
        )

    def _forward_header(self, inner: Message) -> str:
        senders = _addresses(inner.get_all("From") or ())
        shown = [
            f"{a.name} <{a.email}>" if a.name and a.email else a.name or a.email for a in senders
        ]
        values = (
            ", ".join(shown) or _one_line(_header_text(inner.get("From"))),
            _one_line(_header_text(inner.get("Date"))),
            _cut(_one_line(_header_text(inner.get("Subject"))), SUBJECT_MAX),
        )
        lines = [FORWARD_LINE]
        lines += [f"{label}: {value}" for label, value in zip(_FORWARD_LABELS, values, strict=True)]
        return "\n".join(lines)


def _language(part: Message) -> str:
    value = _one_line(_unfold(part.get("Content-Language") or ""))
    return value.split(",", 1)[0].strip()[:35]


def _defect_names(root: Message) -> list[str]:
    found: list[str] = []
    stack = [root]
    while stack:
        part = stack.pop()
        for defect in getattr(part, "defects", ()):
            detail = str(defect)
            found.append(f"{type(defect).__name__}: {detail}" if detail else type(defect).__name__)
        stack.extend(_children(part))
    return found


# -- parse ---------------------------------------------------------------------------------

_HEADER_LINE = re.compile(rb"^[A-Za-z0-9][A-Za-z0-9_.-]*[ \t]*:")


def _looks_like_mail(raw: bytes) -> bool:
    lines = raw[:65_536].split(b"\n", 30)[:30]
    if lines and lines[0].startswith(b"From "):  # an mbox envelope line
        lines = lines[1:]
    return any(_HEADER_LINE.match(line) for line in lines)


def _safe[T](defects: list[str], what: str, read: Callable[[], T], default: T) -> T:
    try:
        return read()
    except Exception as exc:
        # As in the walk: one unreadable header must not lose the rest of the mail.
        defects.append(f"InternalError: {what}: {type(exc).__name__}: {exc}"[:300])
        return default


def parse(
    raw: bytes, *, max_bytes: int = 50 * 1024 * 1024, max_depth: int = 20, max_parts: int = 1000
) -> ParsedMail:
    """Read `raw` as an e-mail (see the module docstring); raises only `Unparseable`."""
    if isinstance(raw, bytearray | memoryview):
        raw = bytes(raw)
    if len(raw) > max_bytes:
        raise Unparseable("too_large", _("E-posten er for stor til å lesast."))
    if not raw or raw.isspace():
        raise Unparseable("empty", _("E-posten er tom."))
    raw = raw.lstrip()
    if not _looks_like_mail(raw):
        raise Unparseable("not_mail", _("Fila er ikkje ei e-postmelding."))
    try:
        msg = _read(raw)
        count = _check_limits(msg, 0, 0, max_depth, max_parts)
        walk = _Walk(max_depth, max_parts, count)
        walk.run(msg)
        return _result(msg, walk)
    except RecursionError:
        raise Unparseable("too_deep", _("E-posten har for mange nivå inni kvarandre.")) from None


def _result(msg: Message, walk: _Walk) -> ParsedMail:
    defects: list[str] = []

    def header(name: str) -> str | None:
        return msg.get(name)

    def addresses(*names: str) -> tuple[Address, ...]:
        return _safe(
            defects,
            names[0],
            lambda: _addresses(value for name in names for value in msg.get_all(name) or ()),
            (),
        )

    subject = _safe(
        defects,
        "Subject",
        lambda: _cut(_one_line(_header_text(header("Subject"))), SUBJECT_MAX),
        "",
    )
    senders = addresses("From")
    sender = senders[0] if senders else Address(name="", email="")
    reply_to = addresses("Reply-To")
    from_text = _safe(defects, "From", lambda: _one_line(_unfold(header("From") or "")), "")
    delivered = addresses("Delivered-To", "X-Original-To", "Envelope-To")
    bounce = _safe(defects, "bounce", lambda: _is_bounce(msg, subject, sender, from_text), False)
    auto_reply = bounce or _safe(defects, "auto", lambda: _is_auto_reply(msg, subject), False)
    language = _safe(defects, "Content-Language", lambda: _language(msg), "") or walk.language
    message_ids: list[str] = _safe(
        defects, "Message-ID", lambda: _message_ids(header("Message-ID")), []
    )
    in_reply_to: list[str] = _safe(
        defects, "In-Reply-To", lambda: _message_ids(header("In-Reply-To")), []
    )
    references: list[str] = _safe(
        defects, "References", lambda: _message_ids(header("References")), []
    )
    date = _safe(defects, "Date", lambda: _date(header("Date")), None)
    to = addresses("To")
    cc = addresses("Cc")
    all_defects = _defect_names(msg) + walk.defects + defects
    return ParsedMail(
        message_id=message_ids[0] if message_ids else "",
        in_reply_to=tuple(in_reply_to),
        references=tuple(references),
        subject=subject,
        sender=sender,
        reply_to=reply_to[0] if reply_to else None,
        to=to,
        cc=cc,
        delivered_to=tuple(dict.fromkeys(a.email for a in delivered if a.email)),
        date=date,
        text="\n\n".join(walk.texts),
        html=walk.from_html,
        attachments=tuple(walk.attachments),
        calendar=walk.calendar,
        auto_reply=auto_reply,
        bounce=bounce,
        language_hint=language,
        defects=tuple(dict.fromkeys(all_defects))[:_MAX_DEFECTS],
    )
