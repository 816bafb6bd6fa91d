"""Every write to an inquiry. One function per thing a person does; each checks permission,
runs in a transaction and writes its timeline event."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenestetorget.contact import clock, filing, messaging, notifications, senders, transitions
from tenestetorget.contact.models import (
    Attachment,
    EventKind,
    GuaranteeOutcome,
    Handover,
    Inquiry,
    InquiryEvent,
    MessageKind,
    Status,
)
from tenestetorget.contact.selectors import counts_changed

# The sender's data and its validation live with the register (contact.senders); channels
# import them from here as before.
from tenestetorget.contact.senders import SenderData, clean_sender
from tenestetorget.contact.transitions import Action
from tenestetorget.core import documents
from tenestetorget.core.calendar import calendar_from_settings, to_local
from tenestetorget.core.numbering import format_reference, next_number
from tenestetorget.core.uploads import validate_upload, validate_uploads
from tenestetorget.knowledge.models import Article
from tenestetorget.knowledge.selectors import is_public as is_public_article
from tenestetorget.organisation import permissions
from tenestetorget.organisation.models import Channel, Queue, Role
from tenestetorget.organisation.queue_register import queue_by_code
from tenestetorget.organisation.selectors import answer_working_days, guarantee_for
from tenestetorget.routing import flags as routing_flags
from tenestetorget.routing import services as routing_services

if TYPE_CHECKING:
    from django.contrib.auth.models import User

log = logging.getLogger(__name__)

#: The queue for matters that belong to another public body (the demo's queues.yaml).
EXTERNAL_QUEUE = "ekstern"
MAX_SUBJECT = 300
#: An interim reply names a date within a year: further is a typing error, not a plan.
MAX_INTERIM_DAYS = dt.timedelta(days=366)
MAX_BODY = 100_000
#: How far back a registration may date an inquiry: a letter registered late, or last year's
#: e-mail found in a mailbox, is normal; anything older is history, imported on purpose
#: (contact.history_import) without an acknowledgement.
MAX_RECEIVED_BACK = dt.timedelta(days=366)
#: How far ahead: another system's clock may run a little fast, nothing more.
MAX_RECEIVED_AHEAD = dt.timedelta(minutes=5)
#: The earliest date imported history may have (the calendar and the references need a year
#: of four digits, and no municipality has inquiries on file from before).
HISTORY_STARTS = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)


# --- permission -------------------------------------------------------------------------------


def can_view(user: User | None, inquiry: Inquiry) -> bool:
    role = permissions.role_of(user)
    if role is None:
        return False
    if role in permissions.SEES_EVERYTHING:
        return True
    profile = permissions.profile_of(user)
    if profile is None:
        return False
    if inquiry.assigned_to_id is not None and inquiry.assigned_to_id == user.pk:  # type: ignore[union-attr]
        return True
    return inquiry.queue is not None and inquiry.queue.unit_id == profile.unit_id


def can_work_on(user: User | None, inquiry: Inquiry) -> bool:
    """Who may answer, note, pause, close: front desk, administrators and the receiving unit.
    Archivists forward and note but do not answer on the unit's behalf."""
    if not can_view(user, inquiry):
        return False
    return permissions.role_of(user) != Role.ARCHIVIST


#: What a member of staff who may see but not work on an inquiry (an archivist) may still do.
VIEWER_ACTIONS = frozenset({Action.FORWARD, Action.NOTE})


def actions_for(
    user: User | None, inquiry: Inquiry, *, pending_handover: bool | None = None
) -> list[Action]:
    """The actions this user may take on this inquiry now: the status machine's, narrowed to
    what the user's role allows (the pages and the API offer exactly these)."""
    if not can_view(user, inquiry):
        return []
    actions = transitions.allowed_actions(inquiry.status, pending_handover=pending_handover)
    if not can_work_on(user, inquiry):
        actions = [a for a in actions if a in VIEWER_ACTIONS]
    return actions


def _require_view(user: User | None, inquiry: Inquiry) -> None:
    if not can_view(user, inquiry):
        raise PermissionDenied(_("Du har ikkje tilgang til denne henvendinga."))


def _require_work(user: User | None, inquiry: Inquiry) -> None:
    if not can_work_on(user, inquiry):
        raise PermissionDenied(_("Du kan ikkje arbeide med denne henvendinga."))


def _lock(inquiry: Inquiry) -> Inquiry:
    """Re-read the inquiry under a row lock, so two officers cannot change it at once.
    Only the inquiry's row is locked: PostgreSQL refuses FOR UPDATE on the nullable side of
    the outer join to queue."""
    return (
        Inquiry.objects.select_for_update(of=("self",))
        .select_related("queue", "sender")
        .get(pk=inquiry.pk)
    )


def _event(
    inquiry: Inquiry,
    kind: str,
    actor: User | None,
    text: str = "",
    at: dt.datetime | None = None,
    **data: Any,
) -> InquiryEvent:
    # Every change to an inquiry writes an event, so this is where the inbox counts learn
    # that they are stale (after the commit, so no one caches the uncommitted state).
    transaction.on_commit(counts_changed)
    return InquiryEvent.objects.create(
        inquiry=inquiry, kind=kind, actor=actor, at=at or timezone.now(), text=text, data=data
    )


# --- validation -------------------------------------------------------------------------------


def sender_snapshot(data: SenderData) -> dict[str, str]:
    """The inquiry's own copy of its sender, as given (cleaned)."""
    return {
        "sender_name": data.name,
        "sender_email": data.email,
        "sender_phone": data.phone,
        "sender_kind": data.kind,
        "sender_postal_address": data.postal_address,
        "sender_postcode": data.postcode,
        "sender_postal_place": data.postal_place,
        "sender_organisation_number": data.organisation_number,
        "sender_national_id": data.national_id,
    }


def validate_attachments(uploads: list[UploadedFile]) -> None:
    """At most MAX_ATTACHMENTS files, each of an allowed type by name and content and within
    the size limit (core.uploads); every message at once."""
    validate_uploads(uploads)


# --- registering ------------------------------------------------------------------------------


def resolve_queue(code: str | None) -> Queue | None:
    if not code:
        return None
    queue = queue_by_code(code)
    if queue is None or not queue.active:
        raise ValidationError({"queue": _("Ukjend fagområde: «%(code)s».") % {"code": code}})
    return queue


def _route_by_proposal(
    subject: str, body: str, sender_email: str, recipients: Sequence[str] = ()
) -> tuple[Queue | None, dict[str, Any] | None]:
    """Without a queue given, routing proposes one (docs/routing.md). Sure enough (at or
    above the model's threshold, chosen so that at least 98 % of such proposals are right),
    the inquiry goes straight to that queue; otherwise it waits for the front desk as
    before. Either way the proposal and its candidates go into the registration's timeline
    event, so that whoever routes it sees them. No model trained: no proposal."""
    prediction = routing_services.propose(
        subject, body, sender_email=sender_email, recipients=list(recipients)
    )
    if prediction is None:
        return None, None
    note: dict[str, Any] = {
        "proposed": prediction.queue,
        "confidence": round(prediction.confidence, 3),
        "candidates": [
            {"queue": c.queue, "confidence": round(c.confidence, 3)} for c in prediction.candidates
        ],
        "auto": False,
    }
    if prediction.rule:
        note["rule"] = prediction.rule
    if not prediction.auto:
        return None, note
    try:
        queue = resolve_queue(prediction.queue)
    except ValidationError:
        # A queue the model knows but this installation has closed since: a person decides.
        return None, note
    note["auto"] = True
    return queue, note


def _external_body(
    flags: routing_flags.Flags | None, queue: Queue | None, routing_note: dict[str, Any] | None
) -> str:
    """The other public body a matter belongs to, named where it goes to (or may go to) the
    `ekstern` queue: routed there, or waiting with `ekstern` among its candidates."""
    if flags is None or flags.external is None:
        return ""
    if queue is not None:
        return flags.external.code if queue.code == EXTERNAL_QUEUE else ""
    candidates = [c.get("queue") for c in (routing_note or {}).get("candidates", [])]
    return flags.external.code if not candidates or EXTERNAL_QUEUE in candidates else ""


def _flag_note(flags: routing_flags.Flags, external_body: str) -> dict[str, Any]:
    """What the timeline keeps of the flags: the words that matched, never a number found."""
    note: dict[str, Any] = {}
    if flags.urgent:
        note["urgent"] = list(flags.urgent_terms)
    if flags.national_ids:
        note["national_ids"] = flags.national_ids
    if flags.health_terms:
        note["health"] = list(flags.health_terms)
    if external_body and flags.external is not None:
        note["external"] = {"body": external_body, "term": flags.external.term}
    return note


@transaction.atomic
def register_inquiry(
    *,
    channel: str,
    subject: str,
    body: str,
    sender: SenderData,
    queue: Queue | str | None = None,
    received_at: dt.datetime | None = None,
    actor: User | None = None,
    first_contact_resolved: bool = False,
    attachments: list[UploadedFile] | None = None,
    send_acknowledgement: bool | None = None,
    resolution: str = "",
    history: bool = False,
    answer_within_working_days: int | None = None,
    recipients: Sequence[str] = (),
    message_id: str = "",
    require_contact: bool = True,
) -> Inquiry:
    """Register an inquiry from any channel: reference, promised date, first timeline event
    and the acknowledgement to the sender, in one transaction.

    `actor` is the member of staff who registers it (None for the public form and e-mail).
    A queue may be given as a Queue or its code; without one the inquiry waits in the front
    desk's inbox for routing, with the default guarantee for its channel.

    `received_at` may be at most MAX_RECEIVED_AHEAD ahead and MAX_RECEIVED_BACK back. With
    `history` (contact.history_import only) it may go back to HISTORY_STARTS: no
    acknowledgement is sent, and the timeline starts when the inquiry was received.

    `answer_within_working_days` caps the promise where a law sets a shorter limit than the
    queue's guarantee (an innsynskrav from the public journal: 1 working day).

    `require_contact=False` registers without a way to reach the sender (a scanned letter,
    whose address a person reads off the scan later).

    `recipients` (the addresses an e-mail was sent to) let routing rules match a mailbox;
    `message_id` is an e-mail's Message-ID. Adapters call this through contact.intake, which
    makes it happen at most once per source key.

    The text is read for flags (routing.flags): an urgent matter is marked and its queue told
    at once; a fødselsnummer or health information marks it for the archive to consider
    screening; a matter for another public body names that body.
    """
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Ukjend kanal: «%(c)s».") % {"c": channel}})
    errors: dict[str, Any] = {}
    subject = (subject or "").strip()
    body = body or ""
    if not subject:
        errors["subject"] = _("Skriv eit emne.")
    elif len(subject) > MAX_SUBJECT:
        errors["subject"] = _("Emnet kan vere høgst %(n)s teikn.") % {"n": MAX_SUBJECT}
    if len(body) > MAX_BODY:
        errors["body"] = _("Teksten kan vere høgst %(n)s teikn.") % {"n": MAX_BODY}
    try:
        sender = clean_sender(sender)
    except ValidationError as exc:
        errors.update({f"sender.{k}": v for k, v in exc.message_dict.items()})
    if channel in (Channel.EMAIL, Channel.WEBFORM) and not sender.email and not sender.phone:
        errors["sender.email"] = _(
            "Vi treng ei e-postadresse eller eit telefonnummer for å kunne svare."
        )
    elif not sender.email and not sender.phone and channel != Channel.COUNTER and require_contact:
        errors["sender.phone"] = _("Skriv inn telefonnummer eller e-post, så vi kan nå avsendaren.")
    if attachments:
        try:
            validate_attachments(attachments)
        except ValidationError as exc:
            errors["attachments"] = exc.messages
    resolved: Queue | None = None
    if isinstance(queue, Queue):
        resolved = queue
    else:
        try:
            resolved = resolve_queue(queue)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    routing_note: dict[str, Any] | None = None
    if resolved is None and not history:
        resolved, routing_note = _route_by_proposal(subject, body, sender.email, recipients)
    flags = None if history else routing_flags.detect(subject, body)

    now = timezone.now()
    received = received_at or now
    if timezone.is_naive(received):
        raise ValidationError({"received_at": _("Tidspunktet manglar tidssone.")})
    if received > now + MAX_RECEIVED_AHEAD:
        raise ValidationError({"received_at": _("Mottakstidspunktet kan ikkje vere fram i tid.")})
    if history and received < HISTORY_STARTS:
        raise ValidationError({"received_at": _("Historikk kan ikkje vere eldre enn år 1900.")})
    if not history and received < now - MAX_RECEIVED_BACK:
        raise ValidationError(
            {
                "received_at": _(
                    "Mottakstidspunktet kan vere høgst eitt år tilbake i tid. Eldre "
                    "henvendingar blir lagde inn som historikk (tenestetorget import-history)."
                )
            }
        )

    calendar = calendar_from_settings()
    guarantee = guarantee_for(resolved, channel)
    days = answer_working_days(resolved, channel, guarantee)
    if answer_within_working_days is not None:
        # A limit set by law is kept even where the queue's guarantee gives more time: an
        # innsynskrav is answered "utan ugrunna opphald" (offentleglova § 29), 1 working day.
        days = min(days, answer_within_working_days)
    due = calendar.due_date(received, days)
    interim_due = None
    if guarantee is not None and guarantee.interim_reply_working_days is not None:
        interim_due = calendar.due_date(received, guarantee.interim_reply_working_days)

    sender_obj = senders.find_or_create_sender(sender)
    # The number last before the insert: its counter row stays locked until the commit, and
    # every other registration waits for it.
    year = to_local(received).year
    number = next_number("inquiry", year)
    status = Status.CLOSED if first_contact_resolved else Status.NEW
    inquiry = Inquiry.objects.create(
        reference=format_reference(year, number),
        year=year,
        number=number,
        channel=channel,
        subject=subject,
        body=body,
        language=sender.language,
        sender=sender_obj,
        **sender_snapshot(sender),
        queue=resolved,
        status=status,
        received_at=received,
        due_date=due,
        original_due_date=due,
        interim_reply_due=interim_due,
        first_contact_resolved=first_contact_resolved,
        closed_at=now if first_contact_resolved else None,
        answered_at=now if first_contact_resolved else None,
        # Resolved at the first line: the round is settled the moment it is registered, and
        # kept by the clock's rule (a backdated note can be late).
        guarantee_kept=(clock.local_day(now) <= due if first_contact_resolved else None),
        created_by=actor if actor is not None and actor.is_authenticated else None,
        message_id=(message_id or "")[:255],
        urgent=bool(flags and flags.urgent),
        screening_suggested=bool(flags and flags.needs_screening),
        external_body=_external_body(flags, resolved, routing_note),
    )
    registered: dict[str, Any] = {
        "channel": channel,
        "queue": resolved.code if resolved else None,
        "due_date": due.isoformat(),
        "working_days": days,
    }
    if routing_note is not None:
        registered["routing"] = routing_note
    # For the adapter that registered it (the mail room keeps the proposal), without reading
    # the event back.
    inquiry.routing_note = routing_note  # type: ignore[attr-defined]
    if history:
        registered["imported"] = True
    if flags is not None:
        flag_note = _flag_note(flags, inquiry.external_body)
        if flag_note:
            registered["flags"] = flag_note
    _event(
        inquiry,
        EventKind.REGISTERED,
        inquiry.created_by,
        at=received if history else now,
        **registered,
    )
    for upload in attachments or []:
        _store_attachment(inquiry, upload, inquiry.created_by)
    if first_contact_resolved:
        _event(
            inquiry,
            EventKind.CLOSED,
            inquiry.created_by,
            (resolution or "").strip()[:10_000],
            at=now,
            first_contact=True,
        )
        settled = clock.derive(
            [
                clock.ClockEvent(EventKind.REGISTERED, now, {"due_date": due.isoformat()}),
                clock.ClockEvent(EventKind.CLOSED, now, {}),
            ],
            calendar,
        )
        assert settled is not None
        outcome_for(inquiry, settled).save()
    if inquiry.urgent and flags is not None and not first_contact_resolved:
        notifications.queue_urgent_notice(inquiry, flags.urgent_terms)
    if send_acknowledgement is None:
        send_acknowledgement = channel in (Channel.EMAIL, Channel.WEBFORM)
    if send_acknowledgement and sender.email and not first_contact_resolved and not history:
        messaging.queue_message(
            inquiry, MessageKind.ACKNOWLEDGEMENT, actor=None, guarantee=guarantee
        )
    if not history and filing.should_file_on_receipt(inquiry):
        # Filed by a background task once the inquiry is committed: a registration must not
        # wait for the archive, nor fail because of it (contact.filing.file_on_receipt).
        from tenestetorget.contact import tasks

        inquiry_id = inquiry.pk
        transaction.on_commit(lambda: tasks.file_received_inquiry.enqueue(inquiry_id))
    log.info("inquiry %s registered via %s to %s", inquiry.reference, channel, resolved)
    return inquiry


def _store_attachment(inquiry: Inquiry, upload: UploadedFile, actor: User | None) -> Attachment:
    # Checked as every upload is (type by content, size, name), then kept in the one document
    # store under its checksum; the file goes again if this transaction rolls back.
    checked = validate_upload(upload)
    stored = documents.store(upload, actor=actor)
    attachment = Attachment.objects.create(
        inquiry=inquiry,
        stored_file=stored,
        original_name=checked.name,
        content_type=stored.mime_type,
        size=stored.size,
        uploaded_by=actor,
    )
    _event(inquiry, EventKind.ATTACHMENT, actor, checked.name, size=attachment.size)
    return attachment


def note_from_mailroom(inquiry: Inquiry, text: str, **data: Any) -> InquiryEvent:
    """A note the mail room writes on the timeline (attachments it held back), in the
    caller's transaction."""
    return _event(inquiry, EventKind.NOTE, None, text[:10_000], mailroom=True, **data)


@transaction.atomic
def receive_message(
    inquiry: Inquiry,
    *,
    subject: str,
    body: str,
    sender_email: str,
    message_id: str = "",
    attachments: list[UploadedFile] | None = None,
) -> Inquiry:
    """A reply from the sender (e-mail that names the inquiry) joins its timeline, with its
    attachments; an inquiry waiting for the sender resumes (the clock runs again). The
    caller has checked that the inquiry is open."""
    inquiry = _lock(inquiry)
    _event(
        inquiry,
        EventKind.MESSAGE_RECEIVED,
        None,
        (body or "")[:MAX_BODY],
        subject=(subject or "")[:MAX_SUBJECT],
        sender_email=sender_email,
        message_id=message_id[:255],
    )
    for upload in attachments or []:
        _store_attachment(inquiry, upload, None)
    if inquiry.status == Status.WAITING:
        inquiry = resume_inquiry(inquiry, None, _("Avsendaren svara."))
    return inquiry


@transaction.atomic
def add_attachments(inquiry: Inquiry, actor: User, uploads: list[UploadedFile]) -> None:
    _require_work(actor, inquiry)
    validate_attachments(uploads)
    for upload in uploads:
        _store_attachment(inquiry, upload, actor)


# --- the guarantee clock and the status machine ----------------------------------------------


def _transition(inquiry: Inquiry, action: str) -> str:
    """Move the inquiry along the status machine; TransitionRefused if the table says no."""
    inquiry.status = transitions.next_status(inquiry.status, action)
    return inquiry.status


def _clock_events(inquiry: Inquiry) -> list[clock.ClockEvent]:
    return [
        clock.ClockEvent(kind=kind, at=at, data=data or {})
        for kind, at, data in InquiryEvent.objects.filter(
            inquiry=inquiry, kind__in=clock.CLOCK_EVENT_KINDS
        )
        .order_by("at", "id")
        .values_list("kind", "at", "data")
    ]


CLOCK_FIELDS = [
    "original_due_date",
    "due_date",
    "paused_since",
    "paused_late",
    "paused_seconds",
    "guarantee_kept",
    "interim_promised_date",
]


def store_clock(inquiry: Inquiry, state: clock.Clock) -> None:
    """Copy a derived clock onto the inquiry's columns (the caller saves)."""
    inquiry.original_due_date = state.original_due_date
    inquiry.due_date = state.due_date
    inquiry.paused_since = state.paused_since
    inquiry.paused_late = state.paused_late
    inquiry.paused_seconds = int(state.paused_time.total_seconds())
    inquiry.guarantee_kept = state.kept
    inquiry.interim_promised_date = state.interim_promised_date


def outcome_for(inquiry: Inquiry, state: clock.Clock) -> GuaranteeOutcome:
    """The settled round as the figures count it (unsaved)."""
    assert state.settled_at is not None and state.kept is not None
    return GuaranteeOutcome(
        inquiry=inquiry,
        queue_id=inquiry.queue_id,
        channel=inquiry.channel,
        round_started_at=state.round_started_at,
        original_due_date=state.original_due_date,
        due_date=state.due_date,
        settled_at=state.settled_at,
        kept=state.kept,
        interim_in_time=state.interim_in_time,
        first_contact=inquiry.first_contact_resolved,
    )


def _sync_clock(inquiry: Inquiry) -> clock.Clock:
    """Derive the clock from the timeline (just written) and store it on the inquiry. The
    round's outcome is recorded once, when it is first settled."""
    was_settled = inquiry.guarantee_kept is not None
    state = clock.derive(_clock_events(inquiry), calendar_from_settings())
    if state is None:  # pragma: no cover - every inquiry has its registration event
        raise RuntimeError(f"{inquiry.reference} has no registration on its timeline")
    store_clock(inquiry, state)
    inquiry.save(update_fields=[*CLOCK_FIELDS, "updated_at"])
    if state.settled_at is not None and not was_settled:
        outcome_for(inquiry, state).save()
    return state


# --- working on an inquiry --------------------------------------------------------------------


def _pending_handover(inquiry: Inquiry) -> Handover | None:
    return (
        Handover.objects.filter(inquiry=inquiry, acknowledged_at__isnull=True)
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def forward_inquiry(
    inquiry: Inquiry,
    actor: User,
    *,
    to_queue: Queue | None = None,
    to_user: User | None = None,
    note: str = "",
) -> Handover:
    """Hand the inquiry over to another queue or a named person. The receiver must
    acknowledge; until then the front desk sees it on its attention list. A wait for the
    sender goes on (the clock stays stopped) while the inquiry changes hands."""
    _require_view(actor, inquiry)
    inquiry = _lock(inquiry)
    _transition(inquiry, Action.FORWARD)
    if to_queue is None and to_user is None:
        raise ValidationError(
            {"to_queue": _("Vel eit fagområde eller ein person å sende vidare til.")}
        )
    if to_user is not None:
        profile = permissions.profile_of(to_user)
        if profile is None:
            raise ValidationError({"to_user": _("Mottakaren er ikkje tilsett i kommunen.")})
        if to_queue is None:
            # A person receives it in a queue of their own unit: keep the current queue if it
            # is theirs, else their unit's first queue.
            if inquiry.queue is not None and inquiry.queue.unit_id == profile.unit_id:
                to_queue = inquiry.queue
            else:
                to_queue = Queue.objects.filter(unit_id=profile.unit_id, active=True).first()
                if to_queue is None:
                    raise ValidationError(
                        {"to_user": _("Eininga til mottakaren har ingen fagområde.")}
                    )
    assert to_queue is not None
    if not to_queue.active:
        raise ValidationError({"to_queue": _("Fagområdet er ikkje i bruk.")})
    now = timezone.now()
    # An earlier handover that was never acknowledged is superseded by this one.
    Handover.objects.filter(inquiry=inquiry, acknowledged_at__isnull=True).update(
        acknowledged_at=now, acknowledged_by=actor
    )
    handover = Handover.objects.create(
        inquiry=inquiry,
        from_queue=inquiry.queue,
        to_queue=to_queue,
        to_user=to_user,
        note=note,
        created_by=actor,
        created_at=now,
    )
    # The receiver hears of it at once (by e-mail, from a background task after the commit).
    notifications.handover_created(handover)
    from_code = inquiry.queue.code if inquiry.queue else None
    inquiry.queue = to_queue
    inquiry.assigned_to = to_user
    inquiry.save(update_fields=["queue", "assigned_to", "status", "updated_at"])
    _event(
        inquiry,
        EventKind.FORWARDED,
        actor,
        note,
        at=now,
        from_queue=from_code,
        to_queue=to_queue.code,
        to_user=to_user.get_username() if to_user else None,
    )
    return handover


@transaction.atomic
def acknowledge_handover(inquiry: Inquiry, actor: User) -> Handover:
    """The receiver confirms the handover; the inquiry becomes theirs and is in progress."""
    _require_work(actor, inquiry)
    inquiry = _lock(inquiry)
    handover = _pending_handover(inquiry)
    if handover is None:
        raise transitions.TransitionRefused(
            inquiry.status,
            Action.ACKNOWLEDGE,
            _("Det er ingen vidaresending som ventar på stadfesting."),
        )
    _transition(inquiry, Action.ACKNOWLEDGE)
    to_someone_else = handover.to_user_id is not None and handover.to_user_id != actor.pk
    if to_someone_else and permissions.role_of(actor) not in (
        Role.UNIT_LEADER,
        Role.ADMINISTRATOR,
    ):
        raise PermissionDenied(_("Henvendinga er send til ein annan person."))
    now = timezone.now()
    handover.acknowledged_at = now
    handover.acknowledged_by = actor
    handover.save(update_fields=["acknowledged_at", "acknowledged_by"])
    inquiry.assigned_to = actor
    inquiry.save(update_fields=["assigned_to", "status", "updated_at"])
    _event(inquiry, EventKind.ACKNOWLEDGED, actor, at=now)
    return handover


@transaction.atomic
def take_inquiry(inquiry: Inquiry, actor: User) -> Inquiry:
    """Assign the inquiry to oneself and start work on it. Taking an inquiry that waits for
    acknowledgement acknowledges the handover."""
    _require_work(actor, inquiry)
    inquiry = _lock(inquiry)
    if transitions.is_allowed(inquiry.status, Action.ACKNOWLEDGE) and _pending_handover(inquiry):
        return acknowledge_handover(inquiry, actor).inquiry
    _transition(inquiry, Action.TAKE)
    inquiry.assigned_to = actor
    inquiry.save(update_fields=["assigned_to", "status", "updated_at"])
    _event(inquiry, EventKind.TAKEN, actor)
    return inquiry


@transaction.atomic
def add_note(inquiry: Inquiry, actor: User, text: str) -> InquiryEvent:
    _require_view(actor, inquiry)
    transitions.next_status(inquiry.status, Action.NOTE)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"note": _("Merknaden er tom.")})
    return _event(inquiry, EventKind.NOTE, actor, text[:10_000])


@transaction.atomic
def pause_for_sender(inquiry: Inquiry, actor: User, note: str = "") -> Inquiry:
    """Wait for the sender (missing information): the guarantee clock stops.

    `note` says what is missing; when the sender has an e-mail address it is sent to them in
    their language. An inquiry already past its promise may wait too, but stays overdue."""
    _require_work(actor, inquiry)
    inquiry = _lock(inquiry)
    _transition(inquiry, Action.PAUSE)
    note = (note or "").strip()[:10_000]
    now = timezone.now()
    inquiry.save(update_fields=["status", "updated_at"])
    told = bool(note and inquiry.sender_email)
    _event(inquiry, EventKind.PAUSED, actor, note, at=now, sender_told=told)
    _sync_clock(inquiry)
    if told:
        messaging.queue_message(inquiry, MessageKind.MISSING_INFORMATION, actor=actor, text=note)
    return inquiry


@transaction.atomic
def resume_inquiry(inquiry: Inquiry, actor: User | None, note: str = "") -> Inquiry:
    """The sender answered: the clock runs again, and the promise is extended by the working
    time spent waiting (see contact.clock)."""
    if actor is not None:
        _require_work(actor, inquiry)
    inquiry = _lock(inquiry)
    _transition(inquiry, Action.RESUME)
    old_due = inquiry.due_date
    inquiry.save(update_fields=["status", "updated_at"])
    now = timezone.now()
    # What the clock will say once the wait ends, so the event can tell the timeline's reader
    # (the clock itself derives the date from the pause events alone).
    after = clock.derive(
        [*_clock_events(inquiry), clock.ClockEvent(kind=EventKind.RESUMED, at=now, data={})],
        calendar_from_settings(),
    )
    assert after is not None
    _event(
        inquiry,
        EventKind.RESUMED,
        actor,
        (note or "").strip()[:10_000],
        at=now,
        old_due_date=old_due.isoformat(),
        due_date=after.due_date.isoformat(),
        paused_working_seconds=int(after.paused_time.total_seconds()),
    )
    # `after` is the timeline just written, derived once: a resume settles nothing.
    store_clock(inquiry, after)
    inquiry.save(update_fields=[*CLOCK_FIELDS, "updated_at"])
    return inquiry


@transaction.atomic
def send_interim_reply(
    inquiry: Inquiry, actor: User, *, new_due_date: dt.date, text: str
) -> Inquiry:
    """Førebels svar (fvl. § 11 a): tell the sender why the answer takes time and when it will
    come. The date told is recorded beside the promise; it does not move the guarantee."""
    _require_work(actor, inquiry)
    inquiry = _lock(inquiry)
    _transition(inquiry, Action.INTERIM_REPLY)
    today = to_local(timezone.now()).date()
    if new_due_date <= today:
        raise ValidationError({"new_due_date": _("Den nye datoen må vere etter i dag.")})
    if new_due_date > today + MAX_INTERIM_DAYS:
        raise ValidationError(
            {"new_due_date": _("Den nye datoen kan vere høgst eitt år fram i tid.")}
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Skriv kvifor svaret tek tid.")})
    calendar = calendar_from_settings()
    new_due_date = calendar.on_or_next_working_day(new_due_date)
    now = timezone.now()
    inquiry.interim_reply_sent_at = now
    inquiry.save(update_fields=["status", "interim_reply_sent_at", "updated_at"])
    _event(
        inquiry,
        EventKind.INTERIM_REPLY,
        actor,
        text[:10_000],
        at=now,
        promised_date=inquiry.due_date.isoformat(),
        due_date=new_due_date.isoformat(),
    )
    _sync_clock(inquiry)
    if inquiry.sender_email:
        messaging.queue_message(inquiry, MessageKind.INTERIM_REPLY, actor=actor, text=text)
    return inquiry


def _require_answerable_article(article: Article | None) -> None:
    """Only what the public may read can be sent to the public: internal routines carry
    phone lists and queue codes."""
    if article is not None and not is_public_article(article):
        raise ValidationError(
            {"article": _("Artikkelen er ikkje open for publikum og kan ikkje sendast som svar.")}
        )


@transaction.atomic
def answer_inquiry(
    inquiry: Inquiry,
    actor: User,
    text: str,
    *,
    close: bool = True,
    article: Article | None = None,
) -> Inquiry:
    """Send the answer to the sender by e-mail (when there is an address) and record it.

    A phone answer (no e-mail) is recorded with the text as what was said. `article` is the
    knowledge article the answer was based on, if any; only public articles may be used.
    An answer given while waiting for the sender ends the wait, and the wait counts."""
    _require_work(actor, inquiry)
    inquiry = _lock(inquiry)
    _transition(inquiry, Action.ANSWER)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Svaret er tomt.")})
    _require_answerable_article(article)
    now = timezone.now()
    inquiry.answered_at = now
    if close:
        _transition(inquiry, Action.CLOSE)
        inquiry.closed_at = now
    if inquiry.assigned_to_id is None:
        inquiry.assigned_to = actor
    if article is not None:
        inquiry.answered_with = article
    # An open handover is answered by the answer itself.
    Handover.objects.filter(inquiry=inquiry, acknowledged_at__isnull=True).update(
        acknowledged_at=now, acknowledged_by=actor
    )
    inquiry.save(
        update_fields=[
            "answered_at",
            "status",
            "closed_at",
            "assigned_to",
            "answered_with",
            "updated_at",
        ]
    )
    by_email = bool(inquiry.sender_email)
    _event(
        inquiry,
        EventKind.ANSWERED,
        actor,
        text,
        at=now,
        by_email=by_email,
        article=article.slug if article is not None else None,
    )
    if close:
        _event(inquiry, EventKind.CLOSED, actor, at=now)
    # A filed inquiry's answer becomes the outgoing post and writes off the incoming one, in
    # this transaction: answered here means out of the archive's restanse list.
    filing.file_answer(inquiry, actor, text, by_email=by_email, at=now)
    state = _sync_clock(inquiry)
    log.info("inquiry %s answered, guarantee kept: %s", inquiry.reference, state.kept)
    if by_email:
        messaging.queue_message(inquiry, MessageKind.ANSWER, actor=actor, text=text)
    return inquiry


@transaction.atomic
def close_inquiry(
    inquiry: Inquiry, actor: User, *, note: str = "", first_contact_resolved: bool = False
) -> Inquiry:
    """Close the inquiry. Closing an answered one ends it; closing an open one without an
    answer settles its guarantee at this moment (a late close is late)."""
    _require_work(actor, inquiry)
    inquiry = _lock(inquiry)
    _transition(inquiry, Action.CLOSE)
    now = timezone.now()
    inquiry.closed_at = now
    update = ["status", "closed_at", "updated_at"]
    if first_contact_resolved:
        inquiry.first_contact_resolved = True
        inquiry.answered_at = inquiry.answered_at or now
        update += ["first_contact_resolved", "answered_at"]
    inquiry.save(update_fields=update)
    _event(
        inquiry,
        EventKind.CLOSED,
        actor,
        (note or "").strip()[:10_000],
        at=now,
        first_contact=first_contact_resolved,
    )
    filing.close_filed(inquiry, actor, note=note, first_contact=first_contact_resolved)
    _sync_clock(inquiry)
    return inquiry


@transaction.atomic
def reopen_inquiry(inquiry: Inquiry, actor: User, note: str = "") -> Inquiry:
    """Open an answered or closed inquiry again: a new round with a fresh promise from the
    guarantee, counted from now. The earlier round's outcome stays in the figures."""
    _require_work(actor, inquiry)
    inquiry = _lock(inquiry)
    _transition(inquiry, Action.REOPEN)
    now = timezone.now()
    calendar = calendar_from_settings()
    guarantee = guarantee_for(inquiry.queue, inquiry.channel)
    days = answer_working_days(inquiry.queue, inquiry.channel, guarantee)
    due = calendar.due_date(now, days)
    inquiry.closed_at = None
    inquiry.answered_at = None
    inquiry.interim_reply_sent_at = None
    inquiry.interim_reply_due = (
        calendar.due_date(now, guarantee.interim_reply_working_days)
        if guarantee is not None and guarantee.interim_reply_working_days is not None
        else None
    )
    inquiry.save(
        update_fields=[
            "status",
            "closed_at",
            "answered_at",
            "interim_reply_sent_at",
            "interim_reply_due",
            "updated_at",
        ]
    )
    _event(
        inquiry,
        EventKind.REOPENED,
        actor,
        (note or "").strip()[:10_000],
        at=now,
        due_date=due.isoformat(),
        working_days=days,
    )
    _sync_clock(inquiry)
    return inquiry
