"""Names and published texts in Bokmål and English: loaded from the organisation file, kept
when the file names none, set on the staff guarantee page, and complete in the demo data."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tenestetorget.organisation.models import Queue, Role, ServiceGuarantee, StaffProfile, Unit
from tenestetorget.organisation.services import load_organisation, set_guarantee

pytestmark = pytest.mark.django_db

ORG = """
units:
  teknisk: {name: Teknisk drift, name_nb: Teknisk drift, name_en: Technical operations}
  okonomi: {name: Økonomi}
queues:
  vatn_avlop:
    unit: teknisk
    name: Vatn og avløp
    name_nb: Vann og avløp
    name_en: Water and sewerage
  faktura: {unit: okonomi, name: Faktura}
guarantees:
  - queue: "*"
    channel: email
    answer_working_days: 2
    text: Du får svar innan 2 arbeidsdagar.
    text_nb: Du får svar innen 2 arbeidsdager.
    text_en: You will have an answer within 2 working days.
  - queue: faktura
    channel: email
    answer_working_days: 3
    text: Spørsmål om faktura får svar innan 3 arbeidsdagar.
"""


def write(tmp_path: Path, text: str, name: str = "org.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def names(model: Any, code: str) -> tuple[str, str, str]:
    obj = model.objects.get(code=code)
    return (obj.name, obj.name_nb, obj.name_en)


def texts(queue: str, channel: str = "email") -> tuple[str, str, str]:
    guarantee = ServiceGuarantee.objects.get(queue__code=queue, channel=channel)
    return (guarantee.text, guarantee.text_nb, guarantee.text_en)


def test_the_loader_reads_the_translations(tmp_path: Path) -> None:
    load_organisation(write(tmp_path, ORG))
    assert names(Unit, "teknisk") == ("Teknisk drift", "Teknisk drift", "Technical operations")
    assert names(Unit, "okonomi") == ("Økonomi", "", "")
    assert names(Queue, "vatn_avlop") == ("Vatn og avløp", "Vann og avløp", "Water and sewerage")
    assert names(Queue, "faktura") == ("Faktura", "", "")
    assert texts("vatn_avlop") == (
        "Du får svar innan 2 arbeidsdagar.",
        "Du får svar innen 2 arbeidsdager.",
        "You will have an answer within 2 working days.",
    )
    # The queue's own line overrides the "*" line, translations and all: its text has none.
    assert texts("faktura") == ("Spørsmål om faktura får svar innan 3 arbeidsdagar.", "", "")


def test_translations_set_by_hand_are_kept_when_the_file_names_none(tmp_path: Path) -> None:
    untranslated = re.sub(r",?\s*(name|text)_(nb|en): [^,}\n]*", "", ORG)
    assert "_en" not in untranslated and "_nb" not in untranslated
    load_organisation(write(tmp_path, untranslated))
    assert names(Queue, "vatn_avlop") == ("Vatn og avløp", "", "")
    # Translated by hand (in the admin), the overridden guarantee too.
    Unit.objects.filter(code="okonomi").update(name_en="Finance")
    Queue.objects.filter(code="faktura").update(name_nb="Faktura (bokmål)")
    ServiceGuarantee.objects.filter(queue__code="faktura").update(text_en="Invoices: 3 days.")
    ServiceGuarantee.objects.filter(queue__code="vatn_avlop").update(text_nb="Svar: 2 dager.")

    load_organisation(write(tmp_path, untranslated))
    assert names(Unit, "okonomi") == ("Økonomi", "", "Finance")
    assert names(Queue, "faktura") == ("Faktura", "Faktura (bokmål)", "")
    assert texts("faktura")[2] == "Invoices: 3 days."
    assert texts("vatn_avlop")[1] == "Svar: 2 dager."

    # The file names a translation: it wins; an empty value clears one.
    load_organisation(write(tmp_path, ORG.replace("name_en: Technical operations", "name_en: ''")))
    assert names(Unit, "teknisk") == ("Teknisk drift", "Teknisk drift", "")
    assert texts("vatn_avlop")[1] == "Du får svar innen 2 arbeidsdager."


def test_a_changed_nynorsk_text_drops_the_translations_the_file_leaves_out(
    tmp_path: Path,
) -> None:
    load_organisation(write(tmp_path, ORG))
    changed = (
        ORG.replace("name: Vatn og avløp", "name: Vatn, avløp og slam")
        .replace("    name_nb: Vann og avløp\n", "")
        .replace("    name_en: Water and sewerage\n", "")
        .replace("text: Du får svar innan 2 arbeidsdagar.", "text: Svar innan 2 arbeidsdagar.")
        .replace("    text_nb: Du får svar innen 2 arbeidsdager.\n", "")
    )
    load_organisation(write(tmp_path, changed))
    # They translated the old name and text, so they go; the English text the file names stays.
    assert names(Queue, "vatn_avlop") == ("Vatn, avløp og slam", "", "")
    assert texts("vatn_avlop") == (
        "Svar innan 2 arbeidsdagar.",
        "",
        "You will have an answer within 2 working days.",
    )


def test_loading_the_same_file_twice_changes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, ORG)
    load_organisation(path)

    def snapshot() -> list[tuple[str, ...]]:
        return [
            *Unit.objects.values_list("code", "name", "name_nb", "name_en"),
            *Queue.objects.values_list("code", "name", "name_nb", "name_en"),
            *ServiceGuarantee.objects.values_list("queue__code", "channel", "text_nb", "text_en"),
        ]

    first = snapshot()
    load_organisation(path)
    assert snapshot() == first


def test_set_guarantee_sets_the_translations(tmp_path: Path) -> None:
    load_organisation(write(tmp_path, ORG))
    admin = get_user_model().objects.create_user("admin")
    StaffProfile.objects.create(
        user=admin, unit=Unit.objects.get(code="teknisk"), role=Role.ADMINISTRATOR
    )
    queue = Queue.objects.get(code="vatn_avlop")
    guarantee = set_guarantee(
        actor=admin,
        queue=queue,
        channel="email",
        answer_working_days=3,
        text="Svar innan 3 arbeidsdagar.",
        text_nb="Svar innen 3 arbeidsdager.",
        text_en="An answer within 3 working days.",
    )
    assert texts("vatn_avlop") == (
        "Svar innan 3 arbeidsdagar.",
        "Svar innen 3 arbeidsdager.",
        "An answer within 3 working days.",
    )
    # The whole guarantee is set: a new Nynorsk text without translations has none.
    set_guarantee(actor=admin, queue=queue, channel="email", answer_working_days=3, text="Ny.")
    guarantee.refresh_from_db()
    assert (guarantee.text, guarantee.text_nb, guarantee.text_en) == ("Ny.", "", "")


def test_the_staff_guarantee_page_sets_and_shows_the_translations(tmp_path: Path) -> None:
    load_organisation(write(tmp_path, ORG))
    admin = get_user_model().objects.create_user("admin")
    StaffProfile.objects.create(
        user=admin, unit=Unit.objects.get(code="teknisk"), role=Role.ADMINISTRATOR
    )
    client = Client()
    client.force_login(admin)
    page = client.get("/tenestetorget/tenestegarantiar/").content.decode()
    assert 'name="text_nb"' in page and 'name="text_en"' in page
    response = client.post(
        "/tenestetorget/tenestegarantiar/",
        {
            "queue": "faktura",
            "channel": "letter",
            "answer_working_days": "5",
            "interim_reply_working_days": "",
            "text": "Brev om faktura får svar innan 5 arbeidsdagar.",
            "text_nb": "Brev om faktura får svar innen 5 arbeidsdager.",
            "text_en": "Letters about invoices are answered within 5 working days.",
        },
    )
    assert response.status_code == 302
    assert texts("faktura", "letter") == (
        "Brev om faktura får svar innan 5 arbeidsdagar.",
        "Brev om faktura får svar innen 5 arbeidsdager.",
        "Letters about invoices are answered within 5 working days.",
    )
    page = client.get("/tenestetorget/tenestegarantiar/").content.decode()
    assert '<span lang="nb">Bokmål: «Brev om faktura får svar innen 5 arbeidsdager.»</span>' in page
    assert (
        '<span lang="en">English: "Letters about invoices are answered within 5 working days."'
        "</span>"
    ) in page


def test_the_admin_shows_the_translations(tmp_path: Path) -> None:
    load_organisation(write(tmp_path, ORG))
    admin = get_user_model().objects.create_superuser("root", "root@example.no", "x")
    client = Client()
    client.force_login(admin)
    queue = Queue.objects.get(code="vatn_avlop")
    page = client.get(f"/admin/organisation/queue/{queue.pk}/change/").content.decode()
    for name in ("name_nb", "name_en", "guarantees-0-text_nb", "guarantees-0-text_en"):
        assert f'name="{name}"' in page, name
    assert "Water and sewerage" in page
    unit = Unit.objects.get(code="teknisk")
    page = client.get(f"/admin/organisation/unit/{unit.pk}/change/").content.decode()
    assert 'name="name_en"' in page and 'name="queues-0-name_en"' in page
    listing = client.get("/admin/organisation/queue/?q=sewerage").content.decode()
    assert "vatn_avlop" in listing
