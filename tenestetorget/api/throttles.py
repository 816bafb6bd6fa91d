"""The public endpoints' rate limits, counted per client address as the rest of the site
counts it (core.client_address: the configured proxy's header read from the right, never an
address the client chose; DRF's own default takes X-Forwarded-For as sent, so a client
could change it per request and escape the limit), and kept in the cache only as a keyed
hash: the address is personal data. Staff are not counted."""

from __future__ import annotations

from django.utils.crypto import salted_hmac
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from tenestetorget.core.client_address import client_address
from tenestetorget.organisation.permissions import is_staff_member


class PublicThrottle(AnonRateThrottle):
    # (A comment, not a docstring: drf-spectacular would publish it.)

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if is_staff_member(request.user):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def get_ident(self, request: Request) -> str:
        address = client_address(request._request)
        return salted_hmac("tenestetorget.api.throttle", address, algorithm="sha256").hexdigest()
