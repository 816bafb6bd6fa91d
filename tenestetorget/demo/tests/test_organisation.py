"""The demo organisation: guarantees on every queue, about twenty staff, idempotent loading."""

from pathlib import Path

import pytest
import yaml
from django.contrib.auth import authenticate as django_authenticate
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.test import RequestFactory

from tenestetorget.demo.services import (
    DEMO_HASH_ITERATIONS,
    QUEUES_FILE,
    demo_logins,
    load_demo_organisation,
)
from tenestetorget.organisation.models import (
    Channel,
    Queue,
    Role,
    ServiceGuarantee,
    StaffProfile,
    Unit,
)

# The shared folder lies beside the repository (in CI too).
SHARED_QUEUES = Path(__file__).resolve().parents[3].parent / "shared" / "demo" / "queues.yaml"


def _snapshot():
    user_model = get_user_model()
    return {
        "units": sorted(Unit.objects.values_list("code", "name")),
        "queues": sorted(Queue.objects.values_list("code", "unit__code", "name")),
        "guarantees": sorted(
            ServiceGuarantee.objects.values_list(
                "queue__code",
                "channel",
                "answer_working_days",
                "interim_reply_working_days",
                "text",
            )
        ),
        "users": sorted(
            user_model.objects.values_list("username", "password", "is_staff", "is_superuser")
        ),
        "profiles": sorted(
            StaffProfile.objects.values_list("user__username", "unit__code", "role", "title")
        ),
    }


def test_loading_twice_changes_nothing(demo_org):
    first = _snapshot()
    load_demo_organisation()
    assert _snapshot() == first
    assert len(first["units"]) == 12
    assert len(first["queues"]) == 25


def test_every_queue_has_email_and_webform_guarantees(demo_org):
    guarantees = {
        (g.queue.code, g.channel): g for g in ServiceGuarantee.objects.select_related("queue")
    }
    for queue in Queue.objects.all():
        for channel in Channel.values:
            guarantee = guarantees.get((queue.code, channel))
            assert guarantee is not None, f"{queue.code}/{channel} has no guarantee"
            assert guarantee.text.strip(), f"{queue.code}/{channel} has no published text"
            assert 1 <= guarantee.answer_working_days <= 10
        # The promise people see on the web: e-mail and the form answered within days.
        for channel in (Channel.EMAIL, Channel.WEBFORM):
            g = guarantees[(queue.code, channel)]
            assert f"{g.answer_working_days} arbeidsdag" in g.text
    assert guarantees[("byggjesak", Channel.EMAIL)].answer_working_days == 5
    assert guarantees[("innsyn", Channel.EMAIL)].answer_working_days == 1
    assert guarantees[("innsyn", Channel.EMAIL)].interim_reply_working_days is None
    assert guarantees[("faktura", Channel.EMAIL)].answer_working_days == 2
    assert guarantees[("faktura", Channel.EMAIL)].interim_reply_working_days == 10
    assert guarantees[("faktura", Channel.LETTER)].answer_working_days == 5
    assert guarantees[("faktura", Channel.PHONE)].answer_working_days == 1


def test_staff_roles_and_units(demo_org):
    profiles = {p.user.username: p for p in StaffProfile.objects.select_related("user", "unit")}
    assert 18 <= len(profiles) <= 26
    assert {p.role for p in profiles.values()} == set(Role.values)
    assert profiles["admin"].role == Role.ADMINISTRATOR
    assert profiles["admin"].user.is_superuser
    assert profiles["tenestetorget"].role == Role.FRONT_DESK
    assert profiles["tenestetorget"].unit.code == "tenestetorget"
    front_desk = [
        p for p in profiles.values() if p.role == Role.FRONT_DESK and p.unit.code == "tenestetorget"
    ]
    assert len(front_desk) == 5
    assert profiles["teknisk"].role == Role.CASE_OFFICER
    assert profiles["teknisk"].unit.code == "teknisk"
    building = [
        p
        for p in profiles.values()
        if p.unit.code == "plan_bygg" and p.role == Role.CASE_OFFICER and "Byggjesak" in p.title
    ]
    assert len(building) == 3
    assert profiles["arkiv"].role == Role.ARCHIVIST
    assert profiles["arkiv"].unit.code == "arkiv"
    leaders = {p.unit.code for p in profiles.values() if p.role == Role.UNIT_LEADER}
    assert {"tenestetorget", "plan_bygg", "teknisk"} <= leaders
    for p in profiles.values():
        assert p.user.email.endswith("@demo.kommune.no")
        assert p.user.first_name and p.user.last_name


def authenticate(**credentials: str) -> object:
    # Login throttling (django-axes) needs the request a login comes with.
    return django_authenticate(RequestFactory().post("/login/"), **credentials)


def test_demo_password_works(demo_org):
    assert authenticate(username="tenestetorget", password="demo") is not None
    assert authenticate(username="teknisk", password="demo") is not None
    assert authenticate(username="admin", password="demo") is not None
    assert authenticate(username="tenestetorget", password="wrong") is None


def test_demo_password_hash_is_cheap_until_the_first_login(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    load_demo_organisation()
    user = get_user_model().objects.get(username="olav")
    assert user.password.startswith(f"pbkdf2_sha256${DEMO_HASH_ITERATIONS}$")
    assert authenticate(username="olav", password="demo") is not None
    # Django re-hashes it with the full number of rounds at the first login.
    user.refresh_from_db()
    algorithm, iterations, *_ = user.password.split("$")
    assert algorithm == "pbkdf2_sha256"
    assert int(iterations) == PBKDF2PasswordHasher.iterations


def test_queues_file_is_the_shared_contract():
    """Same units and queues, with the same codes, as the shared contract. Our copy quotes two
    unit names that YAML would cut at a comma, so names are compared only where the shared
    file parses to the full name; and it adds the Bokmål and English names (`name_nb`,
    `name_en`) and the archive's filing policy (`filing`), which are left out of the
    comparison."""
    if not SHARED_QUEUES.exists():
        pytest.skip("the shared contract is not on this machine")
    ours = yaml.safe_load(QUEUES_FILE.read_text(encoding="utf-8"))
    shared = yaml.safe_load(SHARED_QUEUES.read_text(encoding="utf-8"))
    ours_only = {"name_nb", "name_en", "filing"}
    assert {
        code: {key: value for key, value in spec.items() if key not in ours_only}
        for code, spec in ours["queues"].items()
    } == shared["queues"]
    assert set(ours["units"]) == set(shared["units"])
    assert ours["units"]["plan_bygg"]["name"] == "Plan, byggjesak og oppmåling"
    assert ours["units"]["landbruk"]["name"] == "Landbruk, miljø og natur"


def test_demo_logins_lists_every_login(demo_org, capsys):
    logins = {login.username: login for login in demo_logins()}
    assert logins["admin"].role == Role.ADMINISTRATOR
    assert logins["tenestetorget"].role == Role.FRONT_DESK
    assert all(login.exists and login.password == "demo" for login in logins.values())
    call_command("demo_logins")
    out = capsys.readouterr().out
    lines = out.splitlines()
    admin = next(line for line in lines if line.startswith("admin "))
    assert "demo" in admin
    assert "administrator" in admin
    assert "Rådmannen sin stab" in admin
    front = next(line for line in lines if line.startswith("tenestetorget "))
    assert "front_desk" in front
    listed = [line.split()[0] for line in lines if line.split()[:2][-1:] == ["demo"]]
    assert listed == list(logins)
