"""The journal search and the restanse list."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenestetorget.organisation.permissions import RECORDS_EVERYWHERE, profile_of, role_of
from tenestetorget.records.forms import JournalSearchForm, RestanseForm
from tenestetorget.records.screening_view import MASK, hidden_entries
from tenestetorget.records.search import Cursor, JournalFilter, keyset_page, search_journal
from tenestetorget.records.selectors import restanse, restanse_counts
from tenestetorget.records.views.common import (
    cursor_of,
    query_without_cursor,
    records_staff_required,
    user_of,
)

#: Rows of the restanse list per page.
RESTANSE_PAGE = 50


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
            "hidden": hidden,
            "mask": MASK,
            "query": query_without_cursor(request.GET),
        },
    )


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
    rows = restanse(user, unit=unit, officer=officer)
    # Oldest first by journaldato, then by id: the keyset the pager continues from.
    page = keyset_page(
        rows, "journaldato", cursor_of(request), descending=False, limit=RESTANSE_PAGE
    )
    hidden = hidden_entries(user, page.rows)
    return render(
        request,
        "records/restanse.html",
        {
            "form": form,
            "page": page,
            "hidden": hidden,
            "mask": MASK,
            "counts": restanse_counts(user),
            "unit": unit,
            "officer": officer,
            "query": query_without_cursor(request.GET),
            "first_page": not isinstance(cursor_of(request), Cursor),
        },
    )
