"""Schemathesis against the committed schema (docs/openapi.yaml) and a live server: requests
generated from the schema, valid and invalid, and every check on each answer.

What it guards: no 5xx; every status code, content type, header and body is what the schema
documents; a request the schema forbids is refused (negative_data_rejection), and one it
allows is accepted (positive_data_acceptance, see EXPECTED_BY_MEANING below for the requests
that only the service can judge); an unsupported method is a 405 with Allow; without the
token, 401. All of Schemathesis' checks are on; the stateful ones (use_after_free,
ensure_resource_availability) have nothing to find in an API without DELETE, and the stateful
phase is off (pytest runs one operation at a time).

Bounded and repeatable: a fixed seed, derandomized generation and no example database, so
every run sends the same requests: about 1,500 over the 23 operations (about 1,370 of them
from the coverage phase, which walks each keyword of the schema and is not bounded by
max-examples), in under a minute on SQLite or PostgreSQL (CI runs both). At the end it prints
the line to quote: `schemathesis: 1493 requests over 23 operations, 0 with a 5xx (...)`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.conf import settings
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from tenestetorget.contact import services
from tenestetorget.contact.models import Inquiry
from tenestetorget.knowledge.models import Article, Audience
from tenestetorget.organisation.models import Queue, Role, StaffProfile, Unit

SCHEMA_PATH = settings.BASE_DIR / "docs" / "openapi.yaml"

#: Generated cases per operation in the fuzzing phase (random, valid and invalid); the
#: coverage phase adds its own systematic cases.
MAX_EXAMPLES = 5

#: Operations whose valid-by-the-schema requests the service may still refuse with a 400 for
#: what no schema can say: an e-mail address that does not exist as a format, a check digit,
#: a queue, user or article that must exist, a date that must be after today. For these,
#: positive_data_acceptance accepts a 400 (every other check still runs).
EXPECTED_BY_MEANING = ["inquiries_create", "inquiries_forward", "inquiries_answer",
                       "inquiries_interim_reply", "bookings_create"]  # fmt: skip

#: A reused Idempotency-Key with another request is a 422 by design (docs/api.md), whatever
#: the schema allows; generated keys repeat ("0"), so every POST may answer it.
POSITIVE = ["2xx", "401", "403", "404", "409", "422"]

CONFIG = f"""
seed = 20261206

[generation]
mode = "all"
deterministic = true
# No example database: every run makes the same requests, whatever earlier runs found.
database = "none"
max-examples = {MAX_EXAMPLES}

[phases.stateful]
enabled = false

[checks]
enabled = true

[checks.positive_data_acceptance]
expected-statuses = {POSITIVE!r}

[[operations]]
include-operation-id = {EXPECTED_BY_MEANING!r}
checks.positive_data_acceptance.expected-statuses = {[*POSITIVE, "400"]!r}
"""


@dataclasses.dataclass
class Tally:
    requests: int = 0
    server_errors: int = 0
    statuses: Counter[int] = dataclasses.field(default_factory=Counter)
    operations: set[str] = dataclasses.field(default_factory=set)
    phases: Counter[str] = dataclasses.field(default_factory=Counter)

    def line(self) -> str:
        return (
            f"schemathesis: {self.requests} requests over {len(self.operations)} operations, "
            f"{self.server_errors} with a 5xx (statuses: {dict(sorted(self.statuses.items()))}; "
            f"phases: {dict(sorted(self.phases.items()))})"
        )


TALLY = Tally()


@pytest.fixture(scope="module", autouse=True)
def summary(request: pytest.FixtureRequest) -> Iterator[None]:
    """Print the tally once the module's tests are done, past pytest's output capture."""
    yield
    if not TALLY.requests:
        return
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if capture is None or reporter is None:  # pragma: no cover - plugins pytest always has
        print(TALLY.line())
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line("")
        reporter.write_line(TALLY.line())


@dataclasses.dataclass
class World:
    """What the examples in the schema name (queue veg, user kari, article
    broyting-kommunale-vegar), and inquiries to act on, one fresh for each request."""

    front_desk: Any
    queue: Queue
    prepare: Callable[[str], Inquiry]


@pytest.fixture
def world(transactional_db: Any) -> World:
    unit = Unit.objects.create(code="teknisk", name="Teknisk drift")
    queue = Queue.objects.create(code="veg", unit=unit, name="Veg og brøyting")
    Queue.objects.create(code="heimeteneste", unit=unit, name="Heimetenester")
    users = {
        username: _staff(username, role, unit)
        for username, role in [("frida", Role.FRONT_DESK), ("kari", Role.CASE_OFFICER)]
    }
    Article.objects.create(
        slug="broyting-kommunale-vegar",
        owner=unit,
        review_date=dt.date(2100, 1, 1),
        audience=Audience.PUBLIC,
    )
    front_desk = users["frida"]

    def prepare(action: str) -> Inquiry:
        inquiry = services.register_inquiry(
            channel="email",
            subject="Brøyting",
            body="Når blir vegen brøyta?",
            sender=services.SenderData(name="Kari Nordmann", email="kari@example.no"),
            queue=queue,
            actor=front_desk,
        )
        if action == "acknowledge":
            services.forward_inquiry(inquiry, front_desk, to_queue=queue)
        elif action == "resume":
            services.pause_for_sender(inquiry, front_desk)
        elif action == "reopen":
            services.close_inquiry(inquiry, front_desk)
        return inquiry

    return World(front_desk=front_desk, queue=queue, prepare=prepare)


def _staff(username: str, role: str, unit: Unit) -> Any:
    user = get_user_model().objects.create_user(username=username)
    StaffProfile.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def token(world: World) -> str:
    return str(Token.objects.get_or_create(user=world.front_desk)[0].key)


# Loaded when the module is collected; the live server's address is given with each call
# (schemathesis' fixture-based loader does not work with pytest 9).
schema = schemathesis.openapi.from_path(SCHEMA_PATH, config=schemathesis.Config.from_str(CONFIG))

#: Every eighth request keeps the generated reference (almost always one that does not
#: exist: the 404); the others get a fresh inquiry in a status that allows the action.
_KEEP_GENERATED = itertools.count()


@schema.parametrize()
# One world per operation, shared by its cases on purpose: each case gets its own inquiry.
# Generation time is not what this test is about; on a loaded 2-core machine the health
# check for it fails runs that found nothing wrong.
@hypothesis.settings(
    suppress_health_check=[
        hypothesis.HealthCheck.function_scoped_fixture,
        hypothesis.HealthCheck.too_slow,
    ],
    deadline=None,
)
def test_api(case: Any, world: World, token: str, live_server: Any) -> None:
    if "reference" in (case.path_parameters or {}) and next(_KEEP_GENERATED) % 8:
        action = case.path.rstrip("/").rsplit("/", 1)[-1]
        case.path_parameters["reference"] = world.prepare(action).reference
    headers = {"Authorization": f"Token {token}"}
    response = case.call(base_url=live_server.url, headers=headers)
    TALLY.requests += 1
    TALLY.operations.add(case.operation.label)
    TALLY.statuses[response.status_code] += 1
    TALLY.phases[case.meta.phase.name.value if case.meta else "?"] += 1
    if response.status_code >= 500:
        TALLY.server_errors += 1
    case.validate_response(
        response, headers=headers, transport_kwargs={"base_url": live_server.url}
    )
