"""The public booking pages (utleige) through the test client: every page renders, a booking
goes end to end (the booking, the confirmation in the outbox, the receipt), every refusal is
shown with what was typed kept and never the fødselsnummer, «mine bookingar» shows one
address's bookings and nothing else, cancel and move work, lotteries and trial housing,
and the overview and resource pages take the same number of queries however many bookings."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, cast

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tenestetorget.booking import lottery, residency, services, testing
from tenestetorget.booking.models import (
    BookerKind,
    BookerLink,
    Booking,
    BookingUnit,
    ClosedDay,
    EntryStatus,
    LotteryEntry,
    Price,
    Resource,
    ResourceImage,
    ResourceKind,
    Status,
    TrialHousingApplication,
)
from tenestetorget.booking.rules import span_for_dates
from tenestetorget.contact.models import OutgoingMessage
from tenestetorget.core.calendar import OSLO
from tenestetorget.portal.booking import receipt_url

pytestmark = pytest.mark.django_db

FNR = "01019010046"  # a valid test number (checksums right), in the register below
OTHER_FNR = "02028010047"  # valid, not in the register
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def register() -> None:
    residency.import_register(
        f"fodselsnummer;namn;husstand;adresse\n{FNR};Kari Nordmann;H1;Vinjevegen 1\n"
    )


@pytest.fixture
def cabin() -> Resource:
    return testing.cabin(
        description="Ei koseleg hytte ved vatnet.\n\nMed vedomn og utedo.",
        equipment="Dyner og puter, kjøkkenutstyr",
        terms="Huset skal vaskast før avreise.",
        name_en="The Test Cabin",
    )


@pytest.fixture
def room() -> Resource:
    return testing.room()


def next_weekday(weekday: int, weeks: int = 2) -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks)


def html(response: Any) -> str:
    return response.content.decode()


def location(response: Any) -> str:
    assert response.status_code == 302, html(response)[:3000]
    return str(response["Location"])


class FormClient:
    """Fills in a public form as a browser would: the hidden fields come from the page."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def hidden(self, url: str) -> dict[str, str]:
        response = self.client.get(url)
        assert response.status_code == 200, html(response)[:2000]
        return {
            "submission_id": response.context["submission_id"],
            "form_token": response.context["form_token"],
        }

    def post(self, url: str, hidden: dict[str, str] | None = None, /, **fields: Any) -> Any:
        return self.client.post(url, {**(hidden or self.hidden(url)), **fields})


@pytest.fixture
def forms(client: Client) -> FormClient:
    return FormClient(client)


def resource_url(resource: Resource) -> str:
    return reverse("portal:booking_resource", kwargs={"slug": resource.slug})


def weekend_fields(friday: dt.date, **changes: Any) -> dict[str, Any]:
    fields = {
        "arrive": friday.isoformat(),
        "depart": (friday + dt.timedelta(days=2)).isoformat(),
        "booker_kind": "resident",
        "name": "Kari Nordmann",
        "email": "kari@example.no",
        "phone": "99 88 77 66",
        "national_id": FNR,
        "accept_terms": "on",
    }
    fields.update(changes)
    return fields


def book_directly(
    resource: Resource,
    arrive: dt.date,
    nights: int = 2,
    email: str = "kari@example.no",
    now: dt.datetime | None = None,
) -> Booking:
    start, end = span_for_dates(resource, arrive, arrive + dt.timedelta(days=nights))
    booker = services.Booker("Kari Nordmann", email, BookerKind.RESIDENT, national_id=FNR)
    return services.book(resource, start, end, booker, now=now)


def mine_url(email: str) -> str:
    link, _created = BookerLink.objects.get_or_create(email=email)
    return reverse("portal:booking_mine", kwargs={"token": link.token})


# --- the overview -------------------------------------------------------------------------------


def test_overview_lists_the_resources_by_kind_with_price_from_and_who_may_book(
    client: Client, cabin: Resource, room: Resource
) -> None:
    testing.cabin("provebustad", kind=ResourceKind.TRIAL_HOUSING, name="Prøvebustaden")
    testing.cabin("gammal", name="Nedlagd hytte", active=False)
    response = client.get(reverse("portal:booking_index"))
    assert response.status_code == 200
    page = html(response)
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", page)
    assert headings.index("Høgfjellshytter") < headings.index("Møterom")
    assert headings.index("Møterom") < headings.index("Prøvebustad")
    assert "Testhytta" in page and "Multimediarommet" in page and "Prøvebustaden" in page
    assert "Nedlagd hytte" not in page
    assert "Ei koseleg hytte ved vatnet." in page and "utedo" not in page  # the first paragraph
    assert "frå 350 kr per døgn" in page
    # The room: the cheapest price of those who may book it (clubs, 0 kr).
    assert "frå 0 kr per time" in page
    assert "Innbyggjar, Lag og foreining, Verksemd, Student" in page
    assert "Haukeli" in page
    assert f'href="{resource_url(cabin)}"' in page


def test_overview_in_english_uses_the_english_name_where_there_is_one(
    client: Client, cabin: Resource, room: Resource
) -> None:
    client.cookies["django_language"] = "en"
    page = html(client.get(reverse("portal:booking_index")))
    assert "The Test Cabin" in page
    # No English name: the Nynorsk one, marked as Nynorsk.
    assert re.search(r'lang="nn"[^>]*><a class="ds-link" href="/utleige/rom-test/">', page)


# --- the resource page --------------------------------------------------------------------------


def test_resource_page_shows_what_it_is_prices_calendar_and_form(
    client: Client, cabin: Resource, register: None
) -> None:
    Price.objects.create(
        resource=cabin,
        booker_kind=BookerKind.RESIDENT,
        valid_from=timezone.localdate() + dt.timedelta(days=30),
        amount=Decimal("999"),
    )
    ResourceImage.objects.create(
        resource=cabin, image=ContentFile(PNG, name="hytta.png"), alt="Hytta sett frå vatnet"
    )
    friday = next_weekday(4, weeks=0) + dt.timedelta(days=7)
    book_directly(cabin, friday)
    ClosedDay.objects.create(date=friday + dt.timedelta(days=4), reason="Vedlikehald")
    month = friday.replace(day=1)
    response = client.get(resource_url(cabin), {"month": f"{month:%Y-%m}"})
    assert response.status_code == 200
    page = html(response)
    assert "<h1" in page and "Testhytta" in page
    # Questions about a booking are inquiries in the utleige queue, by the contact form.
    assert "/kontakt/?tema=utleige" in page
    assert "Med vedomn og utedo." in page
    assert "Dyner og puter" in page and "Huset skal vaskast før avreise." in page
    assert "Innbyggjar: 350 kr per døgn" in page  # the price valid today, not the coming one
    assert 'alt="Hytta sett frå vatnet"' in page
    # The calendar: a real table with a caption; each day's state in words.
    assert '<table class="ds-table"' in page and "<caption" in page
    table = page[page.index("<table") : page.index("</table>")]
    assert re.search(rf">\s*{friday.day} <span aria-hidden=\"true\">✕</span>.*?: oppteken<", table)
    closed = friday + dt.timedelta(days=4)
    if closed.month == friday.month:
        assert re.search(
            rf">\s*{closed.day} <span aria-hidden=\"true\">–</span>.*?: stengt<", table
        )
    assert "Neste månad" in page and f"?month={month + dt.timedelta(days=32):%Y-%m}" in page
    # The form: dates, the kinds the cabin allows (residents only), the fødselsnummer
    # explained, terms.
    assert 'type="date"' in page and 'name="arrive"' in page and 'name="depart"' in page
    assert 'value="resident"' in page and 'value="business"' not in page
    assert 'name="organisation"' not in page
    field = re.search(r'<input[^>]*name="national_id"[^>]*>', page)
    assert field is not None
    assert 'type="text"' in field[0] and 'inputmode="numeric"' in field[0]
    assert 'autocomplete="off"' in field[0]
    assert "Vi lagrar ikkje fødselsnummeret." in page
    assert 'name="accept_terms"' in page and 'name="csrfmiddlewaretoken"' in page
    assert 'name="website"' in page  # the honeypot


def test_the_calendar_goes_back_no_further_than_this_month(client: Client, cabin: Resource) -> None:
    page = html(client.get(resource_url(cabin)))
    assert "Førre månad" not in page and "Neste månad" in page
    this_month = timezone.localdate().strftime("%Y-%m")
    rubbish = html(client.get(resource_url(cabin), {"month": "rubbish"}))
    caption = re.compile(r"<caption[^>]*>([^<]+)</caption>")
    assert caption.findall(rubbish) == caption.findall(page)
    assert f"month={this_month}" not in page
    following = (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    later = html(client.get(resource_url(cabin), {"month": f"{following:%Y-%m}"}))
    assert "Førre månad" in later


@pytest.mark.parametrize(
    "query",
    [
        {"month": "9999-12"},
        {"month": "0001-01"},
        {"month": "2026-13"},
        {"dag": "9999-12-31"},
        {"dag": "0001-01-01"},
        {"dag": "i morgon"},
    ],
)
def test_a_month_or_day_out_of_range_shows_the_first_one_that_can_be_booked(
    client: Client, room: Resource, query: dict[str, str]
) -> None:
    response = client.get(resource_url(room), query)
    assert response.status_code == 200
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert response.context["chosen_day"] == tomorrow
    assert response.context["calendar"]["month"] in (
        timezone.localdate().replace(day=1),
        tomorrow.replace(day=1),
    )


def test_unknown_or_inactive_resource_is_404(client: Client) -> None:
    testing.cabin("stengd", active=False)
    assert client.get("/utleige/finst-ikkje/").status_code == 404
    assert client.get("/utleige/stengd/").status_code == 404


def test_the_picture_is_served_as_the_image_it_is_and_nothing_else(
    client: Client, cabin: Resource
) -> None:
    picture = ResourceImage.objects.create(
        resource=cabin, image=ContentFile(PNG, name="hytta.png"), alt="Hytta"
    )
    response = client.get(reverse("portal:booking_image", kwargs={"pk": picture.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(cast(Any, response).streaming_content) == PNG
    page = ResourceImage.objects.create(
        resource=cabin, image=ContentFile(b"<script>alert(1)</script>", name="x.png"), alt="x"
    )
    assert client.get(reverse("portal:booking_image", kwargs={"pk": page.pk})).status_code == 404


# --- booking ------------------------------------------------------------------------------------


def test_a_resident_books_a_weekend_end_to_end(
    forms: FormClient, client: Client, cabin: Resource, register: None
) -> None:
    friday = next_weekday(4)
    url = resource_url(cabin)
    response = forms.post(url, **weekend_fields(friday))
    receipt = location(response)
    assert receipt.startswith("/utleige/kvittering/")
    booking = Booking.objects.get()
    start, end = span_for_dates(cabin, friday, friday + dt.timedelta(days=2))
    assert (booking.start, booking.end) == (start, end)
    assert booking.status == Status.CONFIRMED and booking.household == "H1"
    assert booking.booker_email == "kari@example.no" and booking.booker_phone == "99 88 77 66"
    assert booking.price == Decimal("700") and booking.language == "nn"
    message = OutgoingMessage.objects.get(data__booking=booking.pk)
    assert message.kind == "booking_confirmation" and message.to_email == "kari@example.no"
    assert message.attachments and message.attachments[0]["filename"] == "booking.ics"

    page = client.get(receipt)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"] and page["Referrer-Policy"] == "same-origin"
    text = html(page)
    assert "Bookinga er stadfesta" in text and "700 kr" in text and "500 kr" in text
    assert "kalenderfil" in text and "kari@example.no" in text
    # The receipt is no key to the address's bookings: that link comes only by e-mail.
    token = BookerLink.objects.get(email="kari@example.no").token
    assert token not in receipt and token not in text
    assert FNR not in text


def test_the_booking_is_made_in_the_pages_language(
    forms: FormClient, client: Client, cabin: Resource, register: None
) -> None:
    client.cookies["django_language"] = "en"
    location(forms.post(resource_url(cabin), **weekend_fields(next_weekday(4))))
    assert Booking.objects.get().language == "en"


def test_a_booking_waiting_for_approval_says_so_on_the_receipt(
    forms: FormClient, client: Client, register: None
) -> None:
    cabin = testing.cabin(needs_approval=True)
    receipt = location(forms.post(resource_url(cabin), **weekend_fields(next_weekday(4))))
    assert Booking.objects.get().status == Status.PENDING
    assert "ventar på godkjenning" in html(client.get(receipt))


def test_a_business_books_the_meeting_room_by_the_hour_from_tomorrow(
    forms: FormClient, client: Client, room: Resource
) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    url = resource_url(room)
    page = html(client.get(url))
    assert 'name="start_hour"' in page and 'name="hours"' in page
    assert 'value="business"' in page and 'name="organisation"' in page
    assert "Ledige timar" in page and "08:00–22:00" in page  # tomorrow, all free
    fields = {
        "day": tomorrow.isoformat(),
        "start_hour": "9",
        "hours": "2",
        "booker_kind": "business",
        "name": "Per Firma",
        "email": "per@firma.no",
        "organisation": "Firma AS",
        "accept_terms": "on",
    }
    location(forms.post(url, **fields))
    booking = Booking.objects.get()
    assert booking.start == dt.datetime.combine(tomorrow, dt.time(9), tzinfo=OSLO)
    assert booking.end == dt.datetime.combine(tomorrow, dt.time(11), tzinfo=OSLO)
    assert booking.units == 2 and booking.price == Decimal("800")
    assert booking.organisation == "Firma AS" and booking.booker_kind == "business"
    # The day's free hours now leave out the booked ones.
    later = html(client.get(url, {"dag": tomorrow.isoformat()}))
    assert "08:00–09:00" in later and "11:00–22:00" in later


def test_today_cannot_be_booked_when_the_room_is_from_tomorrow(
    forms: FormClient, client: Client, room: Resource
) -> None:
    today = timezone.localdate()
    page = html(client.get(resource_url(room), {"dag": today.isoformat()}))
    assert "Dette kan bookast frå i morgon." in page
    response = forms.post(
        resource_url(room),
        day=today.isoformat(),
        start_hour="21",
        hours="1",
        booker_kind="club",
        name="Ola",
        email="ola@laget.no",
        organisation="Laget",
        accept_terms="on",
    )
    assert response.status_code == 400
    assert "Dette kan bookast frå i morgon." in html(response)
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("case", "message", "status"),
    [
        ("not_resident", "Vi finn ikkje fødselsnummeret i folkeregisteret", 400),
        ("taken", "Perioden er oppteken. Vel ein annan periode.", 409),
        ("too_long", "Lengste leige er 7 døgn.", 400),
        ("past", "Perioden har alt byrja.", 400),
        ("closed", "Det er stengt", 400),
    ],
)
def test_every_refusal_is_shown_with_the_input_kept_but_not_the_national_id(
    forms: FormClient, cabin: Resource, register: None, case: str, message: str, status: int
) -> None:
    friday = next_weekday(4)
    fields = weekend_fields(friday, name="Kari Refusert", email="kari.refusert@example.no")
    if case == "not_resident":
        fields["national_id"] = OTHER_FNR
    elif case == "taken":
        book_directly(cabin, friday, email="ola@example.no")
    elif case == "too_long":
        fields["depart"] = (friday + dt.timedelta(days=9)).isoformat()
    elif case == "past":
        fields["arrive"] = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
        fields["depart"] = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    elif case == "closed":
        ClosedDay.objects.create(resource=cabin, date=friday, reason="Jul")
    before = Booking.objects.count()
    response = forms.post(resource_url(cabin), **fields)
    assert response.status_code == status
    page = html(response)
    assert message in page
    summary = page[page.index('class="ds-error-summary"') :]
    assert 'role="alert"' in page[page.index('class="ds-error-summary"') - 80 :][:400]
    anchor = "id_national_id" if case == "not_resident" else "id_arrive"
    assert f'href="#{anchor}"' in summary[: summary.index("</ul>")]
    assert 'value="Kari Refusert"' in page and 'value="kari.refusert@example.no"' in page
    assert f'value="{fields["arrive"]}"' in page
    assert re.search(r'<input type="radio" name="booker_kind" value="resident"[^>]* checked', page)
    assert FNR not in page and OTHER_FNR not in page
    assert Booking.objects.count() == before


def test_mistakes_in_the_form_are_listed_and_linked_and_the_national_id_is_not_echoed(
    forms: FormClient, cabin: Resource, register: None
) -> None:
    friday = next_weekday(4)
    fields = weekend_fields(friday, national_id="01019010047", email="ikkje-ei-adresse")
    del fields["accept_terms"]
    fields["depart"] = fields["arrive"]
    response = forms.post(resource_url(cabin), **fields)
    assert response.status_code == 400
    page = html(response)
    assert "<title>Feil:" in page
    for anchor, text in [
        ("id_depart", "Avreisedagen må vere etter komedagen."),
        ("id_email", "Skriv ei gyldig e-postadresse"),
        ("id_national_id", "Fødselsnummeret er ikkje gyldig."),
        ("id_accept_terms", "Du må godta vilkåra for å booke."),
    ]:
        assert f'<a class="ds-link" href="#{anchor}">{text}' in page
    assert "01019010047" not in page
    assert not Booking.objects.exists()


def test_a_club_must_name_itself(forms: FormClient, room: Resource) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = forms.post(
        resource_url(room),
        day=tomorrow.isoformat(),
        start_hour="10",
        hours="1",
        booker_kind="club",
        name="Ola",
        email="ola@laget.no",
        accept_terms="on",
    )
    assert response.status_code == 400
    assert '<a class="ds-link" href="#id_organisation">Skriv namnet på laget' in html(response)


def test_one_rendered_form_makes_one_booking(
    forms: FormClient, cabin: Resource, register: None
) -> None:
    url = resource_url(cabin)
    hidden = forms.hidden(url)
    fields = weekend_fields(next_weekday(4))
    first = location(forms.post(url, hidden, **fields))
    second = location(forms.post(url, hidden, **fields))
    assert first == second and Booking.objects.count() == 1


def test_the_honeypot_and_a_forged_token_book_nothing_and_keep_the_input(
    forms: FormClient, cabin: Resource, register: None
) -> None:
    url = resource_url(cabin)
    fields = weekend_fields(next_weekday(4), name="Kari Honning")
    response = forms.post(url, website="http://spam.example", **fields)
    assert response.status_code == 400
    page = html(response)
    assert "liknar på automatisk utfylling" in page and 'value="Kari Honning"' in page
    assert FNR not in page and "spam.example" not in page
    forged = {"submission_id": forms.hidden(url)["submission_id"], "form_token": "x"}
    assert forms.post(url, forged, **fields).status_code == 400
    assert not Booking.objects.exists()


def test_the_booking_forms_have_a_rate_limit_of_their_own(
    forms: FormClient, cabin: Resource, register: None, settings: Any
) -> None:
    settings.TENESTETORGET = {**settings.TENESTETORGET, "CONTACT_FORM_RATE_LIMIT": 2}
    url = resource_url(cabin)
    # Refusals as a resident say whether a fødselsnummer is in the register: they count.
    for _attempt in range(2):
        response = forms.post(url, **weekend_fields(next_weekday(4), national_id=OTHER_FNR))
        assert response.status_code == 400
    response = forms.post(url, **weekend_fields(next_weekday(4)))
    assert response.status_code == 429
    assert "mange skjema frå same nettverk" in html(response)
    assert not Booking.objects.exists()


def test_a_refusal_that_tells_nothing_about_the_register_is_not_counted(
    forms: FormClient, room: Resource, settings: Any
) -> None:
    settings.TENESTETORGET = {**settings.TENESTETORGET, "CONTACT_FORM_RATE_LIMIT": 1}
    url = resource_url(room)
    today = timezone.localdate()
    fields = {
        "start_hour": "10",
        "hours": "1",
        "booker_kind": "club",
        "name": "Ola",
        "email": "ola@laget.no",
        "organisation": "Laget",
        "accept_terms": "on",
    }
    assert forms.post(url, day=today.isoformat(), **fields).status_code == 400
    tomorrow = today + dt.timedelta(days=1)
    location(forms.post(url, day=tomorrow.isoformat(), **fields))


def test_receipt_with_a_wrong_token_is_404(
    forms: FormClient, client: Client, cabin: Resource, register: None
) -> None:
    booking = book_directly(cabin, next_weekday(4))
    good = receipt_url("booking", booking.pk)
    assert client.get(good).status_code == 200
    assert client.get(good.replace(good.split("/")[3], "0" * 32)).status_code == 404
    other = book_directly(cabin, next_weekday(4, weeks=4), email="ola@example.no")
    # A token is for its own booking only.
    assert client.get(good.replace(f"/{booking.pk}/", f"/{other.pk}/")).status_code == 404


# --- mine bookingar -----------------------------------------------------------------------------


def test_mine_shows_that_addresss_bookings_only_upcoming_first(
    client: Client, cabin: Resource, room: Resource, register: None
) -> None:
    soon = book_directly(cabin, next_weekday(4, weeks=1))
    later = book_directly(cabin, next_weekday(4, weeks=5), email="Kari@Example.no")
    past_arrival = timezone.localdate() - dt.timedelta(days=20)
    past = book_directly(cabin, past_arrival, now=timezone.now() - dt.timedelta(days=30))
    services.cancel(later)
    others = book_directly(cabin, next_weekday(4, weeks=3), email="ola@example.no")
    response = client.get(mine_url("kari@example.no"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    page = html(response)
    assert f'id="booking-{others.pk}"' not in page and "ola@example.no" not in page
    positions = [page.index(f'id="booking-{b.pk}"') for b in (soon, later, past)]
    assert positions == sorted(positions)
    assert page.index("Komande") < positions[0] and page.index("Tidlegare") < positions[2]
    assert "Avbestilt" in page and "Stadfesta" in page
    # Only a booking that has not started can be cancelled or changed here.
    assert (
        reverse("portal:booking_cancel", kwargs={"token": _token("kari@example.no"), "pk": soon.pk})
        in page
    )
    for booking in (later, past):
        assert f"/avbestill/{booking.pk}/" not in page and f"/endre/{booking.pk}/" not in page


def _token(email: str) -> str:
    return BookerLink.objects.get(email=email).token


def test_an_unknown_link_is_404(client: Client) -> None:
    assert client.get("/utleige/mine/ukjend-lenkje/").status_code == 404


def test_cancel_says_what_it_costs_then_cancels(
    client: Client, cabin: Resource, register: None
) -> None:
    free = book_directly(cabin, next_weekday(4, weeks=4))
    costly = book_directly(cabin, timezone.localdate() + dt.timedelta(days=3))
    mine = mine_url("kari@example.no")
    token = _token("kari@example.no")
    page = html(
        client.get(reverse("portal:booking_cancel", kwargs={"token": token, "pk": free.pk}))
    )
    assert "Avbestillinga er gratis." in page
    url = reverse("portal:booking_cancel", kwargs={"token": token, "pk": costly.pk})
    page = html(client.get(url))
    # Three days before the start, inside the 14 free days: the price of the two nights.
    assert "Avbestillinga kostar 700 kr." in page
    response = client.post(url)
    assert location(response) == mine
    costly.refresh_from_db()
    assert costly.status == Status.CANCELLED
    assert OutgoingMessage.objects.filter(
        data__booking=costly.pk, kind="booking_cancelled"
    ).exists()
    after = html(client.get(mine))
    assert "er avbestilt" in after  # the flash message
    # Cancelled once: the page says it cannot be cancelled again.
    again = client.post(url)
    assert again.status_code == 400 and "Bookinga er ikkje aktiv." in html(again)


def test_nobody_reaches_another_addresss_booking_with_their_own_link(
    client: Client, cabin: Resource, register: None
) -> None:
    mine_url("kari@example.no")
    theirs = book_directly(cabin, next_weekday(4, weeks=3), email="ola@example.no")
    token = _token("kari@example.no")
    for name in ("portal:booking_cancel", "portal:booking_move"):
        url = reverse(name, kwargs={"token": token, "pk": theirs.pk})
        assert client.post(url).status_code == 404
    assert Booking.objects.get(pk=theirs.pk).status == Status.CONFIRMED


def test_move_a_booking_to_another_weekend_or_see_why_not(
    client: Client, cabin: Resource, register: None
) -> None:
    booking = book_directly(cabin, next_weekday(4, weeks=2))
    book_directly(cabin, next_weekday(4, weeks=4), email="ola@example.no")
    token = _token("kari@example.no")
    url = reverse("portal:booking_move", kwargs={"token": token, "pk": booking.pk})
    taken = next_weekday(4, weeks=4)
    response = client.post(
        url,
        {
            f"b{booking.pk}-arrive": taken.isoformat(),
            f"b{booking.pk}-depart": (taken + dt.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 409
    page = html(response)
    assert "Perioden er oppteken" in page and 'role="alert"' in page
    assert f'value="{taken.isoformat()}"' in page
    free = next_weekday(4, weeks=3)
    response = client.post(
        url,
        {
            f"b{booking.pk}-arrive": free.isoformat(),
            f"b{booking.pk}-depart": (free + dt.timedelta(days=3)).isoformat(),
        },
    )
    location(response)
    booking.refresh_from_db()
    assert booking.start == span_for_dates(cabin, free, free)[0]
    assert booking.units == 3 and booking.price == Decimal("1050")


# --- lotteries ----------------------------------------------------------------------------------


def _lottery(cabin: Resource, *, opens: dt.datetime, closes: dt.datetime) -> Any:
    first = timezone.localdate() + dt.timedelta(days=60)
    second = first + dt.timedelta(days=7)
    return lottery.create_lottery(
        name="Vinterferie",
        opens_at=opens,
        closes_at=closes,
        periods=[
            (cabin, *span_for_dates(cabin, first, first + dt.timedelta(days=7))),
            (cabin, *span_for_dates(cabin, second, second + dt.timedelta(days=7))),
        ],
    )


def test_enter_an_open_lottery_and_get_the_receipt(
    forms: FormClient, client: Client, cabin: Resource, register: None
) -> None:
    now = timezone.now()
    draw = _lottery(cabin, opens=now - dt.timedelta(days=1), closes=now + dt.timedelta(days=5))
    index = html(client.get(reverse("portal:booking_index")))
    assert "Vinterferie" in index and "Open for søknader" in index
    url = reverse("portal:booking_lottery", kwargs={"pk": draw.pk})
    page = html(client.get(url))
    assert 'name="wish_1"' in page and 'name="national_id"' in page
    periods = list(draw.periods.order_by("start"))
    fields = {"name": "Kari", "email": "kari@example.no", "wish_1": str(periods[1].pk)}
    refused = forms.post(url, national_id=OTHER_FNR, **fields)
    assert refused.status_code == 400
    refused_page = html(refused)
    assert "Vi finn ikkje fødselsnummeret" in refused_page and OTHER_FNR not in refused_page
    assert f'<option value="{periods[1].pk}" selected>' in refused_page
    receipt = location(forms.post(url, national_id=FNR, wish_2=str(periods[0].pk), **fields))
    entry = LotteryEntry.objects.get()
    assert entry.wishes == [periods[1].pk, periods[0].pk] and entry.household == "H1"
    text = html(client.get(receipt))
    assert "Du er med i trekninga" in text and FNR not in text
    # Once per household.
    again = forms.post(url, national_id=FNR, **fields)
    assert again.status_code == 400 and "alt påmeld" in html(again)


def test_a_lottery_not_yet_open_or_closed_says_when_and_what_next(
    client: Client, cabin: Resource
) -> None:
    now = timezone.now()
    coming = _lottery(cabin, opens=now + dt.timedelta(days=2), closes=now + dt.timedelta(days=9))
    page = html(client.get(reverse("portal:booking_lottery", kwargs={"pk": coming.pk})))
    assert "Søknaden opnar" in page and 'name="wish_1"' not in page
    coming.delete()
    Booking.objects.all().delete()
    closed = _lottery(cabin, opens=now - dt.timedelta(days=9), closes=now - dt.timedelta(hours=1))
    page = html(client.get(reverse("portal:booking_lottery", kwargs={"pk": closed.pk})))
    assert "Søknadsfristen gjekk ut" in page and 'name="wish_1"' not in page
    assert client.get("/utleige/trekning/999999/").status_code == 404


def test_a_winner_confirms_on_mine_and_gets_the_booking(
    client: Client, cabin: Resource, register: None
) -> None:
    now = timezone.now()
    draw = _lottery(cabin, opens=now - dt.timedelta(days=3), closes=now - dt.timedelta(hours=1))
    period = draw.periods.order_by("start").first()
    assert period is not None
    lottery.enter(
        draw,
        name="Kari",
        email="kari@example.no",
        national_id=FNR,
        wishes=[period.pk],
        now=now - dt.timedelta(days=1),
    )
    lottery.draw(draw, now=now)
    entry = LotteryEntry.objects.get()
    assert entry.status == EntryStatus.WON
    page = html(client.get(mine_url("kari@example.no")))
    assert "Vinterferie" in page and "Stadfest" in page
    url = reverse(
        "portal:booking_lottery_confirm",
        kwargs={"token": _token("kari@example.no"), "pk": entry.pk},
    )
    assert location(client.post(url)).endswith("#trekning")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.CONFIRMED and entry.booking is not None
    assert entry.booking.status == Status.CONFIRMED
    assert "Perioden er stadfesta" in html(client.get(mine_url("kari@example.no")))


# --- trial housing ------------------------------------------------------------------------------


def test_trial_housing_takes_an_application_instead_of_a_booking(
    forms: FormClient, client: Client
) -> None:
    house = testing.cabin(
        "provebustad",
        kind=ResourceKind.TRIAL_HOUSING,
        name="Prøvebustaden",
        booking_unit=BookingUnit.MONTH,
        eligible=[BookerKind.NON_RESIDENT],
    )
    url = resource_url(house)
    page = html(client.get(url))
    assert 'name="household"' in page and 'name="national_id"' not in page
    assert 'name="arrive"' not in page
    wanted = timezone.localdate() + dt.timedelta(days=60)
    fields = {
        "household": "To vaksne og eitt born",
        "reason": "Jobb på skulen",
        "wanted_from": wanted.isoformat(),
        "wanted_months": "6",
        "name": "Nina Tilflyttar",
        "email": "nina@example.no",
    }
    past = forms.post(url, **{**fields, "wanted_from": timezone.localdate().isoformat()})
    assert past.status_code == 400 and "Vel ein dato fram i tid" in html(past)
    assert 'value="To vaksne og eitt born"' in html(past) or "To vaksne og eitt born" in html(past)
    receipt = location(forms.post(url, **fields))
    application = TrialHousingApplication.objects.get()
    assert application.wanted_months == 6 and application.wanted_from == wanted
    assert "Vi har motteke søknaden" in html(client.get(receipt))
    mine = html(client.get(mine_url("nina@example.no")))
    assert "Søknader om prøvebustad" in mine and "Prøvebustaden" in mine


# --- queries ------------------------------------------------------------------------------------


def _many_bookings(cabin: Resource, room: Resource, count: int) -> None:
    for n in range(count):
        arrive = timezone.localdate() + dt.timedelta(days=1 + 2 * n)
        book_directly(cabin, arrive, nights=1, email=f"person{n}@example.no")
        day = timezone.localdate() + dt.timedelta(days=1 + n // 10)
        start = dt.datetime.combine(day, dt.time(8 + n % 10), tzinfo=OSLO)
        services.book(
            room,
            start,
            start + dt.timedelta(hours=1),
            services.Booker(f"P{n}", f"p{n}@firma.no", BookerKind.BUSINESS, organisation="AS"),
        )


@pytest.mark.parametrize("bookings", [1, 12])
def test_the_overview_and_resource_pages_take_a_constant_number_of_queries(
    client: Client,
    cabin: Resource,
    room: Resource,
    register: None,
    bookings: int,
    django_assert_max_num_queries: Any,
) -> None:
    ResourceImage.objects.create(
        resource=cabin, image=ContentFile(PNG, name="hytta.png"), alt="Hytta"
    )
    _many_bookings(cabin, room, bookings)
    # The overview: resources, prices, lotteries. A resource: itself, its pictures, prices,
    # and the month's bookings and closed days; by the hour also the chosen day's.
    with django_assert_max_num_queries(3):
        assert client.get(reverse("portal:booking_index")).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(resource_url(cabin)).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(resource_url(room)).status_code == 200


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_pages_render_in_the_other_languages(
    client: Client, cabin: Resource, room: Resource, register: None, language: str
) -> None:
    booking = book_directly(cabin, next_weekday(4))
    client.cookies["django_language"] = language
    for url in (
        reverse("portal:booking_index"),
        resource_url(cabin),
        resource_url(room),
        receipt_url("booking", booking.pk),
        mine_url("kari@example.no"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}"' in html(response)


def test_a_stay_in_the_trial_home_cannot_be_cancelled_or_moved_from_the_link(
    client: Client, django_user_model: Any
) -> None:
    """The trial home is a contract staff follow up (booking.trial_housing): the guest's link
    shows it but does not end it behind staff's back."""
    from tenestetorget.booking import trial_housing
    from tenestetorget.booking.models import BookerKind, BookingUnit, ResourceKind
    from tenestetorget.organisation.models import Role, StaffProfile

    flat = testing.cabin(
        slug="provebustad",
        kind=ResourceKind.TRIAL_HOUSING,
        booking_unit=BookingUnit.MONTH,
        max_units=12,
        eligible=[BookerKind.NON_RESIDENT],
        check_in=dt.time(12),
        check_out=dt.time(12),
    )
    staff = django_user_model.objects.create_user("desk", password="x")
    StaffProfile.objects.create(user=staff, unit=testing.unit(), role=Role.FRONT_DESK)
    start = timezone.localdate() + dt.timedelta(days=40)
    application = trial_housing.apply(
        resource=flat,
        name="Familien Berg",
        email="berg@example.no",
        household="To vaksne",
        reason="Vil prøve bygda",
        wanted_from=start,
        wanted_months=3,
    )
    application = trial_housing.approve(
        application,
        by=staff,
        contract_start=start,
        contract_end=start + relativedelta(months=3),
        monthly_rent=Decimal("6500"),
    )
    assert application.booking is not None
    token = _token("berg@example.no")
    for name in ("portal:booking_cancel", "portal:booking_move"):
        url = reverse(name, kwargs={"token": token, "pk": application.booking.pk})
        assert client.post(url).status_code == 404
    application.booking.refresh_from_db()
    assert application.booking.status == Status.CONFIRMED
