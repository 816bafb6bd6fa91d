"""tenestetorget mailroom: the mail room's intake from the command line (docs/mailroom.md).

mailroom import PATH [--scans]   a folder of .eml files, an .mbox or a Maildir (or with
                                 --scans a folder of scanned PDFs and images); a progress bar
                                 on stderr, and a JSON summary as the last line on stdout
mailroom watch                   the IMAP mailboxes in MAILROOM_MAILBOXES (IDLE, or polling)
                                 and the scan folder, until stopped
mailroom process-waiting         what a stopped run left stored but not processed
"""

from __future__ import annotations

import json
import logging
import signal
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from tenestetorget.mailroom import imap, intake, sources
from tenestetorget.mailroom.models import Kind
from tenestetorget.mailroom.progress import Bar

log = logging.getLogger("tenestetorget.mailroom")


def mailboxes_from_settings() -> list[imap.Mailbox]:
    """MAILROOM_MAILBOXES: JSON, or the path of a JSON file."""
    value = str(settings.MAILROOM.get("MAILBOXES") or "").strip()
    if not value:
        return []
    text = value if value.startswith("[") else Path(value).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(f"MAILROOM_MAILBOXES is not valid JSON: {exc}") from None
    if not isinstance(data, list):
        raise CommandError("MAILROOM_MAILBOXES must be a JSON list of mailboxes")
    return [imap.Mailbox.from_dict(item) for item in data]


def take_from_imap(raw: bytes, mailbox: imap.Mailbox) -> None:
    """The IMAP adapter's handler: returns once the message is stored and committed (then it
    may go from the server); raises when it is not (then it stays there)."""
    close_old_connections()
    intake.take(
        raw,
        source=f"imap:{mailbox.name}",
        source_ref=mailbox.folder,
        mailbox_address=mailbox.address,
    )


def take_scans(folder: Path) -> int:
    """Each file in the scan folder, stored first, then moved to `behandla/` beside it."""
    done_dir = folder / "behandla"
    taken = 0
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix.lower() not in sources.SCAN_SUFFIXES:
            continue
        intake.take(
            path.read_bytes(),
            kind=Kind.SCAN,
            source="folder",
            source_ref=path.name,
            suffix=path.suffix.lower(),
        )
        done_dir.mkdir(exist_ok=True)
        path.replace(done_dir / path.name)
        taken += 1
    return taken


class Command(BaseCommand):
    help = "The mail room's intake: import files, watch IMAP mailboxes and the scan folder."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        imports = commands.add_parser("import", help="Import .eml files, an mbox or a Maildir.")
        imports.add_argument("path", type=Path)
        imports.add_argument("--scans", action="store_true", help="PDFs and images to OCR.")
        imports.add_argument("--source", default="file", help="Source name (default: file).")
        imports.add_argument("--quiet", action="store_true", help="No progress bar.")
        watch = commands.add_parser("watch", help="Watch the IMAP mailboxes and scan folder.")
        watch.add_argument("--poll", type=float, default=60.0, help="Seconds between polls.")
        watch.add_argument("--once", action="store_true", help="One round, then stop.")
        commands.add_parser("process-waiting", help="Process messages stored but not processed.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "import":
            self._import(options)
        elif action == "watch":
            self._watch(options)
        else:
            count = intake.process_waiting()
            self.stdout.write(json.dumps({"processed": count}))

    def _import(self, options: dict[str, Any]) -> None:
        path: Path = options["path"]
        scans: bool = options["scans"]
        if not path.exists():
            raise CommandError(f"{path}: finst ikkje")
        try:
            total = sources.count(path, scans=scans)
        except (sources.NotMail, OSError) as exc:
            raise CommandError(
                f"{path}: ikkje ei mappe med .eml, ei mbox eller ein Maildir"
            ) from exc
        # What a run before this one left stored but unprocessed goes first.
        intake.process_waiting()
        summary = intake.Summary()
        bar = None if options["quiet"] else Bar(total, "mailroom import", self.stderr._out)  # type: ignore[arg-type]
        found = sources.scans(path) if scans else sources.messages(path)
        for raw, where in found:
            message, new = intake.take(
                raw,
                kind=Kind.SCAN if scans else Kind.EMAIL,
                source=options["source"],
                source_ref=where,
                suffix=Path(where).suffix.lower() if scans else "",
            )
            summary.count(message, new)
            if bar is not None:
                bar.advance()
        if bar is not None:
            bar.finish()
        self.stdout.write(json.dumps(summary.as_dict()))

    def _watch(self, options: dict[str, Any]) -> None:
        boxes = mailboxes_from_settings()
        scan_folder = str(settings.MAILROOM.get("SCAN_FOLDER") or "")
        if not boxes and not scan_folder:
            raise CommandError("Set MAILROOM_MAILBOXES and/or MAILROOM_SCAN_FOLDER first.")
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        intake.process_waiting()
        if options["once"]:
            for box in boxes:
                try:
                    imap.poll_once(box, take_from_imap)
                except imap.MailboxError as exc:
                    # One mailbox that cannot be reached must not stop the others.
                    log.error("mailbox %s: %s", box.name, exc)
            if scan_folder:
                take_scans(Path(scan_folder))
            return
        watcher = None
        if boxes:
            watcher = threading.Thread(
                target=imap.watch,
                args=(boxes, take_from_imap),
                kwargs={"stop": stop, "poll_interval": options["poll"]},
                daemon=True,
            )
            watcher.start()
        log.info("mail room watching %s mailbox(es), scan folder %r", len(boxes), scan_folder)
        while not stop.is_set():
            # A long-running loop: a connection the database dropped is opened again.
            close_old_connections()
            if scan_folder:
                try:
                    take_scans(Path(scan_folder))
                except OSError as exc:
                    log.error("scan folder %s: %s", scan_folder, exc)
            intake.process_waiting(limit=100)
            stop.wait(min(options["poll"], 10.0))
        if watcher is not None:
            watcher.join(timeout=10)
