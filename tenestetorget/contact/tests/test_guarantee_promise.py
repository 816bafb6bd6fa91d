"""The promise a unit leader reads, end to end: services write the timeline, the clock
derives the date, the inbox and "Tenestegarantiar halde" count what the clock says.

Every test here goes through the services at set moments (conftest.at) and reads the
result where a person reads it: the inquiry, the inbox counts, the statistics."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenestetorget.contact import clock, selectors, services, transitions
from tenestetorget.contact.models import (
    GuaranteeOutcome,
    Inquiry,
    InquiryEvent,
    MessageKind,
    OutgoingMessage,
    Status,
)
from tenestetorget.contact.tests.conftest import at, oslo
from tenestetorget.contact.transitions import Action, TransitionRefused
from tenestetorget.core.calendar import calendar_from_settings

pytestmark = pytest.mark.django_db

MONDAY = oslo(2026, 11, 2, 9, 0)  # guarantee 2 working days: promise Wednesday 4 November


def stored_equals_derived(inquiry: Inquiry) -> None:
    inquiry.refresh_from_db()
    events = [
        clock.ClockEvent(e.kind, e.at, e.data)
        for e in InquiryEvent.objects.filter(inquiry=inquiry).order_by("at", "id")
    ]
    state = clock.derive(events, calendar_from_settings())
    assert state is not None
    assert inquiry.original_due_date == state.original_due_date
    assert inquiry.due_date == state.due_date
    assert inquiry.paused_since == state.paused_since
    assert inquiry.paused_late == state.paused_late
    assert inquiry.guarantee_kept == state.kept


def month_row(user: Any, month: dt.date, queue: str = "vatn_avlop") -> selectors.GuaranteeRow:
    with at(oslo(2026, 12, 31, 12)):
        rows = selectors.guarantee_statistics(user, month)
    return next(r for r in rows if r.queue.code == queue)


def test_overnight_wait_moves_nothing(register: Any, staff: Any) -> None:
    with at(MONDAY):
        inquiry = register()
    with at(oslo(2026, 11, 2, 15, 20)):
        services.pause_for_sender(inquiry, staff["tech"], "Kva for kum gjeld det?")
    with at(oslo(2026, 11, 3, 8, 5)):
        services.resume_inquiry(inquiry, staff["tech"])
    inquiry.refresh_from_db()
    assert inquiry.due_date == inquiry.original_due_date == dt.date(2026, 11, 4)
    stored_equals_derived(inquiry)


def test_a_week_of_waiting_moves_the_promise_a_week(register: Any, staff: Any) -> None:
    with at(MONDAY):
        inquiry = register()
    with at(oslo(2026, 11, 3, 9)):
        services.pause_for_sender(inquiry, staff["tech"], "Send oss eit kart.")
    with at(oslo(2026, 11, 10, 9)):
        services.resume_inquiry(inquiry, staff["tech"])
    inquiry.refresh_from_db()
    assert inquiry.due_date == dt.date(2026, 11, 11)
    resumed = inquiry.events.get(kind="resumed")
    assert resumed.data["due_date"] == "2026-11-11"
    stored_equals_derived(inquiry)


def test_answer_while_waiting_19_days_is_kept(register: Any, staff: Any) -> None:
    with at(MONDAY):
        inquiry = register()
    with at(oslo(2026, 11, 3, 9)):
        services.pause_for_sender(inquiry, staff["tech"], "Vi treng teikningane.")
    with at(oslo(2026, 11, 30, 10)):
        services.answer_inquiry(inquiry, staff["tech"], "Her er svaret.")
    inquiry.refresh_from_db()
    assert inquiry.guarantee_kept is True
    assert inquiry.paused_since is None
    row = month_row(staff["admin"], dt.date(2026, 11, 1)) if inquiry.due_date.month == 11 else None
    row = row or month_row(staff["admin"], inquiry.due_date.replace(day=1))
    assert (row.kept, row.late, row.open_late) == (1, 0, 0)
    stored_equals_derived(inquiry)


def test_late_interim_reply_never_makes_a_late_answer_kept(register: Any, staff: Any) -> None:
    with at(MONDAY):
        inquiry = register()
    with at(oslo(2026, 11, 10, 9)):
        services.send_interim_reply(
            inquiry, staff["tech"], new_due_date=dt.date(2026, 12, 1), text="Vi må på synfaring."
        )
    inquiry.refresh_from_db()
    assert inquiry.due_date == dt.date(2026, 11, 4)
    assert inquiry.interim_promised_date == dt.date(2026, 12, 1)
    with at(oslo(2026, 11, 30, 9)):
        services.answer_inquiry(inquiry, staff["tech"], "Svar veker etter.")
    inquiry.refresh_from_db()
    assert inquiry.guarantee_kept is False
    row = month_row(staff["admin"], dt.date(2026, 11, 1))
    assert (row.kept, row.late, row.late_with_interim) == (0, 1, 0)
    assert row.share == 0


def test_interim_reply_in_time_is_shown_beside_a_late_answer(register: Any, staff: Any) -> None:
    with at(MONDAY):
        inquiry = register()
    with at(oslo(2026, 11, 3, 9)):
        services.send_interim_reply(
            inquiry, staff["tech"], new_due_date=dt.date(2026, 11, 20), text="Synfaring trengst."
        )
    with at(oslo(2026, 11, 19, 9)):
        services.answer_inquiry(inquiry, staff["tech"], "Svar.")
    row = month_row(staff["admin"], dt.date(2026, 11, 1))
    assert (row.kept, row.late, row.late_with_interim) == (0, 1, 1)


def test_open_inquiries_past_their_date_count_as_not_kept(register: Any, staff: Any) -> None:
    with at(MONDAY):
        open_late = register()
        kept = register()
        services.answer_inquiry(kept, staff["tech"], "Svar same dag.")
        not_due_yet = register(received_at=oslo(2026, 11, 2, 9))
    assert open_late.pk and not_due_yet.pk
    with at(oslo(2026, 11, 5, 9)):
        row = selectors.guarantee_statistics(staff["admin"], dt.date(2026, 11, 1))
        counts = selectors.inbox_counts(staff["admin"])
    vatn = next(r for r in row if r.queue.code == "vatn_avlop")
    assert (vatn.kept, vatn.late, vatn.open_late) == (1, 0, 2)
    assert counts["overdue"] == 2


def test_pausing_an_overdue_inquiry_keeps_it_overdue(register: Any, staff: Any) -> None:
    with at(MONDAY):
        inquiry = register()
    with at(oslo(2026, 11, 9, 9)):
        services.pause_for_sender(inquiry, staff["tech"], "Kva adresse gjeld det?")
        inquiry.refresh_from_db()
        assert inquiry.status == Status.WAITING
        assert inquiry.is_overdue()
        assert list(Inquiry.objects.overdue()) == [inquiry]
        assert selectors.inbox_counts(staff["admin"])["overdue"] == 1
        page = selectors.inbox(staff["admin"], selectors.InboxFilter(overdue=True))
        assert [row["reference"] for row in page.items] == [inquiry.reference]
        assert page.items[0]["is_overdue"]
    with at(oslo(2026, 11, 20, 9)):
        services.resume_inquiry(inquiry, staff["tech"])
    inquiry.refresh_from_db()
    assert inquiry.due_date == dt.date(2026, 11, 4)
    stored_equals_derived(inquiry)


def test_waiting_in_time_is_not_overdue(register: Any, staff: Any) -> None:
    with at(MONDAY):
        inquiry = register()
    with at(oslo(2026, 11, 3, 9)):
        services.pause_for_sender(inquiry, staff["tech"], "Kart, takk.")
    with at(oslo(2026, 11, 25, 9)):
        inquiry.refresh_from_db()
        assert not inquiry.is_overdue()
        assert selectors.inbox_counts(staff["admin"])["overdue"] == 0


def test_pause_tells_the_sender_what_is_missing_in_their_language(
    register: Any, staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from tenestetorget.contact.services import SenderData

    inquiry = register(sender=SenderData(name="Ann Lee", email="ann@example.com", language="en"))
    services.pause_for_sender(inquiry, staff["tech"], "A map of the plot, please.")
    message = OutgoingMessage.objects.get(inquiry=inquiry, kind=MessageKind.MISSING_INFORMATION)
    assert message.language == "en"
    assert "A map of the plot, please." in message.body
    assert "we need the following from you" in message.body
    assert "Vi treng" not in message.body


def test_answered_can_be_closed_and_reopening_gives_a_fresh_promise(
    register: Any, staff: Any
) -> None:
    with at(MONDAY):
        inquiry = register()
    with at(oslo(2026, 11, 9, 9)):  # late
        services.answer_inquiry(inquiry, staff["tech"], "Svar.", close=False)
        inquiry.refresh_from_db()
        assert inquiry.status == Status.ANSWERED
        services.close_inquiry(inquiry, staff["tech"])
        inquiry.refresh_from_db()
        assert inquiry.status == Status.CLOSED
    assert GuaranteeOutcome.objects.filter(inquiry=inquiry).count() == 1
    with at(oslo(2026, 11, 16, 10)):
        services.reopen_inquiry(inquiry, staff["tech"], "Ho ringde att.")
        inquiry.refresh_from_db()
        assert inquiry.status == Status.IN_PROGRESS
        assert inquiry.answered_at is None and inquiry.closed_at is None
        assert inquiry.original_due_date == inquiry.due_date == dt.date(2026, 11, 18)
        assert inquiry.guarantee_kept is None
        assert not inquiry.is_overdue()
    with at(oslo(2026, 11, 17, 10)):
        services.answer_inquiry(inquiry, staff["tech"], "Nytt svar.")
    inquiry.refresh_from_db()
    assert inquiry.guarantee_kept is True
    # The late first round stays in the figures: reopening cannot launder it.
    row = month_row(staff["admin"], dt.date(2026, 11, 1))
    assert (row.kept, row.late) == (1, 1)
    stored_equals_derived(inquiry)


def test_first_contact_resolution_counts_as_kept(register: Any, staff: Any) -> None:
    with at(MONDAY):
        register(first_contact_resolved=True, channel="phone")
    row = month_row(staff["admin"], dt.date(2026, 11, 1))
    assert (row.kept, row.late) == (1, 0)


# --- the transition table against every action, through the services -------------------------


def _reach(status: str, register: Any, staff: Any) -> Inquiry:
    inquiry = register()
    admin = staff["admin"]
    if status == Status.IN_PROGRESS:
        services.take_inquiry(inquiry, admin)
    elif status == Status.FORWARDED:
        services.forward_inquiry(inquiry, admin, to_queue=inquiry.queue)
    elif status == Status.WAITING:
        services.pause_for_sender(inquiry, admin, "Kart")
    elif status == Status.ANSWERED:
        services.answer_inquiry(inquiry, admin, "Svar", close=False)
    elif status == Status.CLOSED:
        services.close_inquiry(inquiry, admin)
    inquiry.refresh_from_db()
    assert inquiry.status == status
    return inquiry


def _do(action: str, inquiry: Inquiry, staff: Any) -> None:
    admin = staff["admin"]
    calls = {
        Action.FORWARD: lambda: services.forward_inquiry(inquiry, admin, to_queue=inquiry.queue),
        Action.ACKNOWLEDGE: lambda: services.acknowledge_handover(inquiry, admin),
        Action.TAKE: lambda: services.take_inquiry(inquiry, admin),
        Action.NOTE: lambda: services.add_note(inquiry, admin, "Merknad"),
        Action.PAUSE: lambda: services.pause_for_sender(inquiry, admin, "Kart"),
        Action.RESUME: lambda: services.resume_inquiry(inquiry, admin),
        Action.INTERIM_REPLY: lambda: services.send_interim_reply(
            inquiry, admin, new_due_date=inquiry.due_date + dt.timedelta(days=30), text="Tek tid"
        ),
        Action.ANSWER: lambda: services.answer_inquiry(inquiry, admin, "Svar", close=False),
        Action.CLOSE: lambda: services.close_inquiry(inquiry, admin),
        Action.REOPEN: lambda: services.reopen_inquiry(inquiry, admin),
    }
    calls[Action(action)]()


@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("action", Action.values)
def test_every_action_in_every_status_follows_the_table(
    status: str, action: str, register: Any, staff: Any
) -> None:
    inquiry = _reach(status, register, staff)
    pending = inquiry.handovers.filter(acknowledged_at__isnull=True).exists()
    allowed = transitions.is_allowed(status, action) and (action != Action.ACKNOWLEDGE or pending)
    if not allowed:
        with pytest.raises(TransitionRefused) as refused:
            _do(action, inquiry, staff)
        assert refused.value.messages[0]
        inquiry.refresh_from_db()
        assert inquiry.status == status
        return
    _do(action, inquiry, staff)
    inquiry.refresh_from_db()
    assert inquiry.status == transitions.TRANSITIONS[(status, action)]
    stored_equals_derived(inquiry)


def test_the_pages_offer_exactly_the_allowed_actions() -> None:
    for status in Status.values:
        offered = {a.value for a in transitions.allowed_actions(status)}
        assert offered == {a for (s, a) in transitions.TRANSITIONS if s == status}
    assert Action.CLOSE in transitions.allowed_actions(Status.ANSWERED)


# --- stored clock equals the clock derived from the timeline, for any history ----------------

steps = st.lists(
    st.tuples(
        st.sampled_from(
            [Action.PAUSE, Action.RESUME, Action.INTERIM_REPLY, Action.ANSWER, Action.CLOSE,
             Action.REOPEN, Action.TAKE, Action.NOTE]
        ),
        st.integers(min_value=0, max_value=60 * 24 * 6),
    ),
    max_size=8,
)  # fmt: skip


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_stored_clock_is_always_the_derived_clock(register: Any, staff: Any, steps: Any) -> None:
    t = MONDAY
    with at(t):
        inquiry = register()
    for action, minutes_later in steps:
        t += dt.timedelta(minutes=minutes_later)
        with at(t):
            inquiry.refresh_from_db()
            with contextlib.suppress(TransitionRefused, ValidationError):
                _do(action, inquiry, staff)
        stored_equals_derived(inquiry)
        assert inquiry.due_date >= inquiry.original_due_date
    settled_rounds = InquiryEvent.objects.filter(inquiry=inquiry, kind="reopened").count() + (
        0 if inquiry.is_open else 1
    )
    assert GuaranteeOutcome.objects.filter(inquiry=inquiry).count() == settled_rounds


def test_the_inquiry_page_shows_the_promise_beside_the_interim_date(
    register: Any, staff: Any, client: Any
) -> None:
    with at(MONDAY):
        inquiry = register()
    with at(oslo(2026, 11, 3, 9)):
        services.pause_for_sender(inquiry, staff["tech"], "Kart, takk.")
    with at(oslo(2026, 11, 10, 9)):
        services.resume_inquiry(inquiry, staff["tech"])
        services.send_interim_reply(
            inquiry, staff["tech"], new_due_date=dt.date(2026, 12, 1), text="Synfaring."
        )
    with at(oslo(2026, 11, 30, 9)):
        services.answer_inquiry(inquiry, staff["tech"], "Svar.")
    client.force_login(staff["front"])
    page = client.get(f"/tenestetorget/henvending/{inquiry.reference}/").content.decode()
    assert "11.11.2026" in page  # the promise, moved by the week of waiting
    assert "Opphavleg 04.11.2026" in page
    assert "Lova i førebels svar" in page and "01.12.2026" in page
    assert "Ikkje halden" in page


def test_a_backdated_first_line_note_can_be_late(register: Any, staff: Any) -> None:
    with at(oslo(2026, 11, 20, 9)):
        inquiry = register(first_contact_resolved=True, channel="phone", received_at=MONDAY)
    assert inquiry.guarantee_kept is False
    outcome = GuaranteeOutcome.objects.get(inquiry=inquiry)
    assert (outcome.kept, outcome.first_contact) == (False, True)
    stored_equals_derived(inquiry)
