"""The e-mails about a booking, in the booker's language, through the one outbox
(contact.outbox: stored with the booking's transaction, sent by the background worker,
retried): confirmation with a calendar file, received (waiting for approval), denied,
cancelled, key and arrival information before arrival, and thanks after the stay."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tenestetorget.booking import ics
from tenestetorget.booking.models import BookerLink, Booking, Status
from tenestetorget.contact import outbox
from tenestetorget.contact.models import Audience, MessageKind
from tenestetorget.core.calendar import to_local

if TYPE_CHECKING:
    from tenestetorget.booking.models import Series


def link_for(email: str) -> str:
    """The booker's «mine bookingar» address (one secret link per e-mail address)."""
    found, _created = BookerLink.objects.get_or_create(email=email.strip().lower())
    return f"{settings.SITE_URL}{reverse('portal:booking_mine', args=[found.token])}"


def when(booking: Booking) -> str:
    start, end = to_local(booking.start), to_local(booking.end)
    if start.date() == end.date():
        return f"{date_format(start, 'DATE_FORMAT')} {start:%H:%M}–{end:%H:%M}"
    return (
        f"{date_format(start, 'DATE_FORMAT')} {start:%H:%M} – "
        f"{date_format(end, 'DATE_FORMAT')} {end:%H:%M}"
    )


def money(amount: Decimal) -> str:
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",") + " kr"


def _send(
    booking: Booking,
    kind: str,
    subject: str,
    body: str,
    attachments: list[dict[str, str]] | None = None,
) -> None:
    if not booking.booker_email:
        return
    outbox.store(
        audience=Audience.SENDER,
        kind=kind,
        to=[booking.booker_email],
        subject=subject,
        body=body,
        language=booking.language,
        data={"booking": booking.pk},
        attachments=attachments or [],
    )


def _footer(booking: Booking) -> str:
    return "\n".join(
        [
            "",
            _("Sjå, endre eller avbestill bookingane dine: %(url)s")
            % {"url": link_for(booking.booker_email)},
            "",
            _("Helsing Tenestetorget"),
        ]
    )


def booked(booking: Booking, *, changed: bool = False) -> None:
    """Confirmation (with the calendar file) or, when it waits for approval, a receipt."""
    with translation.override(booking.language):
        name = booking.resource.in_language()
        lines = [
            _("Hei %(name)s,") % {"name": booking.booker_name},
            "",
        ]
        if booking.status == Status.PENDING:
            subject = _("Booking motteken: %(what)s") % {"what": name}
            lines.append(
                _(
                    "Vi har fått bookinga di av %(what)s, %(when)s. Ho må godkjennast; du får "
                    "svar på e-post. Perioden er halden for deg så lenge."
                )
                % {"what": name, "when": when(booking)}
            )
            kind = MessageKind.BOOKING_RECEIVED
            attachments = None
        else:
            subject = (
                _("Endra booking: %(what)s") if changed else _("Stadfesta booking: %(what)s")
            ) % {"what": name}
            lines.append(
                _("Bookinga di av %(what)s er stadfesta: %(when)s.")
                % {"what": name, "when": when(booking)}
            )
            kind = MessageKind.BOOKING_CONFIRMATION
            attachments = [
                {
                    "filename": "booking.ics",
                    "content_type": "text/calendar; charset=utf-8; method=PUBLISH",
                    "content": ics.booking_calendar(booking),
                }
            ]
        lines += [
            "",
            _("Pris: %(price)s") % {"price": money(booking.price)},
        ]
        if booking.deposit:
            lines.append(_("Depositum: %(deposit)s") % {"deposit": money(booking.deposit)})
        if booking.price:
            lines.append(_("Faktura blir send etter leigeperioden."))
        if booking.resource.location:
            lines.append(_("Stad: %(where)s") % {"where": booking.resource.location})
        lines.append(
            _("Gratis avbestilling til %(days)s dagar før start.")
            % {"days": booking.resource.free_cancellation_days}
        )
        _send(booking, kind, subject, "\n".join(lines) + "\n" + _footer(booking), attachments)


def denied(booking: Booking, reason: str) -> None:
    with translation.override(booking.language):
        name = booking.resource.in_language()
        body = [
            _("Hei %(name)s,") % {"name": booking.booker_name},
            "",
            _("Vi kan diverre ikkje godkjenne bookinga av %(what)s, %(when)s.")
            % {"what": name, "when": when(booking)},
        ]
        if reason:
            body += ["", _("Grunn: %(why)s") % {"why": reason}]
        _send(
            booking,
            MessageKind.BOOKING_DENIED,
            _("Booking avslått: %(what)s") % {"what": name},
            "\n".join(body) + "\n" + _footer(booking),
        )


def cancelled(booking: Booking, fee: Decimal) -> None:
    with translation.override(booking.language):
        name = booking.resource.in_language()
        body = [
            _("Hei %(name)s,") % {"name": booking.booker_name},
            "",
            _("Bookinga av %(what)s, %(when)s, er avbestilt.")
            % {"what": name, "when": when(booking)},
            (_("Avbestillinga kostar %(fee)s etter vilkåra.") % {"fee": money(fee)})
            if fee
            else _("Avbestillinga er gratis."),
        ]
        _send(
            booking,
            MessageKind.BOOKING_CANCELLED,
            _("Avbestilt: %(what)s") % {"what": name},
            "\n".join(body) + "\n" + _footer(booking),
        )


def arrival(booking: Booking) -> None:
    with translation.override(booking.language):
        name = booking.resource.in_language()
        body = [
            _("Hei %(name)s,") % {"name": booking.booker_name},
            "",
            _("Velkomen til %(what)s, %(when)s.") % {"what": name, "when": when(booking)},
            "",
            booking.resource.arrival_info
            or _("Nøkkelen hentar du på Tenestetorget i opningstida."),
        ]
        _send(
            booking,
            MessageKind.BOOKING_ARRIVAL,
            _("Før du kjem: %(what)s") % {"what": name},
            "\n".join(body) + "\n" + _footer(booking),
        )


def thanks(booking: Booking) -> None:
    with translation.override(booking.language):
        name = booking.resource.in_language()
        body = [
            _("Hei %(name)s,") % {"name": booking.booker_name},
            "",
            _("Takk for at du leigde %(what)s. Vi håpar du var nøgd.") % {"what": name},
            _("Har du ris eller ros, svar gjerne på denne e-posten."),
        ]
        _send(
            booking,
            MessageKind.BOOKING_THANKS,
            _("Takk for besøket: %(what)s") % {"what": name},
            "\n".join(body) + "\n" + _footer(booking),
        )


def series_booked(
    series: Series,
    booked: list[Booking],
    skipped: Sequence[tuple[object, str]],
    *,
    changed: bool = False,
) -> None:
    first = booked[0]
    with translation.override(first.language):
        name = first.resource.in_language()
        body = [
            _("Hei %(name)s,") % {"name": first.booker_name},
            "",
            (
                _("Dei faste tidene dykkar av %(what)s er endra. Dei nye tidene:")
                if changed
                else _("Desse tidene av %(what)s er booka for dykk:")
            )
            % {"what": name},
            *[f"- {when(b)}" for b in booked],
        ]
        if skipped:
            body += [
                "",
                _("Desse datoane kunne ikkje endrast, og står som før:")
                if changed
                else _("Desse datoane var ikkje ledige:"),
                *[f"- {day}: {why}" for day, why in skipped],
            ]
        attachments = [
            {
                "filename": "serie.ics",
                "content_type": "text/calendar; charset=utf-8; method=PUBLISH",
                "content": ics.calendar_of(booked, name=name),
            }
        ]
        _send(
            first,
            MessageKind.BOOKING_CONFIRMATION,
            (_("Endra faste tider: %(what)s") if changed else _("Faste tider: %(what)s"))
            % {"what": name},
            "\n".join(body) + "\n" + _footer(first),
            attachments,
        )
