"""The client's address behind a proxy: from the header the operator names, right-most entry
of X-Forwarded-For, REMOTE_ADDR when the header is missing or holds no address."""

from __future__ import annotations

import pytest
from django.http import HttpRequest
from django.test import RequestFactory

from tenestetorget.core.client_address import client_address, client_address_or_none

REMOTE = "10.0.0.5"  # the proxy, as the server sees it


def _request(**meta: str) -> HttpRequest:
    request = RequestFactory().get("/")
    request.META.update({"REMOTE_ADDR": REMOTE, **meta})
    return request


def test_without_a_header_setting_the_connecting_address_counts(settings):
    settings.CLIENT_IP_HEADER = ""
    request = _request(HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_address(request) == REMOTE  # the header is the client's claim: ignored


@pytest.mark.parametrize("header", ["X-Forwarded-For", "x-forwarded-for", "HTTP_X_FORWARDED_FOR"])
def test_the_header_can_be_named_as_sent_or_as_its_meta_key(settings, header):
    settings.CLIENT_IP_HEADER = header
    assert client_address(_request(HTTP_X_FORWARDED_FOR="198.51.100.1")) == "198.51.100.1"


def test_forwarded_for_takes_the_entry_our_proxy_appended(settings):
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    # The client sent "X-Forwarded-For: 1.1.1.1" itself; our proxy appended what it saw.
    request = _request(HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.1")
    assert client_address(request) == "198.51.100.1"


def test_two_trusted_proxies_take_the_second_entry_from_the_right(settings):
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.CLIENT_IP_PROXY_COUNT = 2
    request = _request(HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.1, 10.0.0.9")
    assert client_address(request) == "198.51.100.1"
    # Fewer entries than proxies: it did not pass through both; the connecting address.
    assert client_address(_request(HTTP_X_FORWARDED_FOR="198.51.100.1")) == REMOTE


def test_the_old_contact_form_setting_is_still_honoured(settings):
    settings.CLIENT_IP_HEADER = ""
    settings.TENESTETORGET = {
        **settings.TENESTETORGET,
        "CONTACT_FORM_CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
    }
    assert client_address(_request(HTTP_X_REAL_IP="203.0.113.4")) == "203.0.113.4"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", REMOTE),  # request did not come through the proxy
        ("not-an-address", REMOTE),
        ("198.51.100.1:51234", "198.51.100.1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:DB8:0::1", "2001:db8::1"),
    ],
)
def test_only_a_valid_address_is_taken_from_the_header(settings, value, expected):
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    assert client_address(_request(HTTP_X_REAL_IP=value)) == expected


def test_axes_gets_none_for_an_unknown_address(settings):
    settings.CLIENT_IP_HEADER = ""
    request = RequestFactory().get("/", REMOTE_ADDR="")
    assert client_address_or_none(request) is None
