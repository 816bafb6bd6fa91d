"""Token authentication that also reads the member of staff's profile.

Every API view asks for the caller's role (organisation.permissions), which lives on the
staff profile; reading it with the token saves one query on every request, and the busiest
request, registering an inquiry, has few enough that one counts.
"""

from __future__ import annotations

from typing import Any

from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


class StaffTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        token = Token.objects.select_related("user", "user__staff_profile").filter(key=key).first()
        if token is None or not token.user.is_active:
            # DRF's own refusal, with its messages.
            return super().authenticate_credentials(key)
        return token.user, token
