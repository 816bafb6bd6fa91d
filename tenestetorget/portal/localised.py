"""Texts the organisation stores in Nynorsk, shown on the public pages in the reader's language.

Queue and unit names (the topics of the contact form, the headings of the catalogue and the
guarantees page) and a guarantee's published text are written in Nynorsk, the source language.
`localised` looks for a translation in a column named after the language (`name_nb`,
`name_en`, `text_nb`, `text_en`) and uses it where it is filled in. Without one, the Nynorsk
text is shown and says so: the element gets `lang="nn"`, so that a screen reader reads it
with Nynorsk pronunciation and the language tests know it is a marked fallback.

The organisation's models have these columns (`Unit.name_nb`, `Queue.name_en`,
`ServiceGuarantee.text_nb` and so on; see docs/translations.md); any model that adds
`<field>_<language>` columns gets the same with no change here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

SOURCE_LANGUAGE: str = settings.LANGUAGE_CODE  # "nn"
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def current_language() -> str:
    language = (translation.get_language() or SOURCE_LANGUAGE).split("-")[0]
    return language if language in LANGUAGES else SOURCE_LANGUAGE


@dataclass(frozen=True)
class LocalText:
    """A text and the language it is written in, for a page in `page_language`."""

    text: str
    language: str
    page_language: str

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    @property
    def fell_back(self) -> bool:
        """True when the text is not in the page's language."""
        return bool(self.text) and self.language != self.page_language

    @property
    def lang_attr(self) -> SafeString:
        """` lang="nn"` for an element holding a fallback, else nothing."""
        return format_html(' lang="{}"', self.language) if self.fell_back else mark_safe("")

    @property
    def html(self) -> SafeString:
        """The text, escaped, in a `<span lang="…">` when it is a fallback."""
        if self.fell_back:
            return format_html('<span lang="{}">{}</span>', self.language, self.text)
        return format_html("{}", self.text)


def localised(
    obj: Any, field: str, language: str | None = None, *, fallback: bool = True
) -> LocalText:
    """`obj.<field>` (Nynorsk) in `language`: `obj.<field>_<language>` when it exists and is
    filled in; else the Nynorsk text, or, with `fallback=False`, an empty text."""
    language = language or current_language()
    if obj is None:
        return LocalText("", language, language)
    if language != SOURCE_LANGUAGE:
        translated = str(getattr(obj, f"{field}_{language}", "") or "").strip()
        if translated:
            return LocalText(translated, language, language)
        if not fallback:
            return LocalText("", language, language)
    return LocalText(str(getattr(obj, field, "") or ""), SOURCE_LANGUAGE, language)
