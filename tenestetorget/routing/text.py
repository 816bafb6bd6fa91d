"""The text a classifier sees: subject and body, without what says nothing about the matter.

Quoted earlier messages and signatures are cut (they talk about the last matter, or about
the sender), and numbers, e-mail addresses and links are reduced to a token each (a phone
number or a gnr/bnr says that there is one, not which queue). The record keeps the full
text; this is for classification only."""

from __future__ import annotations

import re

# The line that opens a quoted earlier message, in the languages the mail comes in.
_QUOTE_HEAD = re.compile(
    r"^\s*(?:"
    r"-{2,}\s*(?:original message|opprinnelig melding|opphavleg melding|videresendt melding"
    r"|forwarded message|ursprüngliche nachricht)\s*-{2,}"
    r"|(?:den|on|am|le|op|w dniu)\b.{0,160}\b(?:skreiv|skrev|wrote|schrieb|a écrit|schreef"
    r"|napisał)\s*:?"
    r"|fra:\s.*"
    r"|from:\s.*"
    r")\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# Where a signature starts.
_SIGNATURE = re.compile(
    r"^\s*(?:--\s*|sendt fra min .*|sent from my .*|hent outlook for .*|get outlook for .*)$",
    re.IGNORECASE | re.MULTILINE,
)
_QUOTED_LINE = re.compile(r"^\s*>.*$", re.MULTILINE)
_EMAIL = re.compile(r"\b[\w.+-]+@([\w-]+(?:\.[\w-]+)+)\b")
_URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:[ .,:/-]\d+)*")
_SPACE = re.compile(r"[ \t\r\f\v]+")


def strip_quoted(body: str) -> str:
    """The body without the quoted earlier message and the signature."""
    cut = len(body)
    for pattern in (_QUOTE_HEAD, _SIGNATURE):
        found = pattern.search(body)
        # A message that is all quote (a bare forward) keeps it: it is the matter.
        if found is not None and body[: found.start()].strip():
            cut = min(cut, found.start())
    kept = body[:cut]
    return _QUOTED_LINE.sub("", kept) if ">" in kept else kept


def for_classification(subject: str, body: str) -> str:
    """What the classifier reads: the subject, then the body without quotes and signature,
    with e-mail addresses as their domain, links as «lenkje» and numbers as «0»."""
    text = f"{subject}\n{strip_quoted(body)}"
    # The cheap tests first: most texts have no link and no address.
    lowered = text.lower()
    if "http" in lowered or "www." in lowered:
        text = _URL.sub(" lenkje ", text)
    if "@" in text:
        text = _EMAIL.sub(lambda m: f" epost {m.group(1)} ", text)
    text = _NUMBER.sub(" 0 ", text)
    return _SPACE.sub(" ", text).strip()
