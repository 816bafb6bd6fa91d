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


def can_use_mailroom(user: AnyUser | None) -> bool:
    """The mail room (postmottak): the archive, and the front desk who route what waits."""
    return role_of(user) in {Role.ARCHIVIST, Role.FRONT_DESK, Role.ADMINISTRATOR}


def can_manage_bookings(user: AnyUser | None) -> bool:
    """Utleige: the front desk runs it (approve, block, move, book for someone, lotteries,
    trial housing), with unit leaders and administrators; every member of staff may look."""
    return role_of(user) in {Role.FRONT_DESK, Role.UNIT_LEADER, Role.ADMINISTRATOR}


def require_staff(user: AnyUser | None) -> StaffProfile | None:
    """Raise PermissionDenied unless `user` is staff; returns the profile (None for superusers
    without one)."""
    if not is_staff_member(user):
        raise PermissionDenied(_("Sida er berre for tilsette."))
    return profile_of(user)


# Records (arkiv). The archivist (and the administrator) registers and changes anything that
# is not archived, in every unit; a case officer or unit leader does so in the cases of their
# own unit. What is archived is refused for everyone, in records itself.
RECORDS_EVERYWHERE = {Role.ARCHIVIST, Role.ADMINISTRATOR}
RECORDS_OWN_UNIT = {Role.CASE_OFFICER, Role.UNIT_LEADER}


def can_keep_records(user: AnyUser | None, unit_id: int | None) -> bool:
    """May `user` register and change records in the cases of unit `unit_id`?"""
    role = role_of(user)
    if role in RECORDS_EVERYWHERE:
        return True
    if role in RECORDS_OWN_UNIT:
        profile = profile_of(user)
        return profile is not None and unit_id is not None and profile.unit_id == unit_id
    return False


def require_records_access(user: AnyUser | None, unit_id: int | None) -> None:
    if not can_keep_records(user, unit_id):
        raise PermissionDenied(_("Du har ikkje løyve til å registrere eller endre i denne saka."))


def can_manage_archive(user: AnyUser | None) -> bool:
    """The archive structure (arkiv, arkivdel, klassifikasjon) and kassasjon."""
    return role_of(user) in RECORDS_EVERYWHERE


def require_archive_manager(user: AnyUser | None) -> None:
    if not can_manage_archive(user):
        raise PermissionDenied(_("Berre arkivaren kan gjere dette."))
