"""Peak weeks by lottery: periods held while it runs, residents' entries, a draw that is
reproducible and fair (one winner a period, one period a household, the priority tier
first), confirmation turning the block into a booking, and the waiting list moving up."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from stdnum.no import fodselsnummer

from tenestetorget.booking import lottery, residency, services, testing
from tenestetorget.booking.models import (
    BookerKind,
    Booking,
    BookingEvent,
    EntryStatus,
    Lottery,
    LotteryEntry,
    LotteryPeriod,
    Resource,
    Status,
)
from tenestetorget.booking.rules import BookingRefused, PeriodTaken, span_for_dates
from tenestetorget.contact.models import OutgoingMessage

pytestmark = pytest.mark.django_db


def national_ids(count: int) -> list[str]:
    """Valid test fødselsnummer: birth dates from 1950 on, individual numbers 000–499
    (born 1900–1999), the two check digits computed; those that come out invalid skipped."""
    found: list[str] = []
    day = dt.date(1950, 1, 1)
    while len(found) < count:
        for individual in range(500):
            base = f"{day:%d%m%y}{individual:03d}"
            first = fodselsnummer.calc_check_digit1(base)
            number = base + first + fodselsnummer.calc_check_digit2(base + first)
            if fodselsnummer.is_valid(number):
                found.append(number)
                if len(found) == count:
                    break
        day += dt.timedelta(days=1)
    return found


PEOPLE = national_ids(8)
# Kari and Per live together (household H1); the others each in a household of their own.
HOUSEHOLDS = ["H1", "H1", "H2", "H3", "H4", "H5", "H6", "H7"]
NOT_IN_REGISTER = national_ids(9)[-1]


@pytest.fixture(autouse=True)
def register() -> None:
    rows = "\n".join(
        f"{number};Person {n};{household};Vegen {n}"
        for n, (number, household) in enumerate(zip(PEOPLE, HOUSEHOLDS, strict=True))
    )
    residency.import_register(f"fodselsnummer;namn;husstand;adresse\n{rows}\n")


NOW = timezone.now().replace(microsecond=0)


def friday(weeks: int) -> dt.date:
    today = timezone.localdate(NOW)
    return today + dt.timedelta(days=(4 - today.weekday()) % 7 + 7 * weeks)


def week(resource: Resource, weeks: int) -> tuple[Resource, dt.datetime, dt.datetime]:
    """Friday 15:00 to the next Friday 12:00, `weeks` weeks ahead."""
    first = friday(weeks)
    return (resource, *span_for_dates(resource, first, first + dt.timedelta(days=7)))


@pytest.fixture
def cabin() -> Resource:
    return testing.cabin("hytte-trekning")


def make(cabin: Resource, weeks: int = 3, **changes: object) -> Lottery:
    fields: dict[str, object] = {
        "name": "Vinterferie",
        "opens_at": NOW - dt.timedelta(days=7),
        "closes_at": NOW + dt.timedelta(days=1),
        "periods": [week(cabin, 8 + n) for n in range(weeks)],
    }
    fields.update(changes)
    return lottery.create_lottery(**fields)  # type: ignore[arg-type]


def periods_of(drawn: Lottery) -> list[int]:
    return list(LotteryPeriod.objects.filter(lottery=drawn).values_list("pk", flat=True))


def join(
    drawn: Lottery, person: int, wishes: list[int], now: dt.datetime = NOW, **extra: str
) -> LotteryEntry:
    fields = {"name": f"Person {person}", "email": f"person{person}@example.no", **extra}
    return lottery.enter(drawn, national_id=PEOPLE[person], wishes=wishes, now=now, **fields)


AFTER = NOW + dt.timedelta(days=2)


class _code:
    """`with _code("x"):` fails unless the block raises BookingRefused with code x."""

    def __init__(self, code: str) -> None:
        self.code = code

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: object, _tb: object) -> bool:
        assert isinstance(error, BookingRefused), f"expected refusal {self.code!r}, got {error!r}"
        assert error.code == self.code, (error.code, error.message)
        assert error.message
        return True


def status(entry: LotteryEntry) -> str:
    return LotteryEntry.objects.get(pk=entry.pk).status


# --- making a lottery -----------------------------------------------------------------------


def test_a_lottery_holds_its_periods_so_nobody_books_them_meanwhile(cabin: Resource) -> None:
    made = make(cabin)
    blocks = made.protocol["blocks"]
    assert sorted(int(p) for p in blocks) == sorted(periods_of(made))
    for period in LotteryPeriod.objects.filter(lottery=made):
        block = Booking.objects.get(pk=blocks[str(period.pk)])
        assert block.status == Status.BLOCKED and block.note == "Trekning: Vinterferie"
        assert (block.start, block.end) == (period.start, period.end)
    _resource, start, end = week(cabin, 8)
    booker = services.Booker("Kari", "kari@example.no", BookerKind.RESIDENT, national_id=PEOPLE[0])
    with pytest.raises(PeriodTaken):
        services.book(cabin, start, end, booker, check_rules=False)


def test_the_block_holds_the_cleaning_buffer_as_the_booking_will() -> None:
    cabin = testing.cabin("hytte-buffer", buffer_minutes=120)
    made = make(cabin, weeks=1)
    block = Booking.objects.get(pk=next(iter(made.protocol["blocks"].values())))
    assert block.hold_until == block.end + dt.timedelta(minutes=120)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"periods": []}, "no_periods"),
        ({"closes_at": NOW - dt.timedelta(days=7)}, "lottery_dates"),
        ({"name": "  "}, "name"),
        ({"confirm_days": 0}, "confirm_days"),
        ({"wins_per_household": 2}, "wins_per_household"),
        ({"closes_at": NOW + dt.timedelta(days=100)}, "period_before_close"),
    ],
)
def test_a_lottery_is_refused_with_a_reason(cabin: Resource, changes: dict, code: str) -> None:
    with _code(code):
        make(cabin, **changes)
    assert not Lottery.objects.exists() and not Booking.objects.exists()


def test_overlapping_periods_of_one_cabin_are_refused(cabin: Resource) -> None:
    resource, start, end = week(cabin, 8)
    with _code("periods_overlap"):
        make(
            cabin,
            periods=[
                (resource, start, end),
                (resource, start + dt.timedelta(days=3), end + dt.timedelta(days=3)),
            ],
        )
    # The same dates in two cabins are two periods, not an overlap.
    other = testing.cabin("hytte-to")
    made = make(cabin, periods=[(cabin, start, end), (other, start, end)])
    assert LotteryPeriod.objects.filter(lottery=made).count() == 2


def test_a_period_that_is_not_whole_nights_is_refused_with_the_rules_reason(
    cabin: Resource,
) -> None:
    _resource, start, end = week(cabin, 8)
    with _code("check_in_out"):
        make(cabin, periods=[(cabin, start + dt.timedelta(hours=1), end)])


def test_a_taken_period_refuses_the_whole_lottery_and_names_it(cabin: Resource) -> None:
    _resource, start, end = week(cabin, 9)
    services.block(cabin, start, end, reason="Vedlikehald", by=None)
    with pytest.raises(PeriodTaken) as taken:
        make(cabin)
    assert "Testhytta" in taken.value.message and taken.value.code == "taken"
    # All or nothing: the first period's block went with the lottery.
    assert not Lottery.objects.exists()
    assert list(Booking.objects.values_list("note", flat=True)) == ["Vedlikehald"]


# --- entering -------------------------------------------------------------------------------


def test_a_resident_enters_with_wishes_and_gets_a_receipt(cabin: Resource) -> None:
    made = make(cabin)
    first, second, _third = periods_of(made)
    entry = join(made, 2, [second, first], language="nb")
    assert entry.household == "H2" and entry.wishes == [second, first]
    assert entry.status == EntryStatus.ENTERED and entry.language == "nb"
    row = LotteryEntry.objects.filter(pk=entry.pk).values().get()
    assert PEOPLE[2] not in str(row)
    receipt = OutgoingMessage.objects.get(kind="lottery", data__entry=entry.pk)
    assert receipt.to_email == "person2@example.no" and "Vinterferie" in receipt.subject
    assert "1. Testhytta" in receipt.body and "2. Testhytta" in receipt.body
    assert "/utleige/mine/" in receipt.body


def test_entries_are_refused_with_reasons(cabin: Resource) -> None:
    made = make(cabin)
    other = make(testing.cabin("hytte-annan"), name="Påske")
    first = periods_of(made)[0]
    with _code("not_resident"):
        lottery.enter(
            made,
            name="Ola",
            email="ola@example.no",
            national_id=NOT_IN_REGISTER,
            wishes=[first],
            now=NOW,
        )
    with _code("lottery_closed"):
        join(made, 2, [first], now=made.opens_at - dt.timedelta(minutes=1))
    with _code("lottery_closed"):
        join(made, 2, [first], now=made.closes_at)
    with _code("no_wishes"):
        join(made, 2, [])
    with _code("unknown_period"):
        join(made, 2, [first, periods_of(other)[0]])
    with _code("duplicate_wish"):
        join(made, 2, [first, first])
    with _code("email"):
        join(made, 2, [first], email="ikkje-ei-adresse")
    join(made, 0, [first])
    # Per lives with Kari: one entry per household.
    with _code("already_entered"):
        join(made, 1, [first])
    assert LotteryEntry.objects.filter(lottery=made).count() == 1


def test_the_database_keeps_one_entry_per_household(cabin: Resource) -> None:
    from django.db import IntegrityError

    made = make(cabin)
    join(made, 0, periods_of(made))
    with pytest.raises(IntegrityError), transaction.atomic():
        LotteryEntry.objects.create(
            lottery=made, name="X", email="x@example.no", household="H1", entered_at=NOW
        )


def test_withdrawing_before_the_draw_lets_the_household_enter_again_with_new_wishes(
    cabin: Resource,
) -> None:
    made = make(cabin)
    first, second, _third = periods_of(made)
    entry = join(made, 0, [first])
    assert lottery.withdraw(entry, now=NOW).status == EntryStatus.WITHDRAWN
    again = join(made, 1, [second])
    assert again.pk == entry.pk and again.wishes == [second] and again.name == "Person 1"
    assert status(again) == EntryStatus.ENTERED


# --- the draw -------------------------------------------------------------------------------


def test_the_draw_waits_for_the_deadline_and_happens_once(cabin: Resource) -> None:
    made = make(cabin)
    join(made, 0, periods_of(made))
    with _code("not_closed"):
        lottery.draw(made, now=made.closes_at - dt.timedelta(seconds=1))
    drawn = lottery.draw(made, now=made.closes_at)
    assert drawn.drawn_at == made.closes_at and len(drawn.seed) == 32
    with _code("drawn"):
        lottery.draw(made, now=AFTER)
    with _code("lottery_closed"):
        join(made, 2, periods_of(made))


def everyone_enters(made: Lottery, seed: int = 1) -> list[LotteryEntry]:
    """People 0, 2 … 7 (one per household) with shuffled wishes."""
    rng = random.Random(seed)
    entries = []
    for person in (0, 2, 3, 4, 5, 6, 7):
        wishes = periods_of(made)
        rng.shuffle(wishes)
        entries.append(join(made, person, wishes[: rng.randint(1, len(wishes))]))
    return entries


def outcome(made: Lottery) -> dict[int, tuple[str, int | None, int | None]]:
    return {
        pk: (state, period, position)
        for pk, state, period, position in LotteryEntry.objects.filter(lottery=made).values_list(
            "pk", "status", "period_id", "position"
        )
    }


class Rollback(Exception):
    pass


def test_the_same_seed_draws_the_same_and_verify_repeats_it(cabin: Resource) -> None:
    made = make(cabin)
    everyone_enters(made)
    with pytest.raises(Rollback), transaction.atomic():
        lottery.draw(made, seed="trekning-2026", now=AFTER)
        first = outcome(made)
        raise Rollback
    assert all(state == EntryStatus.ENTERED for state, _p, _n in outcome(made).values())
    drawn = lottery.draw(made, seed="trekning-2026", now=AFTER)
    assert outcome(made) == first
    assert drawn.seed == "trekning-2026" == drawn.protocol["seed"]
    assert lottery.verify(drawn)
    # The protocol names no one: households and wishes only.
    assert "Person" not in str(drawn.protocol) and "@" not in str(drawn.protocol)


def test_another_seed_draws_another_order(cabin: Resource) -> None:
    entrants = [lottery.Entrant(n, f"H{n}", (1,)) for n in range(1, 51)]
    one = lottery.draw_order(entrants, "a")
    assert one == lottery.draw_order(list(reversed(entrants)), "a")
    assert one != lottery.draw_order(entrants, "b")
    assert sorted(one) == list(range(1, 51))


@pytest.mark.parametrize(
    "tamper",
    [
        lambda p: p.update(seed="noko-anna"),
        lambda p: p.update(order=[p["order"][1], p["order"][0], *p["order"][2:]]),
        lambda p: p.update(allocation={}),
        lambda p: p["entrants"][0].update(wishes=list(reversed(p["entrants"][0]["wishes"]))),
        lambda p: p.pop("entrants"),
    ],
)
def test_a_tampered_protocol_does_not_verify(cabin: Resource, tamper) -> None:
    made = make(cabin)
    everyone_enters(made, seed=3)
    drawn = lottery.draw(made, seed="s", now=AFTER)
    assert lottery.verify(drawn)
    tamper(drawn.protocol)
    assert not lottery.verify(drawn)


def test_tampered_entries_do_not_verify(cabin: Resource) -> None:
    made = make(cabin)
    entries = everyone_enters(made, seed=4)
    drawn = lottery.draw(made, seed="s", now=AFTER)
    LotteryEntry.objects.filter(pk=entries[0].pk).update(wishes=[999])
    assert not lottery.verify(drawn)
    LotteryEntry.objects.filter(pk=entries[0].pk).update(wishes=entries[0].wishes)
    assert lottery.verify(drawn)
    top = LotteryEntry.objects.get(lottery=drawn, position=1)
    LotteryEntry.objects.filter(pk=top.pk).update(position=99)
    assert not lottery.verify(drawn)


def test_winners_get_a_deadline_and_the_rest_a_place_on_the_waiting_list(
    cabin: Resource,
) -> None:
    made = make(cabin)
    entries = everyone_enters(made, seed=5)
    lottery.draw(made, seed="x", now=AFTER)
    rows = LotteryEntry.objects.filter(lottery=made)
    won = rows.filter(status=EntryStatus.WON)
    assert won.count() == 3  # seven households, three weeks, everyone wished for something
    for winner in won:
        assert winner.confirm_by == AFTER + dt.timedelta(days=7) and winner.period_id
    places = sorted(p or 0 for p in rows.values_list("position", flat=True))
    assert places == list(range(1, len(entries) + 1))
    assert rows.filter(status=EntryStatus.LOST, period__isnull=True).count() == 4
    mails = OutgoingMessage.objects.filter(kind="lottery", subject__startswith="Du er trekt ut")
    assert mails.count() == 3
    assert "/utleige/mine/" in mails[0].body and "innan" in mails[0].body
    # The waiting list hears from the sweep, each once, with its number on the list.
    waiting = OutgoingMessage.objects.filter(kind="lottery", subject__startswith="Trekninga er")
    assert not waiting.exists()
    assert lottery.advance(now=AFTER) == 4
    assert lottery.advance(now=AFTER) == 0
    assert waiting.count() == 4 and "ventelista" in waiting[0].body
    bodies = " ".join(waiting.values_list("body", flat=True))
    assert all(f"nummer {n} på ventelista" in bodies for n in (1, 2, 3, 4))


def test_a_period_nobody_won_is_released_at_the_draw(cabin: Resource) -> None:
    made = make(cabin)
    first, second, third = periods_of(made)
    join(made, 0, [first, second])
    drawn = lottery.draw(made, now=AFTER)
    blocks = drawn.protocol["blocks"]
    assert Booking.objects.get(pk=blocks[str(first)]).status == Status.BLOCKED
    for free in (second, third):
        assert Booking.objects.get(pk=blocks[str(free)]).status == Status.CANCELLED
    assert drawn.protocol["released"] == [second, third]
    _resource, start, end = week(cabin, 10)
    booker = services.Booker("Kari", "kari@example.no", BookerKind.RESIDENT, national_id=PEOPLE[0])
    assert services.book(cabin, start, end, booker, check_rules=False).status == Status.CONFIRMED


def bulk_entries(made: Lottery, count: int, seed: int) -> None:
    """`count` households with 1–5 wishes each, written straight to the table: entering
    thousands one by one would only time the receipts."""
    rng = random.Random(seed)
    periods = periods_of(made)
    LotteryEntry.objects.bulk_create(
        [
            LotteryEntry(
                lottery=made,
                name=f"Søkjar {n}",
                email=f"s{n}@example.no",
                household=f"B{n}",
                wishes=rng.sample(periods, rng.randint(1, 5)),
                entered_at=NOW,
            )
            for n in range(count)
        ],
        batch_size=1000,
    )


def test_five_thousand_entrants_for_twenty_weeks_give_exactly_twenty_winners(
    cabin: Resource,
) -> None:
    cabins = [cabin, testing.cabin("hytte-b"), testing.cabin("hytte-c"), testing.cabin("hytte-d")]
    made = make(cabin, periods=[week(c, 8 + n) for c in cabins for n in range(5)])
    bulk_entries(made, 5000, seed=11)
    drawn = lottery.draw(made, seed="stor", now=AFTER)
    rows = [
        (pk, state, period, position or 0, household, wishes)
        for pk, state, period, position, household, wishes in LotteryEntry.objects.filter(
            lottery=drawn
        ).values_list("pk", "status", "period_id", "position", "household", "wishes")
    ]
    winners = [r for r in rows if r[1] == EntryStatus.WON]
    assert len(winners) == 20
    assert len({r[2] for r in winners}) == 20  # each period one winner
    assert len({r[4] for r in winners}) == 20  # no household twice
    assert {r[1] for r in rows} == {EntryStatus.WON, EntryStatus.LOST}
    assert sorted(r[3] for r in rows) == list(range(1, 5001))
    # Serial choice in the draw's order: whoever won got their best wish still free, and
    # every wish of a loser was taken by someone drawn before them.
    holder = {r[2]: r[3] for r in winners}
    for _pk, state, period, position, _household, wishes in rows:
        before = wishes[: wishes.index(period)] if state == EntryStatus.WON else wishes
        assert all(holder[w] < position for w in before)
    assert OutgoingMessage.objects.filter(kind="lottery").count() == 20
    assert lottery.verify(drawn)
    # Five hundred places of the order per sweep; the winners among them heard already.
    notices = [lottery.advance(now=AFTER) for _ in range(11)]
    assert sum(notices) == 4980 and notices[1:] == [500] * 9 + [0]
    assert OutgoingMessage.objects.filter(kind="lottery").count() == 5000


def test_allocation_never_gives_a_household_more_than_allowed_nor_a_period_twice() -> None:
    rng = random.Random(7)
    entrants = [
        lottery.Entrant(n, f"H{n % 40}", tuple(rng.sample(range(100, 130), rng.randint(1, 6))))
        for n in range(1, 201)
    ]
    order = lottery.draw_order(entrants, "k")
    for allowed in (1, 2, 3):
        won = lottery.allocate(order, entrants, allowed)
        periods = [p for ps in won.values() for p in ps]
        assert len(periods) == len(set(periods)) <= 30
        per_household: dict[str, int] = {}
        for entry_id, ps in won.items():
            household = f"H{entry_id % 40}"
            per_household[household] = per_household.get(household, 0) + len(ps)
        assert max(per_household.values()) <= allowed
    # In rounds: with two each, everyone in the order has had a first pick before a second.
    two = lottery.allocate(
        [1, 2], [lottery.Entrant(1, "A", (10, 11)), lottery.Entrant(2, "B", (10, 11))], 2
    )
    assert two == {1: [10], 2: [11]}


def draw_previous(cabin: Resource) -> tuple[Lottery, list[str]]:
    """Last year's lottery, one week, three households: one wins, one lets it expire, and
    the third is left LOST."""
    last = make(cabin, weeks=1, name="Vinterferie i fjor")
    week_id = periods_of(last)[0]
    for person in (0, 2, 3):
        join(last, person, [week_id])
    lottery.draw(last, seed="fjor", now=AFTER)
    order = list(
        LotteryEntry.objects.filter(lottery=last)
        .order_by("position")
        .values_list("household", flat=True)
    )
    lottery.advance(now=AFTER + dt.timedelta(days=8))  # the winner let it expire
    return last, order


def test_households_that_lost_last_time_are_drawn_first(cabin: Resource) -> None:
    last, order = draw_previous(cabin)
    states = dict(LotteryEntry.objects.filter(lottery=last).values_list("household", "status"))
    assert states == {order[0]: "expired", order[1]: "won", order[2]: "lost"}
    this = make(
        testing.cabin("hytte-i-år"),
        priority_to_last_losers=True,
        previous=last,
        name="Vinterferie",
    )
    for person in (0, 2, 3, 4, 5, 6, 7):
        join(this, person, periods_of(this))
    for seed in ("a", "b", "c", "d"):
        with pytest.raises(Rollback), transaction.atomic():
            drawn = lottery.draw(this, seed=seed, now=AFTER)
            first = LotteryEntry.objects.get(lottery=this, position=1)
            # Only the LOST household (not the one whose place expired) goes first.
            assert first.household == order[2] and first.status == EntryStatus.WON
            assert drawn.protocol["priority_households"] == [order[2]]
            assert lottery.verify(drawn)
            raise Rollback


def test_no_priority_unless_asked(cabin: Resource) -> None:
    last, _order = draw_previous(cabin)
    this = make(testing.cabin("hytte-i-år"), previous=last)
    join(this, 0, periods_of(this))
    assert lottery.draw(this, now=AFTER).protocol["priority_households"] == []


# --- after the draw -------------------------------------------------------------------------


@pytest.fixture
def drawn(cabin: Resource) -> Iterator[Lottery]:
    """One week; households H1, H2, H3 wished for it, H4 only for another; drawn."""
    made = make(cabin, weeks=2)
    wanted, other = periods_of(made)
    for person in (0, 2, 3):
        join(made, person, [wanted])
    join(made, 4, [other])
    drawn = lottery.draw(made, seed="fast", now=AFTER)
    assert lottery.advance(now=AFTER) == 2  # the waiting list's notices
    yield drawn


def queue_for(made: Lottery, period: int) -> list[int]:
    """The entries that wished for `period`, in the draw's order."""
    rows = LotteryEntry.objects.filter(lottery=made).order_by("position")
    return [pk for pk, wishes in rows.values_list("pk", "wishes") if period in wishes]


def holder(made: Lottery, period: int) -> LotteryEntry:
    return LotteryEntry.objects.get(lottery=made, period_id=period, status=EntryStatus.WON)


def test_the_winner_confirms_and_the_block_becomes_their_booking(drawn: Lottery) -> None:
    wanted = periods_of(drawn)[0]
    winner = holder(drawn, wanted)
    booking = lottery.confirm(winner, now=AFTER + dt.timedelta(days=1))
    assert booking.pk == drawn.protocol["blocks"][str(wanted)]
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED and booking.booker_email == winner.email
    assert booking.booker_kind == BookerKind.RESIDENT and booking.household == winner.household
    assert booking.units == 7 and booking.price == Decimal("2450")
    assert BookingEvent.objects.filter(
        booking=booking, kind="created", data__lottery=drawn.pk
    ).exists()
    winner.refresh_from_db()
    assert winner.status == EntryStatus.CONFIRMED and winner.booking_id == booking.pk
    confirmation = OutgoingMessage.objects.get(data__booking=booking.pk)
    assert confirmation.kind == "booking_confirmation"
    # The period is held: a normal booking of it is refused.
    booker = services.Booker("Ola", "ola@example.no", BookerKind.RESIDENT, national_id=PEOPLE[5])
    with pytest.raises(PeriodTaken):
        services.book(booking.resource, booking.start, booking.end, booker, check_rules=False)
    with _code("not_won"):
        lottery.confirm(winner)
    with _code("confirmed"):
        lottery.withdraw(winner)


def test_only_a_winner_within_the_deadline_confirms(drawn: Lottery) -> None:
    wanted = periods_of(drawn)[0]
    loser = LotteryEntry.objects.filter(lottery=drawn, status=EntryStatus.LOST).first()
    assert loser is not None
    with _code("not_won"):
        lottery.confirm(loser, now=AFTER)
    winner = holder(drawn, wanted)
    assert winner.confirm_by is not None
    with _code("confirmation_expired"):
        lottery.confirm(winner, now=winner.confirm_by + dt.timedelta(seconds=1))
    assert lottery.confirm(winner, now=winner.confirm_by).status == Status.CONFIRMED


def test_the_waiting_list_moves_up_after_expiry_and_the_week_is_released_at_the_end(
    drawn: Lottery,
) -> None:
    wanted, other = periods_of(drawn)
    block = drawn.protocol["blocks"][str(wanted)]
    # H4 (who wished only for the other week) won that; the three others queue for `wanted`.
    queue = queue_for(drawn, wanted)
    lottery.confirm(holder(drawn, other), now=AFTER)  # H4 takes theirs
    assert len(queue) == 3 and LotteryEntry.objects.get(pk=queue[0]).status == EntryStatus.WON
    moment = AFTER
    for n, entry_id in enumerate(queue):
        current = LotteryEntry.objects.get(pk=entry_id)
        assert current.status == EntryStatus.WON and current.period_id == wanted
        assert current.confirm_by == moment + dt.timedelta(days=7)
        assert lottery.advance(now=current.confirm_by) == 0  # the deadline itself still counts
        moment = current.confirm_by + dt.timedelta(minutes=1)
        assert lottery.advance(now=moment) == 1
        assert lottery.advance(now=moment) == 0  # idempotent
        assert status(current) == EntryStatus.EXPIRED
        expired = OutgoingMessage.objects.get(data__entry=entry_id, subject__startswith="Fristen")
        assert "ventelista" in expired.body
        if n + 1 < len(queue):
            offer = OutgoingMessage.objects.get(
                data__entry=queue[n + 1], subject__startswith="Ein plass er ledig"
            )
            assert "/utleige/mine/" in offer.body
            assert Booking.objects.get(pk=block).status == Status.BLOCKED
    # Nobody left who wished for it: the week is bookable again; the other week is H4's.
    assert Booking.objects.get(pk=block).status == Status.CANCELLED
    assert Booking.objects.get(pk=drawn.protocol["blocks"][str(other)]).status == Status.CONFIRMED
    moves = LotteryPeriod.objects.get(pk=wanted)
    assert [m["to"] for m in Lottery.objects.get(pk=drawn.pk).protocol["moves"]] == [
        *queue[1:],
        None,
    ]
    booker = services.Booker("Ola", "ola@example.no", BookerKind.RESIDENT, national_id=PEOPLE[5])
    assert services.book(moves.resource, moves.start, moves.end, booker, check_rules=False)


def test_a_winner_who_withdraws_passes_the_week_on_at_once(drawn: Lottery) -> None:
    wanted = periods_of(drawn)[0]
    first, second, third = queue_for(drawn, wanted)
    winner = holder(drawn, wanted)
    assert winner.pk == first
    assert lottery.withdraw(winner, now=AFTER).status == EntryStatus.WITHDRAWN
    following = holder(drawn, wanted)
    assert following.pk == second and following.confirm_by == AFTER + dt.timedelta(days=7)
    with _code("not_active"):
        lottery.withdraw(winner)
    # Someone who leaves the waiting list is not offered anything later.
    waiting = LotteryEntry.objects.get(pk=third)
    assert waiting.status == EntryStatus.LOST
    lottery.withdraw(waiting)
    lottery.advance(now=following.confirm_by + dt.timedelta(minutes=1))
    assert status(waiting) == EntryStatus.WITHDRAWN
    block = Booking.objects.get(pk=drawn.protocol["blocks"][str(wanted)])
    assert block.status == Status.CANCELLED


def test_an_offer_never_runs_past_the_start_of_the_week(cabin: Resource) -> None:
    made = make(cabin, weeks=1)
    wanted = periods_of(made)[0]
    join(made, 0, [wanted])
    join(made, 2, [wanted])
    lottery.draw(made, seed="z", now=AFTER)
    assert lottery.advance(now=AFTER) == 1  # the waiting list's notice
    period = LotteryPeriod.objects.get(pk=wanted)
    late = period.start - dt.timedelta(days=2)
    LotteryEntry.objects.filter(lottery=made, status=EntryStatus.WON).update(
        confirm_by=late - dt.timedelta(hours=1)
    )
    assert lottery.advance(now=late) == 1
    assert holder(made, wanted).confirm_by == period.start
