"""The restanse page and the menu's count: oldest first with the age in days, counts per unit
and officer, filters, the own unit for a case officer, and fixed queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tenestetorget.organisation.models import Unit
from tenestetorget.records import services
from tenestetorget.records.models import CaseFolder, RegistryEntry
from tenestetorget.records.services import Party

pytestmark = pytest.mark.django_db

Register = Callable[..., RegistryEntry]


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _aged(entry: RegistryEntry, days: int) -> RegistryEntry:
    RegistryEntry.objects.filter(pk=entry.pk).update(
        journaldato=timezone.localdate() - dt.timedelta(days=days)
    )
    entry.refresh_from_db()
    return entry


@pytest.fixture
def tech_letter(archive: Any, staff: Any, units: dict[str, Unit]) -> RegistryEntry:
    case = services.create_saksmappe(
        archive["series"], "Brøyting", units["teknisk"], staff["tech"], staff["tech"]
    )
    entry = services.register_journalpost(
        case, "I", "Klage på brøyting", staff["tech"], parties=[Party("EA", "Olav Vik")]
    )
    return _aged(entry, 3)


def rows(response: Any) -> list[tuple[str, int]]:
    return [(row.registrerings_id, row.age_days) for row in response.context["page"].rows]


def test_oldest_first_with_age_and_counts(
    register: Register, staff: Any, tech_letter: RegistryEntry
) -> None:
    new = _aged(register(tittel="Ny"), 1)
    old = _aged(register(tittel="Gammal"), 40)
    response = client_for(staff["archivist"]).get(reverse("records:restanse"))
    assert response.status_code == 200
    assert rows(response) == [
        (old.registrerings_id, 40),
        (tech_letter.registrerings_id, 3),
        (new.registrerings_id, 1),
    ]
    counts = response.context["counts"]
    assert [(r["unit_name"], r["count"]) for r in counts.per_unit] == [
        ("Plan og bygg", 2),
        ("Teknisk drift", 1),
    ]
    page = response.content.decode()
    assert "Plan og bygg" in page and "Byggjar Test" in page
    # The menu says how many.
    assert "3 restansar" in page


def test_filters_and_the_own_unit(
    register: Register, staff: Any, tech_letter: RegistryEntry, units: dict[str, Unit]
) -> None:
    mine = register()
    archivist = client_for(staff["archivist"])
    response = archivist.get(reverse("records:restanse"), {"unit": units["teknisk"].pk})
    assert [r[0] for r in rows(response)] == [tech_letter.registrerings_id]
    response = archivist.get(reverse("records:restanse"), {"officer": staff["builder"].pk})
    assert [r[0] for r in rows(response)] == [mine.registrerings_id]
    # A case officer sees their own unit's, and the menu counts those.
    response = client_for(staff["builder"]).get(reverse("records:restanse"))
    assert [r[0] for r in rows(response)] == [mine.registrerings_id]
    assert "1 restanse" in response.content.decode()
    response = client_for(staff["builder"]).get(
        reverse("records:restanse"), {"unit": units["teknisk"].pk}
    )
    # Another unit is not a choice for them: the own unit's list, with the form's error.
    assert response.context["form"].errors
    assert [r[0] for r in rows(response)] == [mine.registrerings_id]


def test_written_off_leaves_the_list(register: Register, staff: Any) -> None:
    letter = register()
    client = client_for(staff["builder"])
    assert len(rows(client.get(reverse("records:restanse")))) == 1
    client.post(reverse("records:entry_write_off", args=[letter.pk]), {"writeoff-how": "TLF"})
    response = client.get(reverse("records:restanse"))
    assert rows(response) == []
    assert "Ingen restansar." in response.content.decode()


def test_fixed_queries_however_long(
    register: Register, staff: Any, case: CaseFolder, django_assert_max_num_queries: Any
) -> None:
    client = client_for(staff["archivist"])
    client.get(reverse("records:restanse"))  # the header's cached counts
    counts = []
    for size in (2, 30):
        while RegistryEntry.objects.count() < size:
            register()
        with django_assert_max_num_queries(15) as captured:
            response = client.get(reverse("records:restanse"))
        counts.append(len(captured))
        assert len(rows(response)) == size
    assert counts[0] == counts[1]
