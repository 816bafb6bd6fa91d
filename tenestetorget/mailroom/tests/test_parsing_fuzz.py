"""Fuzzing the mail parser: whatever the bytes, `parse` returns a ParsedMail or raises
Unparseable, never anything else, and never takes long."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenestetorget.mailroom.parsing import ParsedMail, Unparseable, parse
from tenestetorget.mailroom.tests import mailsamples as ms

#: Generous for a shared test machine; a parse that hangs or goes quadratic blows it.
SECONDS = 5.0

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


def check(raw: bytes, **limits: int) -> ParsedMail | None:
    """The property: a ParsedMail or Unparseable, in time, and no internal error swallowed."""
    start = time.perf_counter()
    try:
        mail = parse(raw, **limits)
    except Unparseable as exc:
        assert exc.code in {"empty", "too_large", "not_mail", "too_deep", "too_many_parts"}
        assert exc.reason
        mail = None
    assert time.perf_counter() - start < SECONDS
    if mail is not None:
        assert isinstance(mail, ParsedMail)
        # The parser guards each part and header so that a bug cannot lose a mail; here a
        # guard that fired is a bug to fix.
        assert not [d for d in mail.defects if d.startswith("InternalError")], mail.defects
        assert "\x00" not in mail.text + mail.subject
        assert len(mail.subject) <= 300
        assert mail.date is None or mail.date.tzinfo is not None
    return mail


SAMPLES = [build() for build in ms.ALL_SAMPLES.values()] + [
    ms.encoded_subject(kind) for kind in ms.ENCODED_SUBJECTS
]


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes(raw):
    check(raw)


@FUZZ
@given(st.binary(max_size=2048))
def test_random_bytes_after_a_header(raw):
    check(b"Subject: x\r\nContent-Type: multipart/mixed; boundary=a\r\n\r\n" + raw)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    raw = bytearray(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(1, 12))):
        operation = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "duplicate"]))
        at = draw(st.integers(0, max(len(raw) - 1, 0)))
        if operation == "flip" and raw:
            raw[at] = draw(st.integers(0, 255))
        elif operation == "truncate":
            del raw[at:]
        elif operation == "insert":
            raw[at:at] = draw(
                st.sampled_from(
                    [b"\r\n", b"\r\n\r\n", b"--", b"=?", b"?=", b"\x00", b"\xff\xfe", b"; ", b'"']
                )
                | st.binary(max_size=20)
            )
        elif operation == "delete":
            del raw[at : at + draw(st.integers(1, 200))]
        else:
            raw[at:at] = raw[at : at + draw(st.integers(1, 400))]
    return bytes(raw)


@settings(FUZZ, max_examples=300)
@given(mutated())
def test_mutated_samples(raw):
    check(raw)


HEADER_NAMES = [
    "From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID", "In-Reply-To",
    "References", "Content-Type", "Content-Transfer-Encoding", "Content-Disposition",
    "Content-ID", "Content-Language", "Auto-Submitted", "Precedence", "Delivered-To",
    "X-Original-To", "Envelope-To", "MIME-Version", "X-Autoreply",
]  # fmt: skip
HEADER_PIECES = [
    "=?utf-8?B?U8O4a25hZA==?=", "=?iso-8859-1?Q?l=F8yve?=", "=?x?Q?", "=?utf-8?B?###?=",
    "<a@b.no>", "Kari <kari@example.no>", '"Nordmann, Kari" <k@x.no>', "multipart/mixed",
    "boundary=", "charset=", "utf-8", "punycode", "zlib", "filename*=utf-8''%C3%B8.pdf",
    "name=", "attachment", "inline", "base64", "quoted-printable", "text/html",
    "message/rfc822", "text/calendar", "Tue, 10 Mar 2026 09:15:00 +0100", "-0000", "\r\n ",
    ";", ",", ":", '"', "(", ")", "<", ">", "@", "\\", "\t", "auto-replied", "no",
]  # fmt: skip


@st.composite
def header_soup(draw: st.DrawFn) -> bytes:
    lines = []
    for _ in range(draw(st.integers(1, 25))):
        name = draw(st.sampled_from(HEADER_NAMES) | st.text("abcXYZ-", min_size=1, max_size=8))
        pieces = draw(
            st.lists(
                st.sampled_from(HEADER_PIECES).map(str.encode)
                | st.binary(max_size=12)
                | st.text(max_size=12).map(lambda t: t.encode("utf-8", "surrogatepass")),
                max_size=10,
            )
        )
        lines.append(name.encode() + b": " + b"".join(pieces))
    body = draw(st.sampled_from(SAMPLES[:6]) | st.binary(max_size=500))
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


@FUZZ
@given(header_soup())
def test_header_soup(raw):
    check(raw)


@st.composite
def wrong_boundaries(draw: st.DrawFn) -> bytes:
    raw = draw(st.sampled_from([ms.mixed_with_attachments(), ms.forwarded_rfc822(), ms.bounce()]))
    declared = draw(st.sampled_from([b"", b"x", b"=_mixed_boundary_4", b'"', b"fwd_1--"]))
    raw = raw.replace(b'boundary="=_mixed_boundary_42"', b'boundary="' + declared + b'"')
    raw = raw.replace(b'boundary="fwd_1"', b"boundary=" + declared)
    if draw(st.booleans()):
        raw = raw.replace(b'; boundary="', b'; charset="')  # no boundary parameter at all
    return raw


@settings(FUZZ, max_examples=40)
@given(wrong_boundaries())
def test_wrong_or_absent_boundaries(raw):
    check(raw)


def test_deeply_nested_multipart():
    raw = ms.nested_multipart(10_000)
    assert check(raw) is None
    with pytest.raises(Unparseable) as caught:
        parse(raw)
    assert caught.value.code == "too_deep"


def test_deeply_nested_forwards():
    inner = ms.plain()
    for level in range(2_000):  # iteratively: message/rfc822 inside message/rfc822
        inner = b"Content-Type: message/rfc822\r\nSubject: %d\r\n\r\n" % level + inner
    assert check(inner) is None
    with pytest.raises(Unparseable) as caught:
        parse(inner)
    assert caught.value.code == "too_deep"


def test_five_thousand_parts():
    raw = ms.many_parts(5_000)
    assert check(raw) is None
    with pytest.raises(Unparseable) as caught:
        parse(raw)
    assert caught.value.code == "too_many_parts"
    mail = check(raw, max_parts=10_000)
    assert mail is not None and len(mail.attachments) == 5_000


def test_sixty_megabytes():
    head = ms.plain(attachments=[("stor.bin", "application/octet-stream", b"")])
    raw = head + b"A" * (60 * 1024 * 1024)
    start = time.perf_counter()
    with pytest.raises(Unparseable) as caught:
        parse(raw)
    assert caught.value.code == "too_large"
    assert time.perf_counter() - start < 0.5


def test_zip_bomb_stays_small():
    bomb = ms.zip_bomb(256)
    assert len(bomb) < 1024 * 1024
    mail = check(ms.plain(attachments=[("vedlegg.zip", "application/zip", bomb)]))
    assert mail is not None
    (part,) = mail.attachments
    assert part.data == bomb  # the same small bytes: never expanded here


def test_broken_pdf_attachment():
    broken = ms.broken_pdf()
    mail = check(ms.plain(attachments=[("skjema.pdf", "application/pdf", broken)]))
    assert mail is not None
    assert mail.attachments[0].data == broken


def test_garbage_base64_is_kept_as_bytes():
    raw = ms.plain(attachments=[("a.pdf", "application/pdf", b"x")]).replace(
        b"eA==", b"!!not base64 at all\xff\r\n====\r\nQQ"
    )
    mail = check(raw)
    assert mail is not None and isinstance(mail.attachments[0].data, bytes)
