"""Reads for the public knowledge pages: the service catalogue, service and article pages,
and the fees a page mentions.

Only published, public articles are ever returned. Each article is shown in the reader's
language where it has a version, else in Nynorsk (the municipality's written language), and
the page says so. Every list is read in a constant number of queries (prefetching), whatever
the size of the catalogue.

These are reads over the knowledge app's models; they live here until knowledge grows a
selectors module of its own.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from tenestetorget.contact.models import Inquiry
from tenestetorget.knowledge.models import (
    Article,
    ArticleAttachment,
    ArticleVersion,
    Fee,
    Kind,
    LifeSituation,
)
from tenestetorget.knowledge.rendering import FEE_RE, fees_for, format_amount, to_plain, today
from tenestetorget.knowledge.selectors import pick_version, public_articles
from tenestetorget.organisation.models import Queue, ServiceGuarantee

log = logging.getLogger(__name__)

FALLBACK_LANGUAGE = "nn"
TEXT_FIELDS = ("title", "summary", "body", "who", "how", "legal_basis")
#: The search_* fields are the search index's terms: large, and never shown.
NOT_SHOWN = ("search_title", "search_keywords", "search_body")
#: "Popular" = most inquiries to the service's queue in this many days.
POPULAR_DAYS = 90
POPULAR_CACHE_SECONDS = 3600

# Norwegian alphabetical order puts æ, ø, å after z, in that order; code points put å first.
_COLLATE = str.maketrans({"æ": "{", "ø": "|", "å": "}", "ä": "{", "ö": "|"})


def collation_key(text: str) -> str:
    return text.casefold().translate(_COLLATE)


def _versions_prefetch(language: str) -> Prefetch[str, QuerySet[ArticleVersion], str]:
    return Prefetch(
        "versions",
        queryset=ArticleVersion.objects.filter(language__in={language, FALLBACK_LANGUAGE}).defer(
            *NOT_SHOWN
        ),
        to_attr="shown_versions",
    )


@dataclass
class Entry:
    """One article in a list: its title and short answer in the language shown."""

    article: Article
    version: ArticleVersion
    language: str

    @property
    def title(self) -> str:
        return self.version.title

    @property
    def fell_back(self) -> bool:
        """Shown in another language than the reader's (mark it up with lang=...)."""
        return self.version.language != self.language

    @property
    def url(self) -> str:
        prefix = "teneste" if self.article.kind == Kind.SERVICE else "artikkel"
        return f"/{prefix}/{self.article.slug}/"

    @property
    def is_service(self) -> bool:
        return self.article.kind == Kind.SERVICE

    summary: str = ""


def _entries(articles: Iterable[Article], language: str) -> list[Entry]:
    entries = []
    for article in articles:
        version = pick_version(getattr(article, "shown_versions", []), language)
        if version is not None:
            entries.append(Entry(article=article, version=version, language=language))
    entries.sort(key=lambda e: collation_key(e.title))
    return entries


# --- the catalogue ----------------------------------------------------------------------------


@dataclass
class SituationEntry:
    situation: LifeSituation
    name: str
    services: list[Entry] = field(default_factory=list)
    articles: list[Entry] = field(default_factory=list)


@dataclass
class TopicEntry:
    """Services grouped by the queue (fagområde) whose staff answer for them."""

    queue: Queue | None
    services: list[Entry] = field(default_factory=list)


def life_situations(language: str, *, with_articles: bool = False) -> list[SituationEntry]:
    """Every life situation with its public services (and articles), three queries."""
    kinds = [Kind.SERVICE, Kind.ARTICLE] if with_articles else [Kind.SERVICE]
    articles = (
        public_articles().filter(kind__in=kinds).prefetch_related(_versions_prefetch(language))
    )
    situations = LifeSituation.objects.prefetch_related(
        Prefetch("articles", queryset=articles, to_attr="public_articles")
    )
    result = []
    for situation in situations:
        entries = _entries(situation.public_articles, language)
        result.append(
            SituationEntry(
                situation=situation,
                name=situation.name_in(language),
                services=[e for e in entries if e.is_service],
                articles=[e for e in entries if not e.is_service],
            )
        )
    return result


def services_by_topic(language: str) -> list[TopicEntry]:
    """Public services grouped by their queue, queues in alphabetical order (two queries)."""
    services = (
        public_articles()
        .filter(kind=Kind.SERVICE)
        .select_related("queue")
        .prefetch_related(_versions_prefetch(language))
    )
    topics: dict[int | None, TopicEntry] = {}
    for entry in _entries(services, language):
        queue = entry.article.queue
        key = queue.pk if queue is not None else None
        topics.setdefault(key, TopicEntry(queue=queue)).services.append(entry)
    return sorted(
        topics.values(),
        # Services without a queue last.
        key=lambda t: (t.queue is None, collation_key(t.queue.name if t.queue else "")),
    )


def life_situation(code: str, language: str) -> SituationEntry | None:
    """One life situation with its public services and articles, with their short answers
    (fees filled in as of today)."""
    situation = LifeSituation.objects.filter(code=code).first()
    if situation is None:
        return None
    articles = (
        public_articles()
        .filter(life_situations=situation)
        .prefetch_related(_versions_prefetch(language))
    )
    entries = _entries(articles, language)
    fees = fees_for([e.version.summary for e in entries])
    for entry in entries:
        entry.summary = to_plain(entry.version.summary, entry.version.language, fees)
    return SituationEntry(
        situation=situation,
        name=situation.name_in(language),
        services=[e for e in entries if e.is_service],
        articles=[e for e in entries if not e.is_service],
    )


def popular_services(language: str, limit: int = 6) -> list[Entry]:
    """The public services people ask most about: ranked by how many inquiries their queue
    received in the last POPULAR_DAYS days, taking one service per queue in turn so that one
    busy queue does not fill the list. With no inquiries yet, the catalogue's first services."""
    ranking = _queue_ranking()
    services = (
        public_articles().filter(kind=Kind.SERVICE).prefetch_related(_versions_prefetch(language))
    )
    entries = _entries(services, language)
    by_queue: dict[int | None, list[Entry]] = {}
    for entry in entries:
        by_queue.setdefault(entry.article.queue_id, []).append(entry)
    order = sorted(by_queue, key=lambda q: (-ranking.get(q, 0) if q is not None else 1, q or 0))
    chosen: list[Entry] = []
    depth = 0
    while len(chosen) < limit and any(len(by_queue[q]) > depth for q in order):
        for queue_id in order:
            if len(by_queue[queue_id]) > depth and len(chosen) < limit:
                chosen.append(by_queue[queue_id][depth])
        depth += 1
    return chosen


def _queue_ranking() -> dict[int, int]:
    """Inquiries per queue in the last POPULAR_DAYS days, cached for an hour: it is a count
    over many rows and the home page is the most read page."""
    key = "portal:popular-queues"
    cached: dict[int, int] | None = cache.get(key)
    if cached is not None:
        return cached
    since = timezone.now() - dt.timedelta(days=POPULAR_DAYS)
    rows = (
        Inquiry.objects.filter(received_at__gte=since, queue__isnull=False)
        .values("queue_id")
        .annotate(n=Count("id"))
    )
    ranking = {row["queue_id"]: row["n"] for row in rows}
    cache.set(key, ranking, POPULAR_CACHE_SECONDS)
    return ranking


# --- one page ---------------------------------------------------------------------------------


@dataclass
class Page:
    """An article or service page as the reader sees it."""

    article: Article
    version: ArticleVersion
    language: str
    guarantees: list[ServiceGuarantee]
    situations: list[SituationEntry]
    attachments: list[ArticleAttachment]

    @property
    def fell_back(self) -> bool:
        return self.version.language != self.language


def page(slug: str, language: str) -> Page | None:
    """A published, public article or service with everything its page shows, or None."""
    article = (
        public_articles()
        .filter(slug=slug)
        .select_related("queue__unit")
        .prefetch_related(_versions_prefetch(language), "life_situations", "attachments")
        .first()
    )
    if article is None:
        return None
    version = pick_version(article.shown_versions, language)  # type: ignore[attr-defined]
    if version is None:
        version = article.versions.defer(*NOT_SHOWN).first()
    if version is None:
        return None
    guarantees: list[ServiceGuarantee] = []
    if article.queue is not None:
        guarantees = list(article.queue.guarantees.order_by("channel"))
    situations = [
        SituationEntry(situation=s, name=s.name_in(language))
        for s in sorted(article.life_situations.all(), key=lambda s: (s.position, s.code))
    ]
    return Page(
        article=article,
        version=version,
        language=language,
        guarantees=guarantees,
        situations=situations,
        attachments=list(article.attachments.all()),
    )


@dataclass
class FeeLine:
    """One fee a page mentions: its name and today's price, and the next price if one is
    already decided."""

    code: str
    name: str
    price: str
    valid_from: dt.date | None
    next_price: str = ""
    next_from: dt.date | None = None


def fee_lines(version: ArticleVersion, language: str, day: dt.date | None = None) -> list[FeeLine]:
    """The fees written as [[gebyr:CODE]] anywhere in the version, in the order they first
    appear, priced as of `day` (today) in `language`."""
    day = day or today()
    codes: list[str] = []
    for name in TEXT_FIELDS:
        for code in FEE_RE.findall(getattr(version, name) or ""):
            if code not in codes:
                codes.append(code)
    if not codes:
        return []
    rows: dict[str, list[Fee]] = {}
    for fee in Fee.objects.filter(code__in=codes).order_by("code", "valid_from"):
        rows.setdefault(fee.code, []).append(fee)
    lines = []
    for code in codes:
        prices = rows.get(code, [])
        current = [f for f in prices if f.valid_from <= day]
        upcoming = [f for f in prices if f.valid_from > day]
        named = current[-1] if current else (upcoming[0] if upcoming else None)
        line = FeeLine(
            code=code,
            name=_fee_name(named, language) if named is not None else code,
            price=_price(current[-1], language) if current else "",
            valid_from=current[-1].valid_from if current else None,
        )
        if upcoming:
            line.next_price = _price(upcoming[0], language)
            line.next_from = upcoming[0].valid_from
        lines.append(line)
    return lines


def _fee_name(fee: Fee, language: str) -> str:
    return str(getattr(fee, f"name_{language}", "") or fee.name_nn)


def _price(fee: Fee, language: str) -> str:
    amount = fee.amount if isinstance(fee.amount, Decimal) else Decimal(str(fee.amount))
    return f"{format_amount(amount, language)} {fee.unit_in(language)}".strip()
