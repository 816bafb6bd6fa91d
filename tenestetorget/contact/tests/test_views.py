"""Staff pages through Django's test client: what each role sees and can do."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tenestetorget.contact import services
from tenestetorget.contact.models import Handover, Inquiry, IntakeRecord, OutgoingMessage, Status
from tenestetorget.contact.tests.conftest import at, oslo
from tenestetorget.organisation.models import Channel, ServiceGuarantee

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


PHONE_NOTE = {
    "channel": "phone",
    "sender_name": "Kari Nordmann",
    "sender_phone": "912 34 567",
    "sender_email": "kari@example.no",
    "sender_kind": "cabin_owner",
    "language": "nn",
    "subject": "Vatn i kjellaren",
    "body": "Ringde om vatn i kjellaren på hytta.",
    "queue": "vatn_avlop",
}


def test_anonymous_is_sent_to_login(org: Any) -> None:
    response = Client().get("/tenestetorget/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_non_staff_user_is_refused(org: Any, django_user_model: Any) -> None:
    user = django_user_model.objects.create_user("citizen", password="x")
    assert client_for(user).get("/tenestetorget/").status_code == 403


def test_phone_note_registers_and_redirects(staff: Any) -> None:
    client = client_for(staff["front"])
    response = client.post("/tenestetorget/ny/", {**PHONE_NOTE, "submission_id": "abc"})
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/tenestetorget/henvending/{inquiry.reference}/"
    assert inquiry.channel == Channel.PHONE
    assert inquiry.queue is not None and inquiry.queue.code == "vatn_avlop"
    assert inquiry.sender.kind == "cabin_owner"
    page = client.get(response["Location"])
    assert inquiry.reference in page.content.decode()


def test_phone_note_double_submit_creates_one(staff: Any) -> None:
    client = client_for(staff["front"])
    first = client.post("/tenestetorget/ny/", {**PHONE_NOTE, "submission_id": "same"})
    second = client.post("/tenestetorget/ny/", {**PHONE_NOTE, "submission_id": "same"})
    assert Inquiry.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_phone_note_resent_from_another_session_still_creates_one(staff: Any) -> None:
    """The key is kept in the one intake record, not in the session: a submit repeated after
    the session was lost (a second tab, a new login) finds the first inquiry."""
    first = client_for(staff["front"]).post(
        "/tenestetorget/ny/", {**PHONE_NOTE, "submission_id": "k1"}
    )
    second = client_for(staff["front"]).post(
        "/tenestetorget/ny/", {**PHONE_NOTE, "submission_id": "k1"}
    )
    assert Inquiry.objects.count() == 1
    assert first["Location"] == second["Location"]
    record = IntakeRecord.objects.get()
    assert (record.source, record.key) == (f"phone:{staff['front'].pk}", "k1")


def test_phone_note_keys_are_per_user(staff: Any, make_user: Any) -> None:
    """Another officer's form with the same id (ids are random; this is a forged one) never
    shows them someone else's inquiry."""
    other = make_user("front2", role="front_desk", unit="tenestetorget")
    client_for(staff["front"]).post("/tenestetorget/ny/", {**PHONE_NOTE, "submission_id": "k2"})
    client_for(other).post("/tenestetorget/ny/", {**PHONE_NOTE, "submission_id": "k2"})
    assert Inquiry.objects.count() == 2


def test_phone_note_errors_keep_input(staff: Any) -> None:
    client = client_for(staff["front"])
    data = {**PHONE_NOTE, "sender_email": "", "sender_phone": "", "organisation_number": "123"}
    response = client.post("/tenestetorget/ny/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert Inquiry.objects.count() == 0
    assert "Organisasjonsnummeret er ikkje gyldig" in html
    assert "Vatn i kjellaren" in html  # what was typed is still there
    assert 'aria-invalid="true"' in html


def test_phone_note_wrong_queue_code(staff: Any) -> None:
    response = client_for(staff["front"]).post(
        "/tenestetorget/ny/", {**PHONE_NOTE, "queue": "finst_ikkje"}
    )
    assert response.status_code == 200
    assert Inquiry.objects.count() == 0


def test_markup_is_escaped_on_pages(register: Any, staff: Any) -> None:
    inquiry = register(subject="<script>alert('x')</script>", body="<img src=x onerror=alert(1)>")
    html = client_for(staff["front"]).get(f"/tenestetorget/henvending/{inquiry.reference}/")
    text = html.content.decode()
    assert "<script>alert" not in text
    assert "&lt;script&gt;" in text
    assert "<img src=x" not in text


def test_fodselsnummer_is_masked_on_page(register: Any, staff: Any) -> None:
    inquiry = register(
        sender=services.SenderData(name="Per", email="per@example.no", national_id="01019955113")
    )
    html = client_for(staff["front"]).get(f"/tenestetorget/henvending/{inquiry.reference}/")
    text = html.content.decode()
    assert "01019955113" not in text
    assert "010199*****" in text


def test_case_officer_sees_only_own_unit(register: Any, staff: Any) -> None:
    water = register(queue="vatn_avlop", subject="Vatn")
    building = register(queue="byggjesak", subject="Garasje")
    tech = client_for(staff["tech"])
    inbox = tech.get("/tenestetorget/?status=all").content.decode()
    assert water.reference in inbox
    assert building.reference not in inbox
    assert tech.get(f"/tenestetorget/henvending/{building.reference}/").status_code == 404
    found = tech.get(f"/tenestetorget/sok/?q={building.reference}").content.decode()
    assert f"/henvending/{building.reference}/" not in found
    assert "Ingen treff." in found


def test_forward_acknowledge_answer_through_pages(register: Any, staff: Any) -> None:
    inquiry = register(channel=Channel.PHONE, queue=None)
    front = client_for(staff["front"])
    ref = inquiry.reference
    response = front.post(
        f"/tenestetorget/henvending/{ref}/vidaresend/",
        {"forward-to_queue": "vatn_avlop", "forward-note": "Ho ventar på svar"},
    )
    assert response.status_code == 302
    tech = client_for(staff["tech"])
    page = tech.get(f"/tenestetorget/henvending/{ref}/").content.decode()
    assert "Stadfest motteke" in page
    tech.post(f"/tenestetorget/henvending/{ref}/stadfest/")
    tech.post(
        f"/tenestetorget/henvending/{ref}/svar/",
        {"answer-text": "Vi kjem i morgon.", "answer-close": "on"},
    )
    inquiry.refresh_from_db()
    assert inquiry.status == Status.CLOSED
    outbox = tech.get("/tenestetorget/utboks/").content.decode()
    assert "Vi kjem i morgon." in outbox


def test_empty_answer_keeps_page_with_error(register: Any, staff: Any) -> None:
    inquiry = register()
    response = client_for(staff["front"]).post(
        f"/tenestetorget/henvending/{inquiry.reference}/svar/", {"answer-text": ""}
    )
    assert response.status_code == 400
    assert OutgoingMessage.objects.filter(kind="answer").count() == 0


def test_unacknowledged_handover_reaches_attention_list(
    register: Any, staff: Any, org: Any
) -> None:
    fresh = register(subject="Nett vidaresendt")
    services.forward_inquiry(fresh, staff["front"], to_queue=org["queues"]["veg"])
    inquiry = register()
    handover = services.forward_inquiry(inquiry, staff["front"], to_queue=org["queues"]["veg"])
    # Ten calendar days hold far more than the limit of working hours, whatever today is.
    Handover.objects.filter(pk=handover.pk).update(
        created_at=handover.created_at - dt.timedelta(days=10)
    )
    html = client_for(staff["front"]).get("/tenestetorget/").content.decode()
    attention = html.split('id="attention-heading"')[1].split("</section>")[0]
    assert inquiry.reference in attention
    assert fresh.reference not in attention


def test_inbox_query_count_is_constant(register: Any, staff: Any) -> None:
    client = client_for(staff["front"])
    register()
    client.get("/tenestetorget/")  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        client.get("/tenestetorget/")
    for i in range(15):
        register(subject=f"Sak {i}", queue=["vatn_avlop", "veg", "byggjesak", None][i % 4])
    with CaptureQueriesContext(connection) as many:
        response = client.get("/tenestetorget/")
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_inquiry_page_query_count_is_constant(register: Any, staff: Any, org: Any) -> None:
    client = client_for(staff["front"])
    small = register()
    big = register()
    for queue in ("veg", "byggjesak", "vatn_avlop"):
        services.forward_inquiry(big, staff["front"], to_queue=org["queues"][queue])
        services.add_note(big, staff["front"], f"Merknad {queue}")
    client.get(f"/tenestetorget/henvending/{small.reference}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/tenestetorget/henvending/{small.reference}/")
    with CaptureQueriesContext(connection) as many:
        client.get(f"/tenestetorget/henvending/{big.reference}/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_inbox_filters(register: Any, staff: Any) -> None:
    email = register(channel=Channel.EMAIL, queue="veg")
    phone = register(channel=Channel.PHONE, queue="byggjesak")
    client = client_for(staff["front"])
    html = client.get("/tenestetorget/?channel=phone").content.decode()
    assert phone.reference in html and email.reference not in html
    html = client.get("/tenestetorget/?queue=veg").content.decode()
    assert email.reference in html and phone.reference not in html
    Inquiry.objects.filter(pk=phone.pk).update(due_date="2020-01-01")
    html = client.get("/tenestetorget/?overdue=1").content.decode()
    assert phone.reference in html and email.reference not in html


def test_statistics_counts_answers_in_time(register: Any, staff: Any) -> None:
    inquiry = register(queue="veg")
    services.answer_inquiry(inquiry, staff["front"], "Svar")
    with at(oslo(2026, 11, 2, 9)):
        late = register(queue="veg")
    with at(oslo(2026, 11, 20, 9)):
        services.answer_inquiry(late, staff["front"], "Seint svar")
    html = client_for(staff["front"]).get("/tenestetorget/statistikk/").content.decode()
    assert "1 av 1 lovnader med frist denne månaden vart haldne." in html
    november = client_for(staff["front"]).get("/tenestetorget/statistikk/?month=2026-11")
    assert "0 av 1 lovnader med frist denne månaden vart haldne." in november.content.decode()
    assert client_for(staff["tech"]).get("/tenestetorget/statistikk/").status_code == 403


def test_guarantees_editable_by_admin_and_own_unit_leader(staff: Any, org: Any) -> None:
    data = {
        "queue": "vatn_avlop",
        "channel": "email",
        "answer_working_days": "3",
        "interim_reply_working_days": "15",
        "text": "Svar innan 3 arbeidsdagar.",
    }
    assert (
        client_for(staff["leader"]).post("/tenestetorget/tenestegarantiar/", data).status_code
        == 302
    )
    guarantee = ServiceGuarantee.objects.get(queue__code="vatn_avlop", channel="email")
    assert guarantee.answer_working_days == 3
    other_unit = {**data, "queue": "byggjesak"}
    response = client_for(staff["leader"]).post("/tenestetorget/tenestegarantiar/", other_unit)
    assert response.status_code == 200
    assert (
        ServiceGuarantee.objects.get(queue__code="byggjesak", channel="email").answer_working_days
        == 2
    )
    assert (
        client_for(staff["tech"]).post("/tenestetorget/tenestegarantiar/", data).status_code == 403
    )
    assert (
        client_for(staff["admin"]).post("/tenestetorget/tenestegarantiar/", other_unit).status_code
        == 302
    )


def test_sender_lookup(register: Any, staff: Any) -> None:
    register()
    html = client_for(staff["front"]).get("/tenestetorget/avsendarar/?q=kari").content.decode()
    assert "Kari Nordmann" in html
    html = client_for(staff["front"]).get("/tenestetorget/avsendarar/?q=9123").content.decode()
    assert "Kari Nordmann" in html


def test_language_default_is_nynorsk_and_switch_works(staff: Any) -> None:
    client = client_for(staff["front"])
    response = client.get("/tenestetorget/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "nn"
    client.cookies["django_language"] = "en"
    assert client.get("/tenestetorget/")["Content-Language"] == "en"


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "2026-13", "abc", "1999-12"])
def test_statistics_refuses_a_month_out_of_range_with_a_reason(staff, month):
    response = client_for(staff["front"]).get(f"/tenestetorget/statistikk/?month={month}")
    assert response.status_code == 400
