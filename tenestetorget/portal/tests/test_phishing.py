"""The public form cannot make the municipality send a stranger's text to any address.

Anyone can type someone else's e-mail address into the contact form, and the acknowledgement
goes there at once, from the municipality's own address. So:

* the name and the subject are single-line and limited in length, and the form says so
  plainly when they are not (nothing is cut silently);
* the acknowledgement repeats no link and no free text of the sender beyond a short subject
  with every link-like part removed; the other messages to a sender repeat name and subject
  only in that neutralised, shortened form;
* messages to staff keep the subject as given, on one line.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from tenestetorget.contact.messaging import render_message
from tenestetorget.contact.models import Inquiry, MessageKind, OutgoingMessage
from tenestetorget.contact.templatetags.message_text import one_line, without_links

LANGUAGES = ("nn", "nb", "en")
SENDER_KINDS = [
    MessageKind.ACKNOWLEDGEMENT,
    MessageKind.ANSWER,
    MessageKind.INTERIM_REPLY,
    MessageKind.MISSING_INFORMATION,
]

#: What a phisher puts in the form (or an e-mail's From name and subject, which reach the same
#: templates): lines of their own, links, a domain, an address to write to.
PHISHING_NAME = (
    "Kari Nordmann\nKontoen din i Demo kommune er sperra.\r\n"
    "Logg inn på https://bankid-sjekk.example/logg-inn innan i kveld"
)
PHISHING_SUBJECT = (
    "Viktig frå kommunen\u2028stadfest kontoen på www.kommune-sikker.example "
    "eller send passordet til hjelp@svindel.example"
)
#: Nothing of these may reach the sender's message.
FORBIDDEN = [
    "://",
    "www",
    "@",
    "example",
    "bankid-sjekk",
    "kommune-sikker",
    "svindel",
    "Kari Nordmann",
    "sperra",
    "Logg inn",
    "passordet",
]


def _inquiry(**fields: Any) -> Inquiry:
    """An inquiry as the templates see it (not saved: the templates need no database)."""
    values: dict[str, Any] = {
        "reference": "2026-000042",
        "subject": PHISHING_SUBJECT,
        "sender_name": PHISHING_NAME,
        "due_date": dt.date(2026, 3, 2),
        "language": "nn",
    }
    values.update(fields)
    return Inquiry(**values)


def _quoted_subject(body: str) -> str:
    found = re.search(r"[«\"]([^»\"]*)[»\"]", body)
    assert found is not None, body
    return found.group(1)


# --- the messages to a sender ------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", SENDER_KINDS)
def test_no_link_domain_or_line_of_the_sender_reaches_their_message(kind, language):
    subject, body, _language = render_message(
        _inquiry(language=language), kind, text="Svaret frå kommunen.", guarantee=None
    )
    message = f"{subject}\n{body}"
    for forbidden in FORBIDDEN:
        assert forbidden.casefold() not in message.casefold(), (forbidden, message)
    assert "2026-000042" in message
    # The subject is repeated short, on one line, with the links marked as removed.
    quoted = _quoted_subject(body)
    assert len(quoted) <= 60
    assert quoted.startswith("Viktig frå kommunen stadfest kontoen på [")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", SENDER_KINDS)
def test_no_message_to_a_sender_repeats_their_name(kind, language):
    """Not even a plain one: the name is free text from an unverified sender, and the
    greeting is where a stranger's words would look most like the municipality's own."""
    _subject, body, _language = render_message(
        _inquiry(language=language, sender_name="Kari Nordmann", subject="Snøskuterløyve"),
        kind,
        text="Svar.",
        guarantee=None,
    )
    assert body.splitlines()[0] in ("Hei,", "Hello,")
    assert "Kari" not in body
    assert "Snøskuterløyve" in body  # an ordinary subject is repeated as typed


def test_the_link_marker_is_in_the_language_of_the_message():
    expected = {"nn": "[lenkje fjerna]", "nb": "[lenke fjernet]", "en": "[link removed]"}
    for language, marker in expected.items():
        _subject, body, _language = render_message(
            _inquiry(language=language, subject="Sjå https://evil.example"),
            MessageKind.ACKNOWLEDGEMENT,
            guarantee=None,
        )
        assert marker in body, (language, body)


def test_an_ordinary_subject_is_repeated_as_typed():
    _subject, body, _language = render_message(
        _inquiry(subject="Søknad om løyve, t.d. for snøskuter kl. 14.30 (jf. § 5)"),
        MessageKind.ACKNOWLEDGEMENT,
        guarantee=None,
    )
    assert "«Søknad om løyve, t.d. for snøskuter kl. 14.30 (jf. § 5)»" in body


def test_a_long_subject_is_shortened_with_an_ellipsis():
    _subject, body, _language = render_message(
        _inquiry(subject="Løyve " * 40), MessageKind.ACKNOWLEDGEMENT, guarantee=None
    )
    quoted = _quoted_subject(body)
    assert len(quoted) == 60
    assert quoted.endswith("…")


@pytest.mark.parametrize(
    "hidden",
    [
        "http://evil.example/x",
        "hxxps://evil.example",
        "EVIL.COM",
        "evil.example/login",
        "ｅｖｉｌ．ｃｏｍ",  # full-width letters and dot
        "evil\u200b.com",  # a zero-width space inside
        "evil[.]com",
        "evil (dot) com",
        "evil\u3002com",  # the ideographic full stop, a dot to IDNA
        "bærum-kommune.no",
        "xn--brum-kommune-5cb.no",
        "192.0.2.1/login",
        "svar@evil.example",
        "mailto:svar",
        "\u202emoc.live",  # shown reversed as "evil.com"
    ],
)
def test_every_disguise_of_a_link_is_removed(hidden):
    result = without_links(f"Sjå {hidden} no", "[x]")
    assert result == "Sjå [x] no", result


@pytest.mark.parametrize(
    "kept",
    ["t.d.", "f.eks.", "kl. 14.30", "§ 11 a", "nr. 5", "jf. pbl. § 20-1", "Kari Nordmann"],
)
def test_ordinary_words_with_dots_are_kept(kept):
    assert without_links(kept, "[x]") == kept


def test_one_line_keeps_the_text_and_joins_the_lines():
    assert one_line("Emne\r\nmed https://x.example\u2028og\tmeir ") == (
        "Emne med https://x.example og meir"
    )


def test_staff_messages_keep_the_subject_as_given_on_one_line():
    with translation.override("nn"):
        body = render_to_string(
            "contact/messages/staff_handover.nn.txt",
            {
                "named": True,
                "reference": "2026-000042",
                "subject": "Klage\nsjå www.døme.no",
                "from_name": "Per",
                "due_date": "2. mars",
                "ack_by": "i morgon",
                "url": "https://tenestetorget.example/x",
                "municipality": "Demo kommune",
            },
        )
    assert "\nEmne: Klage sjå www.døme.no\n" in body


# --- the form ----------------------------------------------------------------------------------


def _field_error(html: str, field: str) -> str:
    block = re.search(
        rf'<div class="ds-validation-message"[^>]*id="id_{field}_error">(.*?)</div>', html, re.S
    )
    assert block is not None, f"no error next to {field}"
    return block.group(1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "breaker", ["\n", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1b", "\u202e"]
)
@pytest.mark.parametrize("field", ["name", "subject"])
def test_a_name_or_subject_over_several_lines_is_refused(
    contact_form, organisation, field, breaker
):
    value = f"Kari Nordmann{breaker}Logg inn på bank.example"
    response = contact_form.post(**{field: value})
    assert response.status_code == 200
    assert "på éi linje" in _field_error(response.content.decode(), field)
    assert Inquiry.objects.count() == 0


@pytest.mark.django_db
def test_a_tab_in_the_name_is_a_space(contact_form, organisation):
    assert contact_form.post(name="Kari\tNordmann").status_code == 302
    assert Inquiry.objects.get().sender_name == "Kari Nordmann"


@pytest.mark.django_db
def test_a_name_too_long_is_refused_with_its_length_not_cut(contact_form, organisation):
    response = contact_form.post(name="A" * 10_000)
    assert response.status_code == 200
    error = _field_error(response.content.decode(), "name")
    assert "Namnet kan vere høgst 200 teikn. No er det 10000." in error
    assert Inquiry.objects.count() == 0


@pytest.mark.django_db
def test_a_subject_too_long_is_refused_with_its_length_not_cut(contact_form, organisation):
    response = contact_form.post(subject="S" * 301)
    assert response.status_code == 200
    error = _field_error(response.content.decode(), "subject")
    assert "Emnet kan vere høgst 300 teikn. No er det 301." in error
    assert Inquiry.objects.count() == 0


@pytest.mark.django_db
def test_a_phishing_form_sends_an_acknowledgement_without_the_phishing(
    contact_form, organisation, django_capture_on_commit_callbacks
):
    """End to end: the form accepts a one-line name and subject full of links (a person may
    write a web address in a subject), stores them as given for staff, and the
    acknowledgement carries none of it."""
    name = "Kari Nordmann Kontoen din er sperra, logg inn på bankid-sjekk.example/logg-inn"
    subject = "Stadfest kontoen på https://kommune-sikker.example/login eller svindel.example"
    with django_capture_on_commit_callbacks(execute=True):
        response = contact_form.post(name=name, subject=subject, email="offer@example.org")
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert (inquiry.sender_name, inquiry.subject) == (name, subject)  # staff see it as given
    message = OutgoingMessage.objects.get(inquiry=inquiry, kind=MessageKind.ACKNOWLEDGEMENT)
    text = f"{message.subject}\n{message.body}"
    for forbidden in [*FORBIDDEN, "Stadfest kontoen på https"]:
        assert forbidden.casefold() not in text.casefold(), (forbidden, text)
    assert _quoted_subject(message.body) == (
        "Stadfest kontoen på [lenkje fjerna] eller [lenkje fjerna]"
    )
