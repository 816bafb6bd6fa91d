"""`{% localised obj "field" as name %}`: an organisation text in the page's language (see
portal.localised). Use `{{ name }}` for the text, `{{ name.lang_attr }}` inside the element's
start tag, or `{{ name.html }}` for the text in a `<span lang>` when it is a fallback."""

from __future__ import annotations

from typing import Any

from django import template

from tenestetorget.portal import localised as texts
from tenestetorget.portal.localised import LocalText

register = template.Library()


@register.simple_tag
def localised(obj: Any, field: str, fallback: bool = True) -> LocalText:
    return texts.localised(obj, field, fallback=fallback)
