"""Form widgets built for speed where a page renders many options.

Django renders every <option> of a select through a template, which costs far more than the
query behind it on pages with long lists (all queues, all staff). FastSelect builds the same
markup in Python.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


class FastSelect(forms.Select):
    def option_attrs(self, option_value: Any, key: str) -> SafeString:
        """Extra attributes of one <option> (with a leading space); none by default."""
        return SafeString("")

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs or {})
        final["name"] = name
        selected = {str(v) for v in self.format_value(value)}
        options = []
        for option_value, label in self.choices:
            key = "" if option_value is None else str(option_value)
            selected_attr = " selected" if key in selected else ""
            options.append((key, selected_attr, self.option_attrs(option_value, key), label))
        return format_html(
            "<select{}>{}</select>",
            flatatt(final),
            format_html_join("", '<option value="{}"{}{}>{}</option>', options),
        )
