"""The demo archive and the records benchmark's bulk loader keep the records' rules: numbers
unique and without gaps, the closed period closed through and through, screened posts with
a masked public title, a restanse that is neither empty nor everything."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Exists, Max, OuterRef, Q

from tenestetorget.core.models import NumberSeries
from tenestetorget.demo import archive
from tenestetorget.demo.archive_texts import MASK
from tenestetorget.records import selectors, services
from tenestetorget.records.models import (
    ArkivdelStatus,
    CaseFolder,
    ChangeLogEntry,
    DocumentObject,
    RegistryEntry,
    Saksstatus,
    Screening,
    Series,
    WriteOff,
)

TODAY = dt.date(2026, 6, 15)


def _numbers_without_gaps(values: list[int]) -> bool:
    return sorted(values) == list(range(1, len(values) + 1))


def _assert_numbers() -> None:
    """Saksnummer and journalnummer 1..n per year, journalpostnummer 1..k per case, and the
    core.numbering series left at the highest number."""
    by_year: dict[int, list[int]] = defaultdict(list)
    year: int | None
    number: int | None
    for year, number in CaseFolder.objects.values_list("saksaar", "sakssekvensnummer"):
        assert year is not None and number is not None
        by_year[year].append(number)
    for year, numbers in by_year.items():
        assert _numbers_without_gaps(numbers), f"saksnummer {year}"
        last = NumberSeries.objects.get(series=services.CASE_SERIES, year=year).last
        assert last == max(numbers)
    journal: dict[int, list[int]] = defaultdict(list)
    for year, number in RegistryEntry.objects.values_list("journalaar", "journalsekvensnummer"):
        assert year is not None and number is not None
        journal[year].append(number)
    for year, numbers in journal.items():
        assert _numbers_without_gaps(numbers), f"journalnummer {year}"
        last = NumberSeries.objects.get(series=services.JOURNAL_SERIES, year=year).last
        assert last == max(numbers)
    per_case: dict[int, list[int]] = defaultdict(list)
    for case_id, number in RegistryEntry.objects.values_list("case_folder", "journalpostnummer"):
        assert number is not None
        per_case[case_id].append(number)
    for case in CaseFolder.objects.only("pk", "siste_journalpostnummer", "mappe_id"):
        assert _numbers_without_gaps(per_case[case.pk]), case.mappe_id
        assert case.siste_journalpostnummer == len(per_case[case.pk])
    registration_ids = list(RegistryEntry.objects.values_list("registrerings_id", flat=True))
    assert len(set(registration_ids)) == len(registration_ids)


def _assert_closed_period() -> Series:
    closed = Series.objects.get(arkivdelstatus=ArkivdelStatus.AVSLUTTA)
    assert closed.avsluttet_dato is not None
    assert not CaseFolder.objects.filter(series=closed).exclude(saksstatus="A").exists()
    posts = RegistryEntry.objects.filter(case_folder__series=closed)
    assert posts.exists()
    assert not posts.exclude(journalstatus="A").exists()
    assert not posts.filter(arkivert_dato__isnull=True).exists()
    assert not posts.filter(documents__dokumentstatus="B").exists()
    # Every incoming letter of the closed year is written off.
    assert not posts.filter(journalposttype="I", write_offs__isnull=True).exists()
    # The closed year's cases and posts are all in last year.
    assert closed.arkivperiode_start_dato is not None
    assert set(posts.values_list("journalaar", flat=True)) == {closed.arkivperiode_start_dato.year}
    return closed


def _assert_screening(minimum_share: float) -> None:
    posts = RegistryEntry.objects.count()
    screened = RegistryEntry.objects.filter(
        pk__in=Screening.objects.filter(registry_entry__isnull=False).values("registry_entry")
    )
    assert screened.count() >= minimum_share * posts
    for entry in screened:
        assert MASK in entry.offentlig_tittel, entry.registrerings_id
        assert entry.offentlig_tittel != entry.tittel
    for case in CaseFolder.objects.filter(
        pk__in=Screening.objects.filter(case_folder__isnull=False).values("case_folder")
    ):
        assert MASK in case.offentlig_tittel
        # A screened case's posts are screened too.
        assert not case.entries.exclude(pk__in=screened.values("pk")).exists()


def _assert_restanse(user: object) -> None:
    open_letters = selectors.restanse(user).count()
    incoming = RegistryEntry.objects.filter(journalposttype="I").count()
    assert 0 < open_letters < incoming / 4
    ages = {row.age_days for row in selectors.restanse(user)}
    assert len(ages) > 1, "the restanse should have letters of different ages"
    # Each post's flag (RegistryEntry.avskriven) says what its write-offs say, and the
    # restanse read by it is the restanse read from the write-offs, as before the flag.
    written_off = set(WriteOff.objects.values_list("registry_entry_id", flat=True))
    flagged = set(RegistryEntry.objects.filter(avskriven=True).values_list("pk", flat=True))
    assert flagged == written_off
    by_write_offs = (
        RegistryEntry.objects.filter(
            kind="journalpost", journalposttype="I", journalstatus__in=["J", "E"]
        )
        .exclude(case_folder__saksstatus=Saksstatus.UTGAAR)
        .exclude(Exists(WriteOff.objects.filter(registry_entry=OuterRef("pk"))))
    )
    assert set(selectors.restanse(user).values_list("pk", flat=True)) == set(
        by_write_offs.values_list("pk", flat=True)
    )


def _assert_change_log() -> None:
    archived = RegistryEntry.objects.filter(journalstatus="A").values_list("system_id", flat=True)
    logged = set(
        ChangeLogEntry.objects.filter(referanse_metadata="journalstatus", ny_verdi="A").values_list(
            "referanse_arkivenhet", flat=True
        )
    )
    assert set(archived) == logged
    write_offs = WriteOff.objects.count()
    assert ChangeLogEntry.objects.filter(referanse_metadata="avskrivning").count() == write_offs


@pytest.mark.django_db
def test_demo_archive_keeps_the_rules(demo_org: object) -> None:
    from tenestetorget.demo import history

    history.generate_history(
        count=400, days=540, seed=3, now=_noon(TODAY), progress=lambda _message: None
    )
    report = archive.load_archive(cases=60, today=TODAY, progress=lambda _message: None)
    assert report.cases == CaseFolder.objects.count() >= 60
    assert report.posts == RegistryEntry.objects.count()
    assert report.from_inquiries > 0
    _assert_numbers()
    closed = _assert_closed_period()
    this_year = Series.objects.get(arkivdelstatus=ArkivdelStatus.AKTIV)
    assert CaseFolder.objects.filter(series=this_year, saksstatus=Saksstatus.UNDER_BEHANDLING)
    assert closed.arkivperiode_start_dato == dt.date(TODAY.year - 1, 1, 1)
    _assert_screening(0.02)
    _assert_restanse(get_user_model().objects.get(username=archive.ARCHIVIST_USERNAME))
    _assert_change_log()
    # Archived posts have their PDF/A version; every version's checksum is its file's.
    archived_docs = DocumentObject.objects.filter(
        document__registry_entry__journalstatus="A"
    ).values("document")
    variants = Counter(
        DocumentObject.objects.filter(document__in=archived_docs).values_list(
            "variantformat", flat=True
        )
    )
    assert variants["P"] == variants["A"] > 0
    for obj in DocumentObject.objects.select_related("stored_file"):
        assert obj.stored_file is not None
        assert obj.sjekksum == obj.stored_file.sha256
        assert obj.filstoerrelse == obj.stored_file.size
        if obj.variantformat == "A":
            assert obj.format == "fmt/477"
    # The public journal's search table has every post, and no screened name.
    from tenestetorget.records.public import publishable_entries
    from tenestetorget.records.search_index import PublicJournalRow

    assert PublicJournalRow.objects.count() == publishable_entries().count()
    screened_names = set(
        RegistryEntry.objects.filter(
            pk__in=Screening.objects.filter(registry_entry__isnull=False).values("registry_entry")
        ).values_list("correspondence_parts__korrespondansepart_navn", flat=True)
    )
    texts = " ".join(PublicJournalRow.objects.values_list("text", flat=True))
    names = " ".join(PublicJournalRow.objects.values_list("person_names", flat=True))
    for name in screened_names:
        if (
            name
            and RegistryEntry.objects.filter(correspondence_parts__korrespondansepart_navn=name)
            .exclude(
                pk__in=Screening.objects.filter(registry_entry__isnull=False).values(
                    "registry_entry"
                )
            )
            .exists()
        ):
            continue  # the same name is a party to an unscreened post as well
        assert name.casefold() not in texts and name.casefold() not in names, name
    # Filed from the inquiries: each filed inquiry points at the incoming post it became.
    try:
        filing = apps.get_model("contact", "InquiryFiling")
    except LookupError:
        return
    filed = filing.objects.select_related("inquiry", "registry_entry")
    assert filed.count() == report.from_inquiries
    for row in filed[:20]:
        assert row.registry_entry.journalposttype == "I"
        assert row.registry_entry.mottatt_dato == row.inquiry.received_at


def _noon(day: dt.date) -> dt.datetime:
    from django.utils import timezone

    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the loader writes SQL for PostgreSQL"
)
def test_bulk_loader_keeps_the_rules() -> None:
    from benchmarks.records_dataset import ARCHIVIST_USERNAME, load_records

    load_records(3_000, progress=False)
    posts = RegistryEntry.objects.count()
    assert posts == 3_000
    assert 800 < CaseFolder.objects.count() < 1_200
    types = Counter(RegistryEntry.objects.values_list("journalposttype", flat=True))
    assert 0.44 < types["I"] / posts < 0.56
    assert 0.29 < types["U"] / posts < 0.41
    assert 0.10 < (types["N"] + types["X"]) / posts < 0.20
    _assert_numbers()
    _assert_closed_period()
    _assert_screening(0.02)
    _assert_restanse(get_user_model().objects.get(username=ARCHIVIST_USERNAME))
    _assert_change_log()
    parties = RegistryEntry.objects.aggregate(
        persons=Count("correspondence_parts", filter=Q(correspondence_parts__is_person=True)),
        organisations=Count(
            "correspondence_parts", filter=Q(correspondence_parts__is_person=False)
        ),
        most=Max("journalpostnummer"),
    )
    assert parties["persons"] > 0 and parties["organisations"] > 0
    # The staff menu counts the restanse only up to its limit, and says so beyond it.
    from tenestetorget.records.templatetags.records_tags import MENU_LIMIT, restanse_count

    archivist = get_user_model().objects.get(username=ARCHIVIST_USERNAME)
    full = selectors.restanse(archivist).count()
    assert restanse_count(archivist) == min(full, MENU_LIMIT + 1)


def test_every_screened_title_names_the_person() -> None:
    """A screened post's public title masks the name; a template without the name would give
    a public title with nothing masked."""
    from tenestetorget.demo.archive_texts import CASE_KINDS

    for kind in CASE_KINDS:
        if not kind.screened:
            continue
        assert "{namn}" in kind.case_title, kind.code
        for journalposttype in "IUNX":
            for title in kind.titles(journalposttype):
                assert "{namn}" in title, (kind.code, title)
