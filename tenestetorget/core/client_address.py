"""The address a request came from, for the limits that count per client: the contact form's
rate limit (portal.spam) and the login throttling (django-axes, AXES_CLIENT_IP_CALLABLE).

Without a reverse proxy that is REMOTE_ADDR. Behind one, every request comes from the proxy,
so the client's address has to be read from a header the proxy sets: settings.CLIENT_IP_HEADER
names it, as the header ("X-Forwarded-For", "X-Real-IP") or as its request.META key
("HTTP_X_FORWARDED_FOR"). The old setting TENESTETORGET["CONTACT_FORM_CLIENT_IP_HEADER"] is
still honoured when CLIENT_IP_HEADER is unset.

X-Forwarded-For is a list that every proxy appends the address it saw to. Everything left of
what our own proxies appended is whatever the client chose to send, so the address is taken
from the right: the entry CLIENT_IP_PROXY_COUNT places from the end (1: the one the single
trusted proxy appended). Taking the left-most entry, as many examples do, would let anyone
choose their address per request and so escape every per-address limit.

A header that is missing or holds no valid address means the request did not come through the
proxy the operator described (or the proxy is set up differently): REMOTE_ADDR is used then,
which is the address that actually connected.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _meta_key(header: str) -> str:
    """request.META's key for a header given either way: "X-Real-IP" or "HTTP_X_REAL_IP"."""
    header = header.strip()
    if header.upper() == "REMOTE_ADDR":
        return "REMOTE_ADDR"
    key = header.upper().replace("-", "_")
    return key if key.startswith("HTTP_") else f"HTTP_{key}"


def configured_header() -> str:
    """The META key of the header with the client's address, or "" for REMOTE_ADDR."""
    header = str(getattr(settings, "CLIENT_IP_HEADER", "") or "")
    if not header:
        header = str(settings.TENESTETORGET.get("CONTACT_FORM_CLIENT_IP_HEADER", "") or "")
    return _meta_key(header) if header else ""


def _proxy_count() -> int:
    return max(1, int(getattr(settings, "CLIENT_IP_PROXY_COUNT", 1) or 1))


def _valid_address(value: str) -> str:
    """The address in `value` in its canonical form, or "". Accepts a port after it
    ("192.0.2.1:443", "[2001:db8::1]:443"), which some proxies add."""
    value = value.strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return ""


def client_address(request: HttpRequest) -> str:
    """The client's address as a canonical IP address string ("" if none is known)."""
    remote = _valid_address(str(request.META.get("REMOTE_ADDR", "")))
    header = configured_header()
    if not header or header == "REMOTE_ADDR":
        return remote
    raw = str(request.META.get(header, "") or "")
    entries = [entry for entry in (part.strip() for part in raw.split(",")) if entry]
    count = _proxy_count()
    if len(entries) < count:
        return remote
    return _valid_address(entries[-count]) or remote


def client_address_or_none(request: HttpRequest) -> str | None:
    """For django-axes (AXES_CLIENT_IP_CALLABLE), which stores None for an unknown address."""
    return client_address(request) or None
