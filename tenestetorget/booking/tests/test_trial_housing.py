"""Trial housing (prøvebustad): applied for, assessed by staff, approved for a contract
period that the flat is held for, lived in, finished, followed up, and counted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from tenestetorget.booking import services, testing, trial_housing
from tenestetorget.booking.models import (
    ApplicationStatus,
    BookerKind,
    Booking,
    BookingUnit,
    MovedHere,
    Resource,
    ResourceKind,
    Status,
    TrialHousingApplication,
)
from tenestetorget.booking.rules import BookingRefused, PeriodTaken, span_for_dates
from tenestetorget.contact.models import OutgoingMessage
from tenestetorget.organisation.models import Role, StaffProfile

pytestmark = pytest.mark.django_db


class refused:
    """`with refused("x"):` fails unless the block raises BookingRefused with code x."""

    def __init__(self, code: str) -> None:
        self.code = code

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: object, _tb: object) -> bool:
        assert isinstance(error, BookingRefused), f"expected refusal {self.code!r}, got {error!r}"
        assert error.code == self.code, (error.code, error.message)
        assert error.message
        return True


@pytest.fixture
def flat() -> Resource:
    return testing.cabin(
        "provebustad",
        kind=ResourceKind.TRIAL_HOUSING,
        name="Prøvebustaden i sentrum",
        booking_unit=BookingUnit.MONTH,
        check_in=dt.time(12),
        check_out=dt.time(12),
        max_units=12,
        eligible=[BookerKind.NON_RESIDENT],
    )


@pytest.fixture
def staff(django_user_model: Any) -> Any:
    user = django_user_model.objects.create_user("bustad", password="x")
    StaffProfile.objects.create(user=user, unit=testing.unit(), role=Role.FRONT_DESK)
    return user


def first_of_month(months_ahead: int) -> dt.date:
    today = timezone.localdate()
    month = today.month - 1 + months_ahead
    return dt.date(today.year + month // 12, month % 12 + 1, 1)


def application(flat: Resource, **changes: Any) -> TrialHousingApplication:
    fields: dict[str, Any] = {
        "resource": flat,
        "name": "Familien Haugen",
        "email": "haugen@example.no",
        "phone": "99 88 77 66",
        "household": "To vaksne og to born (6 og 9 år)",
        "reason": "Vi vil bu nærare fjellet og har fått tilbod om jobb i kommunen.",
        "wanted_from": first_of_month(2),
        "wanted_months": 3,
    }
    fields.update(changes)
    return trial_housing.apply(**fields)


def approve(app: TrialHousingApplication, staff: Any, **changes: Any) -> TrialHousingApplication:
    fields: dict[str, Any] = {
        "by": staff,
        "contract_start": first_of_month(2),
        "contract_end": first_of_month(5),
        "monthly_rent": Decimal("9500"),
        "assessment": "Har jobbtilbod; oppfyller vilkåra.",
    }
    fields.update(changes)
    return trial_housing.approve(app, **fields)


def test_an_application_is_received_with_a_receipt(flat: Resource) -> None:
    app = application(flat, language="en")
    assert app.status == ApplicationStatus.RECEIVED and app.language == "en"
    assert app.moved_here == MovedHere.UNKNOWN and app.booking is None
    receipt = OutgoingMessage.objects.get(data__trial_housing=app.pk)
    assert receipt.kind == "trial_housing" and receipt.to_email == "haugen@example.no"
    assert receipt.language == "en"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"wanted_from": timezone.localdate()}, "past"),
        ({"wanted_from": timezone.localdate() - dt.timedelta(days=30)}, "past"),
        ({"wanted_months": 0}, "months"),
        ({"wanted_months": 13}, "months"),
        ({"household": "  "}, "household"),
        ({"reason": ""}, "reason"),
        ({"name": ""}, "name"),
        ({"email": "ikkje-e-post"}, "email"),
    ],
)
def test_an_incomplete_application_is_refused_with_a_reason(
    flat: Resource, changes: dict[str, Any], code: str
) -> None:
    with refused(code):
        application(flat, **changes)
    assert not TrialHousingApplication.objects.exists()


def test_only_trial_housing_can_be_applied_for() -> None:
    cabin = testing.cabin()
    with refused("not_trial_housing"):
        application(cabin)


def test_approval_holds_the_flat_for_the_contract_and_tells_the_household(
    flat: Resource, staff: Any
) -> None:
    app = approve(application(flat), staff)
    assert app.status == ApplicationStatus.APPROVED
    assert app.decided_by == staff and app.decided_at is not None
    assert app.follow_up_on == first_of_month(5) + dt.timedelta(days=180)
    assert app.monthly_rent == Decimal("9500")
    booking = Booking.objects.get(pk=app.booking_id or 0)
    assert (booking.start, booking.end) == span_for_dates(
        flat, first_of_month(2), first_of_month(5)
    )
    assert booking.status == Status.CONFIRMED and booking.units == 3
    assert booking.booker_kind == BookerKind.NON_RESIDENT
    mail = OutgoingMessage.objects.filter(data__trial_housing=app.pk).latest("pk")
    assert "9 500,00 kr" in mail.body and "godkjend" in mail.subject
    assert not OutgoingMessage.objects.filter(data__booking=booking.pk).exists()
    # The flat cannot be promised twice.
    other = application(flat, name="Ola", email="ola@example.no")
    with pytest.raises(PeriodTaken):
        approve(other, staff, contract_start=first_of_month(4), contract_end=first_of_month(6))
    assert TrialHousingApplication.objects.get(pk=other.pk).status == ApplicationStatus.RECEIVED
    booker = services.Booker("Ola", "ola@example.no", BookerKind.NON_RESIDENT)
    with pytest.raises(PeriodTaken):
        services.book(flat, booking.start, booking.end, booker, check_rules=False)


def test_only_staff_decide(flat: Resource) -> None:
    app = application(flat)
    with refused("staff_only"):
        approve(app, None)
    with refused("staff_only"):
        trial_housing.deny(app, by=None, assessment="Nei")
    assert TrialHousingApplication.objects.get(pk=app.pk).status == ApplicationStatus.RECEIVED


def test_a_bad_contract_is_refused(flat: Resource, staff: Any) -> None:
    app = application(flat)
    with refused("invalid_period"):
        approve(app, staff, contract_end=first_of_month(2))
    with refused("rent"):
        approve(app, staff, monthly_rent=Decimal("-1"))
    with refused("whole_months"):
        approve(app, staff, contract_end=first_of_month(5) - dt.timedelta(days=1))
    assert not Booking.objects.exists()


def test_a_denial_gives_the_reason(flat: Resource, staff: Any) -> None:
    app = application(flat)
    with refused("assessment"):
        trial_housing.deny(app, by=staff, assessment=" ")
    denied = trial_housing.deny(app, by=staff, assessment="Bustaden er oppteken heile året.")
    assert denied.status == ApplicationStatus.DENIED and denied.decided_by == staff
    mail = OutgoingMessage.objects.filter(data__trial_housing=app.pk).latest("pk")
    assert "oppteken heile året" in mail.body
    with refused("wrong_status"):
        approve(denied, staff)


def test_the_whole_way_from_approval_to_follow_up(flat: Resource, staff: Any) -> None:
    app = approve(application(flat), staff)
    with refused("wrong_status"):
        trial_housing.finish(app, by=staff)
    with refused("wrong_status"):
        trial_housing.record_follow_up(app, moved_here=MovedHere.YES, note="", by=staff)
    app = trial_housing.start_stay(app, by=staff)
    assert app.status == ApplicationStatus.IN_STAY
    with refused("wrong_status"):
        trial_housing.start_stay(app, by=staff)
    with refused("wrong_status"):
        trial_housing.withdraw(app)
    app = trial_housing.finish(app, by=staff)
    assert app.status == ApplicationStatus.FINISHED
    with refused("moved_here"):
        trial_housing.record_follow_up(app, moved_here="kanskje", note="", by=staff)
    with refused("staff_only"):
        trial_housing.record_follow_up(app, moved_here=MovedHere.YES, note="", by=None)
    app = trial_housing.record_follow_up(
        app, moved_here=MovedHere.YES, note="Kjøpte hus i Vinje i mars.", by=staff
    )
    stored = TrialHousingApplication.objects.get(pk=app.pk)
    assert stored.moved_here == MovedHere.YES and stored.follow_up_note.startswith("Kjøpte")


def test_wrong_steps_are_refused_saying_where_the_application_is(
    flat: Resource, staff: Any
) -> None:
    app = application(flat)
    for step in (trial_housing.start_stay, trial_housing.finish):
        with refused("wrong_status"):
            step(app, by=staff)
    with pytest.raises(BookingRefused) as error:
        trial_housing.start_stay(app, by=staff)
    assert "Motteken" in error.value.message


def test_withdrawing_an_approved_application_lets_the_flat_go(flat: Resource, staff: Any) -> None:
    app = approve(application(flat), staff)
    withdrawn = trial_housing.withdraw(app)
    assert withdrawn.status == ApplicationStatus.WITHDRAWN
    assert Booking.objects.get(pk=app.booking_id or 0).status == Status.CANCELLED
    assert not OutgoingMessage.objects.filter(kind="booking_cancelled").exists()
    with refused("wrong_status"):
        trial_housing.withdraw(withdrawn)
    # Free again for the next household.
    again = approve(application(flat, email="neste@example.no"), staff)
    assert again.status == ApplicationStatus.APPROVED
    received = application(flat, email="tredje@example.no")
    assert trial_housing.withdraw(received).status == ApplicationStatus.WITHDRAWN


def test_statistics_for_the_municipality(flat: Resource, staff: Any) -> None:
    def finished(n: int, moved: str) -> None:
        start = first_of_month(2 + 3 * n)
        app = approve(
            application(flat, email=f"h{n}@example.no"),
            staff,
            contract_start=start,
            contract_end=first_of_month(5 + 3 * n),
        )
        trial_housing.start_stay(app, by=staff)
        trial_housing.finish(app, by=staff)
        trial_housing.record_follow_up(app, moved_here=moved, note="", by=staff)

    finished(0, MovedHere.YES)
    finished(1, MovedHere.YES)
    finished(2, MovedHere.NO)
    finished(3, MovedHere.UNKNOWN)
    trial_housing.deny(application(flat, email="d@example.no"), by=staff, assessment="Nei")
    application(flat, email="r@example.no")
    old = application(flat, email="gammal@example.no")
    TrialHousingApplication.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=800)
    )
    year = timezone.localdate().year
    figures = trial_housing.statistics(year)
    assert figures == {
        "year": year,
        "applications": 6,
        "approved": 4,
        "denied": 1,
        "withdrawn": 0,
        "in_stay": 0,
        "finished": 4,
        "moved_here": 2,
        "not_moved": 1,
        "unknown": 1,
        "moved_share": round(2 / 3, 3),
    }
    assert trial_housing.statistics()["applications"] == 7
    assert trial_housing.statistics(year - 5)["moved_share"] is None
