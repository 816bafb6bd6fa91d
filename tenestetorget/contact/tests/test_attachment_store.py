"""Inquiry and article attachments on the one document store: new uploads become a
core.Document, the migration moves the old files there (idempotent, nothing lost), and the
downloads read through the store, checked against the checksum."""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tenestetorget.contact.models import Attachment, Inquiry
from tenestetorget.core import documents
from tenestetorget.core.document_backfill import move_into_store
from tenestetorget.core.models import Document
from tenestetorget.knowledge.models import Article, ArticleAttachment

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
CSV = "namn;pris\nløyve;100\n".encode()

contact_migration = importlib.import_module(
    "tenestetorget.contact.migrations.0008_attachments_into_document_store"
)
knowledge_migration = importlib.import_module(
    "tenestetorget.knowledge.migrations.0009_attachments_into_document_store"
)


def client_for(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def url(attachment: Attachment) -> str:
    return f"/tenestetorget/henvending/{attachment.inquiry.reference}/vedlegg/{attachment.pk}/"


def test_a_new_attachment_is_a_document_in_the_store(register: Callable[..., Inquiry]) -> None:
    inquiry = register(attachments=[SimpleUploadedFile("kart.pdf", PDF, "text/html")])
    attachment = inquiry.attachments.get()
    stored = attachment.stored_file
    assert stored is not None
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (stored.mime_type, stored.pronom, stored.size) == ("application/pdf", "fmt/18", len(PDF))
    assert (attachment.original_name, attachment.content_type) == ("kart.pdf", "application/pdf")
    assert not attachment.file  # nothing in the old place
    # The same file sent again is the same document.
    again = register(attachments=[SimpleUploadedFile("same.pdf", PDF, "application/pdf")])
    assert again.attachments.get().stored_file == stored
    assert Document.objects.count() == 1


def test_staff_download_through_the_store(
    register: Callable[..., Inquiry], staff: dict[str, Any]
) -> None:
    inquiry = register(
        attachments=[
            SimpleUploadedFile("kart.pdf", PDF, "application/pdf"),
            SimpleUploadedFile("prisar.csv", CSV, "text/csv"),
        ]
    )
    pdf, csv = inquiry.attachments.order_by("pk")
    client = client_for(staff["front"])
    shown = client.get(url(pdf))
    assert shown.status_code == 200
    assert shown.getvalue() == PDF
    assert shown["Content-Type"] == "application/pdf"
    assert shown["Content-Disposition"].startswith("inline;")
    assert shown["Content-Length"] == str(len(PDF))
    assert shown["X-Content-Type-Options"] == "nosniff"
    assert shown["Content-Security-Policy"] == "sandbox; default-src 'none'"
    saved = client.get(url(csv))
    assert saved["Content-Disposition"].startswith("attachment;")
    assert saved.getvalue() == CSV
    # Only those who may see the inquiry.
    assert client_for(staff["builder"]).get(url(pdf)).status_code == 404


def test_a_changed_file_is_not_served(
    register: Callable[..., Inquiry], staff: dict[str, Any]
) -> None:
    inquiry = register(attachments=[SimpleUploadedFile("kart.pdf", PDF, "application/pdf")])
    attachment = inquiry.attachments.get()
    assert attachment.stored_file is not None
    name = attachment.stored_file.storage_name
    storage = documents.storage()
    storage.delete(name)
    storage.save(name, ContentFile(PDF.replace(b"1.4", b"1.7")))
    response = client_for(staff["front"]).get(url(attachment))
    assert response.status_code == 500
    assert PDF[:8] not in response.content


# --- the migration ---------------------------------------------------------------------------


def _old_attachment(inquiry: Inquiry, name: str, content: bytes) -> Attachment:
    """An attachment as the code before the document store kept it: in its own FileField."""
    attachment = Attachment(
        inquiry=inquiry, original_name=name, content_type="text/html", size=len(content)
    )
    attachment.file.save(name, ContentFile(content), save=True)
    return attachment


def test_the_migration_moves_old_files_into_the_store_once(
    register: Callable[..., Inquiry], staff: dict[str, Any]
) -> None:
    inquiry = register()
    pdf = _old_attachment(inquiry, "søknad.pdf", PDF)
    csv = _old_attachment(inquiry, "prisar.csv", CSV)
    twin = _old_attachment(inquiry, "kopi.pdf", PDF)
    lost = _old_attachment(inquiry, "borte.pdf", PDF + b"% lost\n")
    lost.file.storage.delete(lost.file.name or "")

    contact_migration.forwards(apps, None)

    for row in (pdf, csv, twin, lost):
        row.refresh_from_db()
    assert pdf.stored_file is not None and csv.stored_file is not None
    assert pdf.stored_file.sha256 == hashlib.sha256(PDF).hexdigest()
    assert pdf.stored_file.mime_type == "application/pdf"  # from the content, not the row
    assert csv.stored_file.mime_type == "text/csv"
    assert documents.read_verified(csv.stored_file) == CSV
    assert twin.stored_file == pdf.stored_file  # same content, one document
    assert lost.stored_file is None
    # The old files stay for one release.
    assert pdf.file.storage.exists(pdf.file.name or "")

    before = list(Document.objects.values_list("pk", "sha256"))
    report = move_into_store(apps, "contact", "Attachment")
    assert (report.moved, report.reused) == (0, 0)
    assert report.missing == [lost.file.name]
    assert list(Document.objects.values_list("pk", "sha256")) == before

    client = client_for(staff["front"])
    response = client.get(url(pdf))
    assert response.status_code == 200
    assert response.getvalue() == PDF
    assert client.get(url(lost)).status_code == 404


def test_the_migration_picks_up_a_file_an_earlier_run_wrote(
    register: Callable[..., Inquiry],
) -> None:
    """A run that stopped after writing a file but before its row: the next run uses it."""
    attachment = _old_attachment(register(), "søknad.pdf", PDF)
    digest = hashlib.sha256(PDF).hexdigest()
    left = f"documents/{digest[:2]}/{digest}.pdf"
    documents.storage().save(left, ContentFile(PDF))
    contact_migration.forwards(apps, None)
    attachment.refresh_from_db()
    assert attachment.stored_file is not None
    assert attachment.stored_file.storage_name == left


def test_the_knowledge_migration_moves_article_files(org: dict[str, Any]) -> None:
    article = Article.objects.create(
        slug="skjema", owner=org["units"]["teknisk"], review_date=timezone.localdate()
    )
    old = ArticleAttachment(
        article=article,
        title="Skjema",
        original_name="skjema.pdf",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_at=timezone.now(),
    )
    old.file.save("skjema.pdf", ContentFile(PDF), save=True)
    knowledge_migration.forwards(apps, None)
    old.refresh_from_db()
    assert old.stored_file is not None
    assert documents.read_verified(old.stored_file) == PDF


@pytest.mark.parametrize("name", ["a.html", "b.pdf"])
def test_an_old_file_that_fails_todays_check_is_kept_as_an_unknown_type(
    register: Callable[..., Inquiry], name: str
) -> None:
    attachment = _old_attachment(register(), name, b"<html><script>alert(1)</script></html>")
    contact_migration.forwards(apps, None)
    attachment.refresh_from_db()
    assert attachment.stored_file is not None
    assert attachment.stored_file.mime_type == "application/octet-stream"
