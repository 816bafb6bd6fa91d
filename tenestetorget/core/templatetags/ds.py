"""Template helpers for Designsystemet form markup with accessible error wiring."""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

register = template.Library()


def described_by(field: BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_help")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    return " ".join(ids)


@register.simple_tag
def ds_widget(field: BoundField) -> SafeString:
    """Render the field's widget with the design system's class and the ARIA attributes that
    tie it to its help text and error message."""
    # Every widget kind (text, select, checkbox) takes the same class in Designsystemet.
    attrs: dict[str, str | bool] = {"class": "ds-input"}
    describedby = described_by(field)
    if describedby:
        attrs["aria-describedby"] = describedby
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field: BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_hidden(field: BoundField) -> bool:
    return field.is_hidden


@register.filter
def label(value: str, labels: dict[str, str]) -> str:
    """The display label of a choice value from a dict looked up once per page."""
    return labels.get(value, value)
