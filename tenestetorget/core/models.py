"""Numbering (nummerserier): gap-tolerant, unique sequences per series and year; and the one
immutable document store (core.documents)."""

from typing import Any

from django.core.files.storage import storages
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class NumberSeries(models.Model):
    """The last number given in a series (e.g. inquiries) for one year."""

    series = models.CharField(max_length=40)
    year = models.PositiveIntegerField()
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="core_numberseries_unique")
        ]

    def __str__(self) -> str:
        return f"{self.series}/{self.year}: {self.last}"


# --- documents -------------------------------------------------------------------------------
# One immutable store for every file the service keeps (core.documents): an inquiry's
# attachment, an article's attachment and an archive document are all a Document.


class DocumentImmutable(Exception):
    """A stored document was to be changed, or deleted while something refers to it."""


class DocumentQuerySet(models.QuerySet["Document"]):
    def update(self, **kwargs: object) -> int:
        # A bulk update would change stored documents behind save()'s back.
        raise DocumentImmutable("Documents are immutable: store a new one instead.")


class Document(models.Model):
    """One stored file, named by its content: the same bytes stored twice are one Document.

    Immutable: a new version of a file is a new Document. What a document *is* in a case or
    an article (its title, its version number, whether it is the original or the archival
    variant) belongs to the row that refers to it; here is only what the bytes are."""

    #: SHA-256 of the content, hex; checked again whenever the file is read.
    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField()
    #: The type the content was checked to be (core.file_types), as it is served.
    mime_type = models.CharField(max_length=127)
    #: The PRONOM format identifier (The National Archives' registry, e.g. fmt/477 for
    #: PDF/A-2b) where the type tells it; blank where it would be a guess.
    pronom = models.CharField(max_length=20, blank=True)
    #: The file's name in Django's default storage (local disk or an S3-compatible store).
    storage_name = models.CharField(max_length=255, unique=True)
    stored_at = models.DateTimeField(auto_now_add=True)
    #: Who stored it first (the user name, kept as text: Noark's opprettetAv outlives users).
    stored_by = models.CharField(max_length=150, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.sha256[:12]} ({self.mime_type}, {self.size} B)"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and self.pk is not None:
            names = [f.attname for f in self._meta.concrete_fields]
            stored = type(self).objects.filter(pk=self.pk).values(*names).first()
            if stored is not None:
                if any(stored[name] != getattr(self, name) for name in names):
                    raise DocumentImmutable(
                        f"Document {self.pk} is immutable: store the new content as a new document."
                    )
                return  # unchanged: nothing to write
        super().save(*args, **kwargs)

    def references(self) -> list[str]:
        """What refers to this document (model names), from every relation to it, including
        those of apps added later (records' document objects)."""
        found = []
        for relation in self._meta.related_objects:
            related = relation.related_model
            if related._default_manager.filter(**{relation.field.name: self}).exists():
                found.append(related._meta.label)
        return found

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        referenced = self.references()
        if referenced:
            raise DocumentImmutable(
                f"Document {self.pk} cannot be deleted: it is referred to by "
                + ", ".join(referenced)
            )
        deleted = super().delete(*args, **kwargs)
        # The file goes once the row is gone for good; a rollback keeps both.
        name = self.storage_name
        transaction.on_commit(lambda: storages["default"].delete(name))
        return deleted


class ConversionStatus(models.TextChoices):
    WAITING = "waiting", _("ventar")
    DONE = "done", _("ferdig")
    FAILED = "failed", _("feila")


class VariantFormat(models.TextChoices):
    """Noark 5's variantformat: the original is the production format (P); the archival
    variant (A) is what is deposited; a public variant (O) is a screened copy."""

    PRODUCTION = "P", _("Produksjonsformat")
    ARCHIVAL = "A", _("Arkivformat")
    PUBLIC = "O", _("Dokument der delar av innhaldet er skjerma")


class DocumentVariant(models.Model):
    """A variant of a document that was asked for (the archival PDF/A when a document is
    finalised) and how far its conversion has come. The original stays as it is; the
    variant is a Document of its own once made. Waiting rows are the conversion queue."""

    original = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="variants")
    variant_format = models.CharField(
        max_length=1, choices=VariantFormat.choices, default=VariantFormat.ARCHIVAL
    )
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="variant_of"
    )
    conversion_status = models.CharField(
        max_length=10, choices=ConversionStatus.choices, default=ConversionStatus.WAITING
    )
    #: Why it waits or failed, for the archivist (which converter is missing, what it said).
    conversion_reason = models.TextField(blank=True)
    #: The converter that made it (e.g. "ghostscript 10.00.0").
    converter = models.CharField(max_length=100, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    converted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["original", "variant_format"], name="core_documentvariant_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.original_id}/{self.variant_format}: {self.conversion_status}"
