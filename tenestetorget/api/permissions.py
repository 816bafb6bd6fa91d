"""Who may use the API at all. What each member of staff may see is decided per object by the
selectors and services (organisation.permissions), as in the staff pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from tenestetorget.organisation.permissions import is_staff_member

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class IsStaffMember(BasePermission):
    message = _("Berre tilsette i kommunen kan bruke dette API-et.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_staff_member(request.user)
