"""The staff pages as the front desk uses them: the inbox's columns, counts and attention
list, the inquiry page's actions, and the phone note's queue list and sender suggestions."""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tenestetorget.contact import services, views
from tenestetorget.contact.models import Handover, Inquiry, Status
from tenestetorget.contact.transitions import allowed_actions
from tenestetorget.core.calendar import calendar_from_settings
from tenestetorget.knowledge.models import Article
from tenestetorget.organisation.models import Channel, ServiceGuarantee

pytestmark = pytest.mark.django_db

INBOX = "/tenestetorget/"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text_of(html: str) -> str:
    """The text a person reads: tags removed, entities decoded, white space collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def section(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


# --- the inbox ----------------------------------------------------------------------------------


def test_assignee_column_shows_the_name_the_user_name_or_nothing(register: Any, staff: Any) -> None:
    unassigned = register(subject="Sak A")
    named = register(subject="Sak B")
    services.take_inquiry(named, staff["tech"])
    nameless = staff["tech2"]
    nameless.first_name = ""
    nameless.save()
    by_username = register(subject="Sak C")
    services.take_inquiry(by_username, nameless)

    html = client_for(staff["front"]).get(INBOX).content.decode()
    rows = {
        ref: text_of(section(html, f">{ref}</a>", "</tr>"))
        for ref in (unassigned.reference, named.reference, by_username.reference)
    }
    assert "None" not in section(html, "<tbody>", "</tbody>")
    assert " Tech " in f" {rows[named.reference]} "
    assert " tech2 " in f" {rows[by_username.reference]} "
    # Unassigned: a dash for the eye, "Ingen" for a screen reader, never "None None".
    cell = section(html, f">{unassigned.reference}</a>", "</tr>")
    assert '<span aria-hidden="true">–</span><span class="visually-hidden">Ingen</span>' in cell


def test_person_name() -> None:
    assert views.person_name("Kari", "Nordmann", "kari") == "Kari Nordmann"
    assert views.person_name("Kari", "", "kari") == "Kari"
    assert views.person_name(None, None, "kari") == "kari"
    assert views.person_name(None, None, None) == ""


def test_count_buttons_say_each_number_once(register: Any, staff: Any) -> None:
    for i in range(3):
        register(subject=f"Sak {i}")
    html = client_for(staff["front"]).get(INBOX).content.decode()
    nav = section(html, 'aria-label="Snarvegar"', "</nav>")
    # Designsystemet's badge draws its data-count with CSS as well: the number came twice.
    assert "data-count" not in nav
    links = [text_of(link) for link in re.findall(r"<a [^>]*>(.*?)</a>", nav, re.S)]
    assert links[0] == "Opne 3"
    assert all(len(re.findall(r"\d+", link)) == 1 for link in links), links


def test_counts_refresh_by_polling_a_small_endpoint(
    register: Any, staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(staff["front"])
    html = client.get(INBOX).content.decode()
    assert 'hx-get="/tenestetorget/teljing/"' in html
    assert 'hx-trigger="every 30s"' in html
    assert '<span class="count" id="count-open">0</span>' in html

    with django_capture_on_commit_callbacks(execute=True):
        register(subject="Ny medan sida var open")
    response = client.get("/tenestetorget/teljing/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    # Only the numbers, swapped out of band into the spans with the same ids.
    assert '<span class="count" id="count-open" hx-swap-oob="true">1</span>' in body
    assert "<a " not in body and "<nav" not in body
    for key in ("overdue", "mine", "waiting", "forwarded", "unrouted", "attention", "due_today"):
        assert f'id="count-{key}"' in body


def test_counts_endpoint_query_count_is_constant(register: Any, staff: Any) -> None:
    client = client_for(staff["front"])
    register()
    client.get("/tenestetorget/teljing/")  # warm the session and the shared counts
    with CaptureQueriesContext(connection) as few:
        client.get("/tenestetorget/teljing/")
    for i in range(10):
        register(subject=f"Sak {i}", queue=["vatn_avlop", "veg", None][i % 3])
    client.get("/tenestetorget/teljing/")
    with CaptureQueriesContext(connection) as many:
        client.get("/tenestetorget/teljing/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_counts_endpoint_stops_polling_without_a_session_and_is_never_cached(
    staff: Any, django_user_model: Any
) -> None:
    # 286: htmx stops polling; the login page is never fetched every 30 seconds.
    assert Client().get("/tenestetorget/teljing/").status_code == 286
    outsider = django_user_model.objects.create_user("outsider", password="x")
    assert client_for(outsider).get("/tenestetorget/teljing/").status_code == 286
    response = client_for(staff["front"]).get("/tenestetorget/teljing/")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]


def _late_handover(register: Any, staff: Any, org: Any, subject: str, since: dt.datetime) -> Any:
    inquiry = register(subject=subject)
    handover = services.forward_inquiry(inquiry, staff["front"], to_queue=org["queues"]["veg"])
    Handover.objects.filter(pk=handover.pk).update(created_at=since)
    return inquiry


def test_attention_list_says_how_late_each_handover_is(register: Any, staff: Any, org: Any) -> None:
    calendar = calendar_from_settings()
    now = timezone.now()
    # Far enough back to be several working days over the limit, whatever today is.
    since = now - dt.timedelta(days=21)
    inquiry = _late_handover(register, staff, org, "Gamal vidaresending", since)
    html = client_for(staff["front"]).get(INBOX).content.decode()
    attention = text_of(section(html, 'id="attention-heading"', "</section>"))
    expected = views.handover_lateness(since, now, calendar, 4)
    assert expected.endswith("arbeidsdagar over fristen")
    assert f"{inquiry.reference} Gamal vidaresending – Vegar: {expected}" in attention
    assert "innan 4 arbeidstimar" in attention


def test_attention_list_costs_one_query_for_the_handovers(
    register: Any, staff: Any, org: Any
) -> None:
    client = client_for(staff["front"])
    since = timezone.now() - dt.timedelta(days=21)
    _late_handover(register, staff, org, "Fyrste", since)
    client.get(INBOX)
    with CaptureQueriesContext(connection) as one:
        client.get(INBOX)
    for i in range(4):
        _late_handover(register, staff, org, f"Fleire {i}", since)
    client.get(INBOX)
    with CaptureQueriesContext(connection) as five:
        html = client.get(INBOX).content.decode()
    assert html.count("arbeidsdagar over fristen") == 5
    assert len(five.captured_queries) == len(one.captured_queries)


def _monday() -> dt.date:
    """A Monday with four working days after it (no holiday in the week)."""
    calendar = calendar_from_settings()
    day = dt.date(2026, 3, 2)
    assert day.weekday() == 0 and all(
        calendar.is_working_day(day + dt.timedelta(days=i)) for i in range(5)
    )
    return day


def test_handover_lateness_in_working_time() -> None:
    calendar = calendar_from_settings()
    tz = timezone.get_default_timezone()
    monday = _monday()
    opening = dt.datetime.combine(monday, calendar.opening, tzinfo=tz)
    day = dt.datetime.combine(monday, calendar.closing) - dt.datetime.combine(
        monday, calendar.opening
    )
    late = views.handover_lateness
    assert late(opening, opening + dt.timedelta(hours=6), calendar, 4) == "venta 6 arbeidstimar"
    assert late(opening, opening + dt.timedelta(hours=1), calendar, 0) == "venta 1 arbeidstime"
    # The night and the weekend do not count: Friday's opening to Monday's opening is one
    # working day.
    friday = opening - dt.timedelta(days=3)
    assert late(friday, opening, calendar, 0) == "1 arbeidsdag over fristen"
    # Two working days and a bit over the limit of four hours.
    two_days_later = opening + dt.timedelta(days=2) + dt.timedelta(hours=5)
    waited = calendar.working_hours_between(opening, two_days_later)
    assert waited == pytest.approx(2 * day.total_seconds() / 3600 + 5)
    assert late(opening, two_days_later, calendar, 4) == "2 arbeidsdagar over fristen"


def test_inbox_table_scrolls_in_its_own_named_box(register: Any, staff: Any) -> None:
    register()
    html = client_for(staff["front"]).get(INBOX).content.decode()
    assert re.search(
        r'<div class="table-scroll" tabindex="0" role="region" aria-labelledby="inbox-caption">'
        r"\s*<table",
        html,
    )
    assert '<caption class="visually-hidden" id="inbox-caption">' in html


# --- the inquiry page ---------------------------------------------------------------------------

#: The form each action posts to (the URL's last part).
ACTION_URLS = {
    "forward": "vidaresend",
    "acknowledge": "stadfest",
    "take": "ta",
    "note": "merknad",
    "pause": "vent",
    "resume": "fortset",
    "interim-reply": "forebels-svar",
    "answer": "svar",
    "close": "avslutt",
    "reopen": "opna",
}


def offered(html: str, reference: str) -> set[str]:
    return {
        action
        for action, url in ACTION_URLS.items()
        if f'action="/tenestetorget/henvending/{reference}/{url}/"' in html
    }


@pytest.mark.parametrize("status", [s.value for s in Status])
def test_inquiry_page_offers_what_the_status_machine_allows(
    register: Any, staff: Any, status: str
) -> None:
    inquiry = register()
    Inquiry.objects.filter(pk=inquiry.pk).update(status=status)
    html = client_for(staff["admin"]).get(f"/tenestetorget/henvending/{inquiry.reference}/")
    expected = {a.value for a in allowed_actions(status, pending_handover=False)}
    assert offered(html.content.decode(), inquiry.reference) == expected


def test_acknowledge_offered_only_while_a_handover_waits(
    register: Any, staff: Any, org: Any
) -> None:
    inquiry = register()
    services.forward_inquiry(inquiry, staff["front"], to_queue=org["queues"]["veg"])
    tech = client_for(staff["tech"])
    url = f"/tenestetorget/henvending/{inquiry.reference}/"
    actions = offered(tech.get(url).content.decode(), inquiry.reference)
    # Waiting for acknowledgement: acknowledge, not take.
    assert "acknowledge" in actions and "take" not in actions
    tech.post(f"{url}stadfest/")
    actions = offered(tech.get(url).content.decode(), inquiry.reference)
    # Now the officer's own: neither acknowledge nor take.
    assert not actions & {"acknowledge", "take"}
    assert {"answer", "forward", "note", "close"} <= actions


def test_archivist_may_forward_and_note_only(register: Any, staff: Any) -> None:
    inquiry = register(queue=None)
    html = client_for(staff["archivist"]).get(f"/tenestetorget/henvending/{inquiry.reference}/")
    assert offered(html.content.decode(), inquiry.reference) == {"forward", "note"}


def open_panels(html: str) -> list[str]:
    return re.findall(r'<details class="ds-details" name="handling" id="([a-z]+)" open>', html)


def test_one_action_panel_open_and_the_answer_first(register: Any, staff: Any) -> None:
    inquiry = register()
    client = client_for(staff["front"])
    url = f"/tenestetorget/henvending/{inquiry.reference}/"
    html = client.get(url).content.decode()
    panels = re.findall(r'<details class="ds-details" name="handling" id="([a-z]+)"', html)
    assert panels == ["answer", "forward", "interim", "note", "pause", "close", "attach"]
    assert open_panels(html) == ["answer"]
    # A link may ask for another panel (the interim-reply prompt does) ...
    assert open_panels(client.get(f"{url}?handling=interim").content.decode()) == ["interim"]
    assert open_panels(client.get(f"{url}?handling=nonsense").content.decode()) == ["answer"]
    # ... and a form that comes back with an error is the one open.
    response = client.post(f"{url}merknad/", {"note-text": ""})
    assert response.status_code == 400
    assert open_panels(response.content.decode()) == ["note"]


def test_inquiry_page_order_inquiry_next_steps_history(register: Any, staff: Any) -> None:
    inquiry = register()
    html = client_for(staff["front"]).get(f"/tenestetorget/henvending/{inquiry.reference}/")
    page = html.content.decode()
    positions = [
        page.index(marker)
        for marker in ('id="text-heading"', 'id="actions-heading"', 'id="timeline-heading"')
    ]
    assert positions == sorted(positions)
    # The facts (sender, dates, status) are in the inquiry's own section, before the actions.
    assert page.index("kari@example.no") < page.index('id="actions-heading"')


# --- the phone note -----------------------------------------------------------------------------


def test_queue_options_carry_scope_and_knowledge_words(staff: Any, org: Any) -> None:
    veg = org["queues"]["veg"]
    veg.scope = "Kommunale vegar: brøyting og strøing, hol i vegen."
    veg.save()
    Article.objects.create(
        slug="broyting",
        queue=veg,
        owner=org["units"]["teknisk"],
        tags=["snø", "vinterdrift"],
        synonyms=["snørydding", "Snow clearing"],
        review_date=dt.date(2030, 1, 1),
    )
    Article.objects.create(
        slug="gamal",
        queue=org["queues"]["byggjesak"],
        owner=org["units"]["plan_bygg"],
        tags=["unpublished-word"],
        review_date=dt.date(2030, 1, 1),
        published=False,
    )
    html = client_for(staff["front"]).get("/tenestetorget/ny/").content.decode()
    option = re.search(r'<option value="veg"[^>]*data-words="([^"]*)"', html)
    assert option is not None
    words = unescape(option.group(1))
    for word in ("vegar", "teknisk drift", "brøyting", "snø", "vinterdrift", "snow clearing"):
        assert word in words
    assert "unpublished-word" not in html


def test_phone_note_shows_the_answer_time_of_the_queue(staff: Any, org: Any) -> None:
    ServiceGuarantee.objects.filter(queue=org["queues"]["veg"], channel=Channel.PHONE).update(
        answer_working_days=5
    )
    client = client_for(staff["front"])
    html = client.get("/tenestetorget/ny/").content.decode()
    data = json.loads(
        section(html, '<script id="answer-times" type="application/json">', "</script>")
    )
    assert data["queues"]["veg"]["phone"] == 5
    assert data["queues"]["vatn_avlop"]["phone"] == 2
    calendar = calendar_from_settings()
    date = f"{calendar.due_date(timezone.now(), 5):%d.%m.%Y}"
    assert data["texts"]["5"] == f"Svartid: 5 arbeidsdagar (svarfrist {date})"
    assert 'aria-describedby="queue-answer-time"' in html
    # Without a queue: the channel's default, shown from the start (also without JavaScript).
    default = data["texts"][str(data["defaults"]["phone"])]
    assert f'id="queue-answer-time" aria-live="polite">{default}</p>' in html
    # A form sent back with an error keeps the chosen queue's answer time.
    response = client.post(
        "/tenestetorget/ny/",
        {"channel": "phone", "sender_name": "Kari", "subject": "", "queue": "veg"},
    )
    assert response.status_code == 200
    assert f'aria-live="polite">{data["texts"]["5"]}</p>' in response.content.decode()


def test_sender_suggestions_stay_out_of_the_tab_order(register: Any, staff: Any) -> None:
    register()
    html = (
        client_for(staff["front"])
        .get("/tenestetorget/avsendarar/", {"sender_name": "Kari"}, headers={"HX-Request": "1"})
        .content.decode()
    )
    buttons = re.findall(r"<button [^>]*>", html)
    assert buttons and all('tabindex="-1"' in b for b in buttons)
    assert '<span id="sender-status" hx-swap-oob="innerHTML">1 tidlegare avsendar passar.' in html


def test_a_refused_action_says_why_on_the_page(register: Any, staff: Any) -> None:
    """An action the status no longer allows (a second tab, a colleague first) is not lost
    in a panel the page no longer shows: the reason is said at the top."""
    inquiry = register()
    services.pause_for_sender(inquiry, staff["front"], "Kart")
    client = Client()
    client.force_login(staff["front"])
    url = f"/tenestetorget/henvending/{inquiry.reference}/"
    response = client.post(
        f"{url}forebels-svar/",
        {"interim-new_due_date": "2030-01-02", "interim-text": "Tek tid."},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url
    assert "Hald fram med ho før du sender førebels svar." in response.content.decode()
