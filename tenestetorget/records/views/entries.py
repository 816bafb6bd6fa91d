"""The journal post page (journalpost): everything about one post, and its actions.

Each action is a POST form that calls one service. A refusal (ValidationError) shows the page
again with the form as it was filled in and the service's message above it (status 400), so
nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenestetorget.core import documents as store
from tenestetorget.core.file_responses import document_response
from tenestetorget.organisation.permissions import can_manage_archive
from tenestetorget.records import access, services
from tenestetorget.records.forms import (
    AnnotationForm,
    GrantForm,
    JournalstatusForm,
    ScreeningForm,
    WriteOffForm,
    apply_service_errors,
)
from tenestetorget.records.links import sources_for
from tenestetorget.records.models import (
    AccessGrant,
    Annotation,
    ChangeLogEntry,
    CrossReference,
    Disposal,
    DocumentDescription,
    DocumentObject,
    Journalposttype,
    RegistreringKind,
    RegistryEntry,
    Screening,
    WriteOff,
)
from tenestetorget.records.screening_view import MASK, hidden_entries
from tenestetorget.records.selectors import visible_entries
from tenestetorget.records.services import ANSWER_TYPES, JOURNALSTATUS_STEPS
from tenestetorget.records.views.common import View, records_staff_required, user_of

#: Change-log fields whose values say nothing of a screened post's contents (codes, statuses,
#: numbers); every other value is masked for a reader who may not see the post.
CODE_FIELDS = {"journalstatus", "dokumentstatus", "saksstatus", "arkivertDato", "avskrivning"}


def get_entry(request: HttpRequest, pk: int) -> RegistryEntry:
    entry = (
        visible_entries(request.user)
        .select_related(
            "case_folder",
            "case_folder__series",
            "case_folder__klasse",
            "case_folder__sekundaer_klasse",
            "saksbehandler_user",
        )
        .filter(pk=pk)
        .first()
    )
    if entry is None:
        raise Http404(_("Fann ikkje journalposten."))
    return entry


def writeoff_form(request: HttpRequest, entry: RegistryEntry, data: Any = None) -> WriteOffForm:
    """The write-off form, its answers listed with screened titles masked for this user."""
    answers = answer_choices(entry)
    hidden = hidden_entries(user_of(request), answers.select_related("case_folder"))
    return WriteOffForm(data, answers=answers, hidden=set(hidden))


def answer_choices(entry: RegistryEntry) -> Any:
    """The posts that may answer `entry` in writing: outgoing or internal posts of its case."""
    return RegistryEntry.objects.filter(
        case_folder_id=entry.case_folder_id,
        kind=RegistreringKind.JOURNALPOST,
        journalposttype__in=ANSWER_TYPES,
    ).order_by("journalpostnummer")


def _entry_context(
    request: HttpRequest, entry: RegistryEntry, **bound: forms.Form
) -> dict[str, Any]:
    user = user_of(request)
    hidden = hidden_entries(user, [entry])
    is_hidden = entry.pk in hidden
    documents = list(
        DocumentDescription.objects.filter(registry_entry=entry)
        .prefetch_related(
            Prefetch(
                "document_objects",
                queryset=DocumentObject.objects.select_related("stored_file").order_by(
                    "versjonsnummer", "variantformat"
                ),
            )
        )
        .order_by("dokumentnummer")
    )
    doc_ids = [doc.pk for doc in documents]
    screenings = {
        (s.registry_entry_id, s.case_folder_id, s.document_id): s
        for s in Screening.objects.filter(
            Q(registry_entry=entry)
            | Q(case_folder_id=entry.case_folder_id)
            | Q(document__in=doc_ids)
        )
    }
    entry_screening = next((s for k, s in screenings.items() if k[0] == entry.pk), None)
    case_screening = next((s for k, s in screenings.items() if k[1] == entry.case_folder_id), None)
    doc_screenings = {k[2]: s for k, s in screenings.items() if k[2] is not None}
    changes = list(
        ChangeLogEntry.objects.filter(
            referanse_arkivenhet__in=[entry.system_id, *(doc.system_id for doc in documents)]
        ).order_by("endret_dato", "pk")
    )
    if is_hidden:
        for change in changes:
            if change.referanse_metadata not in CODE_FIELDS:
                change.tidligere_verdi = change.ny_verdi = MASK
    write_off = WriteOff.objects.select_related("answered_by").filter(registry_entry=entry).first()
    is_journalpost = entry.kind == RegistreringKind.JOURNALPOST
    can_write_off = (
        is_journalpost
        and entry.journalposttype == Journalposttype.INNGAAANDE
        and write_off is None
        and not entry.is_archived
    )
    steps = JOURNALSTATUS_STEPS.get(entry.journalstatus, set()) if is_journalpost else set()
    # The archivist lets someone see a screened post (or lets themselves, which is how they
    # read one): the panel and the grants given so far, both on the post and on its case.
    can_grant = can_manage_archive(user) and (
        entry_screening is not None or case_screening is not None
    )
    grants = (
        list(
            AccessGrant.objects.filter(
                Q(registry_entry=entry) | Q(case_folder_id=entry.case_folder_id)
            )
            .select_related("user", "registry_entry")
            .order_by("granted_at", "pk")
        )
        if can_grant
        else []
    )
    forms_: dict[str, forms.Form] = {
        "status_form": JournalstatusForm(allowed=steps),
        "note_form": AnnotationForm(),
        "writeoff_form": writeoff_form(request, entry) if can_write_off else WriteOffForm(),
        "grant_form": GrantForm(),
        "screening_form": ScreeningForm(
            initial={
                "tilgangsrestriksjon": entry_screening.tilgangsrestriksjon,
                "skjermingshjemmel": entry_screening.skjermingshjemmel,
                "skjerming_metadata": entry_screening.skjerming_metadata,
            }
            if entry_screening and not is_hidden
            else None
        ),
    }
    forms_.update(bound)
    return {
        "entry": entry,
        "case": entry.case_folder,
        "is_hidden": is_hidden,
        # As records.access says: a screened post's parties are hidden with its title.
        "names_hidden": is_hidden,
        "mask": MASK,
        "parties": list(entry.correspondence_parts.all()),
        "documents": documents,
        "doc_screenings": doc_screenings,
        "entry_screening": entry_screening,
        "case_screening": case_screening,
        "disposal": Disposal.objects.filter(registry_entry=entry).first(),
        "annotations": list(
            Annotation.objects.filter(Q(registry_entry=entry) | Q(document__in=doc_ids))
            .select_related("document")
            .order_by("merknadsdato", "pk")
        ),
        "references": list(
            CrossReference.objects.filter(
                Q(from_registry_entry=entry) | Q(to_registry_entry=entry)
            ).select_related(
                "from_case_folder", "from_registry_entry", "to_case_folder", "to_registry_entry"
            )
        ),
        "write_off": write_off,
        "answers": list(
            WriteOff.objects.filter(answered_by=entry).select_related("registry_entry")
        ),
        "changes": changes,
        "sources": sources_for([entry.pk]).get(entry.pk, []),
        "steps": steps,
        "can_write_off": can_write_off,
        "can_screen": not entry.is_archived,
        "can_grant": can_grant,
        "grants": grants,
        "panels": {
            "grant_form": can_grant,
            "status_form": bool(steps),
            "writeoff_form": can_write_off,
            "screening_form": not entry.is_archived,
            "note_form": True,
        },
        **forms_,
    }


@records_staff_required
def entry_page(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_entry(request, pk)
    return render(request, "records/entry.html", _entry_context(request, entry))


Perform = Callable[[HttpRequest, RegistryEntry, dict[str, Any]], str]


def _action(form_class: type[forms.Form], name: str, perform: Perform) -> View:
    """A POST action on one journal post: check the form, call the service, and go back to
    the page with the result; on a refusal show the page again with the form as filled in."""

    @records_staff_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        entry = get_entry(request, pk)
        kwargs: dict[str, Any] = {}
        if form_class is JournalstatusForm and entry.kind == RegistreringKind.JOURNALPOST:
            kwargs["allowed"] = JOURNALSTATUS_STEPS.get(entry.journalstatus, set())
        form = (
            writeoff_form(request, entry, request.POST)
            if form_class is WriteOffForm
            else form_class(request.POST, **kwargs)
        )
        if form.is_valid():
            try:
                message = perform(request, entry, form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, message)
                return redirect("records:entry", pk=entry.pk)
        entry = get_entry(request, pk)
        context = _entry_context(request, entry, **{name: form})
        context["open_panel"] = name
        if not context["panels"].get(name):
            # The post changed under the user (archived, written off): the panel is gone,
            # so the refusal is said above the page.
            context["refusals"] = [*form.non_field_errors()] or [
                str(error) for errors in form.errors.values() for error in errors
            ]
        return render(request, "records/entry.html", context, status=400)

    return view


def _set_status(request: HttpRequest, entry: RegistryEntry, data: dict[str, Any]) -> str:
    done = services.set_journalstatus(entry, data["journalstatus"], user_of(request))
    return _("Journalstatus er no «%(status)s».") % {"status": done.get_journalstatus_display()}


def _annotate(request: HttpRequest, entry: RegistryEntry, data: dict[str, Any]) -> str:
    services.annotate(entry, data["merknadstekst"], user_of(request))
    return _("Merknaden er lagra.")


def _write_off(request: HttpRequest, entry: RegistryEntry, data: dict[str, Any]) -> str:
    done = services.write_off(
        entry,
        user_of(request),
        how=data["how"],
        answered_by=data.get("answered_by"),
        note=data.get("note", ""),
    )
    return _("Journalposten er avskriven (%(how)s).") % {
        "how": done.get_avskrivningsmaate_display()
    }


def _screen(request: HttpRequest, entry: RegistryEntry, data: dict[str, Any]) -> str:
    services.add_skjerming(
        entry,
        data["tilgangsrestriksjon"],
        data["skjermingshjemmel"],
        data["skjerming_metadata"],
        user_of(request),
    )
    return _("Skjerminga er lagra.")


def _grant(request: HttpRequest, entry: RegistryEntry, data: dict[str, Any]) -> str:
    if not Screening.objects.filter(
        Q(registry_entry=entry) | Q(case_folder_id=entry.case_folder_id)
    ).exists():
        raise ValidationError(
            _("Journalposten er ikkje skjerma: alle som fører arkiv i eininga ser han alt."),
            code="not_screened",
        )
    grant = access.grant_access(entry, data["user"], user_of(request), data["reason"])
    return _("%(name)s har fått tilgang til journalposten.") % {
        "name": grant.user.get_full_name() or grant.user.get_username()
    }


def archivist_only(view: View) -> View:
    """Refuse others before the form is read: only the archivist grants access."""

    def wrapper(request: HttpRequest, pk: int) -> HttpResponseBase:
        if not can_manage_archive(request.user):
            raise PermissionDenied(_("Berre arkivaren kan gjere dette."))
        return view(request, pk)

    return records_staff_required(wrapper)


set_status = _action(JournalstatusForm, "status_form", _set_status)
annotate = _action(AnnotationForm, "note_form", _annotate)
write_off = _action(WriteOffForm, "writeoff_form", _write_off)
screen = _action(ScreeningForm, "screening_form", _screen)
grant = archivist_only(_action(GrantForm, "grant_form", _grant))


@records_staff_required
@require_POST
def finish_document(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    entry = get_entry(request, pk)
    document = DocumentDescription.objects.filter(pk=document_pk, registry_entry=entry).first()
    if document is None:
        raise Http404(_("Fann ikkje dokumentet."))
    try:
        services.finish_dokument(document, user_of(request))
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(
            request, _("Dokument %(n)s er ferdigstilt.") % {"n": document.dokumentnummer}
        )
    return redirect("records:entry", pk=entry.pk)


@records_staff_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    """A version of a document, read from the store with its checksum checked before the
    first byte is sent (core.file_responses.document_response: only a PDF or an image opens
    in the browser; always sandboxed, with the type its content was checked to be)."""
    obj = (
        DocumentObject.objects.select_related("stored_file", "document__registry_entry")
        .filter(pk=pk, document__registry_entry__in=visible_entries(request.user))
        .first()
    )
    if obj is None or obj.stored_file is None:
        raise Http404(_("Fann ikkje fila."))
    entry = obj.document.registry_entry
    if hidden_entries(user_of(request), [entry]):
        raise Http404(_("Fann ikkje fila."))
    stored = obj.stored_file
    suffix = PurePosixPath(stored.storage_name).suffix
    number = entry.registrerings_id.replace("/", "-")
    name = (
        f"{number}-{obj.document.dokumentnummer}-v{obj.versjonsnummer}{obj.variantformat}{suffix}"
    )
    try:
        return document_response(stored, name)
    except store.DocumentCorrupted as exc:
        # The archivist restores the file from the backup; the reader gets the reason.
        raise Http404(str(exc)) from exc
