"""What the staff pages show of screened records (skjerming): one place that decides, for a
set of journal posts or cases, which of them the user may not read in full.

A post is screened when it or its case has a skjerming. Whoever may not see it gets
`MASK` instead of the title, and no parties or document links. Who may see is
`records.access`: the officers of the case and those the archivist granted access (the
archivist too needs a grant).

Each function reads a fixed number of queries, whatever the number of posts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from tenestetorget.records import access
from tenestetorget.records.models import CaseFolder, RegistryEntry
from tenestetorget.records.public import screenings_for

#: What a reader who may not see a screened title sees instead.
MASK = "******"


def screening_codes(entries: Sequence[RegistryEntry]) -> dict[int, set[str]]:
    """For each screened post (its own screening or its case's), the codes screened; posts
    that are not screened are not in the answer. One query."""
    if not entries:
        return {}
    found = screenings_for(entries)
    codes: dict[int, set[str]] = {}
    for entry in entries:
        screenings = [found.get(("entry", entry.pk)), found.get(("case", entry.case_folder_id))]
        if any(screenings):
            codes[entry.pk] = {
                code for s in screenings if s is not None for code in s.skjerming_metadata or ()
            }
    return codes


def hidden_entries(user: Any, entries: Iterable[RegistryEntry]) -> dict[int, set[str]]:
    """The screened posts among `entries` that `user` may not read (records.access), with
    the screened codes. A fixed number of queries, however many posts."""
    entries = list(entries)
    codes = screening_codes(entries)
    if not codes:
        return {}
    hidden = access.hidden_entry_ids(
        user, [e for e in entries if e.pk in codes], screened=set(codes)
    )
    return {pk: found for pk, found in codes.items() if pk in hidden}


def case_hidden(user: Any, case: CaseFolder) -> bool:
    """Is `case` screened, and may `user` not read its title?"""
    return not access.can_see(user, case)


def hidden_cases(user: Any, cases: Sequence[CaseFolder]) -> set[int]:
    """The screened cases among `cases` whose title `user` may not read, in three queries
    for a whole page of cases."""
    return access.hidden_case_ids(user, cases)
