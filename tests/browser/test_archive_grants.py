"""Access to screened records in a real browser: the archivist opens a screened post and sees
it masked, is refused without a reason, grants access to themselves and then reads it, with
axe-core on each page.

(A double click on Registrer is not tested here: Debian's chromium sends one POST for it, as
observed with Playwright's dblclick, so the guard against a second registration is tested
with concurrent requests in records/tests/test_views_register.py instead.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tenestetorget.organisation.models import Role, Unit
from tenestetorget.records import services
from tenestetorget.records.models import AccessGrant, Journalposttype
from tenestetorget.records.services import Party
from tests.browser.conftest import open_panel
from tests.browser.test_inquiry_flow import field, log_in, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Klage frå Ola Hemmeleg på nabovarsel"


@pytest.fixture
def people() -> dict[str, Any]:
    for code, name in [("arkiv", "Arkiv"), ("plan_bygg", "Plan og bygg")]:
        Unit.objects.create(code=code, name=name)
    archivist = make_staff("arkivar", "Aud", "Arkivar", "arkiv", Role.ARCHIVIST)
    officer = make_staff("byggjar", "Bjørn", "Byggjar", "plan_bygg", Role.CASE_OFFICER)
    k_codes = services.create_classification_system("KS K-kodar", archivist, "K-kodar")
    fonds = services.create_archive("Vinje kommune", [("974760673", "Vinje kommune")], archivist)
    series = services.create_series(fonds, "Sakarkiv 2026–2029", archivist, k_codes)
    return {"archivist": archivist, "officer": officer, "series": series}


def test_the_archivist_grants_themselves_access(
    page: Page, assert_accessible: Callable[[Page], None], people: dict[str, Any]
) -> None:
    officer = people["officer"]
    case = services.create_saksmappe(
        people["series"],
        "Nabovarsel Storvegen 1",
        Unit.objects.get(code="plan_bygg"),
        saksansvarlig=officer,
        actor=officer,
    )
    entry = services.register_journalpost(
        case,
        Journalposttype.INNGAAANDE,
        TITLE,
        officer,
        offentlig_tittel="Klage frå ****** på nabovarsel",
        parties=[Party("EA", "Ola Hemmeleg")],
    )
    services.add_skjerming(entry, "13", "Offl. § 13 jf. fvl. § 13", ["TR1", "NA"], officer)

    log_in(page, "arkivar")
    page.goto(f"/arkiv/journalpost/{entry.pk}/")
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("Hemmeleg")
    expect(page.get_by_text("Ingen har fått tilgang enno.")).to_be_visible()
    assert_accessible(page)

    open_panel(page, "Gje tilgang til skjerma")
    page.get_by_label(field("Kven skal få tilgang")).select_option(label="Aud Arkivar")
    page.get_by_role("button", name="Gje tilgang").click()
    expect(page.get_by_text("Skriv kvifor tilgangen blir gjeven.").first).to_be_visible()
    expect(page.get_by_label(field("Kven skal få tilgang"))).to_have_value(
        str(people["archivist"].pk)
    )
    assert_accessible(page)
    assert not AccessGrant.objects.exists()

    page.get_by_label(field("Grunngjeving")).fill("Kontroll av skjerminga")
    page.get_by_role("button", name="Gje tilgang").click()
    expect(page.get_by_text("Aud Arkivar har fått tilgang til journalposten.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.get_by_role("cell", name="Kontroll av skjerminga")).to_be_visible()
    assert_accessible(page)
