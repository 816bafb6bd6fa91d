"""The outbox's rules one by one: one worker at a time takes a message, a lease that runs out
lets another take it, abandoned task rows are handed back, who sees what, the order of the
page, and what the upgrade does to messages stored before."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tenestetorget.contact import outbox
from tenestetorget.contact.models import (
    Audience,
    EventKind,
    InquiryEvent,
    MessageKind,
    MessageStatus,
    NoticeKind,
    OutgoingMessage,
)
from tenestetorget.organisation.models import Channel

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def stored(inquiry: Any = None, to: str = "kari@example.no", **fields: Any) -> OutgoingMessage:
    """A message as outbox.store leaves it (without enqueueing its send)."""
    values: dict[str, Any] = {
        "audience": Audience.SENDER,
        "inquiry": inquiry,
        "kind": MessageKind.ACKNOWLEDGEMENT,
        "to_email": to,
        "subject": "Vi har motteke henvendinga di",
        "body": "Hei.\n",
        "language": "nn",
        "message_id": outbox.new_message_id(),
        "next_attempt_at": T0,
        "created_at": T0,
    }
    values.update(fields)
    return OutgoingMessage.objects.create(**values)


def test_message_ids_are_made_once_in_the_senders_domain(settings: Any) -> None:
    settings.DEFAULT_FROM_EMAIL = "Tenestetorget <postmottak@vik.kommune.no>"
    first, second = outbox.new_message_id(), outbox.new_message_id()
    assert first != second
    assert first.startswith("<outbox-") and first.endswith("@vik.kommune.no>")


def test_the_pause_doubles_up_to_an_hour() -> None:
    policy = outbox.Policy()
    pauses = [policy.retry_delay(n) for n in range(1, 10)]
    assert pauses[:6] == [dt.timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32)]
    assert pauses[6:] == [dt.timedelta(hours=1)] * 3


def test_only_one_worker_takes_a_message() -> None:
    message = stored()
    first = outbox.claim(message.pk, now=T0)
    assert first is not None
    assert outbox.claim(message.pk, now=T0 + dt.timedelta(minutes=4)) is None
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING
    assert message.attempts == 1
    assert message.next_attempt_at == T0 + outbox.POLICY.lease


def test_a_message_is_not_taken_before_its_time() -> None:
    message = stored(status=MessageStatus.RETRY, next_attempt_at=T0 + dt.timedelta(minutes=2))
    assert outbox.claim(message.pk, now=T0 + dt.timedelta(minutes=1)) is None
    assert outbox.claim(message.pk, now=T0 + dt.timedelta(minutes=2)) is not None


def test_a_lease_that_runs_out_lets_another_worker_send_it_again() -> None:
    message = stored()
    dead = outbox.claim(message.pk, now=T0)
    assert dead is not None
    later = T0 + outbox.POLICY.lease + dt.timedelta(seconds=1)
    alive = outbox.claim(message.pk, now=later)
    assert alive is not None and alive.message.attempts == 2
    # The first worker, were it only slow, no longer owns the row: its failure is not recorded
    # over the second one's attempt.
    assert not dead.still_ours().exists()
    assert alive.still_ours().exists()
    assert outbox.attempt(alive, now=later) == MessageStatus.SENT
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [message.message_id]


def test_a_message_whose_every_attempt_lost_its_worker_is_failed_for_staff(
    register: Any,
) -> None:
    inquiry = register(channel=Channel.PHONE)
    message = stored(inquiry)
    at = T0
    for _attempt in range(outbox.POLICY.max_attempts):
        assert outbox.claim(message.pk, now=at) is not None  # and the worker dies
        at += outbox.POLICY.lease + dt.timedelta(seconds=1)
    report = outbox.send_due(now=at)
    assert report.statuses == {MessageStatus.FAILED: 1}
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.error == "Sendinga vart broten 6 gonger utan svar frå e-posttenaren."
    assert mail.outbox == []
    event = InquiryEvent.objects.get(inquiry=inquiry, kind=EventKind.MESSAGE_FAILED)
    assert event.data == {"message": message.pk, "kind": MessageKind.ACKNOWLEDGEMENT}


def test_send_due_takes_what_is_due_oldest_first() -> None:
    late = stored(to="late@example.no", next_attempt_at=T0 - dt.timedelta(minutes=5))
    now = stored(to="now@example.no")
    later = stored(to="later@example.no", next_attempt_at=T0 + dt.timedelta(minutes=1))
    done = stored(to="done@example.no", status=MessageStatus.SENT, next_attempt_at=None)
    old = stored(to="old@example.no", next_attempt_at=None)  # queued before the outbox
    report = outbox.send_due(now=T0)
    assert report.statuses == {MessageStatus.SENT: 3}
    assert [m.to for m in mail.outbox] == [["old@example.no"], ["late@example.no"], [now.to_email]]
    statuses = dict(OutgoingMessage.objects.values_list("pk", "status"))
    assert statuses[later.pk] == MessageStatus.QUEUED
    assert statuses[done.pk] == MessageStatus.SENT
    assert statuses[late.pk] == statuses[old.pk] == MessageStatus.SENT


def test_a_message_stored_without_an_id_gets_one_for_good() -> None:
    message = stored(message_id="")
    assert outbox.send(message.pk, now=T0) == MessageStatus.SENT
    message.refresh_from_db()
    assert message.message_id.startswith("<outbox-")
    assert mail.outbox[0].extra_headers["Message-ID"] == message.message_id


def test_several_addresses_are_one_email(settings: Any) -> None:
    message = stored(to="a@k.no, b@k.no", audience=Audience.STAFF, kind=NoticeKind.HANDOVER)
    assert message.recipients == ["a@k.no", "b@k.no"]
    assert outbox.send(message.pk, now=T0) == MessageStatus.SENT
    [sent] = mail.outbox
    assert sent.to == ["a@k.no", "b@k.no"]
    assert sent.extra_headers["Auto-Submitted"] == "auto-generated"


def test_resend_only_a_failed_message(django_capture_on_commit_callbacks: Any) -> None:
    failed = stored(status=MessageStatus.FAILED, attempts=6, error="refused", next_attempt_at=None)
    sent = stored(status=MessageStatus.SENT, attempts=1, next_attempt_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.resend(failed, now=T0) is True
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.error) == (MessageStatus.SENT, 1, "")
    assert outbox.resend(sent, now=T0) is False
    assert len(mail.outbox) == 1


# --- abandoned task rows -------------------------------------------------------------------------


@pytest.fixture
def task_rows(settings: Any) -> Any:
    from django_tasks_db.models import DBTaskResult

    from tenestetorget.contact import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def make(task_path: str, started: dt.datetime, runs: int = 1) -> Any:
        result = tasks.send_outgoing_message.enqueue(1)
        DBTaskResult.objects.filter(pk=result.id).update(
            task_path=task_path,
            status="RUNNING",
            started_at=started,
            worker_ids=[f"w{n}" for n in range(runs)],
        )
        return DBTaskResult.objects.get(pk=result.id)

    return make


def test_an_abandoned_task_is_run_again_or_failed(task_rows: Any) -> None:
    from tenestetorget.contact import tasks

    now = timezone.now()
    stale = now - outbox.POLICY.stale_task_after - dt.timedelta(seconds=1)
    send = tasks.send_outgoing_message.module_path
    again = task_rows(send, stale)
    unknown = task_rows("tenestetorget.other.tasks.not_known_to_be_safe", stale)
    worn = task_rows(send, stale, runs=outbox.POLICY.max_task_runs)
    running = task_rows(send, now - dt.timedelta(seconds=5))

    assert outbox.recover_stale_tasks(now) == (1, 2)
    for row in (again, unknown, worn, running):
        row.refresh_from_db()
    assert (again.status, again.started_at) == ("READY", None)
    assert unknown.status == worn.status == "FAILED"
    assert unknown.exception_class_path == "tenestetorget.contact.outbox.WorkerLost"
    assert "stopped (killed or crashed)" in worn.traceback
    assert running.status == "RUNNING"  # still within its time


def test_every_contact_task_is_safe_to_run_again() -> None:
    from django.tasks import Task

    from tenestetorget.contact import tasks

    defined = {t.module_path for t in vars(tasks).values() if isinstance(t, Task)}
    assert defined <= tasks.SAFE_TO_RUN_AGAIN
    # A worker killed mid-conversion leaves the document's archival variant to be made again.
    assert "tenestetorget.core.tasks.make_archival_variant" in tasks.SAFE_TO_RUN_AGAIN
    # A retraining killed midway writes a new model file when run again (routing.tasks).
    assert "tenestetorget.routing.tasks.retrain" in tasks.SAFE_TO_RUN_AGAIN


# --- who sees what, in which order ---------------------------------------------------------------


def test_who_sees_which_messages(
    register: Any, staff: dict[str, Any], org: Any, django_user_model: Any
) -> None:
    water = stored(register(queue="vatn_avlop", channel=Channel.PHONE), to="water@example.no")
    building = stored(register(queue="byggjesak", channel=Channel.PHONE), to="bygg@example.no")
    about_several = stored(None, to="front@k.no", audience=Audience.STAFF)

    def seen(user: Any) -> set[int]:
        return set(outbox.visible_messages(user).values_list("pk", flat=True))

    assert seen(staff["front"]) == {water.pk, building.pk, about_several.pk}
    assert seen(staff["tech"]) == {water.pk}
    assert seen(staff["builder"]) == {building.pk}
    citizen = django_user_model.objects.create_user("citizen", password="x")
    assert seen(citizen) == set()


def test_the_outbox_order_puts_failures_first() -> None:
    sent_new = stored(status=MessageStatus.SENT, created_at=T0 + dt.timedelta(hours=5))
    queued = stored(created_at=T0 + dt.timedelta(hours=4))
    retry = stored(status=MessageStatus.RETRY, created_at=T0 + dt.timedelta(hours=3))
    failed_old = stored(status=MessageStatus.FAILED, created_at=T0)
    failed_new = stored(status=MessageStatus.FAILED, created_at=T0 + dt.timedelta(hours=1))
    withdrawn = stored(status=MessageStatus.WITHDRAWN, created_at=T0 + dt.timedelta(hours=2))
    order = list(outbox.in_outbox_order(OutgoingMessage.objects.all()))
    assert order == [failed_new, failed_old, retry, queued, sent_new, withdrawn]


# --- the command --------------------------------------------------------------------------------


def test_the_outbox_command_sweeps_and_reports() -> None:
    stored(next_attempt_at=timezone.now() - dt.timedelta(minutes=1))
    out = StringIO()
    call_command("outbox", "sweep", stdout=out)
    assert out.getvalue() == "Outbox sweep: 1 sent.\n"
    call_command("outbox", "status", stdout=(out := StringIO()))
    assert "sent       1" in out.getvalue()
    stored(to="gone@example.no", status=MessageStatus.FAILED, attempts=6, error="550 no such user")
    with pytest.raises(SystemExit) as exit_:
        call_command("outbox", "status", stdout=(out := StringIO()))
    assert exit_.value.code == 1
    assert "to gone@example.no after 6 attempt(s): 550 no such user" in out.getvalue()


# --- the upgrade ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_keeps_messages_stored_before(register: Any) -> None:
    """Migration 0006: queued and failed messages stay valid, the queued ones due at once."""
    executor = MigrationExecutor(connection)
    before, after = [("contact", "0005_sender_search")], [("contact", "0006_outbox_delivery")]
    inquiry = register(channel=Channel.PHONE)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("contact", "OutgoingMessage")
    rows = {
        status: old.objects.create(
            inquiry_id=inquiry.pk,
            kind="acknowledgement",
            to_email="kari@example.no",
            subject="Vi har motteke henvendinga di",
            body="Hei.\n",
            language="nn",
            status=status,
            attempts=0 if status == "queued" else 1,
            created_at=T0,
        ).pk
        for status in ("queued", "failed", "sent")
    }
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    queued, failed, sent = (OutgoingMessage.objects.get(pk=rows[s]) for s in rows)
    assert queued.message_id.startswith("<outbox-") and queued.next_attempt_at == T0
    assert failed.message_id.startswith("<outbox-") and failed.next_attempt_at is None
    assert (sent.message_id, sent.next_attempt_at) == ("", None)
    assert queued.audience == failed.audience == Audience.SENDER
    assert failed.status == MessageStatus.FAILED
    # The queued one, whose task may be long gone, is sent by the next sweep.
    assert outbox.send_due().statuses == {MessageStatus.SENT: 1}
    assert mail.outbox[0].extra_headers["Message-ID"] == queued.message_id
