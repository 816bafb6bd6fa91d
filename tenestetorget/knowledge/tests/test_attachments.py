"""Files with articles: who may add and remove them, what is refused, loading them from the
content folder, and the staff page's form."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from tenestetorget.core import documents
from tenestetorget.core.models import Document
from tenestetorget.knowledge import services
from tenestetorget.knowledge.models import Article, ArticleAttachment
from tenestetorget.knowledge.tests.conftest import CONTENT
from tenestetorget.organisation.models import Role, StaffProfile, Unit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a small file\n"


def staff(username: str, unit: str, role: str = Role.CASE_OFFICER) -> Any:
    user = get_user_model().objects.create_user(username, password="pw")
    StaffProfile.objects.create(user=user, unit=Unit.objects.get(code=unit), role=role)
    return user


def pdf(name: str = "skjema.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/pdf")


def test_content_files_bring_their_attachments_once(content: Any) -> None:
    article = Article.objects.get(slug="byggjesoknad-garasje")
    attachment = article.attachments.get()
    assert attachment.title == "Sjekkliste for byggjesøknaden"
    assert attachment.original_name == "sjekkliste-byggjesoknad.pdf"
    assert attachment.file_type == "PDF"
    assert attachment.stored_file is not None
    assert documents.read_verified(attachment.stored_file).startswith(b"%PDF")
    assert content.attachments == 1
    again = services.load_content(CONTENT)
    assert again.attachments == 0
    assert article.attachments.count() == 1


def test_the_owning_unit_adds_and_removes_a_file(content: Any) -> None:
    article = Article.objects.get(slug="vasslekkasje")  # owned by teknisk
    editor = staff("tove", "teknisk")
    attachment = services.add_attachment(
        article, pdf(), title="  Skjema for melding om lekkasje ", actor=editor
    )
    assert attachment.title == "Skjema for melding om lekkasje"
    assert attachment.size == len(PDF)
    assert attachment.uploaded_by == editor
    assert attachment.stored_file is not None
    stored = attachment.stored_file.storage_name
    assert documents.storage().exists(stored)
    with pytest.raises(PermissionDenied):
        services.remove_attachment(attachment, actor=staff("petter", "plan_bygg"))
    services.remove_attachment(attachment, actor=editor)
    assert not ArticleAttachment.objects.filter(pk=attachment.pk).exists()
    # Nothing else refers to the file, so it leaves the store with the attachment.
    assert not Document.objects.filter(storage_name=stored).exists()


def test_other_units_may_not_add_files(content: Any) -> None:
    article = Article.objects.get(slug="vasslekkasje")
    with pytest.raises(PermissionDenied):
        services.add_attachment(article, pdf(), title="X", actor=staff("petter", "plan_bygg"))
    assert not article.attachments.exists()


@pytest.mark.parametrize(
    ("upload", "title", "field", "message"),
    [
        (pdf("side.html", b"<script>alert(1)</script>"), "Side", "file", "type vi ikkje tek imot"),
        (pdf("teikning.svg", b"<svg/>"), "Teikning", "file", "type vi ikkje tek imot"),
        (pdf("stor.pdf", b"x" * 2048), "Stor", "file", "er for stor"),
        (pdf(), "   ", "title", "Skriv ein tittel"),
        (pdf(), "x" * 201, "title", "høgst 200 teikn"),
    ],
)
def test_bad_files_and_titles_are_refused_with_a_reason(
    content: Any, settings: Any, upload: Any, title: str, field: str, message: str
) -> None:
    settings.TENESTETORGET = {**settings.TENESTETORGET, "MAX_ATTACHMENT_BYTES": 1024}
    article = Article.objects.get(slug="vasslekkasje")
    with translation.override("nn"), pytest.raises(ValidationError) as caught:
        services.add_attachment(article, upload, title=title, actor=staff("tove", "teknisk"))
    assert message in " ".join(caught.value.message_dict[field])
    assert not article.attachments.exists()


def test_the_refusal_follows_the_language(content: Any) -> None:
    article = Article.objects.get(slug="vasslekkasje")
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.add_attachment(article, pdf("x.exe"), title="", actor=staff("tove", "teknisk"))
    assert caught.value.message_dict["title"] == ["Enter a title that says what the file is."]
    assert "not accept" in caught.value.message_dict["file"][0]


def test_the_staff_page_adds_lists_and_removes_files(content: Any) -> None:
    client = Client()
    client.force_login(staff("tove", "teknisk"))
    url = "/tenestetorget/kunnskap/vasslekkasje/"
    response = client.post(
        f"{url}vedlegg/", {"title": "Skjema for lekkasje", "file": pdf()}, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vedlegget «Skjema for lekkasje» er lagt til." in page
    attachment = ArticleAttachment.objects.get(title="Skjema for lekkasje")
    assert f"/vedlegg/{attachment.pk}/skjema.pdf" in page
    response = client.post(f"{url}vedlegg/{attachment.pk}/slett/", follow=True)
    assert "er fjerna" in response.content.decode()
    assert not ArticleAttachment.objects.filter(article__slug="vasslekkasje").exists()


def test_a_refused_file_keeps_the_title_and_says_why(content: Any) -> None:
    client = Client()
    client.force_login(staff("tove", "teknisk"))
    response = client.post(
        "/tenestetorget/kunnskap/vasslekkasje/vedlegg/",
        {"title": "Skjema for lekkasje", "file": pdf("virus.exe")},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Skjema for lekkasje"' in page
    assert "er av ein type vi ikkje tek imot" in page
    assert "Vel fila på nytt" in page
    assert not ArticleAttachment.objects.filter(article__slug="vasslekkasje").exists()


def test_only_editors_see_the_form_and_may_post(content: Any) -> None:
    client = Client()
    client.force_login(staff("petter", "plan_bygg"))
    page = client.get("/tenestetorget/kunnskap/vasslekkasje/").content.decode()
    assert "Legg til vedlegg" not in page
    response = client.post(
        "/tenestetorget/kunnskap/vasslekkasje/vedlegg/", {"title": "X", "file": pdf()}
    )
    assert response.status_code == 403
    assert not ArticleAttachment.objects.filter(article__slug="vasslekkasje").exists()
