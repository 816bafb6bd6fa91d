"""The staff menu's link to the archive, with the restanse count; and masking of
fødselsnummer in the archive's free text (titles, notes, names)."""

from __future__ import annotations

from typing import Any

from django import template

from tenestetorget.core.identifiers import mask_fodselsnummer_in_text
from tenestetorget.organisation.permissions import RECORDS_EVERYWHERE, profile_of, role_of
from tenestetorget.records.selectors import restanse

register = template.Library()


#: The menu counts the restanse up to this many and says «over 99» beyond.
MENU_LIMIT = 99


def restanse_count(user: Any) -> int:
    """What the restanse page lists by default: every unit's for the archivist, the own
    unit's for a case officer or unit leader. Counted up to MENU_LIMIT + 1 only: a full
    COUNT of a large restanse (20,000 letters at a million posts) joins every one with its
    write-offs and case, 200-500 ms on every staff page; the bounded one stops after 100
    rows of the restanse index (under 2 ms; docs/performance.md)."""
    unit = None
    if role_of(user) not in RECORDS_EVERYWHERE:
        profile = profile_of(user)
        unit = profile.unit if profile else None
    # In the list's own order, so that PostgreSQL walks the restanse index and stops at the
    # limit (unordered, it merge-joined whole tables for one unit: 670 ms).
    rows = restanse(user, unit=unit).order_by("journaldato", "pk")
    return int(rows[: MENU_LIMIT + 1].count())


@register.inclusion_tag("records/_nav.html", takes_context=True)
def archive_nav(context: template.Context) -> dict[str, Any]:
    """The menu item «Arkiv» for those who keep records; nothing for anyone else."""
    from tenestetorget.records.views.common import keeps_records

    request = context.get("request")
    user = getattr(request, "user", None)
    if not keeps_records(user):
        return {"show": False}
    count = restanse_count(user)
    return {"show": True, "count": count, "over": count > MENU_LIMIT, "limit": MENU_LIMIT}


@register.filter
def fnr(text: Any) -> str:
    """Mask fødselsnummer in free text."""
    return mask_fodselsnummer_in_text(str(text or ""))
