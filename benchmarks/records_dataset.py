"""A municipality's archive of two years, n journal posts, generated inside PostgreSQL.

`load_records(n)` writes into the current default database (PostgreSQL only): one arkiv
with two arkivdelar (last year's, avslutta P; this year's, aktiv A), the K-kodar and
gnr/bnr classification systems, about n/3 cases and n journal posts, with their parties,
one document (dokumentbeskrivelse + dokumentobjekt) each, write-offs, screenings and the
change log the services would have written. Everything big is INSERT ... SELECT over
plan tables made from generate_series; no row travels through Python. The plan tables are
made first (every random draw decided once), then each table is written in batches that
print progress.

The data keeps the records' rules, so the pages measure what they will meet:

* numbers: saksår/sakssekvensnummer and journalår/journalsekvensnummer run 1, 2, 3 ... per
  year with no gaps (continuing any number already taken in `core.numbering`), and the
  series are left at the highest number; journalpostnummer runs 1, 2, 3 ... in each case;
  the unique constraints stay in place during the load;
* last year's arkivdel is closed: every case avslutta, every post arkivert with finished
  documents and every incoming post written off; this year's is open: recent posts J or E,
  older ones arkivert, and a restanse (incoming posts not written off) that is mostly recent;
* journal posts: I 50 %, U 35 %, N/X 15 %; a case usually starts with an incoming letter;
  an answered letter is written off with the answer (BU), others by phone or as noted;
* screened kinds (child welfare, health, personnel: about 4 % of the cases and posts) carry
  a skjerming (offl. § 13 jf. fvl. § 13) on the case and each post, and an offentleg
  tittel with ****** for the name;
* parties: private persons and organisations (`CorrespondencePart.is_person`);
* documents point at a few shared core.Document files (real PDFs in the document store).

Titles come from `tenestetorget.demo.archive_texts`, as the demo archive's do.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from tenestetorget.demo import archive_texts as texts

#: The tables the load fills in bulk; their secondary indexes are dropped and built again.
BIG_TABLES = (
    "records_casefolder",
    "records_registryentry",
    "records_correspondencepart",
    "records_documentdescription",
    "records_documentobject",
    "records_writeoff",
    "records_screening",
    "records_changelogentry",
)
ARCHIVIST_USERNAME = "bench_archivist"
OFFICERS_PER_UNIT = 3
#: How many distinct PDF files the documents share.
SHARED_FILES = 8
BATCH_POSTS = 100_000

Progress = Callable[[str], None]


def _execute(sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _scalar(sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def officer_username(unit: str, n: int) -> str:
    return f"bench_rec_{unit}_{n}"


# --- the small things: organisation, staff, structure, files ---------------------------------


def _ensure_organisation() -> dict[str, int]:
    from tenestetorget.organisation.models import Unit

    if not Unit.objects.exists():
        from benchmarks.dataset import load_organisation

        load_organisation()
    return dict(Unit.objects.values_list("code", "id"))


def ensure_staff(units: dict[str, int]) -> tuple[Any, dict[str, list[tuple[int, str]]]]:
    """The archivist the benchmark logs in as, and three case officers in every unit that owns
    a case kind; returns the archivist and, per unit code, the officers' (id, name)."""
    from tenestetorget.organisation.models import Role, StaffProfile

    user_model = get_user_model()
    unusable = make_password(None)

    def person(username: str, unit: str, role: str, first: str, last: str) -> Any:
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "password": unusable},
        )
        if created:
            StaffProfile.objects.create(user=user, unit_id=units[unit], role=role)
        return user

    archivist = person(ARCHIVIST_USERNAME, "arkiv", Role.ARCHIVIST, "Halvor", "Arkivar")
    officers: dict[str, list[tuple[int, str]]] = {}
    for kind_unit in sorted({kind.unit for kind in texts.CASE_KINDS}):
        officers[kind_unit] = []
        for n in range(1, OFFICERS_PER_UNIT + 1):
            seed = len(officers) * 7 + n
            first = texts.FIRST_NAMES[seed % len(texts.FIRST_NAMES)]
            last = texts.LAST_NAMES[(seed * 3) % len(texts.LAST_NAMES)]
            user = person(officer_username(kind_unit, n), kind_unit, Role.CASE_OFFICER, first, last)
            officers[kind_unit].append((int(user.pk), f"{user.first_name} {user.last_name}"))
    return archivist, officers


def _shared_files(archivist: Any) -> list[tuple[Any, Any, str]]:
    """A few real PDF letters in the document store, which every document object shares,
    each with its archival PDF/A made by Ghostscript (core.documents), as archiving needs:
    (the PDF, its PDF/A or None where Ghostscript is missing, the converter's name).

    Made before any document object refers to them, so the listener that adds A versions
    when a conversion is done finds nothing to do; the loader writes those itself."""
    from tenestetorget.core import documents
    from tenestetorget.core.models import ConversionStatus
    from tenestetorget.demo.pdf import text_pdf

    files = []
    for n in range(SHARED_FILES):
        kind = texts.CASE_KINDS[n % len(texts.CASE_KINDS)]
        title = kind.incoming[0].format(
            namn="Kari Haugen", eigedom="Gnr. 12 bnr. 34", stad="Rauland", tiltak="garasje"
        )
        pdf = text_pdf(title, texts.letter_paragraphs("I", title, "Kari Haugen", "Arkivet"))
        stored = documents.store(ContentFile(pdf), f"brev-{n + 1}.pdf", archivist)
        variant = documents.make_archival_variant(stored)
        done = variant.conversion_status == ConversionStatus.DONE
        files.append((stored, variant.document if done else None, variant.converter))
    return files


def _structure(archivist: Any, today: dt.date) -> dict[str, Any]:
    """Arkiv, arkivskapar, the two arkivdelar and the classification systems, through the
    services (they are few); the closed period is set to P after its cases are loaded."""
    from tenestetorget.records import services
    from tenestetorget.records.models import ArkivdelStatus

    last_year, this_year = today.year - 1, today.year
    archive = services.create_archive(
        "Vinje kommune - arkiv", [("964964998", "Vinje kommune")], archivist
    )
    kkodar = services.create_classification_system("K-kodar", archivist, "K-kodar")
    gnr = services.create_classification_system(
        "Gards- og bruksnummer", archivist, "Gardsnummer/bruksnummer"
    )
    classes: dict[str, int] = {}
    for kind in texts.CASE_KINDS:
        if kind.klasse_id not in classes:
            klasse = services.create_class(kkodar, kind.klasse_id, kind.klasse_tittel, archivist)
            classes[kind.klasse_id] = int(klasse.pk)
    closed = services.create_series(
        archive, f"Sakarkiv {last_year}", archivist, kkodar, dt.date(last_year, 1, 1)
    )
    active = services.create_series(
        archive,
        f"Sakarkiv {this_year}-",
        archivist,
        kkodar,
        dt.date(this_year, 1, 1),
        ArkivdelStatus.AKTIV,
    )
    return {
        "archive": archive,
        "closed": closed,
        "active": active,
        "classes": classes,
        "gnr_system": gnr,
    }


def _gnr_classes(system_id: int, actor: str) -> int:
    """Gnr/bnr classes «12/34» for gnr 1-120, bnr 1-60, in one statement."""
    return _execute(
        """
        INSERT INTO records_archiveclass (system_id, opprettet_dato, opprettet_av, klasse_id,
            tittel, classification_system_id)
        SELECT gen_random_uuid(), now(), %(actor)s, g || '/' || b,
            'Gnr. ' || g || ' bnr. ' || b, %(system)s
        FROM generate_series(1, 120) g, generate_series(1, 60) b
        """,
        {"actor": actor, "system": system_id},
    )


# --- the plan -----------------------------------------------------------------------------------


def _kind_tables(units: dict[str, int], classes: dict[str, int]) -> None:
    """bench_kind (one row per case kind, with a 1000-slot weight table bench_kind_slot) and
    bench_title (the title templates per kind and journalposttype)."""
    _execute("DROP TABLE IF EXISTS bench_kind, bench_kind_slot, bench_title, bench_officer")
    _execute(
        "CREATE UNLOGGED TABLE bench_kind (k int PRIMARY KEY, code text, klasse_id bigint,"
        " unit_id bigint, unit_code text, screened boolean, gnr boolean, person_share float,"
        " case_title text)"
    )
    _execute("CREATE UNLOGGED TABLE bench_kind_slot (slot int PRIMARY KEY, k int)")
    _execute(
        "CREATE UNLOGGED TABLE bench_title (k int, t text, idx int, title text,"
        " PRIMARY KEY (k, t, idx))"
    )
    total = sum(kind.weight for kind in texts.CASE_KINDS)
    slots: list[tuple[int, int]] = []
    with connection.cursor() as cursor:
        for k, kind in enumerate(texts.CASE_KINDS):
            cursor.execute(
                "INSERT INTO bench_kind VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [k, kind.code, classes[kind.klasse_id], units[kind.unit], kind.unit,
                 kind.screened, kind.gnr_bnr, kind.person_share, kind.case_title],
            )  # fmt: skip
            # At least one slot each, so rare kinds (the benchmark's rare words) appear.
            share = max(1, round(kind.weight / total * 10_000))
            first = len(slots)
            slots.extend((first + i, k) for i in range(share))
            for t in ("I", "U", "N", "X"):
                for idx, title in enumerate(kind.titles(t)):
                    cursor.execute(
                        "INSERT INTO bench_title VALUES (%s, %s, %s, %s)", [k, t, idx, title]
                    )
        cursor.executemany("INSERT INTO bench_kind_slot VALUES (%s, %s)", slots)
    _execute(
        "CREATE UNLOGGED TABLE bench_officer (unit_id bigint, idx int, user_id int, name text,"
        " PRIMARY KEY (unit_id, idx))"
    )


def _officer_table(units: dict[str, int], officers: dict[str, list[tuple[int, str]]]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO bench_officer VALUES (%s, %s, %s, %s)",
            [
                (units[unit], idx, user_id, name)
                for unit, people in officers.items()
                for idx, (user_id, name) in enumerate(people)
            ],
        )


def _plan(n_posts: int, today: dt.date, closed_id: int, active_id: int) -> int:
    """bench_rp: one row per post (its case, its place in the case, its draws);
    bench_rc: one row per case; returns the number of cases."""
    _execute("DROP TABLE IF EXISTS bench_rp0, bench_rp, bench_rc, bench_rcs")
    # A post starts a new case with probability 1/3: cases of 1, 2, 3 ... posts, 3 on average.
    _execute(
        """
        CREATE UNLOGGED TABLE bench_rp0 AS
        SELECT j, (j = 1 OR random() < 1.0 / 3) AS starts, random() AS r_type,
            random() AS r_title, random() AS r_party, random() AS r_wo, random() AS r_how
        FROM generate_series(1, %(n)s) AS j
        """,
        {"n": n_posts},
    )
    _execute(
        """
        CREATE UNLOGGED TABLE bench_rp AS
        SELECT j, r_type, r_title, r_party, r_wo, r_how,
            sum(starts::int) OVER w AS c,
            j - max(CASE WHEN starts THEN j END) OVER w + 1 AS jpnr
        FROM bench_rp0
        WINDOW w AS (ORDER BY j ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
        """
    )
    _execute("DROP TABLE bench_rp0")
    n_cases = int(_scalar("SELECT max(c) FROM bench_rp"))
    start = dt.date(today.year - 1, 1, 1)
    span = (today - start).days + 1
    # Cases spread evenly over last year and this year up to today; the case's kind, party,
    # place, property and officer drawn once.
    _execute(
        """
        CREATE UNLOGGED TABLE bench_rc AS
        WITH draws AS (
            SELECT c, random() AS r_kind, random() AS r_person, random() AS r_name,
                random() AS r_place, random() AS r_gnr, random() AS r_officer,
                random() AS r_gap, random() AS r_close,
                %(start)s::date + ((c - 1)::bigint * %(span)s / %(cases)s)::int AS saksdato
            FROM generate_series(1, %(cases)s) AS c
        ), kinded AS (
            SELECT d.*, s.k FROM draws d
            JOIN bench_kind_slot s ON s.slot = floor(d.r_kind * %(slots)s)::int
        )
        SELECT x.c, x.k, x.saksdato, extract(year FROM x.saksdato)::int AS saksaar,
            CASE WHEN extract(year FROM x.saksdato) < %(year)s THEN %(closed)s ELSE %(active)s
            END AS series_id,
            CASE WHEN extract(year FROM x.saksdato) < %(year)s
                 THEN make_date(%(year)s - 1, 12, 31) ELSE %(today)s::date END AS last_day,
            kd.klasse_id, kd.unit_id, kd.screened, kd.gnr,
            x.r_person < kd.person_share AS is_person,
            CASE WHEN x.r_person < kd.person_share THEN
                (%(first)s::text[])[1 + floor(x.r_name * %(nf)s)::int] || ' ' ||
                CASE WHEN x.r_name * 1000 - floor(x.r_name * 1000) < 0.002 THEN %(rare_last)s
                     ELSE (%(last)s::text[])[1 + floor(x.r_gnr * 7919 * %(nl)s)::int %% %(nl)s]
                END
            ELSE (%(orgs)s::text[])[1 + floor(x.r_name * %(no)s)::int] END AS party,
            CASE WHEN x.r_place < 0.002 THEN %(rare_place)s
                 ELSE (%(places)s::text[])[1 + floor(x.r_place * 1000)::int %% %(np)s] END AS stad,
            (%(tiltak)s::text[])[1 + floor(x.r_gap * 1000)::int %% %(nt)s] AS tiltak,
            1 + floor(x.r_gnr * 120)::int AS gnr_no,
            1 + floor(x.r_officer * 60)::int AS bnr_no,
            o.user_id AS officer_id, o.name AS officer,
            2 + floor(x.r_gap * 20)::int AS gap_days,
            x.r_close
        FROM kinded x
        JOIN bench_kind kd ON kd.k = x.k
        JOIN bench_officer o ON o.unit_id = kd.unit_id
            AND o.idx = floor(x.r_officer * %(officers)s)::int
        """,
        {
            "start": start,
            "span": span,
            "cases": n_cases,
            "slots": int(_scalar("SELECT count(*) FROM bench_kind_slot")),
            "year": today.year,
            "today": today,
            "closed": closed_id,
            "active": active_id,
            "first": list(texts.FIRST_NAMES),
            "nf": len(texts.FIRST_NAMES),
            "last": list(texts.LAST_NAMES),
            "nl": len(texts.LAST_NAMES),
            "rare_last": texts.RARE_LAST_NAME,
            "orgs": list(texts.ORGANISATIONS),
            "no": len(texts.ORGANISATIONS),
            "places": list(texts.PLACES),
            "np": len(texts.PLACES),
            "rare_place": texts.RARE_PLACE,
            "tiltak": list(texts.TILTAK),
            "nt": len(texts.TILTAK),
            "officers": OFFICERS_PER_UNIT,
        },
    )
    _execute("ALTER TABLE bench_rc ADD PRIMARY KEY (c)")
    return n_cases


def _fill(template: str, name: str) -> str:
    """SQL that fills a title template's slots: {namn} with `name`, the rest from the case
    row `rc`."""
    return (
        f"replace(replace(replace(replace({template}, '{{namn}}', {name}),"
        " '{eigedom}', 'Gnr. ' || rc.gnr_no || ' bnr. ' || rc.bnr_no),"
        " '{stad}', rc.stad), '{tiltak}', rc.tiltak)"
    )


def _plan_posts(today: dt.date, offsets: dict[int, int], closed_id: int) -> None:
    """bench_rpp: every post decided: type, date, journal numbers, titles, write-off and
    journalstatus."""
    _execute("DROP TABLE IF EXISTS bench_rpt, bench_rpp, bench_title_n")
    _execute(
        """
        CREATE UNLOGGED TABLE bench_rpt AS
        SELECT p.j, p.c, p.jpnr, p.r_title, p.r_party, p.r_wo, p.r_how,
            LEAST(rc.saksdato + (p.jpnr - 1) * rc.gap_days, rc.last_day) AS journaldato,
            -- A case mostly starts with an incoming letter; then answers, notes and more.
            CASE WHEN p.jpnr = 1 THEN
                CASE WHEN r_type < 0.85 THEN 'I' WHEN r_type < 0.90 THEN 'U'
                     WHEN r_type < 0.95 THEN 'N' ELSE 'X' END
            ELSE
                CASE WHEN r_type < 0.33 THEN 'I' WHEN r_type < 0.83 THEN 'U'
                     WHEN r_type < 0.92 THEN 'N' ELSE 'X' END
            END AS t
        FROM bench_rp p JOIN bench_rc rc ON rc.c = p.c
        """
    )
    _execute(
        "CREATE UNLOGGED TABLE bench_title_n AS SELECT k, t, count(*)::int AS n"
        " FROM bench_title GROUP BY k, t"
    )
    title = _fill("tt.title", "rc.party")
    public_title = _fill("tt.title", f"'{texts.MASK}'")
    _execute(
        f"""
        CREATE UNLOGGED TABLE bench_rpp AS
        WITH answered AS (
            SELECT p.*,
                -- The first later outgoing letter or memo in the case answers an incoming one.
                min(j) FILTER (WHERE t IN ('U', 'N')) OVER (
                    PARTITION BY c ORDER BY j
                    ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS answer_j,
                extract(year FROM journaldato)::int AS journalaar,
                row_number() OVER (
                    PARTITION BY extract(year FROM journaldato) ORDER BY journaldato, j
                ) AS journal_rank
            FROM bench_rpt p
        ), decided AS (
            SELECT a.*, rc.series_id, rc.screened, rc.unit_id, rc.officer_id, rc.officer,
                rc.is_person, rc.party, rc.k,
                %(today)s::date - a.journaldato AS age,
                rc.series_id = %(closed)s AS closed,
                {title} AS tittel,
                CASE WHEN rc.screened THEN {public_title} ELSE '' END AS offentlig_tittel
            FROM answered a
            JOIN bench_rc rc ON rc.c = a.c
            JOIN bench_title_n tn ON tn.k = rc.k AND tn.t = a.t
            JOIN bench_title tt ON tt.k = rc.k AND tt.t = a.t
                AND tt.idx = floor(a.r_title * tn.n)::int
        ), written AS (
            -- Last year's incoming letters are all written off; this year's mostly, the
            -- answered ones almost always, the recent unanswered ones least.
            SELECT d.*,
                t = 'I' AND (
                    closed OR (answer_j IS NOT NULL AND r_wo < 0.97)
                    OR r_wo < CASE WHEN age > 60 THEN 0.95 WHEN age > 14 THEN 0.7 ELSE 0.3 END
                ) AS written_off
            FROM decided d
        )
        SELECT w.*,
            w.journal_rank + COALESCE((%(offsets)s::jsonb ->> w.journalaar::text)::int, 0)
                AS journalsekvensnummer,
            CASE WHEN closed THEN 'A'
                 WHEN t = 'I' THEN CASE WHEN written_off AND age > 21 THEN 'A' ELSE 'J' END
                 WHEN age > 21 THEN 'A'
                 WHEN t = 'U' THEN 'E'
                 ELSE 'J' END AS journalstatus
        FROM written w
        """,  # noqa: S608 - identifiers and templates are constants
        {"today": today, "closed": closed_id, "offsets": json.dumps(offsets)},
    )
    _execute("DROP TABLE bench_rpt")
    _execute("ALTER TABLE bench_rpp ADD PRIMARY KEY (j)")
    # Case status: last year's all avslutta; this year's closed when every post is archived
    # and the case is older than two months (mostly), a few utgått; the rest open.
    _execute("DROP TABLE IF EXISTS bench_rcs")
    _execute(
        """
        CREATE UNLOGGED TABLE bench_rcs AS
        SELECT rc.c,
            CASE WHEN rc.series_id = %(closed)s THEN 'A'
                 WHEN rc.r_close < 0.005 THEN 'U'
                 WHEN agg.all_archived AND rc.saksdato < %(today)s::date - 60
                      AND rc.r_close < 0.8 THEN 'A'
                 ELSE 'B' END AS saksstatus,
            agg.posts, agg.last_post
        FROM bench_rc rc
        JOIN (SELECT c, bool_and(journalstatus = 'A') AS all_archived, count(*) AS posts,
                     max(journaldato) AS last_post
              FROM bench_rpp GROUP BY c) agg ON agg.c = rc.c
        """,
        {"closed": closed_id, "today": today},
    )
    _execute("ALTER TABLE bench_rcs ADD PRIMARY KEY (c)")


# --- the bulk inserts ---------------------------------------------------------------------------


def _base_ids() -> dict[str, int]:
    """The highest id in each big table: new rows are numbered after it."""
    return {
        table: int(_scalar(f"SELECT COALESCE(max(id), 0) FROM {table}"))  # noqa: S608
        for table in BIG_TABLES
    }


def _insert_cases(base: int, offsets: dict[int, int], gnr_system: int) -> int:
    case_title = _fill("kd.case_title", "rc.party")
    public_title = _fill("kd.case_title", f"'{texts.MASK}'")
    return _execute(
        f"""
        INSERT INTO records_casefolder (id, system_id, opprettet_dato, opprettet_av, mappe_id,
            tittel, offentlig_tittel, saksaar, sakssekvensnummer, saksdato,
            administrativ_enhet, saksansvarlig, saksstatus, avsluttet_dato, avsluttet_av,
            siste_journalpostnummer, klasse_id, saksansvarlig_user_id, sekundaer_klasse_id,
            unit_id, series_id)
        SELECT %(base)s + rc.c, gen_random_uuid(),
            (rc.saksdato + time '09:00') AT TIME ZONE 'Europe/Oslo', rc.officer,
            rc.saksaar || '/' || nr.seq, {case_title},
            CASE WHEN rc.screened THEN {public_title} ELSE '' END,
            rc.saksaar, nr.seq, rc.saksdato, u.name, rc.officer, cs.saksstatus,
            CASE WHEN cs.saksstatus <> 'B'
                 THEN (LEAST(cs.last_post + 1, rc.last_day) + time '15:00')
                      AT TIME ZONE 'Europe/Oslo' END,
            CASE WHEN cs.saksstatus <> 'B' THEN rc.officer ELSE '' END,
            cs.posts, rc.klasse_id, rc.officer_id,
            CASE WHEN rc.gnr THEN g.id END, rc.unit_id, rc.series_id
        FROM bench_rc rc
        JOIN bench_rcs cs ON cs.c = rc.c
        JOIN bench_kind kd ON kd.k = rc.k
        JOIN organisation_unit u ON u.id = rc.unit_id
        JOIN (SELECT c, row_number() OVER (PARTITION BY saksaar ORDER BY c)
                    + COALESCE((%(offsets)s::jsonb ->> saksaar::text)::int, 0) AS seq
              FROM bench_rc) nr ON nr.c = rc.c
        LEFT JOIN records_archiveclass g ON rc.gnr AND g.classification_system_id = %(gnr)s
            AND g.klasse_id = rc.gnr_no || '/' || rc.bnr_no
        """,  # noqa: S608 - identifiers and templates are constants
        {"base": base, "offsets": json.dumps(offsets), "gnr": gnr_system},
    )


def _insert_entries(lo: int, hi: int, base: dict[str, int]) -> int:
    return _execute(
        """
        INSERT INTO records_registryentry (id, system_id, opprettet_dato, opprettet_av, kind,
            registrerings_id, tittel, offentlig_tittel, journalaar, journalsekvensnummer,
            journalpostnummer, journalposttype, journalstatus, journaldato, dokumentets_dato,
            mottatt_dato, sendt_dato, forfallsdato, administrativ_enhet, saksbehandler,
            arkivert_dato, arkivert_av, case_folder_id, saksbehandler_user_id, unit_id,
            avskriven)
        SELECT %(entry)s + p.j, gen_random_uuid(),
            (p.journaldato + time '10:00') AT TIME ZONE 'Europe/Oslo', p.officer,
            'journalpost', cf.mappe_id || '-' || p.jpnr, p.tittel, p.offentlig_tittel,
            p.journalaar, p.journalsekvensnummer, p.jpnr, p.t, p.journalstatus, p.journaldato,
            CASE WHEN p.t = 'I' THEN p.journaldato - 2 ELSE p.journaldato END,
            CASE WHEN p.t = 'I' THEN (p.journaldato + time '08:30') AT TIME ZONE 'Europe/Oslo'
            END,
            CASE WHEN p.t = 'U' THEN (p.journaldato + time '14:00') AT TIME ZONE 'Europe/Oslo'
            END,
            CASE WHEN p.t = 'I' THEN p.journaldato + 21 END,
            cf.administrativ_enhet, p.officer,
            CASE WHEN p.journalstatus = 'A'
                 THEN LEAST((p.journaldato + 3 + time '15:00') AT TIME ZONE 'Europe/Oslo',
                            now()) END,
            CASE WHEN p.journalstatus = 'A' THEN p.officer ELSE '' END,
            %(case)s + p.c, p.officer_id, p.unit_id, COALESCE(p.written_off, FALSE)
        FROM bench_rpp p
        JOIN records_casefolder cf ON cf.id = %(case)s + p.c
        WHERE p.j BETWEEN %(lo)s AND %(hi)s
        """,
        {
            "entry": base["records_registryentry"],
            "case": base["records_casefolder"],
            "lo": lo,
            "hi": hi,
        },
    )


def _insert_parties(lo: int, hi: int, base: dict[str, int]) -> int:
    """One party per post: the sender of an incoming letter (mostly the case's party, else
    a neighbour or another body), the recipient of an outgoing one, the internal recipient
    of a memo."""
    return _execute(
        """
        INSERT INTO records_correspondencepart (id, korrespondanseparttype,
            korrespondansepart_navn, postadresse, postnummer, poststed, epostadresse,
            administrativ_enhet, saksbehandler, registry_entry_id, is_person)
        SELECT %(part)s + p.j,
            CASE p.t WHEN 'I' THEN 'EA' WHEN 'U' THEN 'EM' ELSE 'IM' END,
            CASE WHEN p.t IN ('N', 'X') THEN p.officer
                 WHEN p.r_party < 0.8 THEN p.party
                 ELSE (%(first)s::text[])[1 + floor(p.r_party * 1000)::int %% %(nf)s] || ' '
                      || (%(last)s::text[])[1 + floor(p.r_party * 100000)::int %% %(nl)s] END,
            CASE WHEN p.t IN ('I', 'U') THEN 'Vegen ' || (1 + p.j %% 40) ELSE '' END,
            CASE WHEN p.t IN ('I', 'U') THEN '3890' ELSE '' END,
            CASE WHEN p.t IN ('I', 'U') THEN 'Vinje' ELSE '' END,
            '', CASE WHEN p.t IN ('N', 'X') THEN u.name ELSE '' END,
            CASE WHEN p.t IN ('N', 'X') THEN p.officer ELSE '' END,
            %(entry)s + p.j,
            -- Memo recipients are staff, not private persons in the public journal's sense.
            CASE WHEN p.t IN ('N', 'X') THEN false
                 WHEN p.r_party < 0.8 THEN p.is_person ELSE true END
        FROM bench_rpp p
        JOIN organisation_unit u ON u.id = p.unit_id
        WHERE p.j BETWEEN %(lo)s AND %(hi)s
        """,
        {
            "part": base["records_correspondencepart"],
            "entry": base["records_registryentry"],
            "first": list(texts.FIRST_NAMES),
            "nf": len(texts.FIRST_NAMES),
            "last": list(texts.LAST_NAMES),
            "nl": len(texts.LAST_NAMES),
            "lo": lo,
            "hi": hi,
        },
    )


def _insert_documents(
    lo: int, hi: int, base: dict[str, int], files: list[tuple[Any, Any, str]], n_posts: int
) -> int:
    """One main document per post (finished unless it is a memo still being written) and
    its production-format version, whose file is one of the few shared PDFs."""
    rows = _execute(
        """
        INSERT INTO records_documentdescription (id, system_id, opprettet_dato, opprettet_av,
            dokumenttype, dokumentstatus, tittel, tilknyttet_registrering_som, dokumentnummer,
            tilknyttet_dato, tilknyttet_av, registry_entry_id)
        SELECT %(doc)s + p.j, gen_random_uuid(),
            (p.journaldato + time '10:00') AT TIME ZONE 'Europe/Oslo', p.officer,
            CASE WHEN p.t IN ('N', 'X') THEN 'Notat' ELSE 'Brev' END,
            CASE WHEN p.t IN ('N', 'X') AND p.journalstatus = 'J' THEN 'B' ELSE 'F' END,
            p.tittel, 'H', 1,
            (p.journaldato + time '10:00') AT TIME ZONE 'Europe/Oslo', p.officer,
            %(entry)s + p.j
        FROM bench_rpp p
        WHERE p.j BETWEEN %(lo)s AND %(hi)s
        """,
        {
            "doc": base["records_documentdescription"],
            "entry": base["records_registryentry"],
            "lo": lo,
            "hi": hi,
        },
    )
    production = [(f.pk, f.pk, "") for f, _archival, _converter in files]
    rows += _insert_objects(lo, hi, base["records_documentobject"], "P", production, base)
    archival = [(f.pk, a.pk, c) for f, a, c in files if a is not None]
    if len(archival) == len(files):
        # Every archived post's document has its arkivformat version: the PDF/A of its file.
        # A versions are numbered after all the P ones, so both are written per batch.
        first_archival = base["records_documentobject"] + n_posts
        rows += _insert_objects(lo, hi, first_archival, "A", archival, base)
    return rows


def _insert_objects(
    lo: int, hi: int, first_id: int, variant: str, files: list[tuple[Any, Any, str]], base: Any
) -> int:
    """Document objects of one variant; `files` are (the P file, this variant's file, the
    converter), the P file chosen by the post's number. An A version only for archived
    posts."""
    from tenestetorget.records.services import ARCHIVAL_VARIANT_CREATOR

    return _execute(
        """
        INSERT INTO records_documentobject (id, system_id, opprettet_dato, opprettet_av,
            versjonsnummer, variantformat, format, format_detaljer, referanse_dokumentfil,
            sjekksum, sjekksum_algoritme, filstoerrelse, document_id, stored_file_id)
        SELECT %(obj)s + p.j, gen_random_uuid(),
            (p.journaldato + time '10:00') AT TIME ZONE 'Europe/Oslo',
            CASE WHEN %(variant)s = 'A' THEN %(creator)s ELSE p.officer END,
            1, %(variant)s, COALESCE(NULLIF(f.pronom, ''), 'av/0'),
            (%(converters)s::text[])[1 + p.j %% %(nfiles)s],
            'DOKUMENT/' || f.sha256 || '.pdf', f.sha256, 'SHA256', f.size,
            %(doc)s + p.j, f.id
        FROM bench_rpp p
        JOIN core_document f ON f.id = (%(files)s::bigint[])[1 + p.j %% %(nfiles)s]
        WHERE p.j BETWEEN %(lo)s AND %(hi)s AND (%(variant)s = 'P' OR p.journalstatus = 'A')
        """,
        {
            "obj": first_id,
            "doc": base["records_documentdescription"],
            "variant": variant,
            "creator": ARCHIVAL_VARIANT_CREATOR,
            "files": [int(made) for _p, made, _c in files],
            "converters": [converter[:200] for _p, _made, converter in files],
            "nfiles": len(files),
            "lo": lo,
            "hi": hi,
        },
    )


def _insert_write_offs(base: dict[str, int]) -> int:
    return _execute(
        """
        INSERT INTO records_writeoff (avskrivningsdato, avskrevet_av, avskrivningsmaate, note,
            answered_by_id, avskrevet_av_user_id, registry_entry_id)
        SELECT COALESCE(a.journaldato, LEAST(p.journaldato + 1 + floor(p.r_how * 10)::int,
                                             %(today)s::date)),
            p.officer,
            CASE WHEN a.j IS NOT NULL THEN CASE WHEN p.r_how < 0.3 THEN 'BE' ELSE 'BU' END
                 WHEN p.r_how < 0.4 THEN 'TLF' WHEN p.r_how < 0.8 THEN 'TE' ELSE 'TO' END,
            '', %(entry)s + a.j, p.officer_id, %(entry)s + p.j
        FROM bench_rpp p
        LEFT JOIN bench_rpp a ON a.j = p.answer_j AND p.answer_j IS NOT NULL
            AND (p.closed OR p.r_wo < 0.97)
        WHERE p.written_off
        """,
        {"entry": base["records_registryentry"], "today": timezone.localdate()},
    )


def _insert_screenings(base: dict[str, int]) -> int:
    rows = _execute(
        """
        INSERT INTO records_screening (tilgangsrestriksjon, skjermingshjemmel,
            skjerming_metadata, case_folder_id)
        SELECT %(code)s, %(basis)s, %(fields)s::jsonb, %(case)s + rc.c
        FROM bench_rc rc WHERE rc.screened
        """,
        {
            "code": texts.SCREENING_CODE,
            "basis": texts.SCREENING_BASIS,
            "fields": json.dumps(list(texts.CASE_SCREENED_FIELDS)),
            "case": base["records_casefolder"],
        },
    )
    rows += _execute(
        """
        INSERT INTO records_screening (tilgangsrestriksjon, skjermingshjemmel,
            skjerming_metadata, registry_entry_id)
        SELECT %(code)s, %(basis)s, %(fields)s::jsonb, %(entry)s + p.j
        FROM bench_rpp p WHERE p.screened
        """,
        {
            "code": texts.SCREENING_CODE,
            "basis": texts.SCREENING_BASIS,
            "fields": json.dumps(list(texts.ENTRY_SCREENED_FIELDS)),
            "entry": base["records_registryentry"],
        },
    )
    return rows


def _screening_text(fields: Sequence[str]) -> str:
    """As services._screening_text writes a new skjerming into the change log."""
    return f"{texts.SCREENING_CODE} {texts.SCREENING_BASIS} ({', '.join(fields)})"


_LOG_COLUMNS = (
    "INSERT INTO records_changelogentry (referanse_arkivenhet, referanse_metadata,"
    " tidligere_verdi, ny_verdi, endret_dato, endret_av, endret_av_user_id) "
)


def _log(select: str, params: dict[str, Any]) -> int:
    return _execute(_LOG_COLUMNS + select, params)


def _insert_change_log(base: dict[str, int], archivist_id: int) -> int:
    """What the services log: journalstatus steps, finished documents, write-offs, closed
    cases and new screenings, each by the officer (the archivist archives last year)."""
    params = {
        "entry": base["records_registryentry"],
        "case": base["records_casefolder"],
        "doc": base["records_documentdescription"],
        "archivist": archivist_id,
        "entry_screening": _screening_text(texts.ENTRY_SCREENED_FIELDS),
        "case_screening": _screening_text(texts.CASE_SCREENED_FIELDS),
    }
    rows = 0
    # Journalstatus: J -> E for outgoing letters sent, then E -> A; J -> A for the rest.
    rows += _log(
        """
        SELECT e.system_id, 'journalstatus', step.old, step.new,
            (e.journaldato + step.days + time '14:00') AT TIME ZONE 'Europe/Oslo',
            e.saksbehandler, e.saksbehandler_user_id
        FROM records_registryentry e
        JOIN LATERAL (VALUES ('J', 'E', 0, e.journalposttype = 'U'),
                             (CASE WHEN e.journalposttype = 'U' THEN 'E' ELSE 'J' END, 'A', 3,
                              e.journalstatus = 'A')) AS step(old, new, days, applies)
            ON step.applies AND (step.new <> 'E' OR e.journalstatus IN ('E', 'A'))
        WHERE e.id > %(entry)s
        """,
        params,
    )
    rows += _log(
        """
        SELECT d.system_id, 'dokumentstatus', 'B', 'F', d.tilknyttet_dato, d.tilknyttet_av,
            e.saksbehandler_user_id
        FROM records_documentdescription d
        JOIN records_registryentry e ON e.id = d.registry_entry_id
        WHERE d.id > %(doc)s AND d.dokumentstatus = 'F'
        """,
        params,
    )
    rows += _log(
        """
        SELECT e.system_id, 'avskrivning', '',
            w.avskrivningsmaate || COALESCE(' ' || a.registrerings_id, ''),
            (w.avskrivningsdato + time '13:00') AT TIME ZONE 'Europe/Oslo', w.avskrevet_av,
            w.avskrevet_av_user_id
        FROM records_writeoff w
        JOIN records_registryentry e ON e.id = w.registry_entry_id
        LEFT JOIN records_registryentry a ON a.id = w.answered_by_id
        WHERE e.id > %(entry)s
        """,
        params,
    )
    rows += _log(
        """
        SELECT c.system_id, 'saksstatus', 'B', c.saksstatus, c.avsluttet_dato, c.avsluttet_av,
            c.saksansvarlig_user_id
        FROM records_casefolder c
        WHERE c.id > %(case)s AND c.saksstatus <> 'B'
        """,
        params,
    )
    rows += _log(
        """
        SELECT c.system_id, 'skjerming', '', %(case_screening)s, c.opprettet_dato,
            c.saksansvarlig, c.saksansvarlig_user_id
        FROM records_casefolder c JOIN records_screening s ON s.case_folder_id = c.id
        WHERE c.id > %(case)s
        UNION ALL
        SELECT e.system_id, 'skjerming', '', %(entry_screening)s, e.opprettet_dato,
            e.saksbehandler, e.saksbehandler_user_id
        FROM records_registryentry e JOIN records_screening s ON s.registry_entry_id = e.id
        WHERE e.id > %(entry)s
        """,
        params,
    )
    return rows


# --- indexes, numbers, statistics ---------------------------------------------------------------


def _drop_secondary_indexes() -> list[str]:
    """Drop the indexes that back no constraint on the records tables; return them."""
    from benchmarks.dataset import drop_secondary_indexes

    return drop_secondary_indexes(BIG_TABLES)


def _drop_foreign_keys() -> list[tuple[str, str, str]]:
    """Drop the foreign keys of the big tables; return (table, name, definition) of each.

    Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: each inserted row queues a
    check for the commit, millions of them, one lookup each (minutes). Added again after
    the load, each key is checked once over the whole table with a join (seconds)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c
            WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)
            ORDER BY 1, 2
            """,
            [list(BIG_TABLES)],
        )
        rows = [(str(t), str(n), str(d)) for t, n, d in cursor.fetchall()]
        for table, name, _definition in rows:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    return rows


def _add_foreign_keys(keys: list[tuple[str, str, str]], say: Progress) -> None:
    for table, name, definition in keys:
        t0 = time.perf_counter()
        _execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        say(f"  foreign key {name} ({time.perf_counter() - t0:.1f} s)")


def _number_offsets(series: str) -> dict[int, int]:
    from tenestetorget.core.models import NumberSeries

    return dict(NumberSeries.objects.filter(series=series).values_list("year", "last"))


def _finish(series_closed_id: int, archivist: Any) -> None:
    """Sequences past the loaded ids, the number series at the highest number taken, last
    year's arkivdel closed (P), the plan tables gone."""
    from tenestetorget.records.services import CASE_SERIES, JOURNAL_SERIES

    for table in BIG_TABLES:
        _execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608
            f" GREATEST((SELECT max(id) FROM {table}), 1))"
        )
    _execute(
        """
        INSERT INTO core_numberseries (series, year, last)
        SELECT %(case)s, saksaar, max(sakssekvensnummer) FROM records_casefolder
        GROUP BY saksaar
        UNION ALL
        SELECT %(journal)s, journalaar, max(journalsekvensnummer) FROM records_registryentry
        WHERE journalaar IS NOT NULL GROUP BY journalaar
        ON CONFLICT (series, year) DO UPDATE SET last = GREATEST(
            core_numberseries.last, EXCLUDED.last)
        """,
        {"case": CASE_SERIES, "journal": JOURNAL_SERIES},
    )
    from tenestetorget.records import periods
    from tenestetorget.records.models import Series

    # As the archivist closes a period: refused if a case were open, and logged.
    last_day = dt.date(timezone.localdate().year - 1, 12, 31)
    periods.close_series(Series.objects.get(pk=series_closed_id), archivist, today=last_day)
    _execute(
        "DROP TABLE IF EXISTS bench_rp, bench_rc, bench_rcs, bench_rpp, bench_kind,"
        " bench_kind_slot, bench_title, bench_title_n, bench_officer"
    )


def load_records(n_posts: int, *, progress: bool = True) -> None:
    """Load an archive of `n_posts` journal posts (about n/3 cases) over last year (closed)
    and this year (open) into the default database, which must be PostgreSQL and hold no
    records yet. About 2-3 minutes for 1,000,000 posts on two cores."""
    from tenestetorget.records.models import CaseFolder
    from tenestetorget.records.services import CASE_SERIES, JOURNAL_SERIES

    if connection.vendor != "postgresql":
        raise RuntimeError("load_records needs PostgreSQL (it writes with INSERT ... SELECT)")
    if n_posts < 1:
        raise ValueError("n_posts must be positive")
    if CaseFolder.objects.exists():
        raise RuntimeError("the database holds records already; load into an empty archive")
    started = time.perf_counter()

    def say(message: str) -> None:
        if progress:
            print(f"[{time.perf_counter() - started:7.1f} s] {message}", flush=True)

    def step(name: str, func: Callable[[], Any]) -> Any:
        t0 = time.perf_counter()
        result = func()
        say(f"{name}: {time.perf_counter() - t0:.1f} s")
        return result

    today = timezone.localdate()
    in_transaction = connection.in_atomic_block
    with transaction.atomic():
        units = step("organisation", _ensure_organisation)
        archivist, officers = step("staff", lambda: ensure_staff(units))
        structure = step("archive structure", lambda: _structure(archivist, today))
        gnr_system = int(structure["gnr_system"].pk)
        step(
            "gnr/bnr classes",
            lambda: _gnr_classes(structure["gnr_system"].pk, str(archivist.get_full_name())),
        )
        files = step("shared PDF files", lambda: _shared_files(archivist))
    # The load session does not wait for the disk on each commit and may sort in memory.
    _execute("SET synchronous_commit = off")
    _execute("SET maintenance_work_mem = '512MB'")
    _execute("SET work_mem = '256MB'")
    with transaction.atomic():
        # Checks still pending from the structure (inside a caller's transaction, as in a
        # test) would forbid altering the tables they concern.
        _execute("SET CONSTRAINTS ALL IMMEDIATE")
        indexes = step("drop secondary indexes", _drop_secondary_indexes)
        foreign_keys = step("drop foreign keys", _drop_foreign_keys)
        closed_id, active_id = int(structure["closed"].pk), int(structure["active"].pk)

        def plan() -> int:
            _kind_tables(units, structure["classes"])
            _officer_table(units, officers)
            cases = _plan(n_posts, today, closed_id, active_id)
            _plan_posts(today, _number_offsets(JOURNAL_SERIES), closed_id)
            return cases

        n_cases = step("plan", plan)
        say(f"  {n_cases:,} cases, {n_posts:,} journal posts")
        base = _base_ids()
        case_offsets = _number_offsets(CASE_SERIES)
        step("cases", lambda: _insert_cases(base["records_casefolder"], case_offsets, gnr_system))

        def batched(label: str, func: Callable[[int, int], int]) -> None:
            done = 0
            for lo in range(1, n_posts + 1, BATCH_POSTS):
                hi = min(lo + BATCH_POSTS - 1, n_posts)
                done += func(lo, hi)
                say(f"  {label}: {hi:,}/{n_posts:,} posts, {done:,} rows")

        step(
            "journal posts", lambda: batched("posts", lambda lo, hi: _insert_entries(lo, hi, base))
        )
        step("parties", lambda: batched("parties", lambda lo, hi: _insert_parties(lo, hi, base)))
        step(
            "documents",
            lambda: batched(
                "documents", lambda lo, hi: _insert_documents(lo, hi, base, files, n_posts)
            ),
        )
        say(f"  write-offs: {step('write-offs', lambda: _insert_write_offs(base)):,}")
        say(f"  screenings: {step('screenings', lambda: _insert_screenings(base)):,}")
        say(
            "  change log: "
            f"{step('change log', lambda: _insert_change_log(base, int(archivist.pk))):,}"
        )
        # Checks still pending (the small tables' rows) would stop the index builds.
        _execute("SET CONSTRAINTS ALL IMMEDIATE")
        step("indexes", lambda: _create_indexes(indexes, say))
        step("foreign keys", lambda: _add_foreign_keys(foreign_keys, say))
        step("numbers and the closed period", lambda: _finish(closed_id, archivist))
    _execute("RESET synchronous_commit")
    _execute("RESET maintenance_work_mem")
    _execute("RESET work_mem")
    # VACUUM cannot run inside a transaction (a test's); ANALYZE can.
    for table in BIG_TABLES:
        _execute(f"{'ANALYZE' if in_transaction else 'VACUUM (ANALYZE)'} {table}")
    say(f"records loaded in {time.perf_counter() - started:.1f} s")


def _create_indexes(definitions: list[str], say: Progress) -> None:
    for n, definition in enumerate(definitions, 1):
        t0 = time.perf_counter()
        _execute(definition)
        name = definition.split(" ON ")[0].split()[-1]
        say(f"  index {n}/{len(definitions)} {name} ({time.perf_counter() - t0:.1f} s)")
