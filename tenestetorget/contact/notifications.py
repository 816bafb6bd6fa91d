"""Notices to staff (varsel til tilsette): a handover tells its receiver at once, a handover
nobody acknowledged in time is marked on the timeline and announced to the front desk, and
the staff header counts what waits for the logged-in person.

The e-mails go through the outbox (contact.outbox) as messages with audience *staff*: stored
in the transaction that caused them, sent at least once, retried, and shown in the staff
outbox with a button to send again when they fail for good. A notice that is no longer true
when its turn comes (the handover was acknowledged meanwhile) is withdrawn, not sent. A
notice that cannot be sent at all is also written on the inquiry's timeline as a
MESSAGE_FAILED event with ``data["notice"]`` saying which notice it was, where the front desk
and the forwarding officer see it: at once when nobody has an address (after the commit, so
that it follows the forwarding on the timeline), after the outbox's last attempt when the mail
server refuses.

Called from the services:

* ``handover_created(handover)`` in ``services.forward_inquiry``, in its transaction, right
  after the Handover row is written: stores the e-mail to the receiver and, where the task
  backend can defer (django-tasks-db), a check at the moment the handover becomes late.
* ``mark_overdue_handovers()`` from the deferred check, the ``mark-overdue-handovers``
  command and the ``mark_overdue_handovers_task`` task: one HANDOVER_OVERDUE event per late
  handover, never two, whoever runs it and however often.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tenestetorget.contact import outbox
from tenestetorget.contact.models import (
    OPEN_STATUSES,
    Audience,
    EventKind,
    Handover,
    Inquiry,
    InquiryEvent,
    NoticeKind,
    OutgoingMessage,
)
from tenestetorget.contact.selectors import (
    handover_cutoff,
    waiting_handover_count,
)
from tenestetorget.core.calendar import calendar_from_settings, to_local
from tenestetorget.core.identifiers import mask_fodselsnummer_in_text
from tenestetorget.organisation import permissions
from tenestetorget.organisation.models import Role, StaffProfile, Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.tasks import Task

    AnyUser = AbstractBaseUser | AnonymousUser

log = logging.getLogger(__name__)

SUPPORTED = ("nn", "nb", "en")
#: Who in the receiving unit is told of a handover to one of its queues.
UNIT_ROLES = (Role.CASE_OFFICER, Role.UNIT_LEADER)
#: ``data["notice"]`` of a MESSAGE_FAILED event for a notice to staff.
NOTICE_HANDOVER = "handover"
NOTICE_OVERDUE = "handover_overdue"
NOTICE_URGENT = "urgent"
#: The deferred check runs this long after the deadline, so the cut-off has surely passed it.
CHECK_MARGIN = dt.timedelta(minutes=1)


# --- who is told ------------------------------------------------------------------------------


def unit_address(unit: Unit) -> str:
    """The unit's shared mailbox, if it has one.

    Unit has no e-mail field yet; until it gets one (named ``email``) a unit is told through
    the addresses of its staff. With the field in place it is used first, without a change
    here."""
    return str(getattr(unit, "email", "") or "").strip()


def _staff_addresses(profiles: Iterable[StaffProfile]) -> dict[int, list[str]]:
    """Per unit id: the unit's own address, else its active staff's addresses."""
    units: dict[int, Unit] = {}
    people: dict[int, set[str]] = {}
    for profile in profiles:
        units[profile.unit_id] = profile.unit
        email = (profile.user.email or "").strip().lower()
        if email and profile.user.is_active:
            people.setdefault(profile.unit_id, set()).add(email)
    result: dict[int, list[str]] = {}
    for unit_id, unit in units.items():
        own = unit_address(unit)
        result[unit_id] = [own] if own else sorted(people.get(unit_id, ()))
    return result


def unit_recipients(unit: Unit) -> list[str]:
    """Where a handover to one of the unit's queues is announced: the unit's address, else
    its case officers and unit leader."""
    own = unit_address(unit)
    if own:
        return [own]
    profiles = StaffProfile.objects.filter(unit=unit, role__in=UNIT_ROLES).select_related(
        "unit", "user"
    )
    return _staff_addresses(profiles).get(unit.pk, [])


def front_desk_recipients() -> list[str]:
    """The front desk (Tenestetorget): the address of each unit with front-desk staff, else
    the front-desk staff's own addresses."""
    profiles = StaffProfile.objects.filter(role=Role.FRONT_DESK).select_related("unit", "user")
    addresses = _staff_addresses(profiles)
    return sorted({address for group in addresses.values() for address in group})


@dataclass
class Recipients:
    addresses: list[str]
    language: str = "nn"
    #: The handover names this person, and the e-mail goes to them alone.
    named: bool = False
    name: str = ""


def handover_recipients(handover: Handover) -> Recipients:
    """The named person when the handover names one with an address, else the receiving
    unit. Everyone told may see the inquiry anyway (permissions.py: a case officer sees the
    unit's queues and what is handed to them by name)."""
    person = handover.to_user
    if person is not None and person.is_active and person.email:
        profile = permissions.profile_of(person)
        language = profile.language if profile and profile.language in SUPPORTED else "nn"
        return Recipients(
            [person.email.strip().lower()],
            language=language,
            named=True,
            name=person.get_full_name() or person.get_username(),
        )
    return Recipients(unit_recipients(handover.to_queue.unit))


# --- rendering and sending --------------------------------------------------------------------


def _person(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def _local(moment: dt.datetime) -> str:
    return date_format(to_local(moment), "DATETIME_FORMAT")


def inquiry_url(reference: str) -> str:
    """The inquiry's page as an absolute address (SITE_URL), for e-mail."""
    return f"{settings.SITE_URL}{reverse('contact:detail', args=[reference])}"


def handover_deadline(created_at: dt.datetime) -> dt.datetime:
    """When a handover made at `created_at` becomes late (HANDOVER_ACK_WORKING_HOURS office
    hours later)."""
    hours = float(settings.TENESTETORGET["HANDOVER_ACK_WORKING_HOURS"])
    return calendar_from_settings().add_working_hours(created_at, hours)


def _render(name: str, language: str, context: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) from contact/messages/<name>.<language>.txt: first line the subject."""
    language = language if language in SUPPORTED else "nn"
    rendered = render_to_string(f"contact/messages/{name}.{language}.txt", context)
    subject, _sep, body = rendered.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def render_handover_notice(handover: Handover, recipients: Recipients) -> tuple[str, str]:
    """The e-mail to the receiver of a handover. Only what the receiver sees on the inquiry
    page anyway, and less: no sender's name, address, phone or text; a fødselsnummer typed
    into the subject or the note is masked."""
    inquiry = handover.inquiry
    language = recipients.language
    with translation.override(language):
        context = {
            "named": recipients.named,
            "receiver_name": recipients.name,
            "reference": inquiry.reference,
            "subject": mask_fodselsnummer_in_text(inquiry.subject),
            "queue_name": handover.to_queue.name,
            "unit_name": handover.to_queue.unit.name,
            "from_name": _person(handover.created_by) or _("Tenestetorget"),
            "from_queue": handover.from_queue.name if handover.from_queue else "",
            "note": mask_fodselsnummer_in_text(handover.note or "").strip(),
            "due_date": date_format(inquiry.due_date, "DATE_FORMAT"),
            "ack_by": _local(handover_deadline(handover.created_at)),
            "url": inquiry_url(inquiry.reference),
            "municipality": settings.TENESTETORGET["MUNICIPALITY_NAME"],
        }
        return _render("staff_handover", language, context)


def render_overdue_notice(handovers: Sequence[Handover]) -> tuple[str, str]:
    """The front desk's e-mail about handovers nobody acknowledged in time (in nn)."""
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        items = []
        for handover in handovers:
            inquiry = handover.inquiry
            to = handover.to_queue.name
            if handover.to_user is not None:
                to = f"{_person(handover.to_user)}, {to}"
            items.append(
                {
                    "reference": inquiry.reference,
                    "subject": mask_fodselsnummer_in_text(inquiry.subject),
                    "to": to,
                    "from_name": _person(handover.created_by),
                    "forwarded_at": _local(handover.created_at),
                    "due_date": date_format(inquiry.due_date, "DATE_FORMAT"),
                    "url": inquiry_url(inquiry.reference),
                }
            )
        context = {
            "items": items,
            "count": len(items),
            "hours": settings.TENESTETORGET["HANDOVER_ACK_WORKING_HOURS"],
            "attention_url": f"{settings.SITE_URL}{reverse('contact:inbox')}?attention=1",
            "municipality": settings.TENESTETORGET["MUNICIPALITY_NAME"],
        }
        return _render("staff_handover_overdue", language, context)


def _record_failure(
    inquiry_id: int,
    notice: str,
    handover_id: int | None,
    to: list[str],
    error: str,
    at: dt.datetime | None = None,
    message_id: int | None = None,
) -> InquiryEvent:
    """A notice that did not go out, on the inquiry's timeline where staff see it."""
    with translation.override(settings.LANGUAGE_CODE):
        if to:
            text = _("Varselet til %(to)s vart ikkje sendt: %(error)s") % {
                "to": ", ".join(to),
                "error": error,
            }
        else:
            text = _("Varselet vart ikkje sendt: %(error)s") % {"error": error}
    data: dict[str, Any] = {"notice": notice, "to": to}
    if handover_id is not None:
        data["handover"] = handover_id
    if message_id is not None:
        data["message"] = message_id
    return InquiryEvent.objects.create(
        inquiry_id=inquiry_id,
        kind=EventKind.MESSAGE_FAILED,
        at=at or timezone.now(),
        text=text[:2000],
        data=data,
    )


def _store_notice(
    kind: str, notice: str, subject: str, body: str, to: list[str], language: str, **about: Any
) -> OutgoingMessage:
    """A notice in the outbox, with the caller's transaction: sent at least once from there,
    and shown there when it cannot be."""
    inquiry = about.pop("inquiry", None)
    return outbox.store(
        audience=Audience.STAFF,
        kind=kind,
        inquiry=inquiry,
        to=to,
        subject=subject,
        body=body,
        language=language,
        data={"notice": notice, **about},
    )


def queue_handover_notice(handover: Handover) -> OutgoingMessage | None:
    """Store the e-mail to the receiver of a handover in the outbox (sent from there). With
    nobody to tell, the timeline says so at once and nothing is stored."""
    recipients = handover_recipients(handover)
    if not recipients.addresses:
        with translation.override(settings.LANGUAGE_CODE):
            error = _("Verken mottakaren eller eininga %(unit)s har ei e-postadresse.") % {
                "unit": handover.to_queue.unit.name
            }
        log.warning("handover %s of %s: nobody to notify", handover.pk, handover.inquiry_id)
        # After the commit, so that the timeline has the forwarding first and this after it
        # (services.forward_inquiry writes its event after calling handover_created).
        inquiry_id, handover_id = handover.inquiry_id, handover.pk
        transaction.on_commit(
            lambda: _record_failure(inquiry_id, NOTICE_HANDOVER, handover_id, [], error)
        )
        return None
    subject, body = render_handover_notice(handover, recipients)
    return _store_notice(
        NoticeKind.HANDOVER,
        NOTICE_HANDOVER,
        subject,
        body,
        recipients.addresses,
        recipients.language,
        inquiry=handover.inquiry,
        handover=handover.pk,
    )


def render_urgent_notice(inquiry: Inquiry, language: str, terms: Sequence[str]) -> tuple[str, str]:
    """The e-mail that an urgent matter has come in. As little as a handover notice: the
    reference, the subject (fødselsnummer masked), what made it urgent and the link."""
    with translation.override(language):
        context = {
            "reference": inquiry.reference,
            "subject": mask_fodselsnummer_in_text(inquiry.subject),
            "queue_name": inquiry.queue.name if inquiry.queue else _("Tenestetorget"),
            "terms": ", ".join(terms),
            "channel": inquiry.get_channel_display(),
            "received": _local(inquiry.received_at),
            "url": inquiry_url(inquiry.reference),
            "municipality": settings.TENESTETORGET["MUNICIPALITY_NAME"],
        }
        return _render("staff_urgent", language, context)


def queue_urgent_notice(inquiry: Inquiry, terms: Sequence[str]) -> OutgoingMessage | None:
    """Tell the inquiry's queue at once that an urgent matter has come in (a water leak, a
    dangerous road): its unit's address, else its case officers and leader; the front desk
    when it is not routed yet. In the caller's transaction, sent from the outbox. With
    nobody to tell, the timeline says so."""
    addresses = unit_recipients(inquiry.queue.unit) if inquiry.queue else front_desk_recipients()
    if not addresses:
        inquiry_id = inquiry.pk
        with translation.override(settings.LANGUAGE_CODE):
            error = _("Ingen har ei e-postadresse til varselet om hastesaka.")
        transaction.on_commit(lambda: _record_failure(inquiry_id, NOTICE_URGENT, None, [], error))
        return None
    language = settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in SUPPORTED else "nn"
    subject, body = render_urgent_notice(inquiry, language, terms)
    return _store_notice(
        NoticeKind.URGENT, NOTICE_URGENT, subject, body, addresses, language, inquiry=inquiry
    )


def queue_overdue_notice(handovers: Sequence[Handover]) -> OutgoingMessage | None:
    """Store the front desk's one e-mail about the handovers just marked late. With nobody
    at the front desk to tell, each of their timelines says so at once."""
    if not handovers:
        return None
    to = front_desk_recipients()
    if not to:
        with translation.override(settings.LANGUAGE_CODE):
            error = _("Ingen i Tenestetorget har ei e-postadresse.")
        log.warning("overdue handovers %s: nobody at the front desk to notify", handovers)
        for handover in handovers:
            _record_failure(handover.inquiry_id, NOTICE_OVERDUE, handover.pk, [], error)
        return None
    subject, body = render_overdue_notice(handovers)
    return _store_notice(
        NoticeKind.HANDOVER_OVERDUE,
        NOTICE_OVERDUE,
        subject,
        body,
        to,
        settings.LANGUAGE_CODE,
        # About one inquiry: shown with it in the outbox; about several, with none.
        inquiry=handovers[0].inquiry if len(handovers) == 1 else None,
        handovers=[handover.pk for handover in handovers],
    )


def _handover_ids(message: OutgoingMessage) -> list[int]:
    data = message.data if isinstance(message.data, dict) else {}
    ids = data.get("handovers", [data.get("handover")])
    return [value for value in ids if isinstance(value, int)]


def notice_still_true(message: OutgoingMessage) -> bool:
    """Whether a stored notice still says something true when its turn comes: a handover
    acknowledged (or superseded) before the e-mail went out needs no e-mail any more."""
    ids = _handover_ids(message)
    if not ids or message.kind not in (NoticeKind.HANDOVER, NoticeKind.HANDOVER_OVERDUE):
        return True  # nothing it could have stopped being true about
    return Handover.objects.filter(pk__in=ids, acknowledged_at__isnull=True).exists()


def record_notice_failure(message: OutgoingMessage, at: dt.datetime) -> None:
    """The outbox gave up on a notice: each handover's inquiry timeline says so."""
    notice = str(message.data.get("notice", "")) if isinstance(message.data, dict) else ""
    if message.kind == NoticeKind.URGENT and message.inquiry_id is not None:
        _record_failure(
            message.inquiry_id,
            notice,
            None,
            message.recipients,
            message.error,
            at=at,
            message_id=message.pk,
        )
        return
    handovers = Handover.objects.filter(pk__in=_handover_ids(message)).values_list(
        "pk", "inquiry_id"
    )
    for handover_id, inquiry_id in handovers:
        _record_failure(
            inquiry_id,
            notice,
            handover_id,
            message.recipients,
            message.error,
            at=at,
            message_id=message.pk,
        )


def deliver_handover_notice(handover_id: int) -> bool:
    """For a task queued before the outbox stored notices: store the notice now, unless the
    handover is acknowledged or its notice is stored already."""
    handover = (
        Handover.objects.select_related(
            "inquiry", "to_queue__unit", "from_queue", "to_user", "created_by"
        )
        .filter(pk=handover_id, acknowledged_at__isnull=True)
        .first()
    )
    if handover is None:
        return True
    stored = OutgoingMessage.objects.filter(
        audience=Audience.STAFF, kind=NoticeKind.HANDOVER, data__handover=handover_id
    )
    with transaction.atomic():
        if not stored.exists():
            return queue_handover_notice(handover) is not None
    return True


def deliver_overdue_notice(handover_ids: Sequence[int]) -> bool:
    """For a task queued before the outbox stored notices: store the front desk's notice
    about those of the handovers still not acknowledged."""
    handovers = list(
        Handover.objects.filter(pk__in=list(handover_ids), acknowledged_at__isnull=True)
        .select_related("inquiry", "to_queue", "to_user", "created_by")
        .order_by("created_at", "id")
    )
    with transaction.atomic():
        return not handovers or queue_overdue_notice(handovers) is not None


# --- queueing ---------------------------------------------------------------------------------


def _enqueue(task: Task, *args: Any) -> None:
    """Enqueue with the caller's transaction: django-tasks-db writes the task row in it (both
    or neither, as messaging.queue_message does); other backends run or send at once, so
    only after the commit."""
    if task.get_backend().__class__.__name__ == "DatabaseBackend":
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))


def handover_created(handover: Handover) -> None:
    """Call in services.forward_inquiry, in its transaction, once the handover is written:
    the e-mail to the receiver is stored in the outbox (and sent from there), and a check is
    set for when the handover becomes late."""
    queue_handover_notice(handover)
    schedule_overdue_check(handover.pk, handover.created_at)


def schedule_overdue_check(handover_id: int, created_at: dt.datetime) -> bool:
    """Defer a check of this handover to the moment it becomes late. Only backends that can
    defer (django-tasks-db) do it; elsewhere the `mark-overdue-handovers` command finds it."""
    from tenestetorget.contact import tasks

    task = tasks.check_handover_overdue
    if not task.get_backend().supports_defer:
        return False
    run_after = handover_deadline(created_at) + CHECK_MARGIN
    _enqueue(task.using(run_after=run_after), handover_id)
    return True


def check_handover(handover_id: int, now: dt.datetime | None = None) -> bool:
    """The deferred check of one handover: marked late (True), or not yet late and checked
    again at its (possibly changed) deadline, or acknowledged and done."""
    now = now or timezone.now()
    row = (
        Handover.objects.filter(pk=handover_id, acknowledged_at__isnull=True)
        .values_list("created_at", flat=True)
        .first()
    )
    if row is None:
        return False
    if mark_overdue_handovers(now, handover_ids=[handover_id]):
        return True
    if handover_deadline(row) + CHECK_MARGIN > now:
        # Not late yet: HANDOVER_ACK_WORKING_HOURS was raised since the check was set.
        schedule_overdue_check(handover_id, row)
    return False


# --- late handovers ---------------------------------------------------------------------------


def _already_marked(inquiry_ids: Iterable[int]) -> set[int]:
    """Handover ids that already have their HANDOVER_OVERDUE event."""
    ids = sorted(set(inquiry_ids))
    marked: set[int] = set()
    for start in range(0, len(ids), 500):
        for data in InquiryEvent.objects.filter(
            inquiry_id__in=ids[start : start + 500], kind=EventKind.HANDOVER_OVERDUE
        ).values_list("data", flat=True):
            value = data.get("handover") if isinstance(data, dict) else None
            if isinstance(value, int):
                marked.add(value)
    return marked


@transaction.atomic
def _mark_one(handover_id: int, cutoff: dt.datetime, now: dt.datetime) -> bool:
    # The row lock makes a second run (another worker, the command beside the worker) wait
    # here and then see the first run's event: one event per handover, never two. SQLite
    # gets the same from its one writer at a time (transaction_mode IMMEDIATE).
    handover = (
        Handover.objects.select_for_update()
        .filter(pk=handover_id, acknowledged_at__isnull=True, created_at__lt=cutoff)
        .first()
    )
    if handover is None:
        return False
    if InquiryEvent.objects.filter(
        inquiry_id=handover.inquiry_id, kind=EventKind.HANDOVER_OVERDUE, data__handover=handover.pk
    ).exists():
        return False
    InquiryEvent.objects.create(
        inquiry_id=handover.inquiry_id,
        kind=EventKind.HANDOVER_OVERDUE,
        at=now,
        data={
            "handover": handover.pk,
            "deadline": handover_deadline(handover.created_at).isoformat(),
        },
    )
    return True


def mark_overdue_handovers(
    now: dt.datetime | None = None,
    *,
    handover_ids: Sequence[int] | None = None,
    announce: bool = True,
) -> list[int]:
    """Write one HANDOVER_OVERDUE event for each handover of an open inquiry that has waited
    longer than HANDOVER_ACK_WORKING_HOURS office hours (the same cut-off as the attention
    list), and announce them to the front desk. Idempotent: a handover that has its event
    gets no second one. Returns the ids of the handovers marked now."""
    now = now or timezone.now()
    cutoff = handover_cutoff(now)
    late = Handover.objects.filter(
        acknowledged_at__isnull=True, created_at__lt=cutoff, inquiry__status__in=OPEN_STATUSES
    )
    if handover_ids is not None:
        late = late.filter(pk__in=list(handover_ids))
    candidates = list(late.order_by("created_at", "id").values_list("pk", "inquiry_id"))
    if not candidates:
        return []
    marked = _already_marked(inquiry_id for _pk, inquiry_id in candidates)
    # The marks and the front desk's notice commit together: a worker that dies here leaves
    # neither, and the next run marks and announces them; never marked but not announced.
    with transaction.atomic():
        newly = [pk for pk, _inq in candidates if pk not in marked and _mark_one(pk, cutoff, now)]
        if newly and announce:
            queue_overdue_notice(
                list(
                    Handover.objects.filter(pk__in=newly)
                    .select_related("inquiry", "to_queue", "to_user", "created_by")
                    .order_by("created_at", "id")
                )
            )
    if newly:
        log.info("%d handover(s) marked overdue: %s", len(newly), newly)
    return newly


# --- the staff header's count -----------------------------------------------------------------


def header_count(user: AnyUser | None) -> dict[str, Any] | None:
    """What the header shows: the count (one query) and where it links; None for anyone who
    is not staff."""
    if permissions.role_of(user) is None:
        return None
    count = waiting_handover_count(user)
    # The inbox's "handed to me" filter lists exactly the inquiries of these handovers.
    href = f"{reverse('contact:inbox')}?handed=1"
    return {"count": count, "href": href, "poll_url": reverse("contact:handover_count")}
