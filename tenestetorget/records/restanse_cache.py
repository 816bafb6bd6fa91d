"""The restanse counts per officer and unit, cached until the restanse changes.

Counting the restanse means joining every open incoming letter with the write-offs and
its case: at a million journal posts that is a second of database time, too slow for a
page the officers open many times a day (docs/performance.md). The counts change only
when a letter is registered, written off, archived or set to utgått, or a case closed,
which the services say by `changed()` once their transaction commits. So the counts are
kept in the cache under a version number that `changed()` moves on: the first reader
after a change counts again, the others read the cache. A bulk load that bypasses the
services (an import, the demo) is seen at the latest after `TIMEOUT`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

#: Seconds a cached count is kept at most, for changes that do not go through the services.
TIMEOUT = 300
_VERSION_KEY = "records:restanse:version"


def _version() -> int:
    version = cache.get(_VERSION_KEY)
    if version is None:
        cache.add(_VERSION_KEY, 1, timeout=None)
        version = cache.get(_VERSION_KEY, 1)
    return int(version)


def _bump() -> None:
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:  # no version yet (or the cache was cleared): nothing is cached
        cache.add(_VERSION_KEY, 1, timeout=None)


def changed() -> None:
    """The restanse changes in the current transaction. The version moves on now, so that
    this request's next read counts again, and once more when the transaction commits, so
    that a count another request made meanwhile, without the change, is not kept."""
    _bump()
    transaction.on_commit(_bump)


def cached[T](key: str, compute: Callable[[], T]) -> T:
    """`compute()`'s value for `key` as of the current version of the restanse."""
    full_key = f"records:restanse:{_version()}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout=TIMEOUT)
    return value
