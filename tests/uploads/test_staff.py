"""Uploads in the staff pages: the phone note and the inquiry page's "attach files" refuse
too many or too large files next to the field with the rest kept; an article's file keeps its
title; files of inquiries are served with their checked type, sandboxed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tenestetorget.contact.models import Attachment, Inquiry
from tenestetorget.contact.tests.conftest import make_user, org, register, staff
from tenestetorget.contact.tests.test_views import PHONE_NOTE
from tenestetorget.core import documents

__all__ = ["make_user", "org", "register", "staff"]  # fixtures, used by name

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% notat\n"
HTML = b"<html><script>alert(1)</script></html>"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_phone_note_refuses_too_many_files_and_keeps_the_rest(staff: Any, settings: Any):
    settings.TENESTETORGET = {**settings.TENESTETORGET, "MAX_ATTACHMENTS": 2}
    files = [SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(5)]
    response = client_for(staff["front"]).post(
        "/tenestetorget/ny/", {**PHONE_NOTE, "attachments": files}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Du kan leggje ved høgst 2 filer." in html
    assert 'value="Kari Nordmann"' in html
    assert "Ringde om vatn i kjellaren på hytta.</textarea>" in html
    assert Inquiry.objects.count() == 0


def test_the_phone_note_refuses_a_file_over_the_limit(staff: Any, settings: Any):
    settings.TENESTETORGET = {**settings.TENESTETORGET, "MAX_ATTACHMENT_BYTES": 64 * 1024}
    big = SimpleUploadedFile("skanna.pdf", PDF + b"0" * (1024 * 1024))
    response = client_for(staff["front"]).post(
        "/tenestetorget/ny/", {**PHONE_NOTE, "attachments": [big]}
    )
    html = response.content.decode()
    assert "Fila «skanna.pdf» er for stor." in html
    assert 'value="Vatn i kjellaren"' in html
    assert Inquiry.objects.count() == 0


def test_attaching_too_large_a_file_to_an_inquiry_says_so_in_its_panel(
    register: Any, staff: Any, settings: Any
):
    settings.TENESTETORGET = {**settings.TENESTETORGET, "MAX_ATTACHMENT_BYTES": 64 * 1024}
    inquiry = register()
    big = SimpleUploadedFile("skanna.pdf", PDF + b"0" * (1024 * 1024))
    response = client_for(staff["front"]).post(
        f"/tenestetorget/henvending/{inquiry.reference}/vedlegg/", {"attach-uploads": [big]}
    )
    assert response.status_code == 400
    assert "Fila «skanna.pdf» er for stor." in response.content.decode()
    assert not inquiry.attachments.exists()


def test_attaching_nothing_is_refused(register: Any, staff: Any):
    inquiry = register()
    response = client_for(staff["front"]).post(
        f"/tenestetorget/henvending/{inquiry.reference}/vedlegg/", {}
    )
    assert response.status_code == 400
    assert not inquiry.attachments.exists()


def _download(client: Client, attachment: Attachment) -> Any:
    inquiry = attachment.inquiry
    return client.get(f"/tenestetorget/henvending/{inquiry.reference}/vedlegg/{attachment.pk}/")


@pytest.mark.parametrize(
    ("name", "content", "mime", "disposition"),
    [
        ("kart.pdf", PDF, "application/pdf", "inline"),
        ("notat.txt", "Hei på deg".encode(), "text/plain", "attachment"),
    ],
)
def test_staff_get_an_inquirys_file_with_its_checked_type(
    register: Any, staff: Any, name: str, content: bytes, mime: str, disposition: str
):
    # The browser's claim (text/html) is not what is served.
    inquiry = register(attachments=[SimpleUploadedFile(name, content, "text/html")])
    response = _download(client_for(staff["tech"]), inquiry.attachments.get())
    assert response.status_code == 200
    assert response["Content-Type"] == mime
    assert response["Content-Disposition"].startswith(f"{disposition};")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_an_html_file_stored_before_the_check_is_a_sandboxed_download(register: Any, staff: Any):
    # A file that reached the document store as HTML without today's content check (an
    # older release's upload, moved in by the data migration) is still only a download.
    inquiry = register()
    stored = documents._store_checked(ContentFile(HTML), "side.html", "text/html")
    attachment = Attachment.objects.create(
        inquiry=inquiry,
        original_name="side.html",
        content_type="text/html",
        size=len(HTML),
        stored_file=stored,
    )
    response = _download(client_for(staff["tech"]), attachment)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_an_article_file_over_the_limit_keeps_the_title(staff: Any, settings: Any):
    from tenestetorget.knowledge.models import Article, Audience, Kind

    settings.TENESTETORGET = {**settings.TENESTETORGET, "MAX_ATTACHMENT_BYTES": 64 * 1024}
    Article.objects.create(
        slug="vasslekkasje",
        kind=Kind.ARTICLE,
        audience=Audience.PUBLIC,
        owner=staff["tech"].staff_profile.unit,
        review_date="2027-01-01",
    )
    response = client_for(staff["tech"]).post(
        "/tenestetorget/kunnskap/vasslekkasje/vedlegg/",
        {"title": "Kart over leidningane", "file": SimpleUploadedFile("kart.pdf", PDF * 10_000)},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r"Fila «kart.pdf» er for stor", html)
    assert 'value="Kart over leidningane"' in html
