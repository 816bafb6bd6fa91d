"""Articles, fees, history and review reminders."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from tenestetorget.knowledge import rendering, services
from tenestetorget.knowledge.models import Article, ArticleRevision, ArticleVersion
from tenestetorget.knowledge.tests.conftest import CONTENT
from tenestetorget.organisation.models import Role, StaffProfile, Unit

pytestmark = pytest.mark.django_db


def staff(username: str, unit: str, role: str, email: str = "") -> Any:
    user = get_user_model().objects.create_user(username, email=email or f"{username}@k.no")
    StaffProfile.objects.create(user=user, unit=Unit.objects.get(code=unit), role=role)
    return user


def test_load_is_idempotent(content: Any) -> None:
    assert content.articles_created == 4
    revisions = ArticleRevision.objects.count()
    again = services.load_content(CONTENT)
    assert again.articles_created == 0
    assert again.versions_changed == 0
    assert ArticleRevision.objects.count() == revisions


def test_fee_follows_the_date(content: Any) -> None:
    version = ArticleVersion.objects.get(article__slug="byggjesoknad-garasje", language="nn")
    this_year = rendering.to_plain(version.summary, "nn", rendering.fees_on(dt.date(2026, 6, 1)))
    later = rendering.to_plain(version.summary, "nn", rendering.fees_on(dt.date(2099, 6, 1)))
    assert "kr\u00a09\u00a0800 per søknad" in this_year
    assert "kr\u00a012\u00a0000 per søknad" in later
    english = rendering.to_plain("[[gebyr:byggjesak_garasje]]", "en", rendering.fees_on())
    assert english == "NOK 9,800 per application"


def test_markup_is_sanitised(content: Any) -> None:
    version = ArticleVersion.objects.get(article__slug="vasslekkasje", language="nn")
    html = rendering.to_html(version.body, "nn", {})
    assert "<script>" not in html
    link = rendering.to_html("[x](javascript:alert(1)) [y](/kontakt/)", "nn", {})
    assert "javascript:" not in link
    assert 'href="/kontakt/"' in link


def test_edit_keeps_history_and_checks_owner(content: Any) -> None:
    article = Article.objects.get(slug="vasslekkasje")
    tech = staff("tech", "teknisk", Role.CASE_OFFICER)
    builder = staff("builder", "plan_bygg", Role.CASE_OFFICER)
    services.save_version(
        article, "nn", actor=tech, title="Vasslekkasje", summary="Ring oss.", body="Ny tekst."
    )
    assert article.revisions.filter(language="nn").count() == 2
    latest = article.revisions.first()
    assert latest is not None and latest.changed_by == tech
    with pytest.raises(PermissionDenied):
        services.save_version(article, "nn", actor=builder, title="x", summary="y")
    with pytest.raises(ValidationError):
        services.save_version(article, "nn", actor=tech, title="", summary="y")
    with pytest.raises(ValidationError):
        services.save_version(article, "nn", actor=tech, title="x", summary="[[gebyr:finst_ikkje]]")


def test_reminders_go_to_owner_leaders_once(content: Any) -> None:
    leader = staff("leader", "plan_bygg", Role.UNIT_LEADER, "leiar@k.no")
    staff("officer", "plan_bygg", Role.CASE_OFFICER)
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 11, 26)):
        assert services.remind_owners() == 1  # smabygg-utan-soknad's date passed in 2020
        assert services.remind_owners() == 0
    assert mail.outbox[0].to == ["leiar@k.no"]
    assert "smabygg-utan-soknad" in mail.outbox[0].body
    article = Article.objects.get(slug="smabygg-utan-soknad")
    services.mark_reviewed(article, leader, dt.date(2030, 1, 1))
    article.refresh_from_db()
    assert article.review_reminded_at is None


def test_a_list_right_after_a_line_of_text_is_a_list() -> None:
    # Editors write "Til dømes:" and the list on the next line, without a blank line.
    html = rendering.to_html("Til dømes:\n- garasje\n- uthus\n\nSå:\n1. søk\n2. vent", "nn", {})
    assert "<p>Til dømes:</p>\n<ul>\n<li>garasje</li>\n<li>uthus</li>\n</ul>" in html
    assert "<ol>\n<li>søk</li>\n<li>vent</li>\n</ol>" in html
    continued = rendering.to_html("- ein\n  lang\n- to", "nn", {})
    assert "<li>ein\n  lang</li>" in continued
    assert rendering.to_plain("Til dømes:\n- garasje", "nn", {}) == "Til dømes:\n\ngarasje"
