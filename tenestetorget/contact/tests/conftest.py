"""Fixtures for the contact app: a small municipality with one member of staff per role."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tenestetorget.contact import services
from tenestetorget.contact.models import Inquiry
from tenestetorget.organisation.models import (
    Channel,
    Queue,
    Role,
    ServiceGuarantee,
    StaffProfile,
    Unit,
)


@pytest.fixture
def org(db: Any) -> dict[str, Any]:
    units = {
        code: Unit.objects.create(code=code, name=name)
        for code, name in [
            ("tenestetorget", "Tenestetorget"),
            ("teknisk", "Teknisk drift"),
            ("plan_bygg", "Plan og bygg"),
            ("arkiv", "Arkiv"),
        ]
    }
    queues = {
        "vatn_avlop": Queue.objects.create(
            code="vatn_avlop", unit=units["teknisk"], name="Vatn og avløp"
        ),
        "veg": Queue.objects.create(code="veg", unit=units["teknisk"], name="Vegar"),
        "byggjesak": Queue.objects.create(
            code="byggjesak", unit=units["plan_bygg"], name="Byggjesak"
        ),
        "motorferdsel": Queue.objects.create(
            code="motorferdsel", unit=units["tenestetorget"], name="Motorferdsel"
        ),
    }
    for queue in queues.values():
        for channel in (Channel.EMAIL, Channel.WEBFORM, Channel.PHONE):
            ServiceGuarantee.objects.create(
                queue=queue,
                channel=channel,
                answer_working_days=2,
                interim_reply_working_days=10,
                text="Svar innan 2 arbeidsdagar.",
            )
    return {"units": units, "queues": queues}


@pytest.fixture
def make_user(org: dict[str, Any]) -> Callable[..., Any]:
    def make(username: str, role: str, unit: str, **extra: Any) -> Any:
        user = get_user_model().objects.create_user(
            username=username, password="demo", first_name=username.title(), **extra
        )
        StaffProfile.objects.create(user=user, unit=org["units"][unit], role=role)
        return user

    return make


@pytest.fixture
def staff(make_user: Callable[..., Any]) -> dict[str, Any]:
    return {
        "front": make_user("front", Role.FRONT_DESK, "tenestetorget"),
        "tech": make_user("tech", Role.CASE_OFFICER, "teknisk"),
        "tech2": make_user("tech2", Role.CASE_OFFICER, "teknisk"),
        "builder": make_user("builder", Role.CASE_OFFICER, "plan_bygg"),
        "leader": make_user("leader", Role.UNIT_LEADER, "teknisk"),
        "archivist": make_user("archivist", Role.ARCHIVIST, "arkiv"),
        "admin": make_user("boss", Role.ADMINISTRATOR, "tenestetorget"),
    }


@pytest.fixture
def register(staff: dict[str, Any]) -> Callable[..., Inquiry]:
    def make(**overrides: Any) -> Inquiry:
        sender = overrides.pop(
            "sender",
            services.SenderData(name="Kari Nordmann", email="kari@example.no", phone="91234567"),
        )
        kwargs: dict[str, Any] = {
            "channel": Channel.EMAIL,
            "subject": "Vasslekkasje ved hytta",
            "body": "Det lek frå kummen.",
            "sender": sender,
            "queue": "vatn_avlop",
            "actor": staff["front"],
        }
        kwargs.update(overrides)
        return services.register_inquiry(**kwargs)

    return make


def oslo(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=timezone.get_default_timezone())


@contextlib.contextmanager
def at(moment: dt.datetime) -> Iterator[None]:
    """Let the services believe it is `moment` (every clock read goes through timezone.now)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield
