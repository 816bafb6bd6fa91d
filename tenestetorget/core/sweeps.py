"""Periodic work that apps add to the worker's sweep (contact's `tenestetorget worker`), so
that the worker need not import them: an app registers a function in its AppConfig.ready, and
the sweep calls each in turn every half minute. Each must be quick (enqueue a task for
anything heavy) and safe to call again at any time."""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)

_SWEEPS: dict[str, Callable[[], object]] = {}


def register(name: str, sweep: Callable[[], object]) -> None:
    _SWEEPS[name] = sweep


def run_all() -> None:
    """Every registered sweep; one that fails is logged and the others still run."""
    for name, sweep in list(_SWEEPS.items()):
        try:
            sweep()
        except Exception:
            log.exception("sweep %s failed; trying again at the next sweep", name)
