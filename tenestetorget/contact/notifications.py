"""Notices to staff (varsel til tilsette): a handover tells its receiver at once, a handover
nobody acknowledged in time is marked on the timeline and announced to the front desk, and
the staff header counts what waits for the logged-in person.

These are not messages to the sender: they are not stored as OutgoingMessage (whose rows
feed the outbox and the measures). They are sent by background tasks; a notice that cannot
be sent is logged and written on the inquiry's timeline as a MESSAGE_FAILED event with
``data["notice"]`` saying which notice it was, where the front desk and the forwarding
officer see it.

Called from the services:

* ``handover_created(handover)`` in ``services.forward_inquiry``, in its transaction, right
  after the Handover row is written: queues the e-mail to the receiver and, where the task
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
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tenestetorget.contact.models import (
    OPEN_STATUSES,
    EventKind,
    Handover,
    InquiryEvent,
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


def _send(subject: str, body: str, to: list[str], reference: str, notice: str) -> None:
    EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers={
            "X-Tenestetorget-Reference": reference,
            "X-Tenestetorget-Notice": notice,
            # RFC 3834: no out-of-office replies to a machine.
            "Auto-Submitted": "auto-generated",
        },
    ).send(fail_silently=False)


def _record_failure(
    inquiry_id: int, notice: str, handover_id: int, to: list[str], error: str
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
    return InquiryEvent.objects.create(
        inquiry_id=inquiry_id,
        kind=EventKind.MESSAGE_FAILED,
        at=timezone.now(),
        text=text[:2000],
        data={"notice": notice, "handover": handover_id, "to": to},
    )


def deliver_handover_notice(handover_id: int) -> bool:
    """Send the e-mail about one handover now (the background task's body). A failure is
    logged and recorded on the timeline; it never raises."""
    handover = (
        Handover.objects.select_related(
            "inquiry", "to_queue__unit", "from_queue", "to_user", "created_by"
        )
        .filter(pk=handover_id)
        .first()
    )
    if handover is None:
        return False
    if handover.acknowledged_at is not None:
        # Acknowledged (or superseded) before the worker came to it: nothing to tell.
        return True
    recipients = handover_recipients(handover)
    reference = handover.inquiry.reference
    if not recipients.addresses:
        with translation.override(settings.LANGUAGE_CODE):
            error = _("Verken mottakaren eller eininga %(unit)s har ei e-postadresse.") % {
                "unit": handover.to_queue.unit.name
            }
        log.warning("handover %s of %s: nobody to notify", handover.pk, reference)
        _record_failure(handover.inquiry_id, NOTICE_HANDOVER, handover.pk, [], error)
        return False
    subject, body = render_handover_notice(handover, recipients)
    try:
        _send(subject, body, recipients.addresses, reference, NOTICE_HANDOVER)
    except Exception as exc:  # any backend error: SMTP refusal, network, DNS
        error = str(exc)[:1500] or exc.__class__.__name__
        log.warning("handover notice %s for %s failed: %s", handover.pk, reference, error)
        _record_failure(
            handover.inquiry_id, NOTICE_HANDOVER, handover.pk, recipients.addresses, error
        )
        return False
    log.info("handover notice %s for %s sent to %s", handover.pk, reference, recipients.addresses)
    return True


def deliver_overdue_notice(handover_ids: Sequence[int]) -> bool:
    """Send the front desk one e-mail about the handovers just marked late. A failure is
    logged and recorded on each of their timelines."""
    handovers = list(
        Handover.objects.filter(pk__in=list(handover_ids), acknowledged_at__isnull=True)
        .select_related("inquiry", "to_queue", "to_user", "created_by")
        .order_by("created_at", "id")
    )
    if not handovers:
        return True
    to = front_desk_recipients()
    if not to:
        with translation.override(settings.LANGUAGE_CODE):
            error = _("Ingen i Tenestetorget har ei e-postadresse.")
        log.warning("overdue handovers %s: nobody at the front desk to notify", handover_ids)
        for handover in handovers:
            _record_failure(handover.inquiry_id, NOTICE_OVERDUE, handover.pk, [], error)
        return False
    subject, body = render_overdue_notice(handovers)
    reference = handovers[0].inquiry.reference if len(handovers) == 1 else ""
    try:
        _send(subject, body, to, reference, NOTICE_OVERDUE)
    except Exception as exc:  # any backend error: SMTP refusal, network, DNS
        error = str(exc)[:1500] or exc.__class__.__name__
        log.warning("overdue notice for handovers %s failed: %s", handover_ids, error)
        for handover in handovers:
            _record_failure(handover.inquiry_id, NOTICE_OVERDUE, handover.pk, to, error)
        return False
    log.info("overdue notice for %d handover(s) sent to %s", len(handovers), to)
    return True


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
    the receiver is told by e-mail, and a check is set for when the handover becomes late."""
    from tenestetorget.contact import tasks

    _enqueue(tasks.send_handover_notice, handover.pk)
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
    newly = [pk for pk, _inq in candidates if pk not in marked and _mark_one(pk, cutoff, now)]
    if newly:
        log.info("%d handover(s) marked overdue: %s", len(newly), newly)
        if announce:
            from tenestetorget.contact import tasks

            _enqueue(tasks.send_overdue_notice, newly)
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
