"""Searching and paging the public journal (offentleg journal), over public data only.

The search runs on `PublicJournalRow` (records.search_index): one row per post in the public
journal, written from `records.public.public_entries` and nothing else, so a screened word,
a screened name or a fødselsnummer is never in it and can never be found. The rows are kept
up to date by signals on the records they are made from (`connect_signals`, called by the
app's ready()), in the same transaction as the change, and can be rebuilt whole
(`rebuild`, the command `rebuild-public-journal`).

Every list is one keyset query on (journaldato, entry) newest first, LIMIT page size + 1,
followed by `public_entries` for that page (three queries): a constant number of queries
whatever the size of the archive, and no COUNT(*).

Names of private persons are searchable for a year after the journaldato only
(offentlegforskrifta § 6 third paragraph); names of organisations always. The name is still
shown on the post: the rule is about finding it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import batched
from typing import Any

from django.db import connections, transaction
from django.db.models import Max, Min, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from tenestetorget.records.models import (
    CaseFolder,
    CorrespondencePart,
    Journalposttype,
    RegistryEntry,
    Screening,
)
from tenestetorget.records.public import PublicEntry, public_entries, publishable_entries
from tenestetorget.records.search_index import PublicJournalRow

#: How long a private person's name stays searchable (offentlegforskrifta § 6).
PERSON_NAME_SEARCHABLE_DAYS = 365
#: Words shorter than this are left out of a search with longer words in it: a trigram
#: index cannot narrow on them, and "om", "av" or "i" narrow nothing anyway.
MIN_WORD = 3
#: At most this many words are searched for (each is one condition on the indexes).
MAX_WORDS = 8
#: A search by words or names first tests this many of the newest rows (from the cursor,
#: in the page's order), and asks the trigram indexes only when they hold no full page
#: (`_keys_newest_rows_first`).
PROBE_ROWS = 5000
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 25
#: Fields of a case whose change changes what its posts show.
_CASE_FIELDS = frozenset({"tittel", "offentlig_tittel", "mappe_id", "saksaar", "sakssekvensnummer"})

_NUMBER = re.compile(r"^\s*(\d{4})\s*/\s*(\d{1,9})\s*(?:-\s*(\d{1,9}))?\s*$")
_CURSOR = re.compile(r"^(\d{4}-\d{2}-\d{2})\.(\d{1,18})$")


def normalise(text: str) -> str:
    """Text as the table stores it and a query is compared with it: NFC, casefolded."""
    return unicodedata.normalize("NFC", text).casefold()


@dataclass(frozen=True)
class Number:
    """A case number «2026/123», a registreringsID «2026/123-4» or a journal number
    «2026/456» (year and sequence number)."""

    year: int
    sequence: int
    entry_number: int | None = None


def parse_number(text: str) -> Number | None:
    """«2026/123» or «2026/123-4» as a Number; None if the text is not one."""
    match = _NUMBER.match(text or "")
    if match is None:
        return None
    year, sequence, entry = match.groups()
    return Number(int(year), int(sequence), int(entry) if entry else None)


@dataclass(frozen=True)
class JournalQuery:
    """What a reader asks the public journal for. Every part is optional; all that are
    given must hold."""

    #: Free text: words of the public title and case title, or party names (see the name
    #: rule); a case number or registreringsID («2026/123», «2026/123-4») or a journal
    #: number («2026/456») typed here finds that case, post or journal number.
    text: str = ""
    #: Party names only.
    name: str = ""
    case_number: Number | None = None
    journal_number: Number | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    post_types: tuple[str, ...] = ()

    def is_search(self) -> bool:
        return bool(
            self.text.strip()
            or self.name.strip()
            or self.case_number
            or self.journal_number
            or self.post_types
        )


@dataclass(frozen=True)
class Cursor:
    """A position in the journal's order (newest first): the journaldato and the post."""

    journaldato: dt.date
    entry_id: int

    def encode(self) -> str:
        return f"{self.journaldato.isoformat()}.{self.entry_id}"

    @classmethod
    def decode(cls, text: str | None) -> Cursor | None:
        """The cursor a page link carries; None for anything else (the first page)."""
        match = _CURSOR.match(text or "")
        if match is None:
            return None
        try:
            return cls(dt.date.fromisoformat(match.group(1)), int(match.group(2)))
        except ValueError:
            return None


@dataclass(frozen=True)
class JournalPage:
    entries: list[PublicEntry]
    #: Give as `after` for the next (older) page; None on the last page.
    next_cursor: str | None = None
    #: Give as `before` for the previous (newer) page; None on the first page.
    previous_cursor: str | None = None
    ignored_words: tuple[str, ...] = field(default_factory=tuple)


def _words(text: str) -> tuple[list[str], list[str]]:
    """(words searched for, words left out as too short)."""
    words = [w for w in re.split(r"\s+", normalise(text)) if w][: MAX_WORDS * 2]
    long_ = [w for w in words if len(w) >= MIN_WORD]
    if not long_:
        return words[:MAX_WORDS], []
    return long_[:MAX_WORDS], [w for w in words if len(w) < MIN_WORD]


def _name_condition(word: str, recent: Q) -> Q:
    return Q(organisation_names__contains=word) | (Q(person_names__contains=word) & recent)


def _number_condition(number: Number, *, case: bool, journal: bool) -> Q:
    condition = Q(pk__in=[])
    if case:
        in_case = Q(saksaar=number.year, sakssekvensnummer=number.sequence)
        if number.entry_number is not None:
            in_case &= Q(journalpostnummer=number.entry_number)
        condition |= in_case
    if journal and number.entry_number is None:
        condition |= Q(journalaar=number.year, journalsekvensnummer=number.sequence)
    return condition


def filtered_rows(
    query: JournalQuery, today: dt.date | None = None
) -> tuple[QuerySet[Any], list[str]]:
    """The search table's rows that answer the query, unordered, and the words left out."""
    today = today or timezone.localdate()
    recent = Q(journaldato__gte=today - dt.timedelta(days=PERSON_NAME_SEARCHABLE_DAYS))
    rows = PublicJournalRow.objects.all()
    ignored: list[str] = []
    number = parse_number(query.text)
    if number is not None:
        rows = rows.filter(_number_condition(number, case=True, journal=True))
    elif query.text.strip():
        words, ignored = _words(query.text)
        for word in words:
            rows = rows.filter(Q(text__contains=word) | _name_condition(word, recent))
    if query.name.strip():
        words, short = _words(query.name)
        ignored += short
        for word in words:
            rows = rows.filter(_name_condition(word, recent))
    if query.case_number is not None:
        rows = rows.filter(_number_condition(query.case_number, case=True, journal=False))
    if query.journal_number is not None:
        rows = rows.filter(_number_condition(query.journal_number, case=False, journal=True))
    if query.date_from is not None:
        rows = rows.filter(journaldato__gte=query.date_from)
    if query.date_to is not None:
        rows = rows.filter(journaldato__lte=query.date_to)
    if query.post_types:
        rows = rows.filter(journalposttype__in=query.post_types)
    return rows, ignored


def _entries(ids: Sequence[int]) -> list[PublicEntry]:
    by_id = {
        entry.entry_id: entry for entry in public_entries(publishable_entries().filter(pk__in=ids))
    }
    # A row whose post left the journal a moment ago (utgått) is simply not shown.
    return [by_id[pk] for pk in ids if pk in by_id]


def search(
    query: JournalQuery,
    *,
    after: str | None = None,
    before: str | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
    today: dt.date | None = None,
) -> JournalPage:
    """One page of the public journal, newest first. `after`/`before` are cursors from an
    earlier page (JournalPage.next_cursor / previous_cursor)."""
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    rows, ignored = filtered_rows(query, today)
    newer = Cursor.decode(before)
    older = Cursor.decode(after) if newer is None else None
    bound = Q()
    order: tuple[str, ...] = ("-journaldato", "-entry_id")
    if newer is not None:
        # The plain bound on journaldato is redundant with the OR, but it is what lets
        # PostgreSQL start the index scan at the cursor instead of filtering from the end.
        bound = Q(journaldato__gte=newer.journaldato) & (
            Q(journaldato__gt=newer.journaldato)
            | Q(journaldato=newer.journaldato, entry_id__gt=newer.entry_id)
        )
        order = ("journaldato", "entry_id")
    elif older is not None:
        bound = Q(journaldato__lte=older.journaldato) & (
            Q(journaldato__lt=older.journaldato)
            | Q(journaldato=older.journaldato, entry_id__lt=older.entry_id)
        )
    rows = rows.filter(bound).order_by(*order)
    if _by_words(query):
        keys = _keys_newest_rows_first(rows, bound, order, page_size + 1)
    else:
        keys = list(rows.values_list("journaldato", "entry_id")[: page_size + 1])
    more = len(keys) > page_size
    keys = keys[:page_size]
    if newer is not None:
        keys.reverse()
    entries = _entries([entry_id for _day, entry_id in keys])
    first = Cursor(*keys[0]).encode() if keys else None
    last = Cursor(*keys[-1]).encode() if keys else None
    next_cursor: str | None
    previous_cursor: str | None
    if newer is not None:
        next_cursor, previous_cursor = (last or newer.encode()), (first if more else None)
    else:
        next_cursor = last if more else None
        previous_cursor = first if older is not None else None
    return JournalPage(entries, next_cursor, previous_cursor, tuple(ignored))


def _by_words(query: JournalQuery) -> bool:
    """Does the query search titles or names (the trigram indexes), not only numbers,
    dates and types (b-tree indexes)?"""
    return bool(query.name.strip() or (query.text.strip() and not parse_number(query.text)))


def _keys_newest_rows_first(
    rows: QuerySet[Any], bound: Q, order: tuple[str, ...], limit: int
) -> list[tuple[dt.date, int]]:
    """The first `limit` keys (journaldato, entry) of `rows`, a search by words or names: from
    the newest PROBE_ROWS rows of the journal (from the cursor, in the page's order) when
    they hold that many, else from the whole table. One query.

    Why: a common word or name fills a page among the newest rows, so reading those in the
    date index's order and testing each is quickest. PostgreSQL cannot know when that is:
    it takes the shares of two words as independent, so for words that go together (an
    organisation's name, «rauland hotell») it expects a few hundred matches where there are
    12,000, and reads all of them through the trigram indexes to sort them (70-90 ms at a
    million posts, against 1-6 ms for the newest rows). So the conditions are first applied
    outside a subquery with LIMIT, which the planner may not push them into (`probe`: it
    cannot read more than PROBE_ROWS rows); only when that finds fewer than `limit` does
    the plain query run (a one-time filter on the probe's count), and there the trigram
    indexes find a rare word quickly.
    """
    connection = connections[rows.db]
    newest = PublicJournalRow.objects.filter(bound).order_by(*order)[:PROBE_ROWS]
    newest_sql, newest_params = newest.query.sql_with_params()
    compiler = rows.query.get_compiler(connection=connection)
    where_sql, where_params = compiler.compile(rows.query.where)
    plain_sql, plain_params = rows.values_list("journaldato", "entry_id")[
        :limit
    ].query.sql_with_params()
    # The subquery takes the table's name, so the compiled conditions read its columns.
    table = connection.ops.quote_name(PublicJournalRow._meta.db_table)
    direction = "DESC" if order[0].startswith("-") else "ASC"
    # Only Django's SQL and the model's names go into the text; every value is a parameter.
    sql = (
        f"WITH probe AS MATERIALIZED (SELECT {table}.journaldato, {table}.entry_id"  # noqa: S608
        f" FROM ({newest_sql}) AS {table} WHERE {where_sql}"
        f" ORDER BY 1 {direction}, 2 {direction} LIMIT %s)"
        " SELECT 1, journaldato, entry_id FROM probe"
        " UNION ALL"
        f" SELECT 2, plain.* FROM ({plain_sql}) AS plain"
        " WHERE (SELECT COUNT(*) FROM probe) < %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*newest_params, *where_params, limit, *plain_params, limit])
        found = cursor.fetchall()
    probed = [row[1:] for row in found if row[0] == 1]
    keys = probed if len(probed) >= limit else [row[1:] for row in found if row[0] == 2]
    descending = direction == "DESC"
    # SQLite gives the date of a raw query as text; neither keeps a UNION's order.
    return sorted(
        (
            (day if isinstance(day, dt.date) else dt.date.fromisoformat(day), int(entry_id))
            for day, entry_id in keys
        ),
        reverse=descending,
    )


@dataclass(frozen=True)
class DayNavigation:
    day: dt.date | None
    previous_day: dt.date | None
    next_day: dt.date | None


def latest_day() -> dt.date | None:
    """The latest journaldato with a post in the public journal."""
    day: dt.date | None = PublicJournalRow.objects.aggregate(day=Max("journaldato"))["day"]
    return day


def day_navigation(day: dt.date) -> DayNavigation:
    """The nearest days before and after `day` that have posts (weekends and holidays have
    none; jumping over them is what a reader wants)."""
    rows = PublicJournalRow.objects
    previous_day = rows.filter(journaldato__lt=day).aggregate(d=Max("journaldato"))["d"]
    next_day = rows.filter(journaldato__gt=day).aggregate(d=Min("journaldato"))["d"]
    return DayNavigation(day, previous_day, next_day)


POST_TYPES: tuple[str, ...] = tuple(Journalposttype.values)


# --- keeping the table up to date ------------------------------------------------------------


def _row(entry: PublicEntry) -> PublicJournalRow:
    persons = [p.name for p in entry.parties if p.is_person]
    organisations = [p.name for p in entry.parties if not p.is_person]
    return PublicJournalRow(
        entry_id=entry.entry_id,
        journaldato=entry.journaldato,
        journalposttype=entry.journalposttype,
        journalaar=entry.journalaar,
        journalsekvensnummer=entry.journalsekvensnummer,
        saksaar=entry.saksaar,
        sakssekvensnummer=entry.sakssekvensnummer,
        journalpostnummer=entry.journalpostnummer,
        text=normalise(f"{entry.tittel}\n{entry.case_tittel}"),
        person_names=normalise("\n".join(persons)),
        organisation_names=normalise("\n".join(organisations)),
    )


_ROW_FIELDS = [
    "journaldato",
    "journalposttype",
    "journalaar",
    "journalsekvensnummer",
    "saksaar",
    "sakssekvensnummer",
    "journalpostnummer",
    "text",
    "person_names",
    "organisation_names",
]


def refresh(entry_ids: Iterable[int], chunk_size: int = 1000) -> None:
    """Write the rows of these posts again from their public form; a post that is no longer
    in the public journal (utgått, or an arkivnotat) loses its row."""
    for chunk in batched(sorted(set(entry_ids)), chunk_size):
        rows = [_row(entry) for entry in public_entries(publishable_entries().filter(pk__in=chunk))]
        PublicJournalRow.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["entry"], update_fields=_ROW_FIELDS
        )
        kept = {row.entry_id for row in rows}
        gone = [pk for pk in chunk if pk not in kept]
        if gone:
            PublicJournalRow.objects.filter(entry_id__in=gone).delete()


def _entry_ids_of_case(case_id: int) -> Iterator[int]:
    yield from (
        RegistryEntry.objects.filter(case_folder_id=case_id)
        .values_list("pk", flat=True)
        .iterator(chunk_size=2000)
    )


def refresh_case(case_id: int) -> None:
    refresh(_entry_ids_of_case(case_id))


def rebuild(chunk_size: int = 2000) -> int:
    """Write the whole table again from the records (after an import, or to check it).
    Returns the number of rows."""
    with transaction.atomic():
        PublicJournalRow.objects.all().delete()
        count = 0
        batch: list[PublicJournalRow] = []
        for entry in public_entries(publishable_entries().order_by("pk"), chunk_size=chunk_size):
            batch.append(_row(entry))
            if len(batch) >= chunk_size:
                PublicJournalRow.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        PublicJournalRow.objects.bulk_create(batch)
        return count + len(batch)


# Signals: the records change only through records.services, which saves instances (a
# queryset update() is used for the case's counter alone, which changes nothing public).
# Each handler refreshes the posts the change touches, in the transaction of the change, so
# the table never shows a screening later than the record does.


def _on_entry_saved(sender: Any, instance: RegistryEntry, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        refresh([instance.pk])


def _on_part_changed(
    sender: Any, instance: CorrespondencePart, raw: bool = False, **kwargs: Any
) -> None:
    if not raw and instance.registry_entry_id is not None:
        refresh([instance.registry_entry_id])


def _on_screening_changed(
    sender: Any, instance: Screening, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    if instance.registry_entry_id is not None:
        refresh([instance.registry_entry_id])
    elif instance.case_folder_id is not None:
        refresh_case(instance.case_folder_id)


def _on_case_saved(
    sender: Any,
    instance: CaseFolder,
    created: bool = False,
    raw: bool = False,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    if raw or created:
        return
    if update_fields is not None and not (set(update_fields) & _CASE_FIELDS):
        return
    refresh_case(instance.pk)


def connect_signals() -> None:
    uid = "records.public_search"
    post_save.connect(_on_entry_saved, sender=RegistryEntry, dispatch_uid=f"{uid}.entry")
    post_save.connect(_on_part_changed, sender=CorrespondencePart, dispatch_uid=f"{uid}.part")
    post_delete.connect(_on_part_changed, sender=CorrespondencePart, dispatch_uid=f"{uid}.part-")
    post_save.connect(_on_screening_changed, sender=Screening, dispatch_uid=f"{uid}.screen")
    post_delete.connect(_on_screening_changed, sender=Screening, dispatch_uid=f"{uid}.screen-")
    post_save.connect(_on_case_saved, sender=CaseFolder, dispatch_uid=f"{uid}.case")
