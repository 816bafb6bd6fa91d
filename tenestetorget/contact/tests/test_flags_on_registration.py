"""The flags routing reads from every inquiry's text, whatever the channel: an urgent matter is
marked and its queue told at once (through the outbox), a fødselsnummer or health information
marks it for the archive to consider screening, and the timeline keeps the words, never a
number."""

from __future__ import annotations

import json
from typing import Any

import pytest
from stdnum.no import fodselsnummer

from tenestetorget.contact.models import Audience, EventKind, NoticeKind, OutgoingMessage
from tenestetorget.contact.services import SenderData
from tenestetorget.organisation.models import Channel

pytestmark = pytest.mark.django_db


def _valid_fnr() -> str:
    for n in range(100, 999):
        candidate = f"010190{n}"
        for a in range(10):
            for b in range(10):
                number = f"{candidate}{a}{b}"
                if fodselsnummer.is_valid(number):
                    return number
    raise AssertionError("no valid number found")


@pytest.fixture
def emails(staff: dict[str, Any]) -> None:
    for key, user in staff.items():
        user.email = f"{key}@kommune.test"
        user.save()


@pytest.mark.usefixtures("emails")
def test_an_urgent_phone_note_tells_the_queue_at_once(register: Any) -> None:
    inquiry = register(
        channel=Channel.PHONE,
        subject="Vatn fossar over vegen",
        body="Eit rør har sprukke ved brua; det fossar vatn over vegen.",
        queue="vatn_avlop",
    )
    assert inquiry.urgent
    notice = OutgoingMessage.objects.get(inquiry=inquiry, kind=NoticeKind.URGENT)
    assert notice.audience == Audience.STAFF
    # The unit's case officers and its leader (teknisk), not the front desk.
    assert set(notice.recipients) == {
        "tech@kommune.test",
        "tech2@kommune.test",
        "leader@kommune.test",
    }
    assert inquiry.reference in notice.subject
    flags = inquiry.events.get(kind=EventKind.REGISTERED).data["flags"]
    assert flags["urgent"]


@pytest.mark.usefixtures("emails")
def test_an_unrouted_urgent_matter_tells_the_front_desk(register: Any) -> None:
    inquiry = register(
        subject="Skadd elg i vegkanten", body="Ein påkøyrd elg ligg i grøfta.", queue=None
    )
    notice = OutgoingMessage.objects.get(inquiry=inquiry, kind=NoticeKind.URGENT)
    assert notice.recipients == ["front@kommune.test"]


def test_an_ordinary_question_is_not_urgent(register: Any) -> None:
    inquiry = register(subject="Avlesing av vassmålar", body="Kvar sender eg målarstanden?")
    assert not inquiry.urgent
    assert not OutgoingMessage.objects.filter(kind=NoticeKind.URGENT).exists()


def test_a_national_id_or_health_marks_for_screening_without_keeping_the_number(
    register: Any,
) -> None:
    number = _valid_fnr()
    inquiry = register(
        subject="Søknad om omsorgsstønad",
        body=f"Mor mi har fødselsnummer {number}. Ho har fått diagnosen demens.",
        sender=SenderData(name="Kari", email="kari@example.no"),
    )
    assert inquiry.screening_suggested
    flags = inquiry.events.get(kind=EventKind.REGISTERED).data["flags"]
    assert flags["national_ids"] == 1 and flags["health"]
    assert number not in json.dumps(flags)


def test_history_import_reads_no_flags(register: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    inquiry = register(
        subject="Vasslekkasje",
        received_at=timezone.now() - dt.timedelta(days=800),
        history=True,
    )
    assert not inquiry.urgent


def test_the_flags_show_on_the_inquiry_page_and_in_the_inbox(
    register: Any, staff: dict[str, Any]
) -> None:
    from django.test import Client

    inquiry = register(
        subject="Vatn fossar over vegen",
        body="Eit rør har sprukke; det fossar vatn. Mor har diagnosen demens.",
        queue="vatn_avlop",
    )
    client = Client()
    client.force_login(staff["front"])
    page = client.get(f"/tenestetorget/henvending/{inquiry.reference}/").content.decode()
    assert "Hastar" in page and "Bør vurderast skjerma" in page
    inbox = client.get("/tenestetorget/").content.decode()
    assert 'data-color="danger">Hastar' in inbox
