"""A municipality's ten years of inquiries, generated inside PostgreSQL.

Everything big is made with INSERT ... SELECT over generate_series, so no row travels through
Python; a plan table (one row of random draws per inquiry) is made first, so the inquiries can
then be written in batches that show progress. Secondary indexes are dropped before the bulk
load and built again after it, which is how one loads a large table quickly.

The distribution follows a busy municipal front desk: ~3% of the inquiries still open (the
recent ones mostly, plus a few forgotten old ones), the rest answered or closed; channels,
queues and senders skewed as in real life; two to four timeline events per inquiry, an
acknowledgement message for e-mail and web-form inquiries, pending handovers for forwarded
ones, and a few dozen inquiries with long timelines for the inquiry page.

The data keeps the product's rules, so the pages measure what they will really meet:

* promised dates come from the core calendar: a small table of `WorkingCalendar.due_date` per
  day, receipt before or after closing time and number of working days (`bench_due`), made in
  Python, which the plan joins; the working days are the queue's guarantee for the channel, or
  the channel's default (`organisation.selectors.answer_working_days`);
* each inquiry keeps its sender as given (the `services.sender_snapshot` fields, copied from
  the sender row), and the guarantee clock's columns are what `contact.clock` derives from the
  timeline written beside them: a wait for the sender stops the clock (`paused_since`, and
  `paused_late` when it began after the promise), an interim reply names a date beside the
  promise and never moves it, an answer (or a first-line close) settles the round, and every
  settled round has its `GuaranteeOutcome`;
* the events carry the data the services write, and each timeline is a path the status
  machine allows.

`verify_sample` checks a sample of the loaded inquiries against `clock.derive`,
`services.outcome_for` and `transitions.next_status` after the load, so a change of the rules
that the SQL here does not follow fails the load instead of skewing the measurements.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from tenestetorget.core.calendar import calendar_from_settings

OSLO = ZoneInfo("Europe/Oslo")
QUEUES_YAML = Path(settings.BASE_DIR) / "tenestetorget" / "demo" / "data" / "queues.yaml"
BIG_TABLES = (
    "contact_inquiry",
    "contact_inquiryevent",
    "contact_sender",
    "contact_handover",
    "contact_outgoingmessage",
    "contact_guaranteeoutcome",
)
FRONT_DESK_USERNAME = "bench_frontdesk"
FRONT_DESK_PASSWORD = "bench-front-desk"  # noqa: S105 - a throw-away benchmark database
OFFICER_USERNAME = "bench_officer"
OPEN = ("new", "in_progress", "waiting", "forwarded")

# Share of the inquiries per channel and per queue, in percent (each adds up to 100).
CHANNEL_SHARE = {"email": 35, "phone": 25, "webform": 20, "counter": 10, "letter": 7, "social": 3}
QUEUE_SHARE = {
    "byggjesak": 12, "faktura": 11, "renovasjon": 8, "vatn_avlop": 7, "veg": 6,
    "eigedomsskatt": 6, "motorferdsel": 5, "utleige": 5, "oppmaling": 4, "plan": 4,
    "barnehage": 4, "skule": 3, "helse": 3, "tomter": 3, "brann": 2, "landbruk": 2,
    "kultur": 2, "naering": 2, "alkohol": 2, "innsyn": 2, "ekstern": 2, "kommunale_bygg": 2,
    "vilt_fiske": 1, "politikk": 1, "personal": 1,
}  # fmt: skip
# Guarantee per channel: (answer working days, interim reply working days).
GUARANTEES = {
    "email": (2, 10),
    "webform": (2, 10),
    "phone": (2, None),
    "counter": (2, None),
    "letter": (5, 15),
    "social": (2, None),
}
SUBJECTS = [
    "Spørsmål om byggjesøknad for garasje", "Løyve til snøscooter for varetransport",
    "Faktura for kommunale avgifter", "Klage på takst for eigedomsskatt",
    "Lekkasje på vassleidning", "Brøyting av kommunal veg", "Avfallet vart ikkje henta",
    "Barnehageplass frå august", "Skuleskyss for 1. klasse", "Leige av høgfjellshytte i påska",
    "Skjenkeløyve for bryllaup", "Kjøp av hyttetomt", "Grensepåvising mot nabo",
    "Innsyn i postjournalen", "Heimeteneste til mor", "Feiing og tilsyn av pipe",
    "Søknad om kulturmidlar", "Ledig næringsareal", "Reguleringsplan for hyttefeltet",
    "Hund utan band i lysløypa", "Vegljoset er øydelagt", "Adresse til nytt hus",
    "Ferdigattest for tilbygg", "Dispensasjon frå kommuneplanen",
]  # fmt: skip
FIRST_NAMES = [
    "Kari", "Ola", "Ingrid", "Knut", "Sigrid", "Olav", "Astrid", "Torbjørn", "Marit", "Lars",
    "Solveig", "Nils", "Guro", "Eirik", "Ragnhild", "Halvor", "Synnøve", "Jon", "Turid",
    "Gunnar", "Åse", "Bjørn", "Liv", "Tor", "Hilde", "Per", "Anne", "Arne", "Tone", "Svein",
]  # fmt: skip
LAST_NAMES = [
    "Haugen", "Dale", "Rui", "Bakken", "Lio", "Nordbø", "Moen", "Berge", "Kvåle", "Flatland",
    "Vinje", "Grave", "Tveit", "Rauland", "Haukeli", "Bøen", "Lunde", "Sandvik", "Strand",
    "Øygarden", "Nes", "Aasland", "Hovde", "Brekke", "Myrvang",
]  # fmt: skip

Progress = Callable[[str], None]


@dataclass
class Staff:
    front_desk_id: int
    officer_id: int
    officer_ids: list[int] = field(default_factory=list)


@dataclass
class LoadSummary:
    size: int
    seconds: float
    rows: dict[str, int]
    steps: dict[str, float]
    rich_references: list[str]


# --- small helpers --------------------------------------------------------------------------


def _execute(sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _scalar(sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def _weighted(share: dict[str, int], lookup: dict[str, Any]) -> list[Any]:
    """A 100-slot array where each key appears as often as its share: picking a uniform slot
    in SQL then follows the distribution."""
    slots: list[Any] = []
    for key, percent in share.items():
        slots.extend([lookup[key]] * percent)
    if len(slots) != 100:
        raise ValueError(f"shares add up to {len(slots)}, not 100")
    return slots


def _batches(total: int, size: int) -> list[tuple[int, int]]:
    return [(lo, min(lo + size - 1, total)) for lo in range(1, total + 1, size)]


# --- organisation and staff -----------------------------------------------------------------


def load_organisation() -> dict[str, int]:
    """The demo organisation and a guarantee for every queue and channel; returns queue ids."""
    from tenestetorget.organisation.models import Queue, ServiceGuarantee
    from tenestetorget.organisation.services import load_organisation as load

    load(QUEUES_YAML)
    queues = dict(Queue.objects.values_list("code", "id"))
    ServiceGuarantee.objects.bulk_create(
        [
            ServiceGuarantee(
                queue_id=queue_id,
                channel=channel,
                answer_working_days=days + (3 if code == "byggjesak" else 0),
                interim_reply_working_days=interim,
                text="",
            )
            for code, queue_id in queues.items()
            for channel, (days, interim) in GUARANTEES.items()
        ],
        ignore_conflicts=True,
    )
    missing = set(QUEUE_SHARE) - set(queues)
    if missing:
        raise SystemExit(f"queues.yaml lacks queues the benchmark uses: {sorted(missing)}")
    return queues


def create_staff() -> Staff:
    """The front-desk user the pages are measured as, the case officer, and colleagues in
    other units whom inquiries are assigned to."""
    from tenestetorget.organisation.models import Role, StaffProfile, Unit

    user_model = get_user_model()
    units = dict(Unit.objects.values_list("code", "id"))
    unusable = make_password(None)

    def person(username: str, unit: str, role: str, password: str) -> int:
        user = user_model.objects.create(
            username=username,
            first_name=username.split("_")[-1].capitalize(),
            last_name="Bench",
            email=f"{username}@demo.kommune.no",
            password=password,
        )
        StaffProfile.objects.create(user=user, unit_id=units[unit], role=role)
        return int(user.pk)

    front_desk = person(
        FRONT_DESK_USERNAME, "tenestetorget", Role.FRONT_DESK, make_password(FRONT_DESK_PASSWORD)
    )
    officer = person(OFFICER_USERNAME, "plan_bygg", Role.CASE_OFFICER, unusable)
    colleagues = [
        person(f"bench_{unit}_{n}", unit, Role.CASE_OFFICER, unusable)
        for unit in units
        if unit != "ekstern"
        for n in (1, 2)
    ]
    return Staff(front_desk_id=front_desk, officer_id=officer, officer_ids=[officer, *colleagues])


def staff_ids() -> Staff:
    """The staff of an already loaded database (for --reuse)."""
    user_model = get_user_model()
    staff = user_model.objects.filter(username__startswith="bench_")
    ids = dict(staff.values_list("username", "id"))
    officers = [uid for name, uid in ids.items() if name != FRONT_DESK_USERNAME]
    return Staff(ids[FRONT_DESK_USERNAME], ids[OFFICER_USERNAME], officers)


# --- the bulk load --------------------------------------------------------------------------


def drop_secondary_indexes(tables: tuple[str, ...] = BIG_TABLES) -> list[str]:
    """Drop the indexes that back no constraint on `tables`; return their definitions."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            ORDER BY i.tablename, i.indexname
            """,
            [list(tables)],
        )
        rows = cursor.fetchall()
        for name, _definition in rows:
            cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in rows]


def create_indexes(definitions: list[str], progress: Progress) -> None:
    for n, definition in enumerate(definitions, 1):
        started = time.perf_counter()
        _execute(definition)
        name = definition.split(" ON ")[0].split()[-1]
        progress(f"  index {n}/{len(definitions)} {name} ({time.perf_counter() - started:.1f} s)")


def load_senders(count: int) -> int:
    """Senders with ids 1..count: residents, cabin owners and some businesses."""
    return _execute(
        """
        INSERT INTO contact_sender (id, name, email, phone, phone_e164, kind, is_organisation,
            organisation_number, national_id, language, postal_address, postcode, postal_place,
            name_search, created_at)
        SELECT s, name, email, phone,
            -- Eight-digit Norwegian mobile numbers: in E.164 (contact.senders.normalise_phone,
            -- which verify_sample holds them to) they are the same digits after +47.
            CASE WHEN phone <> '' THEN '+47' || phone ELSE '' END,
            kind, business, '', '', language, '', '', '', lower(name),
            now() - interval '10 years' + s * interval '25 minutes'
        FROM (
            SELECT s, business, name,
                CASE WHEN s %% 5 <> 0
                     THEN translate(lower(name), 'æøå ', 'aoa.') || '.' || s || '@example.no'
                     ELSE '' END AS email,
                CASE WHEN s %% 3 <> 0 THEN (40000000 + (s * 7919) %% 9999999)::text ELSE ''
                END AS phone,
                CASE WHEN business THEN 'business' WHEN s %% 4 = 0 THEN 'cabin_owner'
                     ELSE 'resident' END AS kind,
                CASE WHEN s %% 20 < 16 THEN 'nn' WHEN s %% 20 < 19 THEN 'nb' ELSE 'en' END
                    AS language
            FROM (
                SELECT s, s %% 25 = 0 AS business,
                    CASE WHEN s %% 25 = 0
                         THEN (%(last)s::text[])[1 + s %% %(nl)s] || ' ' ||
                              (%(first)s::text[])[1 + (s / 25) %% %(nf)s] || ' AS'
                         ELSE (%(first)s::text[])[1 + s %% %(nf)s] || ' ' ||
                              (%(last)s::text[])[1 + (s / %(nf)s) %% %(nl)s] END AS name
                FROM generate_series(1, %(count)s) AS s
            ) AS named
        ) AS people
        """,
        {
            "count": count,
            "first": FIRST_NAMES,
            "last": LAST_NAMES,
            "nf": len(FIRST_NAMES),
            "nl": len(LAST_NAMES),
        },
    )


def build_due_table(first: dt.date, last: dt.date) -> int:
    """`bench_due`: the calendar's promised date for everything received on a day, before or
    at/after closing time, with a given number of working days; for every day from `first`
    to `last` and every number of working days a guarantee or a channel default names.

    `WorkingCalendar.due_date` depends on the moment only through its receipt day, which
    depends on the day and on whether the moment is before closing time; so one moment of
    each kind per day stands for all of them, and the plan joins on the three."""
    from tenestetorget.organisation.models import ServiceGuarantee
    from tenestetorget.organisation.selectors import DEFAULT_ANSWER_WORKING_DAYS

    cal = calendar_from_settings()
    counts = set(DEFAULT_ANSWER_WORKING_DAYS.values())
    for days, interim in ServiceGuarantee.objects.values_list(
        "answer_working_days", "interim_reply_working_days"
    ):
        counts.add(days)
        if interim is not None:
            counts.add(interim)
    rows: list[tuple[dt.date, bool, int, dt.date]] = []
    day = first
    while day <= last:
        for before_closing, at in ((True, cal.opening), (False, cal.closing)):
            moment = dt.datetime.combine(day, at, tzinfo=OSLO)
            rows.extend((day, before_closing, n, cal.due_date(moment, n)) for n in sorted(counts))
        day += dt.timedelta(days=1)
    _execute("DROP TABLE IF EXISTS bench_due")
    _execute(
        "CREATE UNLOGGED TABLE bench_due (day date, before_closing boolean, working_days int,"
        " due date, PRIMARY KEY (day, before_closing, working_days))"
    )
    with connection.cursor() as cursor:
        cursor.executemany("INSERT INTO bench_due VALUES (%s, %s, %s, %s)", rows)
    _execute("ANALYZE bench_due")
    return len(rows)


def plan_inquiries(size: int, senders: int, queues: dict[str, int], staff: Staff) -> int:
    """One row per inquiry with everything decided: when it came, by which channel, where it
    went, its state, its timeline's moments and its guarantee clock. The later steps only copy
    from here."""
    from tenestetorget.organisation.selectors import answer_working_days

    _execute("DROP TABLE IF EXISTS bench_plan")
    now_local = dt.datetime.now(OSLO).replace(tzinfo=None)
    start = now_local - dt.timedelta(days=3652)
    build_due_table(start.date() - dt.timedelta(days=1), now_local.date() + dt.timedelta(days=1))
    # Without a queue (or a guarantee for the channel) the channel's default promise.
    default_days = {channel: answer_working_days(None, channel, None) for channel in CHANNEL_SHARE}
    return _execute(
        """
        CREATE UNLOGGED TABLE bench_plan AS
        WITH draws AS (
            SELECT i, random() AS r_open, random() AS r_status, random() AS r_queue,
                random() AS r_channel, random() AS r_sender, random() AS r_assign,
                random() AS r_misc, random() AS r_due,
                %(start)s::timestamp + (i - 1 + random()) * %(step)s::interval AS t
            FROM generate_series(1, %(size)s) AS i
        ), timed AS (
            -- Squeeze each day into 07:00-17:00, when most inquiries come.
            SELECT draws.*,
                LEAST(
                    (date_trunc('day', t) + interval '7 hours'
                        + (t - date_trunc('day', t)) * (10.0 / 24)) AT TIME ZONE 'Europe/Oslo',
                    now()) AS received_at,
                -- Recent inquiries are mostly open; a few old ones were forgotten.
                r_open < CASE WHEN i > %(size)s * 0.98 THEN 0.8
                              WHEN i > %(size)s * 0.94 THEN 0.25 ELSE 0.001 END AS is_open
            FROM draws
        ), decided AS (
            SELECT timed.*,
                (received_at AT TIME ZONE 'Europe/Oslo')::date AS received_day,
                (received_at AT TIME ZONE 'Europe/Oslo')::time < %(closing)s::time
                    AS before_closing,
                extract(year FROM received_at AT TIME ZONE 'Europe/Oslo')::int AS year,
                CASE WHEN is_open THEN
                    CASE WHEN r_status < 0.3 THEN 'new' WHEN r_status < 0.65 THEN 'in_progress'
                         WHEN r_status < 0.8 THEN 'waiting' ELSE 'forwarded' END
                ELSE CASE WHEN r_status < 0.15 THEN 'answered' ELSE 'closed' END
                END AS status,
                (%(channels)s::text[])[1 + floor(r_channel * 100)::int] AS channel
            FROM timed
        ), queued AS (
            SELECT decided.*,
                CASE WHEN status = 'new' AND r_misc < 0.15 THEN NULL
                     ELSE (%(queues)s::bigint[])[1 + floor(r_queue * 100)::int] END AS queue_id,
                -- Resolved at the first line: registered and closed at once.
                status = 'closed' AND channel IN ('phone', 'counter') AND r_misc < 0.5 AS fcr
            FROM decided
        ), promised AS (
            SELECT queued.*,
                COALESCE(g.answer_working_days, (%(default_days)s::jsonb ->> queued.channel)::int)
                    AS working_days,
                g.interim_reply_working_days AS interim_days
            FROM queued
            LEFT JOIN organisation_serviceguarantee g
                ON g.queue_id = queued.queue_id AND g.channel = queued.channel
        ), dated AS (
            SELECT promised.*, due.due AS original_due_date, interim.due AS interim_reply_due,
                -- An interim reply (never while waiting for the sender: the machine refuses).
                is_open AND status <> 'waiting' AND received_day < current_date - 30
                    AND r_misc < 0.5 AS interim,
                CASE WHEN fcr THEN received_at + interval '5 minutes'
                     WHEN status IN ('answered', 'closed')
                     THEN LEAST(received_at + (0.1 + r_due * r_due * 5) * interval '1 day', now())
                END AS answered_at
            FROM promised
            JOIN bench_due due ON due.day = received_day
                AND due.before_closing = promised.before_closing
                AND due.working_days = promised.working_days
            LEFT JOIN bench_due interim ON interim.day = received_day
                AND interim.before_closing = promised.before_closing
                AND interim.working_days = promised.interim_days
        ), timeline AS (
            -- The moments of each timeline, in the order the status machine walks them.
            SELECT dated.*,
                CASE WHEN status IN ('in_progress', 'waiting')
                     THEN received_at + LEAST(interval '2 hours', (now() - received_at) / 3)
                END AS taken_at,
                CASE WHEN status = 'waiting'
                     THEN received_at + LEAST(interval '1 day', (now() - received_at) * 2 / 3)
                END AS paused_since,
                CASE WHEN interim THEN received_at + interval '5 days' END AS interim_sent_at,
                CASE WHEN interim THEN current_date + 1 + floor(r_due * 30)::int
                END AS interim_promised_date,
                CASE WHEN status = 'forwarded' AND r_misc < 0.7
                     THEN GREATEST(received_at, now() - r_due * interval '3 hours')
                     WHEN status = 'forwarded'
                     THEN received_at + LEAST(interval '1 hour', (now() - received_at) / 2)
                     WHEN status IN ('answered', 'closed') AND NOT fcr AND i %% 12 = 0
                     THEN received_at + (answered_at - received_at) / 3
                END AS handover_at,
                CASE WHEN status IN ('answered', 'closed') AND NOT fcr AND i %% 12 = 0
                     THEN received_at + (answered_at - received_at) * 2 / 3
                END AS acknowledged_at,
                CASE WHEN status = 'closed' THEN
                    CASE WHEN fcr THEN answered_at
                         ELSE LEAST(answered_at + interval '1 hour', now()) END
                END AS closed_at
            FROM dated
        )
        SELECT i, year,
            row_number() OVER (PARTITION BY year ORDER BY i) AS number,
            status, channel, received_at, received_day, fcr, interim, queue_id, working_days,
            1 + floor(power(r_sender, 1.5) * %(senders)s)::bigint AS sender_id,
            CASE WHEN fcr THEN %(front_desk)s::bigint
                 WHEN status = 'new' THEN NULL
                 WHEN status = 'forwarded' AND r_assign >= 0.3 THEN NULL
                 ELSE (%(officers)s::bigint[])[1 + floor(r_assign * %(n_officers)s)::int]
            END AS assigned_to_id,
            CASE WHEN channel IN ('phone', 'counter', 'letter') THEN %(front_desk)s::bigint
            END AS created_by_id,
            original_due_date, interim_reply_due, interim_sent_at, interim_promised_date,
            taken_at, paused_since,
            -- contact.clock: a wait that began after the promise had passed extends nothing.
            COALESCE((paused_since AT TIME ZONE 'Europe/Oslo')::date > original_due_date, false)
                AS paused_late,
            answered_at, closed_at, handover_at, acknowledged_at,
            -- Settled by the answer (a first-line close comes at the same moment): kept when
            -- settled on or before the promised date; open rounds are not settled.
            CASE WHEN answered_at IS NOT NULL
                 THEN (answered_at AT TIME ZONE 'Europe/Oslo')::date <= original_due_date
            END AS guarantee_kept,
            CASE WHEN i %% 20 < 16 THEN 'nn' WHEN i %% 20 < 19 THEN 'nb' ELSE 'en' END
                AS language
        FROM timeline
        """,
        {
            "start": start,
            "step": dt.timedelta(days=3652) / size,
            "size": size,
            "senders": senders,
            "closing": calendar_from_settings().closing,
            "default_days": json.dumps(default_days),
            "channels": _weighted(CHANNEL_SHARE, {c: c for c in CHANNEL_SHARE}),
            "queues": _weighted(QUEUE_SHARE, queues),
            "front_desk": staff.front_desk_id,
            "officers": staff.officer_ids,
            "n_officers": len(staff.officer_ids),
        },
    )


def _snapshot_columns() -> list[tuple[str, str]]:
    """(inquiry column, sender column): the fields services.sender_snapshot keeps on the
    inquiry, each from the sender's field of the same name."""
    from tenestetorget.contact.services import SenderData, sender_snapshot

    return [(key, key.removeprefix("sender_")) for key in sender_snapshot(SenderData(name=""))]


def load_inquiries(lo: int, hi: int) -> int:
    snapshot = _snapshot_columns()
    columns = ", ".join(column for column, _source in snapshot)
    values = ", ".join(f"s.{source}" for _column, source in snapshot)
    return _execute(
        f"""
        INSERT INTO contact_inquiry (id, reference, year, number, channel, subject, body,
            language, sender_id, {columns}, queue_id, assigned_to_id, status, received_at,
            due_date, original_due_date, interim_reply_due, interim_reply_sent_at,
            interim_promised_date, paused_since, paused_late, paused_seconds, guarantee_kept,
            answered_at, closed_at, first_contact_resolved, created_by_id, created_at,
            updated_at)
        SELECT i, year || '-' || lpad(number::text, 6, '0'), year, number, channel,
            (%(subjects)s::text[])[1 + (i * 7) %% %(n_subjects)s],
            'Hei. Eg lurer på korleis dette fungerer og kva eg må sende inn: '
                || lower((%(subjects)s::text[])[1 + (i * 7) %% %(n_subjects)s])
                || '. Eg har prøvd å finne svaret på nettsidene utan å lukkast. '
                || 'Kan de ringje meg eller svare på e-post? Takk for hjelpa.',
            p.language, sender_id, {values}, queue_id, assigned_to_id, status, received_at,
            -- No wait in the benchmark has ended, so none has extended the promise.
            original_due_date, original_due_date, interim_reply_due, interim_sent_at,
            interim_promised_date, paused_since, paused_late, 0, guarantee_kept,
            answered_at, closed_at, fcr, created_by_id, received_at,
            GREATEST(received_at, taken_at, paused_since, interim_sent_at, handover_at,
                     acknowledged_at, answered_at, closed_at)
        FROM bench_plan p JOIN contact_sender s ON s.id = p.sender_id
        WHERE i BETWEEN %(lo)s AND %(hi)s
        """,  # noqa: S608 - the column names come from sender_snapshot, not from input
        {"lo": lo, "hi": hi, "subjects": SUBJECTS, "n_subjects": len(SUBJECTS)},
    )


def load_outcomes(lo: int, hi: int) -> int:
    """One GuaranteeOutcome per settled inquiry (each has one round), as
    services.outcome_for records it."""
    return _execute(
        """
        INSERT INTO contact_guaranteeoutcome (inquiry_id, queue_id, channel, round_started_at,
            original_due_date, due_date, settled_at, kept, interim_in_time, first_contact)
        SELECT q.id, q.queue_id, q.channel, q.received_at, q.original_due_date, q.due_date,
            q.answered_at, q.guarantee_kept, false, q.first_contact_resolved
        FROM contact_inquiry q
        WHERE q.id BETWEEN %(lo)s AND %(hi)s AND q.guarantee_kept IS NOT NULL
        ORDER BY q.id
        """,
        {"lo": lo, "hi": hi},
    )


def load_handovers(front_desk_id: int) -> int:
    """Pending handovers for the forwarded inquiries (some past the acknowledgement limit)
    and acknowledged ones in the history of some answered and closed inquiries."""
    return _execute(
        """
        INSERT INTO contact_handover (inquiry_id, from_queue_id, to_queue_id, to_user_id, note,
            created_by_id, created_at, acknowledged_at, acknowledged_by_id)
        SELECT i, NULL, queue_id, CASE WHEN status = 'forwarded' THEN assigned_to_id END,
            'Ver venleg og svar innbyggjaren innan fristen.', %(front_desk)s, handover_at,
            acknowledged_at, CASE WHEN acknowledged_at IS NOT NULL THEN assigned_to_id END
        FROM bench_plan WHERE handover_at IS NOT NULL AND queue_id IS NOT NULL
        ORDER BY i
        """,
        {"front_desk": front_desk_id},
    )


def load_events(lo: int, hi: int) -> int:
    """The timeline, with the data the services write: registered, then taken, paused,
    interim reply, answered and closed as the inquiry's plan says (a first-line resolution is
    registered and closed, without an answer event)."""
    return _execute(
        """
        INSERT INTO contact_inquiryevent (inquiry_id, kind, actor_id, at, text, data)
        SELECT q.id, e.kind, e.actor_id, e.at, e.text, e.data
        FROM contact_inquiry q
        JOIN bench_plan p ON p.i = q.id
        LEFT JOIN organisation_queue qu ON qu.id = q.queue_id
        CROSS JOIN LATERAL (VALUES
            (1, 'registered', q.created_by_id, q.received_at, '',
             jsonb_build_object('channel', q.channel, 'queue', qu.code,
                                'due_date', q.original_due_date,
                                'working_days', p.working_days)),
            (2, 'taken', q.assigned_to_id, p.taken_at, '', '{}'::jsonb),
            (3, 'paused', q.assigned_to_id, q.paused_since, 'Manglar teikningar.',
             jsonb_build_object('sender_told', q.sender_email <> '')),
            (4, 'interim_reply', q.assigned_to_id, q.interim_reply_sent_at,
             'Saka treng meir tid fordi vi må innhente uttale.',
             jsonb_build_object('promised_date', q.due_date,
                                'due_date', q.interim_promised_date)),
            (5, 'answered', q.assigned_to_id,
             CASE WHEN NOT q.first_contact_resolved THEN q.answered_at END,
             'Takk for spørsmålet. Her er svaret frå kommunen.',
             jsonb_build_object('by_email', q.sender_email <> '', 'article', NULL)),
            (6, 'closed', q.assigned_to_id, q.closed_at, '',
             jsonb_build_object('first_contact', q.first_contact_resolved))
        ) AS e(n, kind, actor_id, at, text, data)
        WHERE q.id BETWEEN %(lo)s AND %(hi)s AND e.at IS NOT NULL
        ORDER BY q.id, e.at, e.n
        """,
        {"lo": lo, "hi": hi},
    )


def load_handover_events() -> int:
    users = connection.ops.quote_name(get_user_model()._meta.db_table)
    return _execute(
        f"""
        INSERT INTO contact_inquiryevent (inquiry_id, kind, actor_id, at, text, data)
        SELECT h.inquiry_id, e.kind, e.actor_id, e.at, e.text, e.data
        FROM contact_handover h
        JOIN organisation_queue q ON q.id = h.to_queue_id
        LEFT JOIN organisation_queue fq ON fq.id = h.from_queue_id
        LEFT JOIN {users} u ON u.id = h.to_user_id
        CROSS JOIN LATERAL (VALUES
            (1, 'forwarded', h.created_by_id, h.created_at, h.note,
             jsonb_build_object('from_queue', fq.code, 'to_queue', q.code,
                                'to_user', u.username)),
            (2, 'acknowledged', h.acknowledged_by_id, h.acknowledged_at, '', '{{}}'::jsonb)
        ) AS e(n, kind, actor_id, at, text, data)
        WHERE e.at IS NOT NULL
        ORDER BY h.inquiry_id, e.at, e.n
        """  # noqa: S608 - the user model's table name
    )


def load_messages(lo: int, hi: int) -> int:
    """The acknowledgement sent for every e-mail and web-form inquiry with an address (the
    inquiry's own copy of it, as messaging.queue_message sends to)."""
    return _execute(
        """
        INSERT INTO contact_outgoingmessage (inquiry_id, kind, to_email, subject, body,
            language, status, error, attempts, created_by_id, created_at, sent_at)
        SELECT q.id, 'acknowledgement', q.sender_email,
            'Vi har motteke henvendinga di (' || q.reference || ')',
            'Hei ' || q.sender_name || '. Vi har motteke henvendinga di med referanse '
                || q.reference || ' og svarer innan '
                || to_char(q.original_due_date, 'DD.MM.YYYY')
                || '. Helsing Tenestetorget, Demo kommune.',
            q.language, 'sent', '', 1, NULL, q.received_at + interval '1 minute',
            q.received_at + interval '2 minutes'
        FROM contact_inquiry q
        WHERE q.id BETWEEN %(lo)s AND %(hi)s AND q.channel IN ('email', 'webform')
          AND q.sender_email <> ''
        ORDER BY q.id
        """,
        {"lo": lo, "hi": hi},
    )


def enrich_samples(staff: Staff, count: int = 30) -> list[str]:
    """Give some open and some closed inquiries a long history (notes, two earlier
    handovers, an interim reply), so the inquiry page is also measured at its heaviest."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            (SELECT i FROM bench_plan WHERE status IN ('new', 'in_progress', 'waiting')
             AND queue_id IS NOT NULL ORDER BY random() LIMIT %(half)s)
            UNION ALL
            (SELECT i FROM bench_plan WHERE status = 'closed' AND queue_id IS NOT NULL
             ORDER BY random() LIMIT %(half)s)
            """,
            {"half": count // 2},
        )
        ids = [row[0] for row in cursor.fetchall()]
    params = {"ids": ids, "officers": staff.officer_ids, "front_desk": staff.front_desk_id}
    _execute(
        """
        INSERT INTO contact_inquiryevent (inquiry_id, kind, actor_id, at, text, data)
        SELECT q.id, 'note', (%(officers)s::bigint[])[1 + g %% cardinality(%(officers)s::bigint[])],
            LEAST(q.received_at + g * interval '3 hours', now()),
            'Ringde innbyggjaren (' || g || '). Ventar på meir informasjon om saka.', '{}'
        FROM contact_inquiry q CROSS JOIN generate_series(1, 30) AS g
        WHERE q.id = ANY(%(ids)s)
        """,
        params,
    )
    _execute(
        """
        INSERT INTO contact_handover (inquiry_id, from_queue_id, to_queue_id, to_user_id, note,
            created_by_id, created_at, acknowledged_at, acknowledged_by_id)
        SELECT q.id, q.queue_id, q.queue_id, NULL, 'Feil fagområde, sender vidare.',
            %(front_desk)s, LEAST(q.received_at + g * interval '30 minutes', now()),
            LEAST(q.received_at + g * interval '40 minutes', now()), q.assigned_to_id
        FROM contact_inquiry q CROSS JOIN generate_series(1, 2) AS g
        WHERE q.id = ANY(%(ids)s)
        """,
        params,
    )
    _execute(
        """
        INSERT INTO contact_outgoingmessage (inquiry_id, kind, to_email, subject, body,
            language, status, error, attempts, created_by_id, created_at, sent_at)
        SELECT q.id, 'interim_reply', 'innbyggjar@example.no',
            'Førebels svar (' || q.reference || ')',
            'Saka di tek lengre tid enn venta fordi vi må innhente uttale frå andre.',
            q.language, 'sent', '', 1, %(front_desk)s, LEAST(q.received_at + interval '1 day',
            now()), LEAST(q.received_at + interval '1 day', now())
        FROM contact_inquiry q WHERE q.id = ANY(%(ids)s)
        """,
        params,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reference FROM contact_inquiry WHERE id = ANY(%s) ORDER BY id", [ids]
        )
        return [row[0] for row in cursor.fetchall()]


#: The action of the status machine each event kind stands for (registered starts as new).
EVENT_ACTIONS = {
    "forwarded": "forward",
    "acknowledged": "acknowledge",
    "taken": "take",
    "note": "note",
    "paused": "pause",
    "resumed": "resume",
    "interim_reply": "interim-reply",
    "answered": "answer",
    "closed": "close",
    "reopened": "reopen",
}


def verify_sample(size: int, references: Sequence[str] = (), count: int = 400) -> int:
    """Hold a sample of the loaded inquiries (and the long timelines) to the product's rules:
    the stored clock columns are `clock.derive` of the timeline (`services.store_clock`), the
    outcomes are those `services.outcome_for` records for its settled rounds, and the timeline
    is a path `transitions.next_status` allows that ends in the stored status. Raises with the
    first differences; returns the number of inquiries checked."""
    from types import SimpleNamespace

    from tenestetorget.contact import clock, services, transitions
    from tenestetorget.contact.models import GuaranteeOutcome, Inquiry, InquiryEvent
    from tenestetorget.contact.senders import normalise_phone

    cal = calendar_from_settings()
    ids = set(random.Random(size).sample(range(1, size + 1), min(count, size)))
    ids |= set(Inquiry.objects.filter(reference__in=list(references)).values_list("pk", flat=True))
    events: dict[int, list[tuple[str, dt.datetime, dict[str, Any]]]] = defaultdict(list)
    for inquiry_id, kind, at, data in (
        InquiryEvent.objects.filter(inquiry_id__in=ids)
        .order_by("inquiry_id", "at", "id")
        .values_list("inquiry_id", "kind", "at", "data")
    ):
        events[inquiry_id].append((kind, at, data or {}))
    fields = (
        "queue_id", "channel", "round_started_at", "original_due_date", "due_date",
        "settled_at", "kept", "interim_in_time", "first_contact",
    )  # fmt: skip
    stored_outcomes: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for outcome in GuaranteeOutcome.objects.filter(inquiry_id__in=ids).order_by("settled_at", "id"):
        stored_outcomes[outcome.inquiry_id].append(tuple(getattr(outcome, f) for f in fields))
    problems: list[str] = []
    for inquiry in Inquiry.objects.filter(pk__in=ids).order_by("pk"):
        status = ""
        state: clock.Clock | None = None
        first_contact = False
        expected = []
        for kind, at, data in events[inquiry.pk]:
            if kind == "registered":
                status = "new"
            elif kind in EVENT_ACTIONS:
                try:
                    status = transitions.next_status(status, EVENT_ACTIONS[kind])
                except transitions.TransitionRefused:
                    problems.append(f"{inquiry.reference}: {kind} refused in status {status!r}")
            if kind not in clock.CLOCK_EVENT_KINDS:
                continue
            if kind == "closed" and data.get("first_contact"):
                first_contact = True  # close_inquiry sets it before the clock is derived
            was_settled = state is not None and state.kept is not None
            state = clock.apply(state, clock.ClockEvent(kind, at, data), cal)
            if state is not None and state.kept is not None and not was_settled:
                final = inquiry.first_contact_resolved
                inquiry.first_contact_resolved = first_contact
                outcome = services.outcome_for(inquiry, state)
                inquiry.first_contact_resolved = final
                expected.append(tuple(getattr(outcome, f) for f in fields))
        if status != inquiry.status:
            problems.append(f"{inquiry.reference}: timeline ends {status!r}, {inquiry.status!r}")
        if state is None:
            problems.append(f"{inquiry.reference}: no registration on the timeline")
            continue
        derived = SimpleNamespace()
        services.store_clock(derived, state)  # type: ignore[arg-type]
        stored = {name: getattr(inquiry, name) for name in services.CLOCK_FIELDS}
        if stored != vars(derived):
            problems.append(f"{inquiry.reference}: clock {stored} != derived {vars(derived)}")
        if stored_outcomes[inquiry.pk] != expected:
            problems.append(
                f"{inquiry.reference}: outcomes {stored_outcomes[inquiry.pk]} != {expected}"
            )
    for pk, phone, e164 in (
        Inquiry.objects.filter(pk__in=ids)
        .values_list("sender_id", "sender__phone", "sender__phone_e164")
        .distinct()
    ):
        if e164 != normalise_phone(phone):
            problems.append(f"sender {pk}: phone {phone!r} stored as {e164!r} in E.164")
    if problems:
        raise RuntimeError(
            f"{len(problems)} differences from the product's rules:\n" + "\n".join(problems[:20])
        )
    return len(ids)


def finish() -> None:
    """Sequences past the loaded ids, the inquiry number series continuing each year, the
    plan table gone, and fresh statistics and visibility maps (as autovacuum would leave a
    long-lived database)."""
    # The table names below come from BIG_TABLES, never from input.
    for t in BIG_TABLES:
        _execute(f"SELECT setval('{t}_id_seq', GREATEST((SELECT max(id) FROM {t}), 1))")  # noqa: S608
    _execute(
        """
        INSERT INTO core_numberseries (series, year, last)
        SELECT 'inquiry', year, max(number) FROM contact_inquiry GROUP BY year
        ON CONFLICT (series, year) DO UPDATE SET last = EXCLUDED.last
        """
    )
    _execute("DROP TABLE IF EXISTS bench_plan")
    _execute("DROP TABLE IF EXISTS bench_due")
    for table in BIG_TABLES:
        _execute(f"VACUUM (ANALYZE) {table}")
    _execute("ANALYZE")


def load_knowledge() -> int:
    """The demo knowledge base (articles, fees, life situations), indexed, as `load-demo`
    loads it: the inquiry page suggests articles for the inquiry's text. Returns the number
    of texts indexed; 0 when the knowledge base was already there."""
    try:
        from tenestetorget.knowledge import search as knowledge_search
        from tenestetorget.knowledge import services as knowledge_services
        from tenestetorget.knowledge.models import Article
    except ImportError:  # a checkout from before the knowledge base
        return 0
    if Article.objects.exists():
        return 0
    knowledge_services.load_content()
    return int(knowledge_search.reindex_all())


def row_counts() -> dict[str, int]:
    return {
        table: int(_scalar(f"SELECT count(*) FROM {table}"))  # noqa: S608 - fixed names
        for table in BIG_TABLES
    }


def load(size: int, senders: int, progress: Progress) -> tuple[Staff, LoadSummary]:
    """Fill an empty, migrated database. Returns the staff and what was loaded."""
    started = time.perf_counter()
    steps: dict[str, float] = {}

    def step(name: str, func: Callable[[], Any]) -> Any:
        t0 = time.perf_counter()
        result = func()
        steps[name] = round(time.perf_counter() - t0, 1)
        progress(f"{name}: {steps[name]:.1f} s")
        return result

    with transaction.atomic():
        queues = step("organisation and guarantees", load_organisation)
        staff = step("staff", create_staff)
    # The load session does not wait for the disk on each commit and may sort in memory; the
    # measured servers use the database's own settings.
    _execute("SET synchronous_commit = off")
    _execute("SET maintenance_work_mem = '512MB'")
    _execute("SET work_mem = '256MB'")
    indexes = step("drop secondary indexes", drop_secondary_indexes)
    step(f"senders ({senders:,})", lambda: load_senders(senders))
    step("plan", lambda: plan_inquiries(size, senders, queues, staff))
    batch = max(10_000, size // 10)

    def batched(label: str, func: Callable[[int, int], int]) -> None:
        done = 0
        for lo, hi in _batches(size, batch):
            done += func(lo, hi)
            progress(f"  {label}: {hi:,}/{size:,} inquiries done, {done:,} rows")

    step("inquiries", lambda: batched("inquiries", load_inquiries))
    step("handovers", lambda: load_handovers(staff.front_desk_id))
    step("events", lambda: batched("events", load_events))
    step("handover events", load_handover_events)
    step("messages", lambda: batched("messages", load_messages))
    step("guarantee outcomes", lambda: batched("guarantee outcomes", load_outcomes))
    rich = step("long timelines", lambda: enrich_samples(staff))
    step("knowledge base", load_knowledge)
    step("indexes", lambda: create_indexes(indexes, progress))
    step("number series, vacuum, analyze", finish)
    step("a sample held to the product's rules", lambda: verify_sample(size, rich))
    _execute("RESET synchronous_commit")
    _execute("RESET maintenance_work_mem")
    _execute("RESET work_mem")
    summary = LoadSummary(
        size=size,
        seconds=round(time.perf_counter() - started, 1),
        rows=row_counts(),
        steps=steps,
        rich_references=rich,
    )
    return staff, summary


def distribution() -> dict[str, int]:
    """Inquiries per status, to show the shape of what was measured."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT status, count(*) FROM contact_inquiry GROUP BY status")
        return {status: int(n) for status, n in cursor.fetchall()}


def rich_references() -> list[str]:
    """The inquiries with long timelines in an already loaded database (for --reuse)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT q.reference FROM contact_inquiry q
            WHERE q.id IN (SELECT inquiry_id FROM contact_inquiryevent WHERE kind = 'note'
                           GROUP BY inquiry_id HAVING count(*) >= 30)
            ORDER BY q.id
            """
        )
        return [row[0] for row in cursor.fetchall()]
