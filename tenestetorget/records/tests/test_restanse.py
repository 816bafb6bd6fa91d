"""Restanse lists: the incoming mail not yet written off, with its age, per officer and per
unit, for whoever may see the unit's records, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tenestetorget.organisation.models import Role, StaffProfile, Unit
from tenestetorget.records import services
from tenestetorget.records.models import (
    CaseFolder,
    Journalposttype,
    Korrespondanseparttype,
    RegistryEntry,
)
from tenestetorget.records.selectors import restanse, restanse_counts
from tenestetorget.records.services import Party

pytestmark = pytest.mark.django_db

Register = Callable[..., RegistryEntry]
TODAY = dt.date(2026, 12, 6)


def _dated(entry: RegistryEntry, days_ago: int) -> RegistryEntry:
    RegistryEntry.objects.filter(pk=entry.pk).update(
        journaldato=TODAY - dt.timedelta(days=days_ago)
    )
    entry.refresh_from_db()
    return entry


@pytest.fixture
def colleague(units: dict[str, Unit]) -> Any:
    """A second case officer in Plan og bygg."""
    user = get_user_model().objects.create_user(
        username="kollega", password="demo", first_name="Kollega", last_name="Test"
    )
    StaffProfile.objects.create(user=user, unit=units["plan_bygg"], role=Role.CASE_OFFICER)
    return user


@pytest.fixture
def tech_case(archive: Any, staff: Any, units: dict[str, Unit]) -> CaseFolder:
    return services.create_saksmappe(
        archive["series"], "Brøyting Storvegen", units["teknisk"], staff["tech"], staff["tech"]
    )


def test_the_list_is_oldest_first_with_the_age_in_days(register: Register, staff: Any) -> None:
    middle = _dated(register(tittel="Nabomerknad"), 3)
    new = _dated(register(tittel="Ettersending"), 0)
    old = _dated(register(tittel="Søknad"), 45)

    rows = list(restanse(staff["builder"], today=TODAY))

    assert rows == [old, middle, new]
    assert [row.age_days for row in rows] == [45, 3, 0]


def test_the_age_counts_from_the_journaldato_to_today_by_default(
    register: Register, staff: Any
) -> None:
    entry = register()
    RegistryEntry.objects.filter(pk=entry.pk).update(
        journaldato=timezone.localdate() - dt.timedelta(days=400)
    )
    (row,) = restanse(staff["builder"])
    assert row.age_days == 400


def test_only_open_incoming_posts_count(
    register: Register, staff: Any, archive: Any, units: dict[str, Unit]
) -> None:
    builder = staff["builder"]
    waiting = register(tittel="Ventar på svar")
    services.write_off(register(tittel="Svart på telefon"), builder, how="TLF")
    register(
        journalposttype=Journalposttype.UTGAAANDE,
        tittel="Utgåande",
        parties=[Party(Korrespondanseparttype.MOTTAKAR, "Kari Nordmann")],
    )
    services.set_journalstatus(register(tittel="Utgått"), "U", builder)
    services.set_journalstatus(register(tittel="Arkivert"), "A", builder)
    expedited = register(tittel="Ekspedert")
    services.set_journalstatus(expedited, "E", builder)
    services.register_journalpost(
        CaseFolder.objects.get(pk=waiting.case_folder_id),
        "",
        "Arkivnotat",
        builder,
        kind="arkivnotat",
    )
    dropped_case = services.create_saksmappe(
        archive["series"], "Utgått sak", units["plan_bygg"], builder, builder
    )
    services.register_journalpost(
        dropped_case, "I", "I ei sak som utgår", builder, parties=[Party("EA", "Ola")]
    )
    services.close_saksmappe(dropped_case, builder, status="U")
    closed_case = services.create_saksmappe(
        archive["series"], "Avslutta sak", units["plan_bygg"], builder, builder
    )
    in_closed = services.register_journalpost(
        closed_case, "I", "Ubesvart i avslutta sak", builder, parties=[Party("EA", "Ola")]
    )
    services.close_saksmappe(closed_case, builder)

    titles = {row.tittel for row in restanse(builder)}

    # An unanswered letter in a closed (avslutta) case is still owed an answer.
    assert titles == {waiting.tittel, expedited.tittel, in_closed.tittel}


def test_narrowed_to_an_officer_or_a_unit(
    register: Register, staff: Any, colleague: Any, tech_case: CaseFolder, units: Any
) -> None:
    archivist = staff["archivist"]
    mine = register(saksbehandler=staff["builder"])
    theirs = register(saksbehandler=colleague)
    tech = register(case_folder=tech_case, actor=staff["tech"])

    assert list(restanse(archivist, officer=colleague)) == [theirs]
    assert set(restanse(archivist, unit=units["plan_bygg"])) == {mine, theirs}
    assert list(restanse(archivist, unit=units["teknisk"])) == [tech]


def test_a_post_counts_in_its_own_unit_and_is_seen_by_its_cases_unit(
    register: Register, staff: Any, units: Any
) -> None:
    """An imported post may keep another unit than its case's (its own
    administrativEnhet): the restanse lists and counts it in its own unit, and who may see
    it is still decided by the case (records.access)."""
    entry = register()
    RegistryEntry.objects.filter(pk=entry.pk).update(unit=units["teknisk"])

    assert list(restanse(staff["archivist"], unit=units["teknisk"])) == [entry]
    assert list(restanse(staff["archivist"], unit=units["plan_bygg"])) == []
    counts = restanse_counts(staff["archivist"])
    assert [(row["case_unit"], row["count"]) for row in counts.per_unit] == [
        (units["teknisk"].pk, 1)
    ]
    assert list(restanse(staff["builder"])) == [entry]
    assert list(restanse(staff["tech"])) == []


def test_counts_per_officer_and_per_unit(
    register: Register, staff: Any, colleague: Any, tech_case: CaseFolder, units: Any
) -> None:
    builder = staff["builder"]
    _dated(register(saksbehandler=builder), 10)
    _dated(register(saksbehandler=builder), 2)
    _dated(register(saksbehandler=colleague), 5)
    _dated(register(case_folder=tech_case, actor=staff["tech"]), 30)
    services.write_off(register(saksbehandler=colleague), builder, how="TE")

    counts = restanse_counts(staff["archivist"])

    assert [
        (row["saksbehandler_user"], row["saksbehandler"], row["count"], row["oldest"])
        for row in counts.per_officer
    ] == [
        (builder.pk, "Byggjar Test", 2, TODAY - dt.timedelta(days=10)),
        (colleague.pk, "Kollega Test", 1, TODAY - dt.timedelta(days=5)),
        (staff["tech"].pk, "Teknikar Test", 1, TODAY - dt.timedelta(days=30)),
    ]
    assert [
        (row["case_unit"], row["unit_name"], row["count"], row["oldest"]) for row in counts.per_unit
    ] == [
        (units["plan_bygg"].pk, "Plan og bygg", 3, TODAY - dt.timedelta(days=10)),
        (units["teknisk"].pk, "Teknisk drift", 1, TODAY - dt.timedelta(days=30)),
    ]


def test_an_officer_sees_only_their_own_units_restansar(
    register: Register, staff: Any, tech_case: CaseFolder
) -> None:
    ours = register()
    theirs = register(case_folder=tech_case, actor=staff["tech"])

    assert list(restanse(staff["builder"])) == [ours]
    assert list(restanse(staff["tech"])) == [theirs]
    assert set(restanse(staff["archivist"])) == {ours, theirs}
    assert list(restanse(staff["front"])) == []
    # Asking for another unit's list gives nothing, not that unit's posts.
    assert list(restanse(staff["builder"], unit=tech_case.unit)) == []
    counts = restanse_counts(staff["tech"])
    assert [row["count"] for row in counts.per_unit] == [1]
    assert [row["saksbehandler"] for row in counts.per_officer] == ["Teknikar Test"]
    assert restanse_counts(staff["front"]).per_unit == []


def _read_list(user: Any) -> list[tuple[str, str, str, int]]:
    return [
        (
            row.case_folder.mappe_id,
            row.case_folder.unit.name,
            str(row.saksbehandler_user),
            row.age_days,
        )
        for row in restanse(user, today=TODAY)
    ]


@pytest.mark.parametrize("size", [1, 12])
def test_a_fixed_number_of_queries_however_long_the_list(
    register: Register, staff: Any, size: int, django_assert_num_queries: Any
) -> None:
    builder = get_user_model().objects.get(pk=staff["builder"].pk)
    for _ in range(size):
        register()
    # The user's profile once, the list once, each count once.
    with django_assert_num_queries(2):
        assert len(_read_list(builder)) == size
    builder = get_user_model().objects.get(pk=staff["builder"].pk)
    with django_assert_num_queries(3):
        counts = restanse_counts(builder)
    assert counts.per_unit[0]["count"] == size


def test_counts_are_kept_until_the_restanse_changes(
    register: Register, staff: Any, django_assert_num_queries: Any
) -> None:
    """At a million posts a count costs a second (docs/performance.md), so it is cached; any
    change through the services is seen at once."""
    archivist = get_user_model().objects.get(pk=staff["archivist"].pk)
    letter = register()
    assert restanse_counts(archivist).per_unit[0]["count"] == 1
    with django_assert_num_queries(0):
        assert restanse_counts(archivist).per_unit[0]["count"] == 1
    second = register()
    assert restanse_counts(archivist).per_unit[0]["count"] == 2
    services.write_off(letter, staff["builder"], how="TE")
    assert restanse_counts(archivist).per_unit[0]["count"] == 1
    services.set_journalstatus(second, "U", staff["builder"])
    assert restanse_counts(archivist).per_unit == []
