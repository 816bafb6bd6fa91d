"""The phone note's proposal snippet (/tenestetorget/ny/forslag/): staff only, nothing
without a model, the three candidates with the proposal pre-selected only when sure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tenestetorget.organisation.models import Queue
from tenestetorget.routing import models_store
from tenestetorget.routing.testing import install_trained_model

URL = "/tenestetorget/ny/forslag/"


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_trained_model(tmp_path_factory.mktemp("routing"))


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_staff_only_and_nothing_without_a_model(staff: dict[str, Any]) -> None:
    assert Client().get(URL, {"subject": "Skjenkeløyve"}).status_code == 302
    response = _client(staff["front"]).get(URL, {"subject": "Skjenkeløyve"})
    assert response.status_code == 200
    assert response.content.strip() == b""


@pytest.mark.django_db
def test_sure_and_unsure_proposals(staff: dict[str, Any], settings: Any, model_dir: Path) -> None:
    settings.ROUTING_MODEL_DIR = model_dir
    unit = Queue.objects.get(code="vatn_avlop").unit
    for code in models_store.current().classes:
        Queue.objects.get_or_create(code=code, defaults={"unit": unit, "name": f"Kø {code}"})
    client = _client(staff["front"])
    html = client.get(
        URL,
        {
            "subject": "Søknad om skjenkeløyve",
            "body": "Vi søkjer om skjenkeløyve for bryllaup i Rauland samfunnshus.",
        },
    ).content.decode()
    assert 'data-preselect="alkohol"' in html
    assert html.count("data-choose-queue=") == 3
    html = client.get(URL, {"subject": "Spørsmål", "body": "Kan de ringje meg?"}).content.decode()
    assert 'data-preselect=""' in html
    assert html.count("data-choose-queue=") == 3
    # Nothing typed: nothing proposed.
    assert client.get(URL, {"subject": " ", "body": ""}).content.strip() == b""
