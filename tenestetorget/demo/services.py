"""Loading the demo municipality: its organisation, its logins and its history."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.db import transaction

from tenestetorget.contact.models import Inquiry
from tenestetorget.organisation.models import Role, StaffProfile
from tenestetorget.organisation.services import LoadReport, load_organisation

DATA_DIR = Path(__file__).resolve().parent / "data"
QUEUES_FILE = DATA_DIR / "queues.yaml"
ORGANISATION_FILE = DATA_DIR / "organisation.yaml"

#: PBKDF2 rounds for the demo users' first password hash. The full default (over a million
#: rounds, about half a second each) would add ten seconds to every demo load for passwords
#: that are published in docs/demo.md anyway. Django verifies the hash by the rounds stored
#: in it and re-hashes it with the full count at the first login (must_update).
DEMO_HASH_ITERATIONS = 1_000


def _demo_password_hash(password: str) -> str:
    hasher = get_hasher("default")
    if isinstance(hasher, PBKDF2PasswordHasher):
        return hasher.encode(password, hasher.salt(), iterations=DEMO_HASH_ITERATIONS)
    return make_password(password)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    role_label: str
    unit: str
    name: str
    title: str
    exists: bool


def _staff_specs(path: Path = ORGANISATION_FILE) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [spec for spec in data.get("staff") or [] if isinstance(spec, dict)]


def demo_is_loaded() -> bool:
    """The demo counts as loaded once there is any inquiry: then `load-demo` leaves the
    database alone, so a second `make demo` starts serving at once."""
    return Inquiry.objects.exists()


@transaction.atomic
def load_demo_organisation(
    queues_file: Path = QUEUES_FILE, organisation_file: Path = ORGANISATION_FILE
) -> tuple[LoadReport, LoadReport]:
    """Load the demo's units and queues, then its guarantees and staff, with the
    organisation service. Idempotent.

    Demo users that do not exist yet are created first with a cheap hash of their demo
    password (see DEMO_HASH_ITERATIONS); load_organisation then fills in the rest and does
    not touch an existing user's password.
    """
    user_model = get_user_model()
    existing = set(
        user_model.objects.filter(
            username__in=[s.get("username") for s in _staff_specs(organisation_file)]
        ).values_list("username", flat=True)
    )
    for spec in _staff_specs(organisation_file):
        username = spec.get("username")
        if not username or username in existing or not spec.get("password"):
            continue
        user = user_model(username=username)
        user.password = _demo_password_hash(str(spec["password"]))
        user.save()
    return load_organisation(queues_file), load_organisation(organisation_file)


def demo_logins(path: Path = ORGANISATION_FILE) -> list[DemoLogin]:
    """The demo's logins as organisation.yaml lists them, and whether each user exists."""
    specs = _staff_specs(path)
    profiles = {
        p.user.get_username(): p
        for p in StaffProfile.objects.select_related("user", "unit").filter(
            user__username__in=[s.get("username") for s in specs]
        )
    }
    labels = dict(Role.choices)
    logins = []
    for spec in specs:
        username = str(spec.get("username", ""))
        profile = profiles.get(username)
        role = str(spec.get("role", ""))
        logins.append(
            DemoLogin(
                username=username,
                password=str(spec.get("password", "")),
                role=role,
                role_label=str(labels.get(role, role)),
                unit=profile.unit.name if profile else str(spec.get("unit", "")),
                name=f"{spec.get('first_name', '')} {spec.get('last_name', '')}".strip(),
                title=str(spec.get("title", "")),
                exists=profile is not None,
            )
        )
    return logins
