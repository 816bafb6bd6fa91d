"""The register of known senders: snapshots, updates on purpose, finding a caller, and the
sender's earlier inquiries. Run on SQLite and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone

from tenestetorget.contact import selectors, senders, services
from tenestetorget.contact.models import Inquiry, Sender, SenderKind
from tenestetorget.contact.senders import SenderData
from tenestetorget.organisation.models import Channel

pytestmark = pytest.mark.django_db

VALID_FNR = "01019010046"
VALID_ORGNR = "974760673"
PHONE_FORMATS = ["968 45 876", "+47 968 45 876", "0047 96845876", "96845876"]


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def person(name: str, **fields: Any) -> SenderData:
    return SenderData(name=name, **fields)


@pytest.fixture
def ask(register: Callable[..., Inquiry]) -> Callable[..., Inquiry]:
    """Register an inquiry from `sender` (phone channel unless told), to `queue`."""

    def make(sender: SenderData, queue: str = "vatn_avlop", **overrides: Any) -> Inquiry:
        overrides.setdefault("channel", Channel.PHONE)
        return register(sender=sender, queue=queue, **overrides)

    return make


@pytest.fixture
def callers(ask: Callable[..., Inquiry]) -> dict[str, Inquiry]:
    """A few known senders, each with one inquiry to Vatn og avløp (Teknisk drift)."""
    return {
        "steinar": ask(person("Steinar Lofthus", phone="96845876")),
        "gunvor": ask(person("Gunvor Rysstad", email="gunvor.rysstad@example.no")),
        "olav": ask(person("Olav Haugen", phone="41234567", email="olav@haugen.no")),
    }


def names(found: list[Sender]) -> list[str]:
    return [sender.name for sender in found]


# --- phone numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize("typed", PHONE_FORMATS)
def test_norwegian_numbers_normalise_to_e164(typed: str) -> None:
    assert senders.normalise_phone(typed) == "+4796845876"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("+46 70 123 45 67", "+46701234567"), ("0046 70 123 45 67", "+46701234567"), ("12", "")],
)
def test_foreign_and_impossible_numbers(typed: str, expected: str) -> None:
    assert senders.normalise_phone(typed) == expected


def test_save_stores_the_number_in_e164(db: Any) -> None:
    sender = Sender.objects.create(name="Steinar Lofthus", phone="968 45 876")
    assert sender.phone_e164 == "+4796845876"
    sender.phone = ""
    sender.save()
    assert Sender.objects.get(pk=sender.pk).phone_e164 == ""


def test_migration_fills_e164_for_known_senders(db: Any) -> None:
    sender = Sender.objects.create(name="Steinar Lofthus", phone="0047 968 45 876")
    Sender.objects.filter(pk=sender.pk).update(phone_e164="")
    migration = importlib.import_module("tenestetorget.contact.migrations.0005_sender_search")
    migration.fill_phone_e164(apps, connection.schema_editor())
    assert Sender.objects.get(pk=sender.pk).phone_e164 == "+4796845876"


# --- the snapshot and the register (point 8) --------------------------------------------------


def test_a_later_inquiry_never_rewrites_an_earlier_one_or_the_register(
    ask: Callable[..., Inquiry],
) -> None:
    first = ask(person("Kari Nordmann", email="kari@example.no"))
    later = ask(
        person(
            "Kari Nordmann",
            email="kari@example.no",
            phone="968 45 876",
            kind=SenderKind.BUSINESS,
            organisation_number=VALID_ORGNR,
            national_id=VALID_FNR,
            postal_address="Storgata 1",
            postcode="3570",
            postal_place="Ål",
        )
    )
    assert later.sender_id == first.sender_id
    first.refresh_from_db()
    assert (first.sender_kind, first.sender_organisation_number, first.sender_national_id) == (
        SenderKind.RESIDENT,
        "",
        "",
    )
    assert (first.sender_phone, first.sender_postal_address) == ("", "")
    register = Sender.objects.get(pk=first.sender_id)
    assert (register.kind, register.organisation_number, register.national_id) == (
        SenderKind.RESIDENT,
        "",
        "",
    )
    assert (register.phone, register.postal_address, register.is_organisation) == ("", "", False)
    # The later inquiry keeps what it was given.
    assert later.sender_kind == SenderKind.BUSINESS
    assert later.sender_organisation_number == VALID_ORGNR
    assert later.sender_national_id == VALID_FNR
    assert (later.sender_postcode, later.sender_postal_place) == ("3570", "Ål")


def test_another_name_with_the_same_email_is_another_sender(
    ask: Callable[..., Inquiry],
) -> None:
    first = ask(person("Kari Nordmann", email="post@nordmann.no"))
    later = ask(person("Ola Nordmann", email="post@nordmann.no", national_id=VALID_FNR))
    assert later.sender_id != first.sender_id
    first.refresh_from_db()
    assert (first.sender_name, first.sender.name, first.sender.national_id) == (
        "Kari Nordmann",
        "Kari Nordmann",
        "",
    )


def test_the_same_person_is_found_again_by_a_number_typed_another_way(
    ask: Callable[..., Inquiry],
) -> None:
    inquiries = [ask(person("Steinar Lofthus", phone=typed)) for typed in PHONE_FORMATS]
    assert len({inquiry.sender_id for inquiry in inquiries}) == 1
    # Each inquiry keeps the number as it was given.
    assert [inquiry.sender_phone for inquiry in inquiries] == PHONE_FORMATS


def test_front_desk_updates_the_register_on_purpose(
    ask: Callable[..., Inquiry], staff: dict[str, Any]
) -> None:
    first = ask(person("Kari Nordmann", email="kari@example.no"))
    changed = senders.update_sender(
        first.sender,
        staff["front"],
        phone="968 45 876",
        postal_address="Storgata 1",
        postcode="3570",
        postal_place="Ål",
    )
    assert changed == ["phone", "postal_address", "postcode", "postal_place"]
    sender = Sender.objects.get(pk=first.sender_id)
    assert (sender.phone_e164, sender.postal_place) == ("+4796845876", "Ål")
    first.refresh_from_db()
    assert (first.sender_phone, first.sender_postal_place) == ("", "")
    assert senders.update_sender(sender, staff["admin"], postal_place="Ål") == []


@pytest.mark.parametrize("role", ["tech", "leader", "archivist", "builder"])
def test_only_front_desk_and_administrators_update_the_register(
    ask: Callable[..., Inquiry], staff: dict[str, Any], role: str
) -> None:
    inquiry = ask(person("Kari Nordmann", email="kari@example.no"))
    with pytest.raises(PermissionDenied):
        senders.update_sender(inquiry.sender, staff[role], postal_place="Ål")
    with pytest.raises(PermissionDenied):
        senders.update_sender(inquiry.sender, None, postal_place="Ål")


def test_update_validates_like_registering(
    ask: Callable[..., Inquiry], staff: dict[str, Any]
) -> None:
    inquiry = ask(person("Kari Nordmann", email="kari@example.no"))
    with pytest.raises(ValidationError) as caught:
        senders.update_sender(inquiry.sender, staff["front"], postcode="35", email="nope")
    assert set(caught.value.message_dict) == {"postcode", "email"}
    with pytest.raises(TypeError):
        senders.update_sender(inquiry.sender, staff["front"], national_id=VALID_FNR)


def test_copying_an_inquiry_into_the_register_keeps_what_it_does_not_say(
    ask: Callable[..., Inquiry], staff: dict[str, Any]
) -> None:
    ask(person("Kari Nordmann", email="kari@example.no", phone="91234567"))
    by_letter = ask(
        person(
            "Kari Nordmann",
            email="kari@example.no",
            postal_address="Storgata 1",
            postcode="3570",
            postal_place="Ål",
        ),
        channel=Channel.LETTER,
    )
    assert senders.register_differences(by_letter) == ["postal_address", "postcode", "postal_place"]
    changed = senders.update_sender_from_inquiry(by_letter, staff["front"])
    assert changed == ["postal_address", "postcode", "postal_place"]
    sender = Sender.objects.get(pk=by_letter.sender_id)
    # The letter gave no phone number: the register keeps the one it had.
    assert (sender.phone, sender.postal_address) == ("91234567", "Storgata 1")
    by_letter.refresh_from_db()
    assert senders.register_differences(by_letter) == []


def test_a_number_typed_another_way_is_no_difference(ask: Callable[..., Inquiry]) -> None:
    ask(person("Steinar Lofthus", phone="96845876"))
    again = ask(person("Steinar Lofthus", phone="+47 968 45 876"))
    assert senders.register_differences(again) == []


# --- finding a caller (point 9) ---------------------------------------------------------------


def test_a_surname_finds_the_whole_name(callers: Any, staff: dict[str, Any]) -> None:
    assert names(selectors.find_senders(staff["front"], "Lofthus")) == ["Steinar Lofthus"]


@pytest.mark.parametrize("typed", PHONE_FORMATS)
def test_a_number_in_any_format_finds_the_caller(
    callers: Any, staff: dict[str, Any], typed: str
) -> None:
    assert names(selectors.find_senders(staff["front"], typed)) == ["Steinar Lofthus"]


def test_the_beginning_of_a_number_finds_the_caller(callers: Any, staff: dict[str, Any]) -> None:
    assert names(selectors.find_senders(staff["front"], "968 45")) == ["Steinar Lofthus"]
    assert names(selectors.find_senders(staff["front"], "+47 968")) == ["Steinar Lofthus"]


@pytest.mark.parametrize(
    "typed", ["Gunvor Rystad", "Rysstad Gunvor", "rystad", "Gunvor", "gunvor ryssstad"]
)
def test_a_name_with_a_small_typo_or_in_another_order(
    callers: Any, staff: dict[str, Any], typed: str
) -> None:
    assert names(selectors.find_senders(staff["front"], typed)) == ["Gunvor Rysstad"]


@pytest.mark.parametrize("typed", ["gunvor.rys", "rysstad@example", "olav@haugen.no", "haugen.no"])
def test_part_of_an_email_address(callers: Any, staff: dict[str, Any], typed: str) -> None:
    found = names(selectors.find_senders(staff["front"], typed))
    assert found and found[0] in {"Gunvor Rysstad", "Olav Haugen"}
    assert len(found) == 1


def test_exact_and_beginning_before_part_and_likeness(
    ask: Callable[..., Inquiry], staff: dict[str, Any]
) -> None:
    for name in ("Kari Aalofthus", "Steinar Lofthus", "Lofthus Bygg AS", "Lofthus"):
        ask(person(name, phone="96845876"))
    found = names(selectors.find_senders(staff["front"], "lofthus"))
    assert found == ["Lofthus", "Lofthus Bygg AS", "Steinar Lofthus", "Kari Aalofthus"]


def test_at_most_eight(ask: Callable[..., Inquiry], staff: dict[str, Any]) -> None:
    for n in range(10):
        ask(person(f"Ola Lofthus {n}", phone=f"9684587{n}"))
    assert len(selectors.find_senders(staff["front"], "lofthus")) == 8


def test_nothing_for_a_stranger(callers: Any, staff: dict[str, Any]) -> None:
    assert selectors.find_senders(staff["front"], "Bjørnstjerne") == []
    assert selectors.find_senders(staff["front"], "x") == []


def test_who_sees_which_senders(
    ask: Callable[..., Inquiry], staff: dict[str, Any], django_user_model: Any
) -> None:
    """Those who see every inquiry see every sender; case officers and unit leaders only the
    senders of inquiries they may see (their unit's queues, or handed to them by name)."""
    water = ask(person("Steinar Lofthus", phone="96845876"), queue="vatn_avlop")
    ask(person("Gunvor Rysstad", phone="41234567"), queue="byggjesak")
    for role in ("front", "archivist", "admin"):
        both = {*names(selectors.find_senders(staff[role], "Lofthus"))}
        both |= {*names(selectors.find_senders(staff[role], "Rysstad"))}
        assert both == {"Steinar Lofthus", "Gunvor Rysstad"}, role
    for role in ("tech", "leader"):
        assert names(selectors.find_senders(staff[role], "Lofthus")) == ["Steinar Lofthus"]
        assert selectors.find_senders(staff[role], "Rysstad") == []
        assert selectors.find_senders(staff[role], "41234567") == []
    assert selectors.find_senders(staff["builder"], "968 45 876") == []
    # Handed over by name, the builder may see the inquiry, and so its sender.
    services.forward_inquiry(water, staff["front"], to_user=staff["builder"])
    assert names(selectors.find_senders(staff["builder"], "968 45 876")) == ["Steinar Lofthus"]
    citizen = django_user_model.objects.create_user("citizen", password="x")
    assert selectors.find_senders(citizen, "Lofthus") == []
    assert selectors.find_senders(None, "Lofthus") == []


def test_the_lookup_page_shows_only_visible_senders(callers: Any, staff: dict[str, Any]) -> None:
    url = "/tenestetorget/avsendarar/?sender_phone=968+45+876"
    html = client_for(staff["front"]).get(url).content.decode()
    assert "Steinar Lofthus" in html and "96845876" in html
    html = client_for(staff["builder"]).get(url).content.decode()
    assert "Lofthus" not in html and "96845876" not in html


def test_inquiry_search_finds_by_sender_as_people_search(
    callers: dict[str, Inquiry], staff: dict[str, Any]
) -> None:
    def refs(user: Any, query: str) -> list[str]:
        return [inquiry.reference for inquiry in selectors.search_inquiries(user, query)]

    steinar, gunvor = callers["steinar"].reference, callers["gunvor"].reference
    assert refs(staff["front"], "Lofthus") == [steinar]
    assert refs(staff["front"], "968 45 876") == [steinar]
    assert refs(staff["front"], "+47 968 45 876") == [steinar]
    assert refs(staff["front"], "Gunvor Rystad") == [gunvor]
    assert refs(staff["tech"], "Gunvor Rystad") == [gunvor]
    # Not their unit's inquiries.
    assert refs(staff["builder"], "Lofthus") == []
    assert refs(staff["builder"], "968 45 876") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_trigram_indexes_exist_on_postgresql(db: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'contact_sender' "
            "AND indexdef LIKE '%%gin_trgm_ops%%'"
        )
        found = {row[0] for row in cursor.fetchall()}
    assert found == {"contact_sender_name_trgm", "contact_sender_email_trgm"}


# --- earlier inquiries (point 10) -------------------------------------------------------------


def test_earlier_inquiries_of_the_sender(
    ask: Callable[..., Inquiry], staff: dict[str, Any], django_assert_num_queries: Any
) -> None:
    start = timezone.now() - dt.timedelta(days=30)
    kari = person("Kari Nordmann", email="kari@example.no", phone="91234567")
    older = [ask(kari, received_at=start + dt.timedelta(days=n)) for n in range(3)]
    # Another name with the same e-mail address: another known sender, the same person.
    same_email = ask(
        person("Kari N.", email="kari@example.no"), received_at=start + dt.timedelta(days=4)
    )
    # The same number typed another way, under another name.
    same_phone = ask(
        person("K. Nordmann", phone="+47 912 34 567"), received_at=start + dt.timedelta(days=5)
    )
    in_building = ask(kari, queue="byggjesak", received_at=start + dt.timedelta(days=6))
    ask(person("Ola Haugen", email="ola@example.no"), received_at=start + dt.timedelta(days=7))
    current = ask(kari)

    with django_assert_num_queries(1):
        history = senders.earlier_inquiries(staff["front"], current)
    assert [row.reference for row in history] == [
        in_building.reference,
        same_phone.reference,
        same_email.reference,
        *[inquiry.reference for inquiry in reversed(older)],
    ]
    assert history[0].status == "new" and history[0].status_label == "Ny"
    # A case officer sees only those of their own unit.
    tech = senders.earlier_inquiries(staff["tech"], current)
    assert in_building.reference not in [row.reference for row in tech]
    assert len(tech) == 5
    assert senders.earlier_inquiries(staff["builder"], current) == [
        senders.EarlierInquiry(
            reference=in_building.reference,
            subject=in_building.subject,
            status="new",
            status_label="Ny",
            received_at=in_building.received_at,
        )
    ]
    # Earlier means earlier: an older inquiry's page does not list what came after it.
    assert [row.reference for row in senders.earlier_inquiries(staff["front"], older[1])] == [
        older[0].reference
    ]


def test_at_most_ten_earlier_inquiries(ask: Callable[..., Inquiry], staff: dict[str, Any]) -> None:
    start = timezone.now() - dt.timedelta(days=30)
    kari = person("Kari Nordmann", phone="91234567")
    for n in range(12):
        ask(kari, received_at=start + dt.timedelta(days=n))
    current = ask(kari)
    history = senders.earlier_inquiries(staff["front"], current)
    assert len(history) == 10
    assert history[0].received_at > history[-1].received_at


# --- the inquiry page -------------------------------------------------------------------------


def test_the_page_shows_the_snapshot_the_history_and_the_register_button(
    ask: Callable[..., Inquiry], staff: dict[str, Any]
) -> None:
    first = ask(person("Kari Nordmann", email="kari@example.no", phone="91234567"))
    letter = ask(
        person(
            "Kari Nordmann",
            email="kari@example.no",
            kind=SenderKind.CABIN_OWNER,
            postal_address="Hyttevegen 3",
            postcode="3570",
            postal_place="Ål",
        ),
        channel=Channel.LETTER,
    )
    url = f"/tenestetorget/henvending/{letter.reference}/"
    html = client_for(staff["front"]).get(url).content.decode()
    assert "Hyttevegen 3, 3570 Ål" in html
    assert "Hytteeigar" in html  # the kind given with this inquiry, not the register's
    assert "Tidlegare henvendingar frå avsendaren" in html
    assert f'href="/tenestetorget/henvending/{first.reference}/"' in html
    assert "Oppdater avsendarregisteret med desse opplysningane" in html
    # Case officers see the history but do not keep the register.
    html = client_for(staff["tech"]).get(url).content.decode()
    assert first.reference in html
    assert "Oppdater avsendarregisteret" not in html


def test_updating_the_register_from_the_page(
    ask: Callable[..., Inquiry], staff: dict[str, Any]
) -> None:
    ask(person("Kari Nordmann", email="kari@example.no"))
    letter = ask(
        person("Kari Nordmann", email="kari@example.no", postcode="3570", postal_place="Ål"),
        channel=Channel.LETTER,
    )
    url = f"/tenestetorget/henvending/{letter.reference}/avsendarregister/"
    assert client_for(staff["tech"]).post(url).status_code == 403
    assert Sender.objects.get(pk=letter.sender_id).postal_place == ""
    client = client_for(staff["front"])
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "Avsendarregisteret er oppdatert: postnummer, poststad." in response.content.decode()
    assert Sender.objects.get(pk=letter.sender_id).postal_place == "Ål"
    assert "Oppdater avsendarregisteret" not in response.content.decode()


def test_the_phone_note_takes_a_postal_address(staff: dict[str, Any]) -> None:
    response = client_for(staff["front"]).post(
        "/tenestetorget/ny/",
        {
            "channel": "phone",
            "sender_name": "Kari Nordmann",
            "sender_phone": "912 34 567",
            "sender_kind": "resident",
            "language": "nn",
            "postal_address": "Storgata 1",
            "postcode": "3570",
            "postal_place": "Ål",
            "subject": "Vatn i kjellaren",
            "queue": "vatn_avlop",
        },
    )
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert (inquiry.sender_postal_address, inquiry.sender_postcode) == ("Storgata 1", "3570")
    assert inquiry.sender.postal_place == "Ål"
    assert inquiry.sender.phone_e164 == "+4791234567"


def test_the_phone_note_shows_a_wrong_postcode_at_its_field(staff: dict[str, Any]) -> None:
    response = client_for(staff["front"]).post(
        "/tenestetorget/ny/",
        {
            "channel": "phone",
            "sender_name": "Kari Nordmann",
            "sender_phone": "912 34 567",
            "sender_kind": "resident",
            "language": "nn",
            "postcode": "35",
            "subject": "Vatn i kjellaren",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["postcode"] == ["Postnummeret skal vere fire siffer."]
    assert not Inquiry.objects.exists()
