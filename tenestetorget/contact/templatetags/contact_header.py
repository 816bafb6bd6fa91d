"""The staff header's count of handovers waiting for the logged-in person."""

from __future__ import annotations

from typing import Any

from django import template

from tenestetorget.contact import notifications

register = template.Library()


@register.inclusion_tag("contact/_handover_count_region.html", takes_context=True)
def handover_count(context: template.Context) -> dict[str, Any]:
    """The count as the page is rendered (one query), so it is there without a flash and is
    not announced as news on every page; htmx polls for changes after that."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"handover_count": notifications.header_count(user)}
