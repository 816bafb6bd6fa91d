"""Text templates for the demo history: what people ask each queue about, and what the
municipality answers, and the names, places and phrases around them.

The texts live as YAML in ``data/texts/`` (its README.md says what each file holds and which
slots in braces history.py fills). This module reads them once, at import, checks their shape
so that a slip in a file fails here with the file's name rather than as odd demo data, and
offers them as the constants below.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypedDict

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
TEXTS_DIR = DATA_DIR / "texts"
QUEUES_FILE = DATA_DIR / "queues.yaml"

#: (subject, body, answer key): what someone writes, and which answer fits it.
Written = tuple[str, str, str]


class QueueTexts(TypedDict):
    nn: list[Written]
    nb: list[Written]
    en: list[Written]
    #: (topic, note, answer key): the front desk's note of a call or a visit.
    notes: list[Written]
    #: answer key -> language -> answer text (Nynorsk always; nb and en where asked in them).
    answers: dict[str, dict[str, str]]


class TextsError(ValueError):
    """A text file that is missing or has the wrong shape."""


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 (safe)
    except (OSError, yaml.YAMLError) as error:
        raise TextsError(f"{path}: {error}") from error
    if not isinstance(data, dict):
        raise TextsError(f"{path}: expected a mapping at the top")
    return data


def _keys(data: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise TextsError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")


def _string(value: object, where: str) -> str:
    # YAML reads some plain words as other types (on/off/yes/no, numbers, dates): quote them.
    if not isinstance(value, str):
        raise TextsError(f"{where}: expected text, got {value!r} (quote it)")
    return value


def _strings(value: object, where: str) -> list[str]:
    if not isinstance(value, list):
        raise TextsError(f"{where}: expected a list")
    return [_string(item, f"{where}[{i}]") for i, item in enumerate(value)]


def _mapping(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict) or not all(isinstance(key, str) for key in value):
        raise TextsError(f"{where}: expected a mapping")
    return value


def _text_by_key(value: object, where: str) -> dict[str, str]:
    return {key: _string(text, f"{where}.{key}") for key, text in _mapping(value, where).items()}


def _lists_by_key(value: object, where: str) -> dict[str, list[str]]:
    return {key: _strings(item, f"{where}.{key}") for key, item in _mapping(value, where).items()}


class _File:
    """One YAML file of named entries, each read once by the accessor that knows its shape."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data = _read(path)
        self.used: set[str] = set()

    def _get(self, key: str) -> object:
        if key not in self.data:
            raise TextsError(f"{self.path}: missing {key}")
        self.used.add(key)
        return self.data[key]

    def text(self, key: str) -> str:
        return _string(self._get(key), f"{self.path}: {key}")

    def strings(self, key: str) -> list[str]:
        return _strings(self._get(key), f"{self.path}: {key}")

    def text_by_key(self, key: str) -> dict[str, str]:
        return _text_by_key(self._get(key), f"{self.path}: {key}")

    def lists_by_key(self, key: str) -> dict[str, list[str]]:
        return _lists_by_key(self._get(key), f"{self.path}: {key}")

    def done(self) -> None:
        _keys(self.data, self.used, str(self.path))


_WRITTEN_FIELDS = {
    "nn": ("subject", "body"),
    "nb": ("subject", "body"),
    "en": ("subject", "body"),
    "notes": ("topic", "note"),
}


def _written(value: object, fields: tuple[str, str], where: str) -> list[Written]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise TextsError(f"{where}: expected a list")
    written: list[Written] = []
    for i, item in enumerate(value):
        here = f"{where}[{i}]"
        entry = _mapping(item, here)
        _keys(entry, {*fields, "answer"}, here)
        first, second = fields
        written.append(
            (
                _string(entry.get(first), f"{here}.{first}"),
                _string(entry.get(second), f"{here}.{second}"),
                _string(entry.get("answer"), f"{here}.answer"),
            )
        )
    return written


def load_queue_texts(path: Path) -> QueueTexts:
    """One queue's file: its inquiries, notes and answers, with every answer key answered."""
    data = _read(path)
    _keys(data, {*_WRITTEN_FIELDS, "answers"}, str(path))
    written = {
        language: _written(data.get(language), fields, f"{path}: {language}")
        for language, fields in _WRITTEN_FIELDS.items()
    }
    answers = {
        key: _text_by_key(by_language, f"{path}: answers.{key}")
        for key, by_language in _mapping(data.get("answers") or {}, f"{path}: answers").items()
    }
    for language in ("nn", "notes"):  # what every sender and every call falls back on
        if not written[language]:
            raise TextsError(f"{path}: {language}: at least one is needed")
    for language, items in written.items():
        for _, _, key in items:
            if "nn" not in answers.get(key, {}):
                raise TextsError(f"{path}: {language}: no Nynorsk answer {key!r} in answers")
    return QueueTexts(
        nn=written["nn"],
        nb=written["nb"],
        en=written["en"],
        notes=written["notes"],
        answers=answers,
    )


def load_all_queue_texts(
    directory: Path = TEXTS_DIR / "queues", queues_file: Path = QUEUES_FILE
) -> dict[str, QueueTexts]:
    """Every queue's texts, by queue code, in the order the queues file lists the queues."""
    codes = list(_mapping(_read(queues_file).get("queues"), f"{queues_file}: queues"))
    paths = {path.stem: path for path in directory.glob("*.yaml")}
    strays = sorted(set(paths) - set(codes))
    if strays:
        raise TextsError(f"{directory}: texts for unknown queue(s) {', '.join(strays)}")
    return {code: load_queue_texts(paths[code]) for code in codes if code in paths}


# --- slots.yaml: values for the slots in the texts ---------------------------------------------
_slots = _File(TEXTS_DIR / "slots.yaml")
PLACES = _slots.strings("places")
CABIN_AREAS = _slots.strings("cabin_areas")
LAKES = _slots.strings("lakes")
ROADS = _slots.strings("roads")
MOUNTAIN_CABINS = _slots.strings("mountain_cabins")
SCHOOLS = _slots.strings("schools")
KINDERGARTENS = _slots.strings("kindergartens")
PLOTS = _slots.strings("plots")
MONTHS_NO = _slots.strings("months_no")
MONTHS_EN = _slots.strings("months_en")
_slots.done()

# --- phrases.yaml: what is the same for every queue --------------------------------------------
_phrases = _File(TEXTS_DIR / "phrases.yaml")
GREETING = _phrases.text_by_key("greeting")
SIGN_OFF = _phrases.text_by_key("sign_off")
LETTER_OPENING = _phrases.text_by_key("letter_opening")
#: Internal notes staff add on the way (the timeline's "intern merknad").
WORK_NOTES = _phrases.strings("work_notes")
#: Notes that belong to one queue only.
QUEUE_WORK_NOTES = _phrases.lists_by_key("queue_work_notes")
PAUSE_NOTES = _phrases.strings("pause_notes")
QUEUE_PAUSE_NOTES = _phrases.lists_by_key("queue_pause_notes")
INTERIM_TEXTS = _phrases.lists_by_key("interim_texts")
FIRST_LINE_CLOSE = _phrases.text("first_line_close")
FORWARD_NOTES = _phrases.strings("forward_notes")
#: The front desk's own answer when it resolves an inquiry at once (first-line).
FIRST_LINE_ANSWERS = _phrases.lists_by_key("first_line_answers")
_phrases.done()

# --- queues/<code>.yaml: what people ask each queue, and the answers ---------------------------
QUEUE_TEXTS = load_all_queue_texts()

# --- senders.yaml: sender names ----------------------------------------------------------------
_senders = _File(TEXTS_DIR / "senders.yaml")
FIRST_NAMES_F = _senders.strings("first_names_f")
FIRST_NAMES_M = _senders.strings("first_names_m")
#: Surnames typical of Vest-Telemark farms (residents).
LOCAL_SURNAMES = _senders.strings("local_surnames")
#: Surnames of cabin owners: mostly from the east and the west coast.
NATIONAL_SURNAMES = _senders.strings("national_surnames")
FOREIGN_NAMES = _senders.strings("foreign_names")
EMAIL_DOMAINS = _senders.strings("email_domains")
FOREIGN_DOMAINS = _senders.strings("foreign_domains")
#: Business names are a stem and a type: the places, the first six cabin areas and a few more.
BUSINESS_STEMS = PLACES + CABIN_AREAS[:6] + _senders.strings("business_stems_extra")
BUSINESS_TYPES = _senders.strings("business_types")
MEDIA = _senders.strings("media")
CLUB_PATTERNS = _senders.strings("club_patterns")
PUBLIC_BODIES = _senders.strings("public_bodies")
_senders.done()
