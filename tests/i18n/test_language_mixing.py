"""No message or public page in one language carries a sentence written for another.

The bug this guards against: the English acknowledgement said "Our service guarantee: Du får
svar på e-post innan 2 arbeidsdagar.", a Nynorsk sentence stored on the guarantee and pasted
into every language's message.

What counts as a sentence of a language:

* every msgstr of its gettext catalogue, cut into sentences;
* the message templates `contact/messages/<kind>.<language>.txt`, the same way;
* texts the product stores in one language: the names of the units and queues and the
  guarantees' published texts (`name`/`text` in Nynorsk, `name_nb`/`text_nb` in Bokmål,
  `name_en`/`text_en` in English, from the demo organisation) and the versions of the
  knowledge articles.

A sentence counts when it has more than four words and is foreign to the other language: it
is not found in that language's catalogue, message templates or stored texts (so
"Tenestetorget" or a sentence that Nynorsk and Bokmål happen to write alike, such as the
queue «Vilt, jakt, fiske og natur», never counts).

What is checked: every kind of message to a sender (MessageKind), and the public pages
(home, search, catalogue, a life situation, a service page, an article page, the contact form
with and without errors, the receipt, the guarantees page), in Nynorsk, Bokmål and English.
Text in an element marked with a `lang` other than the page's is a marked fallback and is
left out.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.template import engines
from django.test import Client

from tenestetorget.contact.messaging import render_message
from tenestetorget.contact.models import INQUIRY_MESSAGE_KINDS, Inquiry
from tenestetorget.demo.services import load_demo_organisation
from tenestetorget.knowledge.models import ArticleVersion
from tenestetorget.knowledge.services import load_content
from tenestetorget.organisation.models import Queue, ServiceGuarantee, Unit

from .catalogues import messages

LANGUAGES = [code for code, _name in settings.LANGUAGES]
TENESTETORGET = Path(__file__).resolve().parents[2] / "tenestetorget"
MESSAGE_TEMPLATES = TENESTETORGET / "contact" / "templates" / "contact" / "messages"
KNOWLEDGE_CONTENT = TENESTETORGET / "knowledge" / "tests" / "content"
SERVICE_SLUG = "byggjesoknad-garasje"  # has nn and nb versions, no en
ARTICLE_SLUG = "smabygg-utan-soknad"  # nn only
LIFE_SITUATION = "bustad-og-eigedom"

#: A sentence needs more than this many words to count.
MIN_WORDS = 4

WORD = re.compile(r"[^\W\d_]+")
# %(name)s, %s and the {{ name }} of a blocktranslate or a message template.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\{.*?\}\}")
TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}")
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\s*\n\s*")
VOID_TAGS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
TEXT_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "label"}


def normalise(text: str) -> str:
    """One space between words, none before a closing sign or after an opening one."""
    text = " ".join(text.split())
    text = re.sub(r"\s+([,.;:!?»)\]])", r"\1", text)
    return re.sub(r"([«(\[])\s+", r"\1", text)


@dataclass(frozen=True)
class Sentence:
    language: str
    text: str
    source: str
    pattern: re.Pattern[str]


def _pattern(sentence: str) -> re.Pattern[str]:
    pieces = PLACEHOLDER.split(sentence)
    literal = [r"\s+".join(re.escape(word) for word in piece.split()) for piece in pieces]
    # A placeholder stands for anything short: a number, a date, a name.
    return re.compile(r"\s*.{1,200}?\s*".join(literal), re.IGNORECASE)


def sentences_of(text: str, language: str, source: str) -> Iterator[Sentence]:
    text = html.unescape(re.sub(r"<[^>]+>", " ", TEMPLATE_TAG.sub(" ", text)))
    for part in SENTENCE_BREAK.split(text):
        part = normalise(part)
        if len(WORD.findall(PLACEHOLDER.sub(" ", part))) > MIN_WORDS:
            yield Sentence(language, part, source, _pattern(part))


# --- what each language writes ------------------------------------------------------------------


def catalogue_texts(language: str) -> Iterator[tuple[str, str]]:
    for entry in messages(language):
        for text in entry.msgstr.values():
            yield text, f"{language} catalogue: {entry.msgid[:60]!r}"


def template_texts(language: str) -> Iterator[tuple[str, str]]:
    # Every message template, also those to staff: none may lend a sentence to another language.
    for path in sorted(MESSAGE_TEMPLATES.glob(f"*.{language}.txt")):
        yield path.read_text(encoding="utf-8"), f"message template {path.name}"


def stored_texts(language: str) -> Iterator[tuple[str, str]]:
    """Texts the database holds in one known language."""
    # Nynorsk in `name` and `text`; the translations in `name_nb`, `text_en` and so on.
    suffix = "" if language == settings.LANGUAGE_CODE else f"_{language}"
    for model in (Unit, Queue):
        for obj in model.objects.all():
            yield (
                getattr(obj, f"name{suffix}"),
                f"name{suffix} of {obj._meta.model_name} {obj.code}",
            )
    for guarantee in ServiceGuarantee.objects.select_related("queue"):
        yield getattr(guarantee, f"text{suffix}"), f"text{suffix} of guarantee {guarantee}"
    for version in ArticleVersion.objects.filter(language=language).select_related("article"):
        for field in ("title", "summary", "body", "who", "how"):
            yield getattr(version, field), f"{version.article.slug} ({language}) {field}"


def corpus(language: str) -> str:
    """Everything a language writes in the product's own texts, normalised, for the check
    that a sentence of another language is really foreign to it."""
    texts = [text for text, _ in catalogue_texts(language)]
    texts += [text for text, _ in template_texts(language)]
    texts += [text for text, _ in stored_texts(language)]
    return "\n".join(normalise(TEMPLATE_TAG.sub(" ", text)) for text in texts)


def foreign_sentences(target: str) -> list[Sentence]:
    """The sentences of the other languages that the target language never writes."""
    own = corpus(target)
    found: dict[str, Sentence] = {}
    for language in LANGUAGES:
        if language == target:
            continue
        sources: Iterable[tuple[str, str]] = [
            *catalogue_texts(language),
            *template_texts(language),
            *stored_texts(language),
        ]
        for text, source in sources:
            for sentence in sentences_of(text, language, source):
                if sentence.text not in found and not sentence.pattern.search(own):
                    found[sentence.text] = sentence
    return list(found.values())


def mixed_in(text: str, target: str, foreign: list[Sentence]) -> list[str]:
    text = normalise(text)
    return [
        f"{sentence.language} sentence {sentence.text!r} (from {sentence.source})"
        for sentence in foreign
        if sentence.pattern.search(text)
    ]


# --- what a page says in its own language ------------------------------------------------------


class PageText(HTMLParser):
    """The text of a page that is in the page's language: text and the readable attributes,
    leaving out script, style and every element marked with another `lang`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page_language = ""
        self.stack: list[tuple[str, bool]] = []  # (tag, left out)
        self.chunks: list[str] = []

    def _left_out(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.page_language = values.get("lang") or ""
        lang = values.get("lang")
        left_out = (
            self._left_out()
            or tag in {"script", "style"}
            or (lang is not None and tag != "html" and lang != self.page_language)
        )
        if not left_out:
            self.chunks.extend(value for name, value in attrs if name in TEXT_ATTRIBUTES and value)
            if tag == "meta" and values.get("name") == "description":
                self.chunks.append(values.get("content") or "")
        if tag not in VOID_TAGS:
            self.stack.append((tag, left_out))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if not self._left_out():
            self.chunks.append(data)


def page_text(content: str) -> tuple[str, str]:
    """(the page's language, its text in that language)."""
    parser = PageText()
    parser.feed(content)
    parser.close()
    return parser.page_language, " \n".join(parser.chunks)


# --- the test data ------------------------------------------------------------------------------


@pytest.fixture
def demo(db: Any) -> None:
    load_demo_organisation()
    load_content(KNOWLEDGE_CONTENT)


def client_in(language: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


CONTACT = {
    "name": "Kari Nordmann",
    "email": "kari@example.no",
    "phone": "",
    "kind": "resident",
    "organisation_number": "",
    "queue": "byggjesak",
    "subject": "Garasje",
    "body": "Garasje.",
}


def hidden_fields(client: Client) -> dict[str, str]:
    page = client.get("/kontakt/")
    return {
        "submission_id": page.context["submission_id"],
        "form_token": page.context["form_token"],
    }


def submit_contact_form(client: Client) -> Any:
    return client.post("/kontakt/", {**CONTACT, **hidden_fields(client)})


def public_pages(language: str) -> Iterator[tuple[str, str]]:
    """(name, HTML) of every public page the test reads, in `language`."""
    client = client_in(language)
    for url in (
        "/",
        "/sok/?q=garasje",
        "/tenester/",
        f"/tenester/{LIFE_SITUATION}/",
        f"/teneste/{SERVICE_SLUG}/",
        f"/artikkel/{ARTICLE_SLUG}/",
        "/kontakt/",
        "/kontakt/?tema=byggjesak",
        "/tenestegarantiar/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        yield url, response.content.decode()
    errors = client.post("/kontakt/", {"kind": "resident", **hidden_fields(client)})
    assert errors.status_code == 200
    yield "/kontakt/ (with errors)", errors.content.decode()
    receipt = submit_contact_form(client)
    assert receipt.status_code == 302
    response = client.get(receipt["Location"])
    assert response.status_code == 200
    yield "receipt", response.content.decode()


def rendered_messages(language: str) -> Iterator[tuple[str, str]]:
    """(name, subject and body) of every kind of message, for every guarantee text there is."""
    submit_contact_form(client_in(language))
    inquiry = Inquiry.objects.filter(language=language).latest("pk")
    examples: dict[tuple[str, str, str, int, int | None], ServiceGuarantee] = {}
    for guarantee in ServiceGuarantee.objects.select_related("queue").order_by("pk"):
        key = (
            guarantee.text,
            guarantee.text_nb,
            guarantee.text_en,
            guarantee.answer_working_days,
            guarantee.interim_reply_working_days,
        )
        examples.setdefault(key, guarantee)
    for kind in INQUIRY_MESSAGE_KINDS:
        guarantees = examples.values() if kind == "acknowledgement" else [None]
        for guarantee in guarantees:
            extra = {} if guarantee is None else {"guarantee": guarantee}
            subject, body, used = render_message(inquiry, kind, "Ja.", **extra)
            assert used == language
            yield f"{kind} ({guarantee})", f"{subject}\n{body}"


# --- the tests ----------------------------------------------------------------------------------


def test_the_check_finds_a_foreign_sentence(demo: None) -> None:
    """The check itself: a Nynorsk guarantee text in an English sentence is found, and the
    same text marked with lang="nn" is not."""
    foreign = foreign_sentences("en")
    text = (
        "You will have an answer by 12 March. "
        "Our service guarantee: Du får svar på e-post innan 2 arbeidsdagar."
    )
    assert mixed_in(text, "en", foreign)
    marked = engines["django"].from_string(
        '<html lang="en"><body><p>Our service guarantee: '
        '<span lang="nn">Du får svar på e-post innan 2 arbeidsdagar.</span></p></body></html>'
    )
    language, page = page_text(marked.render({}))
    assert language == "en"
    assert not mixed_in(page, "en", foreign)


@pytest.mark.parametrize("language", LANGUAGES)
def test_messages_are_in_one_language(demo: None, language: str) -> None:
    foreign = foreign_sentences(language)
    problems = [
        f"{name}: {problem}"
        for name, text in rendered_messages(language)
        for problem in mixed_in(text, language, foreign)
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_are_in_one_language(demo: None, language: str) -> None:
    foreign = foreign_sentences(language)
    problems = []
    for name, content in public_pages(language):
        page_language, text = page_text(content)
        assert page_language == language, name
        problems += [f"{name}: {problem}" for problem in mixed_in(text, language, foreign)]
    assert not problems, "\n".join(problems)


def test_the_guarantee_is_told_in_the_message_language(demo: None) -> None:
    """The acknowledgement gives the guarantee's published text in the message's language
    (`text`, `text_nb`, `text_en`); where a language has none, it composes the promise from
    the working days in its own words and never falls back to the Nynorsk text."""
    guarantee = ServiceGuarantee.objects.get(queue__code="byggjesak", channel="webform")
    published = {
        "nn": "Spørsmål om byggjesak i nettskjemaet får svar innan 5 arbeidsdagar.",
        "nb": "Spørsmål om byggesak i nettskjemaet får svar innen 5 arbeidsdager.",
        "en": "Questions about building applications sent with the web form are answered "
        "within 5 working days.",
    }
    composed = {
        "nb": "Tjenestegarantien vår er svar innen 5 arbeidsdager. Tar det lengre tid, får du "
        "foreløpig svar innen 15 arbeidsdager.",
        "en": "Our service guarantee is an answer within 5 working days; if it takes longer, "
        "you will have an interim reply within 15 working days.",
    }

    def acknowledgement(language: str) -> str:
        submit_contact_form(client_in(language))
        inquiry = Inquiry.objects.filter(language=language).latest("pk")
        _subject, body, _ = render_message(inquiry, "acknowledgement", guarantee=guarantee)
        return normalise(body)

    for language, sentence in published.items():
        body = acknowledgement(language)
        assert normalise(sentence) in body, (language, body)
        others = [text for other, text in published.items() if other != language]
        assert not any(normalise(text) in body for text in others), (language, body)

    guarantee.text_nb = guarantee.text_en = ""
    guarantee.save()
    for language, sentence in composed.items():
        body = acknowledgement(language)
        assert normalise(sentence) in body, (language, body)
        assert normalise(published["nn"]) not in body, (language, body)


def test_an_english_acknowledgement_has_the_english_guarantee(demo: None) -> None:
    """The whole path: an English web form sent to a queue, and its acknowledgement in the
    outbox has the English published text of that queue's web form guarantee."""
    from tenestetorget.contact.models import OutgoingMessage

    guarantee = ServiceGuarantee.objects.get(queue__code="byggjesak", channel="webform")
    assert guarantee.text_en
    assert submit_contact_form(client_in("en")).status_code == 302
    message = OutgoingMessage.objects.filter(kind="acknowledgement").latest("pk")
    assert message.language == "en"
    body = normalise(message.body)
    assert f"Our service guarantee: {normalise(guarantee.text_en)}" in body
    assert normalise(guarantee.text) not in body


def test_topic_names_are_in_the_page_language(demo: None) -> None:
    """Queue and unit names translated in the organisation file are shown in the page's
    language with no lang attribute: in the contact form's topic list and on the guarantees
    page."""
    form = client_in("en").get("/kontakt/").content.decode()
    assert re.search(
        r'<option value="byggjesak"(?![^>]*lang=)[^>]*>Building applications</option>', form
    )
    assert re.search(
        r'<option value="vatn_avlop"(?![^>]*lang=)[^>]*>Water and sewerage</option>', form
    )
    assert '<optgroup label="Planning, building applications and land surveying">' in form
    assert 'lang="nn"' not in form.split("<main", 1)[1]
    bokmal = client_in("nb").get("/kontakt/").content.decode()
    assert re.search(
        r'<option value="alkohol"(?![^>]*lang=)[^>]*>Salgs- og skjenkebevilling</option>', bokmal
    )
    assert 'lang="nn"' not in bokmal.split("<main", 1)[1]
    page = client_in("en").get("/tenestegarantiar/").content.decode()
    assert '<h3 class="ds-heading" data-size="xs">Building applications</h3>' in page
    assert "Questions about building applications by e-mail are answered within 5" in page
    assert 'lang="nn"' not in page.split("<main", 1)[1]


def test_topic_names_without_a_translation_are_marked(demo: None) -> None:
    """A queue or unit with no name in the page's language is shown in Nynorsk with
    lang="nn", in the topic list and on the guarantees page; a Nynorsk page marks nothing."""
    queue = Queue.objects.get(code="byggjesak")
    queue.name_en = ""
    queue.save()
    unit = Unit.objects.get(code="plan_bygg")
    unit.name_en = ""
    unit.save()
    form = client_in("en").get("/kontakt/").content.decode()
    assert re.search(r'<option value="byggjesak"[^>]* lang="nn"[^>]*>Byggjesak</option>', form)
    assert re.search(r'<optgroup label="Plan, byggjesak og oppmåling" lang="nn">', form)
    assert re.search(r'<option value="oppmaling"(?![^>]*lang=)[^>]*>Land surveying', form)
    page = client_in("en").get("/tenestegarantiar/").content.decode()
    assert re.search(r'<h3 class="ds-heading" data-size="xs" lang="nn">Byggjesak</h3>', page)
    nynorsk = client_in("nn").get("/kontakt/").content.decode()
    assert 'lang="nn"' not in nynorsk.split("<main", 1)[1]
