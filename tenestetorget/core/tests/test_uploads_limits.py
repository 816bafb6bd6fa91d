"""Limits that hold while a request is read (core.upload_handlers): Django's real multipart
parser with the handlers from settings, fed real multipart bodies."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.test import Client, RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT

from tenestetorget.core.upload_handlers import (
    AttachmentLimitHandler,
    Refusal,
    RefusedUpload,
    refusal_of,
    request_size_limit,
)

PDF = b"%PDF-1.4\n"


class Recorder(FileUploadHandler):
    """Put after the limit handler: counts the bytes it is handed, as Django's handlers that
    keep them (memory, temporary file) would be."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.kept = 0
        self.largest = 0
        self.current = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.current = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.kept += len(raw_data)
        self.current += len(raw_data)
        self.largest = max(self.largest, self.current)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def parsed(data: dict[str, Any]) -> tuple[Any, Recorder]:
    request = RequestFactory().post("/kontakt/", data)
    recorder = Recorder(request)
    assert isinstance(request.upload_handlers[0], AttachmentLimitHandler)
    request.upload_handlers.insert(1, recorder)
    request.POST  # noqa: B018 - parses the body
    return request, recorder


def test_a_file_past_the_size_limit_is_not_kept(settings):
    limit = 100 * 1024
    settings.TENESTETORGET = {**settings.TENESTETORGET, "MAX_ATTACHMENT_BYTES": limit}
    big = SimpleUploadedFile("video.pdf", PDF + b"0" * (3 * 1024 * 1024))
    request, recorder = parsed({"subject": "Film", "attachments": [big], "body": "Sjå filmen"})
    (refused,) = request.FILES.getlist("attachments")
    assert isinstance(refused, RefusedUpload)
    assert refused.refusal == Refusal.TOO_LARGE
    assert refused.size == big.size  # counted, not kept
    assert refused.read() == b""
    assert recorder.largest <= limit
    # The fields before and after the file are read.
    assert request.POST["subject"] == "Film"
    assert request.POST["body"] == "Sjå filmen"


def test_files_within_the_limit_are_kept_whole(settings):
    settings.TENESTETORGET = {**settings.TENESTETORGET, "MAX_ATTACHMENT_BYTES": 100 * 1024}
    content = PDF + b"1" * (100 * 1024 - len(PDF))  # exactly at the limit
    request, _recorder = parsed({"attachments": [SimpleUploadedFile("ok.pdf", content)]})
    (kept,) = request.FILES.getlist("attachments")
    assert not isinstance(kept, RefusedUpload)
    assert kept.read() == content


def test_files_past_the_count_are_not_read_and_one_stands_for_them(settings):
    settings.TENESTETORGET = {**settings.TENESTETORGET, "MAX_ATTACHMENTS": 2}
    files = [SimpleUploadedFile(f"{n}.pdf", PDF + b"x" * 1000) for n in range(150)]
    request, recorder = parsed({"subject": "Mange", "attachments": files, "body": "Tekst"})
    got = request.FILES.getlist("attachments")
    assert [f.name for f in got] == ["0.pdf", "1.pdf", "2.pdf"]
    assert isinstance(got[2], RefusedUpload)
    assert got[2].refusal == Refusal.TOO_MANY
    assert recorder.kept == 2 * (len(PDF) + 1000)
    assert request.POST["subject"] == "Mange"
    assert request.POST["body"] == "Tekst"


def test_a_part_that_states_its_size_is_refused_before_its_bytes(settings):
    settings.TENESTETORGET = {**settings.TENESTETORGET, "MAX_ATTACHMENT_BYTES": 10}
    body = (
        (
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="attachments"; filename="a.pdf"\r\n'
            "Content-Type: application/pdf\r\nContent-Length: 5000\r\n\r\n"
        ).encode()
        + b"y" * 5000
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )
    request = RequestFactory().generic("POST", "/kontakt/", body, MULTIPART_CONTENT)
    recorder = Recorder(request)
    request.upload_handlers.insert(1, recorder)
    (refused,) = request.FILES.getlist("attachments")
    assert refusal_of(refused) == Refusal.TOO_LARGE
    assert recorder.kept == 0


# --- the whole request --------------------------------------------------------------------------


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the body was read")

    readinto = read  # type: ignore[assignment]


def _huge_post(path: str, content_type: str = MULTIPART_CONTENT, **extra: Any) -> Any:
    """A POST through every middleware that says it carries one byte more than the limit."""
    environ: dict[str, Any] = {
        "CONTENT_LENGTH": str(request_size_limit(content_type) + 1),
        "wsgi.input": Unreadable(),
        **extra,
    }
    response = Client().generic("POST", path, b"x", content_type, **environ)
    return response.status_code, response, response.content.decode()


@pytest.mark.django_db
def test_a_body_beyond_every_limit_is_refused_unread_with_a_page():
    status, response, html = _huge_post("/kontakt/")
    assert status == 413
    assert response["Content-Type"].startswith("text/html")
    assert "For mykje på ein gong" in html
    assert "høgst 10 filer" in html
    assert "høgst 10 MB" in html
    assert 'href="/kontakt/"' in html


@pytest.mark.django_db
def test_a_staff_form_beyond_every_limit_links_back_to_its_page():
    status, _response, html = _huge_post(
        "/tenestetorget/henvending/2026-000001/vedlegg/",
        HTTP_REFERER="http://testserver/tenestetorget/henvending/2026-000001/",
    )
    assert status == 413
    assert 'href="http://testserver/tenestetorget/henvending/2026-000001/"' in html


@pytest.mark.django_db
def test_a_form_without_files_is_held_to_the_form_limit():
    status, _response, _html = _huge_post("/kontakt/", "application/x-www-form-urlencoded")
    assert status == 413


def test_the_limit_allows_every_file_at_its_largest(settings):
    conf = settings.TENESTETORGET
    assert request_size_limit(MULTIPART_CONTENT) > (
        conf["MAX_ATTACHMENTS"] * conf["MAX_ATTACHMENT_BYTES"]
        + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    )
