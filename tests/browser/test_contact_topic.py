"""The public contact form proposes its topic as the citizen writes: a sure proposal is chosen
and said in words (read out by screen readers), taken back when the text no longer makes it
sure, and never put over the citizen's own choice. The page stays accessible (axe-core)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tenestetorget.organisation.services import load_organisation
from tenestetorget.routing.testing import install_trained_model
from tests.browser.test_inquiry_flow import field

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUEUES = Path(settings.BASE_DIR) / "tenestetorget" / "demo" / "data" / "queues.yaml"


@pytest.fixture(scope="module")
def routing_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_trained_model(tmp_path_factory.mktemp("routing"))


def test_the_topic_is_proposed_as_the_citizen_writes(
    page: Page, routing_model_dir: Path, settings: Any, assert_accessible: Callable[[Page], None]
) -> None:
    settings.ROUTING_MODEL_DIR = routing_model_dir
    load_organisation(QUEUES)
    page.goto("/kontakt/")
    topic = page.get_by_label(field("Kva gjeld det?"))
    note = page.locator("#topic-proposal")
    expect(topic).to_have_value("")

    page.get_by_label(field("Emne")).fill("Skjenkeløyve til bryllaup")
    page.get_by_label(field("Kva lurer du på?")).fill(
        "Vi søkjer om skjenkeløyve for ein einskild anledning: bryllaup i samfunnshuset."
    )
    expect(topic).to_have_value("alkohol")
    expect(note).to_contain_text("Vi har valt «")
    assert note.get_attribute("aria-live") == "polite"
    assert_accessible(page)

    # The text no longer says so: our choice is taken back.
    page.get_by_label(field("Emne")).fill("Hei")
    page.get_by_label(field("Kva lurer du på?")).fill("Kan de ringje meg?")
    expect(topic).to_have_value("")
    expect(note).to_have_text("")

    # The citizen's own choice is never changed.
    topic.select_option("veg")
    page.get_by_label(field("Emne")).fill("Skjenkeløyve til bryllaup")
    page.get_by_label(field("Kva lurer du på?")).fill(
        "Vi søkjer om skjenkeløyve for ein einskild anledning: bryllaup i samfunnshuset."
    )
    page.wait_for_timeout(1500)
    expect(topic).to_have_value("veg")
