"""The outbox (utboks): every e-mail Tenestetorget sends, delivered at least once.

A message is stored before it is sent (``OutgoingMessage``), in the transaction of whatever
caused it, and the row, not the background task, is the truth about it::

    queued ──take──▶ sending ──▶ sent
                        ├──▶ retry, next attempt after 1, 2, 4, 8, 16 min ──take──▶ sending …
                        └──▶ failed after the last attempt: shown first in the outbox, where
                             staff send it again
    (a notice that is no longer true when its turn comes: withdrawn, not sent)

* Taking a message is one conditional UPDATE (pending and due → sending, with a lease, one
  more attempt); of two workers only one gets it, on SQLite and PostgreSQL alike, and no
  transaction is held open while the SMTP server is talked to.
* A worker that dies while sending (killed, out of memory, the machine restarted) leaves the
  message *sending* until its lease runs out; then the sweep sends it again. The server may
  have accepted it the first time: the second delivery carries the same Message-ID and Date,
  so it is recognisably the same message. At least once, never silently lost.
* The sweep (``sweep``) runs in ``tenestetorget worker`` every 30 seconds and in
  ``tenestetorget outbox sweep`` (cron). It sends what is due and hands django-tasks-db rows
  that a dead worker left *running* back to be run (or marks them failed), so that no task
  claims to run for ever.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass, field, replace
from email.utils import parseaddr
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from tenestetorget.contact.models import (
    PENDING_MESSAGE_STATUSES,
    Audience,
    EventKind,
    Inquiry,
    InquiryEvent,
    MessageStatus,
    OutgoingMessage,
)
from tenestetorget.core.calendar import to_local
from tenestetorget.organisation import permissions

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Policy:
    """How hard the outbox tries. The worker command may shorten the lease and the time after
    which a running task counts as abandoned (``configure``)."""

    #: Attempts before a message is failed for staff to see (1 + 5 retries, ~31 minutes).
    max_attempts: int = 6
    #: The wait after the first failed attempt; doubled after each further one, up to the cap.
    first_retry: dt.timedelta = dt.timedelta(minutes=1)
    max_retry_delay: dt.timedelta = dt.timedelta(hours=1)
    #: How long a worker may be sending one message before others presume it dead. Longer
    #: than any SMTP conversation (EMAIL_TIMEOUT per step), so a slow send is not repeated.
    lease: dt.timedelta = dt.timedelta(minutes=5)
    #: A django-tasks-db row running this long belongs to a worker that died.
    stale_task_after: dt.timedelta = dt.timedelta(minutes=15)
    #: A task abandoned this many times is failed rather than run again (it may be what kills
    #: the worker).
    max_task_runs: int = 3

    def retry_delay(self, attempts: int) -> dt.timedelta:
        """The wait before the next attempt, after `attempts` failed ones."""
        return min(self.first_retry * 2 ** max(attempts - 1, 0), self.max_retry_delay)


POLICY = Policy()


def configure(**changes: Any) -> Policy:
    """Change the policy for this process (the worker command's options)."""
    global POLICY  # one policy per process, set once at start
    POLICY = replace(POLICY, **changes)
    return POLICY


# --- storing ----------------------------------------------------------------------------------


def message_id_domain() -> str:
    """The domain of DEFAULT_FROM_EMAIL: Message-IDs are made in the sender's own domain."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "localhost"


def new_message_id() -> str:
    return f"<outbox-{uuid.uuid4().hex}@{message_id_domain()}>"


def store(
    *,
    audience: str,
    kind: str,
    to: Sequence[str],
    subject: str,
    body: str,
    language: str,
    inquiry: Inquiry | None = None,
    created_by: Any = None,
    data: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
    attachments: Sequence[dict[str, str]] = (),
) -> OutgoingMessage:
    """Store a message, due at once, and enqueue its sending: both with the caller's
    transaction, so a rolled-back action sends nothing and a committed one is never lost."""
    now = now or timezone.now()
    message = OutgoingMessage.objects.create(
        audience=audience,
        inquiry=inquiry,
        kind=kind,
        to_email=", ".join(to),
        subject=subject,
        body=body,
        language=language,
        message_id=new_message_id(),
        next_attempt_at=now,
        data=data or {},
        attachments=list(attachments),
        created_by=created_by,
        created_at=now,
    )
    enqueue_send(message.pk)
    return message


def enqueue_send(message_id: int) -> None:
    """Enqueue the background send of one stored message."""
    from tenestetorget.contact.tasks import send_outgoing_message

    if send_outgoing_message.get_backend().__class__.__name__ == "DatabaseBackend":
        # The task row is written in the caller's transaction: both or neither. Were it lost
        # all the same, the sweep finds the message by its own row.
        send_outgoing_message.enqueue(message_id)
    else:
        # Other backends run or send at once: only after the message is committed.
        transaction.on_commit(lambda: send_outgoing_message.enqueue(message_id))


# --- sending ----------------------------------------------------------------------------------


def due_q(now: dt.datetime) -> Q:
    """Pending messages whose time has come: queued or retry and due, or sending with a lease
    that has run out."""
    return Q(status__in=PENDING_MESSAGE_STATUSES) & (
        Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True)
    )


@dataclass(frozen=True)
class Claim:
    """A message this worker has taken, until `lease_end`."""

    message: OutgoingMessage
    lease_end: dt.datetime

    def still_ours(self) -> QuerySet[OutgoingMessage]:
        """The row, if no other worker has taken it since (after our lease ran out)."""
        return OutgoingMessage.objects.filter(
            pk=self.message.pk, status=MessageStatus.SENDING, next_attempt_at=self.lease_end
        )


def claim(message_id: int, now: dt.datetime | None = None) -> Claim | None:
    """Take one due message for sending, or None when it is not due or another worker has
    it. One UPDATE … WHERE: the database lets one claimant through."""
    now = now or timezone.now()
    lease_end = now + POLICY.lease
    taken = OutgoingMessage.objects.filter(
        due_q(now), pk=message_id, attempts__lt=POLICY.max_attempts
    ).update(
        status=MessageStatus.SENDING,
        next_attempt_at=lease_end,
        attempts=F("attempts") + 1,
    )
    if not taken:
        return None
    message = OutgoingMessage.objects.select_related("inquiry").get(pk=message_id)
    if not message.message_id:
        # Stored before the outbox gave every message its Message-ID: one now, kept for good.
        message.message_id = new_message_id()
        message.save(update_fields=["message_id"])
    return Claim(message, lease_end)


def as_email(message: OutgoingMessage) -> EmailMessage:
    """The e-mail of one stored message, the same on every attempt."""
    headers: dict[str, Any] = {
        # The same identity and origination date on every attempt: a second delivery after an
        # uncertain outcome is the same message, and mail programs can tell.
        "Message-ID": message.message_id,
        "Date": to_local(message.created_at),
    }
    if message.inquiry is not None:
        headers["X-Tenestetorget-Reference"] = message.inquiry.reference
    if message.audience == Audience.STAFF:
        headers["X-Tenestetorget-Notice"] = str(message.data.get("notice", message.kind))
        # RFC 3834: no out-of-office replies to a machine.
        headers["Auto-Submitted"] = "auto-generated"
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=message.recipients,
        headers=headers,
    )
    for attached in message.attachments or ():
        email.attach(attached["filename"], attached["content"], attached["content_type"])
    return email


def send(message_id: int, now: dt.datetime | None = None) -> str | None:
    """Take one message if it is due and send it now. Returns the status it ends in, or None
    when it was not taken (sent already, not due, or another worker has it). Never raises
    for a failed send: the failure is recorded on the message."""
    taken = claim(message_id, now)
    if taken is None:
        return None
    return attempt(taken, now)


def attempt(taken: Claim, now: dt.datetime | None = None) -> str:
    """Send a claimed message once and record the outcome."""
    message = taken.message
    if _no_longer_wanted(message):
        taken.still_ours().update(status=MessageStatus.WITHDRAWN, next_attempt_at=None)
        log.info("message %s withdrawn: no longer true", message.pk)
        return MessageStatus.WITHDRAWN
    try:
        as_email(message).send(fail_silently=False)
    except Exception as exc:  # any backend error: SMTP refusal, network, DNS, timeout
        error = str(exc)[:2000] or exc.__class__.__name__
        return _record_failure(taken, error, now or timezone.now())
    _record_sent(message, now or timezone.now())
    return MessageStatus.SENT


def _record_sent(message: OutgoingMessage, at: dt.datetime) -> None:
    with transaction.atomic():
        # Sent is the truth once the server took it, whoever holds the row now.
        recorded = (
            OutgoingMessage.objects.filter(pk=message.pk)
            .exclude(status=MessageStatus.SENT)
            .update(status=MessageStatus.SENT, sent_at=at, next_attempt_at=None, error="")
        )
        if recorded and message.audience == Audience.SENDER and message.inquiry is not None:
            InquiryEvent.objects.create(
                inquiry=message.inquiry,
                kind=EventKind.MESSAGE_SENT,
                at=at,
                text=message.subject,
                data={"message": message.pk, "kind": message.kind, "to": message.to_email},
            )
    log.info("message %s (%s) sent to %s", message.pk, message.message_id, message.to_email)


def _record_failure(taken: Claim, error: str, at: dt.datetime) -> str:
    message = taken.message
    final = message.attempts >= POLICY.max_attempts
    status = MessageStatus.FAILED if final else MessageStatus.RETRY
    next_attempt = None if final else at + POLICY.retry_delay(message.attempts)
    with transaction.atomic():
        recorded = taken.still_ours().update(
            status=status, error=error, next_attempt_at=next_attempt
        )
        if recorded and final:
            message.error = error
            _record_final_failure(message, at)
    log.warning(
        "message %s to %s, attempt %d of %d, failed: %s",
        message.pk,
        message.to_email,
        message.attempts,
        POLICY.max_attempts,
        error,
    )
    return status


def _record_final_failure(message: OutgoingMessage, at: dt.datetime) -> None:
    """On the timeline, once, when the outbox gives up: where staff see it."""
    if message.audience == Audience.STAFF:
        from tenestetorget.contact import notifications

        notifications.record_notice_failure(message, at)
    elif message.inquiry is not None:
        InquiryEvent.objects.create(
            inquiry=message.inquiry,
            kind=EventKind.MESSAGE_FAILED,
            at=at,
            text=message.error,
            data={"message": message.pk, "kind": message.kind},
        )


def record_bounce(message_ids: Sequence[str], report: str) -> OutgoingMessage | None:
    """A delivery failure report came back for one of our messages (the mail room found its
    Message-ID in the report): the mail server took it, but the recipient's did not. Its
    inquiry's timeline says so once, with the report's words, so that whoever works on it
    knows the sender never got it (and can phone, or correct the address). Returns the
    message, or None when the report names none of ours."""
    found = (
        OutgoingMessage.objects.select_related("inquiry")
        .filter(message_id__in=[m for m in message_ids if m][:50])
        .exclude(message_id="")
        .first()
    )
    if found is None or found.inquiry is None:
        return found
    already = InquiryEvent.objects.filter(
        inquiry=found.inquiry, kind=EventKind.MESSAGE_FAILED, data__bounce=found.pk
    ).exists()
    if not already:
        InquiryEvent.objects.create(
            inquiry=found.inquiry,
            kind=EventKind.MESSAGE_FAILED,
            at=timezone.now(),
            text=report[:2000],
            data={"message": found.pk, "kind": found.kind, "bounce": found.pk},
        )
    return found


def _no_longer_wanted(message: OutgoingMessage) -> bool:
    if message.audience != Audience.STAFF:
        return False
    from tenestetorget.contact import notifications

    return not notifications.notice_still_true(message)


def _fail_abandoned(now: dt.datetime) -> int:
    """Messages whose every attempt ended with the worker gone: failed, for staff to see."""
    from django.utils import translation
    from django.utils.translation import gettext

    failed = 0
    abandoned = OutgoingMessage.objects.filter(
        due_q(now), status=MessageStatus.SENDING, attempts__gte=POLICY.max_attempts
    )
    for message in abandoned.select_related("inquiry"):
        with transaction.atomic():
            # Stored text, read by all staff: in the site's language, whoever runs this.
            with translation.override(settings.LANGUAGE_CODE):
                message.error = gettext(
                    "Sendinga vart broten %(attempts)d gonger utan svar frå e-posttenaren."
                ) % {"attempts": message.attempts}
            if (
                Claim(message, message.next_attempt_at or now)
                .still_ours()
                .update(status=MessageStatus.FAILED, error=message.error, next_attempt_at=None)
            ):
                _record_final_failure(message, now)
                failed += 1
    return failed


@dataclass
class SweepReport:
    """What one sweep did, by outcome."""

    statuses: dict[str, int] = field(default_factory=dict)
    tasks_requeued: int = 0
    tasks_failed: int = 0

    def count(self, status: str | None) -> None:
        if status is not None:
            self.statuses[status] = self.statuses.get(status, 0) + 1

    def __bool__(self) -> bool:
        return bool(self.statuses or self.tasks_requeued or self.tasks_failed)

    def __str__(self) -> str:
        parts = [f"{n} {status}" for status, n in sorted(self.statuses.items())]
        if self.tasks_requeued or self.tasks_failed:
            parts.append(
                f"{self.tasks_requeued} abandoned task(s) run again, "
                f"{self.tasks_failed} marked failed"
            )
        return ", ".join(parts) or "nothing to do"


def send_due(now: dt.datetime | None = None, limit: int = 200) -> SweepReport:
    """Send every message whose time has come, oldest first, at most `limit` in one go."""
    report = SweepReport()
    at = now or timezone.now()
    for _i in range(_fail_abandoned(at)):
        report.count(MessageStatus.FAILED)
    due = (
        OutgoingMessage.objects.filter(due_q(at), attempts__lt=POLICY.max_attempts)
        .order_by(F("next_attempt_at").asc(nulls_first=True), "id")
        .values_list("pk", flat=True)[:limit]
    )
    for message_id in list(due):
        report.count(send(message_id, now))
    return report


def recover_stale_tasks(now: dt.datetime | None = None) -> tuple[int, int]:
    """django-tasks-db rows left *running* by a worker that died: run again when the task is
    safe to repeat and has not been abandoned too often, else marked failed. django-tasks-db
    itself never looks at them again. Returns (run again, marked failed)."""
    if not apps.is_installed("django_tasks_db"):
        return 0, 0
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from tenestetorget.contact.tasks import SAFE_TO_RUN_AGAIN

    now = now or timezone.now()
    stale = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - POLICY.stale_task_after
    ).only("id", "task_path", "worker_ids", "started_at")
    requeued = failed = 0
    for row in stale[:500]:
        # Conditional on what was read: a worker that was only slow and finishes now wins.
        same = DBTaskResult.objects.filter(
            pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
        )
        if row.task_path in SAFE_TO_RUN_AGAIN and len(row.worker_ids) < POLICY.max_task_runs:
            requeued += same.update(status=TaskResultStatus.READY, started_at=None)
            log.warning(
                "task %s (%s) was abandoned by its worker: run again", row.pk, row.task_path
            )
        else:
            failed += same.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                return_value=None,
                exception_class_path=f"{__name__}.WorkerLost",
                traceback=(
                    f"{__name__}.WorkerLost: the worker running this task stopped (killed or "
                    f"crashed) after {len(row.worker_ids)} run(s); it is not run again.\n"
                ),
            )
            log.error("task %s (%s) was abandoned by its worker: failed", row.pk, row.task_path)
    return requeued, failed


class WorkerLost(Exception):
    """A background task whose worker stopped while running it."""


def sweep(now: dt.datetime | None = None) -> SweepReport:
    """What `tenestetorget worker` does every so often and `tenestetorget outbox sweep` once:
    hand abandoned tasks back, then send every message whose time has come."""
    requeued, failed = recover_stale_tasks(now)
    report = send_due(now)
    report.tasks_requeued, report.tasks_failed = requeued, failed
    return report


# --- staff: the outbox page and sending again ---------------------------------------------------


def visible_messages(user: AnyUser | None) -> QuerySet[OutgoingMessage]:
    """The messages `user` may see (and so send again): those about inquiries they may see;
    notices about no single inquiry (several late handovers) for those who see every
    inquiry, as the front desk they are sent to."""
    from tenestetorget.contact.selectors import visible_inquiries

    if permissions.role_of(user) is None:
        return OutgoingMessage.objects.none()
    if permissions.sees_all_inquiries(user):
        return OutgoingMessage.objects.all()
    return OutgoingMessage.objects.filter(inquiry__in=visible_inquiries(user))


#: The outbox's order: what needs staff first (failed), then what is still on its way.
ATTENTION_ORDER = {
    MessageStatus.FAILED: 0,
    MessageStatus.RETRY: 1,
    MessageStatus.SENDING: 2,
    MessageStatus.QUEUED: 2,
}


def in_outbox_order(messages: QuerySet[OutgoingMessage]) -> QuerySet[OutgoingMessage]:
    """Failed first, then retrying, then on their way, then the rest; newest first in each."""
    rank = Case(
        *(When(status=status, then=Value(n)) for status, n in ATTENTION_ORDER.items()),
        default=Value(len(ATTENTION_ORDER)),
        output_field=IntegerField(),
    )
    return messages.annotate(attention=rank).order_by("attention", "-created_at", "-id")


def resend(message: OutgoingMessage, now: dt.datetime | None = None) -> bool:
    """Send a failed message again, as it was, with its Message-ID: a fresh round of
    attempts. False when it is not failed (sent or already on its way again)."""
    now = now or timezone.now()
    with transaction.atomic():
        again = OutgoingMessage.objects.filter(pk=message.pk, status=MessageStatus.FAILED).update(
            status=MessageStatus.QUEUED, attempts=0, error="", next_attempt_at=now
        )
        if again:
            enqueue_send(message.pk)
    if again:
        log.info("message %s queued again by hand", message.pk)
    return bool(again)
