"""Seeded generator of the demo municipality's history: two years of inquiries.

The history follows a small mountain municipality's year: snowmobile permits from December to
April, cabin owners in the winter holidays, at Easter and in summer, building applications in
spring, property-tax bills in February, kindergarten admission before 1 March. Weekdays are
busy, weekends quiet. Each inquiry gets a plausible path through the service: resolved at the
first line, or registered, forwarded and acknowledged or taken, noted, paused for the sender,
given an interim reply, answered (mostly in time, some late), now and then reopened and
answered again, with its timeline events, handovers and outgoing messages. The last weeks
hold open work, some of it overdue, and a few handovers nobody acknowledged.

Everything is written in batches inside one transaction, as bulk inserts (see _Writer); the
per-inquiry services would take minutes for 20,000 inquiries. What the services decide is not
copied here but asked of the same functions (see _Timeline):

* times and dates from the core calendar (`WorkingCalendar`: due dates, working days, office
  hours), remembered where the same question comes back;
* every status change from the status machine (`transitions.next_status`), so the demo can
  never write a path the product refuses;
* the guarantee clock from `contact.clock`, fed the timeline's events as they are written and
  stored on the row with `services.store_clock`: the promise extended by the working time
  spent waiting for the sender, kept or not, the date an interim reply named; one
  GuaranteeOutcome per settled round, as the services write it;
* the sender as the inquiry keeps it (`services.clean_sender` and `services.sender_snapshot`),
  the guarantee and its working days (`organisation.selectors`), and the messages from
  `messaging.render_message` with the real templates.

The events are the ones the services (and the handover job in contact.notifications) write,
with the same data; references are year-sequence numbers from the same number series (so
inquiries registered later continue it). demo/tests/test_history_rules.py holds the history to
all of this. The same seed and the same "now" give the same data.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from operator import attrgetter
from types import SimpleNamespace
from typing import Any, cast

from dateutil.easter import easter
from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Count, F, Max, Model
from django.utils import timezone, translation
from django.utils.formats import date_format

from tenestetorget.contact import clock, messaging, services, transitions
from tenestetorget.contact.models import (
    OPEN_STATUSES,
    EventKind,
    GuaranteeOutcome,
    Handover,
    Inquiry,
    InquiryEvent,
    MessageKind,
    MessageStatus,
    OutgoingMessage,
    Sender,
    SenderKind,
    Status,
)
from tenestetorget.contact.selectors import handover_cutoff
from tenestetorget.contact.senders import normalise_phone
from tenestetorget.contact.transitions import Action
from tenestetorget.core.calendar import OSLO, WorkingCalendar, calendar_from_settings, to_local
from tenestetorget.core.identifiers import validate_orgnr
from tenestetorget.core.models import NumberSeries
from tenestetorget.core.numbering import format_reference
from tenestetorget.demo import texts
from tenestetorget.organisation.models import Channel, Queue, Role, ServiceGuarantee, StaffProfile
from tenestetorget.organisation.selectors import answer_working_days, guarantee_for

DEFAULT_COUNT = 22_000
DEFAULT_SEED = 1_850  # the year Vinje got its first municipal council; any fixed number does
DEFAULT_DAYS = 730
BATCH_SIZE = 2_000
SERIES = "inquiry"

# --- the shape of a year -------------------------------------------------------------------------

#: Share of the yearly volume per queue (relative numbers).
BASE_SHARE: dict[str, float] = {
    "faktura": 9, "byggjesak": 8, "renovasjon": 7, "vatn_avlop": 6, "veg": 6, "helse": 6,
    "motorferdsel": 5, "ekstern": 5, "eigedomsskatt": 4, "utleige": 4, "skule": 4,
    "kultur": 4, "brann": 4, "barnehage": 3, "oppmaling": 3, "kommunale_bygg": 3,
    "plan": 2.5, "landbruk": 2.5, "vilt_fiske": 2.5, "personal": 2.5, "innsyn": 2.5,
    "alkohol": 1.5, "tomter": 1.5, "naering": 1.5, "politikk": 1.5,
}  # fmt: skip

#: Relative volume per month, January to December (normalised to a mean of 1 when used).
SEASON: dict[str, tuple[float, ...]] = {
    # snowmobiles: December to April, peak January to March
    "motorferdsel": (2.4, 2.8, 2.6, 1.5, 0.25, 0.1, 0.1, 0.1, 0.15, 0.3, 0.8, 1.7),
    # building season: March to June
    "byggjesak": (0.6, 0.7, 1.3, 1.7, 1.7, 1.5, 0.7, 1.0, 1.1, 1.0, 0.8, 0.5),
    # the property-tax bill goes out in February
    "eigedomsskatt": (0.5, 3.2, 2.6, 0.9, 0.6, 0.4, 0.3, 0.4, 0.5, 0.6, 0.5, 0.4),
    # kindergarten admission: the deadline is 1 March, offers in April
    "barnehage": (0.8, 2.3, 2.0, 1.5, 1.0, 0.8, 0.4, 1.3, 1.0, 0.7, 0.6, 0.5),
    "renovasjon": (1.2, 1.4, 1.1, 1.3, 0.9, 1.0, 1.3, 1.2, 0.8, 0.8, 0.7, 1.2),
    "vatn_avlop": (1.2, 1.1, 1.0, 1.1, 1.0, 1.1, 1.2, 1.1, 0.9, 0.9, 0.9, 1.2),
    # snow clearing in winter, potholes in spring
    "veg": (1.8, 1.7, 1.3, 1.1, 1.3, 0.7, 0.5, 0.5, 0.6, 0.8, 1.0, 1.6),
    "utleige": (1.2, 1.5, 1.5, 1.2, 0.9, 1.2, 1.0, 0.8, 0.8, 0.8, 0.9, 1.3),
    # municipal fees are billed in February, May, August and November
    "faktura": (1.0, 1.6, 1.2, 0.8, 1.5, 0.8, 0.6, 1.5, 0.9, 0.8, 1.5, 0.8),
    # sweeping and fire inspections in the snow-free season, fireworks in December
    "brann": (0.7, 0.6, 0.7, 1.0, 1.2, 1.4, 1.2, 1.1, 1.0, 0.9, 0.8, 1.3),
    "landbruk": (0.8, 0.9, 1.3, 1.1, 1.0, 0.9, 0.6, 0.9, 1.0, 1.4, 1.0, 0.7),
    # hunting in the autumn, fishing in summer
    "vilt_fiske": (0.5, 0.5, 0.6, 0.7, 1.0, 1.3, 1.4, 1.6, 1.9, 1.3, 0.7, 0.5),
    "skule": (1.0, 1.1, 1.1, 1.2, 1.4, 1.3, 0.4, 1.7, 1.2, 0.9, 0.9, 0.8),
    "helse": (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.8, 1.0, 1.1, 1.3, 1.1, 1.0),
    "kultur": (1.1, 1.2, 1.2, 1.0, 1.0, 0.8, 0.6, 1.1, 1.3, 1.1, 1.0, 1.0),
    "politikk": (0.8, 1.1, 1.1, 1.0, 1.1, 1.2, 0.3, 0.7, 1.2, 1.1, 1.2, 1.2),
    "personal": (1.0, 1.2, 1.4, 1.3, 1.1, 0.9, 0.5, 1.1, 1.0, 1.0, 0.9, 0.8),
    # surveying needs bare ground
    "oppmaling": (0.4, 0.4, 0.7, 1.1, 1.6, 1.7, 1.0, 1.5, 1.4, 1.0, 0.7, 0.4),
    "alkohol": (0.8, 0.8, 1.2, 1.0, 1.3, 1.5, 1.1, 0.8, 0.9, 0.9, 1.1, 1.5),
    "tomter": (0.8, 0.9, 1.2, 1.3, 1.3, 1.1, 0.8, 1.0, 1.1, 1.0, 0.8, 0.6),
    # the tax return comes in March/April
    "ekstern": (1.0, 1.0, 1.2, 1.5, 1.1, 0.9, 0.8, 0.9, 1.0, 1.0, 1.0, 0.9),
}

#: How strongly a queue follows the cabin seasons (exponent on the cabin factor).
CABIN_SENSITIVITY: dict[str, float] = {
    "motorferdsel": 1.0, "renovasjon": 0.8, "utleige": 0.7, "vatn_avlop": 0.6, "veg": 0.5,
    "brann": 0.3, "eigedomsskatt": 0.2,
}  # fmt: skip

#: Weekday channel mix, before the per-queue tilt.
CHANNEL_BASE: dict[str, float] = {
    Channel.PHONE: 44, Channel.EMAIL: 27, Channel.WEBFORM: 13, Channel.COUNTER: 10,
    Channel.LETTER: 3.5, Channel.SOCIAL: 2.5,
}  # fmt: skip
#: Weekends and holidays: nobody answers the phone, the post is not opened.
CHANNEL_OFF_DAY: dict[str, float] = {Channel.EMAIL: 55, Channel.WEBFORM: 33, Channel.SOCIAL: 12}
CHANNEL_TILT: dict[str, dict[str, float]] = {
    "byggjesak": {"webform": 2.0, "email": 1.3, "letter": 2.0, "counter": 1.2, "phone": 0.8},
    "plan": {"email": 1.8, "letter": 3.0, "phone": 0.6, "social": 1.5},
    "oppmaling": {"email": 1.4, "letter": 1.5},
    "innsyn": {"email": 3.0, "webform": 1.5, "phone": 0.3, "counter": 0.5, "letter": 1.5},
    "motorferdsel": {"webform": 2.5, "phone": 0.9, "counter": 0.6},
    "alkohol": {"email": 1.5, "webform": 1.5, "letter": 1.5},
    "personal": {"email": 2.5, "phone": 0.6, "letter": 0.5},
    "politikk": {"email": 1.6, "social": 2.0},
    "veg": {"phone": 1.4, "social": 2.5, "email": 0.8},
    "renovasjon": {"phone": 1.3, "social": 1.5},
    "ekstern": {"phone": 1.4, "counter": 1.5},
    "helse": {"phone": 1.5, "email": 0.5, "webform": 0.8},
    "faktura": {"phone": 1.2, "email": 1.1},
    "eigedomsskatt": {"letter": 2.0, "email": 1.2},
    "landbruk": {"letter": 1.5, "webform": 1.5},
    "barnehage": {"webform": 1.8},
    "skule": {"webform": 1.3},
    "kultur": {"email": 1.2, "social": 1.5, "counter": 1.2},
}

#: Probability of first-line resolution per channel, and a per-queue factor.
FIRST_LINE_CHANNEL: dict[str, float] = {
    Channel.PHONE: 0.50, Channel.COUNTER: 0.52, Channel.EMAIL: 0.14, Channel.WEBFORM: 0.08,
    Channel.LETTER: 0.02, Channel.SOCIAL: 0.35,
}  # fmt: skip
FIRST_LINE_QUEUE: dict[str, float] = {
    "motorferdsel": 1.3, "utleige": 1.4, "renovasjon": 1.2, "faktura": 1.1, "ekstern": 1.6,
    "kultur": 1.1, "alkohol": 0.8, "byggjesak": 0.4, "plan": 0.3, "oppmaling": 0.5,
    "innsyn": 0.2, "landbruk": 0.5, "personal": 0.6, "politikk": 0.8, "helse": 0.6,
    "barnehage": 0.8, "skule": 0.8, "eigedomsskatt": 0.8, "vatn_avlop": 0.8, "veg": 0.9,
    "brann": 0.8, "kommunale_bygg": 0.6, "vilt_fiske": 0.9, "naering": 0.6,
}  # fmt: skip

#: Share of answers given after the promised date, per queue (default 7 %).
LATE_RATE: dict[str, float] = {
    "byggjesak": 0.18, "plan": 0.15, "oppmaling": 0.15, "eigedomsskatt": 0.12,
    "landbruk": 0.12, "personal": 0.10, "kommunale_bygg": 0.10, "innsyn": 0.05,
    "utleige": 0.04, "motorferdsel": 0.06,
}  # fmt: skip
LATE_EXTRA_DAYS = (1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 7, 10)
#: Queues where a late answer usually comes with a førebels svar (fvl. § 11 a).
SLOW_QUEUES = {"byggjesak", "plan", "oppmaling", "eigedomsskatt", "landbruk", "personal"}
#: Share of answered inquiries the sender comes back to: reopened, a second round.
REOPEN_RATE = 0.015

#: Where a first, wrong routing of a written inquiry tends to land.
CONFUSABLE: dict[str, tuple[str, ...]] = {
    "byggjesak": ("plan", "oppmaling"), "plan": ("byggjesak",),
    "oppmaling": ("byggjesak", "plan"), "faktura": ("eigedomsskatt", "renovasjon", "vatn_avlop"),
    "eigedomsskatt": ("faktura",), "vatn_avlop": ("faktura", "veg"), "veg": ("ekstern",),
    "renovasjon": ("faktura",), "ekstern": ("veg",), "motorferdsel": ("vilt_fiske", "utleige"),
    "vilt_fiske": ("landbruk", "motorferdsel"), "landbruk": ("vilt_fiske", "oppmaling"),
    "utleige": ("kommunale_bygg", "kultur"), "kommunale_bygg": ("utleige",),
    "kultur": ("naering", "utleige"), "naering": ("kultur", "tomter"),
    "tomter": ("naering", "oppmaling"), "barnehage": ("skule",), "skule": ("barnehage",),
    "innsyn": ("politikk", "byggjesak"), "politikk": ("innsyn",), "personal": ("politikk",),
    "helse": ("ekstern",), "brann": ("byggjesak",), "alkohol": ("naering",),
}  # fmt: skip

#: Who usually works a queue (usernames from organisation.yaml). Missing users fall back to
#: the queue's unit, then to the front desk.
QUEUE_HANDLERS: dict[str, tuple[str, ...]] = {
    "byggjesak": ("byggjesak", "tone", "eirik", "byggjesak", "tone", "eirik", "sveinung"),
    "oppmaling": ("oppmaling",), "plan": ("sveinung", "oppmaling", "sveinung"),
    "vatn_avlop": ("teknisk", "teknisk", "tor"), "veg": ("hege", "hege", "tor"),
    "renovasjon": ("hege", "teknisk"), "kommunale_bygg": ("tor", "teknisk"),
    "motorferdsel": ("torleiv", "torleiv", "tenestetorget"), "alkohol": ("torleiv",),
    "utleige": ("gunhild", "gunhild", "ingrid"), "tomter": ("gunhild", "margit"),
    "innsyn": ("ragnhild",), "politikk": ("politikk",), "personal": ("politikk", "admin"),
}  # fmt: skip
FRONT_DESK_UNITS = ("tenestetorget", "ekstern")

SENDER_KINDS = (
    SenderKind.RESIDENT, SenderKind.CABIN_OWNER, SenderKind.BUSINESS, SenderKind.CLUB,
    SenderKind.PUBLIC_BODY,
)  # fmt: skip
SENDER_MIX: dict[str, tuple[float, float, float, float, float]] = {
    "byggjesak": (45, 35, 17, 1, 2), "plan": (40, 25, 25, 5, 5), "oppmaling": (45, 35, 15, 0, 5),
    "motorferdsel": (30, 55, 12, 3, 0), "alkohol": (10, 2, 73, 15, 0),
    "tomter": (60, 25, 15, 0, 0), "utleige": (70, 10, 5, 15, 0), "faktura": (55, 35, 9, 1, 0),
    "eigedomsskatt": (45, 45, 8, 2, 0), "vatn_avlop": (50, 40, 10, 0, 0),
    "veg": (60, 30, 5, 3, 2), "renovasjon": (45, 45, 10, 0, 0),
    "kommunale_bygg": (85, 0, 5, 5, 5), "brann": (55, 35, 10, 0, 0),
    "landbruk": (75, 5, 10, 8, 2), "vilt_fiske": (55, 25, 5, 12, 3),
    "barnehage": (97, 0, 0, 0, 3), "skule": (95, 0, 0, 2, 3), "helse": (95, 3, 0, 0, 2),
    "kultur": (55, 15, 5, 25, 0), "naering": (20, 5, 70, 5, 0), "politikk": (70, 10, 5, 8, 7),
    "personal": (95, 2, 0, 0, 3), "innsyn": (40, 15, 25, 5, 15), "ekstern": (70, 25, 5, 0, 0),
}  # fmt: skip
DEFAULT_SENDER_MIX = (70, 20, 5, 3, 2)
LANGUAGE_MIX: dict[str, tuple[tuple[str, float], ...]] = {
    SenderKind.RESIDENT: (("nn", 0.84), ("nb", 0.13), ("en", 0.03)),
    SenderKind.CABIN_OWNER: (("nb", 0.72), ("nn", 0.20), ("en", 0.08)),
    SenderKind.BUSINESS: (("nn", 0.55), ("nb", 0.43), ("en", 0.02)),
    SenderKind.CLUB: (("nn", 0.85), ("nb", 0.15)),
    SenderKind.PUBLIC_BODY: (("nn", 0.5), ("nb", 0.5)),
}

OFFICE_HOURS = (
    (8, 1.0),
    (9, 1.6),
    (10, 1.5),
    (11, 1.2),
    (12, 0.9),
    (13, 1.2),
    (14, 1.0),
    (15, 0.4),
)
ONLINE_HOURS = (
    0.15, 0.08, 0.05, 0.04, 0.04, 0.08, 0.3, 0.7, 1.2, 1.4, 1.4, 1.3,
    1.2, 1.3, 1.3, 1.2, 1.0, 0.9, 0.9, 1.0, 1.1, 1.0, 0.7, 0.35,
)  # fmt: skip
OFFICE_CHANNELS = (Channel.PHONE, Channel.COUNTER, Channel.LETTER)


def _mean_one(values: Sequence[float]) -> tuple[float, ...]:
    mean = sum(values) / len(values)
    return tuple(v / mean for v in values)


_SEASON = {code: _mean_one(values) for code, values in SEASON.items()}


def cabin_factor(day: dt.date) -> float:
    """How many more cabin owners are around: winter holidays, Easter, summer, Christmas."""
    e = easter(day.year)
    if e - dt.timedelta(days=9) <= day <= e + dt.timedelta(days=1):
        return 2.0
    week = day.isocalendar().week
    if week in (8, 9):
        return 1.8
    if (day.month, day.day) >= (12, 21) or (day.month, day.day) <= (1, 2):
        return 1.6
    if dt.date(day.year, 6, 24) <= day <= dt.date(day.year, 8, 12):
        return 1.5
    if week in (40, 41):
        return 1.25
    return 1.0


def day_factor(day: dt.date, cal: WorkingCalendar) -> float:
    """The day's share of traffic: Mondays busiest, weekends and holidays quiet."""
    if cal.is_working_day(day):
        factor = (1.2, 1.05, 1.0, 1.0, 0.85)[day.weekday()]
    elif day.weekday() == 5:
        factor = 0.10
    elif day.weekday() == 6:
        factor = 0.08
    else:  # a public holiday or closed day on a weekday
        factor = 0.12
    if day.month == 7:
        factor *= 0.75
    if (day.month, day.day) >= (12, 22) or (day.month, day.day) <= (1, 2):
        factor *= 0.75
    return factor


# --- arrivals ------------------------------------------------------------------------------------


@dataclass(slots=True)
class Arrival:
    """When an inquiry came in, through which channel, and where it belongs."""

    received: dt.datetime
    queue: str
    channel: str


def _cum(weights: Sequence[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def _channel_weights(queue: str, working: bool) -> tuple[list[str], list[float]]:
    base = CHANNEL_BASE if working else CHANNEL_OFF_DAY
    tilt = CHANNEL_TILT.get(queue, {})
    channels = list(base)
    return channels, _cum([base[c] * tilt.get(str(c), 1.0) for c in channels])


def _time_on(rng: random.Random, day: dt.date, channel: str, working: bool) -> dt.datetime:
    if working and channel == Channel.LETTER:
        # The post is opened and registered in the morning.
        minute = rng.randrange(8 * 60, 11 * 60)
    elif working and channel in (Channel.PHONE, Channel.COUNTER):
        hour = rng.choices(OFFICE_HOURS, cum_weights=_OFFICE_CUM)[0][0]
        minute = hour * 60 + rng.randrange(30 if hour == 15 else 60)
    else:
        hour = rng.choices(range(24), cum_weights=_ONLINE_CUM)[0]
        minute = hour * 60 + rng.randrange(60)
    return dt.datetime.combine(
        day, dt.time(minute // 60, minute % 60, rng.randrange(60)), tzinfo=OSLO
    )


_OFFICE_CUM = _cum([w for _, w in OFFICE_HOURS])
_ONLINE_CUM = _cum(ONLINE_HOURS)


def plan_arrivals(
    rng: random.Random,
    *,
    count: int,
    now: dt.datetime,
    days: int,
    queues: Sequence[str],
    cal: WorkingCalendar | None = None,
) -> list[Arrival]:
    """`count` arrivals over the `days` days up to `now`, sorted by time, following the
    seasons, the weekdays and the cabin holidays. Pure: no database."""
    cal = cal or calendar_from_settings()
    local_now = to_local(now)
    today = local_now.date()
    first = today - dt.timedelta(days=days - 1)
    day_list = [first + dt.timedelta(days=i) for i in range(days)]
    working = {day: cal.is_working_day(day) for day in day_list}
    weights: list[float] = []
    cells: list[tuple[dt.date, str]] = []
    open_at = dt.datetime.combine(today, cal.opening, tzinfo=OSLO)
    close_at = dt.datetime.combine(today, cal.closing, tzinfo=OSLO)
    elapsed_today = min(1.0, max(0.03, (local_now - open_at) / (close_at - open_at)))
    for day in day_list:
        factor = day_factor(day, cal) * (elapsed_today if day == today else 1.0)
        cabins = cabin_factor(day)
        for code in queues:
            season = _SEASON.get(code)
            weight = BASE_SHARE.get(code, 1.0) * factor
            if season is not None:
                weight *= season[day.month - 1]
            sensitivity = CABIN_SENSITIVITY.get(code)
            if sensitivity:
                weight *= cabins**sensitivity
            cells.append((day, code))
            weights.append(weight)
    picks = rng.choices(range(len(cells)), cum_weights=_cum(weights), k=count)
    channel_tables = {
        (code, flag): _channel_weights(code, flag) for code in queues for flag in (True, False)
    }
    arrivals = []
    for pick in picks:
        day, code = cells[pick]
        flag = working[day]
        channels, cum = channel_tables[(code, flag)]
        channel = rng.choices(channels, cum_weights=cum)[0]
        received = _time_on(rng, day, channel, flag)
        if received >= local_now:
            # Today, later than now: it came in by e-mail earlier today instead.
            if channel in OFFICE_CHANNELS:
                channel = Channel.EMAIL
            start = dt.datetime.combine(day, dt.time(0, 0), tzinfo=OSLO)
            received = start + (local_now - start) * rng.random()
        arrivals.append(Arrival(received=received, queue=code, channel=str(channel)))
    arrivals.sort(key=lambda a: a.received)
    return arrivals


def make_slots(
    rng: random.Random, received: dt.datetime, language: str, name: str, org: str
) -> dict[str, Any]:
    """Values for the slots in the text templates, for one inquiry."""
    local = to_local(received).date()
    ahead = local + dt.timedelta(days=rng.randrange(7, 60))
    if language == "en":
        date = f"{ahead.day} {texts.MONTHS_EN[ahead.month - 1]}"
        month = texts.MONTHS_EN[ahead.month - 1]
    else:
        date = f"{ahead.day}. {texts.MONTHS_NO[ahead.month - 1]}"
        month = texts.MONTHS_NO[ahead.month - 1]
    return {
        "place": rng.choice(texts.PLACES),
        "cabin_area": rng.choice(texts.CABIN_AREAS),
        "lake": rng.choice(texts.LAKES),
        "road": rng.choice(texts.ROADS),
        "nr": rng.randrange(1, 41),
        "gnr": rng.randrange(1, 161),
        "bnr": rng.randrange(1, 261),
        "date": date,
        "date_month": month,
        "week": ahead.isocalendar().week,
        "week_past": (local - dt.timedelta(days=rng.randrange(7, 21))).isocalendar().week,
        "year": ahead.year,
        "year_prev": local.year - rng.randrange(1, 6),
        "mountain_cabin": rng.choice(texts.MOUNTAIN_CABINS),
        "child": rng.choice(texts.FIRST_NAMES_F + texts.FIRST_NAMES_M),
        "school": rng.choice(texts.SCHOOLS),
        "kindergarten": rng.choice(texts.KINDERGARTENS),
        "org": org,
        "name": name,
        "amount": f"{rng.randrange(6, 240) * 100:,}".replace(",", " "),
        "invoice": rng.randrange(2_100_000, 2_999_999),
        "ref": f"{local.year - rng.randrange(0, 4)}/{rng.randrange(10, 2400)}",
        "plot": rng.choice(texts.PLOTS),
    }


# --- senders -------------------------------------------------------------------------------------


def _ascii(value: str) -> str:
    value = value.lower().replace("æ", "ae").replace("ø", "o").replace("å", "aa")
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return "".join(ch if ch.isalnum() or ch in ".-" else "" for ch in value.replace(" ", "."))


def make_orgnr(rng: random.Random) -> str:
    """A 9-digit organisasjonsnummer with a valid mod-11 check digit (synthetic)."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    while True:
        digits = [rng.choice((8, 9))] + [rng.randrange(10) for _ in range(7)]
        check = 11 - sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if check == 10:
            continue
        number = "".join(map(str, digits)) + str(0 if check == 11 else check)
        return validate_orgnr(number)


def _mobile(rng: random.Random) -> str:
    return f"{rng.choice('49')}{rng.randrange(10**7):07d}"


@dataclass(slots=True)
class _Person:
    name: str
    email: str
    phone: str
    kind: str
    language: str
    organisation_number: str = ""
    sender_id: int | None = None

    @property
    def is_organisation(self) -> bool:
        return self.kind in (SenderKind.BUSINESS, SenderKind.CLUB, SenderKind.PUBLIC_BODY)


class _SenderPools:
    """People and organisations who write to the municipality; some write often."""

    def __init__(self, rng: random.Random, count: int) -> None:
        self.rng = rng
        sizes = {
            SenderKind.RESIDENT: max(120, count // 8),
            SenderKind.CABIN_OWNER: max(100, count // 10),
            SenderKind.BUSINESS: max(25, count // 150),
            SenderKind.CLUB: max(15, count // 400),
            SenderKind.PUBLIC_BODY: len(texts.PUBLIC_BODIES),
        }
        self.pools: dict[str, list[_Person]] = {}
        self.cum: dict[str, list[float]] = {}
        used_names: set[str] = set()
        for kind, size in sizes.items():
            people = [self._make(kind, i, used_names) for i in range(size)]
            self.pools[kind] = people
            # Zipf-like: a few senders (contractors, clubs, a busy neighbour) write often.
            self.cum[kind] = _cum([1 / (i + 3) ** 0.75 for i in range(size)])

    def pick(self, kind: str) -> _Person:
        return self.rng.choices(self.pools[kind], cum_weights=self.cum[kind])[0]

    def _language(self, kind: str) -> str:
        mix = LANGUAGE_MIX[kind]
        return self.rng.choices([lang for lang, _ in mix], weights=[w for _, w in mix])[0]

    def person_name(self, local: float) -> tuple[str, str]:
        rng = self.rng
        first = rng.choice(texts.FIRST_NAMES_F if rng.random() < 0.5 else texts.FIRST_NAMES_M)
        surnames = texts.LOCAL_SURNAMES if rng.random() < local else texts.NATIONAL_SURNAMES
        last = rng.choice(surnames)
        if rng.random() < 0.08:
            last = f"{rng.choice(texts.LOCAL_SURNAMES + texts.NATIONAL_SURNAMES)} {last}"
        return first, f"{first} {last}"

    def _email_for(self, first: str, name: str, foreign: bool = False) -> str:
        rng = self.rng
        parts = _ascii(name).split(".")
        first_a, last_a = parts[0], parts[-1]
        domain = rng.choice(texts.FOREIGN_DOMAINS if foreign else texts.EMAIL_DOMAINS)
        local = rng.choice(
            (
                f"{first_a}.{last_a}",
                f"{first_a}{last_a}",
                f"{first_a[0]}{last_a}",
                f"{first_a}.{last_a}{rng.randrange(1, 99)}",
                f"{first_a}{rng.randrange(50, 99)}",
            )
        )
        return f"{local}@{domain}"

    def _make(self, kind: str, index: int, used: set[str]) -> _Person:
        rng = self.rng
        language = self._language(kind)
        if kind in (SenderKind.RESIDENT, SenderKind.CABIN_OWNER):
            if language == "en":
                name = rng.choice(texts.FOREIGN_NAMES)
                email = self._email_for(name.split()[0], name, foreign=True)
                phone = "" if rng.random() < 0.7 else _mobile(rng)
                return _Person(name, email, phone, kind, language)
            local = 0.8 if kind == SenderKind.RESIDENT else 0.2
            first, name = self.person_name(local)
            has_email = rng.random() < (0.75 if kind == SenderKind.RESIDENT else 0.92)
            email = self._email_for(first, name) if has_email else ""
            phone = _mobile(rng) if (not email or rng.random() < 0.95) else ""
            return _Person(name, email, phone, kind, language)
        if language == "en":
            language = "nb"
        if kind == SenderKind.PUBLIC_BODY:
            name = texts.PUBLIC_BODIES[index % len(texts.PUBLIC_BODIES)]
            slug = _ascii(name).replace(".", "")[:30]
            return _Person(
                name, f"postmottak@{slug}.no", f"{rng.choice('2367')}{rng.randrange(10**7):07d}",
                kind, language, make_orgnr(rng),
            )  # fmt: skip
        for _ in range(50):
            if kind == SenderKind.BUSINESS:
                if rng.random() < 0.04:
                    name = rng.choice(texts.MEDIA)
                elif rng.random() < 0.3:
                    name = f"{rng.choice(texts.LOCAL_SURNAMES)} {rng.choice(texts.BUSINESS_TYPES)}"
                else:
                    name = f"{rng.choice(texts.BUSINESS_STEMS)} {rng.choice(texts.BUSINESS_TYPES)}"
            else:
                name = rng.choice(texts.CLUB_PATTERNS).format(
                    place=rng.choice(texts.PLACES),
                    area=rng.choice(texts.CABIN_AREAS),
                    lake=rng.choice(texts.LAKES),
                )
            if name not in used:
                break
        used.add(name)
        slug = _ascii(name).replace(".", "").replace("-", "")[:30]
        if kind == SenderKind.BUSINESS:
            email = f"post@{slug.removesuffix('as')}.no"
            phone = f"35{rng.randrange(10**6):06d}" if rng.random() < 0.7 else _mobile(rng)
            orgnr = make_orgnr(rng) if rng.random() < 0.85 else ""
        else:
            email = f"post@{slug}.no" if rng.random() < 0.4 else f"{slug}@gmail.com"
            phone = _mobile(rng)
            orgnr = make_orgnr(rng) if rng.random() < 0.7 else ""
        return _Person(name, email, phone, kind, language, orgnr)


# --- the simulation ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Basics:
    """What is decided for every arrival before the detailed simulation."""

    person: _Person
    reg_queue: str
    first_line: bool
    forward: bool
    misrouted: bool
    fate: str = "normal"


Row = dict[str, Any]


@dataclass(slots=True)
class _Event:
    kind: str
    actor_id: int | None
    at: dt.datetime
    text: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    # The handover or message row whose id goes into `data` once it has one.
    ref: Row | None = None
    ref_key: str = ""


@dataclass
class _Built:
    inquiry: Row
    events: list[_Event]
    handovers: list[Row]
    messages: list[Row]
    outcomes: list[Row]


class _Fields:
    """A row dict seen as an inquiry, so messaging.render_message can read from it."""

    __slots__ = ("_row", "queue")

    def __init__(self, row: Row, queue: Queue | _Named | None) -> None:
        self._row = row
        self.queue = queue

    def __getattr__(self, name: str) -> Any:
        try:
            return self._row[name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass
class HistoryReport:
    inquiries: int = 0
    senders: int = 0
    events: int = 0
    handovers: int = 0
    messages: int = 0
    outcomes: int = 0
    seconds: float = 0.0
    by_status: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    first_contact_resolved: int = 0
    guarantees_kept: int = 0
    overdue_open: int = 0
    unacknowledged_handovers: int = 0

    @property
    def first_contact_share(self) -> float:
        return self.first_contact_resolved / self.inquiries if self.inquiries else 0.0

    @property
    def kept_share(self) -> float:
        return self.guarantees_kept / self.outcomes if self.outcomes else 0.0


class _Writer:
    """Bulk inserts of plain rows with executemany.

    Model.bulk_create spends most of its time building model instances and SQL per row;
    for a hundred thousand timeline events that alone takes longer than the whole demo may.
    Here ids are taken up front (so rows can refer to each other without RETURNING), values
    are adapted per column with the backend's own adapters, and each table is one
    executemany in batches. Inside the caller's transaction: on SQLite it holds the write
    lock (IMMEDIATE), so MAX(id)+1 is safe; on PostgreSQL ids come from the sequence.
    Other backends fall back to bulk_create.
    """

    def __init__(self, batch_size: int) -> None:
        self.batch_size = batch_size
        self.vendor = connection.vendor
        self._plans: dict[type[Model], tuple[str, list[tuple[str, Any, Any]]]] = {}

    def allocate(self, model: type[Model], n: int) -> list[int]:
        if n == 0:
            return []
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, n],
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - a model's table name
            start = int(cursor.fetchone()[0]) + 1
            return list(range(start, start + n))

    def _datetime_adapter(self) -> Callable[[dt.datetime], Any]:
        if self.vendor != "sqlite":
            return connection.ops.adapt_datetimefield_value
        # What the SQLite backend's adapter does for aware datetimes (naive in the
        # connection's time zone, as text), without its checks: all values here are aware.
        tz = connection.timezone

        def adapt(value: dt.datetime) -> str:
            return str(value.astimezone(tz).replace(tzinfo=None))

        return adapt

    def _plan(self, model: type[Model]) -> tuple[str, list[tuple[str, Any, Any]]]:
        plan = self._plans.get(model)
        if plan is not None:
            return plan
        ops = connection.ops
        columns = []
        getters: list[tuple[str, Any, Any]] = []
        for f in model._meta.concrete_fields:
            columns.append(ops.quote_name(str(f.column)))
            if isinstance(f, models.DateTimeField):
                convert: Any = self._datetime_adapter()
            elif isinstance(f, models.DateField):
                convert = ops.adapt_datefield_value
            elif isinstance(f, models.JSONField):
                # What JSONField.get_db_prep_save comes to for a plain value, without the
                # layers around it (a third of the cost of writing an event).
                convert = partial(ops.adapt_json_value, encoder=f.encoder)
            else:
                convert = None
            default = f.get_default() if f.has_default() or f.null or f.blank else _REQUIRED
            getters.append((f.attname, convert, default))
        placeholders = ", ".join(["%s"] * len(columns))
        sql = (
            f"INSERT INTO {ops.quote_name(model._meta.db_table)} "  # noqa: S608 - model metadata
            f"({', '.join(columns)}) VALUES ({placeholders})"
        )
        self._plans[model] = plan = (sql, getters)
        return plan

    def insert(self, model: type[Model], rows: list[Row]) -> None:
        if not rows:
            return
        if self.vendor not in ("sqlite", "postgresql"):
            model._default_manager.bulk_create(
                [model(**row) for row in rows], batch_size=self.batch_size
            )
            return
        sql, getters = self._plan(model)
        params = []
        for row in rows:
            values = []
            for attname, convert, default in getters:
                value = row.get(attname, default)
                if value is _REQUIRED:
                    raise ValueError(f"{model.__name__}.{attname} is required")
                if convert is not None and value is not None:
                    value = convert(value)
                values.append(value)
            params.append(values)
        with connection.cursor() as cursor:
            for start in range(0, len(params), self.batch_size):
                cursor.executemany(sql, params[start : start + self.batch_size])


_REQUIRED = object()


class _Timeline:
    """One inquiry as the services leave it, step by step.

    Each step is what one service does (register_inquiry, forward_inquiry, take_inquiry,
    pause_for_sender, answer_inquiry ...): the status moves through the status machine
    (transitions.next_status, so a path the product refuses raises here too), the row's
    columns change as the service changes them, and the event carries the data the service
    writes. Events of the guarantee clock go through contact.clock as they are written, and
    its state is stored on the row with services.store_clock; each round that becomes settled
    gets its GuaranteeOutcome row, as services._sync_clock writes it (see services.outcome_for).
    Steps must come in the order of time: the timeline is read back ordered by time.
    """

    def __init__(self, gen: _Generator, row: Row) -> None:
        self.gen = gen
        self.cal = gen.cal
        self.row = row
        self.events: list[_Event] = []
        self.handovers: list[Row] = []
        self.messages: list[Row] = []
        self.outcomes: list[Row] = []
        self.state: clock.Clock | None = None
        self.last: dt.datetime = row["received_at"]

    # --- the machinery ---------------------------------------------------------------------------
    def _act(self, action: str) -> None:
        self.row["status"] = transitions.next_status(self.row["status"], action)

    def _event(
        self,
        kind: str,
        actor: int | None,
        at: dt.datetime,
        text: str = "",
        data: dict[str, Any] | None = None,
        *,
        state: clock.Clock | None = None,
        ref: Row | None = None,
        ref_key: str = "",
    ) -> _Event:
        if at < self.last:
            raise RuntimeError(f"{self.row['reference']}: {kind} at {at} is before {self.last}")
        self.last = at
        event = _Event(kind, actor, at, text, data if data is not None else {}, ref, ref_key)
        self.events.append(event)
        if kind in clock.CLOCK_EVENT_KINDS:
            self._sync_clock(event, state)
        return event

    def _sync_clock(self, event: _Event, state: clock.Clock | None) -> None:
        """As services._sync_clock: the clock after the event, onto the row; an outcome for
        the round when it is first settled. `state` is the clock after the event when the
        caller has it already (a resume computes it for its event's data)."""
        row = self.row
        was_settled = row["guarantee_kept"] is not None
        if state is None:
            state = clock.apply(
                self.state, clock.ClockEvent(event.kind, event.at, event.data), self.cal
            )
        if state is None:  # pragma: no cover - the first event is always the registration
            raise RuntimeError(f"{row['reference']}: {event.kind} before the registration")
        self.state = state
        columns = SimpleNamespace()
        services.store_clock(cast("Inquiry", columns), state)
        row.update(vars(columns))
        if state.settled_at is not None and state.kept is not None and not was_settled:
            # The fields of services.outcome_for; the inquiry id is added when it has one.
            self.outcomes.append(
                {
                    "queue_id": row["queue_id"],
                    "channel": row["channel"],
                    "round_started_at": state.round_started_at,
                    "original_due_date": state.original_due_date,
                    "due_date": state.due_date,
                    "settled_at": state.settled_at,
                    "kept": state.kept,
                    "interim_in_time": state.interim_in_time,
                    "first_contact": row["first_contact_resolved"],
                }
            )

    def message(self, kind: str, at: dt.datetime, actor: int | None, text: str = "") -> None:
        """messaging.queue_message, and the worker's send a little later (deliver). A message
        whose send would lie after now is left out."""
        gen = self.gen
        sent = at + dt.timedelta(seconds=gen.rng.randrange(5, 120))
        if sent > gen.now:
            return
        row = gen.render(kind, self.row, text)
        row.update(
            to_email=self.row["sender_email"],
            status=MessageStatus.SENT,
            attempts=1,
            created_by_id=actor,
            created_at=at,
            sent_at=sent,
        )
        self.messages.append(row)
        # Not a step: the worker sends while the officer goes on working.
        self.events.append(
            _Event(
                EventKind.MESSAGE_SENT,
                None,
                sent,
                row["subject"],
                {"kind": kind, "to": row["to_email"]},
                ref=row,
                ref_key="message",
            )
        )

    def finish(self) -> _Built:
        # Messages are sent in the background, so their events may come after later steps:
        # the timeline is kept in order of time (stable, so steps at the same moment keep
        # the order the service wrote them in).
        self.events.sort(key=attrgetter("at"))
        self.row["updated_at"] = self.events[-1].at
        return _Built(self.row, self.events, self.handovers, self.messages, self.outcomes)

    # --- the services ----------------------------------------------------------------------------
    def register(
        self, actor: int | None, at: dt.datetime, queue: Queue, working_days: int, due: dt.date
    ) -> None:
        """register_inquiry's first event (the row was made with the promise already)."""
        self._event(
            EventKind.REGISTERED,
            actor,
            at,
            data={
                "channel": self.row["channel"],
                "queue": queue.code,
                "due_date": due.isoformat(),
                "working_days": working_days,
            },
        )

    def forward(
        self, actor: int, at: dt.datetime, to_queue: Queue, to_user: int | None, note: str
    ) -> Row:
        row = self.row
        self._act(Action.FORWARD)
        # An earlier handover that was never acknowledged is superseded by this one.
        for earlier in self.handovers:
            if earlier["acknowledged_at"] is None:
                earlier.update(acknowledged_at=at, acknowledged_by_id=actor)
        handover: Row = {
            "from_queue_id": row["queue_id"],
            "to_queue_id": to_queue.pk,
            "to_user_id": to_user,
            "note": note,
            "created_by_id": actor,
            "created_at": at,
            "acknowledged_at": None,
            "acknowledged_by_id": None,
        }
        self.handovers.append(handover)
        from_queue = self.gen.queues_by_id.get(row["queue_id"])
        row.update(queue_id=to_queue.pk, assigned_to_id=to_user)
        self._event(
            EventKind.FORWARDED,
            actor,
            at,
            note,
            {
                "from_queue": from_queue.code if from_queue else None,
                "to_queue": to_queue.code,
                "to_user": self.gen.usernames.get(to_user) if to_user else None,
            },
        )
        return handover

    def handover_overdue(self, handover: Row, at: dt.datetime, deadline: dt.datetime) -> None:
        """What notifications.mark_overdue_handovers writes for a handover nobody
        acknowledged in time (no status change)."""
        self._event(
            EventKind.HANDOVER_OVERDUE,
            None,
            at,
            data={"deadline": deadline.isoformat()},
            ref=handover,
            ref_key="handover",
        )

    def acknowledge(self, actor: int, at: dt.datetime) -> None:
        self._act(Action.ACKNOWLEDGE)
        pending = [h for h in self.handovers if h["acknowledged_at"] is None]
        if not pending:
            raise RuntimeError(f"{self.row['reference']}: no handover to acknowledge")
        pending[-1].update(acknowledged_at=at, acknowledged_by_id=actor)
        self.row["assigned_to_id"] = actor
        self._event(EventKind.ACKNOWLEDGED, actor, at)

    def take(self, actor: int, at: dt.datetime) -> None:
        self._act(Action.TAKE)
        self.row["assigned_to_id"] = actor
        self._event(EventKind.TAKEN, actor, at)

    def note(self, actor: int, at: dt.datetime, text: str) -> None:
        self._act(Action.NOTE)
        self._event(EventKind.NOTE, actor, at, text)

    def pause(self, actor: int, at: dt.datetime, note: str) -> None:
        self._act(Action.PAUSE)
        told = bool(note and self.row["sender_email"])
        self._event(EventKind.PAUSED, actor, at, note, {"sender_told": told})
        if told:
            self.message(MessageKind.MISSING_INFORMATION, at, actor, note)

    def resume(self, actor: int | None, at: dt.datetime, note: str = "") -> None:
        self._act(Action.RESUME)
        old_due = self.row["due_date"]
        # What the clock says once the wait ends, for the event's reader (as resume_inquiry).
        after = clock.apply(self.state, clock.ClockEvent(EventKind.RESUMED, at, {}), self.cal)
        assert after is not None
        self._event(
            EventKind.RESUMED,
            actor,
            at,
            note,
            {
                "old_due_date": old_due.isoformat(),
                "due_date": after.due_date.isoformat(),
                "paused_working_seconds": int(after.paused_time.total_seconds()),
            },
            state=after,
        )

    def interim_reply(self, actor: int, at: dt.datetime, new_due: dt.date, text: str) -> None:
        self._act(Action.INTERIM_REPLY)
        new_due = self.cal.on_or_next_working_day(new_due)
        if new_due <= to_local(at).date():
            raise RuntimeError(f"{self.row['reference']}: an interim reply must name a later day")
        self.row["interim_reply_sent_at"] = at
        self._event(
            EventKind.INTERIM_REPLY,
            actor,
            at,
            text,
            {"promised_date": self.row["due_date"].isoformat(), "due_date": new_due.isoformat()},
        )
        if self.row["sender_email"]:
            self.message(MessageKind.INTERIM_REPLY, at, actor, text)

    def answer(self, actor: int, at: dt.datetime, text: str, *, close: bool) -> None:
        row = self.row
        self._act(Action.ANSWER)
        row["answered_at"] = at
        if close:
            self._act(Action.CLOSE)
            row["closed_at"] = at
        if row["assigned_to_id"] is None:
            row["assigned_to_id"] = actor
        # An open handover is answered by the answer itself.
        for handover in self.handovers:
            if handover["acknowledged_at"] is None:
                handover.update(acknowledged_at=at, acknowledged_by_id=actor)
        by_email = bool(row["sender_email"])
        self._event(EventKind.ANSWERED, actor, at, text, {"by_email": by_email, "article": None})
        if close:
            self._event(EventKind.CLOSED, actor, at)
        if by_email:
            self.message(MessageKind.ANSWER, at, actor, text)

    def close(
        self, actor: int | None, at: dt.datetime, note: str = "", *, first_contact: bool = False
    ) -> None:
        row = self.row
        self._act(Action.CLOSE)
        row["closed_at"] = at
        if first_contact:
            row["first_contact_resolved"] = True
            row["answered_at"] = row["answered_at"] or at
        self._event(EventKind.CLOSED, actor, at, note, {"first_contact": first_contact})

    def reopen(self, actor: int, at: dt.datetime, note: str = "") -> None:
        """A new round with a fresh promise from the guarantee, counted from now."""
        row = self.row
        self._act(Action.REOPEN)
        queue = self.gen.queues_by_id.get(row["queue_id"])
        guarantee = guarantee_for(queue, row["channel"])
        days = answer_working_days(queue, row["channel"], guarantee)
        due = self.gen.due_date(at, days)
        interim_days = guarantee.interim_reply_working_days if guarantee is not None else None
        row.update(
            closed_at=None,
            answered_at=None,
            interim_reply_sent_at=None,
            interim_reply_due=(
                self.gen.due_date(at, interim_days) if interim_days is not None else None
            ),
        )
        self._event(
            EventKind.REOPENED,
            actor,
            at,
            note,
            {"due_date": due.isoformat(), "working_days": days},
        )


class _Generator:
    def __init__(
        self, *, seed: int, count: int, days: int, now: dt.datetime, batch_size: int
    ) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - demo data, not security
        self.count = count
        self.days = days
        self.now = now
        self.batch_size = batch_size
        self.cal = calendar_from_settings()
        self._due_memo: dict[tuple[dt.date, int], dt.date] = {}
        self._add_memo: dict[tuple[dt.date, int], dt.date] = {}
        self._snapshots: dict[tuple[int | None, bool], dict[str, str]] = {}
        self._date_text: dict[tuple[str, dt.date], str] = {}
        self._skeletons: dict[tuple[Any, ...], tuple[str, str] | None] = {}
        conf = settings.TENESTETORGET
        self.municipality = conf["MUNICIPALITY_NAME"]
        self.handover_limit = float(conf["HANDOVER_ACK_WORKING_HOURS"])
        self.handover_cutoff = handover_cutoff(now)
        self.writer = _Writer(batch_size)

        self.queues = {q.code: q for q in Queue.objects.select_related("unit")}
        if not self.queues:
            raise ValueError("No queues: load the organisation before the history")
        self.queues_by_id = {q.pk: q for q in self.queues.values()}
        profiles = list(StaffProfile.objects.select_related("user", "unit"))
        if not profiles:
            raise ValueError("No staff: load the organisation before the history")
        self.usernames = {p.user_id: p.user.get_username() for p in profiles}
        by_username = {p.user.get_username(): p for p in profiles}
        self.front_desk = [p.user_id for p in profiles if p.role == Role.FRONT_DESK] or [
            p.user_id for p in profiles
        ]
        self.archivists = [p.user_id for p in profiles if p.role == Role.ARCHIVIST] or list(
            self.front_desk
        )
        self.handlers: dict[str, list[int]] = {}
        for code, queue in self.queues.items():
            hinted = [
                by_username[u].user_id for u in QUEUE_HANDLERS.get(code, ()) if u in by_username
            ]
            unit_staff = [
                p.user_id
                for p in profiles
                if p.unit_id == queue.unit_id and p.role in (Role.CASE_OFFICER, Role.UNIT_LEADER)
            ]
            if queue.unit.code in FRONT_DESK_UNITS:
                unit_staff = unit_staff + self.front_desk
            self.handlers[code] = hinted or unit_staff or list(self.front_desk)
        self.front_desk_queues = {
            code for code, q in self.queues.items() if q.unit.code in FRONT_DESK_UNITS
        }

    # --- the calendar (core.calendar), remembered where the same question comes back -------------
    def due_date(self, moment: dt.datetime, working_days: int) -> dt.date:
        """The calendar's due_date. It depends on the moment only through its receipt day
        (the calendar's day 0), so the answer is remembered per receipt day."""
        key = (self.cal.effective_receipt_day(moment), working_days)
        due = self._due_memo.get(key)
        if due is None:
            due = self._due_memo[key] = self.cal.due_date(moment, working_days)
        return due

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The calendar's add_working_days, remembered."""
        key = (start, days)
        day = self._add_memo.get(key)
        if day is None:
            day = self._add_memo[key] = self.cal.add_working_days(start, days)
        return day

    def office_time(self, day: dt.date) -> dt.datetime:
        """A moment in the office's opening hours of `day`, not in its first or last five
        minutes."""
        opening = self.cal.opening.hour * 60 + self.cal.opening.minute + 5
        closing = self.cal.closing.hour * 60 + self.cal.closing.minute - 5
        minute = self.rng.randrange(opening, closing)
        return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=OSLO)

    def lognormal_hours(self, median: float, sigma: float = 0.9) -> float:
        return self.rng.lognormvariate(math.log(median), sigma)

    # --- decisions -------------------------------------------------------------------------------
    def basics(self, arrivals: list[Arrival], pools: _SenderPools) -> list[_Basics]:
        rng = self.rng
        result = []
        for a in arrivals:
            mix = list(SENDER_MIX.get(a.queue, DEFAULT_SENDER_MIX))
            mix[1] *= cabin_factor(a.received.date())
            kind = rng.choices(SENDER_KINDS, weights=mix)[0]
            person = pools.pick(kind)
            # Whoever writes an e-mail or fills in the form has an address.
            while a.channel in (Channel.EMAIL, Channel.WEBFORM) and not person.email:
                person = pools.pick(kind)
            p_first = FIRST_LINE_CHANNEL[a.channel] * FIRST_LINE_QUEUE.get(a.queue, 1.0)
            first_line = rng.random() < min(0.92, p_first)
            misrouted = (
                not first_line
                and a.channel in (Channel.EMAIL, Channel.WEBFORM, Channel.SOCIAL)
                and rng.random() < 0.09
            )
            reg_queue = a.queue
            if misrouted:
                options = CONFUSABLE.get(a.queue) or tuple(c for c in self.queues if c != a.queue)
                options = tuple(c for c in options if c in self.queues) or (a.queue,)
                reg_queue = rng.choice(options)
                misrouted = reg_queue != a.queue
            fd_target = a.queue in self.front_desk_queues
            by_voice = a.channel in (Channel.PHONE, Channel.COUNTER, Channel.SOCIAL)
            forward = misrouted or (
                not first_line and (a.channel == Channel.LETTER or (by_voice and not fd_target))
            )
            result.append(_Basics(person, reg_queue, first_line, forward, misrouted))
        return result

    def assign_fates(self, arrivals: list[Arrival], basics: list[_Basics]) -> None:
        """Make sure the present has open work of every kind, also in a small demo: inquiries
        nobody has touched, some waiting for the sender, handovers nobody acknowledged, some
        answered but not closed, and a few forgotten ones that are long overdue."""
        rng = self.rng
        now = self.now
        day = dt.timedelta(days=1)
        open_work = [i for i, b in enumerate(basics) if not b.first_line]

        def pick(
            fate: str, rate: float, lo: dt.datetime, hi: dt.datetime, forward: bool | None
        ) -> None:
            need = max(2, round(self.count * rate))
            free = [
                i
                for i in open_work
                if basics[i].fate == "normal" and (forward is None or basics[i].forward == forward)
            ]
            window = [i for i in free if lo <= arrivals[i].received <= hi]
            if len(window) < need:
                # A small or short demo: take the most recent ones that are old enough.
                window = [i for i in free if arrivals[i].received <= hi][-need * 3 :]
            for i in rng.sample(window, min(need, len(window))):
                basics[i].fate = fate

        pick("stuck_handover", 0.0006, now - 14 * day, self.handover_cutoff - 2 * day, True)
        pick("untouched", 0.0008, now - 6 * day, now - dt.timedelta(hours=2), False)
        pick("waiting", 0.0015, now - 20 * day, now - day, None)
        pick("answered_open", 0.0015, now - 30 * day, now - 3 * day, None)
        pick("forgotten", 0.0012, now - 120 * day, now - 15 * day, None)

    # --- texts -----------------------------------------------------------------------------------
    def compose(
        self, a: Arrival, person: _Person, pools: _SenderPools
    ) -> tuple[str, str, dict[str, Any]]:
        """Subject, body and the slot values (reused by the answer) for one inquiry."""
        rng = self.rng
        queue_texts = texts.QUEUE_TEXTS.get(a.queue)
        if person.is_organisation:
            contact_first, contact = pools.person_name(0.6)
            org = person.name
        else:
            contact = person.name
            contact_first = person.name.split()[0]
            org_kind = SenderKind.CLUB if rng.random() < 0.5 else SenderKind.BUSINESS
            org = pools.pick(org_kind).name
        slots = make_slots(rng, a.received, person.language, contact, org)
        slots["first"] = contact_first
        if queue_texts is None:
            return f"Spørsmål om {self.queues[a.queue].name.lower()}", "", slots
        if a.channel in (Channel.PHONE, Channel.COUNTER):
            topic, note, slots["answer_key"] = rng.choice(queue_texts["notes"])
            prefix = "Telefon" if a.channel == Channel.PHONE else "Skranke"
            return f"{prefix} – {topic.format_map(slots)}", note.format_map(slots), slots
        language = person.language
        written = _written(queue_texts, language)
        if language == "en" and not queue_texts["en"]:
            language = "nb"
        subject, body, slots["answer_key"] = rng.choice(written)
        subject, body = subject.format_map(slots), body.format_map(slots)
        signature = contact + (f"\n{org}" if person.is_organisation else "")
        if a.channel == Channel.EMAIL:
            if rng.random() < 0.04:
                subject = f"SV: {subject}"
            phone = f"\nTlf. {person.phone}" if person.phone and rng.random() < 0.4 else ""
            greeting, sign_off = texts.GREETING[language], texts.SIGN_OFF[language]
            body = f"{greeting}\n\n{body}\n\n{sign_off}\n{signature}{phone}"
        elif a.channel == Channel.LETTER:
            opening = texts.LETTER_OPENING[language].format(municipality=self.municipality)
            body = f"{opening}\n\n{subject}\n\n{body}\n\n{texts.SIGN_OFF[language]}\n{signature}"
        elif a.channel == Channel.SOCIAL:
            subject = f"Melding via Facebook – {subject}"
        return subject[:300], body, slots

    def answer_text(self, queue: str, language: str, slots: dict[str, Any]) -> str:
        """The answer that fits the question, in the sender's language when written for it,
        else in Nynorsk (the municipality's own written standard)."""
        queue_texts = texts.QUEUE_TEXTS.get(queue)
        answers = queue_texts["answers"].get(slots.get("answer_key", ""), {}) if queue_texts else {}
        text = answers.get(language) or answers.get("nn")
        if text is None or self.rng.random() < 0.1:
            options = texts.FIRST_LINE_ANSWERS.get(language) or texts.FIRST_LINE_ANSWERS["nn"]
            text = self.rng.choice(options)
        return text.format_map(slots)

    # --- the sender and the messages -------------------------------------------------------------
    def snapshot(self, person: _Person, channel: str) -> dict[str, str]:
        """The inquiry's sender fields, as register_inquiry stores them (clean_sender, then
        services.sender_snapshot) from what the channel gives: a phone note or a counter
        visit records the phone number (an e-mail address only when there is no number);
        everything written comes with its address."""
        voice = channel in (Channel.PHONE, Channel.COUNTER)
        key = (person.sender_id, voice)
        snapshot = self._snapshots.get(key)
        if snapshot is None:
            given = services.SenderData(
                name=person.name,
                email="" if voice and person.phone else person.email,
                phone=person.phone,
                kind=person.kind,
                organisation_number=person.organisation_number,
                language=person.language,
            )
            snapshot = self._snapshots[key] = services.sender_snapshot(services.clean_sender(given))
        return snapshot

    def _date(self, language: str, day: dt.date) -> str:
        text = self._date_text.get((language, day))
        if text is None:
            with translation.override(language):
                text = self._date_text[(language, day)] = date_format(day, "DATE_FORMAT")
        return text

    def render(self, kind: str, inquiry: Row, text: str) -> Row:
        """A message as messaging.render_message renders it for the inquiry as it is now.

        Rendering a template per message would be a third of the whole run. So each template
        (per kind, language, guarantee and whether an interim reply named a date) is rendered
        once by render_message with markers in place of the per-message values, checked
        against one real rendering, and then filled in by string replacement; a template the
        markers cannot stand for (a filter or a condition on a value) fails the check and
        render_message renders every message of it instead.
        """
        queue = self.queues_by_id.get(inquiry["queue_id"])
        guarantee = guarantee_for(queue, inquiry["channel"])
        language = inquiry["language"] if inquiry["language"] in messaging.SUPPORTED else "nn"
        has_interim_date = inquiry["interim_promised_date"] is not None
        # Many queues publish the same guarantee; what a template can show of it is the key
        # (its published text in each language, since each language's template shows its own).
        promise = (
            (
                guarantee.text,
                guarantee.text_nb,
                guarantee.text_en,
                guarantee.answer_working_days,
                guarantee.interim_reply_working_days,
            )
            if guarantee is not None
            else None
        )
        key = (kind, language, promise, has_interim_date, queue is None)
        if key not in self._skeletons:
            subject, body, _language = messaging.render_message(
                cast("Inquiry", _Fields(inquiry, queue)), kind, text, guarantee
            )
            candidate = self._skeleton(kind, language, guarantee, has_interim_date, queue)
            filled = self._fill(candidate, inquiry, queue, language, text)
            self._skeletons[key] = candidate if filled == (subject, body) else None
        elif (skeleton := self._skeletons[key]) is not None:
            subject, body = self._fill(skeleton, inquiry, queue, language, text)
        else:
            subject, body, _language = messaging.render_message(
                cast("Inquiry", _Fields(inquiry, queue)), kind, text, guarantee
            )
        return {"kind": kind, "subject": subject[:300], "body": body, "language": language}

    #: Dates no message names, standing in for the promised date and the date told.
    _DUE_STAND_IN = dt.date(1901, 2, 3)
    _TOLD_STAND_IN = dt.date(1902, 4, 5)

    def _skeleton(
        self,
        kind: str,
        language: str,
        guarantee: ServiceGuarantee | None,
        has_interim_date: bool,
        queue: Queue | None,
    ) -> tuple[str, str]:
        stand_in: Row = {
            "language": language,
            "reference": _marker("reference"),
            "subject": _marker("subject"),
            "sender_name": _marker("sender_name"),
            "due_date": self._DUE_STAND_IN,
            "interim_promised_date": self._TOLD_STAND_IN if has_interim_date else None,
        }
        stand_in_queue = _Named(_marker("queue_name")) if queue is not None else None
        subject, body, _language = messaging.render_message(
            cast("Inquiry", _Fields(stand_in, stand_in_queue)), kind, _marker("text"), guarantee
        )
        dates = {
            self._date(language, self._DUE_STAND_IN): _marker("due_date"),
            self._date(language, self._TOLD_STAND_IN): _marker("told_date"),
        }
        return _replace_all(subject, dates), _replace_all(body, dates)

    def _fill(
        self,
        skeleton: tuple[str, str],
        inquiry: Row,
        queue: Queue | None,
        language: str,
        text: str,
    ) -> tuple[str, str]:
        told = inquiry["interim_promised_date"]
        values = {
            _marker("reference"): inquiry["reference"],
            _marker("subject"): inquiry["subject"],
            _marker("sender_name"): inquiry["sender_name"],
            _marker("queue_name"): queue.name if queue is not None else "",
            _marker("text"): text,
            _marker("due_date"): self._date(language, inquiry["due_date"]),
            _marker("told_date"): self._date(language, told) if told is not None else "",
        }
        return _replace_all(skeleton[0], values), _replace_all(skeleton[1], values)

    # --- one inquiry -----------------------------------------------------------------------------
    def simulate(self, a: Arrival, b: _Basics, number: int, pools: _SenderPools) -> _Built:
        rng, cal, now = self.rng, self.cal, self.now
        person = b.person
        channel = a.channel
        received = a.received
        year = to_local(received).year
        subject, body, slots = self.compose(a, person, pools)
        queue = self.queues[b.reg_queue]
        guarantee = guarantee_for(queue, channel)
        working_days = answer_working_days(queue, channel, guarantee)
        due = self.due_date(received, working_days)
        interim_days = guarantee.interim_reply_working_days if guarantee is not None else None
        interim_due = self.due_date(received, interim_days) if interim_days is not None else None
        if channel in (Channel.PHONE, Channel.COUNTER, Channel.SOCIAL):
            creator: int | None = rng.choice(self.front_desk)
        elif channel == Channel.LETTER:
            creator = rng.choice(self.archivists)
        else:
            creator = None
        # A call, a visit at the counter or a Facebook message the front desk can answer at
        # once is registered when it is done, as resolved at the first line.
        resolved_at: dt.datetime | None = None
        if b.first_line and channel in (Channel.PHONE, Channel.COUNTER):
            resolved_at = received + dt.timedelta(minutes=rng.uniform(3, 14))
        elif b.first_line and channel == Channel.SOCIAL:
            resolved_at = cal.add_working_hours(received, min(6.0, self.lognormal_hours(0.8)))
        if resolved_at is not None and resolved_at > now:
            resolved_at = None  # still on the phone: registered, not yet resolved
        registered_at = resolved_at or received
        row: Row = {
            "reference": format_reference(year, number),
            "year": year,
            "number": number,
            "channel": channel,
            "subject": subject,
            "body": body,
            "language": person.language,
            "sender_id": person.sender_id,
            **self.snapshot(person, channel),
            "queue_id": queue.pk,
            "assigned_to_id": None,
            "status": Status.NEW,
            "received_at": received,
            "due_date": due,
            "original_due_date": due,
            "interim_reply_due": interim_due,
            "interim_reply_sent_at": None,
            "interim_promised_date": None,
            "paused_since": None,
            "paused_late": False,
            "paused_seconds": 0,
            "guarantee_kept": None,
            "answered_at": None,
            "closed_at": None,
            "first_contact_resolved": False,
            "answered_with_id": None,
            "created_by_id": creator,
            "created_at": registered_at,
        }
        tl = _Timeline(self, row)
        tl.register(creator, registered_at, queue, working_days, due)

        # --- resolved at the first line ----------------------------------------------------------
        if resolved_at is not None:
            # register_inquiry(first_contact_resolved=True): closed as it is registered.
            tl.close(creator, resolved_at, texts.FIRST_LINE_CLOSE, first_contact=True)
            return tl.finish()
        by_email = bool(row["sender_email"])
        if channel in (Channel.EMAIL, Channel.WEBFORM) and by_email:
            tl.message(MessageKind.ACKNOWLEDGEMENT, received, None)
        if b.first_line:
            if channel in (Channel.PHONE, Channel.COUNTER, Channel.SOCIAL):
                return tl.finish()  # registered a moment ago, still being resolved
            # A written question the front desk answers at once, then closes as resolved.
            resolver = creator if creator in self.front_desk else rng.choice(self.front_desk)
            done = cal.add_working_hours(received, self.lognormal_hours(0.8))
            if done <= now:
                language = person.language if by_email else "nn"
                tl.answer(resolver, done, self.answer_text(a.queue, language, slots), close=False)
                closed = done + dt.timedelta(seconds=rng.randrange(20, 180))
                if closed <= now:
                    tl.close(resolver, closed, texts.FIRST_LINE_CLOSE, first_contact=True)
            return tl.finish()

        # --- routed on: forwarded, acknowledged, or taken ----------------------------------------
        target = a.queue
        handler = rng.choice(self.handlers[target])
        if b.forward:
            to_user: int | None
            if b.misrouted:
                forwarder = rng.choice(self.handlers[b.reg_queue] + self.front_desk)
                t_forward = cal.add_working_hours(received, self.lognormal_hours(1.5))
                to_user = None
            elif channel == Channel.LETTER:
                # The mail room hands a letter to the officer who works the matter.
                forwarder = creator or rng.choice(self.archivists)
                t_forward = cal.add_working_hours(received, self.lognormal_hours(1.0))
                to_user = handler
            else:
                forwarder = creator or rng.choice(self.front_desk)
                if channel == Channel.SOCIAL:
                    t_forward = cal.add_working_hours(received, self.lognormal_hours(0.5))
                else:
                    t_forward = received + dt.timedelta(minutes=rng.uniform(1, 10))
                # The front desk passes a call it cannot answer to a named officer.
                to_user = handler
            if t_forward > now:
                return tl.finish()
            note = rng.choice(texts.FORWARD_NOTES).format(queue=self.queues[target].name)
            handover = tl.forward(forwarder, t_forward, self.queues[target], to_user, note)
            if b.fate == "stuck_handover":
                delay = math.inf
            elif rng.random() < 0.06:
                delay = rng.uniform(5, 24)  # a busy officer, or one away for a day or two
            else:
                delay = self.lognormal_hours(1.2)
            t_ack = cal.add_working_hours(t_forward, delay) if delay != math.inf else None
            # What notifications.mark_overdue_handovers records once the handover has waited
            # HANDOVER_ACK_WORKING_HOURS office hours (notifications.handover_deadline).
            deadline = cal.add_working_hours(t_forward, self.handover_limit)
            flagged = deadline + dt.timedelta(minutes=rng.randrange(1, 15))
            if flagged <= now and (t_ack is None or flagged < t_ack):
                tl.handover_overdue(handover, flagged, deadline)
            if t_ack is None or t_ack > now:
                return tl.finish()
            handler = to_user or handler
            tl.acknowledge(handler, t_ack)
        else:
            if b.fate == "untouched":
                return tl.finish()
            median = 0.7 if target in self.front_desk_queues else 1.5
            t_take = cal.add_working_hours(received, self.lognormal_hours(median))
            if t_take > now:
                return tl.finish()
            tl.take(handler, t_take)

        # --- work: notes, waiting for the sender -------------------------------------------------
        if rng.random() < 0.25 or b.fate == "forgotten":
            t_note = cal.add_working_hours(tl.last, rng.uniform(0.2, 3))
            if t_note <= now:
                notes = texts.QUEUE_WORK_NOTES.get(target, []) + texts.WORK_NOTES
                tl.note(handler, t_note, rng.choice(notes))
        if b.fate == "waiting" or rng.random() < 0.06:
            t_pause = cal.add_working_hours(tl.last, rng.uniform(0.3, 4))
            if t_pause <= now:
                notes = texts.QUEUE_PAUSE_NOTES.get(target, []) + texts.PAUSE_NOTES
                tl.pause(handler, t_pause, rng.choice(notes))
                if b.fate == "waiting":
                    return tl.finish()
                t_resume = cal.add_working_hours(t_pause, rng.uniform(3, 50))
                if t_resume > now:
                    return tl.finish()
                # The sender answered (by e-mail or phone): the clock runs again.
                tl.resume(None, t_resume)
        if b.fate == "forgotten":
            return tl.finish()

        # --- the answer --------------------------------------------------------------------------
        month = to_local(received).month
        p_late = LATE_RATE.get(target, 0.07)
        if month == 7:
            p_late *= 1.6  # summer holidays
        if _SEASON.get(target, (1.0,) * 12)[month - 1] > 1.4:
            p_late *= 1.3  # the queue's busy season
        late = rng.random() < min(0.5, p_late)
        if late:
            k = working_days + rng.choice(LATE_EXTRA_DAYS)
        else:
            k = rng.choices(range(working_days + 1), weights=_in_time_weights(working_days))[0]
        # The answer falls on the k-th working day of the time the guarantee gives, and the
        # waits for the sender move it on as they move the promise (contact.clock).
        assert tl.state is not None
        moved = clock.extension_days(tl.state.paused_time, cal)
        receipt_day = cal.effective_receipt_day(received)
        answer_day = self.add_working_days(receipt_day, k + moved)
        t_answer = max(
            self.office_time(answer_day), cal.add_working_hours(tl.last, rng.uniform(0.1, 0.8))
        )
        if late and target in SLOW_QUEUES and rng.random() < 0.6:
            # A førebels svar before the promised date, naming a later one (fvl. § 11 a).
            interim_day = self.add_working_days(receipt_day, max(0, working_days - 1) + moved)
            t_interim = max(self.office_time(interim_day), cal.add_working_hours(tl.last, 0.2))
            if t_interim < t_answer and t_interim <= now:
                told = self.add_working_days(to_local(t_answer).date(), rng.choice((1, 2, 3)))
                interim_texts = (
                    texts.INTERIM_TEXTS.get(person.language) or texts.INTERIM_TEXTS["nn"]
                )
                tl.interim_reply(handler, t_interim, told, rng.choice(interim_texts))
        if t_answer > now:
            return tl.finish()
        # What was said on the phone is noted in Nynorsk; written answers follow the sender.
        answer_language = person.language if by_email else "nn"
        text = self.answer_text(target, answer_language, slots)
        recent = now - t_answer < dt.timedelta(days=30)
        keep_open = b.fate == "answered_open" or (recent and rng.random() < 0.02)
        tl.answer(handler, t_answer, text, close=not keep_open)

        # --- now and then the sender comes back: a second round ----------------------------------
        if keep_open or rng.random() >= REOPEN_RATE:
            return tl.finish()
        t_reopen = cal.add_working_hours(t_answer, self.lognormal_hours(12))
        if t_reopen > now:
            return tl.finish()
        tl.reopen(handler, t_reopen)
        t_again = cal.add_working_hours(t_reopen, self.lognormal_hours(3))
        if t_again > now:
            return tl.finish()
        text = self.answer_text(target, answer_language, slots)
        tl.answer(handler, t_again, text, close=True)
        return tl.finish()

    # --- the whole run ---------------------------------------------------------------------------
    def run(self, progress: Callable[[str], None]) -> HistoryReport:
        started = time.monotonic()
        report = HistoryReport()
        arrivals = plan_arrivals(
            self.rng, count=self.count, now=self.now, days=self.days, queues=sorted(self.queues),
            cal=self.cal,
        )  # fmt: skip
        pools = _SenderPools(self.rng, self.count)
        basics = self.basics(arrivals, pools)
        self.assign_fates(arrivals, basics)
        progress(f"  planned {len(arrivals)} inquiries ({time.monotonic() - started:.1f} s)")

        # Senders: only those who wrote, with the derived columns Sender.save() would set.
        people: dict[int, _Person] = {}
        for b in basics:
            people.setdefault(id(b.person), b.person)
        sender_ids = self.writer.allocate(Sender, len(people))
        sender_rows = []
        for person, pk in zip(people.values(), sender_ids, strict=True):
            person.sender_id = pk
            sender_rows.append(
                {
                    "id": pk,
                    "name": person.name,
                    "name_search": person.name.casefold(),
                    "email": person.email,
                    "phone": person.phone,
                    "phone_e164": normalise_phone(person.phone),
                    "kind": person.kind,
                    "is_organisation": person.is_organisation,
                    "organisation_number": person.organisation_number,
                    "national_id": "",
                    "language": person.language,
                    "created_at": self.now,
                }
            )
        self.writer.insert(Sender, sender_rows)
        report.senders = len(sender_rows)

        numbers = self._reserve_numbers(arrivals)
        done = 0
        for start in range(0, len(arrivals), self.batch_size):
            chunk = range(start, min(start + self.batch_size, len(arrivals)))
            built = []
            for i in chunk:
                year = to_local(arrivals[i].received).year
                built.append(self.simulate(arrivals[i], basics[i], next(numbers[year]), pools))
            counts = self._store(built)
            report.events += counts[0]
            report.handovers += counts[1]
            report.messages += counts[2]
            report.outcomes += counts[3]
            report.guarantees_kept += sum(1 for b in built for o in b.outcomes if o["kept"])
            done += len(built)
            progress(
                f"  {done}/{len(arrivals)} inquiries stored ({time.monotonic() - started:.1f} s)"
            )
        report.inquiries = done
        self._settle_number_series()
        self._fill_report(report)
        report.seconds = time.monotonic() - started
        return report

    def _reserve_numbers(self, arrivals: list[Arrival]) -> dict[int, Iterator[int]]:
        """Take a block of numbers per year from the same series register_inquiry uses, so
        the history and later inquiries never collide and the sequence continues."""
        per_year = Counter(to_local(a.received).year for a in arrivals)
        numbers = {}
        for year, n in sorted(per_year.items()):
            NumberSeries.objects.bulk_create(
                [NumberSeries(series=SERIES, year=year, last=0)], ignore_conflicts=True
            )
            NumberSeries.objects.filter(series=SERIES, year=year).update(last=F("last") + n)
            last = NumberSeries.objects.values_list("last", flat=True).get(series=SERIES, year=year)
            numbers[year] = iter(range(last - n + 1, last + 1))
        return numbers

    def _settle_number_series(self) -> None:
        """Every series row at least the highest number used in its year."""
        for row in Inquiry.objects.values("year").annotate(top=Max("number")):
            NumberSeries.objects.bulk_create(
                [NumberSeries(series=SERIES, year=row["year"], last=0)], ignore_conflicts=True
            )
            NumberSeries.objects.filter(
                series=SERIES, year=row["year"], last__lt=row["top"]
            ).update(last=row["top"])

    def _store(self, built: list[_Built]) -> tuple[int, int, int, int]:
        writer = self.writer
        inquiries = [b.inquiry for b in built]
        for row, pk in zip(inquiries, writer.allocate(Inquiry, len(inquiries)), strict=True):
            row["id"] = pk
        handovers: list[Row] = []
        messages: list[Row] = []
        outcomes: list[Row] = []
        for b in built:
            inquiry_id = b.inquiry["id"]
            for group in (b.handovers, b.messages, b.outcomes):
                for row in group:
                    row["inquiry_id"] = inquiry_id
            handovers.extend(b.handovers)
            messages.extend(b.messages)
            outcomes.extend(b.outcomes)
        for row, pk in zip(handovers, writer.allocate(Handover, len(handovers)), strict=True):
            row["id"] = pk
        for row, pk in zip(messages, writer.allocate(OutgoingMessage, len(messages)), strict=True):
            row["id"] = pk
        events: list[Row] = []
        for b in built:
            inquiry_id = b.inquiry["id"]
            for e in b.events:
                data = e.data
                if e.ref is not None:
                    data = {**data, e.ref_key: e.ref["id"]}
                events.append(
                    {
                        "inquiry_id": inquiry_id,
                        "kind": e.kind,
                        "actor_id": e.actor_id,
                        "at": e.at,
                        "text": e.text,
                        "data": data,
                    }
                )
        event_ids = writer.allocate(InquiryEvent, len(events))
        for row, pk in zip(events, event_ids, strict=True):
            row["id"] = pk
        writer.insert(Inquiry, inquiries)
        writer.insert(Handover, handovers)
        writer.insert(OutgoingMessage, messages)
        writer.insert(InquiryEvent, events)
        # Ids from the table's own sequence, as for every other table: PostgreSQL fills no
        # id for an explicit NULL.
        for row, pk in zip(outcomes, writer.allocate(GuaranteeOutcome, len(outcomes)), strict=True):
            row["id"] = pk
        writer.insert(GuaranteeOutcome, outcomes)
        return len(events), len(handovers), len(messages), len(outcomes)

    def _fill_report(self, report: HistoryReport) -> None:
        report.by_status = dict(
            Inquiry.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
        )
        report.by_channel = dict(
            Inquiry.objects.values_list("channel")
            .annotate(n=Count("id"))
            .values_list("channel", "n")
        )
        report.first_contact_resolved = Inquiry.objects.filter(first_contact_resolved=True).count()
        report.guarantees_kept = GuaranteeOutcome.objects.filter(kept=True).count()
        report.overdue_open = Inquiry.objects.overdue(to_local(self.now).date()).count()
        report.unacknowledged_handovers = Handover.objects.filter(
            acknowledged_at__isnull=True,
            created_at__lt=self.handover_cutoff,
            inquiry__status__in=OPEN_STATUSES,
        ).count()


def _marker(name: str) -> str:
    return f"\x00{name}\x00"


def _replace_all(text: str, values: dict[str, str]) -> str:
    for old, new in values.items():
        text = text.replace(old, new)
    return text


@dataclass(frozen=True, slots=True)
class _Named:
    name: str


def _written(queue_texts: texts.QueueTexts, language: str) -> list[texts.Written]:
    if language == "nn":
        return queue_texts["nn"]
    if language == "en" and queue_texts["en"]:
        return queue_texts["en"]
    return queue_texts["nb"] or queue_texts["nn"]


def _in_time_weights(days: int) -> list[float]:
    # Most answers come early; some on the last day.
    return [(days + 1 - i) ** 0.6 for i in range(days + 1)]


def generate_history(
    *,
    count: int = DEFAULT_COUNT,
    seed: int = DEFAULT_SEED,
    days: int = DEFAULT_DAYS,
    now: dt.datetime | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[str], None] | None = None,
) -> HistoryReport:
    """Generate `count` inquiries over the `days` days before `now` (default: now), with
    their timelines, handovers and messages, in one transaction.

    Needs the organisation (queues, guarantees, staff) loaded first. Adds to what is there:
    references continue the number series.
    """
    if count < 1 or days < 1:
        raise ValueError("count and days must be positive")
    now = now or timezone.now()
    with transaction.atomic():
        generator = _Generator(seed=seed, count=count, days=days, now=now, batch_size=batch_size)
        return generator.run(progress or (lambda message: None))
