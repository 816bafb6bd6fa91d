"""Login throttling: django-axes with two limits and the login page as its answer.

django-axes records every failed login (in the database, so every web process sees the same
count without a shared cache) and refuses logins while a limit is reached. Out of the box it
has one limit for all of its lockout parameters; Tenestetorget wants two:

* per account (LOGIN_FAILURES_PER_ACCOUNT, axes' AXES_FAILURE_LIMIT): guessing one person's
  password from many addresses gets no more tries than from one;
* per address (LOGIN_FAILURES_PER_ADDRESS, higher): trying a few common passwords on many
  accounts from one address stops too, while the staff of a town hall, who share one public
  address, do not lock each other out with a handful of typos.

A lock ends LOGIN_LOCKOUT_MINUTES after the last failure that counted; a successful login
forgets the account's and the address's failures. The answer to a refused login is the login
page with a message that says what happened and what to do (`lockout_response`), status 429.
"""

from __future__ import annotations

import math
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

DEFAULT_FAILURES_PER_ADDRESS = 20


def _failures(**lookup: Any) -> int:
    total = AccessAttempt.objects.filter(**lookup).aggregate(n=Sum("failures_since_start"))["n"]
    return int(total or 0)


class LoginThrottleHandler(AxesDatabaseHandler):
    """axes' database handler with a limit per account and a higher one per address."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """The failures that count, on the account limit's scale: axes compares this number
        with AXES_FAILURE_LIMIT (the per-account limit), so the address's failures are
        shifted by the difference between the two limits and reach it together with the
        per-address limit."""
        since = get_cool_off_threshold(request)
        username = get_client_username(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        by_account = _failures(username=username, attempt_time__gte=since) if username else 0
        by_address = _failures(ip_address=address, attempt_time__gte=since) if address else 0
        per_account = int(settings.AXES_FAILURE_LIMIT)
        per_address = int(getattr(settings, "LOGIN_FAILURES_PER_ADDRESS", 0) or 0)
        per_address = max(per_address or DEFAULT_FAILURES_PER_ADDRESS, per_account)
        return max(by_account, by_address - (per_address - per_account))


def lockout_minutes(request: HttpRequest | None = None) -> int:
    cool_off = get_cool_off(request)
    return max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else 0


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The login page again, with the name kept and a message instead of the form's error.
    AXES_LOCKOUT_CALLABLE: axes calls it for the refused login (also the one that reaches
    the limit)."""
    minutes = lockout_minutes(request)
    username = str(get_client_username(request, credentials) or "")
    form = AuthenticationForm(request, initial={"username": username})
    message = _(
        "For mange mislukka innloggingar på kort tid. For å verne kontoane er innlogginga "
        "stengd i %(minutes)s minutt. Vent og prøv igjen, eller be ein administrator opne "
        "kontoen din."
    ) % {"minutes": minutes}
    response = render(
        request,
        "registration/login.html",
        {
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "locked_out_message": message,
        },
        status=429,
    )
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    return response
