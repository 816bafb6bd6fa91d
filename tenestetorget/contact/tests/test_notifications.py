"""Notices to staff: the handover e-mail, the header's count, and late handovers marked once."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tenestetorget.contact import notifications, outbox, selectors, services
from tenestetorget.contact.models import (
    Audience,
    EventKind,
    Handover,
    Inquiry,
    InquiryEvent,
    MessageStatus,
    NoticeKind,
    OutgoingMessage,
)
from tenestetorget.organisation.models import Channel, Role

pytestmark = pytest.mark.django_db

FNR = "01019912345"  # looks like a fødselsnummer (a date first): must never leave masked


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def set_email(user: Any, address: str) -> None:
    get_user_model().objects.filter(pk=user.pk).update(email=address)
    user.email = address


@pytest.fixture
def emails(staff: dict[str, Any]) -> dict[str, str]:
    """Everyone has an address, so the tests see who is told and who is not."""
    addresses = {name: f"{user.username}@k.no" for name, user in staff.items()}
    for name, user in staff.items():
        set_email(user, addresses[name])
    return addresses


@pytest.fixture
def forward(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> Callable[..., Handover]:
    """services.forward_inquiry as the pages call it, tasks run at once. Until the service
    calls notifications.handover_created itself, the test calls it, exactly once."""
    real = notifications.handover_created
    calls: list[Any] = []

    def spy(*args: Any, **kwargs: Any) -> None:
        calls.append(args)
        real(*args, **kwargs)

    monkeypatch.setattr(notifications, "handover_created", spy)

    def do(inquiry: Inquiry, actor: Any, **kwargs: Any) -> Handover:
        calls.clear()
        with django_capture_on_commit_callbacks(execute=True):
            handover = services.forward_inquiry(inquiry, actor, **kwargs)
            if not calls:
                real(handover)
        assert len(calls) <= 1
        return handover

    return do


def age(handover: Handover, days: int = 10) -> None:
    """Ten calendar days hold far more than the limit of working hours, whatever today is."""
    Handover.objects.filter(pk=handover.pk).update(
        created_at=handover.created_at - dt.timedelta(days=days)
    )


def overdue_events(inquiry: Inquiry) -> list[InquiryEvent]:
    return list(inquiry.events.filter(kind=EventKind.HANDOVER_OVERDUE))


# --- (a) the handover e-mail --------------------------------------------------------------------


def test_handover_to_a_named_person_emails_that_person(
    register: Any, staff: dict[str, Any], emails: dict[str, str], forward: Any, settings: Any
) -> None:
    settings.SITE_URL = "https://tenester.example.kommune.no"
    inquiry = register(subject=f"Søknad om fritak, fnr {FNR}")
    mail.outbox.clear()  # the acknowledgement to the sender
    forward(inquiry, staff["front"], to_user=staff["tech"], note=f"Ring ho. Fnr {FNR}.")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [emails["tech"]]
    assert message.subject == f"Henvending {inquiry.reference} er send vidare til deg"
    assert message.extra_headers["X-Tenestetorget-Reference"] == inquiry.reference
    body = message.body
    assert "Hei Tech," in body
    assert inquiry.reference in body
    assert "Søknad om fritak" in body
    assert "Frå: Front (Vatn og avløp)" in body
    assert "Ring ho." in body
    assert f"https://tenester.example.kommune.no/tenestetorget/henvending/{inquiry.reference}/" in (
        body
    )
    assert "Svarfrist til avsendaren:" in body
    assert str(inquiry.due_date.year) in body
    # Nothing about the sender beyond the subject, and never a fødselsnummer.
    assert FNR not in body and FNR not in message.subject
    assert "010199*****" in body
    for private in ("Kari Nordmann", "kari@example.no", "91234567", "Det lek frå kummen"):
        assert private not in body


def test_handover_to_a_queue_emails_the_units_officers_and_leader(
    register: Any, staff: dict[str, Any], emails: dict[str, str], org: Any, forward: Any
) -> None:
    inquiry = register(queue="byggjesak")
    mail.outbox.clear()
    forward(inquiry, staff["front"], to_queue=org["queues"]["veg"])

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    # The unit (Teknisk drift) has no address of its own: its case officers and leader.
    assert message.to == sorted([emails["leader"], emails["tech"], emails["tech2"]])
    assert message.subject == f"Henvending {inquiry.reference} er send vidare til Vegar"
    assert "Ein av dykk må stadfeste" in message.body
    assert "Frå: Front (Byggjesak)" in message.body


def test_named_person_without_address_falls_back_to_the_unit(
    register: Any, staff: dict[str, Any], emails: dict[str, str], forward: Any
) -> None:
    set_email(staff["tech"], "")
    inquiry = register()
    mail.outbox.clear()
    forward(inquiry, staff["front"], to_user=staff["tech"])
    assert [m.to for m in mail.outbox] == [sorted([emails["leader"], emails["tech2"]])]


def test_named_person_gets_it_in_their_own_language(
    register: Any, staff: dict[str, Any], emails: dict[str, str], forward: Any
) -> None:
    staff["builder"].staff_profile.language = "en"
    staff["builder"].staff_profile.save()
    inquiry = register()
    mail.outbox.clear()
    forward(inquiry, staff["front"], to_user=staff["builder"])
    assert mail.outbox[0].subject == f"Inquiry {inquiry.reference} has been handed over to you"


def test_nobody_to_tell_is_visible_on_the_timeline(
    register: Any, staff: dict[str, Any], org: Any, forward: Any
) -> None:
    # Nobody in the fixtures has an e-mail address.
    inquiry = register()
    mail.outbox.clear()
    handover = forward(inquiry, staff["front"], to_queue=org["queues"]["byggjesak"])
    assert mail.outbox == []
    failed = inquiry.events.get(kind=EventKind.MESSAGE_FAILED)
    assert failed.data == {"notice": "handover", "handover": handover.pk, "to": []}
    assert "Plan og bygg" in failed.text
    page = client_for(staff["front"]).get(f"/tenestetorget/henvending/{inquiry.reference}/")
    assert failed.text in page.content.decode()


def test_no_email_once_the_handover_is_acknowledged(
    register: Any, staff: dict[str, Any], emails: dict[str, str], org: Any
) -> None:
    # The worker came to it late: the receiver has already acknowledged.
    # (The default text is a water leak: its urgent notice is another notice, not counted.)
    inquiry = register()
    handover = services.forward_inquiry(inquiry, staff["front"], to_queue=org["queues"]["veg"])
    notice = OutgoingMessage.objects.get(
        audience=Audience.STAFF, inquiry=inquiry, kind=NoticeKind.HANDOVER
    )
    assert notice.status == MessageStatus.QUEUED  # stored with the handover, not sent yet
    services.acknowledge_handover(inquiry, staff["tech"])
    mail.outbox.clear()
    assert outbox.send(notice.pk) == MessageStatus.WITHDRAWN
    assert mail.outbox == []
    notice.refresh_from_db()
    assert notice.status == MessageStatus.WITHDRAWN
    # A task queued before the outbox stored notices finds nothing left to tell either.
    assert notifications.deliver_handover_notice(handover.pk) is True
    assert OutgoingMessage.objects.filter(kind=NoticeKind.HANDOVER).count() == 1


def test_a_task_queued_before_the_outbox_stores_the_notice_once(
    register: Any, staff: dict[str, Any], emails: dict[str, str], org: Any
) -> None:
    inquiry = register(channel=Channel.PHONE)
    handover = services.forward_inquiry(inquiry, staff["front"], to_queue=org["queues"]["veg"])
    OutgoingMessage.objects.filter(audience=Audience.STAFF).delete()  # as before the upgrade
    for _run in range(2):
        assert notifications.deliver_handover_notice(handover.pk) is True
    notice = OutgoingMessage.objects.get(audience=Audience.STAFF)
    assert notice.data == {"notice": "handover", "handover": handover.pk}
    assert notice.recipients == sorted([emails["leader"], emails["tech"], emails["tech2"]])


def test_database_backend_writes_the_tasks_with_the_handover(
    register: Any, staff: dict[str, Any], emails: dict[str, str], org: Any, settings: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    inquiry = register(channel=Channel.PHONE, subject="Vassavgift", body="Kva kostar det?")
    handover = services.forward_inquiry(inquiry, staff["front"], to_queue=org["queues"]["veg"])

    # The notice is in the outbox, and its send task was written in the same transaction.
    notice = OutgoingMessage.objects.get(audience=Audience.STAFF, inquiry=inquiry)
    assert notice.kind == NoticeKind.HANDOVER
    rows = {row.task_path.rsplit(".", 1)[-1]: row for row in DBTaskResult.objects.all()}
    assert rows["send_outgoing_message"].args_kwargs == {"args": [notice.pk], "kwargs": {}}
    check = rows["check_handover_overdue"]
    deadline = notifications.handover_deadline(handover.created_at)
    assert check.run_after == deadline + notifications.CHECK_MARGIN
    assert check.args_kwargs == {"args": [handover.pk], "kwargs": {}}


# --- (b) the header's count ---------------------------------------------------------------------


@pytest.fixture
def handed(register: Any, staff: dict[str, Any], org: Any) -> dict[str, Handover]:
    """Handovers in every state the count must tell apart."""
    front = staff["front"]
    queues = org["queues"]

    def hand(**kwargs: Any) -> Handover:
        return services.forward_inquiry(register(channel=Channel.PHONE), front, **kwargs)

    result = {
        "to_tech": hand(to_user=staff["tech"]),
        "to_veg": hand(to_queue=queues["veg"]),
        "to_tech2": hand(to_user=staff["tech2"]),
        "to_byggjesak": hand(to_queue=queues["byggjesak"]),
        "to_motorferdsel": hand(to_queue=queues["motorferdsel"]),
        "acknowledged": hand(to_queue=queues["vatn_avlop"]),
        "closed": hand(to_queue=queues["vatn_avlop"]),
    }
    services.acknowledge_handover(result["acknowledged"].inquiry, staff["tech2"])
    services.close_inquiry(result["closed"].inquiry, front)
    return result


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        # By name to tech, and to the unit's queue without a name; not tech2's own.
        ("tech", 2),
        ("tech2", 2),
        ("leader", 1),
        ("builder", 1),
        # The front desk's unit owns the motorferdsel queue.
        ("front", 1),
        ("archivist", 0),
    ],
)
def test_header_count_counts_what_waits_for_the_user(
    handed: dict[str, Handover], staff: dict[str, Any], who: str, expected: int
) -> None:
    assert selectors.waiting_handovers(staff[who]).count() == expected
    context = notifications.header_count(staff[who])
    assert context is not None and context["count"] == expected


@pytest.mark.parametrize("who", ["tech", "leader", "builder", "front", "archivist"])
def test_the_header_link_lists_exactly_what_it_counts(
    handed: dict[str, Handover], staff: dict[str, Any], who: str
) -> None:
    from tenestetorget.contact import selectors

    page = selectors.inbox(staff[who], selectors.InboxFilter.from_params({"handed": "1"}))
    expected = set(selectors.waiting_handovers(staff[who]).values_list("inquiry_id", flat=True))
    assert {row["id"] for row in page.items} == expected


def test_header_count_is_nothing_for_non_staff(django_user_model: Any, org: Any) -> None:
    citizen = django_user_model.objects.create_user("citizen", password="x")
    assert selectors.waiting_handovers(citizen).count() == 0
    assert notifications.header_count(citizen) is None
    response = client_for(citizen).get("/tenestetorget/nye-til-meg/")
    assert response.status_code == 286  # htmx stops polling
    assert Client().get("/tenestetorget/nye-til-meg/").status_code == 286


def test_header_count_keeps_to_what_the_user_may_see(
    register: Any, staff: dict[str, Any], org: Any
) -> None:
    # A handover names tech, but the inquiry was since given to someone in another unit
    # without a new handover: tech can no longer see it, so it is not counted for tech.
    handover = services.forward_inquiry(
        register(channel=Channel.PHONE), staff["front"], to_user=staff["tech"]
    )
    Inquiry.objects.filter(pk=handover.inquiry_id).update(
        queue=org["queues"]["byggjesak"], assigned_to=staff["builder"]
    )
    assert selectors.waiting_handovers(staff["tech"]).count() == 0


def test_header_shows_the_count_and_polls_for_it(
    handed: dict[str, Handover], staff: dict[str, Any]
) -> None:
    client = client_for(staff["tech"])
    html = client.get("/tenestetorget/").content.decode()
    region = html.split('class="handover-count-region"')[1].split("</p>")[0]
    assert 'aria-live="polite"' in region
    assert "2 nye til deg" in region
    assert 'hx-get="/tenestetorget/nye-til-meg/?seen=2"' in region
    assert 'hx-trigger="every 30s"' in region
    assert 'href="/tenestetorget/?handed=1"' in region

    partial = client.get("/tenestetorget/nye-til-meg/", headers={"HX-Request": "true"})
    assert partial.status_code == 200
    text = partial.content.decode()
    assert "2 nye til deg" in text and "aria-live" not in text
    assert "no-cache" in partial["Cache-Control"]
    # The same count as shown: nothing to swap, nothing for a screen reader to announce.
    assert client.get("/tenestetorget/nye-til-meg/?seen=2").status_code == 204
    services.acknowledge_handover(handed["to_veg"].inquiry, staff["tech"])
    selectors.counts_changed()  # what the commit does (this test's transaction never commits)
    text = client.get("/tenestetorget/nye-til-meg/?seen=2").content.decode()
    assert "1 ny til deg" in text and "?seen=1" in text


def test_header_says_none_when_nothing_waits(staff: dict[str, Any]) -> None:
    html = client_for(staff["builder"]).get("/tenestetorget/").content.decode()
    assert "Ingen nye til deg" in html


def test_count_endpoint_query_count_is_constant(
    register: Any, staff: dict[str, Any], org: Any
) -> None:
    client = client_for(staff["tech"])
    services.forward_inquiry(register(channel=Channel.PHONE), staff["front"], to_user=staff["tech"])
    client.get("/tenestetorget/nye-til-meg/")  # warm caches (content types, sessions)
    selectors.counts_changed()  # counted afresh, as after any change
    with CaptureQueriesContext(connection) as few:
        assert client.get("/tenestetorget/nye-til-meg/").status_code == 200
    for i in range(5):
        target = {"to_user": staff["tech"]} if i % 2 else {"to_queue": org["queues"]["veg"]}
        services.forward_inquiry(register(channel=Channel.PHONE), staff["front"], **target)
    selectors.counts_changed()  # what the commits do (this test's transaction never commits)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/tenestetorget/nye-til-meg/")
    assert "6 nye til deg" in response.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)


# --- (c) late handovers -------------------------------------------------------------------------


def test_overdue_job_marks_each_late_handover_once(
    register: Any,
    staff: dict[str, Any],
    emails: dict[str, str],
    org: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    late = services.forward_inquiry(register(), staff["front"], to_user=staff["tech"])
    also_late = services.forward_inquiry(register(), staff["front"], to_queue=org["queues"]["veg"])
    fresh = services.forward_inquiry(register(), staff["front"], to_queue=org["queues"]["veg"])
    answered = services.forward_inquiry(register(), staff["front"], to_queue=org["queues"]["veg"])
    closed = services.forward_inquiry(register(), staff["front"], to_queue=org["queues"]["veg"])
    for handover in (late, also_late, answered, closed):
        age(handover)
    services.acknowledge_handover(answered.inquiry, staff["tech"])
    services.close_inquiry(closed.inquiry, staff["front"])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = notifications.mark_overdue_handovers()
    with django_capture_on_commit_callbacks(execute=True):
        second = notifications.mark_overdue_handovers()

    assert sorted(first) == sorted([late.pk, also_late.pk])
    assert second == []
    for handover in (late, also_late):
        events = overdue_events(handover.inquiry)
        assert len(events) == 1
        assert events[0].data["handover"] == handover.pk
        assert events[0].actor is None
    for handover in (fresh, answered, closed):
        assert overdue_events(handover.inquiry) == []
    # The front desk is told once, in one e-mail about both.
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == [emails["front"]]
    assert notice.subject == "2 vidaresendingar er ikkje stadfesta i tide"
    assert late.inquiry.reference in notice.body and also_late.inquiry.reference in notice.body
    assert "Til: Tech, Vatn og avløp" in notice.body
    assert fresh.inquiry.reference not in notice.body


def test_a_later_handover_of_the_same_inquiry_is_marked_too(
    register: Any, staff: dict[str, Any], org: Any
) -> None:
    inquiry = register()
    first = services.forward_inquiry(inquiry, staff["front"], to_queue=org["queues"]["veg"])
    age(first, days=20)
    notifications.mark_overdue_handovers()
    # Forwarded again (the first is superseded) and again not acknowledged.
    second = services.forward_inquiry(inquiry, staff["front"], to_queue=org["queues"]["byggjesak"])
    age(second)
    assert notifications.mark_overdue_handovers() == [second.pk]
    assert [e.data["handover"] for e in overdue_events(inquiry)] == [first.pk, second.pk]


def test_an_event_written_before_counts_as_marked(
    register: Any, staff: dict[str, Any], org: Any
) -> None:
    # As the demo's history writes them: data {"handover": id}.
    handover = services.forward_inquiry(register(), staff["front"], to_queue=org["queues"]["veg"])
    age(handover)
    InquiryEvent.objects.create(
        inquiry=handover.inquiry,
        kind=EventKind.HANDOVER_OVERDUE,
        at=timezone.now(),
        data={"handover": handover.pk},
    )
    assert notifications.mark_overdue_handovers() == []
    assert len(overdue_events(handover.inquiry)) == 1


def test_deferred_check_marks_when_late_and_waits_when_not(
    register: Any, staff: dict[str, Any], org: Any, settings: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    handover = services.forward_inquiry(register(), staff["front"], to_queue=org["queues"]["veg"])
    deadline = notifications.handover_deadline(handover.created_at)

    # The limit was raised after the check was set: not late yet, so checked again later.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    early = deadline - dt.timedelta(minutes=30)
    assert notifications.check_handover(handover.pk, now=early) is False
    assert overdue_events(handover.inquiry) == []
    again = DBTaskResult.objects.get(task_path__endswith="check_handover_overdue")
    assert again.run_after == deadline + notifications.CHECK_MARGIN

    later = deadline + notifications.CHECK_MARGIN
    assert notifications.check_handover(handover.pk, now=later) is True
    assert notifications.check_handover(handover.pk, now=later) is False
    assert len(overdue_events(handover.inquiry)) == 1


def test_command_marks_late_handovers_once(
    register: Any, staff: dict[str, Any], org: Any, capsys: Any
) -> None:
    handover = services.forward_inquiry(register(), staff["front"], to_queue=org["queues"]["veg"])
    age(handover)
    call_command("mark_overdue_handovers", "--no-email")
    assert "1 handover(s) marked" in capsys.readouterr().out
    call_command("mark_overdue_handovers", "--no-email")
    assert "0 handover(s) marked" in capsys.readouterr().out
    assert len(overdue_events(handover.inquiry)) == 1


def test_console_command_takes_the_dashed_name(
    monkeypatch: pytest.MonkeyPatch, capsys: Any, org: Any
) -> None:
    from tenestetorget.__main__ import main

    monkeypatch.setattr(sys, "argv", ["tenestetorget", "mark-overdue-handovers", "--no-email"])
    # The console entry sets Django up again; its logging handlers would keep this test's
    # captured stderr, closed once the test ends, and every later log line would fail.
    monkeypatch.setattr("django.utils.log.configure_logging", lambda *args, **kwargs: None)
    main()
    assert "handover(s) marked" in capsys.readouterr().out


def test_front_desk_not_reachable_is_visible(
    register: Any, staff: dict[str, Any], org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    handover = services.forward_inquiry(register(), staff["front"], to_queue=org["queues"]["veg"])
    age(handover)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.mark_overdue_handovers()
    failed = handover.inquiry.events.get(kind=EventKind.MESSAGE_FAILED)
    assert failed.data["notice"] == "handover_overdue"
    assert failed.data["handover"] == handover.pk


def test_front_desk_address_is_each_front_desk_officer(make_user: Any, staff: Any) -> None:
    other = make_user("front2", Role.FRONT_DESK, "tenestetorget", email="Front2@K.no")
    inactive = make_user("gone", Role.FRONT_DESK, "tenestetorget", email="gone@k.no")
    inactive.is_active = False
    inactive.save()
    set_email(staff["front"], "front@k.no")
    assert other.email
    assert notifications.front_desk_recipients() == ["front2@k.no", "front@k.no"]


def test_header_count_follows_a_committed_handover(
    transactional_db: Any, register: Any, staff: dict[str, Any]
) -> None:
    """The count is reused until an inquiry changes; a committed handover changes it."""
    assert selectors.waiting_handover_count(staff["tech"]) == 0
    services.forward_inquiry(register(channel=Channel.PHONE), staff["front"], to_user=staff["tech"])
    assert selectors.waiting_handover_count(staff["tech"]) == 1
