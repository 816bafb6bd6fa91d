"""What the mail-room page shows: today's intake, the manual list, the quarantine and the
routing figures of the last 30 days. A fixed number of queries whatever the volume: counts
are aggregated in the database, lists are cut to a page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from tenestetorget.contact.models import OPEN_STATUSES
from tenestetorget.core.calendar import to_local
from tenestetorget.mailroom.models import IncomingMessage, QuarantinedAttachment, State

DAYS = 30
LIST_SIZE = 50


def _start_of_local_day(now: dt.datetime) -> dt.datetime:
    local = to_local(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


@dataclass
class Today:
    received: int = 0
    auto_routed: int = 0
    waiting: int = 0
    joined: int = 0
    ignored: int = 0
    quarantined: int = 0


def today(now: dt.datetime | None = None) -> Today:
    start = _start_of_local_day(now or timezone.now())
    row = IncomingMessage.objects.filter(received_at__gte=start).aggregate(
        received=Count("id"),
        auto_routed=Count("id", filter=Q(state=State.REGISTERED, routing__auto=True)),
        waiting=Count(
            "id",
            filter=Q(state=State.REGISTERED, inquiry__queue__isnull=True)
            & Q(inquiry__status__in=OPEN_STATUSES),
        ),
        joined=Count("id", filter=Q(state=State.JOINED)),
        ignored=Count("id", filter=Q(state=State.IGNORED)),
        quarantined=Count("id", filter=Q(state=State.QUARANTINED)),
    )
    return Today(**{k: int(v or 0) for k, v in row.items()})


def manual_list() -> QuerySet[IncomingMessage]:
    """Registered mail the model was not sure of, still waiting for a person to route it."""
    return (
        IncomingMessage.objects.filter(
            state=State.REGISTERED,
            inquiry__queue__isnull=True,
            inquiry__status__in=OPEN_STATUSES,
        )
        .select_related("inquiry")
        .order_by("received_at", "id")[:LIST_SIZE]
    )


def quarantine() -> QuerySet[IncomingMessage]:
    return IncomingMessage.objects.filter(state=State.QUARANTINED).order_by("-received_at", "-id")[
        :LIST_SIZE
    ]


def held_attachments() -> QuerySet[QuarantinedAttachment]:
    return QuarantinedAttachment.objects.select_related("message", "inquiry").order_by(
        "-created_at", "-id"
    )[:LIST_SIZE]


@dataclass
class Figures:
    """Routing over the last DAYS days, from the proposal kept at registration and the queue
    the inquiry has now (its label for the next training)."""

    registered: int = 0
    auto_routed: int = 0
    auto_right: int = 0
    # An auto-routed inquiry that a person moved to another queue since.
    auto_corrected: int = 0
    manual: int = 0
    manual_top1: int = 0
    manual_top3: int = 0
    # Routed by hand to a queue none of the three candidates named.
    manual_other: int = 0
    still_waiting: int = 0
    days: list[dict[str, Any]] = field(default_factory=list)

    @property
    def coverage(self) -> float | None:
        return self.auto_routed / self.registered if self.registered else None

    @property
    def precision(self) -> float | None:
        return self.auto_right / self.auto_routed if self.auto_routed else None

    @property
    def corrections(self) -> int:
        return self.auto_corrected + self.manual_other


def figures(now: dt.datetime | None = None, days: int = DAYS) -> Figures:
    """Two queries: the per-message proposal against the final queue (values only, for the
    last `days` days: a few thousand rows at most), and the count per day and state."""
    now = now or timezone.now()
    since = _start_of_local_day(now) - dt.timedelta(days=days - 1)
    result = Figures()
    rows = (
        IncomingMessage.objects.filter(state=State.REGISTERED, received_at__gte=since)
        .values_list("routing", "inquiry__queue__code")
        .iterator()
    )
    for routing, final in rows:
        result.registered += 1
        note = routing if isinstance(routing, dict) else {}
        proposed = note.get("proposed")
        candidates = [c.get("queue") for c in note.get("candidates", []) if isinstance(c, dict)]
        if note.get("auto"):
            result.auto_routed += 1
            if final == proposed:
                result.auto_right += 1
            else:
                result.auto_corrected += 1
        elif final is None:
            result.still_waiting += 1
        else:
            result.manual += 1
            if final == proposed:
                result.manual_top1 += 1
            if final in candidates[:3]:
                result.manual_top3 += 1
            else:
                result.manual_other += 1
    per_day = (
        IncomingMessage.objects.filter(received_at__gte=since)
        .annotate(day=TruncDate("received_at", tzinfo=to_local(now).tzinfo))
        .values("day")
        .annotate(
            auto=Count("id", filter=Q(state=State.REGISTERED, routing__auto=True)),
            registered=Count("id", filter=Q(state__in=[State.REGISTERED, State.JOINED])),
            quarantined=Count("id", filter=Q(state=State.QUARANTINED)),
            ignored=Count("id", filter=Q(state=State.IGNORED)),
        )
        .order_by("day")
    )
    found = {row["day"]: row for row in per_day}
    first = to_local(since).date()
    for offset in range(days):
        day = first + dt.timedelta(days=offset)
        row: dict[str, Any] = dict(found.get(day) or {})
        registered = int(row.get("registered", 0))
        auto = int(row.get("auto", 0))
        result.days.append(
            {
                "day": day,
                "auto": auto,
                "manual": registered - auto,
                "quarantined": int(row.get("quarantined", 0)),
                "ignored": int(row.get("ignored", 0)),
            }
        )
    return result


def chart(days: list[dict[str, Any]], width: int = 720, height: int = 180) -> dict[str, Any]:
    """Stacked bars per day (auto-routed, by hand, quarantined) as SVG geometry for the
    template; the table beside it carries the same numbers for screen readers."""
    top = max((d["auto"] + d["manual"] + d["quarantined"] for d in days), default=0) or 1
    slot = width / max(len(days), 1)
    bar = max(slot * 0.7, 1.0)
    bars = []
    for i, d in enumerate(days):
        x = i * slot + (slot - bar) / 2
        y = float(height)
        segments = []
        for key in ("auto", "manual", "quarantined"):
            h = d[key] / top * (height - 10)
            y -= h
            if h > 0:
                segments.append({"key": key, "y": round(y, 1), "h": round(h, 1)})
        bars.append({"x": round(x, 1), "w": round(bar, 1), "segments": segments, "day": d["day"]})
    return {"width": width, "height": height, "bars": bars, "top": top}
