"""loependeJournal.xml written by PostgreSQL: one query returns each journalregistrering
as finished XML text, and Python only writes it out.

The Python writer (`journals._loepende_fragment`) is the reference and what SQLite uses;
this is the same layout, element for element, in SQL: `xmlforest` escapes the values and
leaves out NULLs (as `Fragment.leaf` leaves out None and ''), code lists become CASE, the
screening's first code of each kind is a CASE over the jsonb list. A test on PostgreSQL
holds the two to the same bytes (records/tests/test_export_leaves.py). Written in Python
the file cost about 60 µs a post, almost all of it turning values into text one by one;
here the database does that in C, beside the queries it ran anyway."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.db import connection

from tenestetorget.records import models as m
from tenestetorget.records.extraction import leaves
from tenestetorget.records.extraction.codes import CODE_LISTS

#: Posts fetched from the server-side cursor at a time.
FETCH = 2000

_SENDERS = (m.Korrespondanseparttype.AVSENDAR, m.Korrespondanseparttype.INTERN_AVSENDAR)


class _Sql:
    """Builds the query's parts. The constants in it (code lists, kinds) are written as
    literals, not parameters: the parts are built in another order than they stand in
    the query, and none of them comes from a user."""

    def param(self, value: str) -> str:
        return "'" + value.replace("'", "''") + "'"

    def leaf(self, element: str, sql: str, *, text: bool = True) -> str:
        """<element>value</element>, nothing for NULL (and for '' when `text`)."""
        value = f"NULLIF(({sql})::text, '')" if text else f"({sql})"
        return f'xmlforest({value} AS "{element}")::text'

    def code(self, code_list: str, sql: str) -> str:
        """The code's text from the code list; a value outside it as it is."""
        whens = " ".join(
            f"WHEN {self.param(code)} THEN {self.param(text)}"
            for code, text in CODE_LISTS[code_list].items()
        )
        return f"CASE ({sql}) {whens} ELSE ({sql})::text END"

    def first_code(self, codes: Sequence[str], wanted: Sequence[str]) -> str:
        """skjermingMetadata: the text of the first of `wanted` found in any of the jsonb
        lists `codes` (journals._first)."""
        whens = " ".join(
            "WHEN "
            + " OR ".join(f"COALESCE({c} ? {self.param(code)}, false)" for c in codes)
            + f" THEN {self.param(CODE_LISTS['skjermingMetadata'][code])}"
            for code in wanted
        )
        return self.leaf("skjermingMetadata", f"CASE {whens} END")

    def each_code(self, codes: str, wanted: Sequence[str]) -> str:
        """skjermingMetadata once for each of `wanted` in the list `codes`, in that order."""
        return ", ".join(
            f"CASE WHEN COALESCE({codes} ? {self.param(code)}, false) THEN "
            + self.leaf("skjermingMetadata", self.param(CODE_LISTS["skjermingMetadata"][code]))
            + " END"
            for code in wanted
        )


def loepende_query(series_ids: Sequence[int]) -> str:
    """The query of the løpande journal: one row per journal post, in
    journal order, with its journalregistrering as XML text."""
    q = _Sql()
    case_codes = "cs.skjerming_metadata"
    all_codes = (case_codes, "es.skjerming_metadata")
    senders = ", ".join(q.param(code) for code in _SENDERS)
    part = (
        "concat('<korrespondansepart>', "
        + q.leaf(
            "korrespondanseparttype", q.code("korrespondanseparttype", "p.korrespondanseparttype")
        )
        + ", "
        + q.leaf("korrespondansepartNavn", "p.korrespondansepart_navn")
        + f", CASE WHEN p.korrespondanseparttype IN ({senders}) THEN "
        + q.first_code(all_codes, ("NA", "NPS"))
        + " ELSE "
        + q.first_code(all_codes, ("NM", "NPS"))
        + " END, '</korrespondansepart>')"
    )
    # An internal note without parties: its unit as the internal sender (journals).
    unit_as_sender = (
        "concat('<korrespondansepart>', "
        + q.leaf("korrespondanseparttype", q.param(CODE_LISTS["korrespondanseparttype"]["IA"]))
        + ", "
        + q.leaf("korrespondansepartNavn", "e.administrativ_enhet")
        + ", "
        + q.first_code(all_codes, ("NA", "NPS"))
        + ", '</korrespondansepart>')"
    )
    klasse = (
        "CASE WHEN k.klasse_id <> '' THEN concat('<klasse>', "
        + q.leaf("klasseID", "k.klasse_id")
        + ", "
        + q.leaf("tittel", "k.tittel")
        + ", "
        + q.each_code(case_codes, ("KID", "TKL"))
        + ", '</klasse>') END"
    )
    saksmappe = ", ".join(
        [
            "'<saksmappe>'",
            q.leaf("mappeID", "c.mappe_id"),
            q.leaf("saksaar", "c.saksaar", text=False),
            q.leaf("sakssekvensnummer", "c.sakssekvensnummer", text=False),
            q.leaf("tittel", "c.tittel"),
            q.leaf("offentligTittel", "c.offentlig_tittel"),
            q.first_code((case_codes,), ("TM1", "TMO", "M")),
            q.leaf("administrativEnhet", "c.administrativ_enhet"),
            q.leaf("saksansvarlig", "c.saksansvarlig"),
            q.leaf("referanseArkivdel", "s.system_id", text=False),
            "'</saksmappe>'",
        ]
    )
    basis = "CASE WHEN es.id IS NOT NULL THEN es.{0} ELSE cs.{0} END"
    journalpost = ", ".join(
        [
            "'<journalpost>'",
            q.leaf("systemID", "e.system_id", text=False),
            q.leaf("registreringsID", "e.registrerings_id"),
            q.leaf("journalaar", "e.journalaar", text=False),
            q.leaf("journalsekvensnummer", "e.journalsekvensnummer", text=False),
            q.leaf("journalpostnummer", "e.journalpostnummer", text=False),
            q.leaf("tittel", "e.tittel"),
            q.leaf("offentligTittel", "e.offentlig_tittel"),
            q.first_code(all_codes, ("TR1", "TRO", "M")),
            q.leaf("journaldato", "e.journaldato", text=False),
            q.leaf("dokumentetsDato", "e.dokumentets_dato", text=False),
            q.leaf("avskrivningsdato", "w.avskrivningsdato", text=False),
            q.leaf("avskrivningsmaate", q.code("avskrivningsmaate", "w.avskrivningsmaate")),
            q.leaf("administrativEnhet", "e.administrativ_enhet"),
            q.leaf("saksbehandler", "e.saksbehandler"),
            q.leaf("referanseAvskrivesAvJournalpost", "w.answered_system_id", text=False),
            q.leaf("tilgangsrestriksjon", basis.format("tilgangsrestriksjon")),
            q.leaf("skjermingshjemmel", basis.format("skjermingshjemmel")),
            f"COALESCE(parts.xml, {unit_as_sender})",
            "'</journalpost>'",
        ]
    )
    t = {
        name: model._meta.db_table
        for name, model in {
            "entry": m.RegistryEntry,
            "case": m.CaseFolder,
            "klasse": m.ArchiveClass,
            "series": m.Series,
            "screening": m.Screening,
            "writeoff": m.WriteOff,
            "part": m.CorrespondencePart,
        }.items()
    }
    kind = q.param(m.RegistreringKind.JOURNALPOST)
    ids = "'{" + ",".join(str(int(pk)) for pk in series_ids) + "}'"
    # Table names from the models and literals from _Sql.param: nothing from a user.
    sql = f"""
        SELECT concat('<journalregistrering>', {klasse}, {saksmappe}, {journalpost},
                      '</journalregistrering>')
        FROM {t["entry"]} e
        JOIN {t["case"]} c ON c.id = e.case_folder_id
        JOIN {t["series"]} s ON s.id = c.series_id
        LEFT JOIN {t["klasse"]} k ON k.id = c.klasse_id
        LEFT JOIN {t["screening"]} cs ON cs.case_folder_id = c.id
        LEFT JOIN {t["screening"]} es ON es.registry_entry_id = e.id
        LEFT JOIN LATERAL (
            -- The latest write-off, as the Python writer keeps the last.
            SELECT w.avskrivningsdato, w.avskrivningsmaate, a.system_id AS answered_system_id
            FROM {t["writeoff"]} w LEFT JOIN {t["entry"]} a ON a.id = w.answered_by_id
            WHERE w.registry_entry_id = e.id ORDER BY w.id DESC LIMIT 1
        ) w ON true
        LEFT JOIN LATERAL (
            SELECT string_agg({part}, '' ORDER BY p.id) AS xml
            FROM {t["part"]} p
            WHERE p.registry_entry_id = e.id
        ) parts ON true
        WHERE e.kind = {kind} AND c.series_id = ANY({ids}::bigint[])
        ORDER BY e.journalaar, e.journalsekvensnummer
    """  # noqa: S608
    return sql


def loepende_rows(series_ids: Sequence[int]) -> Iterator[list[str]]:
    """The journalregistreringar in batches of FETCH, as XML text, cleaned of characters
    XML cannot carry (leaves.clean, as the leaves are)."""
    with connection.chunked_cursor() as cursor:
        cursor.execute(loepende_query(series_ids))
        while rows := cursor.fetchmany(FETCH):
            yield [leaves.clean(row[0]) for row in rows]
