"""Uploads that must not become pages (issue 8, points 1 and 2), from the public side: the
long file name of the security test through an editor's page and the contact form, how files
are served, and the contact form's limits kept while the request is read."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tenestetorget.contact.models import Attachment, Inquiry
from tenestetorget.core.document_backfill import move_into_store
from tenestetorget.core.uploads import MAX_NAME
from tenestetorget.knowledge.models import Article, ArticleAttachment
from tenestetorget.organisation.models import Role, StaffProfile, Unit
from tenestetorget.portal.tests.test_knowledge_pages import knowledge

__all__ = ["knowledge"]  # the fixture, used by name

pytestmark = pytest.mark.django_db

LONG_NAME = "a" * 195 + ".html" + "b" * 20 + ".pdf"
HTML = b"<html><body><script>fetch('/tenestetorget/').then(r=>r.text())</script></body></html>"
PDF = b"%PDF-1.4\n% skjema\n"
FILE_CSP = "sandbox; default-src 'none'"


def editor(unit: str = "teknisk") -> Any:
    user = get_user_model().objects.create_user("tove", password="pw")
    StaffProfile.objects.create(user=user, unit=Unit.objects.get(code=unit), role=Role.CASE_OFFICER)
    return user


def editor_client() -> Client:
    client = Client()
    client.force_login(editor())
    return client


def add_file(client: Client, name: str, content: bytes, title: str = "Skjema") -> Any:
    return client.post(
        "/tenestetorget/kunnskap/vasslekkasje/vedlegg/",
        {"title": title, "file": SimpleUploadedFile(name, content, "application/pdf")},
    )


def assert_file_headers(response: Any) -> None:
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == FILE_CSP


# --- point 1: the security test's file ----------------------------------------------------------


def test_an_editor_cannot_publish_an_html_page_under_a_long_name(knowledge: Any):
    response = add_file(editor_client(), LONG_NAME, HTML)
    assert response.status_code == 400
    assert "er ikkje ei PDF-fil" in response.content.decode()
    assert not ArticleAttachment.objects.filter(article__slug="vasslekkasje").exists()


def test_a_long_pdf_name_is_stored_and_served_as_a_pdf(knowledge: Any):
    response = add_file(editor_client(), LONG_NAME, PDF)
    assert response.status_code == 302
    attachment = ArticleAttachment.objects.get(article__slug="vasslekkasje")
    assert attachment.original_name.endswith(".pdf")
    assert len(attachment.original_name) == MAX_NAME
    assert attachment.stored_file is not None
    assert attachment.stored_file.storage_name.endswith(".pdf")
    assert attachment.content_type == "application/pdf"
    served = Client().get(f"/vedlegg/{attachment.pk}/{attachment.original_name}")
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("inline;")
    assert_file_headers(served)


def test_the_contact_form_refuses_an_html_file_under_a_long_name(contact_form, organisation):
    upload = SimpleUploadedFile(LONG_NAME, HTML, "application/pdf")
    response = contact_form.post(attachments=[upload])
    assert response.status_code == 200
    html = response.content.decode()
    assert "er ikkje ei PDF-fil" in html
    assert 'value="Snøskuterløyve til hytta"' in html
    assert Inquiry.objects.count() == 0


def test_a_contact_form_file_keeps_its_checked_suffix_and_type(contact_form, organisation):
    upload = SimpleUploadedFile(LONG_NAME, PDF, "text/html")
    assert contact_form.post(attachments=[upload]).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name.endswith(".pdf")
    assert attachment.content_type == "application/pdf"  # not what the browser claimed


# --- serving ----------------------------------------------------------------------------------


def _stored_before_the_check(name: str, content: bytes) -> ArticleAttachment:
    """A file stored by the old code, which trusted the suffix and the browser's type."""
    article = Article.objects.get(slug="vasslekkasje")
    attachment = ArticleAttachment(
        article=article,
        title="Gammal",
        original_name=name,
        content_type="text/html",
        size=len(content),
        uploaded_at=timezone.now(),
    )
    attachment.file.save(name, ContentFile(content), save=True)
    # Moved into the document store as the migration does (core.document_backfill).
    move_into_store(apps, "knowledge", "ArticleAttachment")
    attachment.refresh_from_db()
    return attachment


def test_an_old_html_file_is_served_as_a_sandboxed_download(knowledge: Any):
    attachment = _stored_before_the_check("a" * 195 + ".html", HTML)
    response = Client().get(f"/vedlegg/{attachment.pk}/{attachment.original_name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert_file_headers(response)


def test_a_pdf_whose_content_is_html_is_not_shown_as_a_pdf(knowledge: Any):
    attachment = _stored_before_the_check("skjema.pdf", HTML)
    response = Client().get(f"/vedlegg/{attachment.pk}/skjema.pdf")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("name", "content", "mime", "inline"),
    [
        ("skjema.pdf", PDF, "application/pdf", True),
        ("kart.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, "image/png", True),
        ("foto.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 16, "image/jpeg", True),
        ("prisar.csv", "namn;pris\nløyve;100\n".encode(), "text/csv", False),
        (
            "brev.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            "application/msword",
            False,
        ),
    ],
)
def test_only_pdf_and_images_are_shown_in_the_browser(
    knowledge: Any, name: str, content: bytes, mime: str, inline: bool
):
    assert add_file(editor_client(), name, content).status_code == 302
    attachment = ArticleAttachment.objects.get(original_name=name)
    response = Client().get(f"/vedlegg/{attachment.pk}/{name}")
    assert response["Content-Type"] == mime
    disposition = "inline;" if inline else "attachment;"
    assert response["Content-Disposition"].startswith(disposition)
    assert_file_headers(response)
    assert response.getvalue() == content


# --- point 2: limits while the request is read -------------------------------------------------


def _assert_kept(html: str) -> None:
    assert 'value="Kari Nordmann"' in html
    assert 'value="Snøskuterløyve til hytta"' in html
    assert "Kan eg få løyve til å køyre ved til hytta?</textarea>" in html


def test_a_file_far_over_the_limit_gets_the_forms_own_message(contact_form, organisation, settings):
    settings.TENESTETORGET = {**settings.TENESTETORGET, "MAX_ATTACHMENT_BYTES": 64 * 1024}
    video = SimpleUploadedFile("ferie.pdf", PDF + b"0" * (2 * 1024 * 1024), "application/pdf")
    response = contact_form.post(attachments=[video])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fila «ferie.pdf» er for stor." in html
    assert 'id="id_attachments_lost"' in html  # "choose the files again"
    _assert_kept(html)
    assert Inquiry.objects.count() == 0


def test_too_many_files_get_the_forms_own_message(contact_form, organisation, settings):
    settings.TENESTETORGET = {**settings.TENESTETORGET, "MAX_ATTACHMENTS": 3}
    files = [SimpleUploadedFile(f"side{n}.pdf", PDF) for n in range(120)]
    response = contact_form.post(attachments=files)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'id="id_attachments_error">.*?høgst 3 filer', html, re.S)
    _assert_kept(html)
    assert Inquiry.objects.count() == 0
