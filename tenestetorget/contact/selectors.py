"""Reads of inquiries: inboxes, the attention list, search, guarantee statistics.

Every list here is built for a million rows: filters on indexed columns, related rows joined
in the same query, counts in one aggregate, never a query per row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from tenestetorget.contact import clock, senders
from tenestetorget.contact.models import (
    OPEN_STATUSES,
    Audience,
    GuaranteeOutcome,
    Handover,
    Inquiry,
    InquiryEvent,
    InquiryQuerySet,
    OutgoingMessage,
    Sender,
    Status,
)
from tenestetorget.core.calendar import calendar_from_settings, to_local
from tenestetorget.organisation import permissions
from tenestetorget.organisation.models import Queue, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser

#: A reference as people write it: 2026-000123, 2026-123, 2026/123 (Noark style). Any year
#: (imported history; references of years 1 and 396 exist from before received_at had its
#: bounds) and numbers past six digits (the format pads to six, it does not cut).
REFERENCE_RE = re.compile(r"^\s*(\d{1,4})\s*[-/]\s*(\d{1,9})\s*$")


def today() -> dt.date:
    return to_local(timezone.now()).date()


def visible_inquiries(user: AnyUser | None) -> InquiryQuerySet:
    """What this user may see, as a queryset other selectors narrow down."""
    role = permissions.role_of(user)
    qs = Inquiry.objects.all()
    if role is None:
        return qs.none()
    if role in permissions.SEES_EVERYTHING:
        return qs
    profile = permissions.profile_of(user)
    if profile is None:
        return qs.none()
    return qs.filter(Q(queue__unit_id=profile.unit_id) | Q(assigned_to_id=user.pk))  # type: ignore[union-attr]


def handover_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Handovers created before this instant have waited longer than allowed."""
    hours = float(settings.TENESTETORGET["HANDOVER_ACK_WORKING_HOURS"])
    return calendar_from_settings().subtract_working_hours(now or timezone.now(), hours)


def _late_handover_ids(cutoff: dt.datetime) -> QuerySet[Handover, Any]:
    """The inquiries with a handover waiting past the cut-off, as a semi-join (the set is
    small and indexed; an EXISTS per inquiry would probe once per row)."""
    return Handover.objects.filter(acknowledged_at__isnull=True, created_at__lt=cutoff).values(
        "inquiry_id"
    )


def _handovers_to(user: AnyUser | None) -> QuerySet[Handover]:
    """Unacknowledged handovers to `user` by name, or to a queue of their unit without a
    name (whatever the state of their inquiries)."""
    if permissions.role_of(user) is None or user is None:
        return Handover.objects.none()
    profile = permissions.profile_of(user)
    to_them = Q(to_user_id=user.pk)
    if profile is not None:
        to_them |= Q(to_user__isnull=True, to_queue__unit_id=profile.unit_id)
    return Handover.objects.filter(to_them, acknowledged_at__isnull=True)


def _visible_inquiry_q(user: AnyUser | None, prefix: str = "") -> Q:
    """visible_inquiries' rule as a condition, for a relation's inquiry."""
    if permissions.sees_all_inquiries(user):
        return Q()
    profile = permissions.profile_of(user)
    seen = Q(**{f"{prefix}assigned_to_id": user.pk if user is not None else None})
    if profile is not None:
        seen |= Q(**{f"{prefix}queue__unit_id": profile.unit_id})
    return seen


def waiting_handovers(user: AnyUser | None) -> QuerySet[Handover]:
    """Unacknowledged handovers of open inquiries to `user` by name, or to a queue of their
    unit without a name; only of inquiries the user may see. The staff header counts them
    and the inbox's "handed to me" filter lists their inquiries."""
    return _handovers_to(user).filter(
        _visible_inquiry_q(user, "inquiry__"), inquiry__status__in=OPEN_STATUSES
    )


#: A bound on the handovers the header looks at; far more than anyone has waiting.
MAX_WAITING_HANDOVERS = 5000


def waiting_handover_count(user: AnyUser | None) -> int:
    """How many inquiries wait for `user` to acknowledge a handover (the staff header's
    count), in two indexed queries, reused until the next change to any inquiry.

    Not one join: with many open inquiries PostgreSQL prefers hashing all of them to probing
    the few hundred that have a handover waiting."""
    if permissions.role_of(user) is None or user is None:
        return 0
    version = cache.get(COUNTS_VERSION_KEY, 0)
    key = f"contact:handover-count:{user.pk}:{version}"
    cached: int | None = cache.get(key)
    if cached is not None:
        return cached
    ids = list(_handovers_to(user).values_list("inquiry_id", flat=True)[:MAX_WAITING_HANDOVERS])
    count = (
        Inquiry.objects.filter(pk__in=set(ids), status__in=OPEN_STATUSES)
        .filter(_visible_inquiry_q(user))
        .count()
        if ids
        else 0
    )
    cache.set(key, count, COUNTS_TTL)
    return count


@dataclass
class InboxFilter:
    queue: str = ""
    status: str = "open"  # "open", "all" or a Status value
    channel: str = ""
    overdue: bool = False
    mine: bool = False
    unrouted: bool = False
    attention: bool = False
    unit: str = ""
    handed: bool = False  # handed over to me (or my unit) and not yet acknowledged
    urgent: bool = False
    message_id: str = ""  # an e-mail's Message-ID: finds the inquiry it became

    @classmethod
    def from_params(cls, params: Any) -> InboxFilter:
        def flag(name: str) -> bool:
            return params.get(name) in ("1", "on", "true")

        status = params.get("status") or "open"
        if status not in ("open", "all", *Status.values):
            status = "open"
        return cls(
            queue=params.get("queue", "")[:40],
            status=status,
            channel=params.get("channel", "")[:20],
            overdue=flag("overdue"),
            mine=flag("mine"),
            unrouted=flag("unrouted"),
            attention=flag("attention"),
            unit=params.get("unit", "")[:40],
            handed=flag("handed"),
            urgent=flag("urgent"),
            message_id=params.get("message_id", "")[:255],
        )


@dataclass
class InboxPage:
    items: Sequence[dict[str, Any]]
    counts: dict[str, int]
    page: int
    has_next: bool
    filters: InboxFilter
    total: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def filter_inquiries(
    qs: InquiryQuerySet, f: InboxFilter, user: AnyUser | None, cutoff: dt.datetime
) -> InquiryQuerySet:
    if f.status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif f.status != "all":
        qs = qs.filter(status=f.status)
    if f.queue:
        qs = qs.filter(queue__code=f.queue)
    if f.unit:
        qs = qs.filter(queue__unit__code=f.unit)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.overdue:
        qs = qs.overdue(today())
    if f.mine and user is not None:
        qs = qs.filter(assigned_to_id=user.pk)
    if f.unrouted:
        qs = qs.filter(queue__isnull=True)
    if f.urgent:
        qs = qs.filter(urgent=True)
    if f.message_id:
        qs = qs.filter(message_id=f.message_id.strip())
    if f.attention:
        qs = qs.filter(pk__in=_late_handover_ids(cutoff))
    if f.handed:
        # qs is already narrowed to what the user may see.
        qs = qs.filter(pk__in=_handovers_to(user).values("inquiry_id"), status__in=OPEN_STATUSES)
    return qs


def inbox(
    user: AnyUser | None, filters: InboxFilter, *, page: int = 1, per_page: int = 50
) -> InboxPage:
    """The inbox for `user` with `filters`: one page of rows and the counts for the filter
    buttons, in a fixed number of queries (three) whatever the data size."""
    cutoff = handover_cutoff()
    base = visible_inquiries(user)
    if permissions.role_of(user) in (Role.CASE_OFFICER, Role.UNIT_LEADER) and not filters.queue:
        pass  # visible_inquiries already narrows to the unit
    qs = filter_inquiries(base, filters, user, cutoff)
    page = max(1, page)
    offset = (page - 1) * per_page
    # Plain values, not model instances: the list shows a handful of columns of 50 rows, and
    # building 250 model objects per page would cost more than the query itself.
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in qs.order_by("due_date", "received_at", "id").values(
            "id", "reference", "subject", "channel", "status", "due_date", "paused_since",
            "paused_late", "sender_name", "urgent",
            queue_name=F("queue__name"),
            assignee_first=F("assigned_to__first_name"),
            assignee_last=F("assigned_to__last_name"),
            assignee_username=F("assigned_to__username"),
        )[offset : offset + per_page + 1]
    ]  # fmt: skip
    has_next = len(rows) > per_page
    rows = rows[:per_page]
    # Waiting handovers of just these rows, in one small query: cheaper than an EXISTS per
    # row, which PostgreSQL turns into a scan of every waiting handover.
    waiting = dict(
        Handover.objects.filter(
            inquiry_id__in=[row["id"] for row in rows], acknowledged_at__isnull=True
        )
        .order_by("inquiry_id", "created_at")
        .values_list("inquiry_id", "created_at")
    )
    t = today()
    for row in rows:
        since = waiting.get(row["id"])
        row["pending_handover"] = since is not None
        row["late_handover"] = since is not None and since < cutoff
        row["is_overdue"] = clock.is_overdue(
            status=row["status"],
            due_date=row["due_date"],
            paused_since=row["paused_since"],
            paused_late=row["paused_late"],
            today=t,
        )
    return InboxPage(
        items=rows,
        counts=inbox_counts(user, cutoff),
        page=page,
        has_next=has_next,
        filters=filters,
    )


#: Seconds the shared filter-button counts may be reused. Any change to an inquiry makes
#: them stale at once (see counts_changed); the time limit covers changes made outside the
#: services (bulk loads) and other processes' local caches.
COUNTS_TTL = 20
COUNTS_VERSION_KEY = "contact:inbox-counts-version"


def counts_changed() -> None:
    """Called after a change to inquiries is committed: the next inbox counts afresh."""
    try:
        cache.incr(COUNTS_VERSION_KEY)
    except ValueError:
        cache.set(COUNTS_VERSION_KEY, 1, None)


def _counts_scope(user: AnyUser | None) -> str:
    if permissions.sees_all_inquiries(user):
        return "all"
    profile = permissions.profile_of(user)
    # Case officers also see what is handed to them by name, so their scope is their own.
    return f"user:{user.pk if user is not None else 0}:{profile.unit_id if profile else 0}"


def inbox_counts(user: AnyUser | None, cutoff: dt.datetime | None = None) -> dict[str, int]:
    """Counts for the filter buttons. The counts everyone in a scope shares come from one
    aggregate over the open inquiries (an index-only scan), reused for a few seconds; "mine"
    is counted per person through the assignee index."""
    t = today()
    version = cache.get(COUNTS_VERSION_KEY, 0)
    key = f"contact:inbox-counts:{_counts_scope(user)}:{t.isoformat()}:{version}"
    shared: dict[str, int] | None = cache.get(key)
    if shared is None:
        cutoff = cutoff or handover_cutoff()
        result = (
            visible_inquiries(user)
            .filter(status__in=OPEN_STATUSES)
            .aggregate(
                open=Count("id"),
                overdue=Count("id", filter=clock.overdue_q(t)),
                due_today=Count("id", filter=Q(due_date=t, paused_since__isnull=True)),
                waiting=Count("id", filter=Q(status=Status.WAITING)),
                forwarded=Count("id", filter=Q(status=Status.FORWARDED)),
                unrouted=Count("id", filter=Q(queue__isnull=True)),
                # A semi-join on the (small, indexed) set of late handovers; an EXISTS per
                # open row would cost one index probe per row.
                attention=Count("id", filter=Q(pk__in=_late_handover_ids(cutoff))),
            )
        )
        shared = {name: value or 0 for name, value in result.items()}
        cache.set(key, shared, COUNTS_TTL)
    uid = user.pk if user is not None else None
    mine = (
        visible_inquiries(user).filter(status__in=OPEN_STATUSES, assigned_to_id=uid).count()
        if uid is not None
        else 0
    )
    return {**shared, "mine": mine}


def attention_list(user: AnyUser | None, limit: int = 50) -> list[Inquiry]:
    """Handovers nobody acknowledged in time: back on the front desk's desk."""
    cutoff = handover_cutoff()
    return list(
        visible_inquiries(user)
        .filter(status__in=OPEN_STATUSES)
        .filter(pk__in=_late_handover_ids(cutoff))
        .select_related("queue", "sender", "assigned_to")
        .order_by("due_date", "id")[:limit]
    )


def inquiry_detail(user: AnyUser | None, reference: str) -> Inquiry:
    """One inquiry with everything its page shows, in a fixed number of queries."""
    from django.db.models import Prefetch

    return (
        visible_inquiries(user)
        .select_related("queue", "queue__unit", "sender", "assigned_to", "created_by")
        .prefetch_related(
            Prefetch("events", queryset=InquiryEvent.objects.select_related("actor")),
            Prefetch(
                "handovers",
                queryset=Handover.objects.select_related(
                    "to_queue", "from_queue", "to_user", "created_by", "acknowledged_by"
                ).order_by("created_at"),
            ),
            "attachments",
            # Messages to the sender; notices to staff are in the outbox and on the timeline.
            Prefetch(
                "messages",
                queryset=OutgoingMessage.objects.filter(audience=Audience.SENDER).order_by(
                    "created_at"
                ),
            ),
        )
        .get(reference=reference)
    )


def search_inquiries(user: AnyUser | None, query: str, limit: int = 50) -> list[Inquiry]:
    """Find inquiries by reference, sender (any part of the name in any order with small
    typos, a phone number in any format, part of an e-mail address) or words in the subject;
    only those `user` may see, newest first."""
    query = (query or "").strip()[:200]
    if not query:
        return []
    qs = visible_inquiries(user).select_related("queue", "assigned_to")
    match = REFERENCE_RE.match(query)
    if match:
        year, number = int(match.group(1)), int(match.group(2))
        found = list(qs.filter(year=year, number=number))
        if found:
            return found
        # Not a reference after all (a part of a subject, "kum 12-34"): search the text.
    # The best few hundred senders: a common surname finds its most alike, not every one.
    sender_ids = senders.matching_sender_ids(query, limit=200)
    condition = Q(sender_id__in=sender_ids) | Q(subject__icontains=query)
    return list(qs.filter(condition).order_by("-received_at", "-id")[:limit])


def find_senders(user: AnyUser | None, query: str, limit: int = 8) -> list[Sender]:
    """Known senders for the phone note's lookup, limited to those `user` may see
    (contact.senders.find_senders)."""
    return senders.find_senders(user, query, limit)


@dataclass
class GuaranteeRow:
    """One queue's promises that fell due in a month.

    `kept` were answered (or closed) by the promised date, extended only by waiting for the
    sender. `late` were settled after it, `open_late` are still open past it: both count
    against the guarantee. `late_with_interim` is the part of the late ones whose sender had
    an interim reply in time: shown beside the figure, never counted as kept."""

    queue: Queue
    kept: int = 0
    late: int = 0
    open_late: int = 0
    late_with_interim: int = 0

    @property
    def due(self) -> int:
        return self.kept + self.late + self.open_late

    @property
    def share(self) -> float | None:
        return (self.kept / self.due) if self.due else None


def guarantee_statistics(user: AnyUser | None, month: dt.date | None = None) -> list[GuaranteeRow]:
    """Per queue: the promises that fell due in the month, and how many were kept.

    A promise counts in the month of its (extended) promised date, whether it was settled
    before, after, or not at all yet: an answer weeks late cannot move out of the month it
    was due in, and an inquiry still open past its date counts as not kept. Each settled
    round counts once (contact.GuaranteeOutcome), so reopening cannot undo a late one."""
    t = today()
    month = (month or t).replace(day=1)
    next_month = (month + dt.timedelta(days=32)).replace(day=1)
    visible_ids = visible_inquiries(user).values("pk")
    settled = (
        GuaranteeOutcome.objects.filter(
            due_date__gte=month, due_date__lt=next_month, queue__isnull=False
        )
        .filter(inquiry_id__in=visible_ids)
        .values("queue_id")
        .annotate(
            n_kept=Count("id", filter=Q(kept=True)),
            n_late=Count("id", filter=Q(kept=False)),
            n_interim=Count("id", filter=Q(kept=False, interim_in_time=True)),
        )
    )
    open_late = (
        visible_inquiries(user)
        .overdue(t)
        .filter(due_date__gte=month, due_date__lt=next_month, queue__isnull=False)
        .values("queue_id")
        .annotate(n=Count("id"))
    )
    by_queue: dict[int, dict[str, int]] = {}
    for row in settled:
        by_queue.setdefault(row["queue_id"], {}).update(
            kept=row["n_kept"], late=row["n_late"], late_with_interim=row["n_interim"]
        )
    for late_row in open_late:
        by_queue.setdefault(late_row["queue_id"], {})["open_late"] = late_row["n"]
    queues = Queue.objects.select_related("unit").order_by("unit__name", "name")
    profile = permissions.profile_of(user)
    if permissions.role_of(user) == Role.UNIT_LEADER and profile is not None:
        queues = queues.filter(unit_id=profile.unit_id)
    return [GuaranteeRow(queue=q, **by_queue.get(q.pk, {})) for q in queues]


@dataclass
class MissingAnswer:
    """A word that many recent questions without a knowledge article share."""

    term: str
    count: int
    examples: list[Inquiry]


#: Words in subjects that say how someone asked, not what about.
GENERIC_SUBJECT_WORDS = frozenset(
    "telefon e post epost skranke brev spørsmål spørsmål henvending henvendelse melding "
    "facebook nettskjema sms hjelp info informasjon ang angåande angående vedr om".split()
)


def missing_answers(
    user: AnyUser | None, *, days: int = 90, limit: int = 20, sample: int = 3000
) -> list[MissingAnswer]:
    """What people often ask about that no article answers: recent answered or closed
    inquiries that were not answered from an article, by the words their subjects share."""
    from tenestetorget.knowledge.search_text import STOP_WORDS, words

    since = timezone.now() - dt.timedelta(days=days)
    rows = list(
        visible_inquiries(user)
        .filter(
            status__in=(Status.ANSWERED, Status.CLOSED),
            answered_with__isnull=True,
            closed_at__gte=since,
        )
        .select_related("queue")
        .order_by("-closed_at")[:sample]
    )
    by_term: dict[str, list[Inquiry]] = {}
    for inquiry in rows:
        for term in dict.fromkeys(words(inquiry.subject)):
            if len(term) < 4 or term in STOP_WORDS or term in GENERIC_SUBJECT_WORDS:
                continue
            if term.isdigit():
                continue
            by_term.setdefault(term, []).append(inquiry)
    ranked = sorted(by_term.items(), key=lambda item: (-len(item[1]), item[0]))[:limit]
    return [MissingAnswer(term=t, count=len(items), examples=items[:3]) for t, items in ranked]
