"""Screened records in full only for the officers of the case and those granted access."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from tenestetorget.organisation.models import Role, StaffProfile
from tenestetorget.records import access, services
from tenestetorget.records.models import CaseFolder, RegistryEntry


@pytest.fixture
def colleague(staff: dict[str, Any]) -> Any:
    """A case officer in the same unit as the case, but not an officer of it."""
    user = get_user_model().objects.create_user(username="kollega", password="x")
    StaffProfile.objects.create(
        user=user, unit=staff["builder"].staff_profile.unit, role=Role.CASE_OFFICER
    )
    return user


def test_unscreened_posts_hide_nothing(
    register: Callable[..., RegistryEntry], colleague: Any
) -> None:
    entry = register()
    assert access.hidden_entry_ids(colleague, [entry]) == set()
    assert access.can_see(colleague, entry)


def test_screened_post_only_for_officers_and_grantees(
    register: Callable[..., RegistryEntry], staff: dict[str, Any], colleague: Any
) -> None:
    entry = register()
    other = register()
    services.add_skjerming(entry, "13", "Offl. § 13 jf. fvl. § 13", ["TR1"], staff["builder"])
    assert access.hidden_entry_ids(colleague, [entry, other]) == {entry.pk}
    assert access.hidden_entry_ids(staff["archivist"], [entry]) == {entry.pk}
    assert access.hidden_entry_ids(None, [entry]) == {entry.pk}
    assert access.can_see(staff["builder"], entry)  # the officer of the case
    assert not access.can_see(colleague, entry)

    with pytest.raises(ValidationError):
        access.grant_access(entry, colleague, staff["archivist"], "  ")
    with pytest.raises(PermissionDenied):
        access.grant_access(entry, colleague, staff["builder"], "Vikar i saka")
    grant = access.grant_access(entry, colleague, staff["archivist"], "Vikar i saka")
    assert grant.granted_by == "Arkivar Test"
    assert access.can_see(colleague, entry)
    assert access.visible_screened_ids(colleague, [entry, other]) == {entry.pk}
    with pytest.raises(ValidationError):
        access.grant_access(entry, colleague, staff["archivist"], "Igjen")


def test_case_screening_covers_its_posts(
    case: CaseFolder,
    register: Callable[..., RegistryEntry],
    staff: dict[str, Any],
    colleague: Any,
) -> None:
    entry = register()
    services.add_skjerming(case, "13", "Offl. § 13", ["TM1", "NPS"], staff["builder"])
    assert access.hidden_entry_ids(colleague, [entry]) == {entry.pk}
    assert not access.can_see(colleague, case)
    assert access.can_see(staff["builder"], case)
    access.grant_access(case, colleague, staff["archivist"], "Overteke saka")
    assert access.hidden_entry_ids(colleague, [entry]) == set()
    assert access.can_see(colleague, case)


def test_queries_do_not_grow(
    register: Callable[..., RegistryEntry],
    staff: dict[str, Any],
    colleague: Any,
    django_assert_max_num_queries: Any,
) -> None:
    entries = [register() for _ in range(10)]
    for entry in entries[::2]:
        services.add_skjerming(entry, "13", "Offl. § 13", ["TR1"], staff["builder"])
    with django_assert_max_num_queries(3):
        assert len(access.hidden_entry_ids(colleague, entries)) == 5
