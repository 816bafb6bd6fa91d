"""Closing an archive period (arkivdel) and starting the next: refused while cases are open,
naming them; only the archivist; every status change in the change log."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tenestetorget.organisation.models import Unit
from tenestetorget.records import periods, services
from tenestetorget.records.models import ArkivdelStatus, CaseFolder, ChangeLogEntry, Series

pytestmark = pytest.mark.django_db


def _log(series: Series) -> list[tuple[str, str, str]]:
    return [
        (row.referanse_metadata, row.tidligere_verdi, row.ny_verdi)
        for row in ChangeLogEntry.objects.filter(referanse_arkivenhet=series.system_id)
    ]


def test_open_cases_block_closing_and_are_named(
    case: CaseFolder, archive: Any, staff: Any, units: dict[str, Unit]
) -> None:
    other = services.create_saksmappe(
        archive["series"], "Brøyting", units["teknisk"], staff["tech"], staff["tech"]
    )
    with pytest.raises(periods.OpenCasesInPeriod) as refused:
        periods.close_series(archive["series"], staff["archivist"])
    assert [c.pk for c in refused.value.cases] == [case.pk, other.pk]
    message = refused.value.messages[0]
    assert case.mappe_id in message and other.mappe_id in message
    assert "2 saker er framleis under behandling" in message
    series = Series.objects.get(pk=archive["series"].pk)
    assert series.arkivdelstatus == ArkivdelStatus.AKTIV
    assert series.avsluttet_dato is None
    assert _log(series) == []


def test_closing_after_the_cases_are_closed(case: CaseFolder, archive: Any, staff: Any) -> None:
    services.close_saksmappe(case, staff["builder"])
    closed = periods.close_series(
        archive["series"], staff["archivist"], today=dt.date(2029, 12, 31)
    )
    assert closed.arkivdelstatus == ArkivdelStatus.AVSLUTTA
    assert closed.avsluttet_av == "Arkivar Test"
    assert closed.avsluttet_dato is not None
    assert closed.arkivperiode_slutt_dato == dt.date(2029, 12, 31)
    log = _log(closed)
    assert ("arkivdelstatus", "A", "P") in log
    assert [row[0] for row in log] == ["arkivdelstatus", "avsluttetDato"]
    # A closed period takes no new cases, and is not closed twice.
    with pytest.raises(ValidationError, match="avslutta"):
        services.create_saksmappe(closed, "Ny", case.unit, staff["builder"], staff["builder"])
    with pytest.raises(ValidationError, match="alt avslutta"):
        periods.close_series(closed, staff["archivist"])


def test_an_utgaar_case_does_not_block(case: CaseFolder, archive: Any, staff: Any) -> None:
    services.close_saksmappe(case, staff["builder"], status="U")
    assert periods.close_series(archive["series"], staff["archivist"]).arkivdelstatus == "P"


@pytest.mark.parametrize("who", ["builder", "tech", "front"])
def test_only_the_archivist_manages_periods(archive: Any, staff: Any, who: str) -> None:
    with pytest.raises(PermissionDenied):
        periods.close_series(archive["series"], staff[who])
    with pytest.raises(PermissionDenied):
        periods.start_next_period(archive["series"], "Sakarkiv 2030–", staff[who])
    assert Series.objects.get(pk=archive["series"].pk).arkivdelstatus == ArkivdelStatus.AKTIV


def test_a_new_period_makes_the_old_one_overlapping(
    case: CaseFolder, archive: Any, staff: Any, units: dict[str, Unit]
) -> None:
    old = archive["series"]
    new = periods.start_next_period(
        old, "Sakarkiv 2030–2033", staff["archivist"], start=dt.date(2030, 1, 1)
    )
    old.refresh_from_db()
    assert old.arkivdelstatus == ArkivdelStatus.OVERLAPPING
    assert new.arkivdelstatus == ArkivdelStatus.AKTIV
    assert new.archive_id == old.archive_id
    assert new.classification_system_id == old.classification_system_id
    assert new.arkivperiode_start_dato == dt.date(2030, 1, 1)
    assert ("arkivdelstatus", "A", "O") in _log(old)
    # The open case still takes posts in the overlapping period; then it closes.
    services.register_journalpost(case, "N", "Notat", staff["builder"], parties=[])
    services.close_saksmappe(case, staff["builder"])
    assert periods.close_series(old, staff["archivist"]).arkivdelstatus == "P"
    # Only the active period gets a successor.
    with pytest.raises(ValidationError, match="aktiv periode"):
        periods.start_next_period(old, "Enda ein", staff["archivist"])


def test_a_new_period_needs_a_title_and_a_later_start(archive: Any, staff: Any) -> None:
    old = archive["series"]
    Series.objects.filter(pk=old.pk).update(arkivperiode_start_dato=dt.date(2026, 1, 1))
    with pytest.raises(ValidationError, match="tittel"):
        periods.start_next_period(old, "  ", staff["archivist"])
    with pytest.raises(ValidationError, match="starte etter"):
        periods.start_next_period(old, "Ny", staff["archivist"], start=dt.date(2025, 1, 1))
    assert Series.objects.count() == 1
