"""What every archive page shares: who may open them, the logged-in user, and the pager."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, QueryDict
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

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
