"""Files of articles on the public pages: listed under the text, downloadable by anyone for
public articles and by staff only for internal ones."""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tenestetorget.knowledge import services
from tenestetorget.knowledge.models import Article
from tenestetorget.organisation.models import Role, StaffProfile, Unit
from tenestetorget.portal.tests.test_knowledge_pages import SERVICE_URL, get, knowledge

__all__ = ["knowledge"]  # the fixture, used by name

pytestmark = pytest.mark.django_db


def _add(slug: str, name: str = "rutine.pdf") -> Any:
    article = Article.objects.get(slug=slug)
    return services.add_attachment(
        article,
        SimpleUploadedFile(name, b"%PDF-1.4 rutine", "application/pdf"),
        title="Rutine",
        actor=None,
        check_permission=False,
    )


def test_the_service_page_lists_its_files_with_type_and_size(client: Client, knowledge: Any):
    html = get(client, SERVICE_URL)
    attachment = Article.objects.get(slug="byggjesoknad-garasje").attachments.get()
    assert 'id="attachments-heading"' in html
    assert f'href="/vedlegg/{attachment.pk}/sjekkliste-byggjesoknad.pdf"' in html
    assert "Sjekkliste for byggjesøknaden" in html
    assert "(PDF, 2" in html  # kB, from the stored size
    english = get(client, SERVICE_URL, language="en")
    assert "Attachments" in english


def test_a_page_without_files_has_no_empty_section(client: Client, knowledge: Any):
    assert "attachments-heading" not in get(client, "/artikkel/vasslekkasje/")


def test_anyone_downloads_the_file_of_a_public_page(client: Client, knowledge: Any):
    attachment = Article.objects.get(slug="byggjesoknad-garasje").attachments.get()
    response = client.get(f"/vedlegg/{attachment.pk}/sjekkliste-byggjesoknad.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="sjekkliste-byggjesoknad.pdf"' in response["Content-Disposition"]
    assert response.getvalue().startswith(b"%PDF")


def test_a_wrong_name_in_the_address_is_sent_to_the_right_one(client: Client, knowledge: Any):
    attachment = Article.objects.get(slug="byggjesoknad-garasje").attachments.get()
    response = client.get(f"/vedlegg/{attachment.pk}/gammalt-namn.pdf")
    assert response.status_code == 302
    assert response["Location"] == f"/vedlegg/{attachment.pk}/sjekkliste-byggjesoknad.pdf"


def test_files_of_internal_and_unpublished_articles_are_for_staff_only(
    client: Client, knowledge: Any
):
    internal = _add("rutine-lekkasje")
    url = f"/vedlegg/{internal.pk}/rutine.pdf"
    assert client.get(url).status_code == 404
    assert client.get(f"/vedlegg/{internal.pk + 999}/x.pdf").status_code == 404
    public = Article.objects.get(slug="vasslekkasje")
    hidden = _add("vasslekkasje", "utkast.pdf")
    public.published = False
    public.save()
    assert client.get(f"/vedlegg/{hidden.pk}/utkast.pdf").status_code == 404
    officer = get_user_model().objects.create_user("tove")
    StaffProfile.objects.create(
        user=officer, unit=Unit.objects.get(code="teknisk"), role=Role.CASE_OFFICER
    )
    client.force_login(officer)
    assert client.get(url).status_code == 200
    assert client.get(f"/vedlegg/{hidden.pk}/utkast.pdf").status_code == 200


def test_a_file_name_with_spaces_and_signs_downloads(client: Client, knowledge: Any):
    attachment = _add("vasslekkasje", "Skjema for lekkasje #2 (ny).pdf")
    html = get(client, "/artikkel/vasslekkasje/")
    href = re.search(r'href="(/vedlegg/[^"]+)"', html)
    assert href is not None
    response = client.get(unescape(href.group(1)))
    assert response.status_code == 200, href.group(1)
    assert attachment.original_name in unquote(response["Content-Disposition"])
