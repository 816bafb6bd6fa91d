"""The upload check (core.uploads, core.file_types): names shortened with their suffix kept,
types checked by content as well as by name, nothing a browser runs as a page."""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from tenestetorget.core.file_types import checked_type, is_plain_text, looks_like_markup
from tenestetorget.core.upload_handlers import Refusal, RefusedUpload
from tenestetorget.core.uploads import (
    MAX_NAME,
    attachment_name,
    validate_upload,
    validate_uploads,
)

#: The name from the security test: the check read ".pdf", the stored name ended ".html".
LONG_NAME = "a" * 195 + ".html" + "b" * 20 + ".pdf"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> Any:
    # The browser's claim is deliberately wrong in places: it must not matter.
    return SimpleUploadedFile(name, content, content_type)


@pytest.fixture(autouse=True)
def _nynorsk() -> Any:
    with translation.override("nn"):
        yield


# --- names ------------------------------------------------------------------------------------


def test_a_long_name_is_shortened_keeping_the_suffix_that_was_checked():
    name = attachment_name(LONG_NAME)
    assert len(name) == MAX_NAME
    assert name.endswith(".pdf")
    assert ".html" not in name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("C:\\Users\\kari\\Skjema.pdf", "Skjema.pdf"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("ra\u0308kning.pdf", "räkning.pdf"),  # decomposed, as macOS sends it
        ("bad\x00\u202ename.pdf", "badname.pdf"),  # NUL and a right-to-left override
        ("", "vedlegg"),
        (None, "vedlegg"),
        ("..", "vedlegg"),
    ],
)
def test_names_are_cleaned(raw: str | None, expected: str):
    assert attachment_name(raw) == expected


def test_a_name_without_a_real_suffix_is_cut_and_then_refused():
    name = attachment_name("x." + "y" * 300)
    assert len(name) == MAX_NAME
    with pytest.raises(ValidationError, match="type vi ikkje tek imot"):
        validate_upload(upload("x." + "y" * 300, PDF))


# --- the security test's file -------------------------------------------------------------------


def test_the_long_name_with_html_content_is_refused():
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(LONG_NAME, HTML))
    assert "er ikkje ei PDF-fil" in caught.value.messages[0]


def test_the_long_name_with_pdf_content_is_stored_as_a_pdf():
    checked = validate_upload(upload(LONG_NAME, PDF, "text/html"))
    assert checked.name.endswith(".pdf")
    assert len(checked.name) == MAX_NAME
    assert checked.content_type == "application/pdf"


# --- types by content ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("skjema.pdf", PDF, "application/pdf"),
        ("SKJEMA.PDF", PDF, "application/pdf"),
        ("bilete.jpg", JPEG, "image/jpeg"),
        ("bilete.jpeg", JPEG, "image/jpeg"),
        ("kart.png", PNG, "image/png"),
        ("brev.doc", OLE, "application/msword"),
        ("rekneark.xls", OLE, "application/vnd.ms-excel"),
        (
            "brev.docx",
            docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("brev.odt", docx(), "application/vnd.oasis.opendocument.text"),
        ("notat.txt", "Hei, eg lurer på brøytinga.\n".encode(), "text/plain"),
        ("liste.csv", "namn;beløp\nKari;100\n".encode("cp1252"), "text/csv"),
        ("notat.txt", codecs.BOM_UTF16_LE + "Hei på deg".encode("utf-16-le"), "text/plain"),
        ("epost.eml", b"From: kari@example.no\r\nSubject: Hei\r\n\r\nTekst", "message/rfc822"),
        ("tom.txt", b"", "text/plain"),
    ],
)
def test_content_that_matches_its_suffix_is_accepted(name: str, content: bytes, mime: str):
    assert validate_upload(upload(name, content)).content_type == mime


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("side.pdf", HTML),
        ("side.txt", HTML),
        ("side.csv", b"  \n<html><body>x</body></html>"),
        ("side.eml", b"<!-- a comment starts a page -->"),
        ("teikning.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
        ("teikning.txt", b'<?xml version="1.0"?><svg/>'),
        ("side.txt", codecs.BOM_UTF16_LE + "<html><script>".encode("utf-16-le")),
        ("side.txt", codecs.BOM_UTF8 + b"<script>alert(1)</script>"),
        ("bilete.jpg", PNG),
        ("bilete.png", JPEG),
        ("brev.docx", PDF),
        ("brev.doc", docx()),
        ("brev.xlsx", OLE),
        ("program.txt", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"),
        ("program.pdf", b"\x7fELF\x02\x01\x01\x00"),
        ("binar.txt", bytes(range(1, 32)) * 10),
    ],
)
def test_content_that_does_not_match_its_suffix_is_refused(name: str, content: bytes):
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(name, content))
    assert f"«{name}»" in caught.value.messages[0]
    assert "er ikkje ei" in caught.value.messages[0]


@pytest.mark.parametrize("suffix", [".html", ".htm", ".svg", ".xml", ".js", ".xhtml"])
def test_page_types_are_refused_even_when_an_operator_allows_them(settings, suffix: str):
    settings.TENESTETORGET = {
        **settings.TENESTETORGET,
        "ALLOWED_ATTACHMENT_TYPES": [".pdf", suffix],
    }
    with pytest.raises(ValidationError):
        validate_upload(upload(f"side{suffix}", b"harmless words"))


def test_a_suffix_an_operator_adds_is_checked_by_its_signature(settings):
    settings.TENESTETORGET = {
        **settings.TENESTETORGET,
        "ALLOWED_ATTACHMENT_TYPES": [".pdf", ".gif", ".mp3"],
    }
    assert validate_upload(upload("a.gif", b"GIF89a" + b"\x00" * 20)).content_type == "image/gif"
    assert validate_upload(upload("a.mp3", b"ID3\x03" + b"\x00" * 20)).content_type == "audio/mpeg"
    with pytest.raises(ValidationError):
        validate_upload(upload("a.mp3", PDF))


def test_an_unlisted_suffix_is_refused_with_the_allowed_types():
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload("virus.exe", b"MZ"))
    assert "Tillatne typar: .pdf" in caught.value.messages[0]


def test_the_check_leaves_the_file_at_its_start():
    file = upload("skjema.pdf", PDF)
    file.read(3)
    validate_upload(file)
    assert file.read() == PDF


@pytest.mark.parametrize(
    "head",
    [b"<p>", b"<P >", b"\t\n <HTML", b"<a href=x>", b"<br/>", b"<!doctype HTML>", b"<svg"],
)
def test_markup_starts(head: bytes):
    assert looks_like_markup(head)


@pytest.mark.parametrize(
    "head", [b"<pre", b"<abc>", b"1 < 2", b"Hei <p>", b"", b"%PDF-1.4", PNG, b"<appendix>"]
)
def test_not_markup(head: bytes):
    assert not looks_like_markup(head)


def test_plain_text_sniff():
    assert is_plain_text("Æ, ø og å\r\n".encode())
    assert is_plain_text("Æ, ø og å".encode("cp1252"))
    assert not is_plain_text(b"abc\x00def")
    assert not is_plain_text(PDF)
    assert checked_type(".txt", b"ID3\x03\x00") is None  # a binary format filetype knows


# --- sizes and counts -------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.TENESTETORGET = {**settings.TENESTETORGET, "MAX_ATTACHMENT_BYTES": 10}
    with pytest.raises(ValidationError, match=re.escape("«stor.pdf» er for stor")):
        validate_upload(upload("stor.pdf", PDF))


def test_a_file_the_handler_refused_as_too_large_is_refused_with_its_name():
    refused = RefusedUpload("video.pdf", "video/mp4", 60_000_000, Refusal.TOO_LARGE, None)
    with pytest.raises(
        ValidationError, match=re.escape("«video.pdf» er for stor. Største storleik er 10 MB")
    ):
        validate_upload(refused)


def test_one_file_too_many_is_refused_as_a_count(settings):
    settings.TENESTETORGET = {**settings.TENESTETORGET, "MAX_ATTACHMENTS": 2}
    files = [upload(f"{n}.pdf", PDF) for n in range(2)]
    assert len(validate_uploads(files)) == 2
    extra = RefusedUpload("3.pdf", "application/pdf", 0, Refusal.TOO_MANY, None)
    with pytest.raises(ValidationError, match="høgst 2 filer"):
        validate_uploads([*files, extra])
    with pytest.raises(ValidationError, match="høgst 2 filer"):
        validate_uploads([*files, upload("3.pdf", PDF)])
    # Alone (a form with one file field), it says the same.
    with pytest.raises(ValidationError, match="høgst 2 filer"):
        validate_upload(extra)


def test_every_bad_file_is_named_at_once():
    with pytest.raises(ValidationError) as caught:
        validate_uploads([upload("a.exe", b"MZ"), upload("b.pdf", HTML), upload("c.pdf", PDF)])
    assert len(caught.value.messages) == 2
