"""Numbering (nummerserier): gap-tolerant, unique sequences per series and year."""

from django.db import models


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
