"""What the public may see of a journal post (`records.public`), as properties over
generated posts: a screened title or name, and any fødselsnummer, never reaches public output;
what is not screened is shown as it is."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenestetorget.records import services
from tenestetorget.records.models import (
    CaseFolder,
    Journalposttype,
    Korrespondanseparttype,
    RegistryEntry,
    SkjermingMetadata,
)
from tenestetorget.records.public import (
    MASK,
    masked_title,
    public_entries,
    publishable_entries,
)
from tenestetorget.records.services import Party

# A valid fødselsnummer (test number) and one that only looks like one (bad check digits).
FNR = "01019012345"
FNR_SPACED = "010190 12345"

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøå", min_size=3, max_size=9)


def _public_text(public: Any) -> str:
    """Every text of a public entry, as one string to search."""
    texts = [str(value) for value in dataclasses.asdict(public).values()]
    return " | ".join(texts)


@st.composite
def screened_posts(draw: st.DrawFn) -> dict[str, Any]:
    secret = "Hemmeleg" + draw(words)
    codes = draw(st.lists(st.sampled_from(SkjermingMetadata.values), max_size=4, unique=True))
    return {
        "secret": secret,
        "title_lines": draw(st.sampled_from(["one", "two"])),
        "codes": codes,
        "offentlig": draw(st.sampled_from(["none", "masked", "same", "contains"])),
        "sender_secret": "Person" + draw(words),
        "case_codes": draw(
            st.lists(st.sampled_from(SkjermingMetadata.values), max_size=3, unique=True)
        ),
        "screen_case": draw(st.booleans()),
    }


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(post=screened_posts())
def test_screened_text_never_public(
    post: dict[str, Any], case: CaseFolder, staff: dict[str, Any]
) -> None:
    actor = staff["builder"]
    # A case of its own: the fixture's case lives across the examples of one test.
    case = services.create_saksmappe(case.series, "Sak", case.unit, actor, actor)
    secret = post["secret"]
    tittel = (
        f"Søknad frå {secret}"
        if post["title_lines"] == "one"
        else f"{secret} søkjer\nom tilskot til {secret}"
    )
    offentlig = {
        "none": "",
        "masked": f"Søknad frå {MASK}",
        "same": tittel,
        "contains": f"{tittel} (kopi)",
    }[post["offentlig"]]
    entry = services.register_journalpost(
        case,
        Journalposttype.INNGAAANDE,
        tittel,
        actor,
        offentlig_tittel=offentlig,
        parties=[
            Party(Korrespondanseparttype.AVSENDAR, post["sender_secret"]),
            Party(Korrespondanseparttype.MOTTAKAR, f"Mottakar {FNR}"),
        ],
    )
    services.add_skjerming(entry, "13", "Offl. § 13 jf. fvl. § 13", post["codes"] or ["TR1"], actor)
    if post["screen_case"]:
        services.add_skjerming(case, "13", "Offl. § 13", post["case_codes"] or ["TM1"], actor)

    [public] = public_entries(publishable_entries().filter(pk=entry.pk))
    text = _public_text(public)
    codes = set(post["codes"] or ["TR1"]) | (
        set(post["case_codes"] or ["TM1"]) if post["screen_case"] else set()
    )
    first_hidden = bool(codes & {"TR1", "M"})
    rest_hidden = bool(codes & {"TRO", "M"})
    one_line = post["title_lines"] == "one"
    if first_hidden or (rest_hidden and not one_line):
        # Whatever the clerk wrote as public title, the full title never shows.
        assert tittel not in text
    if first_hidden and (rest_hidden or one_line):
        assert secret not in public.tittel
    if rest_hidden and not first_hidden and one_line and post["offentlig"] != "masked":
        assert public.tittel == tittel  # only further lines are screened: there are none
    if codes & {"NA", "NPS", "M"}:
        assert post["sender_secret"] not in text
    assert FNR not in text
    assert public.screened
    assert public.skjermingshjemmel


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    where=st.sampled_from(["title", "case", "sender", "officer"]),
    number=st.sampled_from([FNR, FNR_SPACED, "01019099999"]),
)
def test_fodselsnummer_never_public(
    where: str, number: str, case: CaseFolder, staff: dict[str, Any]
) -> None:
    actor = staff["builder"]
    if where == "case":
        case.tittel = f"Sak om {number}"
        case.save(update_fields=["tittel"])
    entry = services.register_journalpost(
        case,
        Journalposttype.INNGAAANDE,
        f"Brev om {number}" if where == "title" else "Brev",
        actor,
        parties=[
            Party(
                Korrespondanseparttype.AVSENDAR,
                f"Ola {number}" if where == "sender" else "Ola",
            )
        ],
    )
    [public] = public_entries(publishable_entries().filter(pk=entry.pk))
    text = _public_text(public)
    assert number not in text
    assert number.replace(" ", "") not in text.replace(" ", "")
    assert "010190" not in text  # not even the birth date


def test_unscreened_post_shows_its_title_and_names(
    register: Callable[..., RegistryEntry],
) -> None:
    entry = register(tittel="Søknad om løyve til tiltak, Storvegen 1")
    [public] = public_entries(publishable_entries().filter(pk=entry.pk))
    assert public.tittel == "Søknad om løyve til tiltak, Storvegen 1"
    assert [party.name for party in public.parties] == ["Kari Nordmann"]
    assert not public.screened
    assert public.mappe_id == entry.case_folder.mappe_id


@pytest.mark.parametrize(
    ("first", "rest", "expected"),
    [
        (True, False, f"{MASK}\nom tilskot"),
        (False, True, f"Ola Nordmann søkjer\n{MASK}"),
        (True, True, MASK),
    ],
)
def test_title_lines(first: bool, rest: bool, expected: str) -> None:
    assert masked_title("Ola Nordmann søkjer\nom tilskot", "", first, rest) == expected


def test_clerks_public_title_wins_unless_it_holds_the_full_title() -> None:
    assert masked_title("Søknad frå Ola", f"Søknad frå {MASK}", True, False) == (
        f"Søknad frå {MASK}"
    )
    assert masked_title("Søknad frå Ola", "Søknad frå Ola", True, False) == MASK
    assert masked_title("Søknad frå Ola", "Kopi: Søknad frå Ola", True, False) == MASK


def test_utgaatt_and_arkivnotat_are_not_published(
    register: Callable[..., RegistryEntry], case: CaseFolder, staff: dict[str, Any]
) -> None:
    gone = register()
    services.set_journalstatus(gone, "U", staff["builder"])
    note = services.register_journalpost(
        case, Journalposttype.INNGAAANDE, "Notat", staff["builder"], kind="arkivnotat"
    )
    kept = register()
    ids = set(publishable_entries().values_list("pk", flat=True))
    assert kept.pk in ids
    assert gone.pk not in ids and note.pk not in ids
    with pytest.raises(ValueError):
        list(public_entries([RegistryEntry.objects.get(pk=note.pk)]))


def test_queries_per_chunk_do_not_grow(
    register: Callable[..., RegistryEntry],
    case: CaseFolder,
    staff: dict[str, Any],
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(12):
        entry = register()
        services.add_skjerming(entry, "13", "Offl. § 13", ["TR1"], staff["builder"])
    with django_assert_max_num_queries(3):
        assert len(list(public_entries(publishable_entries()))) == 12
