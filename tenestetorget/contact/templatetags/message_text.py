"""Filters for the plain-text messages (contact/messages/*.txt): what a sender typed, made safe
to repeat in an e-mail the municipality sends.

The address an inquiry gives is not verified: anyone can type someone else's. A message that
repeated the sender's text as given would let a stranger make the municipality send their
text, links included, from its own address to anyone ("Your account is locked, log in at
…"). So a message to a sender repeats only what `without_links` leaves of a field: one line,
no web address, domain, e-mail address or IP address (each replaced by a marker the template
gives in its own language), and templates shorten it with `truncatechars`.

`one_line` is for the staff's own messages, which may show the text as given but must keep
their layout: a line break in a subject must not start a new line there.
"""

from __future__ import annotations

import re
import unicodedata

from django import template

register = template.Library()

#: Characters that separate labels of a domain, as people and mail programs read them: the
#: full stop, its defanged spellings ("evil[.]com", "evil (dot) com") and the ideographic
#: full stop, which IDNA treats as a dot. (Full-width dots become "." by NFKC first.)
_DOT = r"(?:\.|\[\.\]|\(\.\)|\{\.\}|\s*[\[(]dot[\])]\s*|\u3002)"
_LABEL = r"[\w-]+"
_LINK = re.compile(
    "|".join(
        [
            # Anything with a scheme: https://…, hxxp://…, a bare "://…".
            r"\S*://\S*",
            # mailto:, an e-mail address or anything shaped like one.
            r"\S*mailto:\S*",
            r"\S+@\S+",
            # An IPv4 address, with a port or path after it.
            rf"\d{{1,3}}(?:{_DOT}\d{{1,3}}){{3}}(?:[:/]\S*)?",
            # A domain: labels joined by dots, the last starting with a letter and at least two
            # long (a top-level domain), with whatever path or port follows. Some words with a
            # dot in them go too ("vedlegg.pdf"): in a short quote that is a small loss.
            rf"(?:{_LABEL}{_DOT})+[^\W\d_][\w-]+(?:[/:?#]\S*)?",
        ]
    ),
    re.IGNORECASE,
)
#: Abbreviations with a dot inside that look like a domain and are common in subjects.
_ABBREVIATIONS = frozenset({"f.eks", "m.fl", "st.meld", "st.prp", "ot.prp", "p.t"})


def _flatten(value: str) -> str:
    """One line: every line or paragraph separator, tab and other control character becomes
    a space, runs of spaces one."""
    text = "".join(
        " " if ch.isspace() or unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
        for ch in value
    )
    return " ".join(text.split())


@register.filter(is_safe=False)
def one_line(value: object) -> str:
    """The text on one line, as typed otherwise."""
    return _flatten(str(value or ""))


@register.filter(is_safe=False)
def without_links(value: object, marker: str = "[…]") -> str:
    """The text on one line with every link-like part replaced by `marker`.

    NFKC first, so full-width letters and dots are caught as the plain ones they look like;
    then the invisible format characters (zero-width spaces, direction overrides) go, so that
    "evil\u200b.com" or a reversed "moc.live" cannot hide a domain from the pattern.
    """
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = _flatten(text)

    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        if found.rstrip(".,;:!?").casefold() in _ABBREVIATIONS:
            return found
        return marker

    text = _LINK.sub(replace, text)
    # "see [link] [link]" says no more than one marker would.
    doubled = re.escape(marker) + r"(?:\s*" + re.escape(marker) + r")+"
    return re.sub(doubled, marker, text)
