"""The journal search, the case list and the case page: each filter, the keyset pager, who
sees what, screened titles, and a fixed number of queries at two data sizes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tenestetorget.organisation.models import Unit
from tenestetorget.records import search, services
from tenestetorget.records.models import (
    CaseFolder,
    Journalposttype,
    Korrespondanseparttype,
    RegistryEntry,
    Saksstatus,
)
from tenestetorget.records.services import Party

pytestmark = pytest.mark.django_db

Register = Callable[..., RegistryEntry]


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def found(response: Any) -> list[str]:
    page = response.context["page"]
    if page is None:
        return []
    return [
        row.registrerings_id if isinstance(row, RegistryEntry) else row.mappe_id
        for row in page.rows
    ]


def _dated(entry: RegistryEntry, day: dt.date) -> RegistryEntry:
    RegistryEntry.objects.filter(pk=entry.pk).update(journaldato=day)
    entry.refresh_from_db()
    return entry


@pytest.fixture
def tech_case(archive: Any, staff: Any, units: dict[str, Unit]) -> CaseFolder:
    return services.create_saksmappe(
        archive["series"], "Brøyting Storvegen", units["teknisk"], staff["tech"], staff["tech"]
    )


@pytest.fixture
def posts(register: Register, staff: Any, tech_case: CaseFolder) -> dict[str, RegistryEntry]:
    return {
        "garage": _dated(register(tittel="Søknad om garasje"), dt.date(2026, 3, 1)),
        "fence": _dated(
            register(
                tittel="Nabomerknad gjerde",
                parties=[Party(Korrespondanseparttype.AVSENDAR, "Per Hansen")],
            ),
            dt.date(2026, 4, 1),
        ),
        "reply": _dated(
            register(
                journalposttype=Journalposttype.UTGAAANDE,
                tittel="Svar om garasje",
                parties=[Party(Korrespondanseparttype.MOTTAKAR, "Kari Nordmann")],
            ),
            dt.date(2026, 5, 1),
        ),
        "snow": _dated(
            services.register_journalpost(
                tech_case,
                "I",
                "Klage på brøyting",
                staff["tech"],
                parties=[Party(Korrespondanseparttype.AVSENDAR, "Olav Vik")],
            ),
            dt.date(2026, 4, 15),
        ),
    }


def test_each_filter(posts: dict[str, RegistryEntry], staff: Any, case: CaseFolder) -> None:
    client = client_for(staff["archivist"])
    url = reverse("records:search")

    def ids(**params: Any) -> set[str]:
        response = client.get(url, params)
        assert response.status_code == 200
        return set(found(response))

    garage, fence, reply, snow = (
        posts[k].registrerings_id for k in ("garage", "fence", "reply", "snow")
    )
    assert ids(q="garasje") == {garage, reply}
    assert ids(q="søknad GARASJE") == {garage}
    assert ids(q=garage) == {garage}
    assert ids(saksnummer=case.mappe_id) == {garage, fence, reply}
    number = posts["snow"]
    assert ids(journalnummer=f"{number.journalaar}/{number.journalsekvensnummer}") == {snow}
    assert ids(party="hansen") == {fence}
    assert ids(unit=case.unit_id) == {garage, fence, reply}
    assert ids(officer=staff["tech"].pk) == {snow}
    assert ids(date_from="2026-04-01", date_to="2026-04-30") == {fence, snow}
    assert ids(journalposttype="U") == {reply}
    assert ids(journalstatus="J") == {garage, fence, reply, snow}
    # Newest journaldato first.
    assert found(client.get(url, {"journalstatus": "J"})) == [reply, snow, fence, garage]


def test_bad_input_is_said_not_an_error(posts: Any, staff: Any) -> None:
    client = client_for(staff["archivist"])
    response = client.get(
        reverse("records:search"),
        {"saksnummer": "123", "date_from": "2026-05-01", "date_to": "2026-04-01"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Skriv saksnummeret som 2026/123." in page
    assert "Til-datoen kan ikkje vere før frå-datoen." in page
    # A cursor that is not one starts from the top.
    response = client.get(reverse("records:search"), {"q": "garasje", "etter": "x.y"})
    assert len(found(response)) == 2


def test_a_case_officer_searches_their_own_unit(posts: Any, staff: Any) -> None:
    response = client_for(staff["builder"]).get(reverse("records:search"), {"q": "brøyting"})
    assert found(response) == []
    response = client_for(staff["tech"]).get(reverse("records:search"), {"q": "brøyting"})
    assert found(response) == [posts["snow"].registrerings_id]


def test_front_desk_and_anonymous_see_nothing(posts: Any, staff: Any) -> None:
    for name in ("search", "cases", "restanse", "register", "periods"):
        assert client_for(staff["front"]).get(reverse(f"records:{name}")).status_code == 403
        assert Client().get(reverse(f"records:{name}")).status_code == 302


def test_the_pager_goes_page_by_page(register: Register, staff: Any, settings: Any) -> None:
    made = [
        _dated(register(tittel=f"Brev {n}"), dt.date(2026, 1, 1) + dt.timedelta(days=n % 3))
        for n in range(7)
    ]
    client = client_for(staff["archivist"])
    seen: list[str] = []
    params: dict[str, str] = {"q": "brev"}
    pages = 0
    while True:
        page = search.search_journal(
            staff["archivist"],
            search.JournalFilter(words="brev"),
            after=search.Cursor.decode(params.get("etter")),
            limit=3,
        )
        seen += [row.registrerings_id for row in page.rows]
        pages += 1
        if page.next_cursor is None:
            break
        params["etter"] = page.next_cursor.encode()
    assert pages == 3
    assert sorted(seen) == sorted(e.registrerings_id for e in made)
    assert len(set(seen)) == 7
    # The page's own pager link carries the filter and the cursor.
    for _ in range(20):
        register(tittel="Brev")
    response = client.get(reverse("records:search"), {"q": "brev"})
    next_cursor = response.context["page"].next_cursor
    assert f"q=brev&amp;etter={next_cursor.encode()}" in response.content.decode()


def test_search_reads_a_fixed_number_of_queries(
    register: Register, staff: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(staff["archivist"])
    client.get(reverse("records:search"))  # the header's cached counts, read once
    counts = []
    for size in (2, 30):
        while RegistryEntry.objects.count() < size:
            n = RegistryEntry.objects.count()
            register(
                tittel=f"Søknad {n}", parties=[Party(Korrespondanseparttype.AVSENDAR, f"Part {n}")]
            )
        with django_assert_max_num_queries(15) as captured:
            response = client.get(reverse("records:search"), {"q": "søknad"})
        counts.append(len(captured))
        assert len(found(response)) == min(size, search.PAGE_SIZE)
    assert counts[0] == counts[1]


def test_screened_titles_are_masked_and_not_found_by_their_words(
    posts: dict[str, RegistryEntry], staff: Any, units: dict[str, Unit]
) -> None:
    colleague = get_user_model().objects.create_user(username="kollega", password="x")
    from tenestetorget.organisation.models import Role, StaffProfile

    StaffProfile.objects.create(user=colleague, unit=units["plan_bygg"], role=Role.CASE_OFFICER)
    services.add_skjerming(posts["garage"], "13", "Offl. § 13", ["TR1"], staff["builder"])
    client = client_for(colleague)
    assert posts["garage"].registrerings_id not in found(
        client.get(reverse("records:search"), {"q": "søknad"})
    )
    response = client.get(reverse("records:search"), {"journalstatus": "J"})
    assert posts["garage"].registrerings_id in found(response)
    page = response.content.decode()
    assert "******" in page and "Søknad om garasje" not in page
    # The officer finds it by its words.
    response = client_for(staff["builder"]).get(reverse("records:search"), {"q": "søknad"})
    assert posts["garage"].registrerings_id in found(response)


def test_the_case_list_defaults_to_the_own_units_open_cases(
    posts: Any, staff: Any, case: CaseFolder, tech_case: CaseFolder
) -> None:
    client = client_for(staff["builder"])
    response = client.get(reverse("records:cases"))
    assert found(response) == [case.mappe_id]
    services.close_saksmappe(case, staff["builder"])
    assert found(client.get(reverse("records:cases"))) == []
    assert found(client.get(reverse("records:cases"), {"saksstatus": "A"})) == [case.mappe_id]
    # Another unit's cases are not there even when asked for.
    response = client.get(reverse("records:cases"), {"unit": tech_case.unit_id})
    assert found(response) == []
    assert "Select a valid choice" in response.content.decode() or response.context["form"].errors
    # The archivist sees every unit's.
    response = client_for(staff["archivist"]).get(reverse("records:cases"), {"saksstatus": ""})
    assert set(found(response)) == {case.mappe_id, tech_case.mappe_id}


def test_the_case_page_lists_its_posts_in_fixed_queries(
    register: Register, staff: Any, case: CaseFolder, django_assert_max_num_queries: Any
) -> None:
    client = client_for(staff["builder"])
    client.get(reverse("records:case", args=[case.pk]))  # the header's cached counts
    counts = []
    for size in (2, 20):
        while RegistryEntry.objects.filter(case_folder=case).count() < size:
            register()
        with django_assert_max_num_queries(16) as captured:
            response = client.get(reverse("records:case", args=[case.pk]))
        counts.append(len(captured))
        assert len(response.context["rows"]) == size
    assert counts[0] == counts[1]


def test_closing_the_case_on_its_page(
    register: Register, staff: Any, case: CaseFolder, tech_case: CaseFolder
) -> None:
    url = reverse("records:close_case", args=[case.pk])
    assert client_for(staff["tech"]).post(url, {"close-saksstatus": "A"}).status_code == 404
    client = client_for(staff["builder"])
    response = client.post(url, {"close-saksstatus": "A"}, follow=True)
    assert "Saka er sett til «Avslutta»" in response.content.decode()
    case.refresh_from_db()
    assert case.saksstatus == Saksstatus.AVSLUTTA
    # Twice: the service's refusal on the page.
    response = client.post(url, {"close-saksstatus": "A"})
    assert response.status_code == 400
    assert "Saka er alt avslutta." in response.content.decode()
