"""The mail parser on the shapes of mail the mail room gets (see mailsamples)."""

from __future__ import annotations

import datetime as dt

import pytest

from tenestetorget.mailroom import parsing
from tenestetorget.mailroom.htmltext import html_to_text
from tenestetorget.mailroom.parsing import Address, Unparseable, decode_text, parse
from tenestetorget.mailroom.tests import mailsamples as ms

KARI = Address(name="Kari Nordmann", email="kari.nordmann@example.no")
POSTMOTTAK = Address(name="Postmottak Fjellbygd kommune", email="postmottak@fjellbygd.kommune.no")
BODY_TEXT = ms.BODY.strip("\n")


def test_plain_nynorsk_utf8():
    mail = parse(ms.plain())
    assert mail.message_id == ms.MESSAGE_ID
    assert mail.subject == "Søknad om løyve"
    assert mail.sender == KARI
    assert mail.to == (POSTMOTTAK,)
    assert mail.cc == ()
    assert mail.reply_to is None
    assert mail.date == dt.datetime(2026, 3, 10, 8, 15, tzinfo=dt.UTC)
    assert mail.date.utcoffset() == dt.timedelta(hours=1)
    assert mail.text == BODY_TEXT
    assert not mail.html
    assert mail.attachments == ()
    assert (mail.auto_reply, mail.bounce, mail.calendar) == (False, False, "")
    assert mail.defects == ()


@pytest.mark.parametrize(
    "build",
    [
        ms.latin1,
        ms.mislabelled_utf8,
        ms.mislabelled_latin1,
        ms.no_charset_8bit,
        lambda: ms.no_charset_8bit(content_type=False),
        lambda: ms.plain(cte="base64"),
        lambda: ms.plain(body=ms.BODY.encode("iso-8859-15"), charset="iso-8859-15"),
        lambda: ms.plain(body=ms.BODY.encode("utf-8"), charset="x-no-such-charset"),
        lambda: ms.plain(body=ms.BODY.encode("iso-8859-1"), charset="x-no-such-charset"),
        lambda: ms.plain(body=ms.BODY.encode("iso-8859-1"), charset="zlib"),
        lambda: ms.plain(body=ms.BODY.encode("utf-16"), charset="utf-16", cte="base64"),
    ],
    ids=[
        "latin1",
        "declared-latin1-really-utf8",
        "declared-utf8-really-latin1",
        "no-charset",
        "no-content-type",
        "base64",
        "iso-8859-15",
        "unknown-charset-utf8",
        "unknown-charset-latin1",
        "codec-not-a-charset",
        "utf16",
    ],
)
def test_charsets_seen_in_norway(build):
    mail = parse(build())
    assert mail.text == BODY_TEXT


def test_windows_1252_quotes_and_euro():
    expected = ms.WINDOWS_1252_BODY.strip("\n")
    assert parse(ms.windows1252()).text == expected
    # Outlook's quotes under a latin-1 label: windows-1252, not C1 control characters.
    assert parse(ms.windows1252_labelled_latin1()).text == expected


def test_charset_rule():
    assert decode_text("løyve".encode(), "iso-8859-1") == "løyve"
    assert decode_text("løyve".encode("latin-1"), "utf-8") == "løyve"
    assert decode_text("€ “x”".encode("cp1252"), None) == "€ “x”"
    assert decode_text(b"\x81\x8d", None) == "\x81\x8d"  # undefined in windows-1252
    assert decode_text("łódź".encode("iso-8859-2"), "iso-8859-2") == "łódź"
    assert decode_text("ø".encode("iso-8859-15"), "base64") == "ø"
    assert decode_text("ø".encode("latin-1"), "punycode") == "ø"
    assert decode_text("hei".encode("utf-16"), "utf-16") == "hei"
    assert decode_text(b"odd", "utf-16") == "odd"  # not UTF-16 after all
    assert decode_text(b"\xff" * 3, "utf-8") == "ÿÿÿ"


@pytest.mark.parametrize("kind", sorted(ms.ENCODED_SUBJECTS))
def test_encoded_subjects(kind):
    assert parse(ms.encoded_subject(kind)).subject == "Søknad om løyve"


def test_subject_is_one_line_and_cut():
    mail = parse(ms.plain(subject=b"Lang\r\n\temne\x00 " + b"ord " * 200))
    assert mail.subject.startswith("Lang emne ord ord")
    assert len(mail.subject) == parsing.SUBJECT_MAX
    assert mail.subject.endswith("…")
    assert "\n" not in mail.subject and "\x00" not in mail.subject


def test_broken_encoded_words_are_left_readable():
    raw = b"=?utf-8?B?###?= =?utf-8?Q?S=C3=B8knad?= =?utf-8?Q?unterminated"
    assert parse(ms.plain(subject=raw)).subject == "=?utf-8?B?###?= Søknad =?utf-8?Q?unterminated"


def test_outlook_html_only():
    mail = parse(ms.outlook_html_only())
    assert mail.html
    assert mail.text == ms.OUTLOOK_TEXT
    assert "alert" not in mail.text and "Calibri" not in mail.text
    assert mail.language_hint == "nn-NO"
    assert mail.sender == Address(name="Ola Hansen", email="ola.hansen@example.no")


def test_alternative_prefers_plain_text():
    mail = parse(ms.alternative())
    assert mail.text == BODY_TEXT
    assert not mail.html
    assert mail.attachments == ()


def test_alternative_with_empty_plain_part_uses_html():
    mail = parse(ms.alternative(plain_body="\n"))
    assert mail.text == "Hei!\n\nEg søkjer om løyve til å køyre snøskuter."
    assert mail.html


def test_mixed_with_pdf_docx_and_rfc2231_name():
    mail = parse(ms.mixed_with_attachments())
    assert mail.text == BODY_TEXT
    assert [(p.name, p.content_type, p.inline) for p in mail.attachments] == [
        (ms.PDF_NAME, "application/pdf", False),
        (
            ms.DOCX_NAME,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            False,
        ),
        (ms.RFC2231_NAME, "application/pdf", False),
    ]
    assert mail.attachments[0].data == ms.pdf()
    assert mail.attachments[1].data == ms.docx()
    assert mail.attachments[2].data == ms.pdf("Skjema")


def test_attachment_names_are_safe_and_defaulted():
    raw = ms.plain(
        attachments=[
            ("../../etc/passwd", "text/plain", b"x"),
            ("C:\\Users\\kari\\kart.png", "image/png", ms.png()),
        ]
    )
    mail = parse(raw)
    assert [p.name for p in mail.attachments] == ["passwd", "kart.png"]
    nameless = ms.message(
        ms.envelope(),
        ms.multipart(
            "mixed",
            [
                ms.text_part("Sjå vedlegg."),
                b"Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + ms.base64_lines(ms.pdf()),
                b"Content-Type: application/x-ukjend\r\n\r\nabc",
            ],
            "b1",
        ),
    )
    mail = parse(nameless)
    assert [(p.name, p.data[:5]) for p in mail.attachments] == [
        ("vedlegg.pdf", b"%PDF-"),
        ("vedlegg.bin", b"abc"),
    ]


def test_inline_image_is_an_inline_attachment():
    mail = parse(ms.inline_image())
    assert mail.text == "Sjå biletet av vegen:\n[veg]\nHelsing Per"
    (image,) = mail.attachments
    assert image.inline
    assert image.content_id == "image001.png@01DA7C2B.5E3F1A20"
    assert image.content_type == "image/png"
    assert image.data == ms.png()


def test_forwarded_message_rfc822():
    mail = parse(ms.forwarded_rfc822())
    assert mail.subject == f"VS: {ms.FORWARDED_SUBJECT}"
    assert mail.text == (
        "Sender vidare til rett eining.\n\nHelsing Kari\n\n"
        f"{parsing.FORWARD_LINE}\n"
        "Frå: Nils Nes <nils.nes@example.com>\n"
        "Dato: Mon, 09 Mar 2026 14:02:11 +0100\n"
        f"Emne: {ms.FORWARDED_SUBJECT}\n\n"
        "Vassleidninga lek ved den nedste hytta."
    )
    assert [p.name for p in mail.attachments] == ["lekkasje.pdf"]
    assert mail.sender == KARI  # the forwarder, not the original sender


def test_forward_inside_forward():
    twice = ms.forwarded_rfc822(inner=ms.forwarded_rfc822())
    mail = parse(twice)
    assert mail.text.count(parsing.FORWARD_LINE) == 2
    assert mail.text.endswith("Vassleidninga lek ved den nedste hytta.")


def test_inline_forward_keeps_the_forwarded_text():
    mail = parse(ms.forwarded_inline())
    assert "---------- Forwarded message ---------" in mail.text
    assert mail.text.endswith("Vassleidninga lek ved den nedste hytta.")


def test_outlook_calendar_invitation():
    mail = parse(ms.calendar_invitation())
    assert mail.text == "Synfaring på tomta tysdag kl. 10."
    assert mail.calendar == ms.CALENDAR_SUMMARY
    assert [(p.name, p.content_type) for p in mail.attachments] == [
        ("invitasjon.ics", "text/calendar"),
        ("invite.ics", "application/ics"),
    ]
    assert all(p.data == ms.CALENDAR.encode() for p in mail.attachments)


def test_calendar_summary_skips_the_time_zone_block():
    # The VTIMEZONE's DTSTART (1601) comes first in the file and must not be taken.
    assert "16010101" not in parsing.calendar_summary(ms.CALENDAR.encode())
    assert parsing.calendar_summary(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n") == ""


@pytest.mark.parametrize(
    "raw",
    [
        ms.out_of_office(),
        ms.out_of_office(headers=False),
        ms.out_of_office_english(),
        ms.plain(subject="Automatisk svar: Søknad om løyve"),
        ms.plain(subject="Fraværende: Søknad"),
        ms.plain(subject="Out of Office: Søknad"),
        ms.plain(subject="Autosvar: Søknad"),
        ms.plain(extra=[("Auto-Submitted", "auto-generated")]),
        ms.plain(extra=[("X-Autorespond", "1")]),
        ms.plain(extra=[("Precedence", "bulk")]),
        ms.plain(extra=[("Precedence", "auto_reply")]),
    ],
)
def test_out_of_office_and_automatic_replies(raw):
    mail = parse(raw)
    assert mail.auto_reply
    assert not mail.bounce


def test_out_of_office_fields():
    mail = parse(ms.out_of_office())
    assert mail.subject == "Fråverande: Søknad om løyve"
    assert mail.in_reply_to == (ms.MESSAGE_ID,)
    assert mail.text == "Eg er på ferie til 20. mars og les ikkje e-post."


@pytest.mark.parametrize(
    "raw",
    [
        ms.plain(extra=[("Auto-Submitted", "no")]),
        ms.plain(subject="Spørsmål om fråverande elev"),
        ms.plain(extra=[("Precedence", "list")]),
    ],
)
def test_ordinary_mail_is_not_an_automatic_reply(raw):
    assert not parse(raw).auto_reply


def test_bounce():
    mail = parse(ms.bounce())
    assert mail.bounce and mail.auto_reply
    assert mail.sender.email == "mailer-daemon@mx.fjellbygd.kommune.no"
    assert mail.text.startswith("This is the mail system at host mx.fjellbygd.kommune.no.")
    assert parsing.FORWARD_LINE not in mail.text  # the returned mail is no forward
    status, original = mail.attachments
    assert status.content_type == "message/delivery-status"
    assert b"Status: 5.1.1" in status.data
    assert original.content_type == "message/rfc822"
    assert parse(original.data).to == (Address(name="", email="finst.ikkje@fjellbygd.kommune.no"),)


@pytest.mark.parametrize(
    "raw",
    [
        ms.plain(subject="Undeliverable: Søknad"),
        ms.plain(subject="Delivery Status Notification (Failure)"),
        ms.plain(subject="Ikke levert: Søknad"),
        ms.plain(subject="Returned mail: see transcript for details"),
        ms.plain(sender=("", "postmaster@example.no")),
        ms.plain(sender=("", "MAILER-DAEMON")),
    ],
)
def test_bounces_recognised_by_subject_and_sender(raw):
    assert parse(raw).bounce


def test_reply_threading_fields():
    mail = parse(ms.reply())
    assert mail.subject == ms.REPLY_SUBJECT
    assert mail.message_id == "<reply-7@mail.example.no>"
    assert mail.in_reply_to == (ms.REPLY_REFERENCES[-1],)
    assert mail.references == ms.REPLY_REFERENCES
    assert mail.reply_to == Address(name="Kari N.", email="kari@example.no")
    assert mail.delivered_to == ("postmottak@fjellbygd.kommune.no",)
    # Quotes and the quoted header are kept: the full text is archived.
    assert mail.text.endswith("> Vi har motteke henvendinga di.")
    assert "-----Opprinneleg melding-----" in mail.text


def test_message_ids_are_normalised():
    raw = ms.plain(
        message_id="  <abc@x.no>  ",
        in_reply_to="<a@x.no> (comment) <b@x.no>",
        references=["<a@x.no>", "bare@x.no", "<a@x.no>"],
    )
    mail = parse(raw)
    assert mail.message_id == "<abc@x.no>"
    assert mail.in_reply_to == ("<a@x.no>", "<b@x.no>")
    assert mail.references == ("<a@x.no>",)
    assert parse(ms.plain(message_id="no-brackets@x.no")).message_id == "<no-brackets@x.no>"


def test_no_message_id_and_no_date():
    mail = parse(ms.no_message_id())
    assert mail.message_id == ""
    assert mail.date is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Tue, 10 Mar 2026 09:15:00 -0000", dt.datetime(2026, 3, 10, 9, 15, tzinfo=dt.UTC)),
        ("10 Mar 2026 09:15 +0100", dt.datetime(2026, 3, 10, 8, 15, tzinfo=dt.UTC)),
        ("i går", None),
        ("Tue, 31 Feb 2026 09:15:00 +0100", None),
        ("", None),
    ],
)
def test_dates(value, expected):
    mail = parse(ms.plain(date=value))
    assert mail.date == expected
    if mail.date is not None:
        assert mail.date.tzinfo is not None


def test_addresses():
    raw = ms.plain(
        to=[("Nordmann, Kari", "KARI@EXAMPLE.NO"), ("Ålesund bu", "bu@example.no")],
        cc=[("Ikkje ei adresse", "ikkje-ei-adresse")],
    )
    mail = parse(raw)
    assert mail.to == (
        Address(name="Nordmann, Kari", email="kari@example.no"),
        Address(name="Ålesund bu", email="bu@example.no"),
    )
    assert mail.cc == (Address(name="Ikkje ei adresse", email=""),)
    no_from = parse(b"Subject: utan avsendar\r\n\r\nTekst\r\n")
    assert no_from.sender == Address(name="", email="")
    assert no_from.text == "Tekst"


def test_raw_8bit_names_in_headers():
    raw = ms.plain(extra=[("Cc", "Åse Øvrebø <ase@example.no>".encode("latin-1"))])
    assert parse(raw).cc == (Address(name="Åse Øvrebø", email="ase@example.no"),)


def test_attachment_only():
    mail = parse(ms.attachment_only())
    assert mail.text == ""
    assert [(p.name, p.content_type) for p in mail.attachments] == [
        ("skanna_brev.pdf", "application/pdf")
    ]
    assert mail.sender == Address(name="", email="skannar@fjellbygd.kommune.no")


def test_flowed_text_is_joined():
    body = (
        "Dette er ei lang \r\nline som held fram.\r\n> sitat som \r\n> held fram\r\n-- \r\nKari\r\n"
    )
    raw = ms.plain(body=body).replace(b'charset="utf-8"', b'charset="utf-8"; format=flowed', 1)
    assert parse(raw).text == (
        "Dette er ei lang line som held fram.\n> sitat som held fram\n-- \nKari"
    )


# -- Broken mail that must still be read ------------------------------------------------------


def test_missing_closing_boundary():
    raw = ms.mixed_with_attachments()
    raw = raw[: raw.rindex(b"--=_mixed_boundary_42--")]
    mail = parse(raw)
    assert mail.text == BODY_TEXT
    assert len(mail.attachments) == 3
    assert any("CloseBoundaryNotFound" in d for d in mail.defects)


def test_bad_base64_padding_keeps_the_bytes():
    raw = ms.plain(attachments=[("a.bin", "application/octet-stream", b"abcd")])
    raw = raw.replace(b"YWJjZA==", b"YWJjZA")
    (part,) = parse(raw).attachments
    assert part.data == b"abcd"


def test_wrong_boundary_is_recovered():
    raw = ms.mixed_with_attachments().replace(
        b'boundary="=_mixed_boundary_42"', b'boundary="something-else"'
    )
    mail = parse(raw)
    assert mail.text == BODY_TEXT
    assert [p.name for p in mail.attachments] == [ms.PDF_NAME, ms.DOCX_NAME, ms.RFC2231_NAME]
    assert any(d.startswith("BoundaryRecovered") for d in mail.defects)


def test_broken_header_lines():
    raw = b"From: kari@example.no\r\nThis line is no header\r\nSubject: x\r\n\r\nTekst\r\n"
    mail = parse(raw)
    assert mail.sender.email == "kari@example.no"
    assert mail.defects  # what the email package complained about is kept


# -- What cannot be read at all ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kwargs", "code"),
    [
        (b"", {}, "empty"),
        (b" \r\n\t\r\n", {}, "empty"),
        (ms.plain(), {"max_bytes": 100}, "too_large"),
        (ms.pdf(), {}, "not_mail"),
        (bytes(range(256)) * 8, {}, "not_mail"),
        (ms.nested_multipart(21), {}, "too_deep"),
        (ms.nested_multipart(5), {"max_depth": 4}, "too_deep"),
        (ms.many_parts(20), {"max_parts": 10}, "too_many_parts"),
    ],
)
def test_unparseable(raw, kwargs, code):
    with pytest.raises(Unparseable) as caught:
        parse(raw, **kwargs)
    assert caught.value.code == code
    assert caught.value.reason


def test_limits_are_inclusive():
    assert parse(ms.nested_multipart(5), max_depth=6).text == "Innst."
    assert len(parse(ms.many_parts(8), max_parts=9).attachments) == 8


def test_mbox_from_line_is_accepted():
    mail = parse(b"From kari@example.no Tue Mar 10 09:15:00 2026\n" + ms.plain())
    assert mail.subject == "Søknad om løyve"


# -- HTML to text --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<div>Hei!</div><div><br></div><div>Eg søkjer.</div>", "Hei!\n\nEg søkjer."),
        ("<p>Ein</p><p>To</p>", "Ein\n\nTo"),
        ("a<br>b", "a\nb"),
        ("<ul><li>a<ul><li>b</li></ul></li><li><p>c</p></li></ul>", "- a\n  - b\n- c"),
        ("<ol><li>ein</li><li>to</li></ol>", "- ein\n- to"),
        ("Før<blockquote><p>sitat</p></blockquote>Etter", "Før\n> sitat\nEtter"),
        ('<a href="https://x.no/side">sida</a>', "sida (https://x.no/side)"),
        ('<a href="https://www.x.no/">www.x.no</a>', "www.x.no"),
        ('<a href="mailto:a@x.no">a@x.no</a>', "a@x.no"),
        ('<a href="javascript:alert(1)">klikk</a>', "klikk"),
        ("<style>p{}</style><script>x()</script>&lt;&amp;&gt; &aring;&nbsp;&#8364;", "<&> å €"),
        ("  mange     mellomrom \n\n\n og linjer  ", "mange mellomrom og linjer"),
        ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"),
        ("<pre>  kode\n    innrykk</pre>", "  kode\n    innrykk"),
        ('<?xml version="1.0" encoding="utf-8"?><p>xml</p>', "xml"),
        ("<!-- berre kommentar -->", ""),
        ("", ""),
    ],
)
def test_html_to_text(html, text):
    assert html_to_text(html) == text


def test_html_to_text_deep_nesting_does_not_recurse():
    assert html_to_text("<div>" * 50_000 + "djupt" + "</div>" * 50_000) in ("djupt", "")
    assert html_to_text("<b>" * 5_000 + "x") in ("x", "")
