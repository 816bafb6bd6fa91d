"""A private Dovecot IMAP server on loopback for the mail room's tests.

Its own config, base_dir, state and Maildirs live in one temporary directory; it listens only
on 127.0.0.1 on a free port and allows plain-text login there (no TLS: loopback only). Users
and their passwords are in a passwd-file. The server runs in the foreground (`dovecot -F`) as a
child of the test process, so stopping it never depends on systemd or on a pid file.

Written for Dovecot 2.3 (Debian 12). 2.4 renamed most of the settings used here; `start`
refuses other versions with a message rather than fail on a config the server cannot read.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from imapclient import IMAPClient

from tenestetorget.mailroom.imap import Mailbox

HOST = "127.0.0.1"

# Known to the tests; the server never sees anything but loopback.
USERS = {"postmottak": "postmottak-passord", "tenestetorget": "tenestetorget-passord"}


def dovecot_binary() -> str | None:
    """The dovecot master binary; /usr/sbin is not on every user's PATH."""
    found = shutil.which("dovecot") or shutil.which("dovecot", path="/usr/sbin:/usr/local/sbin")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _version(binary: str) -> str:
    out = subprocess.run(  # noqa: S603 - the dovecot binary found on PATH
        [binary, "--version"], capture_output=True, text=True, check=True
    )
    return out.stdout.split()[0]


@dataclass
class Dovecot:
    """One Dovecot instance. `start()` writes the config and waits until the port accepts."""

    root: Path
    users: dict[str, str] = field(default_factory=lambda: dict(USERS))
    host: str = HOST
    port: int = field(default_factory=free_port)
    binary: str = field(default_factory=lambda: dovecot_binary() or "dovecot")
    version: str = ""
    # When set, the capabilities the server announces after login (Dovecot's
    # imap_capability): to see the adapter work with a server that has no IDLE or MOVE.
    capabilities: str = ""
    process: subprocess.Popen[bytes] | None = None

    @property
    def config(self) -> Path:
        return self.root / "dovecot.conf"

    @property
    def log(self) -> Path:
        return self.root / "dovecot.log"

    # -- server lifecycle ------------------------------------------------------------------

    def start(self, timeout: float = 10.0) -> None:
        if self.running:
            return
        if not self.version:
            self.version = _version(self.binary)
        if not self.version.startswith("2.3."):
            raise RuntimeError(
                f"tests/dovecot.py writes a Dovecot 2.3 config; this is Dovecot {self.version}"
            )
        if not self.config.exists():
            self._write_config()
        self.process = subprocess.Popen(  # noqa: S603 - fixed argv, our own config
            [self.binary, "-F", "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=open(self.root / "stderr.txt", "ab"),  # noqa: SIM115 - the child owns it
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited with {self.process.returncode}:\n{self.tail()}")
            with contextlib.suppress(OSError):
                socket.create_connection((self.host, self.port), timeout=0.5).close()
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"dovecot did not listen on {self.host}:{self.port}:\n{self.tail()}")

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM to the master: it stops its children and closes the clients' connections."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kick(self, user: str) -> None:
        """Drop every connection of one user, the server staying up."""
        subprocess.run(  # noqa: S603 - fixed argv
            [self._doveadm(), "-c", str(self.config), "kick", user],
            check=True,
            capture_output=True,
        )

    def tail(self, lines: int = 30) -> str:
        text = ""
        for path in (self.log, self.root / "stderr.txt"):
            if path.exists():
                text += path.read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    # -- mailbox access for tests ----------------------------------------------------------

    def mailbox(self, user: str, **overrides: Any) -> Mailbox:
        """The adapter's configuration for one of the users."""
        data: dict[str, Any] = {
            "name": user,
            "host": self.host,
            "port": self.port,
            "username": user,
            "password": self.users[user],
            "security": "none",
            "address": f"{user}@kommune.test",
        }
        data.update(overrides)
        return Mailbox.from_dict(data)

    @contextlib.contextmanager
    def client(self, user: str) -> Iterator[IMAPClient]:
        with IMAPClient(self.host, self.port, ssl=False, timeout=10) as client:
            client.login(user, self.users[user])
            yield client

    def append(self, user: str, folder: str, raw: bytes) -> int:
        """IMAP APPEND; returns the new message's UID (Dovecot has UIDPLUS)."""
        with self.client(user) as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            response = client.append(folder, raw)
        # b"[APPENDUID <uidvalidity> <uid>] Append completed ..."
        return int(response.split(b"]")[0].split()[-1])

    def messages(self, user: str, folder: str) -> list[bytes]:
        """The exact bytes of every message in the folder not flagged deleted, in UID order."""
        with self.client(user) as client:
            if not client.folder_exists(folder):
                return []
            client.select_folder(folder, readonly=True)
            uids = sorted(client.search(["NOT", "DELETED"]))
            if not uids:
                return []
            fetched = client.fetch(uids, ["BODY.PEEK[]"])
            return [fetched[uid][b"BODY[]"] for uid in uids if uid in fetched]

    def folders(self, user: str) -> list[str]:
        with self.client(user) as client:
            return sorted(name for _flags, _sep, name in client.list_folders())

    def clear(self, user: str) -> None:
        """Every test starts from an empty INBOX and no other folder."""
        with self.client(user) as client:
            for _flags, _sep, name in client.list_folders():
                if name.upper() == "INBOX":
                    client.select_folder(name)
                    uids = client.search(["ALL"])
                    if uids:
                        client.delete_messages(uids)
                        client.expunge()
                    client.close_folder()
            for _flags, _sep, name in sorted(client.list_folders(), key=lambda f: -len(f[2])):
                if name.upper() != "INBOX":
                    client.delete_folder(name)

    # -- configuration ---------------------------------------------------------------------

    def _doveadm(self) -> str:
        return shutil.which("doveadm", path=f"{os.environ.get('PATH', '')}:/usr/bin:/usr/sbin") or (
            "doveadm"
        )

    def _write_config(self) -> None:
        root = self.root
        (root / "mail").mkdir(exist_ok=True)
        users = root / "users"
        users.write_text(
            "".join(f"{name}:{{PLAIN}}{pw}::::::\n" for name, pw in self.users.items())
        )
        if os.geteuid() == 0:
            # Dovecot refuses to give mail access to root (uid/gid 0), so as root (CI) the mail
            # processes run as the package's `dovecot` user, which must reach the Maildirs and
            # the auth process (also `dovecot`) must read the passwd-file.
            owner = pwd.getpwnam("dovecot")
            root.chmod(0o711)
            users.chmod(0o644)
            os.chown(root / "mail", owner.pw_uid, owner.pw_gid)
            chroot = ""
            identity = f"""
first_valid_uid = {owner.pw_uid}
first_valid_gid = {owner.pw_gid}
mail_uid = {owner.pw_uid}
mail_gid = {owner.pw_gid}
"""
        else:
            # Rootless: every process runs as the current user and nothing chroots.
            me = pwd.getpwuid(os.geteuid())
            identity = f"""
default_login_user = {me.pw_name}
default_internal_user = {me.pw_name}
first_valid_uid = {me.pw_uid}
first_valid_gid = {me.pw_gid}
"""
            chroot = "chroot ="
        self.config.write_text(
            f"""# Written by tenestetorget/mailroom/tests/dovecot.py for one test run.
base_dir = {root}/run
state_dir = {root}/state
instance_name = tenestetorget-test-{self.port}
log_path = {self.log}
protocols = imap
listen = {self.host}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# A wrong password is answered at once, and the penalty Dovecot's anvil puts on the client's
# IP after failed logins is off: the tests try a wrong password on purpose, and from
# 127.0.0.1 the penalty would slow every later login of every user for up to 15 s.
auth_failure_delay = 0
service anvil {{
  {chroot}
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
mail_location = maildir:{root}/mail/%u
{identity}
{f"imap_capability = {self.capabilities}" if self.capabilities else ""}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {users}
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {users}
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
service imap-login {{
  {chroot}
  inet_listener imap {{
    address = {self.host}
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""
        )


@contextlib.contextmanager
def running_dovecot(capabilities: str = "") -> Iterator[Dovecot]:
    """A started Dovecot in a fresh directory, stopped and removed afterwards.

    The directory is made with mkdtemp under /tmp rather than pytest's tmp_path: the latter's
    0700 parent directories would keep the unprivileged mail processes out.
    """
    root = Path(tempfile.mkdtemp(prefix="tenestetorget-dovecot-"))
    server = Dovecot(root=root, capabilities=capabilities)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
