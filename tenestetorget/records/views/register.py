"""Registering a post by hand: a letter that came on paper (scanned), or one that goes out.

The files are stored in the document store (core.documents.store) *before* anything else is
done with them, outside the registration's transaction: a refusal of the registration (no
sender, a closed case, a wrong number) keeps them, and the form comes back listing them, so
nothing has to be scanned or uploaded again. The stored files travel with the form as signed
ids, which only this form can have made.

Each rendering of the form carries a one-time id (`submission_id`). The post it registers is
remembered under that id in the same transaction (RegistrationSubmission, unique), so a double
click or a resent POST goes to the post already registered instead of making a second one;
when the two requests run at once, the second waits on the unique index, fails, and is rolled
back whole (its numbers given back).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tenestetorget.core import documents as store
from tenestetorget.core.models import Document
from tenestetorget.core.uploads import attachment_name
from tenestetorget.records import services
from tenestetorget.records.forms import RegisterForm, active_series, apply_service_errors
from tenestetorget.records.models import (
    CaseFolder,
    Journalposttype,
    Korrespondanseparttype,
    RegistrationSubmission,
    RegistryEntry,
    TilknyttetRegistreringSom,
)
from tenestetorget.records.search import parse_number, visible_cases
from tenestetorget.records.views.common import records_staff_required, user_of

SALT = "records.register.kept-files"
#: How long a form's stored files may be picked up again.
KEPT_MAX_AGE = 24 * 3600

#: The party a post of each type is registered with.
PARTY_TYPE = {
    Journalposttype.INNGAAANDE: Korrespondanseparttype.AVSENDAR,
    Journalposttype.UTGAAANDE: Korrespondanseparttype.MOTTAKAR,
    Journalposttype.INTERNT_MED_OPPFOELGING: Korrespondanseparttype.INTERN_MOTTAKAR,
    Journalposttype.INTERNT_UTAN_OPPFOELGING: Korrespondanseparttype.INTERN_MOTTAKAR,
}

#: Service refusals that belong next to a field of the form.
FIELD_OF_CODE = {
    "no_sender": "party_name",
    "no_recipient": "party_name",
    "case_closed": "saksnummer",
}

Kept = list[tuple[Document, str]]


def _kept(signed: str) -> Kept:
    """The files stored on an earlier try of this form, in the order they were sent."""
    if not signed:
        return []
    try:
        pairs = signing.loads(signed, salt=SALT, max_age=KEPT_MAX_AGE)
    except signing.BadSignature:
        return []
    found = Document.objects.in_bulk([pk for pk, _name in pairs])
    return [(found[pk], name) for pk, name in pairs if pk in found]


def _store_new(request: HttpRequest) -> tuple[Kept, list[str]]:
    """Store each uploaded file (checked as every upload is); the messages of those refused."""
    stored: Kept = []
    errors: list[str] = []
    for upload in request.FILES.getlist("uploads"):
        name = attachment_name(upload.name)
        try:
            stored.append((store.store(upload, name=name, actor=request.user), name))
        except ValidationError as exc:
            errors.extend(exc.messages)
    return stored, errors


def _as_datetime(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _case_for(data: dict[str, Any], user: Any) -> CaseFolder:
    number = parse_number(data.get("saksnummer") or "")
    if number is not None:
        case = visible_cases(user).filter(saksaar=number[0], sakssekvensnummer=number[1]).first()
        if case is None:
            raise ValidationError(
                {
                    "saksnummer": _("Fann inga sak %(number)s som du har tilgang til.")
                    % {"number": data["saksnummer"]}
                }
            )
        return case
    series = active_series()
    if series is None:
        raise ValidationError(
            _("Det finst ingen aktiv arkivdel for nye saker. Be arkivaren opprette ein.")
        )
    return services.create_saksmappe(
        series,
        data["case_title"].strip(),
        data["unit"],
        saksansvarlig=data["officer"],
        actor=user,
        klasse=data.get("case_class"),
    )


def _submission_id(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value or ""))
    except ValueError:
        return None


def _registered_by(submission_id: uuid.UUID | None) -> RegistryEntry | None:
    """The post an earlier POST of the same rendered form registered, if any."""
    if submission_id is None:
        return None
    done = (
        RegistrationSubmission.objects.select_related("registry_entry")
        .filter(submission_id=submission_id)
        .first()
    )
    return done.registry_entry if done is not None else None


def _already_registered(request: HttpRequest, entry: RegistryEntry) -> HttpResponse:
    messages.info(
        request,
        _(
            "Skjemaet var alt sendt: posten er registrert som %(id)s "
            "og blir ikkje registrert på nytt."
        )
        % {"id": entry.registrerings_id},
    )
    return redirect("records:entry", pk=entry.pk)


@transaction.atomic
def _register(
    data: dict[str, Any], files: Kept, user: Any, submission_id: uuid.UUID | None = None
) -> RegistryEntry:
    """The case (found or new), the post with its party, the screening and the documents,
    and the form's submission id: all or nothing."""
    case = _case_for(data, user)
    kind = data["journalposttype"]
    parties = []
    if data.get("party_name", "").strip():
        parties.append(
            services.Party(
                korrespondanseparttype=PARTY_TYPE[kind],
                korrespondansepart_navn=data["party_name"].strip(),
                postadresse=data.get("party_address", ""),
                postnummer=data.get("party_postcode", ""),
                poststed=data.get("party_place", ""),
                epostadresse=data.get("party_email", ""),
                is_person=bool(data.get("party_is_person")),
            )
        )
    entry = services.register_journalpost(
        case,
        kind,
        data["tittel"],
        user,
        parties=parties,
        offentlig_tittel=data.get("offentlig_tittel", ""),
        dokumentets_dato=data.get("dokumentets_dato"),
        mottatt_dato=_as_datetime(data.get("mottatt_dato")),
        sendt_dato=_as_datetime(data.get("sendt_dato")),
        forfallsdato=data.get("forfallsdato"),
        saksbehandler=data["officer"],
    )
    if data.get("screen"):
        services.add_skjerming(
            entry,
            data["tilgangsrestriksjon"],
            data["skjermingshjemmel"],
            data["skjerming_metadata"],
            user,
        )
    for number, (stored, name) in enumerate(files):
        main = number == 0
        document = services.add_dokument(
            entry,
            data["tittel"] if main else name,
            user,
            tilknyttet_registrering_som=TilknyttetRegistreringSom.HOVUDDOKUMENT
            if main
            else TilknyttetRegistreringSom.VEDLEGG,
        )
        services.add_dokumentobjekt_from_file(document, user, stored)
    if submission_id is not None:
        # Last, so that a second request with the same id (a double click) has waited on the
        # case's and the journal's numbers already; it fails here and gives them back.
        RegistrationSubmission.objects.create(submission_id=submission_id, registry_entry=entry)
    return entry


@records_staff_required
def register(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    kept: Kept = []
    if request.method != "POST":
        form = RegisterForm(user=user)
    else:
        submission_id = _submission_id(request.POST.get("submission_id"))
        earlier = _registered_by(submission_id)
        if earlier is not None:
            # A double click or a resent POST: the post already registered, nothing stored.
            return _already_registered(request, earlier)
        kept = _kept(request.POST.get("kept_files", ""))
        new, file_errors = _store_new(request)
        kept += new
        data = request.POST.copy()
        data["kept_files"] = (
            signing.dumps([(doc.pk, name) for doc, name in kept], salt=SALT) if kept else ""
        )
        form = RegisterForm(data, user=user)
        if form.is_valid() and not file_errors:
            try:
                entry = _register(form.cleaned_data, kept, user, submission_id)
            except IntegrityError:
                # The same form sent twice at once: the other request registered it.
                earlier = _registered_by(submission_id)
                if earlier is None:
                    raise
                return _already_registered(request, earlier)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                field = FIELD_OF_CODE.get(getattr(exc, "code", None) or "")
                if field:
                    for text in exc.messages:
                        form.add_error(field, text)
                else:
                    apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Registrert som %(id)s i sak %(case)s.")
                    % {"id": entry.registrerings_id, "case": entry.case_folder.mappe_id},
                )
                return redirect("records:entry", pk=entry.pk)
        for text in file_errors:
            form.add_error("uploads", text)
    return render(
        request,
        "records/register.html",
        {
            "form": form,
            "kept": [name for _doc, name in kept],
            "has_series": active_series() is not None,
        },
        status=400 if request.method == "POST" else 200,
    )
