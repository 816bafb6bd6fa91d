"""Who may see and do what. Checked in services and selectors, not only in views.

* front desk: sees and handles every inquiry;
* case officer: the queues of their own unit, and whatever is handed over to them by name;
* unit leader: as a case officer for their unit, plus the unit's statistics;
* archivist: sees every inquiry (the mail room forwards letters) and may forward them;
* administrator: everything, including the organisation and the guarantees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from tenestetorget.organisation.models import Role, StaffProfile

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser

SEES_EVERYTHING = {Role.FRONT_DESK, Role.ARCHIVIST, Role.ADMINISTRATOR}


def profile_of(user: AnyUser | None) -> StaffProfile | None:
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.staff_profile  # type: ignore[attr-defined]
    except StaffProfile.DoesNotExist:
        return None


def role_of(user: AnyUser | None) -> str | None:
    if user is not None and user.is_authenticated and getattr(user, "is_superuser", False):
        return Role.ADMINISTRATOR
    profile = profile_of(user)
    return profile.role if profile else None


def is_staff_member(user: AnyUser | None) -> bool:
    return role_of(user) is not None


def sees_all_inquiries(user: AnyUser | None) -> bool:
    return role_of(user) in SEES_EVERYTHING


def can_manage_guarantees(user: AnyUser | None) -> bool:
    return role_of(user) in {Role.ADMINISTRATOR, Role.UNIT_LEADER}


def can_see_statistics(user: AnyUser | None) -> bool:
    return role_of(user) in {Role.ADMINISTRATOR, Role.UNIT_LEADER, Role.FRONT_DESK}


def require_staff(user: AnyUser | None) -> StaffProfile | None:
    """Raise PermissionDenied unless `user` is staff; returns the profile (None for superusers
    without one)."""
    if not is_staff_member(user):
        raise PermissionDenied(_("Sida er berre for tilsette."))
    return profile_of(user)
