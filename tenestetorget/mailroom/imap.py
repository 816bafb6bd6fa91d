"""IMAP intake (e-postinntak): fetch mail from the municipality's mailboxes into the mail room.

The server keeps every message until the mail room has stored it: a message is fetched with
BODY.PEEK[] (so it is not even marked seen), handed to the handler, and only deleted or moved
away after the handler returned, that is after the database commit. A crash at any point
leaves the message on the server for the next round; the handler treats a second delivery of
the same bytes as a duplicate.

`poll_once` is one round for a command or a timer; `watch` keeps one connection per mailbox
and waits with IDLE (RFC 2177) so mail arrives within seconds.
"""

from __future__ import annotations

import contextlib
import imaplib
import ipaddress
import logging
import ssl
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError
from imapclient.imapclient import SocketTimeout

logger = logging.getLogger("tenestetorget.mailroom.imap")

SECURITY = ("ssl", "starttls", "none")

# Socket timeouts. Connecting is short: `watch` cannot stop while it waits for a host that
# does not answer. Commands (all but IDLE) are long enough for a slow server to send a large
# message, short enough that a half-dead connection is noticed.
CONNECT_TIMEOUT = 10.0
COMMAND_TIMEOUT = 60.0
# How long one IDLE check blocks; bounds how late `watch` notices that it should stop.
IDLE_CHECK = 0.5
# RFC 2177: clients should re-issue IDLE at least every 29 minutes.
IDLE_LIMIT = 29 * 60.0
BACKOFF_START = 1.0
BACKOFF_MAX = 300.0

# What a broken, refused or rejected connection raises (imaplib.IMAP4.abort is an
# IMAP4.error); ssl.SSLError and socket.timeout are OSErrors.
CONNECTION_ERRORS = (OSError, imaplib.IMAP4.error, IMAPClientError)


class MailboxError(Exception):
    """The mailbox could not be reached, logged into or read. The text names the mailbox and
    never holds its password."""


class ConnectionLost(MailboxError):
    """The server closed the connection while we waited in IDLE."""


@dataclass(frozen=True)
class Mailbox:
    """One mailbox the mail room fetches from (e.g. postmottak@kommune.no)."""

    name: str
    host: str
    port: int = 993
    username: str = ""
    # Kept out of repr so that logging a Mailbox can never leak it.
    password: str = field(default="", repr=False)
    security: str = "ssl"
    folder: str = "INBOX"
    after: str = "delete"
    address: str = ""

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("a mailbox needs a name")
        if not self.host:
            raise ValueError(f"mailbox {self.name}: no host")
        if self.security not in SECURITY:
            raise ValueError(f"mailbox {self.name}: security must be one of {', '.join(SECURITY)}")
        if self.security == "none" and not _is_loopback(self.host):
            # The password would cross the network in clear text.
            raise ValueError(f"mailbox {self.name}: security 'none' is only for loopback hosts")
        if not 0 < self.port < 65536:
            raise ValueError(f"mailbox {self.name}: port {self.port} out of range")
        if not self.folder:
            raise ValueError(f"mailbox {self.name}: no folder")
        if self.after != "delete":
            target = self.move_to
            if not target:
                raise ValueError(f"mailbox {self.name}: after must be 'delete' or 'move:<Folder>'")
            if target == self.folder:
                # Moving into the folder we read from would hand the message over forever.
                raise ValueError(f"mailbox {self.name}: cannot move into the folder it reads")

    @property
    def move_to(self) -> str | None:
        """The folder handled messages are moved to, or None when they are deleted."""
        if self.after.startswith("move:"):
            return self.after.removeprefix("move:").strip() or None
        return None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Mailbox:
        """From one entry of MAILROOM_MAILBOXES. The port defaults to 993 for "ssl" and to
        143 otherwise. Unknown keys are an error, so a misspelt "pasword" does not pass."""
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"mailbox {data.get('name', '?')}: unknown keys {sorted(unknown)}")
        values = dict(data)
        security = str(values.get("security", "ssl"))
        values["port"] = int(values.get("port") or (993 if security == "ssl" else 143))
        return cls(**values)


# Takes one message's exact bytes; returns only after the database commit and raises when the
# message is not safely stored.
Handler = Callable[[bytes, Mailbox], None]


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _connect(mailbox: Mailbox) -> IMAPClient:
    """Logged in, the folder selected read-write and the move target present."""
    context = ssl.create_default_context()
    try:
        client = IMAPClient(
            mailbox.host,
            mailbox.port,
            ssl=mailbox.security == "ssl",
            ssl_context=context if mailbox.security == "ssl" else None,
            timeout=SocketTimeout(connect=CONNECT_TIMEOUT, read=COMMAND_TIMEOUT),
        )
    except CONNECTION_ERRORS as exc:
        raise MailboxError(f"mailbox {mailbox.name}: cannot connect: {exc}") from exc
    try:
        if mailbox.security == "starttls":
            client.starttls(context)
        client.login(mailbox.username, mailbox.password)
        target = mailbox.move_to
        if target and not client.folder_exists(target):
            try:
                client.create_folder(target)
                client.subscribe_folder(target)
            except IMAPClientError:
                # Another process may have created it between the two commands.
                if not client.folder_exists(target):
                    raise
        client.select_folder(mailbox.folder)
    except CONNECTION_ERRORS as exc:
        _close(client)
        # exc is the server's answer (e.g. "[AUTHENTICATIONFAILED] ..."), never our password.
        raise MailboxError(f"mailbox {mailbox.name}: {exc}") from exc
    return client


def _close(client: IMAPClient) -> None:
    try:
        client.logout()
    except Exception:  # the connection is often what failed
        # Nothing more to do with a dead socket than to let it go.
        with contextlib.suppress(Exception):
            client.shutdown()


def _waiting(client: IMAPClient) -> list[int]:
    """UIDs of the messages not flagged deleted, oldest first."""
    return sorted(int(uid) for uid in client.search(["NOT", "DELETED"]))


def _handle_one(client: IMAPClient, mailbox: Mailbox, handle: Handler, uid: int) -> bool:
    """Fetch, hand over and, once stored, remove one message. False if the handler failed or
    the message was gone; IMAP errors propagate (the message stays)."""
    fetched = client.fetch([uid], ["BODY.PEEK[]"])
    raw = fetched.get(uid, {}).get(b"BODY[]")
    if raw is None:
        return False  # expunged by someone else since the search
    try:
        handle(bytes(raw), mailbox)
    except Exception:
        logger.exception(
            "mailbox %s: UID %s was not stored; it stays on the server", mailbox.name, uid
        )
        return False
    target = mailbox.move_to
    if target and client.has_capability("MOVE"):
        client.move([uid], target)
        return True
    if target:
        client.copy([uid], target)
    client.delete_messages([uid])
    if client.has_capability("UIDPLUS"):
        client.uid_expunge([uid])
    else:
        # Without UIDPLUS EXPUNGE removes every message flagged deleted in the folder: those
        # were meant to go anyway.
        client.expunge()
    return True


def _round(
    client: IMAPClient,
    mailbox: Mailbox,
    handle: Handler,
    uids: Sequence[int],
    failed: set[int] | None = None,
    stop: threading.Event | None = None,
) -> int:
    handled = 0
    for uid in uids:
        if stop is not None and stop.is_set():
            break
        if _handle_one(client, mailbox, handle, uid):
            handled += 1
        elif failed is not None:
            failed.add(uid)
    return handled


def poll_once(mailbox: Mailbox, handle: Handler, *, batch: int = 100) -> int:
    """Hand over at most `batch` waiting messages, oldest (lowest UID) first, and return how
    many were stored and removed from the folder. A handler's exception is logged and that
    message stays for the next round; a connection or login failure raises MailboxError."""
    client = _connect(mailbox)
    try:
        return _round(client, mailbox, handle, _waiting(client)[:batch])
    except CONNECTION_ERRORS as exc:
        raise MailboxError(f"mailbox {mailbox.name}: {exc}") from exc
    finally:
        _close(client)


def _idle(client: IMAPClient, stop: threading.Event, idle_timeout: float) -> bool:
    """Wait in IDLE until new mail (True), the timeout or stop (False)."""
    client.idle()
    deadline = time.monotonic() + idle_timeout
    # Mail that came after our last SEARCH is announced right after "+ idling", often in the
    # same packet; imaplib has then read it into its buffer and idle_check, which polls the
    # socket, would not see it until the next change or timeout. Seen 30 of 30 times against
    # Dovecot 2.3. Anything already buffered ends this IDLE at once; the drain looks.
    new_mail = _buffered_input(client)
    while not new_mail and not stop.is_set() and time.monotonic() < deadline:
        started = time.monotonic()
        responses = client.idle_check(timeout=IDLE_CHECK)
        if not responses and time.monotonic() - started < IDLE_CHECK / 2:
            # idle_check swallows EOF: the socket was readable but gave no line, so the
            # server is gone. Without this we would spin here until the deadline.
            raise ConnectionLost("the server closed the connection")
        for response in responses:
            if response[0] == b"BYE":
                raise ConnectionLost(f"the server said BYE: {response[1]!r}")
            if len(response) > 1 and response[1] == b"EXISTS":
                new_mail = True
    client.idle_done()
    return new_mail


def _buffered_input(client: IMAPClient) -> bool:
    """Whether the server sent something that imaplib's reader holds unread. Reaches into
    imaplib's file object: imapclient has no public way to ask."""
    sock = client.socket()
    sock.setblocking(False)
    try:
        return bool(client._imap.file.peek(1))
    except (BlockingIOError, ssl.SSLWantReadError):
        return False
    finally:
        sock.settimeout(COMMAND_TIMEOUT)


def _serve(
    client: IMAPClient,
    mailbox: Mailbox,
    handle: Handler,
    stop: threading.Event,
    idle_timeout: float,
    poll_interval: float,
) -> None:
    """Hand over mail on one connection until stop is set or the connection fails."""
    # UIDs whose handler failed on this connection: left alone until the next timeout so a
    # broken message does not spin the loop; tried again after each timeout and reconnect.
    failed: set[int] = set()
    can_idle = client.has_capability("IDLE")
    while not stop.is_set():
        # Drain: the last command before IDLE must be a search that found nothing new, or the
        # EXISTS for mail that came meanwhile could be swallowed by an earlier command.
        while not stop.is_set():
            uids = [uid for uid in _waiting(client) if uid not in failed]
            if not uids:
                break
            _round(client, mailbox, handle, uids, failed, stop)
        if stop.is_set():
            return
        if can_idle:
            if not _idle(client, stop, idle_timeout):
                failed.clear()
        else:
            stop.wait(poll_interval)
            failed.clear()


def _watch_one(
    mailbox: Mailbox,
    handle: Handler,
    stop: threading.Event,
    idle_timeout: float,
    poll_interval: float,
) -> None:
    backoff = BACKOFF_START
    while not stop.is_set():
        try:
            client = _connect(mailbox)
        except MailboxError as exc:
            logger.error("%s; trying again in %.0f s", exc, backoff)
            stop.wait(backoff)
            backoff = min(backoff * 2, BACKOFF_MAX)
            continue
        logger.info("mailbox %s: connected to %s:%s", mailbox.name, mailbox.host, mailbox.port)
        connected = time.monotonic()
        try:
            _serve(client, mailbox, handle, stop, idle_timeout, poll_interval)
        except (*CONNECTION_ERRORS, MailboxError) as exc:
            logger.warning("mailbox %s: connection lost (%s); reconnecting", mailbox.name, exc)
        except Exception:
            # A bug must not end the watch of this mailbox without a word.
            logger.exception("mailbox %s: unexpected error; reconnecting", mailbox.name)
        finally:
            _close(client)
        # A connection that lasted is a fresh start; one the server keeps dropping at once
        # must not become a tight reconnect loop.
        if time.monotonic() - connected > BACKOFF_MAX:
            backoff = BACKOFF_START
        stop.wait(backoff)
        backoff = min(backoff * 2, BACKOFF_MAX)


def watch(
    mailboxes: Sequence[Mailbox],
    handle: Handler,
    *,
    stop: threading.Event,
    idle_timeout: float = 300.0,
    poll_interval: float = 60.0,
) -> None:
    """Hand over mail from every mailbox as it arrives until `stop` is set.

    One thread per mailbox: poll, then wait with IDLE where the server has it (re-issued at
    least every `idle_timeout` seconds) or sleep `poll_interval`; reconnect with backoff after
    connection errors. Returns within about a second of `stop` being set (unless a handler is
    still storing a message)."""
    if not 0 < idle_timeout < IDLE_LIMIT:
        raise ValueError(f"idle_timeout must be between 0 and {IDLE_LIMIT:.0f} s (RFC 2177)")
    if poll_interval <= 0:
        raise ValueError("poll_interval must be positive")
    names = [m.name for m in mailboxes]
    if len(set(names)) != len(names):
        raise ValueError(f"mailbox names must be unique: {names}")
    threads = [
        threading.Thread(
            target=_watch_one,
            args=(mailbox, handle, stop, idle_timeout, poll_interval),
            name=f"imap-{mailbox.name}",
            daemon=True,
        )
        for mailbox in mailboxes
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
