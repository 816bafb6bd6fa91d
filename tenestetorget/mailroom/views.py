"""The mail-room page (postmottak) for archivists and the front desk: today's intake, the
manual list with three candidates one click away, the quarantine with its reasons and raw
files, uploads of scanned letters, and the routing figures of the last 30 days."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tenestetorget.contact import services as contact_services
from tenestetorget.core import documents
from tenestetorget.core.file_responses import FILE_CSP
from tenestetorget.core.upload_handlers import refusal_of
from tenestetorget.mailroom import intake, selectors, sources, tasks
from tenestetorget.mailroom.models import IncomingMessage, Kind, QuarantinedAttachment, State
from tenestetorget.organisation import permissions
from tenestetorget.organisation.decorators import staff_required
from tenestetorget.organisation.queue_register import queue_by_code

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _require(request: HttpRequest) -> User:
    if not permissions.can_use_mailroom(request.user):
        raise PermissionDenied(_("Postmottaket er for arkivet og Tenestetorget."))
    return cast("User", request.user)


class ScanUploadForm(forms.Form):
    scan = forms.FileField(
        label=gettext_lazy("Skanna brev (PDF eller bilete)"),
        help_text=gettext_lazy(
            "PDF, PNG, JPEG eller TIFF, like store som vedlegg kan vere. Større skanningar "
            "legg skannaren i skannemappa."
        ),
    )

    def clean_scan(self) -> Any:
        scan = self.cleaned_data["scan"]
        # The upload handler kept none of a file over the attachment limit (core.uploads):
        # say so, rather than store what little arrived.
        if refusal_of(scan) is not None:
            raise ValidationError(
                _("Fila er større enn %(mb)s MB. Legg ho i skannemappa i staden.")
                % {"mb": int(settings.TENESTETORGET["MAX_ATTACHMENT_BYTES"]) // (1024 * 1024)}
            )
        name = str(scan.name or "")
        if not any(name.lower().endswith(s) for s in sources.SCAN_SUFFIXES):
            raise ValidationError(_("Berre PDF, PNG, JPEG og TIFF kan lesast som skanna brev."))
        return scan


def _candidates(message: IncomingMessage) -> list[dict[str, Any]]:
    """The three candidates with their queue's name, for the buttons (the register is cached:
    no query per row)."""
    result = []
    for candidate in (message.routing or {}).get("candidates", [])[:3]:
        queue = queue_by_code(str(candidate.get("queue", "")))
        if queue is not None and queue.active:
            result.append(
                {
                    "code": queue.code,
                    "name": queue.name,
                    "percent": round(100 * float(candidate.get("confidence", 0))),
                }
            )
    return result


@staff_required
def mailroom(request: HttpRequest) -> HttpResponse:
    _require(request)
    figures = selectors.figures()
    waiting = list(selectors.manual_list())
    return render(
        request,
        "mailroom/mailroom.html",
        {
            "today": selectors.today(),
            "waiting": [(m, _candidates(m)) for m in waiting],
            "quarantine": selectors.quarantine(),
            "held": selectors.held_attachments(),
            "figures": figures,
            "chart": selectors.chart(figures.days),
            "form": ScanUploadForm(),
        },
    )


@staff_required
@require_POST
def route(request: HttpRequest, pk: int) -> HttpResponse:
    """One click on a candidate: the inquiry goes to that queue (a handover, acknowledged by
    its receiver as any other), and the choice is the label of the next training."""
    user = _require(request)
    message = IncomingMessage.objects.select_related("inquiry").filter(pk=pk).first()
    if message is None or message.inquiry is None:
        raise Http404(_("Fann ikkje meldinga."))
    queue = queue_by_code(str(request.POST.get("queue", "")))
    if queue is None or not queue.active:
        messages.error(request, _("Vel eit fagområde som er i bruk."))
        return redirect("mailroom:index")
    try:
        contact_services.forward_inquiry(
            message.inquiry, user, to_queue=queue, note=_("Fordelt frå postmottaket.")
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request,
            _("%(ref)s er sendt til %(queue)s.")
            % {"ref": message.inquiry.reference, "queue": queue.name},
        )
    return redirect("mailroom:index")


@staff_required
@require_POST
def reprocess(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    message = IncomingMessage.objects.filter(pk=pk, state=State.QUARANTINED).first()
    if message is None:
        raise Http404(_("Fann ikkje meldinga i karantene."))
    done = intake.reprocess(message)
    if done.state == State.QUARANTINED:
        messages.error(request, _("Framleis i karantene: %(why)s") % {"why": done.reason})
    elif done.inquiry is not None:
        messages.success(request, _("Registrert som %(ref)s.") % {"ref": done.inquiry.reference})
    else:
        messages.success(request, done.get_state_display())
    return redirect("mailroom:index")


def _raw_response(name: str, stored: str, download_name: str) -> FileResponse:
    """The raw bytes as they arrived, only ever as a download: a quarantined message may be
    anything, and the browser must never render it."""
    response = FileResponse(
        documents.storage().open(stored, "rb"),
        as_attachment=True,
        filename=download_name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    return response


@staff_required
def raw(request: HttpRequest, pk: int) -> HttpResponseBase:
    _require(request)
    message = IncomingMessage.objects.filter(pk=pk).first()
    if message is None:
        raise Http404(_("Fann ikkje meldinga."))
    suffix = ".eml" if message.kind == Kind.EMAIL else message.raw_name[-4:]
    return _raw_response(message.raw_name, message.raw_name, f"melding-{message.pk}{suffix}")


@staff_required
def held_attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    _require(request)
    held = QuarantinedAttachment.objects.filter(pk=pk).first()
    if held is None:
        raise Http404(_("Fann ikkje vedlegget."))
    return _raw_response(held.name, held.raw_name, held.name + ".karantene")


@staff_required
@require_POST
def upload_scan(request: HttpRequest) -> HttpResponse:
    """A scanned letter: stored at once, read (OCR) by a background task."""
    _require(request)
    form = ScanUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("scan", []):
            messages.error(request, str(error))
        return redirect("mailroom:index")
    upload = form.cleaned_data["scan"]
    data = upload.read()
    name = str(upload.name)
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    message, new = intake.receive(
        data, kind=Kind.SCAN, source="upload", source_ref=name[:500], suffix=suffix
    )
    if new:
        tasks.process_message.enqueue(message.pk)
        messages.success(
            request,
            _("Brevet er lagra og blir lese no. Det kjem i lista når det er registrert."),
        )
    else:
        messages.info(request, _("Dette brevet er lagt inn før."))
    return redirect("mailroom:index")
