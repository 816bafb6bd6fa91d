"""Search as a Norwegian citizen would use it, on whichever database the suite runs on."""

from __future__ import annotations

from typing import Any

import pytest

from tenestetorget.knowledge import search
from tenestetorget.knowledge.search_text import split_compound, words

pytestmark = pytest.mark.django_db


def slugs(query: str, **kwargs: Any) -> list[str]:
    return [hit.article.slug for hit in search.search(query, **kwargs)]


def test_variants_are_mapped() -> None:
    assert words("Vann og vei, snøscooter") == ["vatn", "og", "veg", "snøskuter"]


def test_compound_split() -> None:
    known = {"byggjesøknad", "gebyr", "byggje", "søknad"}.__contains__
    assert split_compound("byggjesøknadsgebyr", known) == ["byggjesøknad", "gebyr"]
    assert split_compound("hus", known) == []


def test_compound_query_finds_parts(content: Any) -> None:
    assert slugs("byggjesøknadsgebyr")[0] == "byggjesoknad-garasje"
    assert slugs("gebyr byggjesøknad")[0] == "byggjesoknad-garasje"


def test_bokmal_and_misspelling(content: Any) -> None:
    assert slugs("byggesøknad garasje")[0] == "byggjesoknad-garasje"
    assert slugs("vannlekkasje")[0] == "vasslekkasje"
    assert "vasslekkasje" in slugs("lekasje vatn")


def test_english_query(content: Any) -> None:
    assert slugs("water leak")[0] == "vasslekkasje"


def test_service_page_first(content: Any) -> None:
    assert slugs("garasje")[0] == "byggjesoknad-garasje"


def test_internal_articles_only_for_staff(content: Any) -> None:
    assert "rutine-lekkasje" not in slugs("lekkasje")
    assert "rutine-lekkasje" in slugs("lekkasje", include_internal=True)


def test_language_version_shown(content: Any) -> None:
    hit = search.search("garasje", language="nb")[0]
    assert hit.version.language == "nb"
    assert hit.title == "Søknad om tillatelse til å bygge garasje"
    fallback = search.search("lekkasje", language="nb")[0]
    assert fallback.version.language == "nn"


def test_hit_text_has_todays_fee(content: Any) -> None:
    hit = search.search("garasje")[0]
    assert "kr\u00a09\u00a0800 per søknad" in hit.text
    assert hit.url == "/teneste/byggjesoknad-garasje/"


@pytest.mark.parametrize(
    "query", ["", "   ", "og i på", "%%% ***", "'; DROP TABLE x; --", "<script>", "x" * 5000]
)
def test_bad_queries_give_no_error(content: Any, query: str) -> None:
    assert isinstance(search.search(query), list)


def test_common_words_left_out_on_large_bases(content: Any, monkeypatch: Any) -> None:
    # Pretend the base is large, so words in more than half the texts stay out of the
    # engine's query: the rarer words still find the article, on either database, and a
    # query of common words only falls back to its rarest ones instead of finding nothing.
    monkeypatch.setattr(search, "PRUNE_FROM", 1)
    monkeypatch.setattr(search, "COMMON_SHARE", 0.5)
    assert "vasslekkasje" in slugs("garasje søknad gebyr lekkasje")
    assert slugs("garasje søknad gebyr byggjesøknad")


def test_a_short_shortlist_keeps_the_texts_with_the_words_in_their_titles(
    content: Any, monkeypatch: Any
) -> None:
    # On PostgreSQL only a shortlist, chosen from the indexes by where the rarer words stand,
    # is ranked on the full text. Texts with the words in the title or keywords come first
    # in it, so even a shortlist of one keeps the right answer (SQLite ranks every match and
    # must agree).
    monkeypatch.setattr(search, "SHORTLIST", 1)
    monkeypatch.setattr(search, "PRUNE_FROM", 1)
    assert slugs("lekkasje vatn")[0] == "vasslekkasje"
    assert slugs("garasje søknad")[0] == "byggjesoknad-garasje"


def test_english_question_words_are_not_taken_for_norwegian_ones(content: Any) -> None:
    # "need" is close to the Norwegian "ned" and would match texts about going down.
    assert search.parse_query("do i need a permit for a garage")[0].word != "need"
