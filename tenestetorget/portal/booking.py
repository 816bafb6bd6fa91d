"""Public booking pages (utleige). Being written: see the brief."""

from django.http import Http404, HttpRequest, HttpResponse


def index(request: HttpRequest) -> HttpResponse:
    raise Http404


def resource(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404


def mine(request: HttpRequest, token: str) -> HttpResponse:
    raise Http404
