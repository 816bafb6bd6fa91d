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
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

OSLO = ZoneInfo("Europe/Oslo")
QUEUES_YAML = Path(settings.BASE_DIR) / "tenestetorget" / "demo" / "data" / "queues.yaml"
BIG_TABLES = (
    "contact_inquiry",
    "contact_inquiryevent",
    "contact_sender",
    "contact_handover",
    "contact_outgoingmessage",
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


def drop_secondary_indexes() -> list[str]:
    """Drop the indexes that back no constraint on the big tables; return their definitions."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            ORDER BY i.tablename, i.indexname
            """,
            [list(BIG_TABLES)],
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
        INSERT INTO contact_sender (id, name, email, phone, kind, is_organisation,
            organisation_number, national_id, language, name_search, created_at)
        SELECT s, name,
            CASE WHEN s %% 5 <> 0
                 THEN translate(lower(name), 'æøå ', 'aoa.') || '.' || s || '@example.no'
                 ELSE '' END,
            CASE WHEN s %% 3 <> 0 THEN (40000000 + (s * 7919) %% 9999999)::text ELSE '' END,
            CASE WHEN business THEN 'business' WHEN s %% 4 = 0 THEN 'cabin_owner'
                 ELSE 'resident' END,
            business, '', '',
            CASE WHEN s %% 20 < 16 THEN 'nn' WHEN s %% 20 < 19 THEN 'nb' ELSE 'en' END,
            lower(name), now() - interval '10 years' + s * interval '25 minutes'
        FROM (
            SELECT s, s %% 25 = 0 AS business,
                CASE WHEN s %% 25 = 0
                     THEN (%(last)s::text[])[1 + s %% %(nl)s] || ' ' ||
                          (%(first)s::text[])[1 + (s / 25) %% %(nf)s] || ' AS'
                     ELSE (%(first)s::text[])[1 + s %% %(nf)s] || ' ' ||
                          (%(last)s::text[])[1 + (s / %(nf)s) %% %(nl)s] END AS name
            FROM generate_series(1, %(count)s) AS s
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


def plan_inquiries(size: int, senders: int, queues: dict[str, int], staff: Staff) -> int:
    """One row per inquiry with everything decided: when it came, by which channel, where it
    went, its state and dates. The later steps only copy from here."""
    _execute("DROP TABLE IF EXISTS bench_plan")
    now_local = dt.datetime.now(OSLO).replace(tzinfo=None)
    start = now_local - dt.timedelta(days=3652)
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
                extract(year FROM received_at AT TIME ZONE 'Europe/Oslo')::int AS year,
                CASE WHEN is_open THEN
                    CASE WHEN r_status < 0.3 THEN 'new' WHEN r_status < 0.65 THEN 'in_progress'
                         WHEN r_status < 0.8 THEN 'waiting' ELSE 'forwarded' END
                ELSE CASE WHEN r_status < 0.15 THEN 'answered' ELSE 'closed' END
                END AS status,
                (%(channels)s::text[])[1 + floor(r_channel * 100)::int] AS channel
            FROM timed
        ), dated AS (
            SELECT decided.*,
                received_day + (CASE WHEN channel = 'letter' THEN 7 ELSE 2 END
                                + floor(r_due * 3)::int) AS due0,
                status = 'closed' AND channel IN ('phone', 'counter') AND r_misc < 0.5 AS fcr,
                is_open AND received_day < current_date - 30 AND r_misc < 0.5 AS interim
            FROM decided
        )
        SELECT i, year,
            row_number() OVER (PARTITION BY year ORDER BY i) AS number,
            status, channel, received_at, received_day, fcr, interim,
            CASE WHEN status = 'new' AND r_misc < 0.15 THEN NULL
                 ELSE (%(queues)s::bigint[])[1 + floor(r_queue * 100)::int] END AS queue_id,
            1 + floor(power(r_sender, 1.5) * %(senders)s)::bigint AS sender_id,
            CASE WHEN fcr THEN %(front_desk)s::bigint
                 WHEN status = 'new' THEN NULL
                 WHEN status = 'forwarded' AND r_assign >= 0.3 THEN NULL
                 ELSE (%(officers)s::bigint[])[1 + floor(r_assign * %(n_officers)s)::int]
            END AS assigned_to_id,
            CASE WHEN channel IN ('phone', 'counter', 'letter') THEN %(front_desk)s::bigint
            END AS created_by_id,
            due0 + CASE extract(isodow FROM due0)::int WHEN 6 THEN 2 WHEN 7 THEN 1 ELSE 0 END
                AS original_due_date,
            CASE WHEN interim THEN current_date + floor(r_due * 30)::int END AS interim_due,
            CASE WHEN channel IN ('email', 'webform', 'letter') THEN received_day + 14
            END AS interim_reply_due,
            CASE WHEN status = 'waiting' THEN LEAST(received_at + interval '1 day', now())
            END AS paused_since,
            CASE WHEN fcr THEN received_at + interval '5 minutes'
                 WHEN status IN ('answered', 'closed')
                 THEN LEAST(received_at + (0.1 + r_due * r_due * 5) * interval '1 day', now())
            END AS answered_at,
            CASE WHEN status = 'forwarded' AND r_misc < 0.7
                 THEN now() - r_due * interval '3 hours'
                 WHEN status = 'forwarded' OR (status IN ('answered', 'closed') AND i %% 12 = 0)
                 THEN received_at + interval '1 hour'
            END AS handover_at,
            CASE WHEN i %% 20 < 16 THEN 'nn' WHEN i %% 20 < 19 THEN 'nb' ELSE 'en' END
                AS language
        FROM dated
        """,
        {
            "start": start,
            "step": dt.timedelta(days=3652) / size,
            "size": size,
            "senders": senders,
            "channels": _weighted(CHANNEL_SHARE, {c: c for c in CHANNEL_SHARE}),
            "queues": _weighted(QUEUE_SHARE, queues),
            "front_desk": staff.front_desk_id,
            "officers": staff.officer_ids,
            "n_officers": len(staff.officer_ids),
        },
    )


def load_inquiries(lo: int, hi: int) -> int:
    return _execute(
        """
        INSERT INTO contact_inquiry (id, reference, year, number, channel, subject, body,
            language, sender_id, queue_id, assigned_to_id, status, received_at, due_date,
            original_due_date, interim_reply_due, interim_reply_sent_at, paused_since,
            answered_at, closed_at, first_contact_resolved, created_by_id, created_at,
            updated_at)
        SELECT i, year || '-' || lpad(number::text, 6, '0'), year, number, channel,
            (%(subjects)s::text[])[1 + (i * 7) %% %(n_subjects)s],
            'Hei. Eg lurer på korleis dette fungerer og kva eg må sende inn: '
                || lower((%(subjects)s::text[])[1 + (i * 7) %% %(n_subjects)s])
                || '. Eg har prøvd å finne svaret på nettsidene utan å lukkast. '
                || 'Kan de ringje meg eller svare på e-post? Takk for hjelpa.',
            language, sender_id, queue_id, assigned_to_id, status, received_at,
            COALESCE(interim_due, original_due_date), original_due_date, interim_reply_due,
            CASE WHEN interim THEN received_at + interval '5 days' END, paused_since,
            answered_at,
            CASE WHEN status = 'closed' THEN
                CASE WHEN fcr THEN answered_at ELSE LEAST(answered_at + interval '1 hour', now())
                END
            END,
            fcr, created_by_id, received_at, COALESCE(answered_at, received_at)
        FROM bench_plan WHERE i BETWEEN %(lo)s AND %(hi)s
        """,
        {"lo": lo, "hi": hi, "subjects": SUBJECTS, "n_subjects": len(SUBJECTS)},
    )


def load_handovers(front_desk_id: int) -> int:
    """Pending handovers for the forwarded inquiries (some past the acknowledgement limit)
    and acknowledged ones in the history of some closed inquiries."""
    return _execute(
        """
        INSERT INTO contact_handover (inquiry_id, from_queue_id, to_queue_id, to_user_id, note,
            created_by_id, created_at, acknowledged_at, acknowledged_by_id)
        SELECT i, NULL, queue_id, CASE WHEN status = 'forwarded' THEN assigned_to_id END,
            'Ver venleg og svar innbyggjaren innan fristen.', %(front_desk)s, handover_at,
            CASE WHEN status <> 'forwarded' THEN handover_at + interval '2 hours' END,
            CASE WHEN status <> 'forwarded' THEN assigned_to_id END
        FROM bench_plan WHERE handover_at IS NOT NULL AND queue_id IS NOT NULL
        ORDER BY i
        """,
        {"front_desk": front_desk_id},
    )


def load_events(lo: int, hi: int) -> int:
    """The timeline: registered, then taken/paused/interim reply/answered/closed as the
    inquiry's state says."""
    return _execute(
        """
        INSERT INTO contact_inquiryevent (inquiry_id, kind, actor_id, at, text, data)
        SELECT q.id, e.kind, e.actor_id, e.at, e.text, e.data
        FROM contact_inquiry q
        LEFT JOIN organisation_queue qu ON qu.id = q.queue_id
        CROSS JOIN LATERAL (VALUES
            ('registered', q.created_by_id, q.received_at, '',
             jsonb_build_object('channel', q.channel, 'queue', qu.code,
                                'due_date', q.original_due_date)),
            ('taken', q.assigned_to_id, q.received_at + interval '2 hours', '', '{}'::jsonb),
            ('paused', q.assigned_to_id, q.paused_since, 'Manglar teikningar.', '{}'::jsonb),
            ('interim_reply', q.assigned_to_id, q.interim_reply_sent_at,
             'Saka treng meir tid fordi vi må innhente uttale.',
             jsonb_build_object('due_date', q.due_date)),
            ('answered', q.assigned_to_id, q.answered_at,
             'Takk for spørsmålet. Her er svaret frå kommunen.',
             jsonb_build_object('in_time',
                 (q.answered_at AT TIME ZONE 'Europe/Oslo')::date <= q.due_date)),
            ('closed', q.assigned_to_id, q.closed_at, '', '{}'::jsonb)
        ) AS e(kind, actor_id, at, text, data)
        WHERE q.id BETWEEN %(lo)s AND %(hi)s AND e.at IS NOT NULL
          AND (e.kind <> 'taken' OR q.status IN ('in_progress', 'waiting'))
        ORDER BY q.id, e.at
        """,
        {"lo": lo, "hi": hi},
    )


def load_handover_events() -> int:
    return _execute(
        """
        INSERT INTO contact_inquiryevent (inquiry_id, kind, actor_id, at, text, data)
        SELECT h.inquiry_id, e.kind, e.actor_id, e.at, e.text, e.data
        FROM contact_handover h JOIN organisation_queue q ON q.id = h.to_queue_id
        CROSS JOIN LATERAL (VALUES
            ('forwarded', h.created_by_id, h.created_at, h.note,
             jsonb_build_object('to_queue', q.code)),
            ('acknowledged', h.acknowledged_by_id, h.acknowledged_at, '', '{}'::jsonb)
        ) AS e(kind, actor_id, at, text, data)
        WHERE e.at IS NOT NULL
        """
    )


def load_messages(lo: int, hi: int) -> int:
    """The acknowledgement sent for every e-mail and web-form inquiry with an address."""
    return _execute(
        """
        INSERT INTO contact_outgoingmessage (inquiry_id, kind, to_email, subject, body,
            language, status, error, attempts, created_by_id, created_at, sent_at)
        SELECT q.id, 'acknowledgement', s.email,
            'Vi har motteke henvendinga di (' || q.reference || ')',
            'Hei ' || s.name || '. Vi har motteke henvendinga di med referanse '
                || q.reference || ' og svarer innan '
                || to_char(q.original_due_date, 'DD.MM.YYYY')
                || '. Helsing Tenestetorget, Demo kommune.',
            q.language, 'sent', '', 1, NULL, q.received_at + interval '1 minute',
            q.received_at + interval '2 minutes'
        FROM contact_inquiry q JOIN contact_sender s ON s.id = q.sender_id
        WHERE q.id BETWEEN %(lo)s AND %(hi)s AND q.channel IN ('email', 'webform')
          AND s.email <> ''
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
    rich = step("long timelines", lambda: enrich_samples(staff))
    step("knowledge base", load_knowledge)
    step("indexes", lambda: create_indexes(indexes, progress))
    step("number series, vacuum, analyze", finish)
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
