"""The public journal's search table and its search: only public text is ever found, names of
private persons for a year only, and every page costs the same number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from tenestetorget.records import public_search, services
from tenestetorget.records.models import (
    CaseFolder,
    CorrespondencePart,
    Journalposttype,
    Korrespondanseparttype,
    RegistryEntry,
)
from tenestetorget.records.public_search import JournalQuery, Number, parse_number, search
from tenestetorget.records.search_index import PublicJournalRow
from tenestetorget.records.services import Party

pytestmark = pytest.mark.django_db

FNR = "01010150362"  # a valid test fødselsnummer (Skatteetaten's synthetic range)


def ids(page: public_search.JournalPage) -> list[str]:
    return [entry.registrerings_id for entry in page.entries]


def _set_date(entry: RegistryEntry, day: dt.date) -> None:
    # The journaldato is today's at registration; tests move it with a raw UPDATE (the model
    # refuses nothing here, the post is not archived) and refresh the row as a change would.
    RegistryEntry.objects.filter(pk=entry.pk).update(journaldato=day)
    public_search.refresh([entry.pk])


def test_registration_writes_the_public_row(register: Callable[..., RegistryEntry]) -> None:
    entry = register(tittel="Søknad om løyve til garasje")
    row = PublicJournalRow.objects.get(entry_id=entry.pk)
    assert "søknad om løyve til garasje" in row.text
    assert "byggjesak storvegen 1" in row.text  # the case's title
    assert row.person_names == "kari nordmann"
    assert row.organisation_names == ""
    assert row.journaldato == timezone.localdate()


def test_free_text_finds_public_words_and_never_screened_ones(
    register: Callable[..., RegistryEntry], staff: dict[str, Any]
) -> None:
    open_ = register(tittel="Søknad om løyve til garasje")
    screened = register(
        tittel="Klage frå Ola Hemmeleg om barnevern",
        offentlig_tittel="Klage frå ****** om ******",
    )
    services.add_skjerming(
        screened, "13", "Offl. § 13 jf. fvl. § 13", ["TR1", "NA"], staff["builder"]
    )
    assert ids(search(JournalQuery(text="garasje"))) == [open_.registrerings_id]
    assert ids(search(JournalQuery(text="klage"))) == [screened.registrerings_id]
    # The screened words are nowhere in the table: no search finds them.
    for word in ("hemmeleg", "barnevern", "Ola Hemmeleg"):
        assert search(JournalQuery(text=word)).entries == []
    assert not PublicJournalRow.objects.filter(text__contains="barnevern").exists()
    # The sender's name (NA) is masked too, so searching it by name finds nothing either.
    assert [e.entry_id for e in search(JournalQuery(name="Kari Nordmann")).entries] == [open_.pk]


def test_screening_the_case_later_takes_its_words_out_of_the_search(
    register: Callable[..., RegistryEntry], case: CaseFolder, staff: dict[str, Any]
) -> None:
    register(tittel="Søknad om løyve til garasje")
    assert search(JournalQuery(text="storvegen")).entries
    services.add_skjerming(case, "13", "Offl. § 13", ["TM1"], staff["builder"])
    assert search(JournalQuery(text="storvegen")).entries == []


def test_fodselsnummer_is_never_stored_or_found(register: Callable[..., RegistryEntry]) -> None:
    register(tittel=f"Søknad frå {FNR}", parties=[Party("EA", f"Kari {FNR}")])
    row = PublicJournalRow.objects.get()
    assert FNR not in row.text and FNR not in row.person_names
    assert search(JournalQuery(text=FNR)).entries == []
    assert search(JournalQuery(name=FNR[:6])).entries == []


def test_private_names_are_searchable_for_a_year_organisations_always(
    register: Callable[..., RegistryEntry],
) -> None:
    person = register(tittel="Søknad om garasje", parties=[Party("EA", "Kari Nordmann")])
    org = register(tittel="Søknad om naust", parties=[Party("EA", "Nordmann Bygg AS")])
    CorrespondencePart.objects.filter(registry_entry=org).update(is_person=False)
    public_search.refresh([org.pk])
    today = timezone.localdate()
    year_ago = today - dt.timedelta(days=public_search.PERSON_NAME_SEARCHABLE_DAYS)
    _set_date(person, year_ago)
    _set_date(org, year_ago - dt.timedelta(days=400))
    found = search(JournalQuery(name="nordmann"), today=today)
    assert {e.entry_id for e in found.entries} == {person.pk, org.pk}
    # One day later the person's name is more than a year old: not found by name, neither
    # in the name field nor in the free text; the organisation still is. The post itself
    # stays in the journal and shows the name.
    tomorrow = today + dt.timedelta(days=1)
    assert [e.entry_id for e in search(JournalQuery(name="nordmann"), today=tomorrow).entries] == [
        org.pk
    ]
    assert [e.entry_id for e in search(JournalQuery(text="nordmann"), today=tomorrow).entries] == [
        org.pk
    ]
    assert [e.entry_id for e in search(JournalQuery(text="garasje"), today=tomorrow).entries] == [
        person.pk
    ]


def test_numbers_types_and_dates(register: Callable[..., RegistryEntry]) -> None:
    first = register(tittel="Søknad")
    reply = register(
        tittel="Svar på søknad",
        journalposttype=Journalposttype.UTGAAANDE,
        parties=[Party(Korrespondanseparttype.MOTTAKAR, "Kari Nordmann")],
    )
    case_number = first.case_folder.mappe_id
    assert {e.entry_id for e in search(JournalQuery(text=case_number)).entries} == {
        first.pk,
        reply.pk,
    }
    assert ids(search(JournalQuery(text=reply.registrerings_id))) == [reply.registrerings_id]
    journal_number = f"{reply.journalaar}/{reply.journalsekvensnummer}"
    assert ids(search(JournalQuery(journal_number=parse_number(journal_number)))) == [
        reply.registrerings_id
    ]
    assert ids(search(JournalQuery(post_types=("U",)))) == [reply.registrerings_id]
    _set_date(first, timezone.localdate() - dt.timedelta(days=10))
    week = JournalQuery(date_from=timezone.localdate() - dt.timedelta(days=7))
    assert ids(search(week)) == [reply.registrerings_id]


def test_parse_number() -> None:
    assert parse_number("2026/123") == Number(2026, 123)
    assert parse_number(" 2026 / 123 - 4 ") == Number(2026, 123, 4)
    assert parse_number("garasje") is None
    assert parse_number("26/123") is None


def test_utgatt_leaves_the_journal(
    register: Callable[..., RegistryEntry], staff: dict[str, Any]
) -> None:
    entry = register()
    services.set_journalstatus(entry, "U", staff["builder"])
    assert not PublicJournalRow.objects.exists()
    assert search(JournalQuery()).entries == []


def test_keyset_pages_forward_and_back(register: Callable[..., RegistryEntry]) -> None:
    entries = [register(tittel=f"Søknad {n}") for n in range(7)]
    newest_first = [e.registrerings_id for e in reversed(entries)]
    first = search(JournalQuery(), page_size=3)
    assert ids(first) == newest_first[:3] and first.previous_cursor is None
    second = search(JournalQuery(), after=first.next_cursor, page_size=3)
    assert ids(second) == newest_first[3:6]
    third = search(JournalQuery(), after=second.next_cursor, page_size=3)
    assert ids(third) == newest_first[6:] and third.next_cursor is None
    back = search(JournalQuery(), before=third.previous_cursor, page_size=3)
    assert ids(back) == newest_first[3:6]
    back_again = search(JournalQuery(), before=back.previous_cursor, page_size=3)
    assert ids(back_again) == newest_first[:3] and back_again.previous_cursor is None


@pytest.mark.parametrize("probe_rows", [2, 5, 1000])
def test_a_search_pages_the_same_whether_the_newest_rows_hold_a_page_or_not(
    register: Callable[..., RegistryEntry], monkeypatch: pytest.MonkeyPatch, probe_rows: int
) -> None:
    """A search by words first tests the newest PROBE_ROWS rows and asks the whole table
    only when they hold no full page: the pages are the same either way."""
    monkeypatch.setattr(public_search, "PROBE_ROWS", probe_rows)
    today = timezone.localdate()
    entries = []
    for n in range(12):
        entry = register(tittel=f"{'Søknad' if n % 3 else 'Klage'} {n}")
        _set_date(entry, today - dt.timedelta(days=n // 2))
        entries.append(entry)
    for entry in entries:
        entry.refresh_from_db()
    wanted = [
        e.registrerings_id
        for e in sorted(entries, key=lambda e: (e.journaldato, e.pk), reverse=True)
        if e.tittel.startswith("Søknad")
    ]
    query = JournalQuery(text="søknad")
    pages = [search(query, page_size=3)]
    while pages[-1].next_cursor:
        pages.append(search(query, after=pages[-1].next_cursor, page_size=3))
    assert [ids(page) for page in pages] == [wanted[i : i + 3] for i in range(0, 8, 3)]
    back = search(query, before=pages[-1].previous_cursor, page_size=3)
    assert ids(back) == wanted[3:6]
    assert search(JournalQuery(name="ingen slik"), page_size=3).entries == []


def test_a_page_costs_the_same_queries_whatever_the_size(
    register: Callable[..., RegistryEntry], django_assert_max_num_queries: Any
) -> None:
    for n in range(3):
        register(tittel=f"Søknad {n}")
    with django_assert_max_num_queries(4):
        search(JournalQuery(text="søknad"), page_size=25)
    for n in range(40):
        register(tittel=f"Søknad {n}")
    with django_assert_max_num_queries(4):
        page = search(JournalQuery(text="søknad"), page_size=25)
    assert len(page.entries) == 25


def test_rebuild_writes_the_same_rows(register: Callable[..., RegistryEntry]) -> None:
    for n in range(3):
        register(tittel=f"Søknad {n}")
    before = sorted(PublicJournalRow.objects.values_list("entry_id", "text", "person_names"))
    assert public_search.rebuild() == 3
    after = sorted(PublicJournalRow.objects.values_list("entry_id", "text", "person_names"))
    assert before == after
