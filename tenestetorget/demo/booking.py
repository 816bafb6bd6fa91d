"""The demo municipality's bookable things (utleige): six mountain cabins, the multimedia
room, two study-centre rooms and a trial-housing flat, with their rules and prices, a small
resident register, and some bookings made through the real services (so the rules, the
held periods and the e-mails are as in production)."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dateutil.easter import easter
from django.db import transaction
from django.utils import timezone

from tenestetorget.booking import lottery, residency, services, trial_housing
from tenestetorget.booking.models import (
    BookerKind,
    BookingUnit,
    ClosedDay,
    Lottery,
    Price,
    Resource,
    ResourceKind,
)
from tenestetorget.booking.rules import BookingRefused, span_for_dates
from tenestetorget.core.calendar import OSLO
from tenestetorget.organisation.models import Unit

#: A fødselsnummer in the demo's resident register (valid checksums; shown in docs/demo.md
#: so that a tester can book as a resident). Only its keyed hash is stored.
DEMO_RESIDENT_NATIONAL_ID = "01019010046"
DEMO_RESIDENTS = [
    (DEMO_RESIDENT_NATIONAL_ID, "Kari Nordbø", "H-0001", "Vinjevegen 12"),
    ("02028010047", "Olav Haugen", "H-0002", "Åmotsvegen 3"),
    ("02028010128", "Ingrid Haugen", "H-0002", "Åmotsvegen 3"),
]

RESIDENTS_ONLY = [BookerKind.RESIDENT]

_CABIN_TEXT = (
    "Kommunen si høgfjellshytte for innbyggjarane, med jakt, fiske og friluftsliv rett "
    "utanfor døra. Straum frå solcelle, ved til omnen, vatn frå bekken."
)

CABINS: list[dict[str, Any]] = [
    {
        "slug": "bjaavasshytta",
        "name": "Bjåvasshytta",
        "location": "Bjåvatn, Haukeli",
        "capacity": 6,
        "booking_unit": BookingUnit.NIGHT,
        "min_units": 2,
        "max_units": 7,
    },
    {
        "slug": "raudberg",
        "name": "Raudberg",
        "location": "Raudberg, Vinjesvingen",
        "capacity": 8,
        "booking_unit": BookingUnit.NIGHT,
        "min_units": 2,
        "max_units": 7,
    },
    {
        "slug": "kvanndalsbu",
        "name": "Kvanndalsbu",
        "location": "Kvanndalen, Rauland",
        "capacity": 4,
        "booking_unit": BookingUnit.NIGHT,
        "min_units": 1,
        "max_units": 5,
    },
    {
        "slug": "holmevassbu",
        "name": "Holmevassbu",
        "location": "Holmevatn, Haukeli",
        "capacity": 6,
        "booking_unit": BookingUnit.WEEK,
        "min_units": 1,
        "max_units": 2,
        "changeover_weekday": 4,
    },
    {
        "slug": "stavsro",
        "name": "Stavsro",
        "location": "Stavsro, Møsvatn",
        "capacity": 10,
        "booking_unit": BookingUnit.WEEK,
        "min_units": 1,
        "max_units": 1,
        "changeover_weekday": 4,
    },
    # Residents first (180 days ahead), others later (60 days ahead).
    {
        "slug": "fjellstoga",
        "name": "Fjellstoga",
        "location": "Haukelifjell",
        "capacity": 12,
        "booking_unit": BookingUnit.NIGHT,
        "min_units": 2,
        "max_units": 7,
        "eligible": [BookerKind.RESIDENT, BookerKind.NON_RESIDENT],
        "days_ahead_others": 60,
    },
]


@dataclass
class BookingDemoReport:
    resources: int
    residents: int
    bookings: int
    lotteries: int = 0


def _more_residents(count: int) -> list[tuple[str, str, str, str]]:
    """Households for the lotteries: valid fødselsnummer (checksums right) made from birth
    dates, so the draw has a few dozen entrants."""
    from stdnum.no import fodselsnummer

    made: list[tuple[str, str, str, str]] = []
    day = dt.date(1955, 3, 1)
    n = 0
    while len(made) < count:
        day += dt.timedelta(days=97)
        base = f"{day:%d%m%y}" + f"{(n * 37) % 500:03d}"
        n += 1
        for check in range(100):
            number = f"{base}{check:02d}"
            if fodselsnummer.is_valid(number):
                index = len(made) + 10
                made.append(
                    (number, f"Innbyggjar {index}", f"H-{index:04d}", f"Bygdevegen {index}")
                )
                break
    return made


def _unit() -> Unit:
    found = Unit.objects.filter(code="tenestetorget").first() or Unit.objects.order_by("id").first()
    if found is None:
        found = Unit.objects.create(code="tenestetorget", name="Tenestetorget")
    return found


def _price(resource: Resource, amounts: dict[str, str]) -> None:
    for kind, amount in amounts.items():
        Price.objects.get_or_create(
            resource=resource,
            booker_kind=kind,
            valid_from=dt.date(2026, 1, 1),
            defaults={"amount": Decimal(amount)},
        )


def _resources() -> list[Resource]:
    unit = _unit()
    made: list[Resource] = []
    for spec in CABINS:
        fields = {
            "kind": ResourceKind.CABIN,
            "unit": unit,
            "description": _CABIN_TEXT,
            "equipment": "Sengeplassar, gasskomfyr, vedomn, kano (sommar), isbor (vinter)",
            "terms": (
                "Hytta skal vaskast før avreise. Hundar er lov. Ingen røyking. "
                "Gratis avbestilling til 14 dagar før."
            ),
            "arrival_info": (
                "Nøkkelen hentar du på Tenestetorget (kommunehuset) i opningstida, eller i "
                "nøkkelboksen ved døra: kode blir send dagen før. Parkering ved vegen; siste "
                "kilometer til fots eller på ski."
            ),
            "eligible": RESIDENTS_ONLY,
            "days_ahead_residents": 180,
            "days_ahead_others": 180,
            "per_household_per_season": 3,
            "buffer_minutes": 0,
            "deposit": Decimal("500"),
            "free_cancellation_days": 14,
            "check_in": dt.time(15),
            "check_out": dt.time(12),
            "arrival_notice_days": 3,
            **{k: v for k, v in spec.items() if k not in ("slug",)},
        }
        resource, _created = Resource.objects.update_or_create(slug=spec["slug"], defaults=fields)
        week = spec["booking_unit"] == BookingUnit.WEEK
        _price(
            resource,
            {BookerKind.RESIDENT: "1800" if week else "350", BookerKind.NON_RESIDENT: "600"},
        )
        made.append(resource)
    rooms: list[dict[str, Any]] = [
        {
            "slug": "multimediarommet",
            "kind": ResourceKind.ROOM,
            "name": "Multimediarommet",
            "name_nb": "Multimediarommet",
            "name_en": "The multimedia room",
            "description": (
                "Møterom med videokonferanse, storskjerm, lydanlegg og 20 plassar. Ope for "
                "næringsliv, lag og foreiningar og fjernstudentar."
            ),
            "equipment": "Videokonferanse, 86-tommars skjerm, kamera, mikrofonar, kaffitrakter",
            "capacity": 20,
            "eligible": [
                BookerKind.BUSINESS,
                BookerKind.CLUB,
                BookerKind.STUDENT,
                BookerKind.RESIDENT,
            ],
            "prices": {
                BookerKind.BUSINESS: "400",
                BookerKind.CLUB: "0",
                BookerKind.STUDENT: "0",
                BookerKind.RESIDENT: "100",
            },
            "needs_approval": False,
        },
        {
            "slug": "studierom-1",
            "kind": ResourceKind.STUDY_ROOM,
            "name": "Studiesenteret, rom 1",
            "description": (
                "Lesesal med seks plassar, skrivar og roleg arbeidsro. Driven av Tenestetorget."
            ),
            "equipment": "Seks arbeidsplassar, skrivar, kvitetavle",
            "capacity": 6,
            "eligible": [BookerKind.STUDENT, BookerKind.RESIDENT],
            "prices": {BookerKind.STUDENT: "0", BookerKind.RESIDENT: "0"},
            "needs_approval": False,
        },
        {
            "slug": "studierom-2",
            "kind": ResourceKind.STUDY_ROOM,
            "name": "Studiesenteret, eksamensrom",
            "description": "Rom for digital eksamen med vakt. Må godkjennast av studiesenteret.",
            "equipment": "Éin arbeidsplass, kamera for vakt",
            "capacity": 1,
            "eligible": [BookerKind.STUDENT],
            "prices": {BookerKind.STUDENT: "0"},
            "needs_approval": True,
        },
    ]
    for spec in rooms:
        prices = spec.pop("prices")
        resource, _created = Resource.objects.update_or_create(
            slug=spec.pop("slug"),
            defaults={
                **spec,
                "unit": unit,
                "location": "Kommunehuset, Åmot",
                "terms": "Rydd etter deg. Avbestill seinast dagen før.",
                "booking_unit": BookingUnit.HOUR,
                "min_units": 1,
                "max_units": 8,
                "check_in": dt.time(8),
                "check_out": dt.time(22),
                "open_weekdays": [0, 1, 2, 3, 4, 5],
                "bookable_from_tomorrow": True,
                "days_ahead_residents": 240,
                "days_ahead_others": 240,
                "free_cancellation_days": 1,
                "arrival_notice_days": 1,
                "arrival_info": "Nøkkelkort får du i skranken på Tenestetorget.",
            },
        )
        _price(resource, prices)
        made.append(resource)
    flat, _created = Resource.objects.update_or_create(
        slug="provebustaden",
        defaults={
            "kind": ResourceKind.TRIAL_HOUSING,
            "name": "Prøvebustaden i Åmot",
            "name_en": "The trial home in Åmot",
            "unit": unit,
            "description": (
                "Møblert leilegheit med tre soverom for familiar som vurderer å flytte til "
                "kommunen. Bu her nokre månader, prøv skule, barnehage og arbeid, og bli "
                "kjend med bygda før de bestemmer dykk."
            ),
            "location": "Åmot sentrum",
            "capacity": 6,
            "equipment": "Møblert, kvitevarer, breiband",
            "terms": "Leigd ut etter søknad, for 1 til 12 månader.",
            "booking_unit": BookingUnit.MONTH,
            "min_units": 1,
            "max_units": 12,
            "eligible": [BookerKind.NON_RESIDENT],
            "check_in": dt.time(12),
            "check_out": dt.time(12),
        },
    )
    _price(flat, {BookerKind.NON_RESIDENT: "6500"})
    made.append(flat)
    return made


def _closed_days(today: dt.date) -> None:
    for year in (today.year, today.year + 1):
        for day, reason in (
            ((12, 24), "Julaftan"),
            ((12, 25), "1. juledag"),
            ((12, 31), "Nyttårsaftan"),
        ):
            ClosedDay.objects.get_or_create(
                resource=None, date=dt.date(year, *day), defaults={"reason": reason}
            )


def _friday_after(day: dt.date, weeks: int) -> dt.date:
    return day + dt.timedelta(days=(4 - day.weekday()) % 7 + 7 * weeks)


def _bookings(resources: dict[str, Resource], today: dt.date) -> int:
    made = 0
    kari = services.Booker(
        "Kari Nordbø",
        "kari.nordbo@example.no",
        BookerKind.RESIDENT,
        national_id=DEMO_RESIDENT_NATIONAL_ID,
    )
    olav = services.Booker(
        "Olav Haugen", "olav.haugen@example.no", BookerKind.RESIDENT, national_id="02028010047"
    )
    firm = services.Booker(
        "Siri Lie", "siri@fjellkraft.example.no", BookerKind.BUSINESS, organisation="Fjellkraft AS"
    )
    student = services.Booker("Jonas Berg", "jonas.berg@example.no", BookerKind.STUDENT)
    plan: list[tuple[str, dt.datetime, dt.datetime, services.Booker]] = []
    for weeks, slug, booker in (
        (1, "bjaavasshytta", kari),
        (3, "raudberg", olav),
        (5, "kvanndalsbu", kari),
    ):
        friday = _friday_after(today, weeks)
        start, end = span_for_dates(resources[slug], friday, friday + dt.timedelta(days=2))
        plan.append((slug, start, end, booker))
    friday = _friday_after(today, 2)
    start, end = span_for_dates(resources["holmevassbu"], friday, friday + dt.timedelta(days=7))
    plan.append(("holmevassbu", start, end, olav))
    tomorrow = today + dt.timedelta(days=1)
    while tomorrow.weekday() > 5:
        tomorrow += dt.timedelta(days=1)
    for hour, hours in ((9, 2), (13, 3)):
        start = dt.datetime.combine(tomorrow, dt.time(hour), tzinfo=OSLO)
        plan.append(("multimediarommet", start, start + dt.timedelta(hours=hours), firm))
    exam = tomorrow + dt.timedelta(days=7)
    while exam.weekday() > 4:
        exam += dt.timedelta(days=1)
    start = dt.datetime.combine(exam, dt.time(9), tzinfo=OSLO)
    plan.append(("studierom-2", start, start + dt.timedelta(hours=4), student))
    for slug, start, end, booker in plan:
        try:
            services.book(resources[slug], start, end, booker)
            made += 1
        except BookingRefused:
            continue  # a closed day or a clash in this year's calendar: the demo goes on
    # Maintenance of Stavsro in two weeks.
    friday = _friday_after(today, 2)
    with contextlib.suppress(BookingRefused):
        services.block(
            resources["stavsro"],
            *span_for_dates(resources["stavsro"], friday, friday + dt.timedelta(days=7)),
            reason="Nytt tak",
            by=None,
        )
    return made


def load_booking_demo(today: dt.date | None = None) -> BookingDemoReport:
    """Idempotent for the resources and the register; the bookings are made once."""
    today = today or timezone.localdate()
    with transaction.atomic():
        resources = {r.slug: r for r in _resources()}
        _closed_days(today)
        people = DEMO_RESIDENTS + _more_residents(30)
        csv = "fodselsnummer;namn;husstand;adresse\n" + "\n".join(";".join(r) for r in people)
        imported = residency.import_register(csv).imported
        from tenestetorget.booking.models import Booking

        made = 0
        if not Booking.objects.exists():
            made = _bookings(resources, today)
        lotteries = 0
        if not Lottery.objects.exists():
            lotteries = _lotteries(resources, people, today)
            _trial_housing(resources["provebustaden"], today)
    return BookingDemoReport(len(resources), imported, made, lotteries)


def _easter_after(day: dt.date) -> dt.date:
    year = day.year
    while easter(year) < day + dt.timedelta(days=45):
        year += 1
    return easter(year)


def _lotteries(
    resources: dict[str, Resource], people: list[tuple[str, str, str, str]], today: dt.date
) -> int:
    """An Easter draw open for entries now, and a winter-holiday draw already drawn (its
    protocol and waiting list to look at)."""
    now = timezone.now()
    sunday = _easter_after(today)
    wednesday, monday = sunday - dt.timedelta(days=4), sunday + dt.timedelta(days=1)
    cabins = ("bjaavasshytta", "raudberg", "kvanndalsbu")
    periods = [
        (resources[slug], *span_for_dates(resources[slug], wednesday, monday)) for slug in cabins
    ]
    easter_draw = lottery.create_lottery(
        name=f"Påske {sunday.year}",
        opens_at=now - dt.timedelta(days=1),
        closes_at=min(now + dt.timedelta(days=21), periods[0][1] - dt.timedelta(days=14)),
        periods=periods,
    )
    ids = [p.pk for p in easter_draw.periods.order_by("id")]
    for number, name, household, _address in people[3:9]:
        lottery.enter(
            easter_draw,
            name=name,
            email=f"{household.lower()}@example.no",
            national_id=number,
            wishes=ids[:2] if household.endswith(("0", "2", "4")) else ids[::-1],
        )
    # The winter holiday (week 8) next year: drawn yesterday.
    year = today.year + 1
    friday = dt.date.fromisocalendar(year, 8, 5)
    weeks = [
        (resources[slug], *span_for_dates(resources[slug], friday, friday + dt.timedelta(days=7)))
        for slug in ("holmevassbu", "stavsro")
    ]
    opened, closed = now - dt.timedelta(days=30), now - dt.timedelta(days=1)
    winter = lottery.create_lottery(
        name=f"Vinterferie {year}", opens_at=opened, closes_at=closed, periods=weeks
    )
    week_ids = [p.pk for p in winter.periods.order_by("id")]
    for number, name, household, _address in people[3:20]:
        lottery.enter(
            winter,
            name=name,
            email=f"{household.lower()}@example.no",
            national_id=number,
            wishes=week_ids,
            now=opened + dt.timedelta(days=1),
        )
    lottery.draw(winter, seed="vinterferie-demo", now=now)
    return 2


def _trial_housing(flat: Resource, today: dt.date) -> None:
    trial_housing.apply(
        resource=flat,
        name="Familien Verhoeven",
        email="verhoeven@example.nl",
        household="To vaksne og to born (6 og 9 år)",
        reason=(
            "Vi vurderer å flytte frå Utrecht. Han er sjukepleiar, ho arbeider på nett; vi vil "
            "prøve skulen og bygda ein vinter før vi bestemmer oss."
        ),
        wanted_from=today + dt.timedelta(days=60),
        wanted_months=4,
        language="en",
    )
