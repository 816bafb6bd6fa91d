"""POST /api/v1/inquiries/ without a queue: routing's proposal decides when it is sure, and
is kept with its three candidates for the person who routes it when it is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenestetorget.api.tests.helpers import payload
from tenestetorget.contact.models import EventKind, Inquiry
from tenestetorget.organisation.models import Queue
from tenestetorget.routing import models_store
from tenestetorget.routing.testing import install_trained_model

URL = "/api/v1/inquiries/"
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def trained_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_trained_model(tmp_path_factory.mktemp("routing"))


@pytest.fixture
def routed(settings, trained_dir: Path, unit_a, queue_a) -> None:
    """The model in use, and a queue for each code it knows (in one unit: enough here)."""
    settings.ROUTING_MODEL_DIR = trained_dir
    for code in models_store.current().classes:
        Queue.objects.get_or_create(code=code, defaults={"unit": unit_a, "name": code})


def _registered(reference: str) -> dict:
    inquiry = Inquiry.objects.get(reference=reference)
    return inquiry.events.get(kind=EventKind.REGISTERED).data


@pytest.mark.usefixtures("routed")
def test_a_clear_text_goes_straight_to_the_proposed_queue(api) -> None:
    response = api.post(
        URL,
        payload(
            subject="Søknad om skjenkeløyve",
            body="Vi søkjer om skjenkeløyve for bryllaupet vårt i Rauland samfunnshus i juni.",
        ),
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["queue"] == "alkohol"
    note = _registered(response.json()["reference"])["routing"]
    assert note["auto"] is True and note["proposed"] == "alkohol"
    assert len(note["candidates"]) == 3


@pytest.mark.usefixtures("routed")
def test_an_unclear_text_waits_with_three_candidates(api) -> None:
    response = api.post(URL, payload(subject="Spørsmål", body="Kan de ringje meg?"), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["queue"] is None
    note = _registered(response.json()["reference"])["routing"]
    assert note["auto"] is False
    assert note["candidates"][0]["queue"] == note["proposed"]
    assert len(note["candidates"]) == 3


@pytest.mark.usefixtures("routed")
def test_a_queue_given_is_kept_and_nothing_is_proposed(api) -> None:
    response = api.post(
        URL,
        payload(queue="veg", subject="Søknad om skjenkeløyve", body="Skjenkeløyve"),
        format="json",
    )
    assert response.json()["queue"] == "veg"
    assert "routing" not in _registered(response.json()["reference"])


def test_without_a_trained_model_the_front_desk_routes_as_before(api, queue_a) -> None:
    response = api.post(URL, payload(), format="json")
    assert response.json()["queue"] is None
    assert "routing" not in _registered(response.json()["reference"])
