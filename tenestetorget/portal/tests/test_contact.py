"""The public contact form: submission, receipt, double submit and bad input."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tenestetorget.contact.models import (
    Attachment,
    Inquiry,
    IntakeRecord,
    MessageKind,
    MessageStatus,
    OutgoingMessage,
)
from tenestetorget.contact.services import MAX_BODY, MAX_SUBJECT, SenderData, register_inquiry
from tenestetorget.core.calendar import calendar_from_settings
from tenestetorget.organisation.models import Channel
from tenestetorget.portal import receipts
from tenestetorget.portal.forms import ContactForm

pytestmark = pytest.mark.django_db

VALID_ORGNR = "974760673"  # Brønnøysundregistra


def _location(response: Any) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def _html(response: Any) -> str:
    return response.content.decode()


# --- success ----------------------------------------------------------------------------------


def test_submission_creates_one_webform_inquiry_and_sends_the_acknowledgement(
    contact_form, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = contact_form.post(queue="motorferdsel")
    assert _location(response).startswith("/kontakt/kvittering/")

    inquiry = Inquiry.objects.get()
    assert inquiry.channel == Channel.WEBFORM
    assert inquiry.queue == organisation["motor"]
    assert inquiry.subject == "Snøskuterløyve til hytta"
    assert inquiry.body == "Kan eg få løyve til å køyre ved til hytta?"
    assert inquiry.created_by is None
    assert inquiry.sender.name == "Kari Nordmann"
    assert inquiry.sender.email == "kari@example.no"
    assert inquiry.sender.kind == "resident"
    assert inquiry.sender.language == inquiry.language == "nn"
    # The queue's web-form guarantee (3 working days) sets the promised date.
    assert inquiry.due_date == calendar_from_settings().due_date(inquiry.received_at, 3)

    message = OutgoingMessage.objects.get(inquiry=inquiry)
    assert message.kind == MessageKind.ACKNOWLEDGEMENT
    assert message.status == MessageStatus.SENT
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["kari@example.no"]
    assert inquiry.reference in mailoutbox[0].subject
    assert inquiry.reference in mailoutbox[0].body
    assert IntakeRecord.objects.get(source="webform").inquiry == inquiry


def test_receipt_shows_reference_dates_and_subject_only(contact_form, organisation, client):
    response = contact_form.post(phone="99 88 77 66")
    page = client.get(_location(response))
    assert page.status_code == 200
    inquiry = Inquiry.objects.get()
    html = _html(page)
    assert inquiry.reference in html
    assert "Snøskuterløyve til hytta" in html
    assert f'datetime="{inquiry.due_date:%Y-%m-%d}"' in html
    day = inquiry.due_date
    assert f"{day.day}. " in html and str(day.year) in html
    assert "Vi har sendt ei stadfesting" in html
    # Nothing about the sender or the text is shown.
    assert "Kari Nordmann" not in html
    assert "kari@example.no" not in html
    assert "99 88 77 66" not in html
    assert "køyre ved" not in html
    assert page["Cache-Control"] == "private, no-store"
    assert page["Referrer-Policy"] == "same-origin"


def test_receipt_without_email_says_no_confirmation_was_sent(contact_form, organisation, client):
    response = contact_form.post(email="", phone="35 06 00 00")
    html = _html(client.get(_location(response)))
    assert "inga stadfesting på e-post" in html
    assert Inquiry.objects.get().sender.phone == "35 06 00 00"


def test_without_a_topic_the_inquiry_waits_for_the_front_desk(contact_form, organisation):
    _location(contact_form.post(queue=""))
    inquiry = Inquiry.objects.get()
    assert inquiry.queue is None
    # The default web-form answer time applies.
    assert inquiry.due_date == calendar_from_settings().due_date(inquiry.received_at, 2)


def test_organisation_sender_and_attachments_are_stored(contact_form, organisation):
    files = [
        SimpleUploadedFile("kart.pdf", b"%PDF-1.4 kart", content_type="application/pdf"),
        SimpleUploadedFile("bilete.jpg", b"\xff\xd8\xff bilete", content_type="image/jpeg"),
    ]
    response = contact_form.post(
        kind="business", organisation_number="974 760 673", attachments=files
    )
    _location(response)
    inquiry = Inquiry.objects.get()
    assert inquiry.sender.kind == "business"
    assert inquiry.sender.organisation_number == VALID_ORGNR
    assert inquiry.sender.is_organisation
    names = sorted(
        Attachment.objects.filter(inquiry=inquiry).values_list("original_name", flat=True)
    )
    assert names == ["bilete.jpg", "kart.pdf"]


def test_sender_language_is_the_language_of_the_request(contact_form, organisation, client):
    client.cookies["django_language"] = "nb"
    page = client.get(reverse("portal:contact"))
    assert '<html lang="nb"' in _html(page)
    _location(contact_form.post())
    inquiry = Inquiry.objects.get()
    assert inquiry.language == "nb"
    assert inquiry.sender.language == "nb"


# --- receipt cannot be guessed ----------------------------------------------------------------


def test_receipt_needs_a_valid_signature(contact_form, organisation, client):
    location = _location(contact_form.post())
    token = location.rstrip("/").rsplit("/", 1)[1]
    inquiry = Inquiry.objects.get()
    for guess in (str(inquiry.pk), inquiry.reference, token[:-2] + "xx", token + "x"):
        page = client.get(reverse("portal:receipt", kwargs={"token": guess}))
        assert page.status_code == 404
        main = _html(page).split("<main", 1)[1].split("</main>", 1)[0]
        assert inquiry.reference not in main
        assert "Fann ikkje kvitteringa" in main
    # A token made with another salt (another signed value of this site) is no key either.
    from django.core import signing

    other = signing.Signer(salt="another").sign_object({"i": inquiry.pk})
    assert client.get(reverse("portal:receipt", kwargs={"token": other})).status_code == 404


def test_receipt_expires(contact_form, organisation, client):
    location = _location(contact_form.post())
    inquiry = Inquiry.objects.get()
    Inquiry.objects.filter(pk=inquiry.pk).update(
        received_at=timezone.now() - dt.timedelta(days=receipts.RECEIPT_VALID_DAYS + 1)
    )
    page = client.get(location)
    assert page.status_code == 404
    assert "Fann ikkje kvitteringa" in _html(page)


def test_markup_is_stored_as_typed_and_shown_escaped(contact_form, organisation, client):
    subject = "<script>alert('x')</script> Hjelp"
    page = client.get(_location(contact_form.post(subject=subject, body="<b>feit</b>")))
    inquiry = Inquiry.objects.get()
    assert inquiry.subject == subject
    assert inquiry.body == "<b>feit</b>"
    html = _html(page)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Hjelp" in html


# --- double submit ----------------------------------------------------------------------------


def test_double_submit_creates_one_inquiry_and_leads_to_the_same_receipt(
    contact_form, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    hidden = contact_form.open()
    with django_capture_on_commit_callbacks(execute=True):
        first = _location(contact_form.post(hidden))
        second = _location(contact_form.post(hidden, subject="Endra emne"))
    assert first == second
    assert Inquiry.objects.count() == 1
    assert Inquiry.objects.get().subject == "Snøskuterløyve til hytta"
    assert len(mailoutbox) == 1


def test_a_new_form_makes_a_new_inquiry(contact_form, organisation):
    first = _location(contact_form.post())
    second = _location(contact_form.post())
    assert first != second
    assert Inquiry.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_click_creates_one_inquiry(organisation):
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrent writers need a server database; SQLite's test database is shared memory"
        )
    from tenestetorget.portal.tests.conftest import ContactClient

    hidden = ContactClient(Client()).open()
    barrier = threading.Barrier(2)
    locations: list[str] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            browser = ContactClient(Client())
            barrier.wait(timeout=10)
            locations.append(_location(browser.post(hidden)))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(locations) == 2 and locations[0] == locations[1]
    assert Inquiry.objects.count() == 1
    assert IntakeRecord.objects.filter(source="webform").count() == 1


# --- bad input ----------------------------------------------------------------------------------


def _assert_field_error(html: str, field: str, text: str) -> None:
    """The message is next to the field, linked with aria-describedby, and in the summary
    with a link to the field."""
    block = re.search(
        rf'<div class="ds-validation-message"[^>]*id="id_{field}_error">(.*?)</div>', html, re.S
    )
    assert block is not None, f"no error next to {field}"
    assert text in block.group(1)
    tag = re.search(rf"<(?:input|textarea|select)[^>]*id=\"id_{field}\"[^>]*>", html)
    assert tag is not None
    assert 'aria-invalid="true"' in tag.group(0)
    assert f"id_{field}_error" in tag.group(0)
    summary = re.search(r'<div class="ds-error-summary".*?</div>', html, re.S)
    assert summary is not None
    assert f'href="#id_{field}"' in summary.group(0)
    assert text in summary.group(0)


def _assert_kept(html: str, **values: str) -> None:
    for field, value in values.items():
        assert f'value="{value}"' in html or f">{value}</textarea>" in html, field


def test_invalid_email_is_shown_next_to_the_field_and_the_rest_is_kept(contact_form, organisation):
    response = contact_form.post(email="kari@", phone="", queue="byggjesak")
    assert response.status_code == 200
    html = _html(response)
    _assert_field_error(html, "email", "E-postadressa er ikkje gyldig.")
    _assert_kept(html, name="Kari Nordmann", email="kari@", subject="Snøskuterløyve til hytta")
    assert "Kan eg få løyve til å køyre ved til hytta?</textarea>" in html
    assert '<option value="byggjesak" selected>' in html
    assert "<title>Feil:" in html
    assert Inquiry.objects.count() == 0


def test_missing_email_and_phone(contact_form, organisation):
    html = _html(contact_form.post(email="", phone=""))
    _assert_field_error(html, "email", "Skriv inn e-postadressa di eller telefonnummeret ditt")
    assert Inquiry.objects.count() == 0


def test_invalid_phone(contact_form, organisation):
    html = _html(contact_form.post(phone="12"))
    _assert_field_error(html, "phone", "Telefonnummeret er ikkje gyldig.")
    assert Inquiry.objects.count() == 0


def test_invalid_organisation_number(contact_form, organisation):
    html = _html(contact_form.post(kind="club", organisation_number="123456789"))
    _assert_field_error(html, "organisation_number", "Organisasjonsnummeret er ikkje gyldig")
    _assert_kept(html, organisation_number="123456789")
    assert re.search(r'<input[^>]*value="club"[^>]*checked', html)
    assert Inquiry.objects.count() == 0


def test_every_missing_required_field_is_reported_at_once(contact_form, organisation):
    html = _html(contact_form.post(name="", subject="", body="", email="", phone=""))
    _assert_field_error(html, "name", "Skriv inn namnet ditt.")
    _assert_field_error(html, "subject", "Skriv eit emne.")
    _assert_field_error(html, "body", "Skriv kva du lurer på.")
    _assert_field_error(html, "email", "Skriv inn e-postadressa di eller telefonnummeret ditt")


def test_very_long_text_is_refused_with_a_message_and_kept(contact_form, organisation):
    long_body = "ord " * (MAX_BODY // 4) + "slutt"
    response = contact_form.post(body=long_body)
    html = _html(response)
    _assert_field_error(
        html, "body", f"Teksten kan vere høgst {MAX_BODY} teikn. No er det {len(long_body)}."
    )
    assert long_body in html
    assert Inquiry.objects.count() == 0


def test_very_long_subject(contact_form, organisation):
    subject = "x" * (MAX_SUBJECT + 5)
    html = _html(contact_form.post(subject=subject))
    _assert_field_error(html, "subject", f"Emnet kan vere høgst {MAX_SUBJECT} teikn.")
    _assert_kept(html, subject=subject)


def test_oversized_attachment(contact_form, organisation, settings):
    settings.TENESTETORGET = {**settings.TENESTETORGET, "MAX_ATTACHMENT_BYTES": 10}
    upload = SimpleUploadedFile("stor.pdf", b"%PDF" + b"0" * 100, content_type="application/pdf")
    html = _html(contact_form.post(attachments=[upload]))
    _assert_field_error(html, "attachments", "Fila «stor.pdf» er for stor.")
    # File inputs cannot be filled in again: the citizen is told to choose them again.
    assert "Vel dei på nytt" in html
    assert 'id="id_attachments_lost"' in html
    _assert_kept(html, subject="Snøskuterløyve til hytta")
    assert Inquiry.objects.count() == 0


def test_forbidden_attachment_type(contact_form, organisation):
    upload = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    html = _html(contact_form.post(attachments=[upload]))
    _assert_field_error(html, "attachments", "Fila «virus.exe» er av ein type vi ikkje tek imot.")
    assert Inquiry.objects.count() == 0


def test_too_many_attachments(contact_form, organisation, settings):
    settings.TENESTETORGET = {**settings.TENESTETORGET, "MAX_ATTACHMENTS": 1}
    uploads = [SimpleUploadedFile(f"{n}.txt", b"tekst") for n in range(2)]
    html = _html(contact_form.post(attachments=uploads))
    _assert_field_error(html, "attachments", "Du kan leggje ved høgst 1 filer.")
    assert Inquiry.objects.count() == 0


def test_an_unknown_topic_is_refused(contact_form, organisation):
    html = _html(contact_form.post(queue="gammal"))
    _assert_field_error(html, "queue", "Vel eit av fagområda i lista.")
    assert Inquiry.objects.count() == 0


def test_service_errors_are_mapped_to_the_form_fields(organisation):
    """register_inquiry's keys land on the fields they belong to."""
    with pytest.raises(ValidationError) as caught:
        register_inquiry(
            channel=Channel.WEBFORM,
            subject="",
            body="x" * (MAX_BODY + 1),
            sender=SenderData(name="", email="ikkje-e-post", organisation_number="1"),
            queue="finst-ikkje",
            attachments=[SimpleUploadedFile("a.exe", b"x")],
        )
    keys = set(caught.value.message_dict)
    assert {"subject", "body", "sender.name", "sender.email", "sender.organisation_number"} <= keys
    assert {"queue", "attachments"} <= keys
    form = ContactForm(data={})
    form.is_valid()
    for field in list(form.errors):
        del form.errors[field]
    form.add_service_errors(caught.value)
    for field in (
        "subject",
        "body",
        "name",
        "email",
        "organisation_number",
        "queue",
        "attachments",
    ):
        assert form.errors.get(field), field
    form.add_service_errors(ValidationError({"sender.national_id": "Ukjend"}))
    assert "Ukjend" in form.non_field_errors()


@pytest.mark.django_db(transaction=True)
def test_a_submission_racing_an_uncommitted_one_is_rolled_back_whole(organisation):
    """The second of two simultaneous POSTs waits on the first, fails on the unique
    submission id, and returns the first inquiry; its own number and inquiry are rolled back."""
    if connection.vendor != "postgresql":
        pytest.skip("needs two concurrent connections to a server database")
    import uuid

    from django.db import transaction

    from tenestetorget.portal.services import submit_contact_form

    sid = uuid.uuid4()
    sender = SenderData(name="Kari Nordmann", email="kari@example.no")
    first_ready = threading.Event()
    results: dict[str, Any] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                inquiry = register_inquiry(
                    channel=Channel.WEBFORM, subject="Fyrst", body="", sender=sender
                )
                IntakeRecord.objects.create(source="webform", key=str(sid), inquiry=inquiry)
                results["first"] = inquiry.pk
                first_ready.set()
                time.sleep(1.0)  # the second has looked up the id and now waits on our locks
        finally:
            first_ready.set()
            connection.close()

    def second() -> None:
        try:
            first_ready.wait(timeout=10)
            inquiry, created = submit_contact_form(
                submission_id=sid, subject="Andre", body="", sender=sender, queue_code=None
            )
            results["second"] = (inquiry.pk, created)
        except BaseException as exc:  # reported below
            results["error"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert "error" not in results, results.get("error")
    assert results["second"] == (results["first"], False)
    assert list(Inquiry.objects.values_list("subject", "number")) == [("Fyrst", 1)]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_errors_come_in_the_language_of_the_page(contact_form, organisation, client, language):
    """The page and its messages go through gettext in the active language. Until the nb and en
    catalogues exist, gettext returns the Nynorsk source text, which is what is asserted."""
    from django.utils import translation

    client.cookies["django_language"] = language
    html = _html(contact_form.post(email="kari@", phone=""))
    assert f'<html lang="{language}"' in html
    with translation.override(language):
        expected = translation.gettext("E-postadressa er ikkje gyldig.")
        heading = translation.gettext("Skjemaet er ikkje sendt. Rett opp dette:")
    _assert_field_error(html, "email", expected)
    assert heading in html
