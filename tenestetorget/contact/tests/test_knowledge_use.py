"""The front desk answers from the knowledge base; questions without an article are listed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tenestetorget.contact import services
from tenestetorget.contact.models import EventKind, Inquiry
from tenestetorget.knowledge.models import Article, ArticleRevision
from tenestetorget.knowledge.services import load_content
from tenestetorget.organisation.models import Channel, Queue, Unit

CONTENT = Path(__file__).resolve().parents[2] / "knowledge" / "tests" / "content"

pytestmark = pytest.mark.django_db


@pytest.fixture
def knowledge(org: Any) -> None:
    # The test organisation lacks the demo's plan_bygg unit queues the content refers to.
    Unit.objects.get_or_create(code="plan_bygg", defaults={"name": "Plan og bygg"})
    for code, unit in [("byggjesak", "plan_bygg"), ("vatn_avlop", "teknisk")]:
        Queue.objects.get_or_create(
            code=code, defaults={"unit": Unit.objects.get(code=unit), "name": code}
        )
    load_content(CONTENT)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_inquiry_page_suggests_articles_and_prefills_answer(
    knowledge: None, register: Any, staff: Any
) -> None:
    inquiry = register(subject="Vasslekkasje i kjellaren", body="Det lek vatn, kva gjer eg?")
    client = client_for(staff["front"])
    page = client.get(f"/tenestetorget/henvending/{inquiry.reference}/").content.decode()
    assert f"/tenestetorget/henvending/{inquiry.reference}/forslag/" in page
    page = client.get(f"/tenestetorget/henvending/{inquiry.reference}/forslag/").content.decode()
    assert "Vasslekkasje – kva gjer eg?" in page
    assert "Rutine: vasslekkasje utanom opningstid" in page  # internal articles help staff
    prefilled = client.get(
        f"/tenestetorget/henvending/{inquiry.reference}/?svar_med=vasslekkasje"
    ).content.decode()
    assert "Steng hovudkranen" in prefilled
    assert 'value="vasslekkasje"' in prefilled
    client.post(
        f"/tenestetorget/henvending/{inquiry.reference}/svar/",
        {
            "answer-text": "Steng hovudkranen.",
            "answer-close": "on",
            "answer-article": "vasslekkasje",
        },
    )
    inquiry.refresh_from_db()
    assert inquiry.answered_with == Article.objects.get(slug="vasslekkasje")
    assert inquiry.events.get(kind=EventKind.ANSWERED).data["article"] == "vasslekkasje"


def test_missing_answers_lists_frequent_questions_without_article(
    knowledge: None, register: Any, staff: Any
) -> None:
    for i in range(3):
        inquiry = register(channel=Channel.PHONE, subject=f"Bålbrenning i hagen {i}")
        services.answer_inquiry(inquiry, staff["front"], "Det er lov.")
    answered_from_article = register(subject="Bålbrenning ved hytta")
    services.answer_inquiry(
        answered_from_article,
        staff["front"],
        "Sjå artikkelen.",
        article=Article.objects.get(slug="vasslekkasje"),
    )
    html = client_for(staff["front"]).get("/tenestetorget/manglande-svar/").content.decode()
    row = html.split("<td>bålbrenning</td>")[1].split("</tr>")[0]
    assert "<td>3</td>" in row
    assert answered_from_article.reference not in html


def test_suggestions_cost_a_fixed_number_of_queries(
    knowledge: None, register: Any, staff: Any
) -> None:
    short = register(subject="Garasje")
    long = register(subject="Garasje og vasslekkasje", body="byggjesøknad gebyr " * 50)
    client = client_for(staff["front"])
    client.get(f"/tenestetorget/henvending/{short.reference}/forslag/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/tenestetorget/henvending/{short.reference}/forslag/")
    with CaptureQueriesContext(connection) as many:
        client.get(f"/tenestetorget/henvending/{long.reference}/forslag/")
    # A text may add two fixed lookups (the fee list when a hit shows a price, the
    # vocabulary when a word is unknown), never one per hit or per word.
    assert len(many.captured_queries) <= len(few.captured_queries) + 2


def test_staff_edit_article_with_history(knowledge: None, staff: Any) -> None:
    client = client_for(staff["tech"])
    page = client.get("/tenestetorget/kunnskap/?q=rutine").content.decode()
    assert "Rutine: vasslekkasje utanom opningstid" in page
    response = client.post(
        "/tenestetorget/kunnskap/vasslekkasje/endre/",
        {
            "language": "nn",
            "title": "Vasslekkasje – kva gjer eg?",
            "summary": "Steng kranen og ring vakttelefonen.",
            "body": "Ny tekst.",
            "note": "Oppdatert rutine",
        },
    )
    assert response.status_code == 302
    revision = ArticleRevision.objects.filter(article__slug="vasslekkasje").first()
    assert revision is not None and revision.note == "Oppdatert rutine"
    detail = client.get("/tenestetorget/kunnskap/vasslekkasje/").content.decode()
    assert "Oppdatert rutine" in detail
    # Another unit's article cannot be edited.
    assert client.get("/tenestetorget/kunnskap/byggjesoknad-garasje/endre/").status_code == 403


def test_closed_answer_without_article_is_not_counted_twice(
    knowledge: None, register: Any, staff: Any
) -> None:
    inquiry = register(subject="Snørydding på tunet")
    services.close_inquiry(inquiry, staff["front"], first_contact_resolved=True)
    assert Inquiry.objects.filter(answered_with__isnull=True).count() == 1


def test_an_internal_routine_can_never_be_sent_as_an_answer(
    knowledge: None, register: Any, staff: Any
) -> None:
    inquiry = register(subject="Vasslekkasje i kjellaren", body="Det lek vatn, kva gjer eg?")
    client = client_for(staff["front"])
    url = f"/tenestetorget/henvending/{inquiry.reference}/"
    # The suggestion is shown to staff, but without "Bruk som svar".
    suggestions = client.get(f"{url}forslag/").content.decode()
    assert "Rutine: vasslekkasje utanom opningstid" in suggestions
    assert "svar_med=rutine-lekkasje" not in suggestions
    # Asking for it by hand fills in nothing and says why.
    page = client.get(f"{url}?svar_med=rutine-lekkasje").content.decode()
    assert 'value="rutine-lekkasje"' not in page
    assert "kan ikkje brukast som svar" in page
    # A forged form post is refused by the service, and nothing is sent.
    response = client.post(
        f"{url}svar/",
        {"answer-text": "Ring vakta på 900 00 000.", "answer-article": "rutine-lekkasje"},
    )
    assert response.status_code in (200, 400)
    inquiry.refresh_from_db()
    assert inquiry.answered_at is None
    assert not inquiry.messages.filter(kind="answer").exists()
    routine = Article.objects.get(slug="rutine-lekkasje")
    with pytest.raises(ValidationError):
        services.answer_inquiry(inquiry, staff["front"], "Svar", article=routine)
