"""`tenestetorget api-token USERNAME`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("api_token", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def test_prints_a_token_that_works_and_the_same_one_again(officer_a):
    key = run("arne")
    assert key == Token.objects.get(user=officer_a).key
    assert run("arne") == key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/queues/").status_code == 200


def test_rotate_replaces_the_token(officer_a):
    old = run("arne")
    new = run("arne", "--rotate")
    assert new != old
    assert list(Token.objects.filter(user=officer_a).values_list("key", flat=True)) == [new]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert client.get("/api/v1/queues/").status_code == 401


def test_unknown_user(db):
    with pytest.raises(CommandError, match="No user named «nobody»"):
        run("nobody")


def test_not_staff(outsider):
    with pytest.raises(CommandError, match="not a member of staff"):
        run("olav")
    assert not Token.objects.exists()


def test_deactivated_user(officer_a):
    officer_a.is_active = False
    officer_a.save()
    with pytest.raises(CommandError, match="deactivated"):
        run("arne")


def test_revoke_deletes_the_token_and_makes_no_new_one(officer_a):
    key = run("arne")
    assert run("arne", "--revoke") == ""
    assert not Token.objects.filter(user=officer_a).exists()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/queues/").status_code == 401
