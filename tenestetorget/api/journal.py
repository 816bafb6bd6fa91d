"""The public journal as JSON: GET /api/v1/journal/ (no login; it is the public journal).

The same data and filters as the page /journal/, from records.public_search, newest first,
in pages linked by `next` and `previous` (keyset cursors, so a page costs the same at any
depth and no total is counted). Every field comes from records.public.PublicEntry: public
titles, masked names, never a screened word or a fødselsnummer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tenestetorget.api.errors import ErrorSerializer, api_exception_handler
from tenestetorget.api.throttles import PublicThrottle
from tenestetorget.records import public_search
from tenestetorget.records.models import Journalposttype, Korrespondanseparttype
from tenestetorget.records.public import PublicEntry

MAX_LIMIT = public_search.MAX_PAGE_SIZE
#: How much of a free-text parameter is searched for; the rest is left out, not refused.
MAX_TEXT = 200
NUMBER_PATTERN = r"^[0-9]{4}/[0-9]{1,9}(-[0-9]{1,9})?$"
JOURNAL_NUMBER_PATTERN = r"^[0-9]{4}/[0-9]{1,9}$"
CURSOR_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\.[0-9]{1,18}$"

LIMIT_MESSAGE = gettext_lazy("limit må vere eit heiltal frå 1 til %(max)s.") % {"max": MAX_LIMIT}
DATE_MESSAGE = gettext_lazy("Skriv datoen som ÅÅÅÅ-MM-DD, til dømes 2026-03-05.")
NUMBER_MESSAGE = gettext_lazy("Skriv nummeret som år/nummer, til dømes 2026/123.")
CURSOR_MESSAGE = gettext_lazy("Bruk peikaren frå «next» eller «previous» slik han er.")
TYPE_MESSAGE = gettext_lazy("Ukjend journalposttype. Bruk I, U, N, X eller S.")


def _date(help_text: str) -> serializers.DateField:
    return serializers.DateField(
        required=False,
        input_formats=["iso-8601"],
        help_text=help_text,
        error_messages={"invalid": DATE_MESSAGE, "datetime": DATE_MESSAGE},
    )


def _pattern(pattern: str, message: Any, help_text: str) -> serializers.RegexField:
    return serializers.RegexField(
        pattern, required=False, help_text=help_text, error_messages={"invalid": message}
    )


class JournalQuerySerializer(serializers.Serializer[Any]):
    # The query parameters besides `q`, `part` and `type` (a comment, not a docstring:
    # drf-spectacular would publish it).
    dato = _date("Only posts with this journal date (journaldato).")
    fra = _date("Journal date from, inclusive.")
    til = _date("Journal date to, inclusive.")
    saksnr = _pattern(
        NUMBER_PATTERN, NUMBER_MESSAGE, "Case number «2026/123», or a post «2026/123-4»."
    )
    journalnr = _pattern(JOURNAL_NUMBER_PATTERN, NUMBER_MESSAGE, "Journal number «2026/456».")
    after = _pattern(CURSOR_PATTERN, CURSOR_MESSAGE, "The cursor of the next page (from `next`).")
    before = _pattern(
        CURSOR_PATTERN, CURSOR_MESSAGE, "The cursor of the previous page (from `previous`)."
    )
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_LIMIT, default=public_search.DEFAULT_PAGE_SIZE,
        help_text=f"Posts per page, at most {MAX_LIMIT}.",
        error_messages=dict.fromkeys(
            ("invalid", "min_value", "max_value", "max_string_length"), LIMIT_MESSAGE
        ),
    )  # fmt: skip


class TypesSerializer(serializers.Serializer[Any]):
    type = serializers.ListField(
        child=serializers.ChoiceField(
            choices=Journalposttype.values, error_messages={"invalid_choice": TYPE_MESSAGE}
        ),
        required=False,
    )


class PublicPartySerializer(serializers.Serializer[Any]):
    role = serializers.ChoiceField(
        choices=Korrespondanseparttype.values,
        help_text="korrespondanseparttype: EA sender, EM recipient, EK copy, GM group, "
        "IA/IM internal sender/recipient.",
    )
    name = serializers.CharField(help_text="The public name; `******` when screened.")


class PublicEntrySerializer(serializers.Serializer[Any]):
    system_id = serializers.UUIDField(help_text="systemID of the journal post.")
    registrerings_id = serializers.CharField(help_text="«2026/123-4»: case number and post.")
    journalaar = serializers.IntegerField()
    journalsekvensnummer = serializers.IntegerField()
    journalpostnummer = serializers.IntegerField()
    journalposttype = serializers.ChoiceField(choices=Journalposttype.values)
    journaldato = serializers.DateField()
    dokumentets_dato = serializers.DateField(allow_null=True)
    tittel = serializers.CharField(
        help_text="The public title (offentligTittel): screened words are `******`."
    )
    mappe_id = serializers.CharField(help_text="The case number, «2026/123».")
    case_system_id = serializers.UUIDField()
    saksaar = serializers.IntegerField()
    sakssekvensnummer = serializers.IntegerField()
    case_tittel = serializers.CharField(help_text="The case's public title.")
    administrativ_enhet = serializers.CharField()
    saksbehandler = serializers.CharField(allow_blank=True)
    parties = PublicPartySerializer(many=True)
    screened = serializers.BooleanField(help_text="Exempt from public access, in part or whole.")
    tilgangsrestriksjon = serializers.CharField(allow_blank=True)
    skjermingshjemmel = serializers.CharField(
        allow_blank=True, help_text="The legal basis, e.g. «Offl. § 13 jf. fvl. § 13»."
    )
    innsyn_url = serializers.CharField(
        help_text="The page where anyone may request access to the post (innsynskrav)."
    )


class JournalPageSerializer(serializers.Serializer[Any]):
    next = serializers.CharField(allow_null=True, help_text="The next (older) page.")
    previous = serializers.CharField(allow_null=True, help_text="The previous (newer) page.")
    results = PublicEntrySerializer(many=True)


class PublicJournalThrottle(PublicThrottle):
    # Five a second from one address: enough to page through the journal (a harvester such
    # as eInnsyn's reads it page by page), not enough to load the database for everyone.
    rate = "300/min"
    scope = "public_journal"


def _entry(entry: PublicEntry) -> dict[str, Any]:
    return {
        "system_id": entry.system_id,
        "registrerings_id": entry.registrerings_id,
        "journalaar": entry.journalaar,
        "journalsekvensnummer": entry.journalsekvensnummer,
        "journalpostnummer": entry.journalpostnummer,
        "journalposttype": entry.journalposttype,
        "journaldato": entry.journaldato,
        "dokumentets_dato": entry.dokumentets_dato,
        "tittel": entry.tittel,
        "mappe_id": entry.mappe_id,
        "case_system_id": entry.case_system_id,
        "saksaar": entry.saksaar,
        "sakssekvensnummer": entry.sakssekvensnummer,
        "case_tittel": entry.case_tittel,
        "administrativ_enhet": entry.administrativ_enhet,
        "saksbehandler": entry.saksbehandler,
        "parties": [{"role": party.role, "name": party.name} for party in entry.parties],
        "screened": entry.screened,
        "tilgangsrestriksjon": entry.tilgangsrestriksjon,
        "skjermingshjemmel": entry.skjermingshjemmel,
        "innsyn_url": reverse("portal:journal_access", kwargs={"system_id": entry.system_id}),
    }


def _text(request: Request, name: str) -> str:
    # NUL cannot be stored or searched for in PostgreSQL, and no search needs it.
    return str(request.query_params.get(name, ""))[:MAX_TEXT].replace("\x00", "")


class PublicJournalView(APIView):
    """The public journal, newest first; no login needed."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    throttle_classes = [PublicJournalThrottle]

    def get_exception_handler(self) -> Any:
        return api_exception_handler

    @extend_schema(
        operation_id="journal_list",
        summary="The public journal (offentleg journal)",
        description="Journal posts as the public journal shows them, newest first: public "
        "titles (screened words `******`), public names, the legal basis of a screening, and "
        "never a fødselsnummer. All filters are optional and all given must hold. Names of "
        "private persons are found by `q` and `part` for a year after the journal date only "
        "(offentlegforskrifta § 6); organisations always. Follow `next` for older posts.",
        tags=["journal"],
        parameters=[
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                description="Free text: words of the public title and case title, or a party "
                "name; a case number («2026/123»), post («2026/123-4») or journal number. Words "
                "shorter than 3 characters are left out when there are longer ones. At most "
                f"{MAX_TEXT} characters are used.",
            ),
            OpenApiParameter(
                "part", OpenApiTypes.STR, description="A sender's or recipient's name."
            ),
            OpenApiParameter(
                "type",
                {"type": "array", "items": {"type": "string", "enum": Journalposttype.values}},
                description="Post types: I incoming, U outgoing, N/X internal, S case "
                "presentation. Repeat for several.",
                explode=True,
            ),
            JournalQuerySerializer,
        ],
        responses={
            200: JournalPageSerializer,
            400: OpenApiResponse(ErrorSerializer, description="A parameter is not valid."),
            429: OpenApiResponse(
                ErrorSerializer,
                description="More than 300 calls a minute from one address; try again after "
                "the seconds in `Retry-After`.",
            ),
        },
        auth=[],
    )
    def get(self, request: Request) -> Response:
        # A plain dict, not the QueryDict: DRF reads an empty form value as "not given", and
        # `dato=` is no more a date than `dato=x`.
        params = JournalQuerySerializer(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        types = TypesSerializer(data={"type": request.query_params.getlist("type")})
        types.is_valid(raise_exception=True)
        data = params.validated_data
        day: dt.date | None = data.get("dato")
        start, end = data.get("fra"), data.get("til")
        if day is not None:
            start = max(start, day) if start else day
            end = min(end, day) if end else day
        query = public_search.JournalQuery(
            text=_text(request, "q"),
            name=_text(request, "part"),
            case_number=public_search.parse_number(data.get("saksnr") or ""),
            journal_number=public_search.parse_number(data.get("journalnr") or ""),
            date_from=start,
            date_to=end,
            post_types=tuple(types.validated_data.get("type") or ()),
        )
        limit = data["limit"]
        page = public_search.search(
            query, after=data.get("after"), before=data.get("before"), page_size=limit
        )

        def link(**cursor: str) -> str:
            kept = [
                (key, value)
                for key, values in request.query_params.lists()
                if key not in ("after", "before")
                for value in values
            ]
            return request.build_absolute_uri(
                f"{request.path}?{urlencode([*kept, *cursor.items()])}"
            )

        body = {
            "next": link(after=page.next_cursor) if page.next_cursor else None,
            "previous": link(before=page.previous_cursor) if page.previous_cursor else None,
            "results": [_entry(entry) for entry in page.entries],
        }
        return Response(JournalPageSerializer(body).data)
