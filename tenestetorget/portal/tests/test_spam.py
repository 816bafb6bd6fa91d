"""Spam protection: honeypot, signed timestamp, rate limit. A refusal keeps what was typed."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tenestetorget.contact.models import Inquiry
from tenestetorget.portal import spam

pytestmark = pytest.mark.django_db


def _html(response: Any) -> str:
    return response.content.decode()


def _assert_refused_and_kept(response: Any, message: str) -> None:
    html = _html(response)
    assert message in html
    assert 'value="Kari Nordmann"' in html
    assert 'value="kari@example.no"' in html
    assert 'value="Snøskuterløyve til hytta"' in html
    assert "Kan eg få løyve til å køyre ved til hytta?</textarea>" in html
    assert Inquiry.objects.count() == 0


def test_the_honeypot_is_hidden_from_people_and_screen_readers(contact_form, organisation, client):
    html = _html(client.get(contact_form.url))
    container = html.split('<div class="hp-field" aria-hidden="true">', 1)[1].split("</div>", 1)[0]
    assert f'name="{spam.HONEYPOT_FIELD}"' in container
    assert 'tabindex="-1"' in container
    assert 'autocomplete="off"' in container
    assert "<label" in container


def test_filled_honeypot_is_refused_and_the_text_kept(contact_form, organisation):
    response = contact_form.post(**{spam.HONEYPOT_FIELD: "http://spam.example"})
    assert response.status_code == 400
    _assert_refused_and_kept(response, "liknar på automatisk utfylling")
    # The honeypot is empty again, so a person can simply send once more.
    assert "http://spam.example" not in _html(response)


def test_after_a_refusal_the_form_can_be_sent_again(contact_form, organisation):
    refused = contact_form.post(**{spam.HONEYPOT_FIELD: "x"})
    hidden = {
        "submission_id": refused.context["submission_id"],
        "form_token": refused.context["form_token"],
    }
    response = contact_form.post(hidden)
    assert response.status_code == 302
    assert Inquiry.objects.count() == 1


def test_too_fast_is_refused(contact_form, organisation, settings):
    settings.TENESTETORGET = {**settings.TENESTETORGET, "CONTACT_FORM_MIN_SECONDS": 60}
    response = contact_form.post()
    assert response.status_code == 400
    _assert_refused_and_kept(response, "svært kort tid etter at det vart opna")


def test_a_form_that_was_open_long_enough_is_accepted(contact_form, organisation, settings):
    settings.TENESTETORGET = {**settings.TENESTETORGET, "CONTACT_FORM_MIN_SECONDS": 60}
    hidden = contact_form.open()
    hidden["form_token"] = spam.issue_form_token(hidden["submission_id"], now=time.time() - 61)
    assert contact_form.post(hidden).status_code == 302
    assert Inquiry.objects.count() == 1


def test_a_form_older_than_a_day_is_refused(contact_form, organisation):
    hidden = contact_form.open()
    hidden["form_token"] = spam.issue_form_token(
        hidden["submission_id"], now=time.time() - 25 * 3600
    )
    response = contact_form.post(hidden)
    assert response.status_code == 400
    _assert_refused_and_kept(response, "meir enn eit døgn")


@pytest.mark.parametrize("token", ["", "forged", None])
def test_a_missing_or_forged_token_is_refused(contact_form, organisation, token):
    hidden = contact_form.open()
    if token is None:
        # A real token, but for another form's submission id.
        token = spam.issue_form_token("00000000-0000-4000-8000-000000000000")
    hidden["form_token"] = token
    response = contact_form.post(hidden)
    assert response.status_code == 400
    _assert_refused_and_kept(response, "liknar på automatisk utfylling")


def test_rate_limit_per_client(contact_form, organisation, settings):
    settings.TENESTETORGET = {**settings.TENESTETORGET, "CONTACT_FORM_RATE_LIMIT": 2}
    assert contact_form.post().status_code == 302
    assert contact_form.post().status_code == 302
    response = contact_form.post()
    assert response.status_code == 429
    html = _html(response)
    assert "mange skjema frå same nettverk" in html
    assert 'value="Snøskuterløyve til hytta"' in html
    assert Inquiry.objects.count() == 2
    # Another address has its own allowance.
    hidden = contact_form.open()
    other = contact_form.client.post(
        contact_form.url,
        {**_valid(), **hidden},
        REMOTE_ADDR="192.0.2.7",
    )
    assert other.status_code == 302
    assert Inquiry.objects.count() == 3


def test_rate_limit_uses_the_proxy_header_when_configured(contact_form, organisation, settings):
    settings.TENESTETORGET = {
        **settings.TENESTETORGET,
        "CONTACT_FORM_RATE_LIMIT": 1,
        "CONTACT_FORM_CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR",
    }
    client = contact_form.client
    first = client.post(
        contact_form.url,
        {**_valid(), **contact_form.open()},
        HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.1",
    )
    assert first.status_code == 302
    same = client.post(
        contact_form.url,
        {**_valid(), **contact_form.open()},
        HTTP_X_FORWARDED_FOR="2.2.2.2, 198.51.100.1",
    )
    assert same.status_code == 429  # the client's own claim (first entry) does not count
    other = client.post(
        contact_form.url, {**_valid(), **contact_form.open()}, HTTP_X_FORWARDED_FOR="198.51.100.2"
    )
    assert other.status_code == 302


def _valid() -> dict[str, str]:
    from tenestetorget.portal.tests.conftest import VALID

    return dict(VALID)
