"""The mail room in a real browser: a day of sample mail (the demo's) shows what was routed,
what waits with its three candidates, and the quarantine; one click routes a waiting message;
the page is accessible (axe-core) on a desktop and a phone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tenestetorget.demo.mail import import_sample_day
from tenestetorget.mailroom.models import IncomingMessage, State
from tenestetorget.organisation.models import Role
from tenestetorget.organisation.services import load_organisation
from tenestetorget.routing.testing import install_trained_model
from tests.browser.test_inquiry_flow import log_in, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUEUES = Path(settings.BASE_DIR) / "tenestetorget" / "demo" / "data" / "queues.yaml"


@pytest.fixture(scope="module")
def routing_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_trained_model(tmp_path_factory.mktemp("routing"))


def test_a_day_in_the_mail_room(
    page: Page, routing_model_dir: Path, settings: Any, assert_accessible: Callable[[Page], None]
) -> None:
    settings.ROUTING_MODEL_DIR = routing_model_dir
    load_organisation(QUEUES)
    make_staff("arkivar", "Astrid", "Arkiv", "tenestetorget", Role.ARCHIVIST)
    summary = import_sample_day()
    assert summary["quarantined"] == 1 and summary["ignored"] == 1
    log_in(page, "arkivar")
    page.goto("/tenestetorget/postmottak/")
    expect(page.get_by_role("heading", name="Postmottak")).to_be_visible()
    expect(page.get_by_role("heading", name="Karantene")).to_be_visible()
    expect(page.get_by_role("link", name="Last ned originalen")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 375, "height": 800})
    assert_accessible(page)
    page.set_viewport_size({"width": 1024, "height": 800})

    waiting = page.locator("#waiting-h + ol > li")
    before = waiting.count()
    assert before >= 1
    first = waiting.first
    reference = first.get_by_role("link").first.inner_text()
    first.get_by_role("button").first.click()
    expect(page.get_by_text(f"{reference} er sendt til")).to_be_visible()
    assert (
        IncomingMessage.objects.filter(state=State.REGISTERED, inquiry__reference=reference)
        .exclude(inquiry__queue=None)
        .exists()
    )
