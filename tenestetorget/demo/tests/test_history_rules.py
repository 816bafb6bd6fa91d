"""The demo history is written in bulk, but it keeps the product's rules: every stored clock,
status path, event, outcome, sender snapshot and message is what the services would have
written for the same timeline."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tenestetorget.contact import clock, messaging, notifications, services, transitions
from tenestetorget.contact.models import (
    OPEN_STATUSES,
    EventKind,
    GuaranteeOutcome,
    Handover,
    Inquiry,
    InquiryEvent,
    MessageKind,
    OutgoingMessage,
)
from tenestetorget.contact.senders import normalise_phone
from tenestetorget.contact.transitions import Action
from tenestetorget.core.calendar import OSLO, calendar_from_settings
from tenestetorget.demo import history
from tenestetorget.organisation.models import Channel
from tenestetorget.organisation.queue_register import queue_by_code

#: The action of the status machine each event stands for (REGISTERED starts as NEW).
ACTION_OF: dict[str, str] = {
    EventKind.FORWARDED: Action.FORWARD,
    EventKind.ACKNOWLEDGED: Action.ACKNOWLEDGE,
    EventKind.TAKEN: Action.TAKE,
    EventKind.NOTE: Action.NOTE,
    EventKind.PAUSED: Action.PAUSE,
    EventKind.RESUMED: Action.RESUME,
    EventKind.INTERIM_REPLY: Action.INTERIM_REPLY,
    EventKind.ANSWERED: Action.ANSWER,
    EventKind.CLOSED: Action.CLOSE,
    EventKind.REOPENED: Action.REOPEN,
}
#: Just after Easter: pauses and promises across the holidays.
AFTER_EASTER = dt.datetime(2026, 4, 9, 10, 40, tzinfo=OSLO)

Shape = tuple[str, frozenset[str]]


@contextlib.contextmanager
def at(moment: dt.datetime) -> Iterator[None]:
    """Let the services believe it is `moment` (every clock read goes through timezone.now)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def oslo(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=OSLO)


def shapes(events: Any) -> set[Shape]:
    return {(kind, frozenset(data or {})) for kind, data in events.values_list("kind", "data")}


def service_event_shapes() -> set[Shape]:
    """(kind, data keys) of what the services write: each one run once through a whole life
    of an inquiry, its messages sent and its late handover marked by the periodic job."""
    front = get_user_model().objects.get(username="tenestetorget")
    sender = services.SenderData(name="Kari Nordmann", email="kari@example.no", phone="91234567")
    first = InquiryEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    first_inquiry = Inquiry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with at(oslo(11, 2, 9)):
        inquiry = services.register_inquiry(
            channel=Channel.EMAIL, subject="Vasslekkasje", body="Det lek.", sender=sender,
            queue="vatn_avlop",
        )  # fmt: skip
    with at(oslo(11, 2, 9, 30)):
        queue = queue_by_code("veg")
        assert queue is not None
        services.forward_inquiry(inquiry, front, to_queue=queue, note="Gjeld vegen.")
    notifications.mark_overdue_handovers(oslo(11, 3, 12), announce=False)
    steps = [
        (oslo(11, 3, 12, 30), lambda: services.acknowledge_handover(inquiry, front)),
        (oslo(11, 3, 12, 40), lambda: services.take_inquiry(inquiry, front)),
        (oslo(11, 3, 13), lambda: services.add_note(inquiry, front, "Ringde.")),
        (oslo(11, 3, 14), lambda: services.pause_for_sender(inquiry, front, "Kva kum?")),
        (oslo(11, 9, 10), lambda: services.resume_inquiry(inquiry, None)),
        (
            oslo(11, 10, 10),
            lambda: services.send_interim_reply(
                inquiry, front, new_due_date=dt.date(2026, 11, 20), text="Synfaring."
            ),
        ),
        (oslo(11, 12, 10), lambda: services.answer_inquiry(inquiry, front, "Svar.", close=False)),
        (
            oslo(11, 12, 11),
            lambda: services.close_inquiry(inquiry, front, note="Ok.", first_contact_resolved=True),
        ),
        (oslo(11, 16, 9), lambda: services.reopen_inquiry(inquiry, front, "Eitt spørsmål til.")),
        (oslo(11, 16, 10), lambda: services.answer_inquiry(inquiry, front, "Svar to.")),
    ]
    for moment, step in steps:
        with at(moment):
            step()
    with at(oslo(11, 16, 11)):
        services.register_inquiry(
            channel=Channel.PHONE, subject="Telefon – tømming", body="", sender=sender,
            queue="renovasjon", actor=front, first_contact_resolved=True, resolution="Svara.",
        )  # fmt: skip
        for message in OutgoingMessage.objects.filter(inquiry_id__gt=first_inquiry):
            messaging.deliver(message)
    return shapes(InquiryEvent.objects.filter(id__gt=first))


def clock_events(events: list[InquiryEvent]) -> list[clock.ClockEvent]:
    return [
        clock.ClockEvent(e.kind, e.at, e.data) for e in events if e.kind in clock.CLOCK_EVENT_KINDS
    ]


def check_clock(inquiry: Inquiry, events: list[InquiryEvent]) -> None:
    """The stored clock columns are the clock of the timeline (services.store_clock)."""
    state = clock.derive(clock_events(events), calendar_from_settings())
    assert state is not None, inquiry.reference
    expected = SimpleNamespace()
    services.store_clock(expected, state)  # type: ignore[arg-type]
    stored = {name: getattr(inquiry, name) for name in services.CLOCK_FIELDS}
    assert stored == vars(expected), inquiry.reference


def check_outcomes(inquiry: Inquiry, events: list[InquiryEvent]) -> int:
    """One outcome per settled round, as services.outcome_for makes it at the moment the round
    is settled. Returns the number of settled rounds."""
    cal = calendar_from_settings()
    final_first_contact = inquiry.first_contact_resolved
    state: clock.Clock | None = None
    expected = []
    first_contact = False
    for event in events:
        if event.kind not in clock.CLOCK_EVENT_KINDS:
            continue
        if event.kind == EventKind.CLOSED and event.data.get("first_contact"):
            first_contact = True  # close_inquiry sets the flag before it derives the clock
        was_settled = state is not None and state.kept is not None
        state = clock.apply(state, clock.ClockEvent(event.kind, event.at, event.data), cal)
        assert state is not None
        if state.kept is not None and not was_settled:
            inquiry.first_contact_resolved = first_contact
            expected.append(services.outcome_for(inquiry, state))
    inquiry.first_contact_resolved = final_first_contact
    fields = (
        "queue_id", "channel", "round_started_at", "original_due_date", "due_date",
        "settled_at", "kept", "interim_in_time", "first_contact",
    )  # fmt: skip
    stored = [
        tuple(getattr(o, f) for f in fields)
        for o in GuaranteeOutcome.objects.filter(inquiry=inquiry).order_by("settled_at", "id")
    ]
    assert stored == [tuple(getattr(o, f) for f in fields) for o in expected], inquiry.reference
    return len(expected)


def check_status_path(
    inquiry: Inquiry, events: list[InquiryEvent], handovers: dict[int, Handover]
) -> None:
    """Replayed as actions, the timeline is a path the status machine allows, and it ends in
    the stored status. A late handover is marked only while it and the inquiry are open."""
    assert events[0].kind == EventKind.REGISTERED, inquiry.reference
    status = "new"
    for event in events[1:]:
        action = ACTION_OF.get(event.kind)
        if action is not None:
            status = transitions.next_status(status, action)
        elif event.kind == EventKind.HANDOVER_OVERDUE:
            handover = handovers[event.data["handover"]]
            assert handover.inquiry_id == inquiry.pk
            assert status in OPEN_STATUSES, inquiry.reference
            assert handover.acknowledged_at is None or handover.acknowledged_at > event.at
            deadline = notifications.handover_deadline(handover.created_at)
            assert event.data["deadline"] == deadline.isoformat()
            assert deadline < event.at
    assert status == inquiry.status, inquiry.reference


def check_sender_and_messages(
    inquiry: Inquiry, events: list[InquiryEvent], messages: list[OutgoingMessage]
) -> None:
    sender = inquiry.sender
    voice = inquiry.channel in (Channel.PHONE, Channel.COUNTER)
    given = services.SenderData(
        name=sender.name,
        email="" if voice and sender.phone else sender.email,
        phone=sender.phone,
        kind=sender.kind,
        organisation_number=sender.organisation_number,
        language=sender.language,
    )
    snapshot = services.sender_snapshot(services.clean_sender(given))
    assert sender.phone_e164 == normalise_phone(sender.phone)
    assert sender.name_search == sender.name.casefold()
    assert {name: getattr(inquiry, name) for name in snapshot} == snapshot, inquiry.reference
    assert all(m.to_email == inquiry.sender_email for m in messages)
    told = [e for e in events if e.kind == EventKind.PAUSED and e.data["sender_told"]]
    missing = [m for m in messages if m.kind == MessageKind.MISSING_INFORMATION]
    assert len(missing) <= len(told)
    assert all(e.text and inquiry.sender_email for e in told)
    # An answer of an inquiry that was never reopened went out with the inquiry as it is now:
    # rendered by messaging.render_message, it is the stored message.
    answers = [m for m in messages if m.kind == MessageKind.ANSWER]
    reopened = any(e.kind == EventKind.REOPENED for e in events)
    if answers and not reopened:
        text = next(e.text for e in events if e.kind == EventKind.ANSWERED)
        subject, body, language = messaging.render_message(inquiry, MessageKind.ANSWER, text)
        assert (answers[0].subject, answers[0].body, answers[0].language) == (
            subject,
            body,
            language,
        )


@pytest.mark.parametrize("now", [None, AFTER_EASTER], ids=["today", "after-easter"])
def test_the_history_keeps_the_product_rules(demo_org: Any, now: dt.datetime | None) -> None:
    now = now or timezone.now()
    report = history.generate_history(count=900, days=150, now=now, seed=11)
    events_of: dict[int, list[InquiryEvent]] = defaultdict(list)
    for event in InquiryEvent.objects.order_by("at", "id"):
        events_of[event.inquiry_id].append(event)
    messages_of: dict[int | None, list[OutgoingMessage]] = defaultdict(list)
    for message in OutgoingMessage.objects.order_by("created_at", "id"):
        messages_of[message.inquiry_id].append(message)
    handovers = {h.pk: h for h in Handover.objects.all()}

    settled_rounds = 0
    for inquiry in Inquiry.objects.select_related("sender", "queue"):
        events = events_of[inquiry.pk]
        check_clock(inquiry, events)
        settled_rounds += check_outcomes(inquiry, events)
        check_status_path(inquiry, events, handovers)
        check_sender_and_messages(inquiry, events, messages_of[inquiry.pk])
    assert GuaranteeOutcome.objects.count() == settled_rounds == report.outcomes
    assert report.guarantees_kept == GuaranteeOutcome.objects.filter(kept=True).count()

    # Everything the clock and the machine know happens in the demo.
    demo = shapes(InquiryEvent.objects.all())
    kinds = {kind for kind, _keys in demo}
    for kind in (
        EventKind.FORWARDED, EventKind.ACKNOWLEDGED, EventKind.HANDOVER_OVERDUE, EventKind.TAKEN,
        EventKind.NOTE, EventKind.PAUSED, EventKind.RESUMED, EventKind.INTERIM_REPLY,
        EventKind.ANSWERED, EventKind.CLOSED, EventKind.REOPENED, EventKind.MESSAGE_SENT,
    ):  # fmt: skip
        assert kind in kinds, kind
    assert EventKind.ROUTED not in kinds
    assert Inquiry.objects.filter(paused_seconds__gt=0).exists()
    assert OutgoingMessage.objects.filter(kind=MessageKind.MISSING_INFORMATION).exists()
    assert GuaranteeOutcome.objects.filter(first_contact=True).exists()
    assert GuaranteeOutcome.objects.filter(kept=False).exists()

    # ... and only as the services write it: each (kind, data keys) is one of theirs.
    reference = service_event_shapes()
    assert demo <= reference, sorted((k, sorted(keys)) for k, keys in demo - reference)
