"""`tenestetorget mailroom watch` on the real Dovecot: mail in two mailboxes (postmottak@ and
tenestetorget@) becomes registered inquiries and leaves the server only once it is stored; a
routing rule on the mailbox's address decides the queue; what arrives while watching is
registered within seconds."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from typing import Any

import pytest
from django.core.management import call_command

from tenestetorget.contact.models import Inquiry
from tenestetorget.mailroom import imap
from tenestetorget.mailroom.management.commands.mailroom import take_from_imap
from tenestetorget.mailroom.models import IncomingMessage, State
from tenestetorget.mailroom.tests import mailsamples as samples
from tenestetorget.mailroom.tests.dovecot import Dovecot
from tenestetorget.routing.models import RoutingRule, RuleField

pytestmark = pytest.mark.django_db(transaction=True)


def _config(server: Dovecot) -> list[dict[str, Any]]:
    boxes = []
    for user in ("postmottak", "tenestetorget"):
        box = server.mailbox(user, address=f"{user}@kommune.test")
        data = {f.name: getattr(box, f.name) for f in dataclasses.fields(box)}
        boxes.append(data)
    return boxes


def test_watch_once_registers_both_mailboxes_and_empties_them(
    town: Any, imap_box: Dovecot, settings: Any
) -> None:
    RoutingRule.objects.create(
        field=RuleField.RECIPIENT,
        pattern="tenestetorget@kommune.test",
        queue=town["queues"]["utleige"],
        position=1,
    )
    imap_box.append("postmottak", "INBOX", samples.plain(message_id="<w1@x>"))
    imap_box.append(
        "tenestetorget",
        "INBOX",
        # Sent to a list (the mailbox is not named): the mailbox's address still counts.
        samples.plain(message_id="<w2@x>", subject="Spørsmål", to=[("Alle", "alle@kommune.test")]),
    )
    settings.MAILROOM = {**settings.MAILROOM, "MAILBOXES": json.dumps(_config(imap_box))}
    call_command("mailroom", "watch", "--once")
    assert Inquiry.objects.count() == 2
    assert IncomingMessage.objects.filter(state=State.REGISTERED).count() == 2
    routed = Inquiry.objects.get(message_id="<w2@x>").queue
    assert routed is not None and routed.code == "utleige"
    assert imap_box.messages("postmottak", "INBOX") == []
    assert imap_box.messages("tenestetorget", "INBOX") == []


def test_mail_arriving_while_watching_is_registered_within_seconds(
    town: Any, imap_box: Dovecot
) -> None:
    stop = threading.Event()
    box = imap.Mailbox.from_dict(_config(imap_box)[0])
    watcher = threading.Thread(
        target=imap.watch, args=([box], take_from_imap), kwargs={"stop": stop}, daemon=True
    )
    watcher.start()
    try:
        time.sleep(1.0)
        sent = time.monotonic()
        imap_box.append("postmottak", "INBOX", samples.plain(message_id="<live@x>"))
        while time.monotonic() - sent < 10 and not Inquiry.objects.filter(message_id="<live@x>"):
            time.sleep(0.1)
        took = time.monotonic() - sent
    finally:
        stop.set()
        watcher.join(timeout=10)
    assert Inquiry.objects.filter(message_id="<live@x>").count() == 1
    assert took < 5, f"registered {took:.1f} s after it arrived"
    assert imap_box.messages("postmottak", "INBOX") == []
