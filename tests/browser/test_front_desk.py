"""The front desk's own tools in a real browser, used from the keyboard as on the phone:
earlier senders appear without moving the Tab order, the queue filter finds a queue by what
it handles, the chosen queue's answer time shows, and the inbox counts refresh by themselves
without taking the focus away."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from tenestetorget.contact import services
from tenestetorget.core.calendar import calendar_from_settings
from tenestetorget.knowledge.models import Article
from tenestetorget.organisation.models import Channel, Queue, Role, ServiceGuarantee, Unit
from tenestetorget.organisation.services import load_organisation
from tenestetorget.routing.testing import install_trained_model
from tests.browser.conftest import Network
from tests.browser.test_inquiry_flow import field, log_in, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUEUES = Path(settings.BASE_DIR) / "tenestetorget" / "demo" / "data" / "queues.yaml"


@pytest.fixture
def front_desk() -> Any:
    load_organisation(QUEUES)
    user = make_staff("frontdesk", "Frida", "Fyrstelina", "tenestetorget", Role.FRONT_DESK)
    for name, email in [("Kari Nordmann", "kari@example.no"), ("Karin Haugen", "karin@example.no")]:
        services.register_inquiry(
            channel=Channel.EMAIL,
            subject="Tidlegare spørsmål",
            body="",
            sender=services.SenderData(name=name, email=email),
            queue="veg",
            actor=user,
        )
    return user


def focused(page: Page) -> str:
    """The focused element, as id or tag and text."""
    result: str = page.evaluate(
        "() => { const el = document.activeElement;"
        " return el.id || `${el.tagName.toLowerCase()}: ${el.textContent.trim()}`; }"
    )
    return result


def test_tab_goes_to_the_next_field_when_senders_are_suggested(
    page: Page, network: Network, front_desk: Any
) -> None:
    log_in(page, "frontdesk")
    page.goto("/tenestetorget/ny/")
    name = page.get_by_label(field("Namn"))
    name.press_sequentially("Kar")
    suggestions = page.locator("#sender-suggestions [data-sender-name]")
    expect(suggestions).to_have_count(2)
    network.settle(page)
    page.keyboard.press("Tab")
    assert focused(page) == "id_sender_phone"

    # From the last sender field, too: Tab passes the suggestions by.
    page.get_by_label(field("E-post")).press_sequentially("kari@")
    network.settle(page)
    expect(suggestions).to_have_count(2)
    page.keyboard.press("Tab")
    assert focused(page) == "summary: Organisasjonsnummer og fødselsnummer"
    expect(page.locator("#sender-status")).to_have_text(
        "2 tidlegare avsendarar passar. Pil ned for å velje."
    )

    # Arrow down reaches them; Enter fills in the sender and goes on to the subject.
    page.get_by_label(field("E-post")).focus()
    page.keyboard.press("ArrowDown")
    assert focused(page).startswith("button: Kari Nordmann")
    page.keyboard.press("Enter")
    expect(name).to_have_value("Kari Nordmann")
    assert focused(page) == "id_subject"


def test_queue_filter_finds_by_scope_and_shows_the_answer_time(page: Page, front_desk: Any) -> None:
    veg = Queue.objects.get(code="veg")
    # Neither the name nor the scope of the roads queue says "snø"; its article's tags do.
    assert "snø" not in f"{veg.name} {veg.scope}".casefold()
    Article.objects.create(
        slug="broyting-og-stroing",
        queue=veg,
        owner=Unit.objects.get(code="teknisk"),
        tags=["brøyting", "snø"],
        synonyms=["snørydding"],
        review_date=dt.date(2030, 1, 1),
    )
    ServiceGuarantee.objects.create(queue=veg, channel=Channel.PHONE, answer_working_days=3)
    log_in(page, "frontdesk")
    page.goto("/tenestetorget/ny/")
    queue = page.get_by_label(field("Fagområde"))
    answer_time = page.locator("#queue-answer-time")

    page.get_by_label("Søk i fagområde").fill("snø")
    expect(queue).to_have_value("veg")
    visible = queue.evaluate("s => [...s.options].filter(o => !o.hidden).map(o => o.value)")
    # The snowmobile queue matches too: its scope speaks of snøscooterløyper.
    assert visible == ["", "veg", "motorferdsel"]
    calendar = calendar_from_settings()
    date = f"{calendar.due_date(timezone.now(), 3):%d.%m.%Y}"
    expect(answer_time).to_have_text(f"Svartid: 3 arbeidsdagar (svarfrist {date})")

    # A word from the scope finds a queue as well; the answer time follows the choice.
    page.get_by_label("Søk i fagområde").fill("slamtømming")
    expect(queue).to_have_value("vatn_avlop")
    expect(answer_time).to_have_text(re.compile(r"^Svartid: 2 arbeidsdagar \(svarfrist "))
    # ... and the channel: a letter has five working days by default.
    page.get_by_label(field("Kanal")).select_option(Channel.LETTER)
    expect(answer_time).to_have_text(re.compile(r"^Svartid: 5 arbeidsdagar \(svarfrist "))


def test_inbox_counts_refresh_and_keep_the_focus(page: Page, front_desk: Any) -> None:
    page.clock.install()
    log_in(page, "frontdesk")
    open_link = page.get_by_role("link", name="Opne 2", exact=True)
    expect(open_link).to_be_visible()
    open_link.focus()
    services.register_inquiry(
        channel=Channel.PHONE,
        subject="Kom inn medan sida var open",
        body="",
        sender=services.SenderData(name="Ola Nordmann", phone="91234567"),
        queue=None,
        actor=front_desk,
    )
    page.clock.run_for(31_000)
    expect(page.get_by_role("link", name="Opne 3", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Ikkje fordelt 1", exact=True)).to_be_visible()
    assert focused(page) == "a: Opne 3"


@pytest.fixture(scope="module")
def routing_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_trained_model(tmp_path_factory.mktemp("routing"))


def test_the_proposed_queue_is_chosen_when_sure_and_a_candidate_is_one_click_away(
    page: Page, front_desk: Any, routing_model_dir: Path, settings: Any
) -> None:
    settings.ROUTING_MODEL_DIR = routing_model_dir
    log_in(page, "frontdesk")
    page.goto("/tenestetorget/ny/")
    queue = page.get_by_label(field("Fagområde"))
    proposal = page.locator("#queue-proposal")

    # A clear matter: the proposal is chosen by itself, with the answer time.
    page.get_by_label(field("Emne")).fill("Skjenkeløyve til bryllaup")
    page.get_by_label(field("Tekst")).fill(
        "Vi søkjer om skjenkeløyve for ein einskild anledning: bryllaup i Rauland samfunnshus."
    )
    expect(proposal).to_contain_text("Foreslått fagområde: Sals- og skjenkeløyve")
    expect(queue).to_have_value("alkohol")
    expect(page.locator("#queue-answer-time")).to_have_text(re.compile(r"^Svartid: "))

    # A text that no longer says so takes the proposal's choice back.
    page.get_by_label(field("Emne")).fill("Hei")
    page.get_by_label(field("Tekst")).fill("Kan de ringje meg tilbake?")
    expect(proposal).to_contain_text("Usikkert forslag")
    expect(queue).to_have_value("")
    page.get_by_label(field("Emne")).fill("Skjenkeløyve til bryllaup")
    page.get_by_label(field("Tekst")).fill(
        "Vi søkjer om skjenkeløyve for ein einskild anledning: bryllaup i Rauland samfunnshus."
    )
    expect(queue).to_have_value("alkohol")

    # A person's choice is never overwritten by a later proposal.
    queue.select_option("veg")
    page.get_by_label(field("Tekst")).fill("Vi søkjer om skjenkeløyve til bryllaupet vårt.")
    expect(proposal).to_contain_text("Sals- og skjenkeløyve")
    expect(queue).to_have_value("veg")

    # A candidate's button chooses its queue.
    proposal.get_by_role("button", name=re.compile(r"^Sals- og skjenkeløyve")).click()
    expect(queue).to_have_value("alkohol")
