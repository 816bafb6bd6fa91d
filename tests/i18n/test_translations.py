"""The gettext catalogues: complete, compiled, placeholders intact, and used by the pages.

Nynorsk (nn) is the source language: every msgid is Nynorsk, and the nb and en catalogues must
translate all of it. The compiled .mo files are committed so that a machine without GNU gettext
can run the site; these tests check that they match the .po files they were made from.
"""

from __future__ import annotations

import gettext as pygettext
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tenestetorget.organisation.models import Channel, Queue, Role, StaffProfile, Unit

from .catalogues import messages, parse_po, po_path

LANGUAGES = [code for code, _name in settings.LANGUAGES]
TRANSLATED = [code for code in LANGUAGES if code != settings.LANGUAGE_CODE]
# Python %-placeholders (named or not) and the {{ n }} form a blocktranslate would show if it
# were ever written into a msgstr by hand.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\{\s*\w+\s*\}\}")

MSGFMT = shutil.which("msgfmt") or "msgfmt"
needs_msgfmt = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU msgfmt missing")


@needs_msgfmt
@pytest.mark.parametrize("language", LANGUAGES)
def test_msgfmt_counts_no_untranslated_or_fuzzy(language: str) -> None:
    result = subprocess.run(  # noqa: S603 - GNU msgfmt on our own catalogue
        [MSGFMT, "--check", "--statistics", "-o", "/dev/null", str(po_path(language))],
        capture_output=True,
        text=True,
        env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    statistics = result.stderr.strip()
    assert re.fullmatch(r"\d+ translated messages?\.", statistics), statistics
    assert int(statistics.split()[0]) == len(messages(language))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language: str) -> None:
    entries = messages(language)
    assert len(entries) > 100
    plural_forms = 2  # nn, nb and en: nplurals=2
    for entry in entries:
        assert "fuzzy" not in entry.flags, entry.msgid
        expected = range(plural_forms) if entry.msgid_plural is not None else range(1)
        assert sorted(entry.msgstr) == list(expected), entry.msgid
        assert all(entry.msgstr[i].strip() for i in expected), entry.msgid
    header = parse_po(po_path(language))[0]
    assert header.msgid == "" and "fuzzy" not in header.flags
    assert f"Language: {language}\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr[0]


def test_catalogues_hold_the_same_messages() -> None:
    def keys(language: str) -> set[tuple[str, str | None]]:
        return {(entry.msgid, entry.msgid_plural) for entry in messages(language)}

    source = keys(settings.LANGUAGE_CODE)
    for language in TRANSLATED:
        assert keys(language) == source, language


def test_nynorsk_translates_to_itself() -> None:
    for entry in messages("nn"):
        assert entry.msgstr[0] == entry.msgid
        if entry.msgid_plural is not None:
            assert entry.msgstr[1] == entry.msgid_plural


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_survive_translation(language: str) -> None:
    for entry in messages(language):
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural is not None:
            assert sorted(PLACEHOLDER.findall(entry.msgid_plural)) == wanted, entry.msgid
        for text in entry.msgstr.values():
            assert sorted(PLACEHOLDER.findall(text)) == wanted, (entry.msgid, text)
        if "«" not in entry.msgid and "<" in entry.msgid:
            # Markup in a message must come through as it was.
            tags = re.findall(r"</?\w+[^>]*>", entry.msgid)
            for text in entry.msgstr.values():
                assert re.findall(r"</?\w+[^>]*>", text) == tags, entry.msgid


@needs_msgfmt
@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_mo_matches_po(language: str, tmp_path: Path) -> None:
    """The committed .mo is what compilemessages makes from the committed .po."""
    committed = po_path(language).with_suffix(".mo")
    assert committed.exists(), f"run `tenestetorget compilemessages` ({committed} missing)"
    fresh = tmp_path / "django.mo"
    subprocess.run(  # noqa: S603 - GNU msgfmt on our own catalogue
        [MSGFMT, "--check-format", "-o", str(fresh), str(po_path(language))], check=True
    )

    def catalog(path: Path) -> dict[Any, str]:
        with path.open("rb") as handle:
            return dict(pygettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]

    assert catalog(committed) == catalog(fresh)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nn", ["Ny henvending", "Stadfest motteke", "Løyst i fyrstelina", "Telefon"]),
        ("nb", ["Ny henvendelse", "Bekreft mottatt", "Løst i første linje", "Telefon"]),
        ("en", ["New inquiry", "Confirm receipt", "Resolved at first contact", "Phone"]),
    ],
)
def test_known_strings_translate(language: str, expected: list[str]) -> None:
    with translation.override(language):
        got = [
            translation.gettext("Ny henvending"),
            translation.gettext("Stadfest motteke"),
            translation.gettext("Løyst i fyrstelina"),
            str(Channel.PHONE.label),
        ]
    assert got == expected


def test_plural_forms_follow_the_count() -> None:
    singular, plural = "%(n)s treff", "%(n)s treff"
    with translation.override("en"):
        assert translation.ngettext(singular, plural, 1) % {"n": 1} == "1 result"
        assert translation.ngettext(singular, plural, 3) % {"n": 3} == "3 results"
    with translation.override("nb"):
        day = translation.ngettext(
            "svar innan %(n)s arbeidsdag", "svar innan %(n)s arbeidsdagar", 2
        )
        assert day % {"n": 2} == "svar innen 2 arbeidsdager"


@pytest.fixture
def front_desk(db: Any) -> Any:
    unit = Unit.objects.create(code="tenestetorget", name="Tenestetorget")
    Queue.objects.create(code="vatn_avlop", unit=unit, name="Vatn og avløp")
    user = get_user_model().objects.create_user(username="front", password="demo")
    StaffProfile.objects.create(user=user, unit=unit, role=Role.FRONT_DESK, language="nn")
    return user


def staff_page(user: Any, cookie_language: str | None = None) -> str:
    client = Client()
    client.force_login(user)
    if cookie_language is not None:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie_language
    response = client.get(reverse("contact:inbox"))
    assert response.status_code == 200
    return response.content.decode()


def test_staff_page_in_english_with_the_language_cookie(front_desk: Any) -> None:
    page = staff_page(front_desk, "en")
    assert '<html lang="en"' in page
    assert '<h1 class="ds-heading" data-size="lg">Inbox</h1>' in page
    assert ">New inquiry</a>" in page
    assert ">Answer due</th>" in page
    assert "No inquiries match the filter." in page
    assert '<option value="phone">Phone</option>' in page
    for nynorsk in ("Innboks", "Ny henvending", "Svarfrist", "Ingen henvendingar"):
        assert nynorsk not in page


def test_staff_page_in_bokmal_with_the_language_cookie(front_desk: Any) -> None:
    page = staff_page(front_desk, "nb")
    assert '<html lang="nb"' in page
    assert ">Ny henvendelse</a>" in page
    assert "Ingen henvendelser passer med filteret." in page


def test_staff_page_defaults_to_nynorsk(front_desk: Any) -> None:
    page = staff_page(front_desk)
    assert '<html lang="nn"' in page
    assert '<h1 class="ds-heading" data-size="lg">Innboks</h1>' in page
    assert ">Ny henvending</a>" in page
