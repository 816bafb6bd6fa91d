"""The admin shows the archive's structure and changes nothing; the records themselves, which
may be screened, are not in it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_admin_shows_the_structure_read_only(client: Client, archive: Any) -> None:
    admin_user = get_user_model().objects.create_superuser("admin", "a@example.no", "pw")
    client.force_login(admin_user)
    series = archive["series"]
    listing = client.get("/admin/records/series/")
    assert listing.status_code == 200
    assert series.tittel in listing.content.decode()
    assert client.get("/admin/records/series/add/").status_code == 403
    page = client.get(f"/admin/records/series/{series.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    posted = client.post(f"/admin/records/series/{series.pk}/change/", {"tittel": "X"})
    assert posted.status_code == 403
    assert client.get(f"/admin/records/series/{series.pk}/delete/").status_code == 403
    series.refresh_from_db()
    assert series.tittel != "X"
    assert client.get("/admin/records/accessgrant/").status_code == 200


def test_screenable_records_are_not_in_the_admin(client: Client, archive: Any) -> None:
    admin_user = get_user_model().objects.create_superuser("admin", "a@example.no", "pw")
    client.force_login(admin_user)
    for name in ["registryentry", "casefolder", "changelogentry", "documentobject", "screening"]:
        assert client.get(f"/admin/records/{name}/").status_code == 404
