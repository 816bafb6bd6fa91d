"""What every archive page shares: who may open them, the logged-in user, the pager, and the
helpers that let a list build its rows once in Python instead of per row in the template."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, QueryDict
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from tenestetorget.core.identifiers import mask_fodselsnummer_in_text
from tenestetorget.organisation.decorators import staff_required
from tenestetorget.organisation.permissions import RECORDS_EVERYWHERE, RECORDS_OWN_UNIT, role_of
from tenestetorget.records.search import Cursor

if TYPE_CHECKING:
    from django.contrib.auth.models import User

View = Callable[..., HttpResponseBase]


def keeps_records(user: Any) -> bool:
    """May `user` keep records anywhere (and so use the archive pages)?"""
    return role_of(user) in RECORDS_EVERYWHERE | RECORDS_OWN_UNIT


def records_staff_required(view: View) -> View:
    """Logged in, staff, and keeping records; others get the login page or 403."""

    @staff_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not keeps_records(request.user):
            raise PermissionDenied(_("Arkivsidene er for arkivarar og sakshandsamarar."))
        return view(request, *args, **kwargs)

    return wrapper


def user_of(request: HttpRequest) -> User:
    return cast("User", request.user)


def cursor_of(request: HttpRequest) -> Cursor | None:
    return Cursor.decode(request.GET.get("etter"))


def query_without_cursor(params: QueryDict) -> str:
    """The page's query string without the cursor, for the pager's links."""
    query = params.copy()
    query.pop("etter", None)
    return query.urlencode()


# --- rows of the lists ----------------------------------------------------------------------
# A list page renders 25-50 rows. Per row, `{% url %}`, `|date`, `|truncatechars` and the
# choice labels cost the template engine 0.1-0.3 ms each, which was most of a page's CPU time
# (docs/performance.md); the views compute these values once here and the templates print them.

#: A number no row has, reversed in its place and replaced by each row's id.
_SLOT = 987654321


def url_for_pk(name: str) -> Callable[[int], str]:
    """`reverse(name, args=[pk])` for many pks: reversed once, then filled in per row."""
    head, _sep, tail = reverse(name, args=[_SLOT]).rpartition(str(_SLOT))
    return lambda pk: f"{head}{int(pk)}{tail}"


def day_text(day: dt.date | None, empty: str = "") -> str:
    """A date as the lists show it, «05.03.2026» (the template filter `date:"d.m.Y"`)."""
    return day.strftime("%d.%m.%Y") if day is not None else empty


def title_text(text: str) -> str:
    """A title as the lists show it: fødselsnummer masked, cut at 100 characters (the
    template filters `fnr|truncatechars:100`)."""
    return Truncator(mask_fodselsnummer_in_text(text)).chars(100)
