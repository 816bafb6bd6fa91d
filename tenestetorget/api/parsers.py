"""The API's JSON parser: DRF's, with a body nested too deeply for Python's JSON decoder
answered as a parse error (400) instead of a RecursionError (500)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("Innhaldet er nøsta for djupt til å lesast som JSON.")) from None
