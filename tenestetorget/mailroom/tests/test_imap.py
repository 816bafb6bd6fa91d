"""The IMAP intake against a real Dovecot on loopback (tests/dovecot.py)."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from tenestetorget.mailroom import imap
from tenestetorget.mailroom.imap import Mailbox, MailboxError, poll_once, watch
from tenestetorget.mailroom.tests.dovecot import Dovecot

LOGGER = "tenestetorget.mailroom.imap"


def message(n: int, to: str = "postmottak@kommune.test") -> bytes:
    """A message whose bytes IMAP keeps exactly: CRLF line ends, 8-bit text in the body."""
    return (
        f"From: Innbyggjar {n} <innbyggjar{n}@example.test>\r\n"
        f"To: {to}\r\n"
        f"Subject: =?utf-8?q?S=C3=B8knad_{n}?=\r\n"
        f"Message-ID: <melding-{n}@example.test>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n"
        "\r\n"
        f"Hei, eg søkjer om plass nr. {n}.\r\n"
        "  Linje med mellomrom først og sist  \r\n"
    ).encode()


class Recorder:
    """A handler that keeps what it was given, in order, and can be told to fail."""

    def __init__(self, fail: Callable[[bytes], bool] = lambda raw: False) -> None:
        self.fail = fail
        self.received: list[tuple[str, bytes]] = []
        self.arrivals: queue.Queue[tuple[str, bytes, float]] = queue.Queue()

    def __call__(self, raw: bytes, mailbox: Mailbox) -> None:
        if self.fail(raw):
            raise RuntimeError("the database said no")
        self.received.append((mailbox.name, raw))
        self.arrivals.put((mailbox.name, raw, time.monotonic()))

    def next(self, timeout: float) -> tuple[str, bytes, float]:
        return self.arrivals.get(timeout=timeout)


@contextmanager
def watching(
    mailboxes: list[Mailbox], handle: Recorder, **options: float
) -> Iterator[threading.Event]:
    """`watch` in a thread; on leaving, stop it and assert it returned promptly."""
    stop = threading.Event()
    options.setdefault("poll_interval", 600.0)  # so only IDLE can bring mail in time
    thread = threading.Thread(
        target=watch, args=(mailboxes, handle), kwargs={"stop": stop, **options}, daemon=True
    )
    thread.start()
    try:
        yield stop
    finally:
        stop.set()
        started = time.monotonic()
        thread.join(timeout=5)
        took = time.monotonic() - started
        assert not thread.is_alive(), "watch did not return after stop"
        assert took < 1.5, f"watch took {took:.2f} s to stop"


def seen_flags(box: Dovecot, user: str) -> list[tuple[bytes, ...]]:
    with box.client(user) as client:
        client.select_folder("INBOX", readonly=True)
        uids = sorted(client.search(["ALL"]))
        return [client.get_flags(uids)[uid] for uid in uids] if uids else []


# -- configuration ---------------------------------------------------------------------------


def test_mailbox_from_dict_checks_and_hides_the_password() -> None:
    box = Mailbox.from_dict(
        {"name": "postmottak", "host": "imap.kommune.test", "password": "hemmeleg-1234"}
    )
    assert (box.port, box.security, box.folder, box.after) == (993, "ssl", "INBOX", "delete")
    assert "hemmeleg-1234" not in repr(box)
    starttls = Mailbox.from_dict({"name": "p", "host": "imap.test", "security": "starttls"})
    assert starttls.port == 143
    assert Mailbox.from_dict({"name": "p", "host": "h", "after": "move:Behandla"}).move_to == (
        "Behandla"
    )
    with pytest.raises(ValueError, match="unknown keys"):
        Mailbox.from_dict({"name": "p", "host": "h", "pasword": "x"})
    with pytest.raises(ValueError, match="loopback"):
        Mailbox.from_dict({"name": "p", "host": "imap.kommune.test", "security": "none"})
    with pytest.raises(ValueError, match="after"):
        Mailbox.from_dict({"name": "p", "host": "h", "after": "archive"})
    with pytest.raises(ValueError, match="folder it reads"):
        Mailbox.from_dict({"name": "p", "host": "h", "after": "move:INBOX"})


# -- poll_once -------------------------------------------------------------------------------


def test_poll_once_hands_over_exact_bytes_in_uid_order_then_deletes(imap_box: Dovecot) -> None:
    raws = [message(n) for n in range(3)]
    uids = [imap_box.append("postmottak", "INBOX", raw) for raw in raws]
    assert uids == sorted(uids)
    handler = Recorder()

    assert poll_once(imap_box.mailbox("postmottak"), handler) == 3

    assert handler.received == [("postmottak", raw) for raw in raws]
    assert imap_box.messages("postmottak", "INBOX") == []
    assert poll_once(imap_box.mailbox("postmottak"), handler) == 0


def test_poll_once_moves_into_a_folder_it_creates(imap_box: Dovecot) -> None:
    raws = [message(n) for n in range(2)]
    for raw in raws:
        imap_box.append("postmottak", "INBOX", raw)
    assert "Behandla" not in imap_box.folders("postmottak")
    handler = Recorder()

    assert poll_once(imap_box.mailbox("postmottak", after="move:Behandla"), handler) == 2

    assert [raw for _name, raw in handler.received] == raws
    assert imap_box.messages("postmottak", "INBOX") == []
    assert imap_box.messages("postmottak", "Behandla") == raws


def test_poll_once_takes_at_most_a_batch_oldest_first(imap_box: Dovecot) -> None:
    raws = [message(n) for n in range(3)]
    for raw in raws:
        imap_box.append("postmottak", "INBOX", raw)
    handler = Recorder()

    assert poll_once(imap_box.mailbox("postmottak"), handler, batch=2) == 2

    assert [raw for _name, raw in handler.received] == raws[:2]
    assert imap_box.messages("postmottak", "INBOX") == raws[2:]


def test_a_message_the_handler_fails_on_stays_unseen_and_comes_again(
    imap_box: Dovecot, caplog: pytest.LogCaptureFixture
) -> None:
    raws = [message(n) for n in range(3)]
    for raw in raws:
        imap_box.append("postmottak", "INBOX", raw)
    mailbox = imap_box.mailbox("postmottak")
    failing = Recorder(fail=lambda raw: raw == raws[1])

    with caplog.at_level(logging.ERROR, logger=LOGGER):
        assert poll_once(mailbox, failing) == 2

    assert [raw for _name, raw in failing.received] == [raws[0], raws[2]]
    assert imap_box.messages("postmottak", "INBOX") == [raws[1]]
    # BODY.PEEK[]: a message that was not stored is not even marked read.
    assert seen_flags(imap_box, "postmottak") == [()]
    errors = [r for r in caplog.records if r.name == LOGGER and r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "postmottak" in errors[0].getMessage()
    assert errors[0].exc_info is not None

    working = Recorder()
    assert poll_once(mailbox, working) == 1
    assert working.received == [("postmottak", raws[1])]
    assert imap_box.messages("postmottak", "INBOX") == []


def test_poll_once_with_a_wrong_password_raises_without_the_password(imap_box: Dovecot) -> None:
    secret = "feil-passord-9f3a"
    with pytest.raises(MailboxError) as raised:
        poll_once(imap_box.mailbox("postmottak", password=secret), Recorder())
    assert "postmottak" in str(raised.value)
    assert secret not in str(raised.value)


# -- watch -----------------------------------------------------------------------------------


def test_watch_two_mailboxes_brings_mail_within_two_seconds_by_idle(imap_box: Dovecot) -> None:
    early = message(0)
    imap_box.append("postmottak", "INBOX", early)
    handler = Recorder()
    boxes = [imap_box.mailbox("postmottak"), imap_box.mailbox("tenestetorget")]

    with watching(boxes, handler):
        assert handler.next(timeout=5)[:2] == ("postmottak", early)
        time.sleep(0.5)  # both watchers are in IDLE now
        for n, user in enumerate(["tenestetorget", "postmottak", "tenestetorget"], start=1):
            raw = message(n, to=f"{user}@kommune.test")
            sent = time.monotonic()
            imap_box.append(user, "INBOX", raw)
            name, got, arrived = handler.next(timeout=2)
            assert (name, got) == (user, raw)
            assert arrived - sent < 2

    assert imap_box.messages("postmottak", "INBOX") == []
    assert imap_box.messages("tenestetorget", "INBOX") == []


def test_watch_moves_and_retries_a_failed_message_after_the_idle_timeout(
    imap_box: Dovecot,
) -> None:
    bad, good = message(1), message(2)
    attempts: list[bytes] = []

    def fail_first_time(raw: bytes) -> bool:
        attempts.append(raw)
        return raw == bad and attempts.count(bad) == 1

    handler = Recorder(fail=fail_first_time)
    box = imap_box.mailbox("postmottak", after="move:Behandla")
    with watching([box], handler, idle_timeout=1.0):
        imap_box.append("postmottak", "INBOX", bad)
        imap_box.append("postmottak", "INBOX", good)
        assert handler.next(timeout=2)[1] == good
        # The failed one is left alone until IDLE times out, then tried again.
        assert handler.next(timeout=4)[1] == bad

    assert attempts == [bad, good, bad]
    assert imap_box.messages("postmottak", "Behandla") == [good, bad]


def test_idle_sees_mail_that_came_just_before_it(imap_box: Dovecot) -> None:
    """Dovecot announces such mail right after "+ idling", in the same packet: imaplib reads
    it into its buffer where polling the socket cannot see it."""
    with imap_box.client("postmottak") as client:
        client.select_folder("INBOX")
        assert client.search(["NOT", "DELETED"]) == []
        imap_box.append("postmottak", "INBOX", message(1))
        started = time.monotonic()
        assert imap._idle(client, threading.Event(), idle_timeout=3.0) is True
        assert time.monotonic() - started < 1
        assert len(client.search(["NOT", "DELETED"])) == 1


@pytest.mark.parametrize("drop", ["restart", "kick"])
def test_watch_reconnects_after_the_connection_drops(imap_box: Dovecot, drop: str) -> None:
    handler = Recorder()
    with watching([imap_box.mailbox("postmottak")], handler):
        imap_box.append("postmottak", "INBOX", message(1))
        assert handler.next(timeout=2)[1] == message(1)

        if drop == "restart":
            imap_box.restart()
        else:
            imap_box.kick("postmottak")
        imap_box.append("postmottak", "INBOX", message(2))
        # Backoff after a drop is 1 s, then 2 s while the server is down.
        assert handler.next(timeout=8)[1] == message(2)

        imap_box.append("postmottak", "INBOX", message(3))
        assert handler.next(timeout=2)[1] == message(3)


def test_watch_logs_a_wrong_password_and_goes_on(
    imap_box: Dovecot, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "feil-passord-7c1e"
    wrong = imap_box.mailbox("postmottak", password=secret)
    handler = Recorder()
    caplog.set_level(logging.DEBUG)  # imapclient logs the protocol at DEBUG: that too

    with watching([wrong, imap_box.mailbox("tenestetorget")], handler):
        imap_box.append("tenestetorget", "INBOX", message(1))
        assert handler.next(timeout=2)[:2] == ("tenestetorget", message(1))
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and not any(
            r.name == LOGGER and r.levelno == logging.ERROR for r in caplog.records
        ):
            time.sleep(0.05)

    errors = [r for r in caplog.records if r.name == LOGGER and r.levelno == logging.ERROR]
    assert errors, "no error logged for the wrong password"
    assert "postmottak" in errors[0].getMessage()
    assert "authentication" in errors[0].getMessage().lower()
    assert secret not in caplog.text
    assert all(secret not in str(r.args) for r in caplog.records)
    assert handler.received == [("tenestetorget", message(1))]


# -- a server without IDLE, MOVE and UIDPLUS -------------------------------------------------


def test_without_move_and_uidplus_it_copies_and_expunges(basic_imap_box: Dovecot) -> None:
    box = basic_imap_box
    with box.client("postmottak") as client:
        assert not {b"IDLE", b"MOVE", b"UIDPLUS"} & set(client.capabilities())
    raws = [message(n) for n in range(2)]
    for raw in raws:
        box.append("postmottak", "INBOX", raw)
    handler = Recorder(fail=lambda raw: raw == raws[0])

    assert poll_once(box.mailbox("postmottak", after="move:Behandla"), handler) == 1

    assert box.messages("postmottak", "INBOX") == [raws[0]]
    assert box.messages("postmottak", "Behandla") == [raws[1]]


def test_without_idle_watch_polls(basic_imap_box: Dovecot) -> None:
    handler = Recorder()
    with watching([basic_imap_box.mailbox("postmottak")], handler, poll_interval=0.5):
        time.sleep(0.3)
        basic_imap_box.append("postmottak", "INBOX", message(1))
        assert handler.next(timeout=2)[1] == message(1)
    assert basic_imap_box.messages("postmottak", "INBOX") == []
