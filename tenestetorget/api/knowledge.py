"""Public knowledge search: GET /api/v1/knowledge/search/?q=... (no login)."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from tenestetorget.api.errors import api_exception_handler
from tenestetorget.knowledge import search

MAX_LIMIT = 20


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


class PublicSearchThrottle(AnonRateThrottle):
    rate = "120/min"


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
            OpenApiParameter(
                "limit", OpenApiTypes.INT, description=f"At most {MAX_LIMIT} (default 10)."
            ),
            OpenApiParameter(
                "Accept-Language",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                enum=["nn", "nb", "en"],
                description="Preferred language of the texts (default nn).",
            ),
        ],
        responses={200: KnowledgeSearchSerializer},
        auth=[],
    )
    def get(self, request: Request) -> Response:
        query = str(request.query_params.get("q", ""))[:500]
        try:
            limit = max(1, min(int(request.query_params.get("limit", "10")), MAX_LIMIT))
        except ValueError:
            limit = 10
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
