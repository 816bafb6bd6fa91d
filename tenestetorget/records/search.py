"""Finding journal posts and cases: the journal search and the case list of the staff pages.

Built for a million posts on PostgreSQL: every list is ordered by an indexed date and the
primary key and read a page at a time from a *keyset* (the last row's date and id), never
with OFFSET and never with a COUNT(*) of all matches: a page is `limit + 1` rows, the extra
one only saying that there is a next page. The indexes are in migration 0008 (b-tree on the
orderings, partial for the restanse list, trigram GIN for the title and party words on
PostgreSQL).

Only what `user` may see is searched (`selectors.visible_entries`, and the same rule for
cases).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q

from tenestetorget.organisation.permissions import (
    RECORDS_EVERYWHERE,
    RECORDS_OWN_UNIT,
    profile_of,
    role_of,
)
from tenestetorget.records.models import (
    CaseFolder,
    CorrespondencePart,
    RegistreringKind,
    RegistryEntry,
    WriteOff,
)
from tenestetorget.records.selectors import visible_entries

PAGE_SIZE = 25
#: At most this many words of a title are searched (each is one LIKE).
MAX_WORDS = 6

_CASE_NUMBER = re.compile(r"^\s*(\d{4})\s*/\s*(\d{1,9})\s*$")
_ENTRY_NUMBER = re.compile(r"^\s*(\d{4})\s*/\s*(\d{1,9})\s*-\s*(\d{1,6})\s*$")


def parse_number(text: str) -> tuple[int, int] | None:
    """«2026/123» as (2026, 123); None when it is not a number of that form."""
    match = _CASE_NUMBER.match(text or "")
    return (int(match[1]), int(match[2])) if match else None


def parse_entry_number(text: str) -> tuple[int, int, int] | None:
    """A registreringsID «2026/123-4» as (2026, 123, 4)."""
    match = _ENTRY_NUMBER.match(text or "")
    return (int(match[1]), int(match[2]), int(match[3])) if match else None


def words_of(text: str) -> list[str]:
    return [word for word in (text or "").split() if word][:MAX_WORDS]


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after the row with this date and id (in the list's order)."""

    day: dt.date
    pk: int

    def encode(self) -> str:
        return f"{self.day.isoformat()}.{self.pk}"

    @classmethod
    def decode(cls, text: str | None) -> Cursor | None:
        """None for a missing or malformed cursor: the list then starts from the top."""
        if not text:
            return None
        day, _sep, pk = text.partition(".")
        try:
            return cls(dt.date.fromisoformat(day), int(pk))
        except ValueError:
            return None


@dataclass
class Page:
    rows: list[Any]
    next_cursor: Cursor | None = None
    after: Cursor | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _after(column: str, cursor: Cursor, descending: bool) -> Q:
    """Rows after the cursor in (column, pk) order. The redundant bound on the date alone
    lets the database start its index range scan at the cursor."""
    if descending:
        return Q(**{f"{column}__lte": cursor.day}) & (
            Q(**{f"{column}__lt": cursor.day}) | Q(**{column: cursor.day, "pk__lt": cursor.pk})
        )
    return Q(**{f"{column}__gte": cursor.day}) & (
        Q(**{f"{column}__gt": cursor.day}) | Q(**{column: cursor.day, "pk__gt": cursor.pk})
    )


def keyset_page(
    qs: models.QuerySet[Any],
    column: str,
    after: Cursor | None,
    *,
    descending: bool,
    limit: int = PAGE_SIZE,
) -> Page:
    """One page of `qs` ordered by (column, pk), starting after `after`. `column` must be
    NOT NULL in `qs` (filter it)."""
    if after is not None:
        qs = qs.filter(_after(column, after, descending))
    order = [f"-{column}", "-pk"] if descending else [column, "pk"]
    rows = list(qs.order_by(*order)[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = Cursor(getattr(last, column), last.pk)
    return Page(rows=rows, next_cursor=next_cursor, after=after)


# --- the journal ---------------------------------------------------------------------------


@dataclass(frozen=True)
class JournalFilter:
    """What the journal search asks for; every part optional."""

    words: str = ""
    saksnummer: str = ""
    journalnummer: str = ""
    party: str = ""
    unit_id: int | None = None
    officer_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    journalposttype: str = ""
    journalstatus: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(
            [
                self.words,
                self.saksnummer,
                self.journalnummer,
                self.party,
                self.unit_id,
                self.officer_id,
                self.date_from,
                self.date_to,
                self.journalposttype,
                self.journalstatus,
            ]
        )


def journal_queryset(user: Any, wanted: JournalFilter) -> models.QuerySet[RegistryEntry]:
    """The journal posts `user` may see that match `wanted` (unordered)."""
    qs = visible_entries(user).filter(kind=RegistreringKind.JOURNALPOST, journaldato__isnull=False)
    number = parse_entry_number(wanted.words)
    if number is not None:
        return qs.filter(
            case_folder__saksaar=number[0],
            case_folder__sakssekvensnummer=number[1],
            journalpostnummer=number[2],
        )
    for word in words_of(wanted.words):
        qs = qs.filter(tittel__icontains=word)
    case_number = parse_number(wanted.saksnummer)
    if case_number is not None:
        qs = qs.filter(
            case_folder__saksaar=case_number[0], case_folder__sakssekvensnummer=case_number[1]
        )
    journal_number = parse_number(wanted.journalnummer)
    if journal_number is not None:
        qs = qs.filter(journalaar=journal_number[0], journalsekvensnummer=journal_number[1])
    if wanted.party.strip():
        # A semi-join: the parties' trigram index finds the posts, whatever their order.
        qs = qs.filter(
            pk__in=CorrespondencePart.objects.filter(
                korrespondansepart_navn__icontains=wanted.party.strip()
            ).values("registry_entry_id")
        )
    if wanted.unit_id:
        # The post's unit is the case's (register_journalpost copies it), and indexed here.
        qs = qs.filter(unit_id=wanted.unit_id)
    if wanted.officer_id:
        qs = qs.filter(saksbehandler_user_id=wanted.officer_id)
    if wanted.date_from:
        qs = qs.filter(journaldato__gte=wanted.date_from)
    if wanted.date_to:
        qs = qs.filter(journaldato__lte=wanted.date_to)
    if wanted.journalposttype:
        qs = qs.filter(journalposttype=wanted.journalposttype)
    if wanted.journalstatus:
        qs = qs.filter(journalstatus=wanted.journalstatus)
    return qs


def search_journal(
    user: Any, wanted: JournalFilter, after: Cursor | None = None, limit: int = PAGE_SIZE
) -> Page:
    """A page of the journal posts matching `wanted`, newest journaldato first, with their
    case, unit, officer and parties (a fixed number of queries, whatever the page size)."""
    qs = (
        journal_queryset(user, wanted)
        .select_related("case_folder", "saksbehandler_user")
        .annotate(written_off=Exists(WriteOff.objects.filter(registry_entry=OuterRef("pk"))))
        .prefetch_related("correspondence_parts")
    )
    return keyset_page(qs, "journaldato", after, descending=True, limit=limit)


# --- cases --------------------------------------------------------------------------------------


def visible_cases(user: Any) -> models.QuerySet[CaseFolder]:
    """The cases `user` may see: as `selectors.visible_entries`, by the case's unit."""
    cases: models.QuerySet[CaseFolder] = CaseFolder.objects.all()
    role = role_of(user)
    if role in RECORDS_EVERYWHERE:
        return cases
    profile = profile_of(user)
    if role in RECORDS_OWN_UNIT and profile is not None:
        return cases.filter(unit_id=profile.unit_id)
    return cases.none()


@dataclass(frozen=True)
class CaseFilter:
    words: str = ""
    saksnummer: str = ""
    unit_id: int | None = None
    officer_id: int | None = None
    saksstatus: str = ""
    series_id: int | None = None


def search_cases(
    user: Any, wanted: CaseFilter, after: Cursor | None = None, limit: int = PAGE_SIZE
) -> Page:
    """A page of the cases matching `wanted`, newest saksdato first."""
    qs = visible_cases(user).select_related("unit", "klasse", "series")
    number = parse_number(wanted.saksnummer)
    if number is not None:
        qs = qs.filter(saksaar=number[0], sakssekvensnummer=number[1])
    for word in words_of(wanted.words):
        qs = qs.filter(tittel__icontains=word)
    if wanted.unit_id:
        qs = qs.filter(unit_id=wanted.unit_id)
    if wanted.officer_id:
        qs = qs.filter(saksansvarlig_user_id=wanted.officer_id)
    if wanted.saksstatus:
        qs = qs.filter(saksstatus=wanted.saksstatus)
    if wanted.series_id:
        qs = qs.filter(series_id=wanted.series_id)
    return keyset_page(qs, "saksdato", after, descending=True, limit=limit)
