"""The sender snapshot as a property: whatever later inquiries say about the same person,
an inquiry keeps its sender exactly as given, and the shared register is never rewritten by
registering (it changes only through senders.update_sender)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenestetorget.contact import services
from tenestetorget.contact.models import Inquiry, Sender
from tenestetorget.contact.services import SenderData

pytestmark = pytest.mark.django_db

FNRS = ["", "01019010046", "01019013789", "01019017458"]
ORGNRS = ["", "100000008", "100000016", "974760673"]

# A few people who share e-mail addresses and phone numbers, so registrations collide.
senders = st.builds(
    SenderData,
    name=st.sampled_from(["Kari Nordmann", "kari nordmann", "Ola Nordmann", "Kari N."]),
    email=st.sampled_from(["", "kari@example.no", "KARI@example.no", "ola@example.no"]),
    phone=st.sampled_from(["", "91234567", "912 34 567", "+47 91234567"]),
    kind=st.sampled_from(["resident", "cabin_owner", "business"]),
    organisation_number=st.sampled_from(ORGNRS),
    national_id=st.sampled_from(FNRS),
    language=st.sampled_from(["nn", "nb", "en"]),
    postal_address=st.sampled_from(["", "Storvegen 1", "Hyttevegen 9"]),
    postcode=st.sampled_from(["", "3890", "0150"]),
    postal_place=st.sampled_from(["", "Vinje", "Oslo"]),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(given_senders=st.lists(senders, min_size=1, max_size=6))
def test_every_inquiry_keeps_its_sender_as_given(
    register: Any, given_senders: list[SenderData]
) -> None:
    registered: list[tuple[Inquiry, SenderData]] = []
    register_before = {s.pk: s for s in Sender.objects.all()}
    for data in given_senders:
        if not data.email and not data.phone:
            data.phone = "91234567"
        inquiry = register(sender=data, channel="phone")
        registered.append((inquiry, services.clean_sender(data)))
    for inquiry, cleaned in registered:
        inquiry.refresh_from_db()
        assert inquiry.sender_name == cleaned.name
        assert inquiry.sender_email == cleaned.email
        assert inquiry.sender_phone == cleaned.phone
        assert inquiry.sender_kind == cleaned.kind
        assert inquiry.sender_organisation_number == cleaned.organisation_number
        assert inquiry.sender_national_id == cleaned.national_id
        assert inquiry.sender_postal_address == cleaned.postal_address
        assert inquiry.sender_postcode == cleaned.postcode
        assert inquiry.sender_postal_place == cleaned.postal_place
        assert inquiry.language == cleaned.language
    # A register row, once written, is as its first inquiry gave it.
    for sender in Sender.objects.all():
        if sender.pk in register_before:
            before = register_before[sender.pk]
            assert (sender.kind, sender.national_id, sender.organisation_number) == (
                before.kind,
                before.national_id,
                before.organisation_number,
            )
            continue
        first = next(inq for inq, _ in registered if inq.sender_id == sender.pk)
        assert sender.kind == first.sender_kind
        assert sender.national_id == first.sender_national_id
        assert sender.organisation_number == first.sender_organisation_number
        assert sender.postal_address == first.sender_postal_address
