"""The demo history: seasons, the outcome mix, promised dates, references, personal data."""

import datetime as dt
import itertools
import random
import re
from collections import Counter

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.validators import validate_email
from django.db.models import Count, Max
from django.utils import timezone

from tenestetorget.contact import selectors
from tenestetorget.contact.models import (
    OPEN_STATUSES,
    EventKind,
    Handover,
    Inquiry,
    InquiryEvent,
    MessageKind,
    MessageStatus,
    OutgoingMessage,
    Sender,
    Status,
)
from tenestetorget.contact.services import SenderData, register_inquiry
from tenestetorget.core.calendar import OSLO, calendar_from_settings, to_local
from tenestetorget.core.identifiers import mask_fodselsnummer_in_text, validate_orgnr
from tenestetorget.core.models import NumberSeries
from tenestetorget.core.numbering import format_reference
from tenestetorget.demo import history, texts
from tenestetorget.demo.services import QUEUES_FILE
from tenestetorget.organisation.models import Channel, ServiceGuarantee

QUEUE_CODES = sorted(yaml.safe_load(QUEUES_FILE.read_text(encoding="utf-8"))["queues"])
FIXED_NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=OSLO)


@pytest.fixture
def generated(demo_org):
    """A short, dense history: 600 inquiries over the last 120 days."""
    now = timezone.now()
    report = history.generate_history(count=600, days=120, now=now, seed=7)
    return report, now


# --- the shape of the year (pure, no database) --------------------------------------------------


def _arrivals(count=20_000, seed=1):
    return history.plan_arrivals(
        random.Random(seed), count=count, now=FIXED_NOW, days=730, queues=QUEUE_CODES
    )


def test_arrivals_follow_the_seasons_and_the_week():
    arrivals = _arrivals()
    assert len(arrivals) == 20_000
    by_month = Counter((a.queue, to_local(a.received).month) for a in arrivals)
    # Snowmobiles in winter, building in spring, property tax when the bill comes,
    # kindergarten before the admission deadline, hunting in the autumn.
    assert by_month[("motorferdsel", 2)] > 5 * by_month[("motorferdsel", 8)]
    assert by_month[("motorferdsel", 1)] + by_month[("motorferdsel", 3)] > 5 * (
        by_month[("motorferdsel", 6)] + by_month[("motorferdsel", 7)]
    )
    assert by_month[("byggjesak", 4)] + by_month[("byggjesak", 5)] > 2 * (
        by_month[("byggjesak", 12)] + by_month[("byggjesak", 1)]
    )
    assert by_month[("eigedomsskatt", 2)] > 4 * by_month[("eigedomsskatt", 7)]
    assert by_month[("barnehage", 2)] + by_month[("barnehage", 3)] > 3 * (
        by_month[("barnehage", 7)] + by_month[("barnehage", 12)]
    )
    assert by_month[("vilt_fiske", 9)] > 2 * by_month[("vilt_fiske", 2)]

    cal = calendar_from_settings()
    days = Counter(to_local(a.received).date() for a in arrivals)
    first = FIXED_NOW.date() - dt.timedelta(days=729)
    all_days = [first + dt.timedelta(days=i) for i in range(730)]
    working = [days[d] for d in all_days if cal.is_working_day(d)]
    weekend = [days[d] for d in all_days if d.weekday() >= 5]
    assert sum(working) / len(working) > 6 * sum(weekend) / len(weekend)


def test_arrivals_channels_times_and_determinism():
    arrivals = _arrivals()
    cal = calendar_from_settings()
    channels = Counter(a.channel for a in arrivals)
    share = {c: channels[c] / len(arrivals) for c in Channel.values}
    assert 0.34 <= share["phone"] <= 0.46
    assert 0.24 <= share["email"] <= 0.34
    assert 0.10 <= share["webform"] <= 0.20
    assert 0.06 <= share["counter"] <= 0.13
    assert 0.01 <= share["letter"] <= 0.06
    assert 0.01 <= share["social"] <= 0.06
    start = FIXED_NOW - dt.timedelta(days=730)
    for a in arrivals:
        assert start <= a.received <= FIXED_NOW
        local = to_local(a.received)
        if a.channel in (Channel.PHONE, Channel.COUNTER, Channel.LETTER):
            # Nobody answers the phone or opens the post outside office hours.
            assert cal.is_working_day(local.date())
            assert dt.time(8, 0) <= local.time() < dt.time(15, 30)
    assert [a.received for a in arrivals] == sorted(a.received for a in arrivals)
    assert _arrivals(count=500, seed=3) == _arrivals(count=500, seed=3)
    assert _arrivals(count=500, seed=3) != _arrivals(count=500, seed=4)


def test_every_text_template_fills_and_has_an_answer():
    rng = random.Random(5)
    assert set(texts.QUEUE_TEXTS) == set(QUEUE_CODES)
    for code, queue_texts in texts.QUEUE_TEXTS.items():
        assert queue_texts["nn"], code
        assert queue_texts["notes"], code
        for language in ("nn", "nb", "en", "notes"):
            for subject, body, key in queue_texts[language]:
                slots = history.make_slots(rng, FIXED_NOW, "nn", "Kari Nordmann", "Rauland IL")
                subject.format_map(slots)
                body.format_map(slots)
                answers = queue_texts["answers"][key]
                assert "nn" in answers, (code, key)
                for text in answers.values():
                    text.format_map(slots)
                if language in ("nb", "en"):
                    assert language in answers, (code, key, language)


def test_organisation_numbers_are_valid():
    rng = random.Random(9)
    for _ in range(200):
        assert validate_orgnr(history.make_orgnr(rng))


# --- the generated history ----------------------------------------------------------------------


def test_history_has_the_expected_mix(generated):
    report, now = generated
    assert report.inquiries == Inquiry.objects.count() == 600
    statuses = Counter(Inquiry.objects.values_list("status", flat=True))
    assert set(statuses) == set(Status.values), statuses
    assert statuses[Status.CLOSED] > 0.7 * 600
    channels = Counter(Inquiry.objects.values_list("channel", flat=True))
    assert channels.most_common(1)[0][0] == Channel.PHONE
    assert set(channels) == set(Channel.values)
    first_line = Inquiry.objects.filter(first_contact_resolved=True)
    assert 0.18 <= first_line.count() / 600 <= 0.42
    assert not first_line.exclude(status=Status.CLOSED).exists()
    assert report.first_contact_resolved == first_line.count()

    today = to_local(now).date()
    open_work = Inquiry.objects.filter(status__in=OPEN_STATUSES)
    assert open_work.filter(due_date__lt=today, paused_since__isnull=True).exists()
    assert not Inquiry.objects.filter(status=Status.WAITING, paused_since__isnull=True).exists()
    assert (
        not Inquiry.objects.exclude(status=Status.WAITING)
        .filter(paused_since__isnull=False)
        .exists()
    )

    # Most answers in time, some late.
    answered = [
        (i.answered_at, i.due_date) for i in Inquiry.objects.filter(answered_at__isnull=False)
    ]
    late = sum(1 for at, due in answered if at is not None and to_local(at).date() > due)
    assert 0 < late < 0.25 * len(answered)

    # Handovers nobody acknowledged in time put work on the front desk's attention list.
    front_desk = get_user_model().objects.get(username="tenestetorget")
    assert selectors.attention_list(front_desk)
    assert selectors.inbox_counts(front_desk)["attention"] > 0
    assert Handover.objects.filter(
        acknowledged_at__isnull=True, created_at__lt=selectors.handover_cutoff(now)
    ).exists()


def test_timelines_are_consistent(generated):
    report, now = generated
    events = Counter(InquiryEvent.objects.values_list("kind", flat=True))
    for kind in (
        EventKind.REGISTERED, EventKind.FORWARDED, EventKind.ACKNOWLEDGED, EventKind.TAKEN,
        EventKind.NOTE, EventKind.ANSWERED, EventKind.CLOSED, EventKind.MESSAGE_SENT,
    ):  # fmt: skip
        assert events[kind] > 0, kind
    assert events[EventKind.REGISTERED] == 600
    assert report.events == sum(events.values())
    inquiries = {i.pk: i for i in Inquiry.objects.all()}
    last_at: dict[int, dt.datetime] = {}
    for event in InquiryEvent.objects.order_by("at", "id"):
        inquiry = inquiries[event.inquiry_id]
        assert inquiry.received_at <= event.at <= now
        last_at[event.inquiry_id] = event.at
    closed = Inquiry.objects.filter(status=Status.CLOSED)
    assert closed.filter(closed_at__isnull=False).count() == closed.count()
    assert not closed.exclude(events__kind=EventKind.CLOSED).exists()
    answered = Inquiry.objects.filter(answered_at__isnull=False)
    for inquiry in answered:
        assert inquiry.answered_at is not None
        assert inquiry.answered_at >= inquiry.received_at
    # Answers by e-mail went out as sent messages.
    by_email = InquiryEvent.objects.filter(
        kind=EventKind.ANSWERED, data__by_email=True
    ).values_list("inquiry_id", flat=True)
    assert by_email
    sent = set(
        OutgoingMessage.objects.filter(
            kind=MessageKind.ANSWER, status=MessageStatus.SENT, sent_at__isnull=False
        ).values_list("inquiry_id", flat=True)
    )
    assert set(by_email) <= sent
    for message in OutgoingMessage.objects.select_related("inquiry")[:50]:
        assert message.inquiry is not None
        assert message.inquiry.reference in message.subject
        assert message.to_email == message.inquiry.sender.email
    # Every acknowledged handover has its event; every open one its inquiry still forwarded
    # (or handled in the meantime by an answer, which acknowledges it).
    for handover in Handover.objects.filter(acknowledged_at__isnull=True).select_related("inquiry"):
        assert handover.inquiry.status == Status.FORWARDED


def test_promised_dates_follow_the_calendar_and_the_guarantees(generated):
    cal = calendar_from_settings()
    guarantees = {
        (g.queue.code, g.channel): g for g in ServiceGuarantee.objects.select_related("queue")
    }
    registered = {
        e.inquiry_id: e.data for e in InquiryEvent.objects.filter(kind=EventKind.REGISTERED)
    }
    # A wait for the sender extends the promise; a reopened inquiry has a new one.
    moved = set(
        InquiryEvent.objects.filter(
            kind__in=(EventKind.RESUMED, EventKind.PAUSED, EventKind.REOPENED)
        ).values_list("inquiry_id", flat=True)
    )
    checked = 0
    for inquiry in Inquiry.objects.all():
        data = registered[inquiry.pk]
        guarantee = guarantees[(data["queue"], inquiry.channel)]
        expected = cal.due_date(inquiry.received_at, guarantee.answer_working_days)
        assert data["due_date"] == expected.isoformat()
        assert data["working_days"] == guarantee.answer_working_days
        if inquiry.pk in moved:
            continue
        assert inquiry.original_due_date == expected, inquiry.reference
        assert inquiry.due_date == inquiry.original_due_date, inquiry.reference
        if guarantee.interim_reply_working_days is not None:
            assert inquiry.interim_reply_due == cal.due_date(
                inquiry.received_at, guarantee.interim_reply_working_days
            )
        checked += 1
    assert checked > 500
    # An interim reply names a later date beside the promise and never moves it.
    for data in InquiryEvent.objects.filter(kind=EventKind.INTERIM_REPLY).values_list(
        "data", flat=True
    ):
        assert data["due_date"] > data["promised_date"]


def test_references_are_unique_and_the_series_continues(generated):
    rows = list(Inquiry.objects.values_list("reference", "year", "number", "received_at"))
    assert len({r[0] for r in rows}) == len(rows)
    for reference, year, number, received in rows:
        assert reference == format_reference(year, number)
        assert year == to_local(received).year
        assert re.fullmatch(r"\d{4}-\d{6}", reference)
    per_year = Inquiry.objects.values("year").annotate(n=Count("id"), top=Max("number"))
    for row in per_year:
        # From an empty database the numbers run 1..n in the order inquiries came in.
        assert row["top"] == row["n"]
        series = NumberSeries.objects.get(series="inquiry", year=row["year"])
        assert series.last == row["top"]
    ordered = list(Inquiry.objects.order_by("received_at", "id").values_list("year", "number"))
    for (y1, n1), (y2, n2) in itertools.pairwise(ordered):
        if y1 == y2:
            assert n2 == n1 + 1

    year = to_local(timezone.now()).year
    top = Inquiry.objects.filter(year=year).aggregate(top=Max("number"))["top"] or 0
    inquiry = register_inquiry(
        channel=Channel.EMAIL,
        subject="Ny henvending etter demoen",
        body="Hei",
        sender=SenderData(name="Kari Nordmann", email="kari@example.no"),
        queue="faktura",
    )
    assert inquiry.number == top + 1
    assert inquiry.reference == format_reference(year, top + 1)


def test_no_national_ids_and_plausible_contact_details(generated):
    assert not Sender.objects.exclude(national_id="").exists()
    for subject, body in Inquiry.objects.values_list("subject", "body"):
        assert mask_fodselsnummer_in_text(subject) == subject
        assert mask_fodselsnummer_in_text(body) == body
    for text in InquiryEvent.objects.values_list("text", flat=True):
        assert mask_fodselsnummer_in_text(text) == text
    orgs = Sender.objects.exclude(organisation_number="")
    assert orgs.exists()
    for number in orgs.values_list("organisation_number", flat=True):
        assert validate_orgnr(number) == number
    assert not Sender.objects.filter(is_organisation=False).exclude(organisation_number="").exists()
    for sender in Sender.objects.all():
        assert sender.name_search == sender.name.casefold()
        assert sender.email or sender.phone
        if sender.phone:
            assert re.fullmatch(r"\d{8}", sender.phone), sender.phone
        if sender.email:
            validate_email(sender.email)
    # Inquiries in writing come from someone with an address to answer.
    assert not Inquiry.objects.filter(
        channel__in=(Channel.EMAIL, Channel.WEBFORM), sender__email=""
    ).exists()


def test_the_same_seed_gives_the_same_history(demo_org):
    now = timezone.now()

    def run():
        start = Inquiry.objects.aggregate(top=Max("id"))["top"] or 0
        history.generate_history(count=150, days=60, now=now, seed=42)
        return list(
            Inquiry.objects.filter(pk__gt=start)
            .order_by("id")
            .values_list("subject", "body", "channel", "queue__code", "status", "received_at")
        )

    first = run()
    second = run()
    assert len(first) == 150
    assert first == second
