from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tenestetorget.mailroom.tests.dovecot import Dovecot, dovecot_binary, running_dovecot

# -- Dovecot (tests/dovecot.py) --------------------------------------------------------------


def _missing_dovecot() -> None:
    """Skip on a developer's machine without Dovecot; in CI, where `make test` installs it,
    its absence is a failure, not a quiet skip."""
    message = "Dovecot is not installed (make mail-deps installs dovecot-imapd)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """A private Dovecot on 127.0.0.1 for the whole run (one per xdist worker)."""
    if dovecot_binary() is None:
        _missing_dovecot()
    with running_dovecot() as server:
        yield server


@pytest.fixture
def imap_box(dovecot: Dovecot) -> Dovecot:
    """The session's Dovecot, running (a test may have stopped it) and with every user's
    mailbox empty: only an empty INBOX."""
    dovecot.start()
    for user in dovecot.users:
        dovecot.clear(user)
    return dovecot


@pytest.fixture(scope="session")
def dovecot_basic() -> Iterator[Dovecot]:
    """A second Dovecot that announces only IMAP4rev1: no IDLE, MOVE or UIDPLUS."""
    if dovecot_binary() is None:
        _missing_dovecot()
    with running_dovecot(capabilities="IMAP4rev1 LITERAL+") as server:
        yield server


@pytest.fixture
def basic_imap_box(dovecot_basic: Dovecot) -> Dovecot:
    dovecot_basic.start()
    for user in dovecot_basic.users:
        dovecot_basic.clear(user)
    return dovecot_basic


# The municipality and trained routing model of the intake's tests (town.py).
from tenestetorget.mailroom.tests.town import routing_dir, town  # noqa: E402, F401
