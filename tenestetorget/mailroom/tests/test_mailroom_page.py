"""The mail-room page: who may see it, today's counts, the manual list's one-click routing
(which the figures then count), the quarantine's re-processing and raw download, and scan
uploads."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tenestetorget.contact.models import Handover
from tenestetorget.mailroom import intake, selectors
from tenestetorget.mailroom.models import IncomingMessage, State
from tenestetorget.mailroom.tests import mailsamples as samples
from tenestetorget.mailroom.tests.test_ocr import letter_pdf, rasterise

pytestmark = pytest.mark.django_db
URL = "/tenestetorget/postmottak/"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _day_of_mail() -> dict[str, IncomingMessage]:
    take = lambda raw: intake.take(raw, source="test")[0]  # noqa: E731
    return {
        "auto": take(
            samples.plain(
                subject="Søknad om skjenkeløyve",
                body="Vi søkjer om skjenkeløyve for bryllaupet vårt i samfunnshuset i juni.",
                message_id="<p1@x>",
            )
        ),
        "waiting": take(
            samples.plain(subject="Spørsmål", body="Kan de ringje meg?", message_id="<p2@x>")
        ),
        "auto_reply": take(samples.out_of_office()),
        "broken": take(b"\x00\x01\x02 ikkje e-post"),
    }


def test_only_archive_and_front_desk_see_the_mail_room(town) -> None:
    assert _client(town["case"]).get(URL).status_code == 403
    assert _client(town["archivist"]).get(URL).status_code == 200
    assert _client(town["front"]).get(URL).status_code == 200
    assert Client().get(URL).status_code == 302


def test_the_page_shows_today_the_waiting_and_the_quarantine(town) -> None:
    mail = _day_of_mail()
    page = _client(town["archivist"]).get(URL).content.decode()
    today = selectors.today()
    assert (today.received, today.auto_routed, today.waiting) == (4, 1, 1)
    assert (today.ignored, today.quarantined) == (1, 1)
    assert mail["waiting"].inquiry is not None
    assert mail["waiting"].inquiry.reference in page
    assert mail["broken"].reason in page
    # Three candidates, one click each.
    assert (
        page.count(f'action="/tenestetorget/postmottak/melding/{mail["waiting"].pk}/fordel/"') == 1
    )
    assert page.count('name="queue" value=') == 3


def test_one_click_routes_and_the_figures_count_it(town) -> None:
    mail = _day_of_mail()
    waiting = mail["waiting"]
    choice = waiting.routing["candidates"][1]["queue"]
    response = _client(town["front"]).post(f"{URL}melding/{waiting.pk}/fordel/", {"queue": choice})
    assert response.status_code == 302
    handover = Handover.objects.get(inquiry=waiting.inquiry)
    assert handover.to_queue.code == choice
    figures = selectors.figures()
    assert figures.registered == 2 and figures.auto_routed == 1 and figures.auto_right == 1
    assert figures.manual == 1 and figures.manual_top3 == 1 and figures.manual_top1 == 0
    assert figures.corrections == 0
    assert sum(d["auto"] + d["manual"] for d in figures.days) == 2


def test_an_auto_routed_inquiry_moved_later_is_a_correction(town) -> None:
    mail = _day_of_mail()
    other = next(q for code, q in town["queues"].items() if code != "alkohol")
    from tenestetorget.contact.services import forward_inquiry

    inquiry = mail["auto"].inquiry
    assert inquiry is not None
    forward_inquiry(inquiry, town["front"], to_queue=other)
    figures = selectors.figures()
    assert figures.auto_corrected == 1 and figures.auto_right == 0 and figures.corrections == 1


def test_quarantine_raw_download_and_reprocess(town) -> None:
    mail = _day_of_mail()
    broken = mail["broken"]
    client = _client(town["archivist"])
    raw = client.get(f"{URL}melding/{broken.pk}/original/")
    assert raw.status_code == 200
    assert raw["Content-Type"] == "application/octet-stream"
    assert raw["Content-Disposition"].startswith("attachment")
    assert b"".join(raw.streaming_content) == b"\x00\x01\x02 ikkje e-post"  # type: ignore[attr-defined]
    response = client.post(f"{URL}melding/{broken.pk}/prov-pa-nytt/", follow=True)
    assert "Framleis i karantene" in response.content.decode()
    broken.refresh_from_db()
    assert broken.state == State.QUARANTINED and broken.attempts == 2


def test_a_case_officer_cannot_route_or_download(town) -> None:
    mail = _day_of_mail()
    client = _client(town["case"])
    assert (
        client.post(f"{URL}melding/{mail['waiting'].pk}/fordel/", {"queue": "veg"}).status_code
        == 403
    )
    assert client.get(f"{URL}melding/{mail['broken'].pk}/original/").status_code == 403


def test_an_uploaded_scan_is_stored_then_read(town, tmp_path) -> None:
    image = rasterise(letter_pdf(), tmp_path)
    response = _client(town["archivist"]).post(
        f"{URL}skanna/", {"scan": SimpleUploadedFile("brev.png", image, "image/png")}
    )
    assert response.status_code == 302
    message = IncomingMessage.objects.get()
    assert message.kind == "scan" and message.state == State.REGISTERED
    assert message.inquiry is not None and message.inquiry.channel == "letter"


def test_the_page_uses_a_fixed_number_of_queries(town, django_assert_max_num_queries) -> None:
    for n in range(3):
        intake.take(
            samples.plain(subject="Spørsmål", body="Kan de ringje meg?", message_id=f"<q{n}@x>"),
            source="t",
        )
    client = _client(town["archivist"])
    client.get(URL)
    with django_assert_max_num_queries(25) as few:
        client.get(URL)
    for n in range(3, 20):
        intake.take(
            samples.plain(subject="Spørsmål", body="Kan de ringje meg?", message_id=f"<q{n}@x>"),
            source="t",
        )
        intake.take(b"\x00 broken %d" % n, source="t")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)


def test_an_upload_too_large_or_of_another_type_is_refused_with_a_reason(town, settings) -> None:
    settings.TENESTETORGET = {**settings.TENESTETORGET, "MAX_ATTACHMENT_BYTES": 1024 * 1024}
    client = _client(town["archivist"])
    big = SimpleUploadedFile(
        "brev.pdf", b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024), "application/pdf"
    )
    page = client.post(f"{URL}skanna/", {"scan": big}, follow=True).content.decode()
    assert "Fila er større enn 1 MB" in page
    word = SimpleUploadedFile("brev.docx", b"PK\x03\x04", "application/zip")
    page = client.post(f"{URL}skanna/", {"scan": word}, follow=True).content.decode()
    assert "Berre PDF, PNG, JPEG og TIFF" in page
    assert IncomingMessage.objects.count() == 0


def test_the_chart_has_bars_with_decimal_points(town) -> None:
    _day_of_mail()
    page = _client(town["archivist"]).get(URL).content.decode()
    import re

    bars = re.findall(r'<rect x="([^"]+)" y="([^"]+)" width="([^"]+)" height="([^"]+)"', page)
    assert bars, "no bars in the chart"
    for values in bars:
        for value in values:
            float(value)  # "12,5" (a Norwegian decimal comma) would make the SVG invalid
