"""Trial housing (prøvebustad): a household that thinks of moving here applies to live in the
municipality's flat for a few months first. Applied for and assessed by staff, not booked:

    RECEIVED ──approve──▶ APPROVED ──start_stay──▶ IN_STAY ──finish──▶ FINISHED
        ├──deny──▶ DENIED          └──withdraw──▶ WITHDRAWN (the flat is let go)
        └──withdraw──▶ WITHDRAWN
    and afterwards: record_follow_up (did they move here?), counted by `statistics`.

An approval holds the flat for the contract period with a booking, so the flat cannot be
promised twice: a period that is taken refuses the approval (PeriodTaken)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tenestetorget.booking import notices, services
from tenestetorget.booking.models import (
    ApplicationStatus,
    BookerKind,
    MovedHere,
    Resource,
    ResourceKind,
    TrialHousingApplication,
)
from tenestetorget.booking.rules import BookingRefused, span_for_dates
from tenestetorget.contact import outbox
from tenestetorget.contact.models import Audience, MessageKind
from tenestetorget.organisation import permissions

LANGUAGES = ("nn", "nb", "en")
#: When the municipality asks whether the household moved here: half a year after the stay.
FOLLOW_UP_AFTER = dt.timedelta(days=180)
MAX_MONTHS = 12
#: Every status an application has after it was approved.
APPROVED_ONES = (ApplicationStatus.APPROVED, ApplicationStatus.IN_STAY, ApplicationStatus.FINISHED)


def _staff(by: Any) -> None:
    if not permissions.is_staff_member(by):
        raise BookingRefused(
            "staff_only", _("Søknader om prøvebustad blir handsama av Tenestetorget.")
        )


def _expect(application: TrialHousingApplication, *allowed: str) -> None:
    """Refuse a step that does not follow from the application's status, saying where it is."""
    if application.status not in allowed:
        raise BookingRefused(
            "wrong_status",
            _("Søknaden er «%(status)s», og det kan ikkje gjerast no.")
            % {"status": ApplicationStatus(application.status).label},
        )


def _lock(application: TrialHousingApplication) -> TrialHousingApplication:
    return (
        TrialHousingApplication.objects.select_for_update(of=("self",))
        .select_related("resource", "booking")
        .get(pk=application.pk)
    )


def _day(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


def _send(application: TrialHousingApplication, subject: str, lines: list[str]) -> None:
    lines = [
        *lines,
        "",
        _("Sjå søknaden og bookingane dine: %(url)s")
        % {"url": notices.link_for(application.email)},
        "",
        _("Helsing Tenestetorget"),
    ]
    outbox.store(
        audience=Audience.SENDER,
        kind=MessageKind.TRIAL_HOUSING,
        to=[application.email],
        subject=subject,
        body="\n".join(lines),
        language=application.language,
        data={"trial_housing": application.pk},
    )


def apply(
    *,
    resource: Resource,
    name: str,
    email: str,
    phone: str = "",
    household: str,
    reason: str,
    wanted_from: dt.date,
    wanted_months: int = 3,
    language: str = "nn",
    now: dt.datetime | None = None,
) -> TrialHousingApplication:
    """Receive an application (with a receipt by e-mail)."""
    now = now or timezone.now()
    if resource.kind != ResourceKind.TRIAL_HOUSING:
        raise BookingRefused(
            "not_trial_housing", _("Det går berre an å søkje om å bu i ein prøvebustad.")
        )
    if not resource.active:
        raise BookingRefused("inactive", _("Denne prøvebustaden tek ikkje imot søknader no."))
    name, email = name.strip(), email.strip()
    if not name:
        raise BookingRefused("name", _("Skriv namnet ditt."))
    if "@" not in email or len(email) > 254:
        raise BookingRefused("email", _("Skriv ei gyldig e-postadresse."))
    if not household.strip():
        raise BookingRefused("household", _("Skriv kven som er med i husstanden."))
    if not reason.strip():
        raise BookingRefused("reason", _("Fortel kort kvifor de vurderer å flytte hit."))
    if wanted_from <= timezone.localdate(now):
        raise BookingRefused("past", _("Vel ein dato fram i tid for når de vil flytte inn."))
    if not 1 <= wanted_months <= MAX_MONTHS:
        raise BookingRefused(
            "months",
            _("De kan bu i prøvebustaden frå 1 til %(max)s månader.") % {"max": MAX_MONTHS},
        )
    with transaction.atomic():
        application = TrialHousingApplication.objects.create(
            resource=resource,
            name=name[:200],
            email=email,
            phone=phone.strip()[:40],
            household=household.strip(),
            reason=reason.strip(),
            wanted_from=wanted_from,
            wanted_months=wanted_months,
            language=language if language in LANGUAGES else "nn",
            created_at=now,
        )
        with translation.override(application.language):
            _send(
                application,
                _("Søknad om prøvebustad motteken"),
                [
                    _("Hei %(name)s,") % {"name": application.name},
                    "",
                    _(
                        "Vi har fått søknaden dykkar om å bu i %(what)s i %(months)s månader "
                        "frå %(from)s."
                    )
                    % {
                        "what": resource.in_language(),
                        "months": wanted_months,
                        "from": _day(wanted_from),
                    },
                    _("Vi ser på søknaden og svarar dykk på e-post."),
                ],
            )
    return application


def approve(
    application: TrialHousingApplication,
    *,
    by: Any,
    contract_start: dt.date,
    contract_end: dt.date,
    monthly_rent: Decimal,
    assessment: str = "",
) -> TrialHousingApplication:
    """Approve for a contract period and rent: the flat is held for the period by a booking
    (PeriodTaken when it is not free), and the household is told by e-mail."""
    _staff(by)
    if contract_end <= contract_start:
        raise BookingRefused("invalid_period", _("Kontrakten må slutte etter at han byrjar."))
    if monthly_rent < 0:
        raise BookingRefused("rent", _("Husleiga kan ikkje vere negativ."))
    with transaction.atomic():
        locked = _lock(application)
        _expect(locked, ApplicationStatus.RECEIVED)
        start, end = span_for_dates(locked.resource, contract_start, contract_end)
        booking = services.book(
            locked.resource,
            start,
            end,
            services.Booker(
                name=locked.name,
                email=locked.email,
                kind=BookerKind.NON_RESIDENT,
                phone=locked.phone,
                language=locked.language,
            ),
            by=by,
            check_rules=False,
            notify=False,
        )
        locked.status = ApplicationStatus.APPROVED
        locked.contract_start, locked.contract_end = contract_start, contract_end
        locked.monthly_rent = monthly_rent
        locked.assessment = assessment.strip()
        locked.booking = booking
        locked.decided_at = timezone.now()
        locked.decided_by = by
        locked.follow_up_on = contract_end + FOLLOW_UP_AFTER
        locked.save()
        with translation.override(locked.language):
            _send(
                locked,
                _("Søknaden om prøvebustad er godkjend"),
                [
                    _("Hei %(name)s,") % {"name": locked.name},
                    "",
                    _("De kan bu i %(what)s frå %(from)s til %(to)s.")
                    % {
                        "what": locked.resource.in_language(),
                        "from": _day(contract_start),
                        "to": _day(contract_end),
                    },
                    _("Husleiga er %(rent)s per månad.") % {"rent": notices.money(monthly_rent)},
                    _("Vi sender kontrakten og tek kontakt før innflytting."),
                ],
            )
    return locked


def deny(
    application: TrialHousingApplication, *, by: Any, assessment: str
) -> TrialHousingApplication:
    """Refuse the application; the assessment is the reason the household is given."""
    _staff(by)
    if not assessment.strip():
        raise BookingRefused("assessment", _("Skriv grunngjevinga for avslaget."))
    with transaction.atomic():
        locked = _lock(application)
        _expect(locked, ApplicationStatus.RECEIVED)
        locked.status = ApplicationStatus.DENIED
        locked.assessment = assessment.strip()
        locked.decided_at = timezone.now()
        locked.decided_by = by
        locked.save(update_fields=["status", "assessment", "decided_at", "decided_by"])
        with translation.override(locked.language):
            _send(
                locked,
                _("Svar på søknaden om prøvebustad"),
                [
                    _("Hei %(name)s,") % {"name": locked.name},
                    "",
                    _("Vi kan diverre ikkje tilby dykk å bu i %(what)s denne gongen.")
                    % {"what": locked.resource.in_language()},
                    "",
                    _("Grunn: %(why)s") % {"why": locked.assessment},
                ],
            )
    return locked


def start_stay(application: TrialHousingApplication, *, by: Any) -> TrialHousingApplication:
    """The household has moved in."""
    _staff(by)
    with transaction.atomic():
        locked = _lock(application)
        _expect(locked, ApplicationStatus.APPROVED)
        locked.status = ApplicationStatus.IN_STAY
        locked.save(update_fields=["status"])
    return locked


def finish(application: TrialHousingApplication, *, by: Any) -> TrialHousingApplication:
    """The stay is over (the household has moved out)."""
    _staff(by)
    with transaction.atomic():
        locked = _lock(application)
        _expect(locked, ApplicationStatus.IN_STAY)
        locked.status = ApplicationStatus.FINISHED
        locked.save(update_fields=["status"])
    return locked


def record_follow_up(
    application: TrialHousingApplication, *, moved_here: str, note: str, by: Any
) -> TrialHousingApplication:
    """Whether the household moved here, as the follow-up found (during the stay or after)."""
    _staff(by)
    if moved_here not in MovedHere.values:
        raise BookingRefused(
            "moved_here",
            _("Vel om husstanden flytta hit, ikkje flytta, eller om det ikkje er kjent."),
        )
    with transaction.atomic():
        locked = _lock(application)
        _expect(locked, ApplicationStatus.IN_STAY, ApplicationStatus.FINISHED)
        locked.moved_here = moved_here
        locked.follow_up_note = note.strip()
        locked.save(update_fields=["moved_here", "follow_up_note"])
    return locked


def withdraw(application: TrialHousingApplication, *, by: Any = None) -> TrialHousingApplication:
    """The household withdraws before moving in; an approved one lets the flat go (the
    booking that held it is cancelled, without a cancellation e-mail of its own)."""
    with transaction.atomic():
        locked = _lock(application)
        _expect(locked, ApplicationStatus.RECEIVED, ApplicationStatus.APPROVED)
        if locked.booking is not None:
            services.cancel(locked.booking, by=by, notify=False)
        locked.status = ApplicationStatus.WITHDRAWN
        locked.save(update_fields=["status"])
        with translation.override(locked.language):
            _send(
                locked,
                _("Søknaden om prøvebustad er trekt"),
                [
                    _("Hei %(name)s,") % {"name": locked.name},
                    "",
                    _("Søknaden dykkar om å bu i %(what)s er trekt.")
                    % {"what": locked.resource.in_language()},
                ],
            )
    return locked


def statistics(year: int | None = None) -> dict[str, Any]:
    """For the municipality: of the applications received in `year` (all years when None),
    how many were approved, how many stays are finished, and of those whether the household
    moved here. `moved_share` is the share who moved among the finished stays whose answer
    is known (None before any is)."""
    applications = TrialHousingApplication.objects.all()
    if year is not None:
        applications = applications.filter(created_at__year=year)  # in Europe/Oslo (TIME_ZONE)
    finished = Q(status=ApplicationStatus.FINISHED)
    # Aliases unlike the fields' names: an aggregate named «moved_here» would shadow the field
    # in the filters beside it.
    raw = applications.aggregate(
        n_applications=Count("pk"),
        n_approved=Count("pk", filter=Q(status__in=APPROVED_ONES)),
        n_denied=Count("pk", filter=Q(status=ApplicationStatus.DENIED)),
        n_withdrawn=Count("pk", filter=Q(status=ApplicationStatus.WITHDRAWN)),
        n_in_stay=Count("pk", filter=Q(status=ApplicationStatus.IN_STAY)),
        n_finished=Count("pk", filter=finished),
        n_moved_here=Count("pk", filter=finished & Q(moved_here=MovedHere.YES)),
        n_not_moved=Count("pk", filter=finished & Q(moved_here=MovedHere.NO)),
        n_unknown=Count("pk", filter=finished & Q(moved_here=MovedHere.UNKNOWN)),
    )
    counts = {name.removeprefix("n_"): int(value) for name, value in raw.items()}
    known = counts["moved_here"] + counts["not_moved"]
    return {
        "year": year,
        **counts,
        "moved_share": round(counts["moved_here"] / known, 3) if known else None,
    }
