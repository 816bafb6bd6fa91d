"""The knowledge base (kunnskapsbase): articles and service pages that generalists answer from
and citizens find on the web, with fees as data and a history of every change."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenestetorget.organisation.models import Queue, Unit


class Kind(models.TextChoices):
    ARTICLE = "article", _("Kunnskapsartikkel")
    SERVICE = "service", _("Tenesteside")


class Audience(models.TextChoices):
    PUBLIC = "public", _("Offentleg")
    INTERNAL = "internal", _("Berre internt")


class LifeSituation(models.Model):
    """A life situation the service catalogue is browsed by (e.g. «Hytte og fritidsbustad»)."""

    code = models.SlugField(max_length=60, unique=True)
    name_nn = models.CharField(max_length=200)
    name_nb = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name_nn

    def name_in(self, language: str) -> str:
        return str(getattr(self, f"name_{language}", "") or self.name_nn)


class Article(models.Model):
    """One article or service page; its text lives in one version per language."""

    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ARTICLE)
    queue = models.ForeignKey(
        Queue, on_delete=models.PROTECT, null=True, blank=True, related_name="articles"
    )
    owner = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="articles")
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.PUBLIC)
    tags = models.JSONField(default=list, blank=True)
    synonyms = models.JSONField(default=list, blank=True)
    life_situations = models.ManyToManyField(LifeSituation, blank=True, related_name="articles")
    review_date = models.DateField(_("kontrollerast innan"))
    review_reminded_at = models.DateTimeField(null=True, blank=True)
    published = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]
        indexes = [models.Index(fields=["review_date"], name="article_review")]

    def __str__(self) -> str:
        return self.slug


class ArticleVersion(models.Model):
    """The text of an article in one language. `body`, `who`, `how` and `legal_basis` are
    Markdown; fees are written as [[gebyr:CODE]] and rendered from Fee at read time."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(max_length=5, choices=settings.LANGUAGES)
    title = models.CharField(max_length=300)
    summary = models.TextField()
    body = models.TextField(blank=True)
    who = models.TextField(blank=True)
    how = models.TextField(blank=True)
    legal_basis = models.TextField(blank=True)
    # Normalised, decompounded and stemmed words for the search index (see search_text.py).
    search_title = models.TextField(blank=True, editable=False)
    search_keywords = models.TextField(blank=True, editable=False)
    search_body = models.TextField(blank=True, editable=False)
    # The same terms stemmed, each once: ranking compares query stems with these sets without
    # stemming whole texts per query.
    stems_title = models.TextField(blank=True, editable=False)
    stems_keywords = models.TextField(blank=True, editable=False)
    stems_body = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "language"], name="version_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.article.slug} ({self.language})"


class ArticleRevision(models.Model):
    """A snapshot of a version as it was saved: the history of changes. Append-only."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    language = models.CharField(max_length=5)
    title = models.CharField(max_length=300)
    summary = models.TextField()
    body = models.TextField(blank=True)
    who = models.TextField(blank=True)
    how = models.TextField(blank=True)
    legal_basis = models.TextField(blank=True)
    note = models.CharField(max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.article_id} {self.language} {self.changed_at:%Y-%m-%d}"


def article_attachment_path(instance: ArticleAttachment, filename: str) -> str:
    # A random folder per file: two articles may both have a "skjema.pdf", and the name of a
    # stored file does not reveal another.
    return f"knowledge/{uuid.uuid4().hex}/{PurePath(filename).name}"


class ArticleAttachment(models.Model):
    """A file that belongs to an article: a form, a map, a price list. Listed under the
    answer on the article's page and downloaded through a view that checks who may see the
    article (files of internal articles are for staff only)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("tittel"), max_length=200)
    # The file, in the one document store (core.Document, docs/documents.md). Empty only for
    # an attachment whose old file was missing when the files were moved there.
    stored_file = models.ForeignKey(
        "core.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="article_attachments",
    )
    # Where the file was kept before the document store; kept for one release, then removed.
    file = models.FileField(upload_to=article_attachment_path, max_length=300, blank=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def file_type(self) -> str:
        """What a reader sees of the type: PDF, DOCX, …"""
        return PurePath(self.original_name).suffix.lstrip(".").upper()


class Fee(models.Model):
    """A fee or price (gebyr) with the date it applies from. Articles show the price valid
    today, so next year's list changes every article that mentions it."""

    code = models.SlugField(max_length=80)
    valid_from = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    name_nn = models.CharField(max_length=200)
    name_nb = models.CharField(max_length=200, blank=True)
    name_en = models.CharField(max_length=200, blank=True)
    unit_nn = models.CharField(max_length=100, blank=True)
    unit_nb = models.CharField(max_length=100, blank=True)
    unit_en = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="fee_code_valid_from")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.valid_from}: {self.amount}"

    def unit_in(self, language: str) -> str:
        return str(getattr(self, f"unit_{language}", "") or self.unit_nn)


class Word(models.Model):
    """The search vocabulary: every word the knowledge base uses, for splitting compound
    words in queries and for spelling suggestions."""

    word = models.CharField(max_length=60, unique=True)

    def __str__(self) -> str:
        return self.word
