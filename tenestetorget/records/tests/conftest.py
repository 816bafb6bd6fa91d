"""Fixtures for records: a municipality with an archive, a period, K-kodar and gnr/bnr, and
staff in each role that matters to the archive."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from tenestetorget.organisation.models import Role, StaffProfile, Unit
from tenestetorget.records import services
from tenestetorget.records.models import (
    CaseFolder,
    Journalposttype,
    Korrespondanseparttype,
    RegistryEntry,
)
from tenestetorget.records.services import Party


@pytest.fixture
def units(db: Any) -> dict[str, Unit]:
    return {
        code: Unit.objects.create(code=code, name=name)
        for code, name in [
            ("plan_bygg", "Plan og bygg"),
            ("teknisk", "Teknisk drift"),
            ("arkiv", "Arkiv"),
            ("tenestetorget", "Tenestetorget"),
        ]
    }


@pytest.fixture
def staff(units: dict[str, Unit]) -> dict[str, Any]:
    def make(username: str, role: str, unit: str) -> Any:
        user = get_user_model().objects.create_user(
            username=username, password="demo", first_name=username.title(), last_name="Test"
        )
        StaffProfile.objects.create(user=user, unit=units[unit], role=role)
        return user

    return {
        "archivist": make("arkivar", Role.ARCHIVIST, "arkiv"),
        "builder": make("byggjar", Role.CASE_OFFICER, "plan_bygg"),
        "tech": make("teknikar", Role.CASE_OFFICER, "teknisk"),
        "front": make("skranke", Role.FRONT_DESK, "tenestetorget"),
    }


@pytest.fixture
def archive(staff: dict[str, Any]) -> dict[str, Any]:
    archivist = staff["archivist"]
    k_codes = services.create_classification_system("KS K-kodar", archivist, "K-kodar")
    gbnr = services.create_classification_system("Gards- og bruksnummer", archivist, "GBNR")
    fonds = services.create_archive("Vinje kommune", [("974760673", "Vinje kommune")], archivist)
    series = services.create_series(fonds, "Sakarkiv 2026–2029", archivist, k_codes)
    return {
        "archive": fonds,
        "series": series,
        "k614": services.create_class(k_codes, "614", "Byggjesaker", archivist),
        "gbnr": services.create_class(gbnr, "12/34", "Gnr. 12 bnr. 34", archivist),
    }


@pytest.fixture
def case(archive: dict[str, Any], staff: dict[str, Any], units: dict[str, Unit]) -> CaseFolder:
    return services.create_saksmappe(
        archive["series"],
        "Byggjesak Storvegen 1",
        units["plan_bygg"],
        saksansvarlig=staff["builder"],
        actor=staff["builder"],
        klasse=archive["k614"],
        sekundaer_klasse=archive["gbnr"],
    )


SENDER = Party(Korrespondanseparttype.AVSENDAR, "Kari Nordmann", poststed="Vinje")


@pytest.fixture
def register(case: CaseFolder, staff: dict[str, Any]) -> Callable[..., RegistryEntry]:
    def make(**kwargs: Any) -> RegistryEntry:
        values: dict[str, Any] = {
            "case_folder": case,
            "journalposttype": Journalposttype.INNGAAANDE,
            "tittel": "Søknad om løyve til tiltak",
            "actor": staff["builder"],
            "parties": [SENDER],
        }
        values.update(kwargs)
        return services.register_journalpost(**values)

    return make


@pytest.fixture
def archived_entry(register: Callable[..., RegistryEntry], staff: dict[str, Any]) -> RegistryEntry:
    """A journal post with a finished main document in one version, archived."""
    actor = staff["builder"]
    entry = register()
    document = services.add_dokument(entry, "Søknad", actor)
    services.add_dokumentobjekt(
        document,
        actor,
        format="fmt/95",
        sjekksum="a" * 64,
        filstoerrelse=1234,
        referanse_dokumentfil="DOKUMENT/1.pdf",
        variantformat="A",
    )
    services.finish_dokument(document, actor)
    services.set_journalstatus(entry, "A", actor)
    entry.refresh_from_db()
    return entry
