"""Sample e-mails built as bytes, in the shapes real clients send (Outlook/Exchange, Gmail,
Thunderbird, mailer daemons), for the parser's tests, other mail-room tests and the benchmark.

Every builder is deterministic (fixed dates, ids and attachment bytes) and takes keyword
arguments for what a test wants to vary. Messages are written byte by byte rather than with
`email.message.EmailMessage`, because the point is to reproduce what other programs send,
mislabelled charsets and broken encodings included.
"""

from __future__ import annotations

import base64
import io
import quopri
import zipfile
from collections.abc import Iterable, Sequence
from urllib.parse import quote

#: (file name, content type, bytes)
Attachment = tuple[str, str, bytes]

DATE = "Tue, 10 Mar 2026 09:15:00 +0100"
SENDER = ("Kari Nordmann", "kari.nordmann@example.no")
RECIPIENT = ("Postmottak Fjellbygd kommune", "postmottak@fjellbygd.kommune.no")
MESSAGE_ID = "<20260310091500.4711@mail.example.no>"
SUBJECT = "Søknad om løyve"
BODY = (
    "Hei!\n\n"
    "Eg søkjer om løyve til å køyre snøskuter til hytta mi ved Storvatnet i vinter.\n"
    "Kartet ligg ved. Ta gjerne kontakt på telefon om noko er uklart.\n\n"
    "Med venleg helsing\n"
    "Kari Nordmann\n"
)


# -- Pieces ----------------------------------------------------------------------------------


def encoded_word(text: str, charset: str = "utf-8", encoding: str = "B") -> str:
    """One RFC 2047 encoded word."""
    data = text.encode(charset)
    if encoding.upper() == "B":
        payload = base64.b64encode(data).decode("ascii")
    else:
        payload = "".join(
            "_"
            if byte == 0x20
            else chr(byte)
            if chr(byte).isalnum() and byte < 128
            else f"={byte:02X}"
            for byte in data
        )
    return f"=?{charset}?{encoding}?{payload}?="


def address(name: str, email: str) -> str:
    """A mailbox as a client writes it, the name encoded when it is not ASCII."""
    if not name:
        return email
    shown = f'"{name}"' if name.isascii() else encoded_word(name)
    return f"{shown} <{email}>"


def header_value(text: str) -> str:
    return text if text.isascii() else encoded_word(text)


def base64_lines(data: bytes) -> bytes:
    return base64.encodebytes(data)


def _headers(fields: Iterable[tuple[str, str | bytes]]) -> bytes:
    lines = []
    for name, value in fields:
        # str values are written as UTF-8, raw, as some clients do: encode them first to
        # get a standard header.
        raw = value if isinstance(value, bytes) else value.encode("utf-8")
        lines.append(name.encode("ascii") + b": " + raw + b"\r\n")
    return b"".join(lines)


def _crlf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def envelope(
    *,
    subject: str | bytes = SUBJECT,
    sender: tuple[str, str] = SENDER,
    to: Sequence[tuple[str, str]] = (RECIPIENT,),
    cc: Sequence[tuple[str, str]] = (),
    message_id: str | None = MESSAGE_ID,
    date: str | None = DATE,
    in_reply_to: str | None = None,
    references: Sequence[str] = (),
    extra: Sequence[tuple[str, str | bytes]] = (),
) -> list[tuple[str, str | bytes]]:
    """The top header fields every sample shares (subject bytes are written as they are)."""
    fields: list[tuple[str, str | bytes]] = [("From", address(*sender))]
    fields.append(("To", ", ".join(address(*a) for a in to)))
    if cc:
        fields.append(("Cc", ", ".join(address(*a) for a in cc)))
    fields.append(("Subject", subject if isinstance(subject, bytes) else header_value(subject)))
    if date is not None:
        fields.append(("Date", date))
    if message_id is not None:
        fields.append(("Message-ID", message_id))
    if in_reply_to is not None:
        fields.append(("In-Reply-To", in_reply_to))
    if references:
        fields.append(("References", "\r\n ".join(references)))
    fields.append(("MIME-Version", "1.0"))
    fields.extend(extra)
    return fields


def text_part(
    body: str | bytes, *, subtype: str = "plain", charset: str | None = "utf-8", cte: str = "8bit"
) -> bytes:
    """A text part's headers and body; `body` as str is encoded in `charset` (or UTF-8)."""
    data = body if isinstance(body, bytes) else body.encode(charset or "utf-8")
    content_type = f"text/{subtype}" + (f'; charset="{charset}"' if charset else "")
    if cte == "quoted-printable":
        encoded = quopri.encodestring(data.replace(b"\r\n", b"\n"))
    elif cte == "base64":
        encoded = base64_lines(data)
    else:
        encoded = data
    return _headers([("Content-Type", content_type), ("Content-Transfer-Encoding", cte)]) + (
        b"\r\n" + _crlf(encoded)
    )


def rfc2231(name: str) -> str:
    """A filename parameter, RFC 2231 encoded when it is not ASCII (as Thunderbird does)."""
    if name.isascii():
        return f'filename="{name}"'
    return "filename*=utf-8''" + quote(name.encode("utf-8"), safe="")


def attachment_part(
    name: str,
    content_type: str,
    data: bytes,
    *,
    disposition: str = "attachment",
    content_id: str | None = None,
    name_style: str = "rfc2231",
) -> bytes:
    """A base64 part; `name_style` "rfc2231", "rfc2047" (Outlook, Gmail) or "content-type"
    (the name only in Content-Type, as old clients do)."""
    if name_style == "rfc2047":
        ctype = f'{content_type}; name="{header_value(name)}"'
        disp = f'{disposition}; filename="{header_value(name)}"'
    elif name_style == "content-type":
        ctype = f'{content_type}; name="{header_value(name)}"'
        disp = disposition
    else:
        ctype = content_type
        disp = f"{disposition}; {rfc2231(name)}"
    fields: list[tuple[str, str | bytes]] = [
        ("Content-Type", ctype),
        ("Content-Disposition", disp),
        ("Content-Transfer-Encoding", "base64"),
    ]
    if content_id is not None:
        fields.append(("Content-ID", f"<{content_id}>"))
    return _headers(fields) + b"\r\n" + _crlf(base64_lines(data))


def multipart(subtype: str, parts: Sequence[bytes], boundary: str, *, params: str = "") -> bytes:
    """A multipart body's Content-Type header, a blank line, and the parts."""
    head = _headers([("Content-Type", f'multipart/{subtype}; boundary="{boundary}"{params}')])
    body = b"".join(b"--" + boundary.encode() + b"\r\n" + part + b"\r\n" for part in parts)
    return (
        head
        + b"\r\n"
        + b"This is a multi-part message in MIME format.\r\n\r\n"
        + body
        + (b"--" + boundary.encode() + b"--\r\n")
    )


def message(fields: Sequence[tuple[str, str | bytes]], body_part: bytes) -> bytes:
    """Top-level headers followed by a part (its own headers are the MIME headers)."""
    return _headers(fields) + body_part


# -- Attachment bytes -------------------------------------------------------------------------


def pdf(text: str = "Kart over traseen") -> bytes:
    """A small, valid one-page PDF."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def broken_pdf() -> bytes:
    """A PDF cut off in the middle of a stream, with garbage after it."""
    return pdf()[:300] + bytes(range(256)) * 4


def _zip(members: Sequence[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2026, 3, 10, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return out.getvalue()


def docx(text: str = "Søknad om løyve til motorferdsel i utmark") -> bytes:
    """A minimal Word document (a zip with the three parts Word needs)."""
    return _zip(
        [
            (
                "[Content_Types].xml",
                b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
                b'.org/package/2006/content-types"><Default Extension="xml" ContentType="applicat'
                b'ion/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.'
                b'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
            ),
            (
                "_rels/.rels",
                b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.open'
                b'xmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://s'
                b'chemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Ta'
                b'rget="word/document.xml"/></Relationships>',
            ),
            (
                "word/document.xml",
                (
                    '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
                    'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
                    f"{text}</w:t></w:r></w:p></w:body></w:document>"
                ).encode(),
            ),
        ]
    )


def png() -> bytes:
    """A 1×1 transparent PNG."""
    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    )


def zip_bomb(expanded_mib: int = 256) -> bytes:
    """A small zip whose one member would expand to `expanded_mib` MiB of zeros (about 1000:1);
    built by streaming, so building it never holds the expanded data."""
    out = io.BytesIO()
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        info = zipfile.ZipInfo("tomt.bin", date_time=(2026, 3, 10, 9, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as member:
            for _ in range(expanded_mib):
                member.write(chunk)
    return out.getvalue()


# -- Whole messages ---------------------------------------------------------------------------


def plain(
    *,
    subject: str | bytes = SUBJECT,
    body: str | bytes = BODY,
    sender: tuple[str, str] = SENDER,
    to: Sequence[tuple[str, str]] = (RECIPIENT,),
    cc: Sequence[tuple[str, str]] = (),
    message_id: str | None = MESSAGE_ID,
    date: str | None = DATE,
    charset: str | None = "utf-8",
    cte: str = "8bit",
    attachments: Sequence[Attachment] = (),
    in_reply_to: str | None = None,
    references: Sequence[str] = (),
    extra: Sequence[tuple[str, str | bytes]] = (),
) -> bytes:
    """A plain-text mail (Nynorsk, UTF-8 by default), multipart/mixed when there are
    attachments. `body` as bytes is written as it is, whatever `charset` says."""
    fields = envelope(
        subject=subject,
        sender=sender,
        to=to,
        cc=cc,
        message_id=message_id,
        date=date,
        in_reply_to=in_reply_to,
        references=references,
        extra=extra,
    )
    text = text_part(body, charset=charset, cte=cte)
    if not attachments:
        return message(fields, text)
    parts = [text] + [attachment_part(n, t, d) for n, t, d in attachments]
    return message(fields, multipart("mixed", parts, "----=_Part_0_1234567890.1773130500000"))


def latin1() -> bytes:
    """ISO-8859-1 declared and used (an older Thunderbird or a form mailer)."""
    return plain(body=BODY.encode("iso-8859-1"), charset="iso-8859-1", cte="quoted-printable")


WINDOWS_1252_BODY = "Prisen er 1 200 € for «hytta» – sjå “vilkåra” og ‘reglane’ …\n"


def windows1252() -> bytes:
    """windows-1252 with curly quotes, dashes and the euro sign (Outlook on Windows)."""
    return plain(
        body=WINDOWS_1252_BODY.encode("cp1252"), charset="windows-1252", cte="quoted-printable"
    )


def windows1252_labelled_latin1() -> bytes:
    """windows-1252 bytes (curly quotes, €) under an iso-8859-1 label."""
    return plain(body=WINDOWS_1252_BODY.encode("cp1252"), charset="iso-8859-1")


def mislabelled_utf8() -> bytes:
    """Declared iso-8859-1, but the bytes are UTF-8."""
    return plain(body=BODY.encode("utf-8"), charset="iso-8859-1")


def mislabelled_latin1() -> bytes:
    """Declared utf-8, but the bytes are latin-1."""
    return plain(body=BODY.encode("iso-8859-1"), charset="utf-8")


def no_charset_8bit(*, content_type: bool = True) -> bytes:
    """8-bit latin-1 bytes with no charset (and, if asked, no Content-Type at all)."""
    raw = plain(body=BODY.encode("iso-8859-1"), charset=None)
    if not content_type:
        raw = raw.replace(b"Content-Type: text/plain\r\n", b"")
    return raw


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


#: Subject header values as clients write them; every one reads "Søknad om løyve".
ENCODED_SUBJECTS: dict[str, bytes] = {
    "utf8_b": encoded_word(SUBJECT, "utf-8", "B").encode(),
    "utf8_q": encoded_word(SUBJECT, "utf-8", "Q").encode(),
    "latin1_q": encoded_word(SUBJECT, "iso-8859-1", "Q").encode(),
    "latin1_b": encoded_word(SUBJECT, "iso-8859-1", "B").encode(),
    "split_words": (
        encoded_word("Søknad om ", "utf-8", "Q") + "\r\n " + encoded_word("løyve", "utf-8", "B")
    ).encode(),
    # Outlook splits long subjects mid-letter: "ø" is c3 b8, cut between the two bytes.
    "split_letter": (
        f"=?utf-8?B?{_b64(b'S' + b'\xc3')}?= =?utf-8?B?{_b64(b'\xb8knad om l' + b'\xc3\xb8yve')}?="
    ).encode(),
    "mixed_plain_and_word": b"S=?iso-8859-1?Q?=F8?=knad om " + encoded_word("løyve").encode(),
    "lowercase_q_no_padding": b"=?UTF-8?b?U8O4a25hZCBvbSBsw7h5dmU?=",
    "space_inside_word": b"=?utf-8?Q?S=C3=B8knad om l=C3=B8yve?=",
    "raw_utf8": SUBJECT.encode("utf-8"),
    "raw_latin1": SUBJECT.encode("iso-8859-1"),
    "unknown_charset": b"=?x-unknown?Q?S=C3=B8knad_om_l=C3=B8yve?=",
}


def encoded_subject(kind: str) -> bytes:
    """A plain mail whose Subject is `ENCODED_SUBJECTS[kind]`."""
    return plain(subject=ENCODED_SUBJECTS[kind])


OUTLOOK_HTML = """<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<meta name="Generator" content="Microsoft Word 15 (filtered medium)">
<style><!--
/* Font Definitions */
p.MsoNormal, li.MsoNormal, div.MsoNormal
  {margin:0cm; font-size:11.0pt; font-family:"Calibri",sans-serif;}
--></style>
<!--[if gte mso 9]><xml><o:shapedefaults v:ext="edit" spidmax="1026" /></xml><![endif]-->
</head>
<body lang="NO-NN" link="#0563C1" vlink="#954F72">
<div class="WordSection1">
<p class="MsoNormal">Hei,<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal">Vi har leigd hytta p&aring; Fjellstølen fr&aring;
12. til 14. mars.&nbsp;&nbsp;Kan de sende faktura til:<o:p></o:p></p>
<table class="MsoNormalTable" border="0" cellpadding="0">
<tr><td><p class="MsoNormal">Namn:</p></td><td><p class="MsoNormal">Ola Hansen</p></td></tr>
<tr><td><p class="MsoNormal">Adresse:</p></td>
<td><p class="MsoNormal">Storgata 1<br>9999 Fjellbygd</p></td></tr>
</table>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<ul><li>Sengetøy &#8211; 2 sett</li><li>Vask</li></ul>
<p class="MsoNormal">Sj&aring;
<a href="https://www.fjellbygd.kommune.no/hytter">vilk&aring;ra</a> og
<a href="https://www.fjellbygd.kommune.no">www.fjellbygd.kommune.no</a>.</p>
<script>alert("nei")</script>
<p class="MsoNormal">Helsing Ola<o:p></o:p></p>
</div>
</body>
</html>
"""

#: What `OUTLOOK_HTML` reads as.
OUTLOOK_TEXT = (
    "Hei,\n"
    "\n"
    "Vi har leigd hytta på Fjellstølen frå 12. til 14. mars. Kan de sende faktura til:\n"
    "Namn: Ola Hansen\n"
    "Adresse: Storgata 1\n"
    "9999 Fjellbygd\n"
    "\n"
    "- Sengetøy – 2 sett\n"
    "- Vask\n"
    "Sjå vilkåra (https://www.fjellbygd.kommune.no/hytter) og www.fjellbygd.kommune.no.\n"
    "Helsing Ola"
)


def outlook_html_only(
    *, html: str = OUTLOOK_HTML, subject: str = "Faktura for hytteleige"
) -> bytes:
    """HTML only, windows-1252, quoted-printable, as Outlook sends when plain text is off."""
    fields = envelope(
        subject=subject,
        sender=("Ola Hansen", "ola.hansen@example.no"),
        extra=[("Content-Language", "nn-NO"), ("X-Mailer", "Microsoft Outlook 16.0")],
    )
    return message(
        fields,
        text_part(
            html.encode("cp1252"), subtype="html", charset="windows-1252", cte="quoted-printable"
        ),
    )


def alternative(*, plain_body: str = BODY, html_body: str | None = None) -> bytes:
    """multipart/alternative, text and HTML (Gmail)."""
    html_body = html_body or (
        '<div dir="ltr"><div>Hei!</div><div><br></div><div>Eg søkjer om løyve til å køyre '
        "snøskuter.</div></div>"
    )
    body = multipart(
        "alternative",
        [
            text_part(plain_body, cte="quoted-printable"),
            text_part(html_body, subtype="html", cte="quoted-printable"),
        ],
        "000000000000a1b2c3d4e5f60718",
    )
    return message(envelope(), body)


PDF_NAME = "Kart over traseen.pdf"
DOCX_NAME = "Søknad_æøå.docx"
RFC2231_NAME = "Søknad_æøå.pdf"


def mixed_with_attachments() -> bytes:
    """Text, a PDF, a DOCX (name RFC 2047 encoded, as Outlook does) and a PDF whose name is
    RFC 2231 encoded (Thunderbird)."""
    parts = [
        text_part(BODY),
        attachment_part(PDF_NAME, "application/pdf", pdf(), name_style="content-type"),
        attachment_part(
            DOCX_NAME,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            docx(),
            name_style="rfc2047",
        ),
        attachment_part(RFC2231_NAME, "application/pdf", pdf("Skjema"), name_style="rfc2231"),
    ]
    return message(envelope(), multipart("mixed", parts, "=_mixed_boundary_42"))


def inline_image() -> bytes:
    """HTML with a logo as a cid: image in multipart/related (signatures)."""
    html = (
        '<p>Sjå biletet av vegen:</p><p><img src="cid:image001.png@01DA7C2B.5E3F1A20" '
        'alt="veg"></p><p>Helsing Per</p>'
    )
    related = multipart(
        "related",
        [
            text_part(html, subtype="html", cte="quoted-printable"),
            attachment_part(
                "image001.png",
                "image/png",
                png(),
                disposition="inline",
                content_id="image001.png@01DA7C2B.5E3F1A20",
                name_style="content-type",
            ),
        ],
        "related_1",
        params='; type="text/html"',
    )
    body = multipart(
        "alternative",
        [text_part("Sjå biletet av vegen:\n[veg]\nHelsing Per\n"), related],
        "alt_1",
    )
    return message(envelope(sender=("Per Berg", "per@example.no")), body)


FORWARDED_SUBJECT = "Vassleidning ved Storvatnet"


def forwarded_rfc822(*, inner: bytes | None = None) -> bytes:
    """A forward as attachment (message/rfc822), as Outlook's "Forward as attachment" or
    Thunderbird's forward send it; the inner message has its own attachment."""
    inner = inner or plain(
        subject=FORWARDED_SUBJECT,
        sender=("Nils Nes", "nils.nes@example.com"),
        body="Vassleidninga lek ved den nedste hytta.\n",
        message_id="<inner-1@example.com>",
        date="Mon, 09 Mar 2026 14:02:11 +0100",
        attachments=[("lekkasje.pdf", "application/pdf", pdf("Lekkasje"))],
    )
    forward = (
        _headers(
            [
                ("Content-Type", f'message/rfc822; name="{FORWARDED_SUBJECT}.eml"'),
                ("Content-Disposition", f'attachment; filename="{FORWARDED_SUBJECT}.eml"'),
            ]
        )
        + b"\r\n"
        + inner
    )
    body = multipart(
        "mixed", [text_part("Sender vidare til rett eining.\n\nHelsing Kari\n"), forward], "fwd_1"
    )
    return message(envelope(subject=f"VS: {FORWARDED_SUBJECT}"), body)


def forwarded_inline() -> bytes:
    """Gmail's inline forward: the old mail in the text after a marker line."""
    body = (
        "Sjå under.\n\n"
        "---------- Forwarded message ---------\n"
        "From: Nils Nes <nils.nes@example.com>\n"
        "Date: Mon, 9 Mar 2026 at 14:02\n"
        f"Subject: {FORWARDED_SUBJECT}\n"
        "To: <kari.nordmann@example.no>\n\n"
        "Vassleidninga lek ved den nedste hytta.\n"
    )
    return plain(subject=f"Fwd: {FORWARDED_SUBJECT}", body=body)


CALENDAR = (
    "BEGIN:VCALENDAR\r\n"
    "METHOD:REQUEST\r\n"
    "PRODID:Microsoft Exchange Server 2010\r\n"
    "VERSION:2.0\r\n"
    "BEGIN:VTIMEZONE\r\n"
    "TZID:W. Europe Standard Time\r\n"
    "BEGIN:STANDARD\r\n"
    "DTSTART:16010101T030000\r\n"
    "TZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0100\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\n"
    "ORGANIZER;CN=Kari Nordmann:mailto:kari.nordmann@example.no\r\n"
    "SUMMARY;LANGUAGE=nn-NO:Synfaring på tomta\\, gnr. 12 bnr. 3 – byggjesak 2026/1\r\n"
    " 23\r\n"
    "DTSTART;TZID=W. Europe Standard Time:20260317T100000\r\n"
    "DTEND;TZID=W. Europe Standard Time:20260317T110000\r\n"
    "UID:040000008200E00074C5B7101A82E00800000000\r\n"
    "LOCATION;LANGUAGE=nn-NO:Fjellvegen 3\\, Fjellbygd\r\n"
    "BEGIN:VALARM\r\n"
    "TRIGGER:-PT15M\r\n"
    "END:VALARM\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)
CALENDAR_SUMMARY = (
    "SUMMARY;LANGUAGE=nn-NO:Synfaring på tomta, gnr. 12 bnr. 3 – byggjesak 2026/123\n"
    "DTSTART;TZID=W. Europe Standard Time:20260317T100000\n"
    "LOCATION;LANGUAGE=nn-NO:Fjellvegen 3, Fjellbygd"
)


def calendar_invitation() -> bytes:
    """An Outlook meeting request: text, HTML and text/calendar as alternatives, and the
    same invitation again as invite.ics."""
    calendar_part = (
        _headers(
            [
                ("Content-Type", 'text/calendar; charset="utf-8"; method=REQUEST'),
                ("Content-Transfer-Encoding", "base64"),
            ]
        )
        + b"\r\n"
        + _crlf(base64_lines(CALENDAR.encode()))
    )
    alternatives = multipart(
        "alternative",
        [
            text_part("Synfaring på tomta tysdag kl. 10.\n", cte="quoted-printable"),
            text_part("<p>Synfaring på tomta tysdag kl. 10.</p>", subtype="html", cte="base64"),
            calendar_part,
        ],
        "_000_alt_",
    )
    body = multipart(
        "mixed",
        [alternatives, attachment_part("invite.ics", "application/ics", CALENDAR.encode())],
        "_004_mixed_",
    )
    return message(envelope(subject="Synfaring på tomta"), body)


def out_of_office(
    *,
    subject: str = "Fråverande: Søknad om løyve",
    body: str = "Eg er på ferie til 20. mars og les ikkje e-post.\n",
    headers: bool = True,
) -> bytes:
    """An Exchange out-of-office reply; `headers` adds the Auto-Submitted/X-Autoreply marks,
    without them only the subject tells."""
    extra: list[tuple[str, str | bytes]] = [("X-Auto-Response-Suppress", "All")]
    if headers:
        extra += [("Auto-Submitted", "auto-replied"), ("X-Autoreply", "yes")]
    return plain(
        subject=subject,
        body=body,
        sender=("Sakshandsamar Siri", "siri@fjellbygd.kommune.no"),
        to=[SENDER],
        in_reply_to=MESSAGE_ID,
        references=[MESSAGE_ID],
        message_id="<oof-1@fjellbygd.kommune.no>",
        extra=extra,
    )


def out_of_office_english() -> bytes:
    return out_of_office(
        subject="Automatic reply: Søknad om løyve",
        body="I am out of the office until 20 March.\n",
    )


def bounce(*, original: bytes | None = None) -> bytes:
    """A delivery failure report (multipart/report) from a mailer daemon, with the original."""
    original = original or plain(to=[("", "finst.ikkje@fjellbygd.kommune.no")])
    human = text_part(
        "This is the mail system at host mx.fjellbygd.kommune.no.\n\n"
        "I'm sorry to have to inform you that your message could not\n"
        "be delivered to one or more recipients.\n\n"
        "<finst.ikkje@fjellbygd.kommune.no>: host mx said: 550 5.1.1 User unknown\n",
        charset="us-ascii",
        cte="7bit",
    )
    status = (
        _headers([("Content-Type", "message/delivery-status")])
        + b"\r\n"
        + _headers([("Reporting-MTA", "dns; mx.fjellbygd.kommune.no"), ("Arrival-Date", DATE)])
        + b"\r\n"
        + _headers(
            [
                ("Final-Recipient", "rfc822; finst.ikkje@fjellbygd.kommune.no"),
                ("Action", "failed"),
                ("Status", "5.1.1"),
                ("Diagnostic-Code", "smtp; 550 5.1.1 User unknown"),
            ]
        )
    )
    returned = _headers([("Content-Type", "message/rfc822")]) + b"\r\n" + original
    body = multipart(
        "report",
        [human, status, returned],
        "4D2F5A1B.1773130500/mx.fjellbygd.kommune.no",
        params="; report-type=delivery-status",
    )
    fields = envelope(
        subject="Undelivered Mail Returned to Sender",
        sender=("Mail Delivery System", "MAILER-DAEMON@mx.fjellbygd.kommune.no"),
        to=[SENDER],
        message_id="<20260310091501.ABC@mx.fjellbygd.kommune.no>",
        extra=[("Auto-Submitted", "auto-replied")],
    )
    return message(fields, body)


REPLY_SUBJECT = "SV: [ref 2026-000123] Søknad om løyve"
REPLY_REFERENCES = ("<20260301.1@mail.example.no>", "<ack-2026-000123@fjellbygd.kommune.no>")


def reply() -> bytes:
    """A citizen's reply to the acknowledgement, with the quote Outlook puts under it."""
    body = (
        "Takk. Her er kartet de bad om.\n\n"
        "Kari\n\n"
        "-----Opprinneleg melding-----\n"
        "Frå: Postmottak <postmottak@fjellbygd.kommune.no>\n"
        "Emne: [ref 2026-000123] Søknad om løyve\n\n"
        "> Vi har motteke henvendinga di.\n"
    )
    return plain(
        subject=REPLY_SUBJECT,
        body=body,
        message_id="<reply-7@mail.example.no>",
        in_reply_to=REPLY_REFERENCES[-1],
        references=REPLY_REFERENCES,
        extra=[("Reply-To", address("Kari N.", "Kari@Example.NO")), ("Delivered-To", RECIPIENT[1])],
    )


def no_message_id() -> bytes:
    return plain(message_id=None, date=None)


def attachment_only(*, name: str = "skanna_brev.pdf", data: bytes | None = None) -> bytes:
    """A scanner's mail: one PDF and no text part at all."""
    parts = [attachment_part(name, "application/pdf", data if data is not None else pdf())]
    return message(
        envelope(subject="Skanna dokument", sender=("", "skannar@fjellbygd.kommune.no")),
        multipart("mixed", parts, "scan_1"),
    )


def nested_multipart(
    depth: int, *, leaf: bytes = b"Content-Type: text/plain\r\n\r\nInnst.\r\n"
) -> bytes:
    """Multiparts `depth` deep, built with loops (no recursion), for the limits."""
    opening = [b"From: a@example.no\r\nSubject: djup\r\nMIME-Version: 1.0\r\n"]
    for level in range(depth):
        opening.append(
            b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (level, level)
        )
    closing = [b"\r\n--b%d--\r\n" % level for level in reversed(range(depth))]
    return b"".join(opening) + leaf + b"".join(closing)


def many_parts(count: int) -> bytes:
    """One multipart/mixed with `count` small text attachments."""
    part = attachment_part("a.txt", "text/plain", b"x")
    body = b"".join(b"--many\r\n" + part + b"\r\n" for _ in range(count))
    head = _headers(envelope()) + b'Content-Type: multipart/mixed; boundary="many"\r\n\r\n'
    return head + body + b"--many--\r\n"


ALL_SAMPLES = {
    "plain": plain,
    "latin1": latin1,
    "windows1252": windows1252,
    "windows1252_labelled_latin1": windows1252_labelled_latin1,
    "mislabelled_utf8": mislabelled_utf8,
    "mislabelled_latin1": mislabelled_latin1,
    "no_charset_8bit": no_charset_8bit,
    "outlook_html_only": outlook_html_only,
    "alternative": alternative,
    "mixed_with_attachments": mixed_with_attachments,
    "inline_image": inline_image,
    "forwarded_rfc822": forwarded_rfc822,
    "forwarded_inline": forwarded_inline,
    "calendar_invitation": calendar_invitation,
    "out_of_office": out_of_office,
    "out_of_office_english": out_of_office_english,
    "bounce": bounce,
    "reply": reply,
    "no_message_id": no_message_id,
    "attachment_only": attachment_only,
}
