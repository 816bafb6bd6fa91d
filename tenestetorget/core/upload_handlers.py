"""Limits on uploads that hold while the request is read, not after.

Django keeps every uploaded byte (in memory, then in a temporary file) before a form sees the
file, so a 60 MB file would be received in full before "too large" could be said; and too
many files make Django refuse the whole request with a bare 400, losing what was typed.

`AttachmentLimitHandler` comes first in FILE_UPLOAD_HANDLERS. It passes a file's bytes on to
Django's own handlers until the file passes MAX_ATTACHMENT_BYTES, and from then on drops
them; it drops the files beyond MAX_ATTACHMENTS unread. In place of such a file the form gets
a `RefusedUpload` (a name, a size and the reason, no content), so the upload check
(core.uploads) puts the message next to the field and the rest of the form stays as typed.

`RequestSizeMiddleware` refuses a body whose Content-Length is beyond anything the limits
allow before any of it is read (HTTP 413 with a page that says what to do). The API is left
to its own error format: Django refuses an API body over DATA_UPLOAD_MAX_MEMORY_SIZE before
reading it, and the API's exception handler answers that in JSON.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopFutureHandlers
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

#: Room for the multipart boundaries and part headers around the files and fields.
MULTIPART_OVERHEAD = 1024 * 1024


class Refusal(StrEnum):
    TOO_LARGE = "too_large"
    TOO_MANY = "too_many"


class RefusedUpload(UploadedFile):
    """A file the upload handler did not keep: its name, the bytes that came, why. It has no
    content; the upload check refuses it with a message."""

    def __init__(
        self, name: str, content_type: str, size: int, refusal: Refusal, charset: str | None
    ) -> None:
        super().__init__(io.BytesIO(), name, content_type, size, charset)
        self.refusal = refusal


def refusal_of(upload: object) -> Refusal | None:
    return upload.refusal if isinstance(upload, RefusedUpload) else None


def _limits() -> tuple[int, int]:
    conf = settings.TENESTETORGET
    return int(conf["MAX_ATTACHMENT_BYTES"]), int(conf["MAX_ATTACHMENTS"])


class AttachmentLimitHandler(FileUploadHandler):
    """See the module's docstring. One instance per request (Django makes them so)."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.files_seen = 0
        self.received = 0
        self.refusal: Refusal | None = None
        #: Whether the next handlers got this file's start (and so hold a partial copy).
        self.passed_on = False

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        max_bytes, max_files = _limits()
        self.files_seen += 1
        self.received = 0
        self.refusal = None
        self.passed_on = False
        if self.files_seen > max_files + 1:
            # One refused file is enough for the form to say "at most N"; the rest are
            # skipped without a trace.
            raise SkipFile
        if self.files_seen > max_files:
            self.refusal = Refusal.TOO_MANY
        elif self.content_length is not None and self.content_length > max_bytes:
            # A client that states the part's size (browsers do not) is refused at once.
            self.refusal = Refusal.TOO_LARGE
        if self.refusal is not None:
            raise StopFutureHandlers
        self.passed_on = True

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.refusal is None and self.received > _limits()[0]:
            self.refusal = Refusal.TOO_LARGE
        # None keeps the chunk from the next handlers: only a file within the limits is kept.
        return raw_data if self.refusal is None else None

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.refusal is None:
            return None  # the next handler's file
        if self.passed_on:
            self._discard_partial_copies()
        return RefusedUpload(
            self.file_name or "",
            self.content_type or "",
            self.received,
            self.refusal,
            self.charset,
        )

    def _discard_partial_copies(self) -> None:
        # The next handlers began this file before it passed the limit; their copy (memory or
        # a temporary file) is never handed out, so close it now rather than at the end.
        handlers = list(getattr(self.request, "upload_handlers", []))
        for handler in handlers[handlers.index(self) + 1 :] if self in handlers else []:
            partial = getattr(handler, "file", None)
            if partial is not None:
                partial.close()


# --- the size of the whole request -----------------------------------------------------------


def request_size_limit(content_type: str) -> int:
    """The largest body any page accepts: every file at its largest, the form's fields and the
    multipart framing; for a body without files, Django's limit for form fields."""
    fields = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    if content_type.startswith("multipart/"):
        max_bytes, max_files = _limits()
        return max_files * max_bytes + fields + MULTIPART_OVERHEAD
    return fields


class RequestSizeMiddleware:
    """Refuses a page's request body that is larger than any form allows, by its
    Content-Length, before it is read (HTTP 413 with a page that says so)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/") or settings.DATA_UPLOAD_MAX_MEMORY_SIZE is None:
            return self.get_response(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > request_size_limit(request.content_type or ""):
            return self.too_large(request)
        return self.get_response(request)

    @staticmethod
    def too_large(request: HttpRequest) -> HttpResponse:
        max_bytes, max_files = _limits()
        staff = request.path.startswith("/tenestetorget/")
        # Back to the page the form was on (a staff action's address takes only POST).
        referer = request.META.get("HTTP_REFERER", "")
        same_site = url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        response = render(
            request,
            "core/request_too_large.html",
            {
                "base_template": "staff_base.html" if staff else "base.html",
                "staff": staff,
                "max_files": max_files,
                "max_mb": max(max_bytes // (1024 * 1024), 1),
                "back_url": referer if referer and same_site else request.path,
            },
            status=413,
        )
        # The body was not read: the connection cannot carry another request.
        response["Connection"] = "close"
        return response
