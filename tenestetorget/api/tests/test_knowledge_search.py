"""GET /api/v1/knowledge/search/: public, ranked, never an error for what a citizen types
(a `limit` outside 1-20 is a programmer's error: test_schema_agreement)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from tenestetorget.knowledge.services import load_content
from tenestetorget.organisation.services import load_organisation

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(db: Any) -> None:
    load_organisation(ROOT / "demo" / "data" / "queues.yaml")
    load_content(ROOT / "knowledge" / "tests" / "content")


def test_search_without_login(content: None) -> None:
    response = APIClient().get("/api/v1/knowledge/search/", {"q": "kva kostar garasje"})
    assert response.status_code == 200
    first = response.json()["results"][0]
    assert first["url"] == "/teneste/byggjesoknad-garasje/"
    assert first["title"] == "Søknad om løyve til å byggje garasje"
    assert "kr\u00a09\u00a0800" in first["text"]
    assert first["kind"] == "service"


def test_language_from_header(content: None) -> None:
    response = APIClient().get(
        "/api/v1/knowledge/search/", {"q": "garasje"}, HTTP_ACCEPT_LANGUAGE="nb"
    )
    assert response.json()["results"][0]["language"] == "nb"


def test_internal_articles_never_public(content: None) -> None:
    response = APIClient().get("/api/v1/knowledge/search/", {"q": "rutine lekkasje"})
    assert all("rutine" not in hit["url"] for hit in response.json()["results"])


@pytest.mark.parametrize("q", ["", "og", "?!%", "<script>", "' OR 1=1 --", "a" * 3000])
def test_bad_queries(content: None, q: str) -> None:
    response = APIClient().get("/api/v1/knowledge/search/", {"q": q})
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)
