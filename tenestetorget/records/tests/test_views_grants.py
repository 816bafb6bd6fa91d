"""Access to a screened post or case, granted by the archivist on the archive pages: the
panel, the grantee then seeing the post in full, the refusals, and the page's queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenestetorget.core import documents
from tenestetorget.organisation.models import Role, StaffProfile, Unit
from tenestetorget.records import access, services
from tenestetorget.records.models import AccessGrant, CaseFolder, RegistryEntry

pytestmark = pytest.mark.django_db

Register = Callable[..., RegistryEntry]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TITLE = "Klage frå Ola Hemmeleg på nabovarsel"
PANEL = "Gje tilgang til skjerma"
REASON = "Klagesak til klagenemnda"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def make_officer(units: dict[str, Unit], username: str, first: str = "Kollega") -> Any:
    user = get_user_model().objects.create_user(
        username=username, password="demo", first_name=first, last_name="Test"
    )
    StaffProfile.objects.create(user=user, unit=units["plan_bygg"], role=Role.CASE_OFFICER)
    return user


@pytest.fixture
def colleague(units: dict[str, Unit]) -> Any:
    """A case officer in Plan og bygg who is not an officer of the case."""
    return make_officer(units, "kollega")


@pytest.fixture
def screened(register: Register, staff: Any) -> RegistryEntry:
    """A screened incoming letter (title and sender) with a scanned PDF."""
    entry = register(tittel=TITLE, offentlig_tittel="Klage frå ****** på nabovarsel")
    document = services.add_dokument(entry, "Klagebrevet", staff["builder"])
    stored = documents.store(ContentFile(PDF, name="klage.pdf"), actor=staff["builder"])
    services.add_dokumentobjekt_from_file(document, staff["builder"], stored)
    services.add_skjerming(entry, "13", "Offl. § 13 jf. fvl. § 13", ["TR1", "NA"], staff["builder"])
    return entry


def grant_post(user: Any, entry: RegistryEntry, grantee: Any, reason: str = REASON) -> Any:
    return client_for(user).post(
        reverse("records:entry_grant", args=[entry.pk]),
        {"grant-user": grantee.pk, "grant-reason": reason},
    )


def test_the_archivist_grants_and_the_grantee_sees_the_post_in_full(
    screened: RegistryEntry, staff: Any, colleague: Any
) -> None:
    page = client_for(colleague).get(reverse("records:entry", args=[screened.pk])).content
    assert TITLE not in page.decode() and "Klagebrevet" not in page.decode()
    archivist_page = client_for(staff["archivist"]).get(
        reverse("records:entry", args=[screened.pk])
    )
    assert PANEL in archivist_page.content.decode()

    response = grant_post(staff["archivist"], screened, colleague)
    assert response.status_code == 302
    assert response["Location"] == reverse("records:entry", args=[screened.pk])
    grant = AccessGrant.objects.get()
    assert (grant.user, grant.registry_entry, grant.reason, grant.granted_by) == (
        colleague,
        screened,
        REASON,
        "Arkivar Test",
    )

    seen = client_for(colleague).get(reverse("records:entry", args=[screened.pk])).content.decode()
    assert TITLE in seen
    assert "Klagebrevet" in seen
    assert "Kari Nordmann" in seen
    obj = screened.documents.get().document_objects.get()
    assert reverse("records:download", args=[obj.pk]) in seen
    download = client_for(colleague).get(reverse("records:download", args=[obj.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]

    # The archivist sees the grant: who, by whom, why.
    listed = client_for(staff["archivist"]).get(reverse("records:entry", args=[screened.pk]))
    text = listed.content.decode()
    assert "Kollega Test" in text and REASON in text
    # ... and still not the post: granting someone else lets only them in.
    assert TITLE not in text


def test_the_archivist_may_grant_themselves(screened: RegistryEntry, staff: Any) -> None:
    archivist = staff["archivist"]
    url = reverse("records:entry", args=[screened.pk])
    assert TITLE not in client_for(archivist).get(url).content.decode()
    response = grant_post(archivist, screened, archivist, reason="Kontroll før avlevering")
    assert response.status_code == 302
    assert TITLE in client_for(archivist).get(url).content.decode()


def test_a_case_officer_cannot_grant(screened: RegistryEntry, staff: Any, colleague: Any) -> None:
    officer = staff["builder"]
    page = client_for(officer).get(reverse("records:entry", args=[screened.pk])).content.decode()
    assert TITLE in page  # the officer sees the post ...
    assert PANEL not in page  # ... but is given no panel to let others in
    assert grant_post(officer, screened, colleague).status_code == 403
    assert not AccessGrant.objects.exists()
    assert access.hidden_entry_ids(colleague, [screened]) == {screened.pk}


def test_no_reason_is_refused_with_the_form_kept(
    screened: RegistryEntry, staff: Any, colleague: Any
) -> None:
    response = grant_post(staff["archivist"], screened, colleague, reason="   ")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Skriv kvifor tilgangen blir gjeven." in page
    assert f'<option value="{colleague.pk}" selected>' in page
    assert 'grant-panel" open' in page
    assert not AccessGrant.objects.exists()


def test_granting_twice_is_refused(screened: RegistryEntry, staff: Any, colleague: Any) -> None:
    assert grant_post(staff["archivist"], screened, colleague).status_code == 302
    again = grant_post(staff["archivist"], screened, colleague, reason="Ein gong til")
    assert again.status_code == 400
    page = again.content.decode()
    assert "Tilgangen er alt gjeven." in page
    assert "Ein gong til" in page
    assert AccessGrant.objects.count() == 1


def test_no_panel_and_no_grant_on_a_post_that_is_not_screened(
    register: Register, staff: Any, colleague: Any
) -> None:
    entry = register(tittel="Open søknad")
    page = client_for(staff["archivist"]).get(reverse("records:entry", args=[entry.pk]))
    assert PANEL not in page.content.decode()
    response = grant_post(staff["archivist"], entry, colleague)
    assert response.status_code == 400
    assert "Journalposten er ikkje skjerma" in response.content.decode()
    assert not AccessGrant.objects.exists()


def test_a_post_in_a_screened_case_gets_the_panel(
    register: Register, case: CaseFolder, staff: Any, colleague: Any
) -> None:
    entry = register(tittel=TITLE)
    services.add_skjerming(case, "13", "Offl. § 13", ["TM1"], staff["builder"])
    page = client_for(staff["archivist"]).get(reverse("records:entry", args=[entry.pk]))
    assert PANEL in page.content.decode()
    assert grant_post(staff["archivist"], entry, colleague).status_code == 302
    assert access.can_see(colleague, entry)


def test_the_archivist_grants_a_whole_case(
    register: Register, case: CaseFolder, staff: Any, colleague: Any
) -> None:
    entry = register(tittel=TITLE)
    services.add_skjerming(case, "13", "Offl. § 13", ["TM1"], staff["builder"])
    url = reverse("records:case", args=[case.pk])
    assert case.tittel not in client_for(colleague).get(url).content.decode()
    archivist = client_for(staff["archivist"])
    assert PANEL in archivist.get(url).content.decode()
    assert PANEL not in client_for(staff["builder"]).get(url).content.decode()

    grant_url = reverse("records:case_grant", args=[case.pk])
    refused = archivist.post(grant_url, {"grant-user": colleague.pk, "grant-reason": ""})
    assert refused.status_code == 400
    assert "Skriv kvifor tilgangen blir gjeven." in refused.content.decode()
    officer_try = client_for(staff["builder"]).post(
        grant_url, {"grant-user": colleague.pk, "grant-reason": REASON}
    )
    assert officer_try.status_code == 403

    done = archivist.post(grant_url, {"grant-user": colleague.pk, "grant-reason": REASON})
    assert done.status_code == 302
    assert AccessGrant.objects.get().case_folder == case
    seen = client_for(colleague).get(url).content.decode()
    assert case.tittel in seen and TITLE in seen
    entry_page = client_for(colleague).get(reverse("records:entry", args=[entry.pk]))
    assert TITLE in entry_page.content.decode()
    assert REASON in archivist.get(url).content.decode()


def entry_page_queries(user: Any, entry: RegistryEntry) -> int:
    client = client_for(user)
    url = reverse("records:entry", args=[entry.pk])
    client.get(url)  # the session and the first-request caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_panel_costs_the_same_queries_however_many_grants_and_staff(
    screened: RegistryEntry, staff: Any, units: dict[str, Unit]
) -> None:
    archivist = staff["archivist"]
    # The post's officer sees the same page (in full, as the archivist's grantee would),
    # without the panel.
    without_panel = entry_page_queries(staff["builder"], screened)
    first = make_officer(units, "forste")
    access.grant_access(screened, first, archivist, REASON)
    few = entry_page_queries(archivist, screened)
    for n in range(6):
        grantee = make_officer(units, f"fleire{n}", first=f"Fleire{n}")
        access.grant_access(screened, grantee, archivist, f"{REASON} {n}")
    many = entry_page_queries(archivist, screened)
    assert many == few
    # The list of grants and the select of staff: two queries, nothing per row.
    assert few == without_panel + 2
