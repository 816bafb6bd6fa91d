"""Template context: the member of staff's role, so menus show only what they may use."""

from django.http import HttpRequest

from tenestetorget.organisation import permissions


def staff(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    role = permissions.role_of(user)
    return {
        "staff_role": role,
        "staff_profile": permissions.profile_of(user),
        "can_see_statistics": permissions.can_see_statistics(user),
        "can_manage_guarantees": permissions.can_manage_guarantees(user),
        "can_use_mailroom": permissions.can_use_mailroom(user),
    }
