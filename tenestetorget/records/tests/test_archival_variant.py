"""A finished document gets its arkivformat (A) version, PDF/A made by the real converters
(Ghostscript, img2pdf), and archiving the post waits for it."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from tenestetorget.core import documents, pdfa, tasks
from tenestetorget.core.models import ConversionStatus, DocumentVariant
from tenestetorget.core.models import Document as StoredDocument
from tenestetorget.core.tests.test_documents import minimal_pdf, png
from tenestetorget.records import archival_variant, services
from tenestetorget.records.models import DocumentDescription, DocumentObject, RegistryEntry

pytestmark = pytest.mark.django_db

#: Starts as a PDF (so the upload check takes it) and is nothing Ghostscript can read.
BROKEN_PDF = b"%PDF-1.4\n" + b"this is not a PDF at all\n" * 40


@pytest.fixture(autouse=True)
def _nynorsk() -> Iterator[None]:
    with translation.override("nn"):
        yield


@pytest.fixture
def officer(staff: dict[str, Any]) -> Any:
    return staff["builder"]


@pytest.fixture
def add_file(officer: Any) -> Callable[..., tuple[DocumentDescription, StoredDocument]]:
    """A document of `entry` with one version in P whose file is `content`."""

    def make(
        entry: RegistryEntry, content: bytes, name: str, role: str = "H"
    ) -> tuple[DocumentDescription, StoredDocument]:
        stored = documents.store(ContentFile(content, name=name), actor=officer)
        document = services.add_dokument(entry, name, officer, tilknyttet_registrering_som=role)
        services.add_dokumentobjekt_from_file(document, officer, stored)
        return document, stored

    return make


def archival_of(document: DocumentDescription) -> list[DocumentObject]:
    return list(document.document_objects.filter(variantformat="A"))


def assert_is_the_stored_pdfa(obj: DocumentObject, production: StoredDocument) -> None:
    """The A version points at a stored PDF/A-2 file whose content has the A version's
    checksum and size, and that is not the original."""
    assert obj.stored_file is not None and obj.stored_file != production
    content = documents.read_verified(obj.stored_file)
    assert obj.sjekksum == hashlib.sha256(content).hexdigest() == obj.stored_file.sha256
    assert obj.filstoerrelse == len(content)
    assert obj.format == pdfa.PDFA_2B_PRONOM == "fmt/477"
    assert obj.referanse_dokumentfil == f"DOKUMENT/{obj.sjekksum}.pdf"
    assert obj.versjonsnummer == 1
    assert pdfa.declared_pdfa_part(content) == 2
    assert "ghostscript" in obj.format_detaljer


@contextmanager
def background_work_held(
    capture: Any,
) -> Iterator[list[Callable[[], Any]]]:
    """What finish_dokument queues on commit, kept back: the conversion has not run yet."""
    with capture(execute=False) as callbacks:
        yield callbacks


def test_a_finished_pdf_and_png_get_their_pdfa_versions(
    register: Callable[..., RegistryEntry],
    add_file: Any,
    officer: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    entry = register()
    letter, letter_file = add_file(entry, minimal_pdf("Soknad"), "soknad.pdf")
    photo, photo_file = add_file(entry, png(), "situasjonskart.png", role="V")

    with django_capture_on_commit_callbacks(execute=True):
        services.finish_dokument(letter, officer)
        services.finish_dokument(photo, officer)

    for document, original in ((letter, letter_file), (photo, photo_file)):
        (made,) = archival_of(document)
        assert_is_the_stored_pdfa(made, original)
        assert made.opprettet_av == services.ARCHIVAL_VARIANT_CREATOR
        # The P version is untouched.
        (production,) = document.document_objects.filter(variantformat="P")
        assert production.stored_file == original
        assert production.sjekksum == original.sha256
    assert "img2pdf" in archival_of(photo)[0].format_detaljer

    services.set_journalstatus(entry, "A", officer)
    entry.refresh_from_db()
    assert entry.journalstatus == "A"


def test_archiving_waits_for_the_conversion(
    register: Callable[..., RegistryEntry],
    add_file: Any,
    officer: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    entry = register()
    note, _ = add_file(entry, "Telefonnotat: søkjar ringde.\n".encode(), "notat.txt")
    letter, letter_file = add_file(entry, minimal_pdf(), "brev.pdf", role="V")
    with background_work_held(django_capture_on_commit_callbacks) as queued:
        services.finish_dokument(note, officer)
        services.finish_dokument(letter, officer)

    # Plain text is archival as it is: its A version came at once. The PDF waits.
    assert len(archival_of(note)) == 1
    assert archival_of(letter) == []
    with pytest.raises(ValidationError) as refused:
        services.set_journalstatus(entry, "A", officer)
    assert refused.value.messages == [
        "Arkivformatet (PDF/A) er ikkje klart enno for dokument 2. "
        "Prøv igjen når konverteringa er ferdig."
    ]
    entry.refresh_from_db()
    assert (entry.journalstatus, entry.arkivert_dato) == ("J", None)

    for run in queued:  # the worker gets to it
        run()
    (made,) = archival_of(letter)
    assert_is_the_stored_pdfa(made, letter_file)
    services.set_journalstatus(entry, "A", officer)
    entry.refresh_from_db()
    assert entry.journalstatus == "A" and entry.arkivert_dato is not None


def test_a_broken_pdf_fails_and_archiving_is_refused_until_the_archivist_helps(
    register: Callable[..., RegistryEntry],
    add_file: Any,
    officer: Any,
    staff: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    entry = register()
    letter, _ = add_file(entry, minimal_pdf(), "brev.pdf")
    broken, broken_file = add_file(entry, BROKEN_PDF, "vedlegg.pdf", role="V")
    with django_capture_on_commit_callbacks(execute=True):
        services.finish_dokument(letter, officer)
        services.finish_dokument(broken, officer)

    assert archival_of(broken) == []
    variant = DocumentVariant.objects.get(original=broken_file)
    assert variant.conversion_status == ConversionStatus.FAILED
    assert "Ghostscript" in variant.conversion_reason
    with pytest.raises(ValidationError) as refused:
        services.set_journalstatus(entry, "A", officer)
    (message,) = refused.value.messages
    assert message.startswith("Arkivformatet (PDF/A) kunne ikkje lagast for dokument 2: ")
    assert "Konverteringa feila: Ghostscript failed" in message
    assert message.endswith("Dokumentet står i konverteringskøa til arkivaren.")
    entry.refresh_from_db()
    assert entry.arkivert_dato is None

    # The archivist sees it in the conversion queue ...
    assert list(documents.conversion_queue()) == [variant]
    listed = io.StringIO()
    call_command("documents", "queue", stdout=listed)
    assert "failed" in listed.getvalue() and broken_file.sha256[:12] in listed.getvalue()

    # ... and, with a PDF/A made elsewhere from the paper copy, adds the A version by hand.
    by_hand = documents.make_archival_variant(
        documents.store(ContentFile(minimal_pdf("Kopi"), name="kopi.pdf"))
    )
    assert by_hand.document is not None
    services.add_dokumentobjekt_from_file(
        broken, staff["archivist"], by_hand.document, variantformat="A", versjonsnummer=1
    )
    services.set_journalstatus(entry, "A", officer)
    entry.refresh_from_db()
    assert entry.journalstatus == "A"


def test_a_file_already_archival_is_its_own_archival_version(
    register: Callable[..., RegistryEntry],
    add_file: Any,
    officer: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    made = documents.make_archival_variant(
        documents.store(ContentFile(minimal_pdf("PDF/A"), name="a.pdf"))
    )
    assert made.document is not None
    already = documents.read_verified(made.document)
    entry = register()
    letter, letter_file = add_file(entry, already, "vedtak.pdf")
    note, note_file = add_file(entry, b"Notat om synfaring.\n", "notat.txt", role="V")
    assert letter_file == made.document
    assert archival_variant.archival_format_of(letter_file) == "fmt/477"
    converting = DocumentVariant.objects.count()

    with django_capture_on_commit_callbacks(execute=True) as queued:
        services.finish_dokument(letter, officer)
        services.finish_dokument(note, officer)

    # No conversion was asked for: the A version is the P file itself.
    assert queued == []
    assert DocumentVariant.objects.count() == converting
    for document, stored, pronom in (
        (letter, letter_file, "fmt/477"),
        (note, note_file, "x-fmt/111"),
    ):
        (archival,) = archival_of(document)
        assert archival.stored_file == stored
        assert (archival.sjekksum, archival.filstoerrelse) == (stored.sha256, stored.size)
        assert archival.format == pronom
    services.set_journalstatus(entry, "A", officer)


def test_a_plain_pdf_is_not_taken_for_pdfa() -> None:
    plain = documents.store(ContentFile(minimal_pdf(), name="brev.pdf"))
    declared_3 = documents.store(
        ContentFile(
            minimal_pdf() + b'<x:xmpmeta pdfaid:part="3" pdfaid:conformance="B"/>\n',
            name="pdfa3.pdf",
        )
    )
    assert archival_variant.archival_format_of(plain) is None
    assert archival_variant.archival_format_of(declared_3) is None


def test_the_conversion_run_twice_makes_one_archival_version(
    register: Callable[..., RegistryEntry],
    add_file: Any,
    officer: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    entry = register()
    letter, letter_file = add_file(entry, minimal_pdf(), "brev.pdf")
    with background_work_held(django_capture_on_commit_callbacks) as queued:
        services.finish_dokument(letter, officer)
    variant = DocumentVariant.objects.get(original=letter_file)

    # The worker was killed after the PDF/A was made and recorded, before records heard of it
    # (the signal's receiver never ran).
    documents.variant_done.disconnect(dispatch_uid=archival_variant.DISPATCH_UID)
    try:
        for run in queued:
            run()
    finally:
        archival_variant.connect_signals()
    variant.refresh_from_db()
    assert variant.conversion_status == ConversionStatus.DONE
    assert archival_of(letter) == []

    # The sweep hands the task back (core.tasks.make_archival_variant is in contact's
    # SAFE_TO_RUN_AGAIN): it runs again, and again.
    for _ in range(2):
        assert tasks.make_archival_variant.call(variant.pk) == ConversionStatus.DONE
    (made,) = archival_of(letter)
    assert made.stored_file == variant.document
    assert DocumentObject.objects.filter(document=letter).count() == 2


def test_archiving_adds_a_made_version_that_was_not_added_yet(
    register: Callable[..., RegistryEntry],
    add_file: Any,
    officer: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The worker died between the PDF/A and the A version, and nothing ran it again:
    archiving finds the PDF/A made and adds the A version itself."""
    entry = register()
    letter, letter_file = add_file(entry, png(alpha=True), "kart.png")
    with background_work_held(django_capture_on_commit_callbacks):
        services.finish_dokument(letter, officer)
    documents.variant_done.disconnect(dispatch_uid=archival_variant.DISPATCH_UID)
    try:
        documents.convert(DocumentVariant.objects.get(original=letter_file))
    finally:
        archival_variant.connect_signals()
    assert archival_of(letter) == []

    services.set_journalstatus(entry, "A", officer)
    (made,) = archival_of(letter)
    assert_is_the_stored_pdfa(made, letter_file)


def test_a_document_finished_before_the_rule_is_converted_when_archiving_is_tried(
    register: Callable[..., RegistryEntry],
    add_file: Any,
    officer: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    entry = register()
    letter, letter_file = add_file(entry, minimal_pdf(), "brev.pdf")
    # Finished by an older version of the service: no conversion was asked for.
    DocumentDescription.objects.filter(pk=letter.pk).update(dokumentstatus="F")

    with (
        django_capture_on_commit_callbacks(execute=False) as queued,
        pytest.raises(ValidationError, match="ikkje klart enno for dokument 1"),
    ):
        services.set_journalstatus(entry, "A", officer)
    # The request was kept although the archiving was refused.
    assert DocumentVariant.objects.filter(original=letter_file).exists()
    for run in queued:
        run()
    services.set_journalstatus(entry, "A", officer)
    assert len(archival_of(letter)) == 1


def test_only_the_latest_version_and_only_with_a_stored_file(
    register: Callable[..., RegistryEntry],
    add_file: Any,
    officer: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    entry = register()
    letter, _first = add_file(entry, minimal_pdf("Utkast"), "utkast.pdf")
    final = documents.store(ContentFile(minimal_pdf("Endeleg"), name="endeleg.pdf"))
    services.add_dokumentobjekt_from_file(letter, officer, final)
    imported = services.add_dokument(entry, "Importert vedlegg", officer, "V")
    services.add_dokumentobjekt(
        imported,
        officer,
        format="fmt/18",
        sjekksum="b" * 64,
        filstoerrelse=10,
        referanse_dokumentfil="DOKUMENT/import.pdf",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.finish_dokument(letter, officer)
        services.finish_dokument(imported, officer)

    (made,) = archival_of(letter)
    assert made.versjonsnummer == 2
    assert DocumentVariant.objects.get(original=final).document == made.stored_file
    # A version registered without its file has nothing to convert, and does not hold
    # the archiving up.
    assert archival_of(imported) == []
    services.set_journalstatus(entry, "A", officer)


def test_an_arkivnotat_waits_for_it_too(
    register: Callable[..., RegistryEntry],
    add_file: Any,
    officer: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    note_entry = register(kind="arkivnotat", journalposttype="", parties=[])
    note, _ = add_file(note_entry, png(), "foto.png")
    with background_work_held(django_capture_on_commit_callbacks) as queued:
        services.finish_dokument(note, officer)
    with pytest.raises(ValidationError, match="ikkje klart enno for dokument 1"):
        services.archive_arkivnotat(note_entry, officer)
    for run in queued:
        run()
    services.archive_arkivnotat(note_entry, officer)
    note_entry.refresh_from_db()
    assert note_entry.arkivert_dato is not None


# --- a real worker, killed in the middle of Ghostscript -------------------------------------------

PROJECT_ROOT = Path(__file__).resolve().parents[3]

#: Stands in for `gs` in the first worker: says it started converting, then hangs there (the
#: test kills the worker meanwhile). `gs --version` and the like go straight through.
SLOW_GS = """#!/bin/sh
case "$*" in
  *pdfwrite*) touch "{started}"; sleep 300 ;;
esac
exec {gs} "$@"
"""


def _worker(env: dict[str, str], log: Path, *options: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - our own command with our own arguments
        [
            *(sys.executable, "-m", "tenestetorget", "worker", "--interval", "0.1"),
            *("--no-startup-delay", "--no-reload", *options),
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the kill takes Ghostscript too
    )


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_conversion_ends_with_one_archival_version(
    register: Callable[..., RegistryEntry],
    add_file: Any,
    officer: Any,
    settings: Any,
    tmp_path: Path,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the worker processes share the test database on PostgreSQL only")
    gs = shutil.which("gs")
    assert gs, "Ghostscript is installed by `make archive-deps`"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    entry = register()
    letter, letter_file = add_file(entry, minimal_pdf(), "brev.pdf")
    services.finish_dokument(letter, officer)  # commits: the task row is queued

    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "TASKS_BACKEND")}
    env.update(
        DJANGO_SETTINGS_MODULE="tenestetorget.settings",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}",
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        TENESTETORGET_VAR_DIR=str(tmp_path / "var"),
        # No routing model retraining in these workers: seconds of CPU beside a timed test.
        ROUTING_RETRAIN_HOURS="0",
    )
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    slow_bin = tmp_path / "bin"
    slow_bin.mkdir()
    started = tmp_path / "gs-started"
    (slow_bin / "gs").write_text(SLOW_GS.format(started=started, gs=gs))
    (slow_bin / "gs").chmod(0o755)
    workers = []
    try:
        killed = _worker(
            {**env, "PATH": f"{slow_bin}:{env['PATH']}"},
            tmp_path / "killed.log",
            *("--sweep-every", "0", "--lease", "1", "--stale-after", "1"),
        )
        workers.append(killed)
        deadline = time.monotonic() + 60
        while not started.exists():
            assert killed.poll() is None, (tmp_path / "killed.log").read_text()
            assert time.monotonic() < deadline, (tmp_path / "killed.log").read_text()
            time.sleep(0.1)
        os.killpg(killed.pid, signal.SIGKILL)
        killed.wait(timeout=10)
        variant = DocumentVariant.objects.get(original=letter_file)
        assert variant.conversion_status == ConversionStatus.WAITING
        assert DBTaskResult.objects.get().status == "RUNNING"  # and no one will finish it

        # A fresh worker's sweep hands the abandoned task back, and it runs again.
        recovering = _worker(
            env,
            tmp_path / "recovering.log",
            *("--sweep-every", "0.5", "--lease", "1", "--stale-after", "1"),
        )
        workers.append(recovering)
        deadline = time.monotonic() + 120
        while not (
            archival_of(letter)
            and not DBTaskResult.objects.filter(status__in=["RUNNING", "READY"]).exists()
        ):
            assert recovering.poll() is None, (tmp_path / "recovering.log").read_text()
            assert time.monotonic() < deadline, (tmp_path / "recovering.log").read_text()
            time.sleep(0.3)
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait(timeout=10)
    (made,) = archival_of(letter)
    assert_is_the_stored_pdfa(made, letter_file)
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["SUCCESSFUL"]
    services.set_journalstatus(entry, "A", officer)
