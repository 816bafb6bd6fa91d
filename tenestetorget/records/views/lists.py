"""The journal search and the restanse list."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenestetorget.core.identifiers import mask_fodselsnummer_in_text
from tenestetorget.organisation.permissions import RECORDS_EVERYWHERE, profile_of, role_of
from tenestetorget.records.forms import JournalSearchForm, RestanseForm
from tenestetorget.records.models import Journalposttype, Journalstatus
from tenestetorget.records.screening_view import MASK, hidden_entries
from tenestetorget.records.search import Cursor, JournalFilter, keyset_page, search_journal
from tenestetorget.records.selectors import RestanseCounts, restanse, restanse_counts
from tenestetorget.records.views.common import (
    cursor_of,
    day_text,
    query_without_cursor,
    records_staff_required,
    title_text,
    url_for_pk,
    user_of,
)

#: Rows of the restanse list per page.
RESTANSE_PAGE = 50
#: The fields of a post the restanse list reads (`restanse_rows`, `hidden_entries`).
RESTANSE_FIELDS = (
    "registrerings_id",
    "tittel",
    "journaldato",
    "forfallsdato",
    "saksbehandler",
    "case_folder_id",
)


@records_staff_required
def search(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = JournalSearchForm(request.GET or None, user=user)
    page = None
    hidden: dict[int, set[str]] = {}
    if form.is_bound and form.is_valid():
        wanted: JournalFilter = form.to_filter()
        page = search_journal(user, wanted, after=cursor_of(request))
        hidden = hidden_entries(user, page.rows)
        if wanted.words or wanted.party:
            # Found by words in a title or a name the user may not read: left out, so that
            # the search does not tell what the screened title says.
            page.rows = [entry for entry in page.rows if entry.pk not in hidden]
    return render(
        request,
        "records/search.html",
        {
            "form": form,
            "page": page,
            "rows": journal_rows(page.rows, hidden) if page is not None else [],
            "query": query_without_cursor(request.GET),
        },
    )


def journal_rows(entries: list[Any], hidden: dict[int, set[str]]) -> list[dict[str, Any]]:
    """What the journal search shows of each post, computed once here rather than by the
    template's tags per row (views.common)."""
    url = url_for_pk("records:entry")
    status = {value: str(label) for value, label in Journalstatus.choices}
    rows = []
    for entry in entries:
        masked = entry.pk in hidden
        parties = (
            MASK
            if masked
            else ", ".join(
                mask_fodselsnummer_in_text(part.korrespondansepart_navn)
                for part in entry.correspondence_parts.all()
            )
        )
        rows.append(
            {
                "url": url(entry.pk),
                "registrerings_id": entry.registrerings_id,
                "journal_number": f"{entry.journalaar}/{entry.journalsekvensnummer}",
                "hidden": masked,
                "title": MASK if masked else title_text(entry.tittel),
                "type": entry.journalposttype,
                "parties": parties,
                "journaldato": day_text(entry.journaldato),
                "status": status.get(entry.journalstatus, entry.journalstatus),
                "not_written_off": entry.journalposttype == Journalposttype.INNGAAANDE
                and not entry.written_off
                and entry.journalstatus != Journalstatus.UTGAAR,
                "officer": entry.saksbehandler,
            }
        )
    return rows


@records_staff_required
def restanse_page(request: HttpRequest) -> HttpResponse:
    """The incoming posts not written off, oldest first, with their age in days; the counts
    per unit and officer at the top. A case officer sees their own unit's by default."""
    user = user_of(request)
    form = RestanseForm(request.GET or None, user=user)
    unit = officer = None
    if form.is_bound and form.is_valid():
        unit, officer = form.cleaned_data.get("unit"), form.cleaned_data.get("officer")
    elif role_of(user) not in RECORDS_EVERYWHERE:
        profile = profile_of(user)
        unit = profile.unit if profile else None
    rows = (
        restanse(user, unit=unit, officer=officer)
        # What the list shows and hidden_entries reads, nothing more: the whole post with
        # its case, the case's unit and the officer made four model instances of some 70
        # fields per row, half of the list's CPU time.
        .select_related(None)
        .annotate(unit_name=F("case_folder__unit__name"))
        .only(*RESTANSE_FIELDS)
    )
    # Oldest first by journaldato, then by id: the keyset the pager continues from.
    page = keyset_page(
        rows, "journaldato", cursor_of(request), descending=False, limit=RESTANSE_PAGE
    )
    hidden = hidden_entries(user, page.rows)
    counts = restanse_counts(user)
    return render(
        request,
        "records/restanse.html",
        {
            "form": form,
            "page": page,
            "rows": restanse_rows(page.rows, hidden),
            "counts": counts,
            "count_rows": restanse_count_rows(counts),
            "unit": unit,
            "officer": officer,
            "query": query_without_cursor(request.GET),
            "first_page": not isinstance(cursor_of(request), Cursor),
        },
    )


def restanse_rows(entries: list[Any], hidden: dict[int, set[str]]) -> list[dict[str, Any]]:
    """What the restanse list shows of each letter, computed once here rather than by the
    template's tags per row (views.common)."""
    url = url_for_pk("records:entry")
    return [
        {
            "age_days": entry.age_days,
            "url": url(entry.pk),
            "registrerings_id": entry.registrerings_id,
            "title": MASK if entry.pk in hidden else title_text(entry.tittel),
            "journaldato": day_text(entry.journaldato),
            "forfallsdato": day_text(entry.forfallsdato, "–"),
            "unit": entry.unit_name,
            "officer": entry.saksbehandler,
        }
        for entry in entries
    ]


def restanse_count_rows(counts: RestanseCounts) -> dict[str, list[dict[str, Any]]]:
    """The counts per unit and per officer as the tables at the top show them."""
    return {
        "per_unit": [
            {
                "unit": row["case_unit"],
                "name": row["unit_name"],
                "count": row["count"],
                "oldest": day_text(row["oldest"]),
            }
            for row in counts.per_unit
        ],
        "per_officer": [
            {
                "officer": row["saksbehandler_user"],
                "name": row["saksbehandler"] or "–",
                "count": row["count"],
                "oldest": day_text(row["oldest"]),
            }
            for row in counts.per_officer
        ],
    }
