"""The site's URLs and error handlers, plus views that fail or send a file on purpose."""

from __future__ import annotations

import io

from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import path

from tenestetorget.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug the test put here")


def send_file(request: HttpRequest) -> FileResponse:
    return FileResponse(io.BytesIO(b"%PDF-1.7\n"), filename="vedtak.pdf")


urlpatterns = [
    path("test/feil/", fail),
    path("api/v1/test/feil/", fail),
    path("test/fil/", send_file),
    *urlpatterns,
]
