"""GET /api/v1/journal/: the public journal as JSON, without login, public data only."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.test import APIClient

from tenestetorget.organisation.models import Role, StaffProfile, Unit
from tenestetorget.records import public_search, services
from tenestetorget.records.models import Journalposttype, Korrespondanseparttype, RegistryEntry
from tenestetorget.records.services import Party

pytestmark = pytest.mark.django_db

URL = "/api/v1/journal/"
FNR = "01010150362"
SECRET = "Melding om omsorgssvikt hjå familien Hemmelegdal"


@pytest.fixture
def register(db: Any) -> Any:
    unit = Unit.objects.create(code="plan_bygg", name="Plan og bygg")
    user = get_user_model().objects.create_user(username="byggjar", first_name="Berit")
    StaffProfile.objects.create(user=user, unit=unit, role=Role.ARCHIVIST)
    k_codes = services.create_classification_system("KS K-kodar", user, "K-kodar")
    fonds = services.create_archive("Vinje kommune", [("974760673", "Vinje kommune")], user)
    series = services.create_series(fonds, "Sakarkiv", user, k_codes)
    case = services.create_saksmappe(series, "Byggjesak Storvegen 1", unit, user, user)

    def make(**kwargs: Any) -> RegistryEntry:
        values: dict[str, Any] = {
            "case_folder": case,
            "journalposttype": Journalposttype.INNGAAANDE,
            "tittel": "Søknad om løyve til garasje",
            "actor": user,
            "parties": [Party(Korrespondanseparttype.AVSENDAR, "Kari Nordmann")],
        }
        values.update(kwargs)
        return services.register_journalpost(**values)

    make.user = user  # type: ignore[attr-defined]
    return make


def get(**params: Any) -> Any:
    return APIClient().get(URL, params)


def test_public_without_a_token_with_the_fields_of_a_post(register):
    entry = register(dokumentets_dato=dt.date(2026, 1, 2))
    response = get()
    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None and body["previous"] is None
    (item,) = body["results"]
    assert item["system_id"] == str(entry.system_id)
    assert item["registrerings_id"] == entry.registrerings_id
    assert item["journalaar"] == entry.journalaar
    assert item["journalsekvensnummer"] == entry.journalsekvensnummer
    assert item["journalposttype"] == "I"
    assert item["journaldato"] == timezone.localdate().isoformat()
    assert item["dokumentets_dato"] == "2026-01-02"
    assert item["tittel"] == "Søknad om løyve til garasje"
    assert item["mappe_id"] == entry.case_folder.mappe_id
    assert item["case_tittel"] == "Byggjesak Storvegen 1"
    assert item["administrativ_enhet"] == "Plan og bygg"
    assert item["parties"] == [{"role": "EA", "name": "Kari Nordmann"}]
    assert item["screened"] is False and item["skjermingshjemmel"] == ""
    assert item["innsyn_url"] == f"/journal/innsyn/{entry.system_id}/"


def test_screened_words_and_fodselsnummer_never_in_the_json(register):
    entry = register(
        tittel=SECRET,
        offentlig_tittel="Melding om ****** hjå ******",
        parties=[Party(Korrespondanseparttype.AVSENDAR, f"Ola Hemmelegdal {FNR}")],
    )
    services.add_skjerming(entry, "13", "Offl. § 13 jf. fvl. § 13", ["TR1", "NA"], register.user)
    register(tittel=f"Søknad frå {FNR}")
    text = json.dumps(get().json(), ensure_ascii=False)
    for secret in ("omsorgssvikt", "Hemmelegdal", FNR):
        assert secret not in text
    item = next(i for i in get().json()["results"] if i["system_id"] == str(entry.system_id))
    assert item["tittel"] == "Melding om ****** hjå ******"
    assert item["parties"] == [{"role": "EA", "name": "******"}]
    assert item["screened"] is True
    assert item["skjermingshjemmel"] == "Offl. § 13 jf. fvl. § 13"
    for params in ({"q": "omsorgssvikt"}, {"q": "Hemmelegdal"}, {"part": "Hemmelegdal"}):
        assert get(**params).json()["results"] == []


def test_filters(register):
    register(tittel="Søknad om garasje")
    reply = register(
        tittel="Svar på søknad",
        journalposttype=Journalposttype.UTGAAANDE,
        parties=[Party(Korrespondanseparttype.MOTTAKAR, "Kari Nordmann")],
    )
    old = register(tittel="Søknad om naust")
    day = timezone.localdate() - dt.timedelta(days=5)
    RegistryEntry.objects.filter(pk=old.pk).update(journaldato=day)
    public_search.refresh([old.pk])

    def found(**params: Any) -> list[str]:
        response = get(**params)
        assert response.status_code == 200, response.content
        return [item["tittel"] for item in response.json()["results"]]

    assert found(q="garasje") == ["Søknad om garasje"]
    assert found(type="U") == ["Svar på søknad"]
    assert sorted(found(type=["U", "I"])) == sorted(
        ["Søknad om garasje", "Svar på søknad", "Søknad om naust"]
    )
    assert found(dato=day.isoformat()) == ["Søknad om naust"]
    assert found(fra=day.isoformat(), til=day.isoformat()) == ["Søknad om naust"]
    assert found(q=reply.registrerings_id) == ["Svar på søknad"]
    assert len(found(saksnr=reply.case_folder.mappe_id)) == 3
    assert found(journalnr=f"{reply.journalaar}/{reply.journalsekvensnummer}") == ["Svar på søknad"]
    assert found(part="Kari Nordmann", type="U") == ["Svar på søknad"]


def test_pages_by_cursor(register):
    for n in range(5):
        register(tittel=f"Søknad {n}")
    first = get(limit=2).json()
    assert [i["tittel"] for i in first["results"]] == ["Søknad 4", "Søknad 3"]
    second = APIClient().get(first["next"]).json()
    assert [i["tittel"] for i in second["results"]] == ["Søknad 2", "Søknad 1"]
    assert "limit=2" in first["next"]
    back = APIClient().get(second["previous"]).json()
    assert [i["tittel"] for i in back["results"]] == ["Søknad 4", "Søknad 3"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"dato": "i går"}, "dato"),
        ({"dato": ""}, "dato"),
        ({"saksnr": "hundre"}, "saksnr"),
        ({"journalnr": "2026/1-2"}, "journalnr"),
        ({"type": "Q"}, "type"),
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"after": "x"}, "after"),
    ],
)
def test_bad_parameters_are_400_in_the_api_format(register, params, field):
    response = get(**params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert any(str(error["field"]).startswith(field) for error in body["errors"])


def test_odd_text_is_never_an_error(register):
    for q in ("", "a", "\x00", "%_", "' OR 1=1 --", "å" * 5000, "2026/"):
        assert get(q=q).status_code == 200


def test_constant_queries(register, django_assert_max_num_queries):
    for n in range(3):
        register(tittel=f"Søknad {n}")
    with django_assert_max_num_queries(4):
        assert get(q="søknad").status_code == 200
    for n in range(60):
        register(tittel=f"Søknad {n}")
    with django_assert_max_num_queries(4):
        assert len(get(q="søknad").json()["results"]) == 25
