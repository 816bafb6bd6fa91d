"""Who may see a screened case or journal post in full (skjerming, tilgang).

A screened record is visible in full only to the officers of its case, that is the
saksansvarleg and the sakshandsamar of any post in it, and to those granted access
(`AccessGrant`). Everyone else who may keep records in the unit sees that the post exists,
with its numbers, dates and the public title with `******`, as the public journal shows it,
but not its full title, its parties or its documents: the archive's work (restanse,
registering, closing periods) needs the posts, not their contents.

The archivist and the administrator are no exception. They may grant access, to others or
to themselves, and each grant is kept with who gave it, when and why: opening a screened
record leaves a trace.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tenestetorget.organisation.permissions import require_archive_manager
from tenestetorget.records.models import AccessGrant, CaseFolder, RegistryEntry, Screening
from tenestetorget.records.public import screenings_for
from tenestetorget.records.services import actor_name


def screened_ids(entries: list[RegistryEntry]) -> set[int]:
    """The ids of the posts that are screened themselves or by their case (one query)."""
    found = screenings_for(entries)
    return {
        entry.pk
        for entry in entries
        if ("entry", entry.pk) in found or ("case", entry.case_folder_id) in found
    }


def _allowed(user: Any, entries: list[RegistryEntry]) -> set[int]:
    """Of these posts, those `user` may see in full if screened: officer or granted."""
    if user is None or not user.is_authenticated or not entries:
        return set()
    case_ids = {entry.case_folder_id for entry in entries}
    officer_cases = set(
        CaseFolder.objects.filter(pk__in=case_ids)
        .filter(Q(saksansvarlig_user=user) | Q(entries__saksbehandler_user=user))
        .values_list("pk", flat=True)
    )
    grants = AccessGrant.objects.filter(user=user).filter(
        Q(case_folder_id__in=case_ids) | Q(registry_entry_id__in=[e.pk for e in entries])
    )
    granted_cases = {g.case_folder_id for g in grants if g.case_folder_id is not None}
    granted_entries = {g.registry_entry_id for g in grants if g.registry_entry_id is not None}
    return {
        entry.pk
        for entry in entries
        if entry.case_folder_id in officer_cases
        or entry.case_folder_id in granted_cases
        or entry.pk in granted_entries
    }


def hidden_entry_ids(
    user: Any, entries: Iterable[RegistryEntry], screened: set[int] | None = None
) -> set[int]:
    """The ids of the posts among `entries` whose contents `user` may not see: screened,
    and the user neither an officer of the case nor granted access. Three queries, however
    many posts; two when the caller has read the screened ids already (`screened`)."""
    rows = list(entries)
    if screened is None:
        screened = screened_ids(rows)
    if not screened:
        return set()
    return screened - _allowed(user, [entry for entry in rows if entry.pk in screened])


def visible_screened_ids(user: Any, entries: Iterable[RegistryEntry]) -> set[int]:
    """The ids of the screened posts among `entries` that `user` may see in full."""
    rows = list(entries)
    screened = screened_ids(rows)
    return screened & _allowed(user, [entry for entry in rows if entry.pk in screened])


def hidden_case_ids(user: Any, cases: Iterable[CaseFolder]) -> set[int]:
    """The ids of the screened cases among `cases` whose title and posts `user` may not
    see: the case screened, and the user neither its officer nor granted access. Three
    queries, however many cases."""
    case_ids = {case.pk for case in cases}
    screened = set(
        Screening.objects.filter(case_folder_id__in=case_ids).values_list(
            "case_folder_id", flat=True
        )
    )
    if not screened or user is None or not user.is_authenticated:
        return screened
    officer = set(
        CaseFolder.objects.filter(pk__in=screened)
        .filter(Q(saksansvarlig_user=user) | Q(entries__saksbehandler_user=user))
        .values_list("pk", flat=True)
    )
    granted = set(
        AccessGrant.objects.filter(user=user, case_folder_id__in=screened).values_list(
            "case_folder_id", flat=True
        )
    )
    return screened - officer - granted


def can_see(user: Any, record: RegistryEntry | CaseFolder) -> bool:
    """May `user` see this post, or this case's title and posts, in full? (Whether they may
    keep records in its unit at all is `organisation.permissions`' question, asked first.)"""
    if isinstance(record, RegistryEntry):
        return not hidden_entry_ids(user, [record])
    return not hidden_case_ids(user, [record])


@transaction.atomic
def grant_access(
    record: RegistryEntry | CaseFolder, user: Any, actor: Any, reason: str
) -> AccessGrant:
    """Let `user` see a screened case (with all its posts) or one post. The archivist
    decides, and says why."""
    require_archive_manager(actor)
    if not reason.strip():
        raise ValidationError(_("Skriv kvifor tilgangen blir gjeven."), code="reason")
    target = (
        {"registry_entry": record} if isinstance(record, RegistryEntry) else {"case_folder": record}
    )
    try:
        with transaction.atomic():
            return AccessGrant.objects.create(
                user=user, reason=reason.strip(), granted_by=actor_name(actor), **target
            )
    except IntegrityError:
        raise ValidationError(_("Tilgangen er alt gjeven."), code="granted") from None
