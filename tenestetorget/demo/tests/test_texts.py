"""The demo's texts: the YAML files in demo/data/texts/ and the loader in demo/texts.py."""

import textwrap

import pytest

from tenestetorget.demo import texts
from tenestetorget.demo.texts import TextsError, load_all_queue_texts, load_queue_texts

QUEUE_FILE = """\
nn:
  - subject: Garasje på {place}
    body: Må eg søkje?
    answer: garage
nb:
  - {subject: Garasje, body: Må jeg søke?, answer: garage}
notes:
  - {topic: garasje, note: "{name} spør om garasje.", answer: garage}
answers:
  garage:
    nn: Nei, ikkje under 50 m².
    nb: Nei, ikke under 50 m².
"""


def _write(path, text):
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_queue_file_reads_as_tuples_and_answers(tmp_path):
    loaded = load_queue_texts(_write(tmp_path / "byggjesak.yaml", QUEUE_FILE))
    assert loaded == {
        "nn": [("Garasje på {place}", "Må eg søkje?", "garage")],
        "nb": [("Garasje", "Må jeg søke?", "garage")],
        "en": [],
        "notes": [("garasje", "{name} spør om garasje.", "garage")],
        "answers": {"garage": {"nn": "Nei, ikkje under 50 m².", "nb": "Nei, ikke under 50 m²."}},
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("answer: garage\nnb:", "answer: carport\nnb:"), "no Nynorsk answer 'carport'"),
        (("    nn: Nei, ikkje", "    nx: Nei, ikkje"), "no Nynorsk answer 'garage'"),
        (("body: Må eg søkje?", "body: no"), "nn[0].body: expected text, got False"),
        (("body: Må eg søkje?", "text: Må eg søkje?"), "nn[0]: unknown key(s) text"),
        (("answers:", "answer:"), "unknown key(s) answer"),
        (("notes:\n  - {topic", "notes: []\nx:\n  - {topic"), "unknown key(s) x"),
        (("subject: Garasje på {place}", "subject: [Garasje]"), "expected text"),
        (("body: Må eg søkje?", "body: [Må eg søkje?"), "while parsing"),
    ],
)
def test_a_slip_in_a_queue_file_names_the_file_and_the_place(tmp_path, change, message):
    old, new = change
    assert old in QUEUE_FILE
    path = _write(tmp_path / "byggjesak.yaml", QUEUE_FILE.replace(old, new, 1))
    with pytest.raises(TextsError) as error:
        load_queue_texts(path)
    assert str(path) in str(error.value)
    assert message in str(error.value)


def test_every_queue_needs_written_inquiries_and_notes_in_nynorsk(tmp_path):
    path = _write(tmp_path / "veg.yaml", "notes: []\nanswers: {}\n")
    with pytest.raises(TextsError, match="nn: at least one is needed"):
        load_queue_texts(path)


def test_queue_files_follow_the_queues_file(tmp_path):
    queues = _write(tmp_path / "queues.yaml", "queues:\n  veg: {}\n  byggjesak: {}\n  plan: {}\n")
    directory = tmp_path / "queues"
    directory.mkdir()
    _write(directory / "byggjesak.yaml", QUEUE_FILE)
    _write(directory / "veg.yaml", QUEUE_FILE)
    # In the queues file's order; a queue without a file has no texts of its own.
    assert list(load_all_queue_texts(directory, queues)) == ["veg", "byggjesak"]
    _write(directory / "bygjesak.yaml", QUEUE_FILE)
    with pytest.raises(TextsError, match="texts for unknown queue"):
        load_all_queue_texts(directory, queues)


def test_the_shipped_texts_are_all_there():
    assert texts.TEXTS_DIR.is_dir()
    assert (texts.TEXTS_DIR / "README.md").is_file()
    for name in ("PLACES", "CABIN_AREAS", "FIRST_NAMES_F", "PUBLIC_BODIES", "WORK_NOTES"):
        values = getattr(texts, name)
        assert values, name
        assert all(isinstance(value, str) and value for value in values), name
    assert len(texts.MONTHS_NO) == len(texts.MONTHS_EN) == 12
    for phrase in (texts.GREETING, texts.SIGN_OFF, texts.LETTER_OPENING):
        assert set(phrase) == {"nn", "nb", "en"}
    for options in (texts.INTERIM_TEXTS, texts.FIRST_LINE_ANSWERS):
        assert options["nn"]
    queues = set(texts.QUEUE_TEXTS)
    assert set(texts.QUEUE_WORK_NOTES) <= queues
    assert set(texts.QUEUE_PAUSE_NOTES) <= queues
    assert texts.BUSINESS_STEMS[: len(texts.PLACES)] == texts.PLACES


def test_every_answer_is_the_answer_to_something():
    for code, queue_texts in texts.QUEUE_TEXTS.items():
        asked = {
            key for language in ("nn", "nb", "en", "notes") for _, _, key in queue_texts[language]
        }
        assert set(queue_texts["answers"]) == asked, code
