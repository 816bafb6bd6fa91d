"""Public knowledge search: GET /api/v1/knowledge/search/?q=... (no login)."""

from __future__ import annotations

from typing import Any

from django.utils import translation
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
from tenestetorget.api.views import LANGUAGE_DESCRIPTION
from tenestetorget.knowledge import search

MAX_LIMIT = 20
LIMIT_MESSAGE = gettext_lazy("limit må vere eit heiltal frå 1 til 20.")


class KnowledgeHitSerializer(serializers.Serializer[Any]):
    title = serializers.CharField()
    url = serializers.CharField(help_text="The page on the public site, relative to its root.")
    text = serializers.CharField(help_text="The public answer text, plain, with today's fees.")
    kind = serializers.ChoiceField(choices=["service", "article"])
    language = serializers.CharField(help_text="Language of the text (nn when not translated).")
    score = serializers.FloatField()


class KnowledgeSearchSerializer(serializers.Serializer[Any]):
    query = serializers.CharField()
    results = KnowledgeHitSerializer(many=True)


class KnowledgeQuerySerializer(serializers.Serializer[Any]):
    # The query parameters besides `q` (a comment, not a docstring: drf-spectacular would
    # publish it). `q` is what a citizen typed and is never an error; `limit` is a
    # programmer's choice, and one outside the schema is told (400) rather than clamped.
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_LIMIT, default=10,
        help_text=f"How many answers, at most {MAX_LIMIT}.",
        error_messages=dict.fromkeys(
            ("invalid", "min_value", "max_value", "max_string_length"), LIMIT_MESSAGE
        ),
    )  # fmt: skip


class PublicSearchThrottle(PublicThrottle):
    rate = "120/min"
    scope = "public_knowledge"


class KnowledgeSearchView(APIView):
    """Ranked public answers for a question; no login needed."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    throttle_classes = [PublicSearchThrottle]

    def get_exception_handler(self) -> Any:
        return api_exception_handler

    @extend_schema(
        operation_id="knowledge_search",
        summary="Search the public knowledge base",
        description="Articles and service pages ranked for the question in `q`, best first. "
        "An empty query, or one of only stop words or symbols, gives an empty list.",
        tags=["knowledge"],
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="The question, as typed."),
            KnowledgeQuerySerializer,
            OpenApiParameter(
                "Accept-Language",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description=f"Language of the texts. {LANGUAGE_DESCRIPTION}",
            ),
        ],
        responses={
            200: KnowledgeSearchSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description="`limit` is not a whole number from 1 to 20."
            ),
            429: OpenApiResponse(
                ErrorSerializer,
                description="More than 120 searches a minute from one address; try again "
                "after the seconds in `Retry-After`.",
            ),
        },
        auth=[],
    )
    def get(self, request: Request) -> Response:
        # A plain dict, not the QueryDict: DRF reads an empty form value as "not given", and
        # `limit=` is no more a whole number than `limit=x`.
        params = KnowledgeQuerySerializer(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        # NUL cannot be stored or searched for in PostgreSQL, and no question needs it.
        query = str(request.query_params.get("q", ""))[:500].replace("\x00", "")
        limit = params.validated_data["limit"]
        language = translation.get_language() or "nn"
        hits = search.search(query, language=language, limit=limit)
        data = {
            "query": query,
            "results": [
                {
                    "title": hit.title,
                    "url": hit.url,
                    "text": hit.text,
                    "kind": hit.article.kind,
                    "language": hit.version.language,
                    "score": hit.score,
                }
                for hit in hits
            ],
        }
        return Response(KnowledgeSearchSerializer(data).data)
