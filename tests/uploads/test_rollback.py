"""A file stored for a transaction that rolls back is removed with it (core.uploads): for the
transaction itself, a savepoint inside it, and a transaction around a service that stored
the file and returned normally. Real commits and rollbacks (transactional tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from tenestetorget.contact.models import Attachment
from tenestetorget.contact.services import SenderData, register_inquiry
from tenestetorget.core.uploads import store_upload
from tenestetorget.knowledge import services as knowledge
from tenestetorget.knowledge.models import Article, Audience, Kind
from tenestetorget.organisation.models import Channel, Unit

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n% vedlegg\n"


class Boom(Exception):
    pass


def stored_files(settings: Any) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def register(**kwargs: Any) -> Any:
    return register_inquiry(
        channel=Channel.PHONE,
        subject="Brøyting",
        body="Når kjem brøytebilen?",
        sender=SenderData(name="Kari Nordmann", phone="35 00 00 01"),
        attachments=[SimpleUploadedFile("kart.pdf", PDF, "application/pdf")],
        **kwargs,
    )


def test_a_committed_inquiry_keeps_its_file(settings):
    inquiry = register()
    (attachment,) = Attachment.objects.filter(inquiry=inquiry)
    assert stored_files(settings) == [attachment.stored_file.storage_name]


def test_a_transaction_that_fails_after_the_inquiry_leaves_no_file(settings):
    """As the contact form's double submit: register_inquiry returns, the surrounding
    transaction then fails on the submission's unique index and rolls back."""
    with pytest.raises(IntegrityError), transaction.atomic():
        register()
        raise IntegrityError("duplicate submission id")
    assert Attachment.objects.count() == 0
    assert stored_files(settings) == []


def test_a_rolled_back_savepoint_removes_its_file_and_keeps_the_others(settings):
    with transaction.atomic():
        first = register()
        with pytest.raises(Boom), transaction.atomic():
            register()
            raise Boom
    (kept,) = Attachment.objects.all()
    assert kept.inquiry == first
    assert stored_files(settings) == [kept.stored_file.storage_name]


def test_an_article_file_of_a_failed_transaction_is_removed(settings):
    unit = Unit.objects.create(code="teknisk", name="Teknisk drift")
    article = Article.objects.create(
        slug="vasslekkasje",
        kind=Kind.ARTICLE,
        audience=Audience.PUBLIC,
        owner=unit,
        review_date="2027-01-01",
        published=True,
    )
    with pytest.raises(Boom), transaction.atomic():
        knowledge.add_attachment(
            article,
            SimpleUploadedFile("skjema.pdf", PDF),
            title="Skjema",
            actor=None,
            check_permission=False,
        )
        raise Boom
    assert stored_files(settings) == []
    knowledge.add_attachment(
        article,
        SimpleUploadedFile("skjema.pdf", PDF),
        title="Skjema",
        actor=None,
        check_permission=False,
    )
    assert len(stored_files(settings)) == 1


def test_a_file_stored_outside_a_transaction_stays(settings):
    attachment = Attachment()
    attachment.inquiry = register()
    store_upload(attachment.file, SimpleUploadedFile("notat.txt", b"Notat"))
    assert attachment.file.name in stored_files(settings)
