"""The demo's mail room: a day of sample mail already imported through the real intake, so that
a new user sees it working. Clear matters are routed at once, vague ones wait with three
candidates, an out-of-office reply is set aside, a message nobody can read sits in the
quarantine, an attachment of a forbidden type is held back on its own, and an urgent water
leak has told its queue."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime

from django.utils import timezone

from tenestetorget.core.calendar import to_local

DOMAIN = "demo.kommune.no"

#: (minutes after 07:00, sender name, address, subject, body)
LETTERS: list[tuple[int, str, str, str, str]] = [
    (
        5,
        "Kari Nordmann",
        "kari.nordmann@example.no",
        "Søknad om skjenkeløyve",
        "Hei! Vi søkjer om skjenkeløyve for bryllaupet vårt i samfunnshuset 14. juni. "
        "Det blir om lag 80 gjester. Kva må vi sende inn?",
    ),
    (
        22,
        "Ola Haugen",
        "ola.haugen@example.no",
        "Vasslekkasje ved Storvegen 12",
        "Det fossar vatn opp frå vegen ved postkassa mi. Det ser ut som eit rør har sprukke.",
    ),
    (
        41,
        "Hytteeigar Per",
        "per.hytte@example.org",
        "Snøskuter til hytta",
        "Eg treng løyve til å køyre snøskuter med bagasje inn til hytta ved Nordvatnet i "
        "påska. Korleis søkjer eg om dispensasjon for motorferdsel?",
    ),
    (
        55,
        "Siri Berg",
        "siri.berg@example.no",
        "Faktura for kommunale avgifter",
        "Eg har fått faktura for vatn og avløp to gonger for same periode. Kan de sjå på det?",
    ),
    (
        73,
        "Anders Lie",
        "anders@example.com",
        "Byggjesøknad for garasje",
        "Vi vil byggje ein garasje på 48 kvadratmeter. Treng vi å søkje, og kor lang tid tek "
        "handsaminga?",
    ),
    (
        96,
        "Marit Dahl",
        "marit.dahl@example.no",
        "Spørsmål",
        "Hei, kan nokon ringje meg i dag? Det gjeld noko eg lurer på.",
    ),
    (
        118,
        "Nils Moen",
        "nils@example.no",
        "Brøyting",
        "Vegen opp til hyttefeltet er ikkje brøyta sidan laurdag. Kven har ansvaret for han?",
    ),
    (
        140,
        "Jon Bakke",
        "jon.bakke@example.no",
        "Førarkort",
        "Eg har mista førarkortet mitt. Kan eg få nytt hos dykk?",
    ),
    (
        163,
        "Eva Strand",
        "eva.strand@example.no",
        "Barnehageplass frå august",
        "Vi flyttar til kommunen i sommar og treng barnehageplass til dottera vår på tre år.",
    ),
    (
        190,
        "Lise Aas",
        "lise.aas@example.no",
        "Takk for sist",
        "Takk for hjelpa i går. Eg har eit spørsmål til, men det kan vente.",
    ),
    (
        215,
        "Terje Vik",
        "terje@example.org",
        "Hjortefall og jakt",
        "Når blir fellingsløyva for hjort fordelte i år, og korleis søkjer vi som jaktlag?",
    ),
    (
        240,
        "Ingrid Fossum",
        "ingrid@example.no",
        "Søknad om utsett frist",
        "Vi treng meir tid på å sende inn dokumentasjonen. Er det mogleg?",
    ),
]


def _message(
    minutes: int, name: str, address: str, subject: str, body: str, start: dt.datetime, n: int
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"{name} <{address}>"
    message["To"] = f"Postmottak <postmottak@{DOMAIN}>"
    message["Subject"] = subject
    message["Date"] = format_datetime(start + dt.timedelta(minutes=minutes))
    message["Message-ID"] = f"<demo-{n}@example.no>"
    message.set_content(body)
    return message


def sample_day(now: dt.datetime | None = None) -> list[tuple[bytes, dt.datetime]]:
    """The sample messages with the times they came in today (none later than now)."""
    now = now or timezone.now()
    start = to_local(now).replace(hour=7, minute=0, second=0, microsecond=0)
    if start > now:
        start -= dt.timedelta(days=1)
    result: list[tuple[bytes, dt.datetime]] = []
    for n, (minutes, name, address, subject, body) in enumerate(LETTERS):
        message = _message(minutes, name, address, subject, body, start, n)
        if n == 4:
            message.add_attachment(
                b"MZ\x90\x00" + b"\x00" * 256,
                maintype="application",
                subtype="octet-stream",
                filename="teikning.exe",
            )
        result.append((message.as_bytes(), start + dt.timedelta(minutes=minutes)))
    away = _message(
        250,
        "Sakshandsamar Siri",
        f"siri@{DOMAIN}",
        "Fråverande: Svar på henvendinga di",
        "Eg er på ferie til måndag og les ikkje e-post.",
        start,
        100,
    )
    away["Auto-Submitted"] = "auto-replied"
    result.append((away.as_bytes(), start + dt.timedelta(minutes=250)))
    broken = b"\x00\x01PK\x03\x04 skadd fil fraa skannaren utan e-posthovud\xff\xfe"
    result.append((broken, start + dt.timedelta(minutes=260)))
    return [(raw, min(at, now)) for raw, at in result]


def import_sample_day(now: dt.datetime | None = None) -> dict[str, int]:
    """Import the day through the mail room's own intake (stored first, then processed)."""
    from tenestetorget.mailroom import intake
    from tenestetorget.mailroom.models import Kind

    summary = intake.Summary()
    for raw, at in sample_day(now):
        message, new = intake.take(
            raw, source="demo", kind=Kind.EMAIL, source_ref="demo", received_at=at
        )
        summary.count(message, new)
    return summary.as_dict()
