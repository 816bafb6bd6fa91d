"""From stored Markdown to what people read: fees filled in, HTML sanitised, plain text.

Fees are written in articles as [[gebyr:CODE]] and replaced by the price valid on the day
the page is read, so a new year's fee list changes every article that shows it.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import markdown
import nh3
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from tenestetorget.knowledge.models import Fee

FEE_RE = re.compile(r"\[\[gebyr:([a-z0-9_\-]+)\]\]")
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "h5",
    "blockquote",
    "code",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}

FeeTable = dict[str, Fee]


def today() -> dt.date:
    return timezone.localdate()


def fees_on(day: dt.date | None = None) -> FeeTable:
    """Every fee's price valid on `day`: the latest row per code with valid_from <= day.
    One query; the table is small (a municipality has a few hundred fees)."""
    day = day or today()
    table: FeeTable = {}
    for fee in Fee.objects.filter(valid_from__lte=day).order_by("code", "valid_from"):
        table[fee.code] = fee  # later rows win
    return table


def fees_for(texts: list[str], day: dt.date | None = None) -> FeeTable:
    """Only the fees the texts mention (usually none or a few): a search result page should
    not read the whole fee list."""
    codes = {code for text in texts for code in FEE_RE.findall(text or "")}
    if not codes:
        return {}
    day = day or today()
    table: FeeTable = {}
    for fee in Fee.objects.filter(code__in=codes, valid_from__lte=day).order_by(
        "code", "valid_from"
    ):
        table[fee.code] = fee
    return table


def format_amount(amount: Decimal, language: str) -> str:
    """kr 12 300 / kr 24,50 (nn, nb) and NOK 12,300 / NOK 24.50 (en)."""
    whole = amount == amount.to_integral_value()
    if language == "en":
        text = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
        return f"NOK {text}"
    text = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    text = text.replace(",", "\u00a0").replace(".", ",")
    return f"kr\u00a0{text}"


def fill_fees(text: str, language: str, fees: FeeTable) -> str:
    def repl(match: re.Match[str]) -> str:
        fee = fees.get(match.group(1))
        if fee is None:
            # A fee without a price today is shown as missing, not as a wrong number.
            return "(pris manglar)" if language != "en" else "(price missing)"
        unit = fee.unit_in(language)
        return f"{format_amount(fee.amount, language)} {unit}".strip()

    return FEE_RE.sub(repl, text or "")


#: A line of text directly followed by a list item ("til dømes:\n- garasje").
_LIST_AFTER_TEXT = re.compile(
    # An indented line continues a list item and stays as it is.
    r"^((?![ \t])(?!(?:[-*+]|\d+[.)])[ \t])[^\n]*\S[^\n]*)\n(?=[ \t]*(?:[-*+]|\d+[.)])[ \t])",
    re.MULTILINE,
)


def _separate_lists(text: str) -> str:
    """Markdown starts a list only after a blank line; editors (and most other editors'
    Markdown) expect "Til dømes:" followed by "- garasje" on the next line to be a list,
    not one run-on paragraph with dashes in it."""
    return _LIST_AFTER_TEXT.sub(r"\1\n\n", text)


def to_html(text: str, language: str, fees: FeeTable) -> SafeString:
    html = markdown.markdown(
        _separate_lists(fill_fees(text, language, fees)), extensions=["tables", "sane_lists"]
    )
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
    )
    # Sanitised by nh3 just above: only the listed tags, attributes and URL schemes remain.
    return mark_safe(clean)


MARKDOWN_SYNTAX = re.compile(r"[*_#\[\]`>|<&]|^\s*(\d+\.|[-+])\s", re.MULTILINE)


def to_plain(text: str, language: str, fees: FeeTable) -> str:
    """Plain text for search results, the API and e-mail answers."""
    filled = fill_fees(text, language, fees)
    if not MARKDOWN_SYNTAX.search(filled):
        # Most summaries are plain sentences: no need for a Markdown round trip.
        return re.sub(r"[ \t]+", " ", filled).strip()
    html = markdown.markdown(_separate_lists(filled), extensions=["sane_lists"])
    plain = strip_tags(html)
    return re.sub(r"[ \t]+", " ", re.sub(r"\n{3,}", "\n\n", plain)).strip()
