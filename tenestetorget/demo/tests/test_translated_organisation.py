"""The demo organisation is translated: every unit, queue and guarantee text has its
Bokmål and English version, and the files only add keys to the shared contract. (Here, not
in organisation's tests: organisation may not import the demo.)"""

from __future__ import annotations

import re
from typing import Any

import yaml

from tenestetorget.demo.services import ORGANISATION_FILE, QUEUES_FILE, load_demo_organisation
from tenestetorget.organisation.models import Queue, ServiceGuarantee, Unit


def names(model: Any, code: str) -> tuple[str, str, str]:
    obj = model.objects.get(code=code)
    return (obj.name, obj.name_nb, obj.name_en)


def texts(queue: str, channel: str = "email") -> tuple[str, str, str]:
    guarantee = ServiceGuarantee.objects.get(queue__code=queue, channel=channel)
    return (guarantee.text, guarantee.text_nb, guarantee.text_en)


# --- the demo organisation -----------------------------------------------------------------------


def test_the_demo_organisation_is_translated(db: Any) -> None:
    load_demo_organisation()
    for model in (Unit, Queue):
        for obj in model.objects.all():
            assert obj.name_nb.strip() and obj.name_en.strip(), f"{obj.code} lacks a translation"
    expected = {
        "vatn_avlop": ("Vatn og avløp", "Vann og avløp", "Water and sewerage"),
        "motorferdsel": (
            "Motorferdsel i utmark",
            "Motorferdsel i utmark",
            "Motor traffic in the outfield (snowmobiles)",
        ),
        "alkohol": (
            "Sals- og skjenkeløyve",
            "Salgs- og skjenkebevilling",
            "Licences to sell and serve alcohol",
        ),
        "innsyn": ("Innsyn og arkiv", "Innsyn og arkiv", "Access to records and archive"),
    }
    for code, triple in expected.items():
        assert names(Queue, code) == triple
    for guarantee in ServiceGuarantee.objects.select_related("queue"):
        if not guarantee.text:
            continue
        assert guarantee.text_nb and guarantee.text_en, f"{guarantee} lacks a translation"
        # The same promise: the same numbers (days, weeks, paragraphs, phone numbers).
        numbers = re.findall(r"\d+", guarantee.text)
        assert re.findall(r"\d+", guarantee.text_nb) == numbers, guarantee.text_nb
        assert re.findall(r"\d+", guarantee.text_en) == numbers, guarantee.text_en
        assert "arbeidsdag" in guarantee.text_nb or "arbeidsdag" not in guarantee.text
        assert "innan" not in guarantee.text_nb and "ikkje" not in guarantee.text_nb


def test_the_demo_files_only_add_keys() -> None:
    """The queue codes are a contract; the translations are keys beside the Nynorsk ones."""
    queues = yaml.safe_load(QUEUES_FILE.read_text(encoding="utf-8"))
    assert len(queues["queues"]) == 25 and len(queues["units"]) == 12
    for section in ("units", "queues"):
        for code, spec in queues[section].items():
            assert {"name", "name_nb", "name_en"} <= set(spec), code
    organisation = yaml.safe_load(ORGANISATION_FILE.read_text(encoding="utf-8"))
    for spec in organisation["guarantees"]:
        assert {"text", "text_nb", "text_en"} <= set(spec), spec
        assert all(len(spec[key]) <= 300 for key in ("text", "text_nb", "text_en"))
