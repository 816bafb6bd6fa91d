"""The login page in a real browser: accessible, and a wrong password is told plainly."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_has_no_serious_accessibility_violations(
    page: Page, assert_accessible: Callable[[Page], None]
) -> None:
    page.goto("/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logg inn")
    expect(page.get_by_label("Brukarnamn")).to_be_visible()
    expect(page.get_by_label("Passord")).to_be_visible()
    assert_accessible(page)


def test_wrong_password_keeps_you_on_the_login_page(
    page: Page, assert_accessible: Callable[[Page], None]
) -> None:
    get_user_model().objects.create_user("kari", password="rett-passord-123")
    page.goto("/login/")
    page.get_by_label("Brukarnamn").fill("kari")
    page.get_by_label("Passord").fill("feil-passord")
    page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)


def test_axe_check_fails_readably_on_a_real_violation(
    page: Page, assert_accessible: Callable[[Page], None]
) -> None:
    """The check itself can fail: an image without alt text and an unlabelled field are
    critical, and the failure names the rule and the element."""
    page.set_content(
        '<html lang="nn"><head><title>t</title></head><body><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text">'
        "</main></body></html>"
    )
    with pytest.raises(pytest.fail.Exception) as failed:
        assert_accessible(page)
    report = str(failed.value)
    assert "[critical] image-alt" in report
    assert "[critical] label" in report
    assert "<img src=" in report
