"""`load-demo` loads once and then steps aside; `demo-logins` prints the logins."""

import io

from django.core.management import call_command

from tenestetorget.contact.models import Inquiry
from tenestetorget.core.models import NumberSeries
from tenestetorget.mailroom.models import IncomingMessage, State
from tenestetorget.routing import models_store


def history() -> int:
    """The generated inquiries, without the mail room's sample day."""
    return Inquiry.objects.filter(incoming_messages__isnull=True).count()


def test_load_demo_loads_once_then_skips(db):
    out = io.StringIO()
    call_command("load_demo", count=300, days=60, stdout=out)
    text = out.getvalue()
    assert history() == 300
    # The mail room's day: routed, waiting, set aside and quarantined messages.
    states = set(IncomingMessage.objects.values_list("state", flat=True))
    assert {State.REGISTERED, State.IGNORED, State.QUARANTINED} <= states
    assert "Importing a day of sample mail" in text
    assert "Demo loaded" in text
    assert "300/300 inquiries stored" in text
    assert "resolved at the first line" in text
    assert "guarantees kept" in text
    # The routing model is trained on the shipped examples and this history, and in use.
    assert "Routing model" in text
    model = models_store.current()
    assert model.meta["training_examples"] > 300
    assert not model.meta["includes_held_out"]

    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert history() == 300

    # --force adds to what is there, and the numbers go on from the series.
    # The inquiry series only: the demo archive has number series of its own.
    before = {s.year: s.last for s in NumberSeries.objects.filter(series="inquiry")}
    mail = IncomingMessage.objects.count()
    call_command("load_demo", count=20, days=5, force=True, stdout=io.StringIO())
    assert history() == 320
    assert IncomingMessage.objects.count() == mail  # the same day again: seen before
    after = {s.year: s.last for s in NumberSeries.objects.filter(series="inquiry")}
    assert sum(after.values()) - sum(before.values()) == 20
    assert Inquiry.objects.values("reference").distinct().count() == Inquiry.objects.count()


def test_load_demo_without_history(db):
    out = io.StringIO()
    call_command("load_demo", no_history=True, stdout=out)
    assert history() == 0
    assert "staff 24 new" in out.getvalue() or "staff" in out.getvalue()
