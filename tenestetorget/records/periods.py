"""Archive periods (arkivdelar): closing one, and starting the next.

Noark practice: a period is closed (arkivdelstatus P, avslutta) only when none of its cases
is still under behandling; the archivist closes those cases or lets them run on in an
overlapping period first. Starting a new period makes the new arkivdel the active one (A)
and the old one overlapping (O): the old period's open cases still take new posts there,
new cases go into the new period, and the old one is closed once its last case is.

Only the archivist (and the administrator) manages periods. Every status change is logged
in the change log (endringslogg) like any other change of a stored field.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tenestetorget.organisation.permissions import require_archive_manager
from tenestetorget.records.models import ArkivdelStatus, CaseFolder, Saksstatus, Series
from tenestetorget.records.services import actor_name, log_change

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: How many blocking cases a refusal names in its message; all of them are on `cases`.
NAMED_IN_MESSAGE = 10


class OpenCasesInPeriod(ValidationError):
    """Closing a period refused: these cases are still under behandling."""

    def __init__(self, cases: list[CaseFolder]) -> None:
        self.cases = cases
        named = ", ".join(case.mappe_id for case in cases[:NAMED_IN_MESSAGE])
        if len(cases) > NAMED_IN_MESSAGE:
            named += " …"
        super().__init__(
            ngettext(
                "Perioden kan ikkje avsluttast: %(n)d sak er framleis under behandling "
                "(%(cases)s). Avslutt saka først.",
                "Perioden kan ikkje avsluttast: %(n)d saker er framleis under behandling "
                "(%(cases)s). Avslutt sakene først.",
                len(cases),
            )
            % {"n": len(cases), "cases": named},
            code="open_cases",
        )


def open_cases(series: Series) -> list[CaseFolder]:
    """The cases of `series` still under behandling, by saksnummer."""
    return list(
        CaseFolder.objects.filter(series=series, saksstatus=Saksstatus.UNDER_BEHANDLING)
        .only("pk", "mappe_id", "tittel", "saksaar", "sakssekvensnummer", "unit_id")
        .order_by("saksaar", "sakssekvensnummer")
    )


def _set_status(series: Series, status: str, actor: User) -> None:
    log_change(series, "arkivdelstatus", series.arkivdelstatus, status, actor)
    series.arkivdelstatus = status


@transaction.atomic
def close_series(series: Series, actor: User, today: dt.date | None = None) -> Series:
    """Close a period: arkivdelstatus P, avsluttetDato/-Av set, and the period's end date
    (today unless it has one). Refused with OpenCasesInPeriod, which names the blocking
    cases, while any of its cases is under behandling."""
    require_archive_manager(actor)
    stored: Series = Series.objects.select_for_update().get(pk=series.pk)
    if stored.arkivdelstatus == ArkivdelStatus.AVSLUTTA:
        raise ValidationError(_("Perioden er alt avslutta."), code="closed")
    # The series row is locked: a case created in it now waits, and is then refused
    # (create_saksmappe reads the status after the lock is gone).
    blocking = open_cases(stored)
    if blocking:
        raise OpenCasesInPeriod(blocking)
    _set_status(stored, ArkivdelStatus.AVSLUTTA, actor)
    stored.avsluttet_dato = timezone.now()
    stored.avsluttet_av = actor_name(actor)
    fields = ["arkivdelstatus", "avsluttet_dato", "avsluttet_av"]
    if stored.arkivperiode_slutt_dato is None:
        stored.arkivperiode_slutt_dato = today or timezone.localdate()
        fields.append("arkivperiode_slutt_dato")
    log_change(stored, "avsluttet_dato", None, stored.avsluttet_dato, actor)
    stored.save(update_fields=fields)
    series.refresh_from_db()
    return stored


@transaction.atomic
def start_next_period(
    series: Series, tittel: str, actor: User, start: dt.date | None = None
) -> Series:
    """A new active period (A) after `series`, in the same archive and classification
    system; `series` becomes overlapping (O), so its open cases can be finished there."""
    require_archive_manager(actor)
    tittel = tittel.strip()
    if not tittel:
        raise ValidationError(_("Skriv ein tittel på den nye perioden."), code="no_title")
    stored: Series = Series.objects.select_for_update().get(pk=series.pk)
    if stored.arkivdelstatus != ArkivdelStatus.AKTIV:
        raise ValidationError(
            _("Berre ein aktiv periode kan få ein ny periode etter seg."), code="not_active"
        )
    start = start or timezone.localdate()
    if stored.arkivperiode_start_dato is not None and start <= stored.arkivperiode_start_dato:
        raise ValidationError(
            _("Den nye perioden må starte etter at den gamle starta (%(date)s).")
            % {"date": stored.arkivperiode_start_dato.strftime("%d.%m.%Y")},
            code="start",
        )
    _set_status(stored, ArkivdelStatus.OVERLAPPING, actor)
    stored.save(update_fields=["arkivdelstatus"])
    new = Series.objects.create(
        archive_id=stored.archive_id,
        tittel=tittel,
        arkivdelstatus=ArkivdelStatus.AKTIV,
        arkivperiode_start_dato=start,
        classification_system_id=stored.classification_system_id,
        opprettet_av=actor_name(actor),
    )
    series.refresh_from_db()
    return new
