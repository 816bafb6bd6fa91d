"""The periods page: the archivist closes a period (refused with the open cases linked) and
starts the next; others see the list and no buttons, and are refused if they post."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tenestetorget.records import services
from tenestetorget.records.models import CaseFolder, Series

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_closing_is_refused_while_cases_are_open(
    case: CaseFolder, archive: Any, staff: Any
) -> None:
    client = client_for(staff["archivist"])
    series = archive["series"]
    response = client.post(reverse("records:close_period", args=[series.pk]))
    assert response.status_code == 400
    page = response.content.decode()
    assert "1 sak er framleis under behandling" in page
    assert reverse("records:case", args=[case.pk]) in page
    assert Series.objects.get(pk=series.pk).arkivdelstatus == "A"
    services.close_saksmappe(case, staff["builder"])
    response = client.post(reverse("records:close_period", args=[series.pk]), follow=True)
    assert "er avslutta" in response.content.decode()
    assert Series.objects.get(pk=series.pk).arkivdelstatus == "P"


def test_starting_the_next_period(archive: Any, staff: Any) -> None:
    client = client_for(staff["archivist"])
    old = archive["series"]
    response = client.post(
        reverse("records:start_period", args=[old.pk]),
        {"period-tittel": "", "period-start": "2030-01-01"},
    )
    assert response.status_code == 400
    response = client.post(
        reverse("records:start_period", args=[old.pk]),
        {"period-tittel": "Sakarkiv 2030–2033", "period-start": "2030-01-01"},
        follow=True,
    )
    assert "Ny periode «Sakarkiv 2030–2033» er aktiv" in response.content.decode()
    assert Series.objects.get(pk=old.pk).arkivdelstatus == "O"
    assert Series.objects.get(tittel="Sakarkiv 2030–2033").arkivdelstatus == "A"


def test_only_the_archivist_manages(archive: Any, staff: Any) -> None:
    client = client_for(staff["builder"])
    page = client.get(reverse("records:periods")).content.decode()
    assert "Sakarkiv 2026–2029" in page
    assert "Avslutt perioden" not in page
    series = archive["series"]
    assert client.post(reverse("records:close_period", args=[series.pk])).status_code == 403
    response = client.post(
        reverse("records:start_period", args=[series.pk]),
        {"period-tittel": "Ny", "period-start": "2030-01-01"},
    )
    assert response.status_code == 403
    assert Series.objects.count() == 1
