"""Loading the organisation from YAML, and who may change service guarantees."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from tenestetorget.organisation import permissions
from tenestetorget.organisation.models import Queue, Role, ServiceGuarantee, StaffProfile, Unit
from tenestetorget.organisation.services import load_organisation, set_guarantee

pytestmark = pytest.mark.django_db

DEMO_QUEUES = Path(__file__).resolve().parents[2] / "demo" / "data" / "queues.yaml"

ORG = """
units:
  tenestetorget: {name: Tenestetorget}
  teknisk: {name: Teknisk drift}
queues:
  vatn_avlop: {unit: teknisk, name: Vatn og avløp, scope: Vatn}
  veg: {unit: teknisk, name: Vegar}
  utleige: {unit: tenestetorget, name: Utleige}
guarantees:
  - {queue: "*", channel: email, answer_working_days: 2, interim_reply_working_days: 10}
  - {queue: veg, channel: phone, answer_working_days: 1, text: Svar innan 1 arbeidsdag.}
staff:
  - {username: ase, first_name: Åse, last_name: Tveiten, unit: tenestetorget,
     role: front_desk, password: demo}
  - {username: olav, first_name: Olav, last_name: Haugen, unit: teknisk, role: unit_leader}
"""


@pytest.fixture
def org_file(tmp_path: Path) -> Path:
    path = tmp_path / "org.yaml"
    path.write_text(ORG, encoding="utf-8")
    return path


def test_load_is_idempotent(org_file: Path) -> None:
    first = load_organisation(org_file)
    second = load_organisation(org_file)
    assert (first.units_created, first.queues_created, first.staff_created) == (2, 3, 2)
    assert (second.units_created, second.queues_created, second.staff_created) == (0, 0, 0)
    assert Unit.objects.count() == 2
    assert Queue.objects.count() == 3
    assert ServiceGuarantee.objects.count() == 4
    ase = get_user_model().objects.get(username="ase")
    assert ase.check_password("demo")
    assert permissions.role_of(ase) == Role.FRONT_DESK


def test_demo_queue_codes_load(db: Any) -> None:
    report = load_organisation(DEMO_QUEUES)
    assert report.queues_created == 25
    assert set(Queue.objects.values_list("code", flat=True)) >= {
        "byggjesak",
        "motorferdsel",
        "vatn_avlop",
        "innsyn",
        "ekstern",
    }


def test_unknown_unit_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("queues:\n  x: {unit: nowhere, name: X}\n", encoding="utf-8")
    with pytest.raises(ValidationError):
        load_organisation(path)
    assert Queue.objects.count() == 0  # the transaction rolled back


def test_command_reports_and_fails_clearly(org_file: Path, tmp_path: Path, capsys: Any) -> None:
    call_command("load_organisation", str(org_file))
    assert "Queues: 3 new" in capsys.readouterr().out
    with pytest.raises(CommandError, match="No such file"):
        call_command("load_organisation", str(tmp_path / "missing.yaml"))


def test_set_guarantee_permissions(org_file: Path) -> None:
    load_organisation(org_file)
    olav = get_user_model().objects.get(username="olav")
    ase = get_user_model().objects.get(username="ase")
    water = Queue.objects.get(code="vatn_avlop")
    rental = Queue.objects.get(code="utleige")
    guarantee = set_guarantee(actor=olav, queue=water, channel="email", answer_working_days=3)
    assert guarantee.answer_working_days == 3
    with pytest.raises(PermissionDenied):
        set_guarantee(actor=olav, queue=rental, channel="email", answer_working_days=3)
    with pytest.raises(PermissionDenied):
        set_guarantee(actor=ase, queue=water, channel="email", answer_working_days=3)
    StaffProfile.objects.filter(user=ase).update(role=Role.ADMINISTRATOR)
    ase = get_user_model().objects.get(username="ase")
    set_guarantee(actor=ase, queue=rental, channel="letter", answer_working_days=5)
    with pytest.raises(ValidationError):
        set_guarantee(actor=ase, queue=rental, channel="fax", answer_working_days=5)


def test_unit_email_is_loaded_and_kept_when_the_file_names_none(db: None, tmp_path: Any) -> None:
    from tenestetorget.organisation.models import Unit
    from tenestetorget.organisation.services import load_organisation

    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text("units:\n  teknisk: {name: Teknisk, email: teknisk@x.no}\n")
    second.write_text("units:\n  teknisk: {name: Teknisk drift}\n")
    load_organisation(first)
    assert Unit.objects.get(code="teknisk").email == "teknisk@x.no"
    load_organisation(second)
    unit = Unit.objects.get(code="teknisk")
    assert (unit.name, unit.email) == ("Teknisk drift", "teknisk@x.no")
