"""Peak weeks by lottery (trekning): the weeks many want (vinterferie, påske, jakt) are not
booked first come, first served, but drawn among the residents who entered.

    create_lottery ──▶ enter (while open) ──▶ draw (after the deadline, once)
        winners: WON ──confirm──▶ CONFIRMED (the period's block becomes their booking)
                     └─deadline passed / withdraw──▶ EXPIRED / WITHDRAWN: the period goes to
                       the next on the waiting list who wished for it, or is released
        the rest: LOST, in the draw's order (the waiting list)
    advance (the sweep): deadlines passed → the next on the waiting list; and the waiting
        list's e-mails after a draw, a batch at a time

* Each period is held by a block from the moment the lottery is made, so nobody books it
  while the lottery runs; `lottery.protocol["blocks"]` maps period id → the block's id.
  Confirming turns that very row into the winner's booking, so the period is never free in
  between; when nobody is left to offer it to, the block is lifted and the period can be
  booked as usual.
* The draw is reproducible: a seed (given, or a random one), `random.Random(seed)` shuffling
  the entries sorted by id, tier by tier. The protocol keeps the seed, the entrants as the
  draw saw them (entry, household, wishes: no names or e-mail addresses), the order and the
  allocation, so that staff can run it again (`verify`) and get the same result.
* Priority (`priority_to_last_losers`): households whose entry in the previous lottery ended
  LOST go first. Only LOST: such a household got nothing at all. EXPIRED means a place was
  won and not confirmed, WITHDRAWN that the household left of its own accord, and
  CONFIRMED/WON that it had a period: none of those lost out.
* One winner per period and at most `wins_per_household` periods per household: the
  allocation takes each period at most once, so a lottery cannot have more winners than
  periods. The models keep one period per entry, so lotteries are made with one period per
  household for now (see `create_lottery`); `allocate` itself handles more.
* The draw itself is a handful of queries whatever the number of entrants (one read of the
  entries, one statement run for all rows, the winners' e-mails): the thousands of «you are
  on the waiting list» e-mails are stored by the sweep afterwards, a few hundred per short
  transaction, with a cursor in the protocol moved in the same transaction, so each is
  stored once and bookings are not held up behind one long write.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import secrets
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tenestetorget.booking import availability, notices, residency, services
from tenestetorget.booking.models import (
    BookerKind,
    BookerLink,
    Booking,
    BookingEvent,
    EntryStatus,
    Lottery,
    LotteryEntry,
    LotteryPeriod,
    Resource,
    Status,
)
from tenestetorget.booking.rules import BookingRefused, PeriodTaken, units_of
from tenestetorget.contact import outbox
from tenestetorget.contact.models import Audience, MessageKind
from tenestetorget.core.calendar import to_local

#: What the protocol says the draw did, so that anyone can repeat it without this code.
METHOD = (
    "entries sorted by id; priority households first; random.Random(seed).shuffle of the "
    "priority tier, then of the rest; then rounds over that order, each household taking "
    "its best wish still free until it has wins_per_household periods"
)
LANGUAGES = ("nn", "nb", "en")
#: Places written per UPDATE by the draw (two parameters each, well under SQLite's limit).
PLACES_PER_UPDATE = 1000
#: Expired places handled per sweep.
BATCH = 200
#: Waiting-list notices: places of the draw's order per transaction (short, so that bookings
#: are not kept waiting for the write lock), and transactions per sweep (a sweep must be quick;
#: it runs every 30 seconds, so a waiting list of 5,000 hears within five minutes).
NOTICE_BATCH = 250
NOTICE_BATCHES_PER_SWEEP = 2


class PeriodHeld(PeriodTaken):
    """A lottery period that something else already holds (HTTP 409), named in the message."""

    def __init__(self, message: str) -> None:
        BookingRefused.__init__(self, "taken", message)


@dataclass(frozen=True)
class Entrant:
    """An entry as the draw sees it (and as the protocol records it)."""

    id: int
    household: str
    wishes: tuple[int, ...]


class Drawable(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def household(self) -> str: ...


def _user(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


# --- texts --------------------------------------------------------------------------------------


def _moment(moment: dt.datetime) -> str:
    local = to_local(moment)
    return _("%(date)s kl. %(time)s") % {
        "date": date_format(local, "DATE_FORMAT"),
        "time": f"{local:%H:%M}",
    }


def describe(resource: Resource, start: dt.datetime, end: dt.datetime) -> str:
    """«Testhytta, 14. februar 2026 kl. 15:00 – 21. februar 2026 kl. 12:00» in the active
    language."""
    return f"{resource.in_language()}, {_moment(start)} – {_moment(end)}"


def describe_period(period: LotteryPeriod) -> str:
    return describe(period.resource, period.start, period.end)


# --- making a lottery -----------------------------------------------------------------------------


def _check_periods(
    periods: Sequence[tuple[Resource, dt.datetime, dt.datetime]], closes_at: dt.datetime
) -> None:
    """Each period whole units of its resource, after the deadline, and no two periods of
    one resource overlapping (buffer for cleaning included)."""
    spans: dict[int, list[tuple[dt.datetime, dt.datetime, Resource]]] = {}
    for resource, start, end in periods:
        units_of(resource, start, end)
        if start <= closes_at:
            raise BookingRefused(
                "period_before_close",
                _("Periodane må starte etter søknadsfristen. Det gjer ikkje %(period)s.")
                % {"period": describe(resource, start, end)},
            )
        spans.setdefault(resource.pk, []).append((start, end, resource))
    for held in spans.values():
        held.sort(key=lambda span: span[0])
        for (start, end, resource), (later, later_end, _same) in itertools.pairwise(held):
            if later < end + dt.timedelta(minutes=resource.buffer_minutes):
                raise BookingRefused(
                    "periods_overlap",
                    _(
                        "To av periodane overlappar: %(first)s og %(second)s. "
                        "Ta bort eller endre den eine."
                    )
                    % {
                        "first": describe(resource, start, end),
                        "second": describe(resource, later, later_end),
                    },
                )


def _hold(period: LotteryPeriod, name: str, by: Any) -> Booking:
    """Block the period, buffer included, so that the booking it may become holds no more
    than the block did."""
    resource = period.resource
    taken = _(
        "%(period)s er alt oppteken. Ta perioden ut av trekninga, eller flytt det som ligg der."
    )
    try:
        block = services.block(
            resource, period.start, period.end, reason=f"Trekning: {name}", by=by
        )
    except PeriodTaken as error:
        raise PeriodHeld(taken % {"period": describe_period(period)}) from error
    hold_until = period.end + dt.timedelta(minutes=resource.buffer_minutes)
    if hold_until > period.end:
        if availability.overlapping(resource, period.end, hold_until).exclude(pk=block.pk).exists():
            raise PeriodHeld(taken % {"period": describe_period(period)})
        try:
            with transaction.atomic():
                Booking.objects.filter(pk=block.pk).update(hold_until=hold_until)
        except IntegrityError as error:  # the exclusion constraint (PostgreSQL)
            raise PeriodHeld(taken % {"period": describe_period(period)}) from error
    return block


def create_lottery(
    *,
    name: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    periods: Sequence[tuple[Resource, dt.datetime, dt.datetime]],
    confirm_days: int = 7,
    wins_per_household: int = 1,
    priority_to_last_losers: bool = False,
    previous: Lottery | None = None,
    by: Any = None,
) -> Lottery:
    """A lottery for `periods`, each held by a block until it is drawn and confirmed.
    All or nothing: a period that is taken refuses the whole lottery (PeriodTaken)."""
    name = name.strip()
    if not name:
        raise BookingRefused("name", _("Gje trekninga eit namn."))
    if closes_at <= opens_at:
        raise BookingRefused(
            "lottery_dates", _("Søknadsfristen må kome etter at påmeldinga opnar.")
        )
    if not periods:
        raise BookingRefused("no_periods", _("Legg til minst éin periode som skal trekkjast."))
    if confirm_days < 1:
        raise BookingRefused("confirm_days", _("Fristen for å stadfeste må vere minst éin dag."))
    if wins_per_household != 1:
        # An entry keeps one period (LotteryEntry.period); more needs a place for each win.
        raise BookingRefused(
            "wins_per_household",
            _("Kvar husstand kan vinne éin periode i ei trekning. Set talet til 1."),
        )
    _check_periods(periods, closes_at)
    with transaction.atomic():
        lottery = Lottery.objects.create(
            name=name[:200],
            opens_at=opens_at,
            closes_at=closes_at,
            confirm_days=confirm_days,
            wins_per_household=wins_per_household,
            priority_to_last_losers=priority_to_last_losers,
            previous=previous,
        )
        blocks: dict[str, int] = {}
        for resource, start, end in periods:
            period = LotteryPeriod.objects.create(
                lottery=lottery, resource=resource, start=start, end=end
            )
            blocks[str(period.pk)] = _hold(period, name, by).pk
        lottery.protocol = {"blocks": blocks}
        lottery.save(update_fields=["protocol"])
    return lottery


# --- entering ---------------------------------------------------------------------------------


def is_open(lottery: Lottery, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return lottery.drawn_at is None and lottery.opens_at <= now < lottery.closes_at


def _check_wishes(lottery: Lottery, wishes: Sequence[int]) -> list[int]:
    if not wishes:
        raise BookingRefused("no_wishes", _("Vel minst éin periode du ønskjer."))
    known = set(LotteryPeriod.objects.filter(lottery=lottery).values_list("pk", flat=True))
    chosen: list[int] = []
    for wish in wishes:
        try:
            period = int(wish)
        except (TypeError, ValueError):
            period = 0
        if period not in known:
            raise BookingRefused(
                "unknown_period", _("Ein av periodane du valde, er ikkje med i trekninga.")
            )
        if period in chosen:
            raise BookingRefused(
                "duplicate_wish", _("Kvar periode kan berre vere med éin gong i ønska dine.")
            )
        chosen.append(period)
    return chosen


def enter(
    lottery: Lottery,
    *,
    name: str,
    email: str,
    national_id: str,
    wishes: Sequence[int],
    language: str = "nn",
    now: dt.datetime | None = None,
) -> LotteryEntry:
    """Enter a resident's household with its wishes, best first. The fødselsnummer finds
    the household in the residency check and is then forgotten. A household that withdrew
    may enter again while the lottery is open (that is how wishes are changed)."""
    now = now or timezone.now()
    # Lower case, as bookings and the «mine bookingar» link keep addresses.
    name, email = name.strip(), email.strip().lower()
    with transaction.atomic():
        # Locked against the draw: an entry either is in the draw or was refused.
        locked = Lottery.objects.select_for_update().get(pk=lottery.pk)
        if not is_open(locked, now):
            raise BookingRefused(
                "lottery_closed",
                _("Påmeldinga til %(name)s er open frå %(opens)s til %(closes)s.")
                % {
                    "name": locked.name,
                    "opens": _moment(locked.opens_at),
                    "closes": _moment(locked.closes_at),
                },
            )
        if not name:
            raise BookingRefused("name", _("Skriv namnet ditt."))
        if "@" not in email or len(email) > 254:
            raise BookingRefused("email", _("Skriv ei gyldig e-postadresse."))
        chosen = _check_wishes(locked, wishes)
        household = residency.check().household_of(national_id)
        if not household:
            raise BookingRefused(
                "not_resident",
                _(
                    "Vi finn ikkje fødselsnummeret i folkeregisteret for kommunen. Trekninga "
                    "er for innbyggjarar. Er du busett her, ta kontakt med Tenestetorget."
                ),
            )
        already = BookingRefused(
            "already_entered",
            _(
                "Husstanden din er alt påmeld denne trekninga. "
                "Kvar husstand kan melde seg på éin gong."
            ),
        )
        entry = LotteryEntry.objects.filter(lottery=locked, household=household).first()
        if entry is not None and entry.status != EntryStatus.WITHDRAWN:
            raise already
        if entry is None:
            entry = LotteryEntry(lottery=locked, household=household)
        entry.name = name[:200]
        entry.email = email
        entry.language = language if language in LANGUAGES else "nn"
        entry.wishes = chosen
        entry.status = EntryStatus.ENTERED
        entry.entered_at = now
        try:
            with transaction.atomic():
                entry.save()
        except IntegrityError as error:  # two entries of one household at once
            raise already from error
        _notify_entered(locked, entry)
    return entry


# --- the draw ---------------------------------------------------------------------------------


def draw_order(
    entries: Iterable[Drawable], seed: str, priority_households: Iterable[str] = ()
) -> list[int]:
    """The order of the draw (entry ids, first drawn first): the priority households' entries
    shuffled, then the others shuffled, by one `random.Random(seed)`, over the entries sorted
    by id so that the same entries and seed give the same order anywhere."""
    # Reproducible on purpose (the protocol repeats it); the unpredictability is the seed's.
    rng = random.Random(seed)  # noqa: S311
    priority = set(priority_households)
    ordered = sorted(entries, key=lambda entry: entry.id)
    first = [entry.id for entry in ordered if entry.household in priority]
    rest = [entry.id for entry in ordered if entry.household not in priority]
    rng.shuffle(first)
    rng.shuffle(rest)
    return first + rest


def allocate(
    order: Sequence[int], entrants: Iterable[Entrant], wins_per_household: int = 1
) -> dict[int, list[int]]:
    """Entry id → the periods it won, in the order won. In each round every entry, in the
    draw's order, takes its best wish that nobody has taken, until its household has
    `wins_per_household`; a period is taken once, so there are never more winners than
    periods."""
    by_id = {entrant.id: entrant for entrant in entrants}
    taken: set[int] = set()
    wins: Counter[str] = Counter()
    won: dict[int, list[int]] = {}
    for _round in range(wins_per_household):
        progress = False
        for entry_id in order:
            entrant = by_id[entry_id]
            if wins[entrant.household] >= wins_per_household:
                continue
            for period in entrant.wishes:
                if period not in taken:
                    taken.add(period)
                    won.setdefault(entry_id, []).append(period)
                    wins[entrant.household] += 1
                    progress = True
                    break
        if not progress:
            break
    return won


def _last_losers(lottery: Lottery) -> set[str]:
    if not lottery.priority_to_last_losers or lottery.previous_id is None:
        return set()
    return set(
        LotteryEntry.objects.filter(
            lottery_id=lottery.previous_id, status=EntryStatus.LOST
        ).values_list("household", flat=True)
    )


def _deadline(lottery: Lottery, period: LotteryPeriod, now: dt.datetime) -> dt.datetime:
    """The confirmation deadline: the lottery's days from now, but not after the start."""
    deadline = now + dt.timedelta(days=lottery.confirm_days)
    return min(deadline, period.start) if period.start > now else deadline


def draw(
    lottery: Lottery, *, seed: str | None = None, now: dt.datetime | None = None, by: Any = None
) -> Lottery:
    """Draw the lottery once, after its deadline: winners (WON, with a deadline to confirm,
    told by e-mail at once) and the waiting list (LOST, by position; told by the sweep in
    batches, see `advance`, so that a draw among thousands takes a moment, not minutes of
    e-mails), and the protocol. A constant number of queries besides the winners' e-mails."""
    now = now or timezone.now()
    seed = seed or secrets.token_hex(16)
    with transaction.atomic():
        locked = Lottery.objects.select_for_update().get(pk=lottery.pk)
        if locked.drawn_at is not None:
            raise BookingRefused("drawn", _("Denne trekninga er alt gjort."))
        if now < locked.closes_at:
            raise BookingRefused(
                "not_closed",
                _("Trekninga kan gjerast etter søknadsfristen, %(closes)s.")
                % {"closes": _moment(locked.closes_at)},
            )
        if locked.wins_per_household != 1:
            raise BookingRefused(
                "wins_per_household",
                _("Kvar husstand kan vinne éin periode i ei trekning. Set talet til 1."),
            )
        periods = {
            p.pk: p for p in LotteryPeriod.objects.filter(lottery=locked).select_related("resource")
        }
        rows = list(
            LotteryEntry.objects.filter(lottery=locked, status=EntryStatus.ENTERED)
            .order_by("pk")
            .values_list("pk", "household", "wishes", "name", "email", "language")
        )
        entrants = [Entrant(pk, household, tuple(wishes)) for pk, household, wishes, *_r in rows]
        households = {entrant.household for entrant in entrants}
        priority = sorted(_last_losers(locked) & households)
        order = draw_order(entrants, seed, priority)
        allocation = allocate(order, entrants, locked.wins_per_household)

        deadlines = {
            entry_id: _deadline(locked, periods[won[0]], now)
            for entry_id, won in allocation.items()
        }
        _write_results(order, allocation, deadlines)

        # Periods nobody won have nobody waiting for them either (every entrant who wished
        # for one won something it wished for more): bookable at once.
        won_periods = {period for won in allocation.values() for period in won}
        released = sorted(set(periods) - won_periods)
        for period_id in released:
            _release(locked, period_id)

        locked.seed = seed
        locked.drawn_at = now
        locked.protocol = {
            **locked.protocol,
            "method": METHOD,
            "seed": seed,
            "drawn_at": now.isoformat(),
            "drawn_by": getattr(_user(by), "pk", None),
            "wins_per_household": locked.wins_per_household,
            "periods": sorted(periods),
            "priority_households": priority,
            "entrants": [
                {"entry": e.id, "household": e.household, "wishes": list(e.wishes)}
                for e in entrants
            ],
            "order": order,
            "allocation": {str(entry_id): won for entry_id, won in allocation.items()},
            "released": released,
            "moves": [],
            # The waiting list hears from the sweep, a batch at a time (`advance`).
            "waiting_notices": {"sent_up_to": 0, "done": not set(order) - set(allocation)},
        }
        locked.save(update_fields=["seed", "drawn_at", "protocol"])

        contacts = {pk: (name, email, language) for pk, _h, _w, name, email, language in rows}
        _notify_winners(locked, allocation, deadlines, periods, contacts)
    return locked


def _column(name: str) -> str:
    field = LotteryEntry._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column
    return str(field.column)


def _write_results(
    order: Sequence[int], allocation: Mapping[int, list[int]], deadlines: Mapping[int, dt.datetime]
) -> None:
    """Every entry drawn is LOST at its place, a few hundred rows per UPDATE joined to a
    VALUES list of (id, place) (PostgreSQL and SQLite ≥ 3.33 alike; both name its columns
    column1, column2); then the winners are WON with their period and deadline, one UPDATE
    each. Row by row took seconds through bulk_update's CASE expressions and half a second
    as 5,000 statements on PostgreSQL."""
    quote = connection.ops.quote_name
    # Only the model's own table and column names go into the text; the values are parameters.
    table = quote(LotteryEntry._meta.db_table)
    pk, status, position = (quote(_column(name)) for name in ("id", "status", "position"))
    places = list(enumerate(order, start=1))
    with connection.cursor() as cursor:
        for first in range(0, len(places), PLACES_PER_UPDATE):
            chunk = places[first : first + PLACES_PER_UPDATE]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(
                f"UPDATE {table} SET {status} = %s, {position} = v.column2 "  # noqa: S608
                f"FROM (VALUES {values}) AS v WHERE {table}.{pk} = v.column1",
                [
                    EntryStatus.LOST.value,
                    *itertools.chain.from_iterable((entry_id, place) for place, entry_id in chunk),
                ],
            )
    for entry_id, won in allocation.items():
        LotteryEntry.objects.filter(pk=entry_id).update(
            status=EntryStatus.WON, period_id=won[0], confirm_by=deadlines[entry_id]
        )


def verify(lottery: Lottery) -> bool:
    """Run the draw again from the protocol: True when the seed, entrants and priority
    give the recorded order and allocation, and the entries in the database are the ones
    the protocol names, at the places it gives them."""
    protocol = lottery.protocol or {}
    try:
        entrants = [
            Entrant(int(e["entry"]), str(e["household"]), tuple(int(w) for w in e["wishes"]))
            for e in protocol["entrants"]
        ]
        seed = str(protocol["seed"])
        priority = [str(h) for h in protocol["priority_households"]]
        order = draw_order(entrants, seed, priority)
        allocation = allocate(order, entrants, int(protocol["wins_per_household"]))
        recorded_order = [int(i) for i in protocol["order"]]
        recorded = {
            int(entry): [int(p) for p in won] for entry, won in protocol["allocation"].items()
        }
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    if lottery.drawn_at is None or seed != lottery.seed:
        return False
    if priority and not lottery.priority_to_last_losers:
        return False
    if order != recorded_order or allocation != recorded:
        return False
    rows = {
        pk: (household, [int(w) for w in wishes], status, position)
        for pk, household, wishes, status, position in LotteryEntry.objects.filter(
            lottery=lottery
        ).values_list("pk", "household", "wishes", "status", "position")
    }
    sources = {entrant.id: entrant for entrant in entrants}
    for place, entry_id in enumerate(order, start=1):
        row = rows.pop(entry_id, None)
        source = sources.get(entry_id)
        if row is None or source is None:
            return False
        household, wishes, _status, position = row
        if household != source.household or tuple(wishes) != source.wishes or position != place:
            return False
    # An entry the draw did not see had withdrawn before it.
    return all(status == EntryStatus.WITHDRAWN for _h, _w, status, _p in rows.values())


# --- after the draw ---------------------------------------------------------------------------


def _block_of(lottery: Lottery, period_id: int) -> Booking | None:
    block_id = (lottery.protocol or {}).get("blocks", {}).get(str(period_id))
    if block_id is None:
        return None
    return Booking.objects.select_for_update().filter(pk=block_id).first()


def _release(lottery: Lottery, period_id: int) -> None:
    block = _block_of(lottery, period_id)
    if block is not None and block.status == Status.BLOCKED:
        services.unblock(block, by=None)


def confirm(entry: LotteryEntry, *, now: dt.datetime | None = None) -> Booking:
    """The winner takes the period: its block becomes the winner's confirmed booking (the
    same row, so the period is held throughout), priced by the price list for residents,
    with the usual confirmation e-mail."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            LotteryEntry.objects.select_for_update(of=("self",))
            .select_related("lottery", "period__resource")
            .get(pk=entry.pk)
        )
        if locked.status != EntryStatus.WON or locked.period is None:
            raise BookingRefused(
                "not_won",
                _("Du har ingen plass å stadfeste i denne trekninga."),
            )
        if locked.confirm_by is None or now > locked.confirm_by:
            raise BookingRefused(
                "confirmation_expired",
                _(
                    "Fristen for å stadfeste gjekk ut %(deadline)s. "
                    "Plassen går vidare til den neste på ventelista."
                )
                % {"deadline": _moment(locked.confirm_by or now)},
            )
        period = locked.period
        resource = period.resource
        # The resource's lock, as every write of a booking takes it (booking.services).
        Resource.objects.filter(pk=resource.pk).update(version=F("version") + 1)
        booking = _block_of(locked.lottery, period.pk)
        if booking is None or booking.status != Status.BLOCKED:
            raise BookingRefused(
                "period_gone",
                _("Perioden er ikkje lenger halden for trekninga. Ta kontakt med Tenestetorget."),
            )
        units = units_of(resource, booking.start, booking.end)
        booking.status = Status.CONFIRMED
        booking.booker_name = locked.name
        booking.booker_email = locked.email.strip().lower()
        booking.booker_kind = BookerKind.RESIDENT
        booking.household = locked.household
        booking.units = units
        booking.price = services.price_for(resource, BookerKind.RESIDENT, booking.start, units)
        booking.deposit = resource.deposit
        booking.language = locked.language
        booking.created_at = now
        booking.save(
            update_fields=[
                "status",
                "booker_name",
                "booker_email",
                "booker_kind",
                "household",
                "units",
                "price",
                "deposit",
                "language",
                "created_at",
            ]
        )
        BookingEvent.objects.create(
            booking=booking,
            kind="created",
            data={"lottery": locked.lottery_id, "entry": locked.pk, "status": booking.status},
            at=now,
        )
        locked.status = EntryStatus.CONFIRMED
        locked.booking = booking
        locked.save(update_fields=["status", "booking"])
        notices.booked(booking)
    return booking


def _pass_on(
    lottery: Lottery, period: LotteryPeriod, now: dt.datetime, *, left_by: int, why: str
) -> LotteryEntry | None:
    """Offer a period that came free to the first on the waiting list who wished for it
    and has room for another win; release it when there is nobody (or it has started).
    The lottery must be locked by the caller."""
    offered: LotteryEntry | None = None
    if period.start > now:
        wins = Counter(
            LotteryEntry.objects.filter(
                lottery=lottery, status__in=(EntryStatus.WON, EntryStatus.CONFIRMED)
            ).values_list("household", flat=True)
        )
        waiting = LotteryEntry.objects.filter(lottery=lottery, status=EntryStatus.LOST).order_by(
            F("position").asc(nulls_last=True), "pk"
        )
        for pk, household, wishes in waiting.values_list("pk", "household", "wishes"):
            if period.pk in wishes and wins[household] < lottery.wins_per_household:
                offered = LotteryEntry.objects.select_for_update().get(pk=pk)
                break
    if offered is not None:
        offered.status = EntryStatus.WON
        offered.period = period
        offered.confirm_by = _deadline(lottery, period, now)
        offered.save(update_fields=["status", "period", "confirm_by"])
        _notify_offered(lottery, offered)
    else:
        _release(lottery, period.pk)
    lottery.protocol = {
        **lottery.protocol,
        "moves": [
            *lottery.protocol.get("moves", []),
            {
                "at": now.isoformat(),
                "period": period.pk,
                "from": left_by,
                "why": why,
                "to": offered.pk if offered else None,
            },
        ],
    }
    lottery.save(update_fields=["protocol"])
    return offered


def advance(now: dt.datetime | None = None) -> int:
    """The sweep's part: winners past their deadline lose the place (EXPIRED, with an
    e-mail), which goes to the next on the waiting list or is released; and the waiting list
    of a fresh draw hears where it stands, a batch at a time. Returns how much it did (places
    moved on + notices stored): a second run at the same moment does nothing and returns 0."""
    now = now or timezone.now()
    return _expire(now) + _notify_waiting(now)


def _expire(now: dt.datetime) -> int:
    due = list(
        LotteryEntry.objects.filter(status=EntryStatus.WON, confirm_by__lt=now)
        .order_by("confirm_by", "pk")
        .values_list("pk", "lottery_id")[:BATCH]
    )
    moved = 0
    for entry_id, lottery_id in due:
        with transaction.atomic():
            lottery = Lottery.objects.select_for_update().get(pk=lottery_id)
            entry = (
                LotteryEntry.objects.select_for_update(of=("self",))
                .select_related("period__resource")
                .get(pk=entry_id)
            )
            if (
                entry.status != EntryStatus.WON
                or entry.confirm_by is None
                or entry.confirm_by >= now
                or entry.period is None
            ):
                continue  # confirmed or withdrawn meanwhile
            entry.status = EntryStatus.EXPIRED
            entry.save(update_fields=["status"])
            _notify_expired(lottery, entry)
            _pass_on(lottery, entry.period, now, left_by=entry.pk, why="expired")
            moved += 1
    return moved


def withdraw(entry: LotteryEntry, *, now: dt.datetime | None = None) -> LotteryEntry:
    """The household leaves the lottery: before the draw, its entry; after it, its place on
    the waiting list, or the period it won (which goes to the next). A confirmed place is a
    booking by then and is cancelled as one (booking.services.cancel)."""
    now = now or timezone.now()
    with transaction.atomic():
        lottery = Lottery.objects.select_for_update().get(pk=entry.lottery_id)
        locked = (
            LotteryEntry.objects.select_for_update(of=("self",))
            .select_related("period__resource")
            .get(pk=entry.pk)
        )
        if locked.status == EntryStatus.CONFIRMED:
            raise BookingRefused(
                "confirmed",
                _(
                    "Plassen er stadfesta og er no ei booking. "
                    "Avbestill bookinga under «mine bookingar»."
                ),
            )
        if locked.status not in (EntryStatus.ENTERED, EntryStatus.WON, EntryStatus.LOST):
            raise BookingRefused("not_active", _("Denne påmeldinga er ikkje lenger aktiv."))
        had = locked.period if locked.status == EntryStatus.WON else None
        locked.status = EntryStatus.WITHDRAWN
        locked.save(update_fields=["status"])
        if had is not None:
            _pass_on(lottery, had, now, left_by=locked.pk, why="withdrawn")
    return locked


# --- e-mails ----------------------------------------------------------------------------------


def _links_for(emails: Iterable[str]) -> dict[str, str]:
    """The «mine bookingar» link of many addresses at once (as notices.link_for makes one):
    thousands of e-mails after a draw, and a query or two each would be most of the time."""
    wanted = sorted({email.strip().lower() for email in emails})
    BookerLink.objects.bulk_create(
        [BookerLink(email=email) for email in wanted], ignore_conflicts=True, batch_size=1000
    )
    tokens: dict[str, str] = {}
    for start in range(0, len(wanted), 1000):
        tokens.update(
            BookerLink.objects.filter(email__in=wanted[start : start + 1000]).values_list(
                "email", "token"
            )
        )
    # One reverse() for all: tokens are URL-safe, so each link is the pattern with its token.
    pattern = f"{settings.SITE_URL}{reverse('portal:booking_mine', args=['TOKEN'])}"
    return {email: pattern.replace("TOKEN", token) for email, token in tokens.items()}


def _send(
    lottery: Lottery,
    entry_id: int,
    email: str,
    language: str,
    subject: str,
    lines: list[str],
    link: str,
) -> None:
    footer = [
        "",
        _("Sjå, endre eller avbestill bookingane dine: %(url)s") % {"url": link},
        "",
        _("Helsing Tenestetorget"),
    ]
    outbox.store(
        audience=Audience.SENDER,
        kind=MessageKind.LOTTERY,
        to=[email],
        subject=subject,
        body="\n".join([*lines, *footer]),
        language=language,
        data={"lottery": lottery.pk, "entry": entry_id},
    )


def _notify_entered(lottery: Lottery, entry: LotteryEntry) -> None:
    periods = LotteryPeriod.objects.in_bulk(entry.wishes)
    with translation.override(entry.language):
        lines = [
            _("Hei %(name)s,") % {"name": entry.name},
            "",
            _("Vi har fått påmeldinga di til trekninga «%(lottery)s». Ønska dine, det beste først:")
            % {"lottery": lottery.name},
            *[
                f"{n}. {describe_period(periods[wish])}"
                for n, wish in enumerate(entry.wishes, start=1)
                if wish in periods
            ],
            "",
            _("Trekninga blir gjord etter søknadsfristen %(closes)s. Du får svar på e-post.")
            % {"closes": _moment(lottery.closes_at)},
        ]
        _send(
            lottery,
            entry.pk,
            entry.email,
            entry.language,
            _("Påmelding motteken: %(lottery)s") % {"lottery": lottery.name},
            lines,
            notices.link_for(entry.email),
        )


def _won_lines(
    lottery: Lottery, name: str, period: LotteryPeriod, deadline: dt.datetime
) -> list[str]:
    return [
        _("Hei %(name)s,") % {"name": name},
        "",
        _("Du er trekt ut i trekninga «%(lottery)s» og har fått %(period)s.")
        % {"lottery": lottery.name, "period": describe_period(period)},
        "",
        _(
            "Stadfest plassen under «mine bookingar» innan %(deadline)s. Elles går han "
            "vidare til den neste på ventelista."
        )
        % {"deadline": _moment(deadline)},
    ]


def _notify_winners(
    lottery: Lottery,
    allocation: Mapping[int, list[int]],
    deadlines: Mapping[int, dt.datetime],
    periods: Mapping[int, LotteryPeriod],
    contacts: Mapping[int, tuple[str, str, str]],
) -> None:
    """The winners hear at once: their deadline to confirm runs from the draw."""
    links = _links_for(contacts[entry_id][1] for entry_id in allocation)
    for entry_id, won in allocation.items():
        name, email, language = contacts[entry_id]
        with translation.override(language):
            _send(
                lottery,
                entry_id,
                email,
                language,
                _("Du er trekt ut: %(lottery)s") % {"lottery": lottery.name},
                _won_lines(lottery, name, periods[won[0]], deadlines[entry_id]),
                links[email.strip().lower()],
            )


def _notify_waiting(now: dt.datetime) -> int:
    """The next batch of waiting-list notices of each drawn lottery that has some left: the
    entries in the draw's order after the protocol's cursor, each told its number on the
    waiting list, if it is still waiting. The cursor moves in the transaction that stores
    the notices, so each is stored once."""
    sent = 0
    pending = Lottery.objects.filter(
        drawn_at__isnull=False, protocol__waiting_notices__done=False
    ).values_list("pk", flat=True)
    for lottery_id in list(pending):
        for _batch in range(NOTICE_BATCHES_PER_SWEEP):
            sent += _notify_waiting_batch(lottery_id)
    return sent


def _notify_waiting_batch(lottery_id: int) -> int:
    """One transaction's worth of waiting-list notices of one lottery; how many it stored."""
    sent = 0
    with transaction.atomic():
        lottery = Lottery.objects.select_for_update().get(pk=lottery_id)
        progress = lottery.protocol.get("waiting_notices", {})
        if progress.get("done", True):
            return 0
        order = [int(i) for i in lottery.protocol["order"]]
        winners = {int(i) for i in lottery.protocol["allocation"]}
        places: dict[int, int] = {}
        for entry_id in order:
            if entry_id not in winners:
                places[entry_id] = len(places) + 1
        cursor = int(progress.get("sent_up_to", 0))
        batch = [i for i in order[cursor : cursor + NOTICE_BATCH] if i in places]
        rows = LotteryEntry.objects.filter(pk__in=batch, status=EntryStatus.LOST).values_list(
            "pk", "name", "email", "language"
        )
        waiting = {pk: (name, email, language) for pk, name, email, language in rows}
        links = _links_for(email for _n, email, _l in waiting.values())
        by_language: dict[str, list[int]] = {}
        for entry_id in batch:
            if entry_id in waiting:
                by_language.setdefault(waiting[entry_id][2], []).append(entry_id)
        for language, entry_ids in by_language.items():
            with translation.override(language):  # switched once per language
                for entry_id in entry_ids:
                    name, email, _language = waiting[entry_id]
                    link = links[email.strip().lower()]
                    place = places[entry_id]
                    _send_waiting(lottery, entry_id, name, email, language, place, link)
                    sent += 1
        cursor = min(cursor + NOTICE_BATCH, len(order))
        lottery.protocol = {
            **lottery.protocol,
            "waiting_notices": {"sent_up_to": cursor, "done": cursor >= len(order)},
        }
        lottery.save(update_fields=["protocol"])
    return sent


def _send_waiting(
    lottery: Lottery, entry_id: int, name: str, email: str, language: str, place: int, link: str
) -> None:
    lines = [
        _("Hei %(name)s,") % {"name": name},
        "",
        _(
            "Du vart ikkje trekt ut i trekninga «%(lottery)s» denne gongen. "
            "Du står som nummer %(place)s på ventelista."
        )
        % {"lottery": lottery.name, "place": place},
        _(
            "Stadfestar ikkje ein vinnar innan fristen, går plassen til den "
            "første på ventelista som ønskte same periode. Då får du e-post."
        ),
    ]
    _send(
        lottery,
        entry_id,
        email,
        language,
        _("Trekninga er gjord: %(lottery)s") % {"lottery": lottery.name},
        lines,
        link,
    )


def _notify_offered(lottery: Lottery, entry: LotteryEntry) -> None:
    assert entry.period is not None and entry.confirm_by is not None
    with translation.override(entry.language):
        lines = _won_lines(lottery, entry.name, entry.period, entry.confirm_by)
        lines[2] = _(
            "Ein plass i trekninga «%(lottery)s» har vorte ledig, og du står først på "
            "ventelista: %(period)s er din om du vil ha han."
        ) % {"lottery": lottery.name, "period": describe_period(entry.period)}
        _send(
            lottery,
            entry.pk,
            entry.email,
            entry.language,
            _("Ein plass er ledig for deg: %(lottery)s") % {"lottery": lottery.name},
            lines,
            notices.link_for(entry.email),
        )


def _notify_expired(lottery: Lottery, entry: LotteryEntry) -> None:
    assert entry.period is not None
    with translation.override(entry.language):
        lines = [
            _("Hei %(name)s,") % {"name": entry.name},
            "",
            _(
                "Fristen for å stadfeste %(period)s i trekninga «%(lottery)s» gjekk ut, så "
                "plassen har gått vidare til den neste på ventelista."
            )
            % {"period": describe_period(entry.period), "lottery": lottery.name},
        ]
        _send(
            lottery,
            entry.pk,
            entry.email,
            entry.language,
            _("Fristen gjekk ut: %(lottery)s") % {"lottery": lottery.name},
            lines,
            notices.link_for(entry.email),
        )
