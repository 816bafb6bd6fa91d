"""GET /kontakt/tema-forslag/: the contact form's topic, given only when routing is sure and
only a topic the form offers, and at most TOPIC_RATE_LIMIT times an hour per client."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tenestetorget.organisation.models import Queue
from tenestetorget.organisation.services import load_organisation
from tenestetorget.portal import topics
from tenestetorget.routing.testing import install_trained_model

pytestmark = pytest.mark.django_db
URL = "/kontakt/tema-forslag/"
CLEAR = {
    "subject": "Skjenkeløyve til bryllaup",
    "body": "Vi søkjer om skjenkeløyve for ein einskild anledning: bryllaup i samfunnshuset.",
}
QUEUES = Path(django_settings.BASE_DIR) / "tenestetorget" / "demo" / "data" / "queues.yaml"


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_trained_model(tmp_path_factory.mktemp("routing"))


@pytest.fixture
def routed(settings: Any, model_dir: Path) -> None:
    settings.ROUTING_MODEL_DIR = model_dir
    load_organisation(QUEUES)


@pytest.mark.usefixtures("routed")
def test_a_clear_text_gets_its_topic_and_a_vague_one_none() -> None:
    client = Client()
    assert client.get(URL, CLEAR).json() == {"queue": "alkohol"}
    assert client.get(URL, {"subject": "Hei", "body": "Kan de ringje meg?"}).json() == {"queue": ""}
    assert client.get(URL, {"subject": "", "body": ""}).json() == {"queue": ""}
    assert "no-store" in client.get(URL, CLEAR)["Cache-Control"]


@pytest.mark.usefixtures("routed")
def test_a_topic_the_form_does_not_offer_is_not_proposed() -> None:
    Queue.objects.filter(code="alkohol").update(active=False)
    from tenestetorget.organisation import queue_register

    queue_register.forget()
    assert Client().get(URL, CLEAR).json() == {"queue": ""}


def test_without_a_model_there_is_no_proposal(settings: Any, tmp_path: Path) -> None:
    settings.ROUTING_MODEL_DIR = tmp_path / "none"
    assert Client().get(URL, CLEAR).json() == {"queue": ""}


@pytest.mark.usefixtures("routed")
def test_the_rate_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(topics, "TOPIC_RATE_LIMIT", 3)
    client = Client()
    codes = [client.get(URL, CLEAR).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]


@pytest.mark.usefixtures("routed")
def test_the_form_carries_the_script_and_the_live_region() -> None:
    html = Client().get("/kontakt/").content.decode()
    assert 'id="topic-proposal" aria-live="polite"' in html
    assert "portal/contact_topic" in html
