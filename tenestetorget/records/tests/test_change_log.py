"""The change log (endringslogg) records every change before archiving: which record
(systemID), which field (the Noark name), old and new value, who and when; and it is
append-only, in the model layer and, on PostgreSQL, in the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from tenestetorget.records import services
from tenestetorget.records.models import ChangeLogEntry, ChangeLogError, RegistryEntry

pytestmark = pytest.mark.django_db


def _log_of(record: Any) -> list[tuple[str, str, str, str]]:
    return list(
        ChangeLogEntry.objects.filter(referanse_arkivenhet=record.system_id).values_list(
            "referanse_metadata", "tidligere_verdi", "ny_verdi", "endret_av"
        )
    )


def test_each_changed_field_is_logged_with_old_and_new_value(
    register: Callable[..., RegistryEntry], staff: Any
) -> None:
    entry = register(tittel="Søknad", dokumentets_dato=dt.date(2026, 3, 1))
    services.change_journalpost(
        entry,
        staff["builder"],
        tittel="Søknad om bruksendring",
        dokumentets_dato=dt.date(2026, 3, 2),
        offentlig_tittel="",  # unchanged: not logged
        journalposttype="I",  # unchanged: not logged
    )
    assert _log_of(entry) == [
        ("tittel", "Søknad", "Søknad om bruksendring", "Byggjar Test"),
        ("dokumentetsDato", "2026-03-01", "2026-03-02", "Byggjar Test"),
    ]
    entry.refresh_from_db()
    assert entry.tittel == "Søknad om bruksendring"
    assert ChangeLogEntry.objects.first().endret_av_user == staff["builder"]  # type: ignore[union-attr]


def test_status_changes_are_logged(register: Callable[..., RegistryEntry], staff: Any) -> None:
    actor = staff["builder"]
    entry = register(journalposttype="U", parties=[services.Party("EM", "Ola Nordmann")])
    document = services.add_dokument(entry, "Vedtak", actor)
    services.finish_dokument(document, actor)
    services.set_journalstatus(entry, "E", actor)
    services.set_journalstatus(entry, "A", actor)
    services.close_saksmappe(entry.case_folder, actor)
    assert _log_of(document) == [("dokumentstatus", "B", "F", "Byggjar Test")]
    assert _log_of(entry) == [
        ("journalstatus", "J", "E", "Byggjar Test"),
        ("journalstatus", "E", "A", "Byggjar Test"),
    ]
    assert _log_of(entry.case_folder) == [("saksstatus", "B", "A", "Byggjar Test")]
    entry.refresh_from_db()
    assert entry.arkivert_dato is not None and entry.arkivert_av == "Byggjar Test"


def test_screening_and_disposal_are_logged(
    register: Callable[..., RegistryEntry], staff: Any
) -> None:
    entry = register()
    services.add_skjerming(entry, "13", "Offl. § 13 jf. fvl. § 13", ["NA", "TR1"], staff["builder"])
    services.set_kassasjon(entry.case_folder, "B", 0, staff["archivist"], dt.date(2026, 1, 1))
    services.set_kassasjon(entry.case_folder, "K", 10, staff["archivist"], dt.date(2036, 1, 1))
    assert _log_of(entry) == [
        ("skjerming", "", "13 Offl. § 13 jf. fvl. § 13 (NA, TR1)", "Byggjar Test")
    ]
    assert [row[:3] for row in _log_of(entry.case_folder)] == [
        ("kassasjonsvedtak", "", "B"),
        ("kassasjonsvedtak", "B", "K"),
        ("bevaringstid", "0", "10"),
        ("kassasjonsdato", "2026-01-01", "2036-01-01"),
    ]


def test_the_log_cannot_be_changed_or_deleted(
    register: Callable[..., RegistryEntry], staff: Any
) -> None:
    entry = register()
    services.change_journalpost(entry, staff["builder"], tittel="Ny tittel")
    logged = ChangeLogEntry.objects.get()
    logged.ny_verdi = "Forfalska"
    actions: list[Callable[[], Any]] = [
        logged.save,
        logged.delete,
        lambda: ChangeLogEntry.objects.update(ny_verdi="Forfalska"),
        lambda: ChangeLogEntry.objects.filter(pk=logged.pk).delete(),
        lambda: ChangeLogEntry.objects.all().delete(),
    ]
    for action in actions:
        with pytest.raises(ChangeLogError) as refused, transaction.atomic():
            action()
        assert refused.value.messages == [
            "Endringsloggen kan ikkje endrast eller slettast, berre utvidast."
        ]
    assert ChangeLogEntry.objects.get().ny_verdi == "Ny tittel"


def test_postgresql_refuses_raw_updates_and_deletes_of_the_log(
    register: Callable[..., RegistryEntry], staff: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only; SQLite relies on the model guards")
    entry = register()
    services.change_journalpost(entry, staff["builder"], tittel="Ny tittel")
    for sql in [
        "UPDATE records_changelogentry SET ny_verdi = 'Forfalska'",
        "DELETE FROM records_changelogentry",
    ]:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert ChangeLogEntry.objects.get().ny_verdi == "Ny tittel"
