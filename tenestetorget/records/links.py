"""Where a journal post came from, without `records` knowing the other apps.

`records` may not import `contact` (or the mail room later), yet the journal page should
link back to the inquiry a post was filed from. So the other apps register a *source
resolver* at start-up (in their AppConfig.ready): given journal post ids, it answers with
a label and a URL for those it knows. The records pages ask every resolver, in one query
per resolver for the whole page, whatever the number of posts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class SourceLink:
    """A link from a journal post to what it was made from, e.g. inquiry «2026-00123»."""

    label: str
    url: str


#: Given journal post ids, the links for those the resolver knows (one query, not one per id).
SourceResolver = Callable[[list[int]], dict[int, SourceLink]]

_resolvers: list[SourceResolver] = []


def register_source_resolver(resolver: SourceResolver) -> None:
    if resolver not in _resolvers:
        _resolvers.append(resolver)


def sources_for(entry_ids: Iterable[int]) -> dict[int, list[SourceLink]]:
    ids = list(entry_ids)
    found: dict[int, list[SourceLink]] = {}
    if not ids:
        return found
    for resolver in _resolvers:
        for entry_id, link in resolver(ids).items():
            found.setdefault(entry_id, []).append(link)
    return found
