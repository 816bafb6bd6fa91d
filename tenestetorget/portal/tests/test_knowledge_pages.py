"""The public knowledge pages: home with search, search results (and every kind of bad query),
the service catalogue, service and article pages, on the knowledge base's test content."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from decimal import Decimal
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tenestetorget.knowledge.models import Article, Fee, Kind, LifeSituation
from tenestetorget.knowledge.services import load_content, save_version
from tenestetorget.organisation.models import Channel, Queue, ServiceGuarantee, Unit
from tenestetorget.organisation.services import load_organisation

TENESTETORGET = Path(__file__).resolve().parents[2]
QUEUES = TENESTETORGET / "demo" / "data" / "queues.yaml"
CONTENT = TENESTETORGET / "knowledge" / "tests" / "content"
NBSP = "\u00a0"
PRICE = f"kr{NBSP}9{NBSP}800"
SERVICE_URL = "/teneste/byggjesoknad-garasje/"


@pytest.fixture
def knowledge(db: Any) -> None:
    load_organisation(QUEUES)
    load_content(CONTENT)


def get(client: Client, url: str, language: str | None = None, **params: str) -> str:
    if language is not None:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url, params)
    assert response.status_code == 200, (url, params, response.status_code)
    return response.content.decode()


def main_of(html: str) -> str:
    """The page's <main>: the footer repeats the phone number and the contact link on every
    page, so what a page itself offers must be looked for here."""
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def text_of(html: str) -> str:
    # Only ASCII white space: the no-break spaces in prices must survive.
    text = re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
    return unescape(text)


def headings(html: str) -> list[tuple[int, str]]:
    return [
        (int(level), text_of(inner))
        for level, inner in re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", main_of(html), re.S)
    ]


def assert_contact_options(html: str) -> None:
    main = main_of(html)
    phone = settings.TENESTETORGET["PHONE"]
    assert f'href="tel:{phone.replace(" ", "")}"' in main
    assert 'href="/kontakt/' in main
    assert "08:00–15:30" in text_of(main)


# --- home ---------------------------------------------------------------------------------------


def test_home_puts_search_first_then_the_catalogue_and_the_contact_block(client, knowledge):
    html = get(client, "/")
    main = main_of(html)
    # The first control in the page's content is the search field, with a label and a button.
    first_control = re.search(r"<(input|a|button|select|textarea)\b[^>]*>", main)
    assert first_control is not None and 'id="search-q"' in first_control.group(0)
    assert 'role="search"' in main and 'action="/sok/"' in main and 'name="q"' in main
    assert '<label class="ds-label" for="search-q">Kva leiter du etter?</label>' in main
    assert re.search(r'<button type="submit"[^>]*>Søk</button>', main)
    # Catalogue by life situation; only situations with public content are offered.
    assert 'href="/tenester/bustad-og-eigedom/"' in main and "Bustad, bygg og eigedom" in main
    assert 'href="/tenester/vatn-avlop-renovasjon/"' in main
    assert "/tenester/flytte-hit/" not in main
    assert 'href="/tenester/"' in main
    # Popular services, the one phone number and opening hours, the contact form.
    assert "Mykje brukte tenester" in main and f'href="{SERVICE_URL}"' in main
    assert_contact_options(html)
    assert "Éin stad, eitt telefonnummer" in main
    assert "Logg inn for tilsette" in main
    order = [main.index(s) for s in ('id="search-q"', "Tenester etter livssituasjon", "tel:")]
    assert order == sorted(order)


def test_popular_services_follow_the_inquiries_to_their_queue(client, knowledge):
    from django.core.cache import cache

    from tenestetorget.contact.models import Inquiry

    fields = {f.name for f in Inquiry._meta.get_fields()}
    assert {"queue", "received_at"} <= fields
    # A second service, in a queue that gets more inquiries than byggjesak.
    unit = Unit.objects.get(code="teknisk")
    article = Article.objects.create(
        slug="vassmalar",
        kind=Kind.SERVICE,
        queue=Queue.objects.get(code="vatn_avlop"),
        owner=unit,
        review_date=dt.date(2027, 5, 1),
    )
    save_version(
        article, "nn", actor=None, check_permission=False, title="Vassmålar", summary="Om målar."
    )
    html = main_of(get(client, "/"))
    popular = html.split("Mykje brukte tenester", 1)[1]
    # No inquiries yet: the catalogue's order (by queue, then title).
    assert popular.index(SERVICE_URL) < popular.index("/teneste/vassmalar/")

    cache.clear()
    ranking = {
        Queue.objects.get(code="vatn_avlop").pk: 5,
        Queue.objects.get(code="byggjesak").pk: 1,
    }
    cache.set("portal:popular-queues", ranking)
    popular = main_of(get(client, "/")).split("Mykje brukte tenester", 1)[1]
    assert popular.index("/teneste/vassmalar/") < popular.index(SERVICE_URL)


# --- search ---------------------------------------------------------------------------------


def test_search_shows_public_hits_with_title_link_text_and_kind(client, knowledge):
    html = get(client, "/sok/", q="garasje")
    main = main_of(html)
    assert "<h1" in main and "Søkjeresultat" in main
    assert (
        f'<a class="ds-link" href="{SERVICE_URL}">Søknad om løyve til å byggje garasje</a>' in main
    )
    assert 'href="/artikkel/smabygg-utan-soknad/"' in main
    assert PRICE in main  # the short answer, fees filled in
    assert ">Teneste</span>" in main and ">Artikkel</span>" in main
    assert "2 treff på «garasje»" in text_of(main)
    assert 'value="garasje"' in main  # the field keeps the query
    assert '<meta name="robots" content="noindex">' in html


def test_search_never_shows_internal_articles(client, knowledge):
    main = main_of(get(client, "/sok/", q="vasslekkasje"))
    assert 'href="/artikkel/vasslekkasje/"' in main
    assert "rutine-lekkasje" not in main and "Rutine:" not in main


def test_search_uses_the_language_of_the_page(client, knowledge):
    main = main_of(get(client, "/sok/", language="nb", q="garasje"))
    assert "Søknad om tillatelse til å bygge garasje" in main
    assert "treff på «garasje»" in text_of(main)
    # An article without a Bokmål version is shown in Nynorsk, marked as such.
    assert re.search(r'<h2[^>]*lang="nn"[^>]*><a[^>]*>Kva kan eg byggje utan å søkje\?', main)


def test_search_escapes_markup_in_the_query(client, knowledge):
    html = get(client, "/sok/", q='<script>alert("x")</script> garasje')
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; garasje" in html
    assert f'href="{SERVICE_URL}"' in html  # the words still count


BAD_QUERIES = {
    "empty": "",
    "spaces": "    ",
    "stop words": "og i på det er",
    "english stop words": "the and of",
    "symbols": "?!%&*()[]{}«»–",
    "one letter": "x",
    "markup": "<b onmouseover=alert(1)>hei</b>",
    "sql": "'; DROP TABLE knowledge_article; --",
    "sql or": "1' OR '1'='1",
    "tsquery syntax": "a:* & !b | (c <-> d)",
    "fts5 syntax": 'NEAR(x y) AND "unclosed * ^z',
    "template": "{{ settings.SECRET_KEY }} {% debug %}",
    "nul byte": "garasje\x00",
    "control characters": "\x01\x02\x1b[31m\u200b\ufeff",
    "emoji": "🏠🚗",
    "percent": "100% _ %%",
    "very long word": "a" * 5000,
    "very long query": "byggjesøknad garasje " * 500,
    "only digits": "0000 1234",
    "url": "https://example.org/?q=<x>&y=1",
}


@pytest.mark.parametrize("query", BAD_QUERIES.values(), ids=BAD_QUERIES.keys())
def test_bad_queries_give_a_helpful_page_never_an_error(client, knowledge, query):
    articles_before = Article.objects.count()
    html = get(client, "/sok/", q=query)
    main = main_of(html)
    assert_contact_options(html)
    assert main.count("<h1") == 1
    assert "<b onmouseover" not in html and "\x00" not in html
    assert settings.SECRET_KEY not in html
    # The echo is cut: a pasted page of text is not repeated in full.
    assert len(html) < 40_000
    if "result__title" not in main:
        assert re.search(r"<h1[^>]*>\s*(Ingen treff|Søk)\s*</h1>", main)
        assert 'href="/tenester/"' in main  # somewhere to go from here
    assert Article.objects.count() == articles_before


@pytest.mark.parametrize(
    "query_string", ["q=%ff%fe%00", "q=garasje&q=%3Cscript%3E", "q", "Q=garasje", "q=%"]
)
def test_malformed_query_strings(client, knowledge, query_string):
    response = client.get(f"/sok/?{query_string}")
    assert response.status_code == 200
    assert "<script>" not in main_of(response.content.decode())
    assert_contact_options(response.content.decode())


def test_a_query_of_only_stop_words_gets_advice(client, knowledge):
    main = text_of(main_of(get(client, "/sok/", q="og i på")))
    assert "Ingen treff" in main and "Vi fann ingen sider som passar med «og i på»" in main
    assert "berre småord eller teikn" in main


def test_a_query_with_no_hits_gets_tips(client, knowledge):
    main = text_of(main_of(get(client, "/sok/", q="flyplass")))
    assert "Ingen treff" in main and "Sjekk at orda er rett skrivne" in main


def test_a_very_long_query_says_it_was_cut(client, knowledge):
    main = main_of(get(client, "/sok/", q="garasje " + "x" * 1000))
    assert "dei fyrste 300 teikna" in text_of(main)
    # The field keeps what was searched with; the text repeats only the start of it.
    assert 'value="garasje ' + "x" * 292 + '"' in main
    assert "x" * 200 not in main.split("</form>", 1)[1]


def test_an_empty_query_asks_for_words(client, knowledge):
    main = main_of(get(client, "/sok/"))
    assert re.search(r"<h1[^>]*>\s*Søk\s*</h1>", main)
    assert "Skriv inn eitt eller fleire ord" in text_of(main)


# --- service and article pages --------------------------------------------------------------


def test_service_page_has_every_section(client, knowledge):
    building = Queue.objects.get(code="byggjesak")
    ServiceGuarantee.objects.create(queue=building, channel=Channel.EMAIL, answer_working_days=2)
    ServiceGuarantee.objects.create(
        queue=building, channel=Channel.LETTER, answer_working_days=1, interim_reply_working_days=5
    )
    html = get(client, SERVICE_URL)
    main = main_of(html)
    titles = [text for _level, text in headings(html)]
    assert titles == [
        "Søknad om løyve til å byggje garasje",
        "Kva er tenesta",
        "Kven kan bruke tenesta",
        "Korleis søkjer du",
        "Vedlegg",
        "Pris",
        "Tenestegaranti",
        "Lovgrunnlag",
        "Kontakt",
    ]
    text = text_of(main)
    assert "Ein garasje over 50 m² krev byggjesøknad" in text  # summary
    assert "Du søkjer på nett." in text  # body
    assert "Alle som eig ein eigedom." in text  # who
    assert "Send søknaden med teikningar." in text  # how
    assert f"Gebyr for søknad om garasje: {PRICE} per søknad" in text
    assert "E-post: svar innan 2 arbeidsdagar" in text
    assert "Brev: svar innan 1 arbeidsdag. Tek det lengre tid" in text
    assert "Plan- og bygningslova § 20-1." in text
    assert "Ansvarleg eining: Plan, byggjesak og oppmåling." in text
    assert 'href="tel:35000000"' in main
    assert re.search(
        r'<a class="ds-button" data-variant="primary" href="/kontakt/\?tema=byggjesak">'
        r"Skriv til oss om denne tenesta</a>",
        main,
    )
    assert "Sist oppdatert:" in text
    assert 'href="/tenester/bustad-og-eigedom/"' in main  # breadcrumbs
    assert "Denne sida er ikkje omsett" not in text


def test_service_page_price_follows_the_fee_table(client, knowledge):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Fee.objects.create(
        code="byggjesak_garasje",
        valid_from=yesterday,
        amount=Decimal("10500"),
        name_nn="Gebyr for søknad om garasje",
        unit_nn="per søknad",
    )
    text = text_of(main_of(get(client, SERVICE_URL)))
    assert f"kr{NBSP}10{NBSP}500 per søknad" in text
    assert PRICE not in text
    # The price already decided for later is shown as such.
    assert f"Frå 1. januar 2099: kr{NBSP}12{NBSP}000 per søknad" in text


def test_service_without_guarantees_of_its_own_shows_the_general_ones(client, knowledge):
    text = text_of(main_of(get(client, SERVICE_URL)))
    assert "Brev: svar innan 5 arbeidsdagar" in text
    assert 'href="/tenestegarantiar/"' in get(client, SERVICE_URL)


def test_article_page(client, knowledge):
    html = get(client, "/artikkel/vasslekkasje/")
    main = main_of(html)
    assert [t for _l, t in headings(html)][:2] == ["Vasslekkasje – kva gjer eg?", "Svar"]
    assert f"Steng hovudkranen og ring vakttelefonen. Vatnet kostar kr{NBSP}24,50 per m³." in (
        text_of(main)
    )
    # The body's markup is sanitised: the script in the test content never reaches the page.
    assert "<script>alert(1)</script>" not in html and "alert(1)" not in main.split("Svar")[0]
    assert 'href="/kontakt/?tema=vatn_avlop"' in main
    assert 'href="/tenester/vatn-avlop-renovasjon/"' in main
    assert ">Artikkel</span>" in main


def test_internal_unpublished_and_unknown_articles_are_not_found(client, knowledge):
    assert client.get("/artikkel/rutine-lekkasje/").status_code == 404
    assert client.get("/teneste/rutine-lekkasje/").status_code == 404
    assert client.get("/artikkel/finst-ikkje/").status_code == 404
    Article.objects.filter(slug="byggjesoknad-garasje").update(published=False)
    assert client.get(SERVICE_URL).status_code == 404
    assert SERVICE_URL not in get(client, "/tenester/")
    assert SERVICE_URL not in get(client, "/sok/", q="garasje")
    assert SERVICE_URL not in get(client, "/")


def test_the_wrong_kind_in_the_address_leads_to_the_right_page(client, knowledge):
    response = client.get("/artikkel/byggjesoknad-garasje/")
    assert response.status_code == 302 and response["Location"] == SERVICE_URL
    response = client.get("/teneste/vasslekkasje/")
    assert response.status_code == 302 and response["Location"] == "/artikkel/vasslekkasje/"


def test_bokmal_version_with_the_bokmal_cookie(client, knowledge):
    html = get(client, SERVICE_URL, language="nb")
    main = main_of(html)
    assert '<html lang="nb"' in html
    assert '<h1 id="page-title" class="ds-heading" data-size="lg">Søknad om tillatelse' in main
    assert "Gebyret er" in main and PRICE in main
    # The text is Bokmål, and so is the unit's name (name_nb): nothing falls back to Nynorsk.
    assert 'lang="nn"' not in main
    assert "Plan, byggesak og oppmåling" in main
    assert "Denne siden er ikke oversatt" not in main


def test_nynorsk_with_a_note_where_there_is_no_translation(client, knowledge):
    html = get(client, "/artikkel/vasslekkasje/", language="nb")
    main = main_of(html)
    assert '<html lang="nb"' in html
    assert re.search(r'<h1[^>]*lang="nn"[^>]*>Vasslekkasje – kva gjer eg\?</h1>', main)
    assert "Denne siden er ikke oversatt ennå, så du leser den på nynorsk." in main
    assert re.search(r'<div class="rich-text lead" lang="nn"><p>Steng hovudkranen', main)

    html = get(client, SERVICE_URL, language="en")
    main = main_of(html)
    text = text_of(main)
    assert "This page has not been translated yet, so it is shown in Nynorsk." in text
    assert re.search(r'<h1[^>]*lang="nn"[^>]*>Søknad om løyve til å byggje garasje</h1>', main)
    # The sections and the price list are in English; the text itself stays Nynorsk.
    assert "What the service is" in text and "Price" in text
    assert "Garage application fee: NOK 9,800 per application" in text
    assert "Write to us about this service" in text


# --- the catalogue ----------------------------------------------------------------------------


def test_catalogue_by_life_situation_and_by_topic(client, knowledge):
    html = get(client, "/tenester/")
    main = main_of(html)
    by_situation, by_topic = main.split("Etter tema", 1)
    assert "Etter livssituasjon" in by_situation
    assert 'href="/tenester/bustad-og-eigedom/"' in by_situation
    assert f'href="{SERVICE_URL}"' in by_situation
    # Articles are not services: the life situation with only an article says so.
    assert 'href="/tenester/vatn-avlop-renovasjon/"' in by_situation
    assert "Her er det berre svar på vanlege spørsmål enno." in by_situation
    assert "/tenester/flytte-hit/" not in main  # nothing public there
    assert "Byggjesak" in by_topic and f'href="{SERVICE_URL}"' in by_topic
    assert "/artikkel/" not in by_topic
    assert "rutine-lekkasje" not in main


def test_life_situation_page_lists_services_and_articles(client, knowledge):
    main = main_of(get(client, "/tenester/bustad-og-eigedom/"))
    assert "<h1" in main and "Bustad, bygg og eigedom" in main
    services, articles = main.split("Svar på vanlege spørsmål", 1)
    assert f'href="{SERVICE_URL}"' in services and PRICE in services
    assert 'href="/artikkel/smabygg-utan-soknad/"' in articles
    assert "vasslekkasje" not in main
    assert client.get("/tenester/finst-ikkje/").status_code == 404
    empty = main_of(get(client, "/tenester/flytte-hit/"))
    assert "Ingen tenester her enno." in empty
    assert get(client, "/tenester/bustad-og-eigedom/", language="en").count(
        "Housing, building and property"
    )


def _more_content(n: int) -> None:
    """n more services and articles, in several queues and life situations, each in nn and nb."""
    situations = list(LifeSituation.objects.all())
    queues = list(Queue.objects.filter(active=True)[:5])
    owner = Unit.objects.get(code="plan_bygg")
    for i in range(n):
        article = Article.objects.create(
            slug=f"ekstra-{i}",
            kind=Kind.SERVICE if i % 3 else Kind.ARTICLE,
            queue=queues[i % len(queues)],
            owner=owner,
            review_date=dt.date(2027, 5, 1),
        )
        article.life_situations.set(situations[i % len(situations) : i % len(situations) + 2])
        for language in ("nn", "nb"):
            save_version(
                article,
                language,
                actor=None,
                check_permission=False,
                title=f"Ekstra teneste {i} ({language})",
                summary="Kostar [[gebyr:byggjesak_garasje]].",
            )


@pytest.mark.parametrize(
    "url", ["/", "/tenester/", "/tenester/bustad-og-eigedom/", SERVICE_URL, "/sok/?q=garasje"]
)
def test_pages_read_in_a_constant_number_of_queries(
    client, knowledge, django_assert_max_num_queries, url
):
    get(client, url)  # warm: the popular-services ranking is cached

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            get(client, url)
        return len(queries)

    before = count()
    _more_content(24)
    after = count()
    assert after == before, (url, before, after)
    with django_assert_max_num_queries(8):
        get(client, url)


def test_every_new_page_has_one_h1_and_headings_in_order(client, knowledge):
    urls = [
        "/",
        "/sok/",
        "/sok/?q=garasje",
        "/sok/?q=flyplass",
        "/tenester/",
        "/tenester/bustad-og-eigedom/",
        SERVICE_URL,
        "/artikkel/vasslekkasje/",
    ]
    for url in urls:
        levels = [level for level, _text in headings(get(client, url))]
        assert levels[0] == 1 and levels.count(1) == 1, url
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, (url, levels)


def test_pages_in_english(client, knowledge):
    html = get(client, "/", language="en")
    assert '<html lang="en"' in html
    main = main_of(html)
    assert "What are you looking for?" in main and "Services by life situation" in main
    assert "Housing, building and property" in main
    main = main_of(get(client, "/sok/", language="en", q="og i"))
    assert "No results" in main
    main = main_of(get(client, "/tenester/", language="en"))
    assert "By life situation" in main and "By topic" in main


# --- the contact form's topic -----------------------------------------------------------------


def test_contact_form_preselects_the_topic_from_the_service_page(client, knowledge):
    main = main_of(get(client, "/kontakt/", tema="byggjesak"))
    assert re.search(r'<option value="byggjesak" selected>', main)
    assert main.count(" selected>") == 1


@pytest.mark.parametrize("topic", ["finst-ikkje", "<script>", ""])
def test_contact_form_ignores_an_unknown_topic(client, knowledge, topic):
    main = main_of(get(client, "/kontakt/", tema=topic))
    assert '<option value="" selected>' in main
    assert "<script>" not in main.split("<form", 1)[1]


def test_contact_form_ignores_an_inactive_topic(client, knowledge):
    Queue.objects.filter(code="byggjesak").update(active=False)
    main = main_of(get(client, "/kontakt/", tema="byggjesak"))
    assert 'value="byggjesak"' not in main
