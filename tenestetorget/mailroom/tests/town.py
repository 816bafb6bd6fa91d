"""A municipality for the mail room's tests: a unit and a queue for every code the routing
model knows (queues.yaml's codes), a front-desk officer and a case officer with addresses, and
the trained routing model in use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from tenestetorget.organisation.models import Queue, Role, StaffProfile, Unit
from tenestetorget.routing import models_store
from tenestetorget.routing.testing import install_trained_model


@pytest.fixture(scope="session")
def routing_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_trained_model(tmp_path_factory.mktemp("routing"))


@pytest.fixture
def town(db: Any, settings: Any, routing_dir: Path) -> dict[str, Any]:
    settings.ROUTING_MODEL_DIR = routing_dir
    front = Unit.objects.create(code="tenestetorget", name="Tenestetorget")
    teknisk = Unit.objects.create(code="teknisk", name="Teknisk")
    queues = {}
    for code in models_store.current().classes:
        queues[code] = Queue.objects.create(
            code=code, unit=front if code == "ekstern" else teknisk, name=code
        )
    users = get_user_model()
    officer = users.objects.create_user("front", email="front@kommune.test", password="demo")
    StaffProfile.objects.create(user=officer, unit=front, role=Role.FRONT_DESK)
    case = users.objects.create_user("case", email="case@kommune.test", password="demo")
    StaffProfile.objects.create(user=case, unit=teknisk, role=Role.CASE_OFFICER)
    archivist = users.objects.create_user("arkiv", email="arkiv@kommune.test", password="demo")
    StaffProfile.objects.create(user=archivist, unit=front, role=Role.ARCHIVIST)
    return {"queues": queues, "front": officer, "case": case, "archivist": archivist}
