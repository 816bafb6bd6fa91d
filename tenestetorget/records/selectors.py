"""Reading the records: the restanse list (incoming mail not yet written off).

Every selector takes the user and shows only what they may keep records in
(`organisation.permissions`): the archivist and the administrator see every unit, a case
officer or unit leader the cases of their own unit, anyone else nothing. Each runs a fixed
number of queries, however long the list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from django.db import models
from django.db.models import Count, Min
from django.utils import timezone

from tenestetorget.organisation.permissions import (
    RECORDS_EVERYWHERE,
    RECORDS_OWN_UNIT,
    profile_of,
    role_of,
)
from tenestetorget.records import restanse_cache
from tenestetorget.records.models import (
    CaseFolder,
    Journalposttype,
    Journalstatus,
    RegistreringKind,
    RegistryEntry,
    Saksstatus,
)

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler
    from django_stubs_ext import WithAnnotations

    from tenestetorget.organisation.models import Unit


class _Age(TypedDict):
    age_days: int


if TYPE_CHECKING:
    #: A restanse row: the journal post with its age in days.
    RestanseEntry = WithAnnotations[RegistryEntry, _Age]


class DaysSince(models.Func):
    """Whole days from a date column to a given day, computed in the database: PostgreSQL
    subtracts dates to an integer, SQLite goes through julianday."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = models.IntegerField()

    def __init__(self, column: str, today: dt.date) -> None:
        super().__init__(models.Value(today, output_field=models.DateField()), models.F(column))

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> Any:
        return self.as_sql(compiler, connection, arg_joiner="::date - ", **extra)

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


def visible_entries(user: Any) -> models.QuerySet[RegistryEntry]:
    """The registreringar `user` may see: every unit's for the archivist, their own unit's
    cases for a case officer or unit leader, none for anyone else."""
    entries: models.QuerySet[RegistryEntry] = RegistryEntry.objects.all()
    role = role_of(user)
    if role in RECORDS_EVERYWHERE:
        return entries
    profile = profile_of(user)
    if role in RECORDS_OWN_UNIT and profile is not None:
        return entries.filter(case_folder__unit_id=profile.unit_id)
    return entries.none()


def restanse(
    user: Any,
    *,
    unit: Unit | None = None,
    officer: Any | None = None,
    today: dt.date | None = None,
) -> models.QuerySet[RestanseEntry]:
    """The incoming journal posts not yet written off (restansar) that `user` may see,
    oldest first, each annotated with `age_days` (whole days since the journaldato).

    Counted: type I, journalstatus J or E, in a case that has not utgått. Narrow to a unit
    (the post's own, which register_journalpost copies from its case) or an officer (the
    post's saksbehandler) with `unit` / `officer`.
    """
    today = today or timezone.localdate()
    return (
        _open_incoming(user, unit=unit, officer=officer)
        .select_related("case_folder", "case_folder__unit", "saksbehandler_user")
        .annotate(age_days=DaysSince("journaldato", today))
        .order_by("journaldato", "journalaar", "journalsekvensnummer")
    )


def _open_incoming(
    user: Any, *, unit: Unit | None = None, officer: Any | None = None
) -> models.QuerySet[RegistryEntry]:
    entries = (
        visible_entries(user)
        .filter(
            kind=RegistreringKind.JOURNALPOST,
            journalposttype=Journalposttype.INNGAAANDE,
            journalstatus__in=[Journalstatus.JOURNALFOERT, Journalstatus.EKSPEDERT],
        )
        # The post's own flag (kept with its write-offs, RegistryEntry.avskriven): with the
        # conditions above it is the partial index records_entry_restanse_open, where a
        # NOT EXISTS over every write-off cost a second at a million posts.
        .filter(avskriven=False)
        # The few utgått cases (an index of their own), rather than joining every letter
        # with its case: 18,000 case lookups, 100 ms, at a million posts.
        .exclude(case_folder__in=CaseFolder.objects.filter(saksstatus=Saksstatus.UTGAAR))
    )
    if unit is not None:
        # The post's unit, as the journal search's: one unit's restanse is then an index
        # of its own (records_entry_restanse_unit, migration 0013).
        entries = entries.filter(unit=unit)
    if officer is not None:
        entries = entries.filter(saksbehandler_user=officer)
    return entries


@dataclass(frozen=True)
class RestanseCounts:
    """How many restansar each officer and each unit has, and the oldest journaldato.

    `per_officer` rows: saksbehandler_user (id), saksbehandler (name), count, oldest;
    `per_unit` rows: case_unit (the post's unit id, which is its case's), unit_name,
    count, oldest.
    Most restansar first."""

    per_officer: list[dict[str, Any]]
    per_unit: list[dict[str, Any]]


def restanse_counts(user: Any) -> RestanseCounts:
    """The restanse list of `user` counted per officer and per unit: one query each, or
    none while the restanse has not changed since the last count (`restanse_cache`). What
    `user` may see depends on their role and unit, so those are the key."""
    role = role_of(user)
    profile = profile_of(user)
    key = f"{role}:{profile.unit_id if profile is not None else '-'}"
    return restanse_cache.cached(key, lambda: _count_restanse(user))


def _count_restanse(user: Any) -> RestanseCounts:
    entries = _open_incoming(user)
    per_officer = list(
        entries.values("saksbehandler_user", "saksbehandler")
        .annotate(count=Count("pk"), oldest=Min("journaldato"))
        .order_by("-count", "saksbehandler")
    )
    per_unit = list(
        entries.values(case_unit=models.F("unit"), unit_name=models.F("unit__name"))
        .annotate(count=Count("pk"), oldest=Min("journaldato"))
        .order_by("-count", "unit_name")
    )
    return RestanseCounts(
        per_officer=[dict(row) for row in per_officer], per_unit=[dict(row) for row in per_unit]
    )
