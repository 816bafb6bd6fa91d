"""The public journal page (/journal/) and the request for access (innsynskrav)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tenestetorget.contact.models import Inquiry
from tenestetorget.core.calendar import calendar_from_settings
from tenestetorget.organisation.models import (
    Channel,
    Queue,
    Role,
    ServiceGuarantee,
    StaffProfile,
    Unit,
)
from tenestetorget.records import public_search, services
from tenestetorget.records.models import (
    CorrespondencePart,
    Journalposttype,
    Korrespondanseparttype,
    RegistryEntry,
)
from tenestetorget.records.services import Party

pytestmark = pytest.mark.django_db

FNR = "01010150362"
SECRET_TITLE = "Melding om omsorgssvikt hjå familien Hemmelegdal"
PUBLIC_TITLE = "Melding om ****** hjå ******"


@pytest.fixture
def journal(db: Any) -> dict[str, Any]:
    """An archive with a case and staff, and `register(...)` for journal posts."""
    unit = Unit.objects.create(code="plan_bygg", name="Plan og bygg")
    archive_unit = Unit.objects.create(code="arkiv", name="Arkiv og postmottak")
    innsyn = Queue.objects.create(code="innsyn", unit=archive_unit, name="Innsyn og arkiv")
    # A guarantee that promises more than the law allows: the request must still be due in
    # 1 working day.
    ServiceGuarantee.objects.create(queue=innsyn, channel=Channel.WEBFORM, answer_working_days=3)
    user = get_user_model().objects.create_user(
        username="byggjar", first_name="Berit", last_name="Byggjar"
    )
    StaffProfile.objects.create(user=user, unit=unit, role=Role.CASE_OFFICER)
    archivist = get_user_model().objects.create_user(username="arkivar")
    StaffProfile.objects.create(user=archivist, unit=archive_unit, role=Role.ARCHIVIST)
    k_codes = services.create_classification_system("KS K-kodar", archivist, "K-kodar")
    fonds = services.create_archive("Vinje kommune", [("974760673", "Vinje kommune")], archivist)
    series = services.create_series(fonds, "Sakarkiv", archivist, k_codes)
    case = services.create_saksmappe(
        series, "Byggjesak Storvegen 1", unit, saksansvarlig=user, actor=user
    )

    def register(**kwargs: Any) -> RegistryEntry:
        values: dict[str, Any] = {
            "case_folder": case,
            "journalposttype": Journalposttype.INNGAAANDE,
            "tittel": "Søknad om løyve til garasje",
            "actor": user,
            "parties": [Party(Korrespondanseparttype.AVSENDAR, "Kari Nordmann")],
        }
        values.update(kwargs)
        return services.register_journalpost(**values)

    return {"case": case, "user": user, "register": register, "innsyn": innsyn}


def move_to(entry: RegistryEntry, day: dt.date) -> None:
    RegistryEntry.objects.filter(pk=entry.pk).update(journaldato=day)
    public_search.refresh([entry.pk])


def html(response: Any) -> str:
    return response.content.decode()


def get(client: Client, **params: Any) -> Any:
    return client.get(reverse("portal:journal"), params)


# --- the daily list ---------------------------------------------------------------------------


def test_daily_list_shows_the_latest_day_with_everything_a_post_needs(client, journal):
    old = journal["register"](tittel="Gammal søknad om naust")
    move_to(old, timezone.localdate() - dt.timedelta(days=3))
    entry = journal["register"](dokumentets_dato=dt.date(2026, 1, 2))
    response = get(client)
    assert response.status_code == 200
    page = html(response)
    assert "Søknad om løyve til garasje" in page
    assert "Gammal søknad om naust" not in page  # another day
    assert entry.registrerings_id in page
    assert f"{entry.journalaar}/{entry.journalsekvensnummer}" in page
    assert journal["case"].mappe_id in page and "Byggjesak Storvegen 1" in page
    assert "Inngåande dokument" in page and "Avsendar" in page and "Kari Nordmann" in page
    assert "Plan og bygg" in page and "Berit Byggjar" in page
    assert "02.01.2026" in page
    access = reverse("portal:journal_access", kwargs={"system_id": entry.system_id})
    assert f'href="{access}"' in page and "Be om innsyn" in page
    # The previous day with posts is one click away, and shows the old post.
    previous = re.search(r'href="([^"]+)" rel="prev">Førre dag', page)
    assert previous is not None
    assert "Gammal søknad om naust" in html(client.get(previous.group(1).replace("&amp;", "&")))


def test_a_chosen_day(client, journal):
    entry = journal["register"](tittel="Søknad om naust")
    day = timezone.localdate() - dt.timedelta(days=10)
    move_to(entry, day)
    journal["register"]()
    assert "Søknad om naust" in html(get(client, dato=day.isoformat()))
    assert "Søknad om naust" in html(get(client, dato=day.strftime("%d.%m.%Y")))
    empty = html(get(client, dato=(day - dt.timedelta(days=1)).isoformat()))
    assert "Det er ikkje journalført noko offentleg denne dagen." in empty


def test_empty_journal(client, db):
    response = get(client)
    assert response.status_code == 200
    assert "Journalen er tom." in html(response)


# --- search -----------------------------------------------------------------------------------


def test_search_by_word_case_number_and_type(client, journal):
    journal["register"](tittel="Søknad om løyve til garasje")
    reply = journal["register"](
        tittel="Svar på søknad om naust",
        journalposttype=Journalposttype.UTGAAANDE,
        parties=[Party(Korrespondanseparttype.MOTTAKAR, "Kari Nordmann")],
    )
    page = html(get(client, q="garasje"))
    assert "Søknad om løyve til garasje" in page and "Svar på søknad om naust" not in page
    page = html(get(client, q=reply.registrerings_id))
    assert "Svar på søknad om naust" in page and "Søknad om løyve til garasje" not in page
    page = html(get(client, saksnr=journal["case"].mappe_id))
    assert "Svar på søknad om naust" in page and "Søknad om løyve til garasje" in page
    page = html(get(client, type="U"))
    assert "Svar på søknad om naust" in page and "Søknad om løyve til garasje" not in page
    assert "Vi fann ingen journalpostar" in html(get(client, q="snøskuter"))


def test_screened_post_shows_public_title_and_basis_never_the_full_title(client, journal):
    entry = journal["register"](
        tittel=SECRET_TITLE,
        offentlig_tittel=PUBLIC_TITLE,
        parties=[Party(Korrespondanseparttype.AVSENDAR, "Ola Hemmelegdal")],
    )
    services.add_skjerming(entry, "13", "Offl. § 13 jf. fvl. § 13", ["TR1", "NA"], journal["user"])
    for response in (
        get(client),
        get(client, q="melding"),
        client.get(reverse("portal:journal_access", kwargs={"system_id": entry.system_id})),
    ):
        page = html(response)
        assert "Melding om ****** hjå ******" in page
        assert "Unnateke offentlegheit etter Offl. § 13 jf. fvl. § 13" in page
        for secret in ("omsorgssvikt", "Hemmelegdal"):
            assert secret not in page
    # A search for a screened word finds nothing, in the text and by name.
    for params in ({"q": "omsorgssvikt"}, {"q": "Hemmelegdal"}, {"part": "Hemmelegdal"}):
        assert entry.registrerings_id not in html(get(client, **params))


def test_fodselsnummer_never_appears(client, journal):
    entry = journal["register"](
        tittel=f"Søknad frå {FNR}", parties=[Party(Korrespondanseparttype.AVSENDAR, f"Kari {FNR}")]
    )
    for response in (get(client), get(client, q="søknad")):
        page = html(response)
        assert entry.registrerings_id in page and "Søknad frå ******" in page
        assert FNR not in page and FNR[:6] not in page
    # Searching for the number finds nothing (only what the reader typed is shown again).
    page = html(get(client, q=FNR))
    assert "Vi fann ingen journalpostar" in page and entry.registrerings_id not in page


def test_private_names_are_not_found_after_a_year_organisations_are(client, journal):
    person = journal["register"](tittel="Søknad om garasje")
    org = journal["register"](
        tittel="Søknad om naust",
        parties=[Party(Korrespondanseparttype.AVSENDAR, "Nordmann Bygg AS")],
    )
    CorrespondencePart.objects.filter(registry_entry=org).update(is_person=False)
    old = timezone.localdate() - dt.timedelta(days=400)
    move_to(person, old)
    move_to(org, old)
    for params in ({"part": "Nordmann"}, {"q": "Nordmann"}):
        page = html(get(client, **params))
        assert org.registrerings_id in page
        assert person.registrerings_id not in page
    # The post is still in the journal, name and all.
    page = html(get(client, dato=old.isoformat()))
    assert person.registrerings_id in page and "Kari Nordmann" in page


def test_bad_input_gets_a_clear_message(client, journal):
    response = get(client, saksnr="hundre", fra="2026-02-30")
    assert response.status_code == 400
    page = html(response)
    assert "Skriv saksnummeret som år/nummer, til dømes 2026/123." in page
    assert "Skriv datoen som dd.mm.åååå" in page
    assert 'value="hundre"' in page  # what was typed stays
    response = get(client, fra="2026-03-01", til="2026-02-01")
    assert "Til-datoen kan ikkje vere før frå-datoen." in html(response)


def test_pages_of_results(client, journal):
    for n in range(30):
        journal["register"](tittel=f"Søknad nummer {n:02d}")
    first = html(get(client, q="søknad"))
    assert "Søknad nummer 29" in first and "Søknad nummer 04" not in first
    link = re.search(r'href="([^"]+)" rel="next">Eldre', first)
    assert link is not None
    second = html(client.get(link.group(1).replace("&amp;", "&")))
    assert "Søknad nummer 04" in second and "Søknad nummer 29" not in second
    assert 'rel="prev">Nyare' in second


@pytest.mark.parametrize("mode", [{}, {"q": "søknad"}])
def test_constant_queries_per_page(client, journal, django_assert_max_num_queries, mode):
    for n in range(3):
        journal["register"](tittel=f"Søknad {n}")
    with django_assert_max_num_queries(8):
        assert get(client, **mode).status_code == 200
    for n in range(60):
        journal["register"](
            tittel=f"Søknad {n}", parties=[Party("EA", f"Part {n}"), Party("EK", "Kopi")]
        )
    with django_assert_max_num_queries(8):
        page = html(get(client, **mode))
    assert page.count('class="journal-entry"') == 25


# --- request for access -----------------------------------------------------------------------


def open_form(client: Client, entry: RegistryEntry) -> tuple[str, dict[str, str]]:
    url = reverse("portal:journal_access", kwargs={"system_id": entry.system_id})
    response = client.get(url)
    assert response.status_code == 200
    return url, {
        "submission_id": response.context["submission_id"],
        "form_token": response.context["form_token"],
    }


def test_access_request_creates_an_inquiry_in_innsyn_due_next_working_day(
    client, journal, django_capture_on_commit_callbacks, mailoutbox
):
    entry = journal["register"]()
    url, hidden = open_form(client, entry)
    page = html(client.get(url))
    assert entry.registrerings_id in page and "Søknad om løyve til garasje" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                **hidden,
                "name": "Pål Journalist",
                "email": "pal@example.no",
                "message": "Heile saka.",
            },
        )
    assert response.status_code == 302
    assert response["Location"].startswith("/kontakt/kvittering/")
    inquiry = Inquiry.objects.get()
    assert inquiry.queue == journal["innsyn"]
    assert inquiry.channel == Channel.WEBFORM
    assert inquiry.subject == f"Innsynskrav: {entry.registrerings_id} Søknad om løyve til garasje"
    assert entry.registrerings_id in inquiry.body
    assert f"{entry.journalaar}/{entry.journalsekvensnummer}" in inquiry.body
    assert f"/journal/?q={entry.registrerings_id.replace('/', '%2F')}" in inquiry.body
    assert "Heile saka." in inquiry.body
    # 1 working day, although the queue's guarantee for the web form says 3.
    assert inquiry.due_date == calendar_from_settings().due_date(inquiry.received_at, 1)
    assert inquiry.sender.name == "Pål Journalist"
    receipt = html(client.get(response["Location"]))
    assert inquiry.reference in receipt
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["pal@example.no"]
    # The same form sent again: the same receipt, no second inquiry.
    again = client.post(url, {**hidden, "name": "Pål Journalist", "email": "pal@example.no"})
    assert again["Location"] == response["Location"]
    assert Inquiry.objects.count() == 1


def test_access_request_of_a_screened_post_never_carries_the_full_title(client, journal):
    entry = journal["register"](tittel=SECRET_TITLE, offentlig_tittel=PUBLIC_TITLE)
    services.add_skjerming(entry, "13", "Offl. § 13", ["TR1"], journal["user"])
    url, hidden = open_form(client, entry)
    client.post(url, {**hidden, "name": "Pål", "email": "pal@example.no"})
    inquiry = Inquiry.objects.get()
    assert PUBLIC_TITLE in inquiry.subject
    assert "omsorgssvikt" not in inquiry.subject + inquiry.body


def test_access_request_needs_name_and_email_and_keeps_the_text(client, journal):
    entry = journal["register"]()
    url, hidden = open_form(client, entry)
    response = client.post(url, {**hidden, "name": "", "email": "ikkje-e-post", "message": "Takk"})
    page = html(response)
    assert "Skriv inn namnet ditt." in page
    assert "Skriv ei gyldig e-postadresse" in page
    assert "Takk" in page
    assert not Inquiry.objects.exists()


def test_access_request_honeypot_is_refused_and_nothing_is_lost(client, journal):
    entry = journal["register"]()
    url, hidden = open_form(client, entry)
    response = client.post(
        url, {**hidden, "name": "Bot", "email": "bot@example.no", "website": "http://spam"}
    )
    assert response.status_code == 400
    assert 'value="bot@example.no"' in html(response)
    assert not Inquiry.objects.exists()


def test_access_request_rate_limit(client, journal, settings):
    settings.TENESTETORGET = {**settings.TENESTETORGET, "CONTACT_FORM_RATE_LIMIT": 1}
    entry = journal["register"]()
    for expected in (302, 429):
        url, hidden = open_form(client, entry)
        response = client.post(url, {**hidden, "name": "Pål", "email": "pal@example.no"})
        assert response.status_code == expected
    assert Inquiry.objects.count() == 1


def test_access_request_for_a_post_not_in_the_journal_is_404(client, journal):
    entry = journal["register"]()
    services.set_journalstatus(entry, "U", journal["user"])
    url = reverse("portal:journal_access", kwargs={"system_id": entry.system_id})
    assert client.get(url).status_code == 404


def test_without_the_innsyn_queue_the_front_desk_gets_it_due_next_working_day(client, journal):
    Queue.objects.filter(code="innsyn").update(active=False)
    entry = journal["register"]()
    url, hidden = open_form(client, entry)
    client.post(url, {**hidden, "name": "Pål", "email": "pal@example.no"})
    inquiry = Inquiry.objects.get()
    assert inquiry.queue is None
    assert inquiry.due_date == calendar_from_settings().due_date(inquiry.received_at, 1)
