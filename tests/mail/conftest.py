"""A real SMTP server on loopback that can be down and come up again on the same port, and a
small municipality, for the outbox's tests."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model

from tenestetorget.organisation.models import (
    Channel,
    Queue,
    Role,
    ServiceGuarantee,
    StaffProfile,
    Unit,
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class MailServer:
    """aiosmtpd on one loopback port; down (nothing listens, connections are refused) until
    `up()`."""

    port: int = field(default_factory=free_port)
    received: list[EmailMessage] = field(default_factory=list)
    controller: Controller | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(message)
        return "250 Message accepted for delivery"

    def up(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def down(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.received if address in str(m["To"])]


@pytest.fixture
def mail_server(settings: Any) -> Iterator[MailServer]:
    """Django's default mailer pointed at the server's port; the server starts down."""
    server = MailServer()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
        }
    }
    try:
        yield server
    finally:
        server.down()


@pytest.fixture
def town(db: Any) -> dict[str, Any]:
    """Two units, a queue each, a front-desk officer and a case officer in each unit, all
    with addresses."""
    front_unit = Unit.objects.create(code="tenestetorget", name="Tenestetorget")
    tech_unit = Unit.objects.create(code="teknisk", name="Teknisk drift")
    plan_unit = Unit.objects.create(code="plan", name="Plan og bygg")
    water = Queue.objects.create(code="vatn", unit=tech_unit, name="Vatn og avløp")
    building = Queue.objects.create(code="bygg", unit=plan_unit, name="Byggjesak")
    for queue in (water, building):
        ServiceGuarantee.objects.create(
            queue=queue, channel=Channel.EMAIL, answer_working_days=3, text="Svar innan 3 dagar."
        )

    def person(username: str, unit: Unit, role: str) -> Any:
        user = get_user_model().objects.create_user(
            username, f"{username}@demo.kommune.no", "pw-12345!", first_name=username.title()
        )
        StaffProfile.objects.create(user=user, unit=unit, role=role)
        return user

    return {
        "water": water,
        "building": building,
        "front": person("front", front_unit, Role.FRONT_DESK),
        "tech": person("tech", tech_unit, Role.CASE_OFFICER),
        "planner": person("planner", plan_unit, Role.CASE_OFFICER),
    }
