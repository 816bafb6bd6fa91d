"""The gettext catalogues as data: a small reader for the .po files makemessages writes."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: enough for the files makemessages writes (no msgctxt yet)."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None
    started = False

    def finish() -> None:
        nonlocal entry, started, target
        if started:
            entries.append(entry)
        entry, started, target = Entry(), False, None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#~"):
            continue  # obsolete entries are not shipped
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt"):
            raise AssertionError(f"{path}: msgctxt is not handled by this reader")
        elif line.startswith('"'):
            assert target is not None, f"{path}: continuation line without a keyword: {raw}"
            append(entry, target, ast.literal_eval(line))
        else:
            keyword, _, value = line.partition(" ")
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if keyword in {"msgid", "msgid_plural", "msgstr"} or match:
                target = ("msgstr", int(match.group(1))) if match else (keyword, 0)
                started = True
                if keyword == "msgid_plural":
                    entry.msgid_plural = ""
                append(entry, target, ast.literal_eval(value))
            else:
                raise AssertionError(f"{path}: unexpected line: {raw}")
    finish()
    return entries


def append(entry: Entry, target: tuple[str, int], text: str) -> None:
    keyword, index = target
    if keyword == "msgid":
        entry.msgid += text
    elif keyword == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + text
    else:
        entry.msgstr[index] = entry.msgstr.get(index, "") + text


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def messages(language: str) -> list[Entry]:
    """Every entry but the header."""
    return [entry for entry in parse_po(po_path(language)) if entry.msgid]
