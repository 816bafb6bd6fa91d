"""Scanned paper mail: a letter dropped in the scan folder becomes an inquiry on the letter
channel with the recognised text, the searchable PDF kept as its document; a file that is no
readable scan waits in the quarantine."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tenestetorget.contact.models import Inquiry
from tenestetorget.mailroom.management.commands.mailroom import take_scans
from tenestetorget.mailroom.models import IncomingMessage, State
from tenestetorget.mailroom.tests.test_ocr import image_pdf, letter_pdf, rasterise

pytestmark = pytest.mark.django_db


def test_a_scanned_letter_becomes_a_letter_inquiry(town, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    scan = image_pdf(rasterise(letter_pdf(), work), work)
    folder = tmp_path / "scan"
    folder.mkdir()
    (folder / "brev-001.pdf").write_bytes(scan)
    (folder / "brev-002.pdf").write_bytes(b"%PDF-1.4\nberre tull")
    out = StringIO()
    call_command("mailroom", "import", str(folder), "--scans", stdout=out, stderr=StringIO())
    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    assert summary["read"] == 2 and summary["registered"] == 1 and summary["quarantined"] == 1
    inquiry = Inquiry.objects.get()
    assert inquiry.channel == "letter"
    assert "snøskuter" in inquiry.body.lower()
    attachment = inquiry.attachments.get()
    assert attachment.content_type == "application/pdf"
    broken = IncomingMessage.objects.get(state=State.QUARANTINED)
    assert broken.reason_code == "ocr" and broken.reason


def test_the_scan_folder_is_emptied_only_after_storing(town, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    folder = tmp_path / "scan"
    folder.mkdir()
    (folder / "brev.png").write_bytes(rasterise(letter_pdf(), work))
    assert take_scans(folder) == 1
    assert not (folder / "brev.png").exists()
    assert (folder / "behandla" / "brev.png").exists()
    assert IncomingMessage.objects.get().state == State.REGISTERED
