"""Mail from files: a folder of `.eml` files, an `.mbox` file or a Maildir, and a folder of
scanned letters. Each yields (raw bytes, where it came from) one message at a time, so that a
mailbox of any size is read in constant memory; `count` says how many there will be, for the
progress bar."""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from pathlib import Path

#: What a scanner delivers: PDFs and images (the OCR decides by content, this by name).
SCAN_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}
MAIL_SUFFIXES = {".eml", ".msg.eml", ".txt"}


class NotMail(ValueError):
    """The path is neither a folder of messages, an mbox file nor a Maildir."""


def is_maildir(path: Path) -> bool:
    return path.is_dir() and (path / "cur").is_dir() and (path / "new").is_dir()


def _eml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.eml") if p.is_file())


def _scan_files(folder: Path) -> list[Path]:
    if folder.is_file():
        return [folder]
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SCAN_SUFFIXES)


def count(path: Path, scans: bool = False) -> int:
    if scans:
        return len(_scan_files(path))
    if is_maildir(path):
        return len(mailbox.Maildir(str(path), create=False))
    if path.is_dir():
        return len(_eml_files(path))
    if path.is_file() and path.suffix.lower() == ".eml":
        return 1
    if path.is_file():
        return len(mailbox.mbox(str(path), create=False))
    raise NotMail(str(path))


def messages(path: Path) -> Iterator[tuple[bytes, str]]:
    """The messages at `path`, oldest file first (names sorted); Maildir and mbox in their
    own order."""
    if is_maildir(path):
        maildir = mailbox.Maildir(str(path), create=False)
        for key in sorted(maildir.keys()):
            yield maildir.get_bytes(key), f"{path.name}/{key}"
        return
    if path.is_dir():
        for file in _eml_files(path):
            yield file.read_bytes(), str(file.relative_to(path))
        return
    if path.is_file() and path.suffix.lower() == ".eml":
        yield path.read_bytes(), path.name
        return
    if path.is_file():
        box = mailbox.mbox(str(path), create=False)
        for key in box.iterkeys():
            yield box.get_bytes(key), f"{path.name}#{key}"
        return
    raise NotMail(str(path))


def scans(path: Path) -> Iterator[tuple[bytes, str]]:
    for file in _scan_files(path):
        yield file.read_bytes(), file.name
