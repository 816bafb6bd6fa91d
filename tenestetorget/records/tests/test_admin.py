"""The admin shows the records and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tenestetorget.records.models import RegistryEntry

pytestmark = pytest.mark.django_db


def test_the_admin_shows_records_read_only(
    client: Client, register: Callable[..., RegistryEntry], staff: Any
) -> None:
    entry = register(tittel="Søknad om løyve")
    admin_user = get_user_model().objects.create_superuser("admin", "a@example.no", "pw")
    client.force_login(admin_user)
    listing = client.get("/admin/records/registryentry/")
    assert listing.status_code == 200
    assert "Søknad om løyve" in listing.content.decode()
    assert client.get("/admin/records/registryentry/add/").status_code == 403
    page = client.get(f"/admin/records/registryentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    posted = client.post(f"/admin/records/registryentry/{entry.pk}/change/", {"tittel": "X"})
    assert posted.status_code == 403
    assert client.get(f"/admin/records/registryentry/{entry.pk}/delete/").status_code == 403
    entry.refresh_from_db()
    assert entry.tittel == "Søknad om løyve"
    for name in ["casefolder", "changelogentry", "documentobject", "screening"]:
        assert client.get(f"/admin/records/{name}/").status_code == 200
