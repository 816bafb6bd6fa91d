"""A queue's filing policy, as queues.yaml and the demo set it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tenestetorget.organisation.models import FilingPolicy, Queue
from tenestetorget.organisation.services import load_organisation

DEMO = Path(__file__).resolve().parents[2] / "demo" / "data" / "queues.yaml"


def write(tmp_path: Path, queue: str) -> Path:
    path = tmp_path / "queues.yaml"
    path.write_text(
        "units:\n  plan_bygg: {name: Plan og bygg}\n"
        f"queues:\n  byggjesak: {{unit: plan_bygg, name: Byggjesak{queue}}}\n",
        encoding="utf-8",
    )
    return path


def test_the_file_sets_the_policy_and_a_file_without_it_keeps_it(db: Any, tmp_path: Path) -> None:
    load_organisation(write(tmp_path, ""))
    assert Queue.objects.get(code="byggjesak").filing == FilingPolicy.CHOICE  # the default
    load_organisation(write(tmp_path, ", filing: always"))
    assert Queue.objects.get(code="byggjesak").filing == FilingPolicy.ALWAYS
    # Set by the archivist in the admin, left alone by a file that does not say.
    Queue.objects.filter(code="byggjesak").update(filing=FilingPolicy.NEVER)
    load_organisation(write(tmp_path, ""))
    assert Queue.objects.get(code="byggjesak").filing == FilingPolicy.NEVER


def test_an_unknown_policy_is_refused(db: Any, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="filing must be one of always, never, choice"):
        load_organisation(write(tmp_path, ", filing: sometimes"))
    assert not Queue.objects.exists()


def test_the_demo_files_applications_and_access_requests_but_not_bookings(db: Any) -> None:
    load_organisation(DEMO)
    policy = dict(Queue.objects.values_list("code", "filing"))
    assert policy["byggjesak"] == policy["innsyn"] == policy["helse"] == FilingPolicy.ALWAYS
    assert policy["utleige"] == policy["ekstern"] == FilingPolicy.NEVER
    assert policy["faktura"] == FilingPolicy.CHOICE
