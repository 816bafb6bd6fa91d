"""The document store (core.documents): checksums written on store and checked on read, one
Document per content, immutable; and the archival PDF/A variant made by the real converters
(Ghostscript, img2pdf, LibreOffice) from PDF, images and office files."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from tenestetorget.core import documents, pdfa, tasks
from tenestetorget.core.models import (
    ConversionStatus,
    Document,
    DocumentImmutable,
    DocumentVariant,
)

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture(autouse=True)
def _nynorsk() -> Any:
    with translation.override("nn"):
        yield


def minimal_pdf(text: str = "Tenestetorget") -> bytes:
    """A small, well-formed PDF with one page of text, its cross-reference table computed."""
    stream = f"BT /F1 24 Tf 40 100 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def png(width: int = 64, height: int = 48, alpha: bool = False) -> bytes:
    """A real RGB or RGBA PNG, built by hand (no imaging library in the project)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    pixel = bytes([200, 30, 30, 128]) if alpha else bytes([200, 30, 30])
    rows = b"".join(b"\x00" + pixel * width for _ in range(height))
    colour_type = 6 if alpha else 2
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, colour_type, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def jpeg(tmp_path: Path) -> bytes:
    """A real JPEG, rendered from the PDF by Ghostscript."""
    source = tmp_path / "page.pdf"
    source.write_bytes(minimal_pdf())
    target = tmp_path / "page.jpg"
    gs = shutil.which("gs")
    assert gs, "Ghostscript is installed by `make archive-deps`"
    arguments = ["-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=jpeg", "-r20"]
    subprocess.run(  # noqa: S603 - the installed gs, our own arguments
        [gs, *arguments, f"-sOutputFile={target}", str(source)], check=True
    )
    return target.read_bytes()


def docx(text: str = "Eit brev til arkivet") -> bytes:
    """A minimal but complete Word document (what LibreOffice needs to open one)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def on_disk(document: Document) -> Path:
    return Path(settings.MEDIA_ROOT) / document.storage_name


@pytest.fixture
def without_libreoffice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A PATH with Ghostscript and img2pdf but no LibreOffice, as on a server without it."""
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in ("gs", "img2pdf"):
        found = shutil.which(tool)
        assert found, f"{tool} is installed by `make archive-deps`"
        (tools / tool).symlink_to(found)
    monkeypatch.setenv("PATH", str(tools))
    return tools


def needs_libreoffice() -> None:
    if pdfa.soffice() is None:
        message = "needs LibreOffice (`make office-deps` installs it)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


# --- storing and reading ---------------------------------------------------------------------


def test_a_stored_document_reads_back_with_its_checksum_and_format():
    content = minimal_pdf()
    document = documents.store(ContentFile(content), "søknad.pdf")

    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    assert document.mime_type == "application/pdf"
    assert document.pronom == "fmt/18"  # PDF 1.4
    assert on_disk(document).read_bytes() == content
    assert documents.read_verified(document) == content


def test_a_file_changed_on_disk_is_refused_when_read_with_a_clear_error():
    document = documents.store(ContentFile(minimal_pdf()), "vedtak.pdf")
    on_disk(document).write_bytes(minimal_pdf("Forfalska"))

    with pytest.raises(documents.DocumentCorrupted) as refused:
        documents.read_verified(document)
    assert "endra eller skadd" in str(refused.value)
    assert document.sha256 in str(refused.value)
    with pytest.raises(documents.DocumentCorrupted):
        documents.verify(document)


def test_a_file_missing_from_the_store_is_refused_too():
    document = documents.store(ContentFile(minimal_pdf()), "vedtak.pdf")
    on_disk(document).unlink()
    with pytest.raises(documents.DocumentCorrupted, match="manglar i lageret"):
        documents.verify(document)


def test_the_same_content_stored_twice_is_one_document():
    first = documents.store(ContentFile(minimal_pdf()), "a.pdf")
    second = documents.store(ContentFile(minimal_pdf()), "b.pdf")
    assert first.pk == second.pk
    assert Document.objects.count() == 1
    assert len(list(on_disk(first).parent.iterdir())) == 1


def test_the_upload_check_is_applied():
    with pytest.raises(ValidationError):
        documents.store(ContentFile(b"<html><script>x</script></html>"), "side.pdf")
    assert Document.objects.count() == 0


def test_a_rolled_back_store_leaves_no_file():
    with pytest.raises(RuntimeError), transaction.atomic():
        document = documents.store(ContentFile(minimal_pdf()), "a.pdf")
        path = on_disk(document)
        assert path.exists()
        raise RuntimeError
    assert not path.exists()


def test_a_stored_document_cannot_be_changed():
    document = documents.store(ContentFile(minimal_pdf()), "a.pdf")
    document.sha256 = "0" * 64
    with pytest.raises(DocumentImmutable):
        document.save()
    with pytest.raises(DocumentImmutable):
        Document.objects.filter(pk=document.pk).update(size=1)
    document.refresh_from_db()
    document.save()  # unchanged: allowed, and writes nothing


def test_a_document_nothing_refers_to_is_deleted_with_its_file(
    django_capture_on_commit_callbacks,
):
    document = documents.store(ContentFile(minimal_pdf()), "a.pdf")
    path = on_disk(document)
    with django_capture_on_commit_callbacks(execute=True):
        document.delete()
    assert not Document.objects.exists()
    assert not path.exists()


def test_a_document_cannot_be_deleted_while_referred_to():
    document = documents.store(ContentFile(minimal_pdf()), "a.pdf")
    DocumentVariant.objects.create(original=document, conversion_status=ConversionStatus.WAITING)
    with pytest.raises(DocumentImmutable, match=r"core\.DocumentVariant"):
        document.delete()
    assert Document.objects.filter(pk=document.pk).exists()


# --- the archival variant --------------------------------------------------------------------


def assert_archival_pdfa(variant: DocumentVariant, original_content: bytes) -> None:
    variant.refresh_from_db()
    assert variant.conversion_status == ConversionStatus.DONE, variant.conversion_reason
    assert variant.document is not None
    made = documents.read_verified(variant.document)
    assert made.startswith(b"%PDF-")
    assert pdfa.declared_pdfa_part(made) == 2
    assert variant.document.pronom == "fmt/477"
    assert "ghostscript" in variant.converter
    # The original is kept as it was.
    assert documents.read_verified(variant.original) == original_content


def test_finalising_a_pdf_makes_a_pdfa_variant_and_keeps_the_original(
    django_capture_on_commit_callbacks,
):
    content = minimal_pdf()
    document = documents.store(ContentFile(content), "brev.pdf")
    assert pdfa.declared_pdfa_part(content) is None

    # The task is queued when the transaction commits; in the tests it runs at once.
    with django_capture_on_commit_callbacks(execute=True):
        variant = documents.finalise(document)

    assert_archival_pdfa(variant, content)
    # Asking again, or the task running twice, makes nothing new.
    made = variant.document_id
    with django_capture_on_commit_callbacks(execute=True):
        assert documents.finalise(document).pk == variant.pk
    assert tasks.make_archival_variant.call(variant.pk) == ConversionStatus.DONE
    variant.refresh_from_db()
    assert variant.document_id == made
    assert Document.objects.count() == 2  # the original and its one archival variant
    assert tasks.make_archival_variant.call(variant.pk + 1000) == ""


@pytest.mark.parametrize("alpha", [False, True], ids=["rgb", "transparent"])
def test_a_png_becomes_pdfa(alpha):
    content = png(alpha=alpha)
    document = documents.store(ContentFile(content), "skjermbilete.png")
    assert_archival_pdfa(documents.make_archival_variant(document), content)


def test_a_jpeg_becomes_pdfa(tmp_path):
    content = jpeg(tmp_path)
    document = documents.store(ContentFile(content), "foto.jpg")
    assert_archival_pdfa(documents.make_archival_variant(document), content)


def test_a_tampered_original_fails_the_conversion_with_the_reason():
    document = documents.store(ContentFile(minimal_pdf()), "brev.pdf")
    on_disk(document).write_bytes(minimal_pdf("Forfalska"))
    variant = documents.make_archival_variant(document)
    assert variant.conversion_status == ConversionStatus.FAILED
    assert "endra eller skadd" in variant.conversion_reason
    assert variant.document is None


def test_a_type_without_a_converter_is_reported_in_the_queue():
    document = documents.store(ContentFile(b"From: a@b.no\nSubject: Hei\n\nHei.\n"), "e.eml")
    variant = documents.make_archival_variant(document)
    assert variant.conversion_status == ConversionStatus.FAILED
    assert "message/rfc822" in variant.conversion_reason
    assert list(documents.conversion_queue()) == [variant]


def test_an_office_file_waits_in_the_queue_without_libreoffice(
    without_libreoffice, django_capture_on_commit_callbacks
):
    content = docx()
    document = documents.store(ContentFile(content), "brev.docx")

    with django_capture_on_commit_callbacks(execute=True):
        variant = documents.finalise(document)

    variant.refresh_from_db()
    assert variant.conversion_status == ConversionStatus.WAITING
    assert "LibreOffice" in variant.conversion_reason
    assert variant.document is None
    assert list(documents.conversion_queue()) == [variant]
    assert documents.read_verified(document) == content
    listed = io.StringIO()
    call_command("documents", "queue", stdout=listed)
    assert "waiting" in listed.getvalue()
    assert "LibreOffice" in listed.getvalue()


def test_an_office_file_becomes_pdfa_with_libreoffice(django_capture_on_commit_callbacks):
    needs_libreoffice()
    content = docx()
    document = documents.store(ContentFile(content), "brev.docx")
    with django_capture_on_commit_callbacks(execute=True):
        variant = documents.finalise(document)
    assert_archival_pdfa(variant, content)
    assert list(documents.conversion_queue()) == []


def test_convert_waiting_converts_the_queue_once_libreoffice_is_there(
    without_libreoffice, monkeypatch, django_capture_on_commit_callbacks
):
    document = documents.store(ContentFile(docx()), "brev.docx")
    with django_capture_on_commit_callbacks(execute=True):
        variant = documents.finalise(document)
    variant.refresh_from_db()
    assert variant.conversion_status == ConversionStatus.WAITING

    monkeypatch.undo()  # LibreOffice is installed now (if this machine has it)
    needs_libreoffice()
    out = io.StringIO()
    call_command("documents", "convert-waiting", stdout=out)

    variant.refresh_from_db()
    assert variant.conversion_status == ConversionStatus.DONE, variant.conversion_reason
    assert "1 done" in out.getvalue()
    assert list(documents.conversion_queue()) == []
