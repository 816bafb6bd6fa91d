"""The public journal's search table: one row per journal post in the public journal, holding
only what the public may see (records.public decides that), ready to be searched and paged.

Why a table of its own rather than queries over the records themselves: whether a word of a
title or a name is public depends on the post's and the case's screening (skjerming), its
field codes and the fødselsnummer rule, which records.public applies in Python. Searching
the stored `tittel` would find screened posts by their screened words; searching this table
cannot, since no screened word is ever written into it. It also lets every list be one
keyset query on indexed columns (journaldato, then the post), without joins or COUNT(*),
at a million posts.

The text columns are lower-cased (str.casefold) so that a plain LIKE finds any case on
SQLite and PostgreSQL alike; on PostgreSQL they carry trigram GIN indexes (migration
0008), which serve LIKE '%word%'.

Kept up to date by records.public_search (signals on the records it is made from) and
rebuilt whole with `tenestetorget rebuild-public-journal`.
"""

from __future__ import annotations

from django.db import models

from tenestetorget.records.models import RegistryEntry


class PublicJournalRow(models.Model):
    """One journal post as the public journal may show and search it."""

    entry = models.OneToOneField(
        RegistryEntry, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    journaldato = models.DateField()
    journalposttype = models.CharField(max_length=1)
    journalaar = models.PositiveIntegerField()
    journalsekvensnummer = models.PositiveIntegerField()
    saksaar = models.PositiveIntegerField()
    sakssekvensnummer = models.PositiveIntegerField()
    journalpostnummer = models.PositiveIntegerField()
    #: The public title and the public case title, casefolded ("******" where screened).
    text = models.TextField(blank=True)
    #: Public names of parties that are private persons, one a line, casefolded: searchable
    #: for a year after the journaldato only (offentlegforskrifta § 6).
    person_names = models.TextField(blank=True)
    #: Public names of organisations and public bodies, always searchable.
    organisation_names = models.TextField(blank=True)

    class Meta:
        app_label = "records"
        verbose_name = "offentleg journal (søk)"
        indexes = [
            # Newest first: every list and search pages on (journaldato, entry).
            models.Index(fields=["journaldato", "entry"], name="records_pj_date"),
            models.Index(fields=["journalaar", "journalsekvensnummer"], name="records_pj_jnr"),
            models.Index(fields=["saksaar", "sakssekvensnummer"], name="records_pj_case"),
        ]

    def __str__(self) -> str:
        return f"{self.saksaar}/{self.sakssekvensnummer}-{self.journalpostnummer}"
