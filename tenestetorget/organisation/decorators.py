"""View decorators shared by the staff pages of every app."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from tenestetorget.organisation import permissions

View = Callable[..., HttpResponseBase]


def staff_required(view: View) -> View:
    """Logged in and a member of staff; others get the login page or 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not permissions.is_staff_member(request.user):
            raise PermissionDenied(_("Sida er berre for tilsette."))
        return view(request, *args, **kwargs)

    return wrapper
