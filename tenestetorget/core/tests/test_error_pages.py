"""The site's own error pages (core/errors.py): the site's look, the reader's language, a
reference that stands in the log too, JSON under /api/, and never Django's debug page."""

from __future__ import annotations

import logging
import re

import pytest
from django.db.utils import OperationalError
from django.test import Client, RequestFactory
from django.utils.functional import SimpleLazyObject

from tenestetorget.core import errors

pytestmark = pytest.mark.django_db
TEST_URLS = "tenestetorget.core.tests.urls_for_tests"
REFERENCE = re.compile(r"<strong>([A-Z2-9]{4}-[A-Z2-9]{4})</strong>")


def reference_on(page: str) -> str:
    found = REFERENCE.search(page)
    assert found, f"no reference on the page:\n{page[:3000]}"
    return found.group(1)


def logged(caplog: pytest.LogCaptureFixture, reference: str) -> logging.LogRecord:
    records = [r for r in caplog.records if reference in r.getMessage()]
    assert records, f"reference {reference} not in the log: {caplog.text}"
    return records[0]


def test_404_in_the_sites_look_with_a_reference_in_the_log(client, caplog):
    caplog.set_level(logging.INFO, logger="tenestetorget.errors")
    response = client.get("/finst-ikkje/")
    page = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="nn"' in page
    assert "Fann ikkje sida" in page
    # The public layout: the site's header, menu and footer.
    assert 'class="site-title"' in page
    assert 'class="public-footer"' in page
    record = logged(caplog, reference_on(page))
    assert "/finst-ikkje/" in record.getMessage()
    assert "Content-Security-Policy" in response.headers


def test_error_pages_follow_the_readers_language(client):
    client.cookies["django_language"] = "en"
    response = client.get("/finst-ikkje/")
    assert response.status_code == 404
    assert '<html lang="en"' in response.content.decode()
    assert response["Content-Language"] == "en"


@pytest.mark.urls(TEST_URLS)
def test_500_shows_a_reference_and_logs_the_traceback_with_it(caplog):
    client = Client(raise_request_exception=False)
    response = client.get("/test/feil/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Noko gjekk gale" in page
    assert 'class="site-title"' in page
    # Never Django's debug page, nor anything of the exception.
    assert "Traceback" not in page
    assert "a bug the test put here" not in page
    record = logged(caplog, reference_on(page))
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None
    assert "a bug the test put here" in str(record.exc_info[1])


def test_500_page_needs_neither_database_nor_context_processors(django_assert_num_queries):
    # The database is down: reading the user fails as it would. The page still comes.
    def database_down() -> None:
        raise OperationalError("connection refused")

    request = RequestFactory().get("/tenestetorget/")
    request.user = SimpleLazyObject(database_down)  # type: ignore[assignment]
    with django_assert_num_queries(0):
        response = errors.server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert "Noko gjekk gale" in page
    assert 'class="site-title"' in page
    reference_on(page)


def test_500_page_when_even_the_templates_fail(settings, caplog):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [], "APP_DIRS": False},
    ]
    response = errors.server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Noko gjekk gale" in page
    reference = re.search(r"Referanse: ([A-Z2-9]{4}-[A-Z2-9]{4})", page)
    assert reference, page
    logged(caplog, reference.group(1))


def test_400_shows_the_reason_the_view_gave(client, django_user_model, caplog):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.no", "pw")
    client.force_login(admin)
    response = client.get("/tenestetorget/statistikk/?month=tjuefjorten")
    page = response.content.decode()
    assert response.status_code == 400
    assert "«tjuefjorten» er ikkje ein månad" in page
    assert "Noko i førespurnaden var feil" in page
    logged(caplog, reference_on(page))


def test_403_says_why(client, django_user_model):
    someone = django_user_model.objects.create_user("someone", password="pw")
    client.force_login(someone)
    response = client.get("/tenestetorget/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Du har ikkje tilgang" in page
    assert "Sida er berre for tilsette." in page
    reference_on(page)


def test_a_refused_form_gets_the_sites_page_not_djangos():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/kontakt/", {"subject": "Hei"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "Skjemaet kunne ikkje sendast" in page
    assert "CSRF verification failed" not in page  # Django's own page
    reference_on(page)


@pytest.mark.urls(TEST_URLS)
def test_the_api_keeps_json_errors(caplog):
    client = Client(raise_request_exception=False)
    missing = client.get("/api/v1/finst-ikkje/")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/json"
    body = missing.json()
    assert body["code"] == "not_found"
    assert body["errors"] == []
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", body["reference"])

    failed = client.get("/api/v1/test/feil/")
    assert failed.status_code == 500
    assert failed["Content-Type"] == "application/json"
    body = failed.json()
    assert body["code"] == "server_error"
    assert body["reference"] in body["detail"]
    assert logged(caplog, body["reference"]).exc_info is not None


def test_references_are_easy_to_read_out():
    references = {errors.new_reference() for _ in range(1000)}
    assert len(references) == 1000
    for reference in references:
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", reference)
        assert not set(reference) & set("01ILOU")


def test_the_favicon_is_found_so_page_views_log_no_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("tenestetorget/favicon.svg")
    assert client.get(response["Location"]).status_code == 200
