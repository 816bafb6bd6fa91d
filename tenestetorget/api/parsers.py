"""The API's JSON parser: DRF's, with the checks a body must pass before anything reads it.

- Nesting deeper than MAX_DEPTH is a parse error (400), found by a scan of the text before it
  is decoded, so that neither Python's JSON decoder nor anything after it (the serializers,
  the idempotency fingerprint) recurses that deep. No request of this API nests more than
  three levels; RecursionError is still caught as the last guard.
- A string that is not Unicode text (a lone surrogate such as "\\ud800", which JSON's escapes
  can spell but UTF-8 cannot encode) is refused with the field it is in, before the
  fingerprint or the database has to encode it.
- A body larger than DATA_UPLOAD_MAX_MEMORY_SIZE is a 413, read no further than the limit.
- Every message is in the caller's language (gettext), unlike DRF's "JSON parse error - ...".
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ErrorDetail, ParseError, ValidationError
from rest_framework.settings import api_settings

from tenestetorget.api.errors import RequestTooLarge

#: Deepest nesting of objects and lists a body may have. The API's bodies nest at most three
#: levels (an inquiry, its sender); 64 leaves room for any honest client.
MAX_DEPTH = 64

# A JSON string literal (whose brackets are text) or one bracket. The scan sees brackets only
# outside strings; escapes inside a string (\") do not end it.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def nesting_exceeds(text: str, limit: int = MAX_DEPTH) -> bool:
    """Whether `text`, read as JSON, opens more than `limit` objects or lists at once. Not a
    validator: unbalanced or otherwise broken JSON is left to the decoder."""
    # A body with no more opening brackets than the limit cannot nest deeper: the usual case,
    # decided without a scan.
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for match in _TOKEN.finditer(text):
        piece = match.group()
        if piece in ("[", "{"):
            depth += 1
            if depth > limit:
                return True
        elif piece in ("]", "}"):
            depth -= 1
    return False


def _path(prefix: str | None, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def non_text(value: Any, prefix: str | None = None) -> Iterator[str | None]:
    """The dotted paths (as api.errors names fields) of strings in `value` that cannot be
    encoded as UTF-8; for a bad object key, the path of its object."""
    # Iterative, with the depth already bounded: a list of paths to visit.
    stack: list[tuple[Any, str | None]] = [(value, prefix)]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            if not _is_text(node):
                yield path
        elif isinstance(node, dict):
            for key, item in node.items():
                if not _is_text(key):
                    yield path
                    continue
                stack.append((item, _path(path, key)))
        elif isinstance(node, list):
            stack.extend((item, _path(path, str(i))) for i, item in enumerate(node))


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class JSONParser(parsers.JSONParser):
    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        encoding = _encoding(parser_context or {})
        # Django bounds a body it reads itself by DATA_UPLOAD_MAX_MEMORY_SIZE; DRF reads the
        # stream, so the bound is kept here: no more than the limit is ever held in memory.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(raw) > limit:
            raise RequestTooLarge()
        try:
            text = codecs.decode(raw, encoding)
        except UnicodeDecodeError as exc:
            raise ParseError(
                _("Innhaldet er ikkje gyldig JSON: det er ikkje %(encoding)s-tekst.")
                % {"encoding": encoding}
            ) from exc
        if nesting_exceeds(text):
            raise ParseError(_too_deep())
        try:
            data = json.loads(text, parse_constant=json_constant if self.strict else None)
        except RecursionError:
            raise ParseError(_too_deep()) from None
        except ValueError as exc:
            raise ParseError(_not_json(exc)) from None
        bad = list(dict.fromkeys(non_text(data)))
        if bad:
            message = _(
                "Teksten inneheld eit teikn som ikkje finst i Unicode (ein einsleg "
                "surrogat, til dømes \\ud800). Send teksten som gyldig UTF-8."
            )
            raise ValidationError(
                {
                    (path or api_settings.NON_FIELD_ERRORS_KEY): [
                        ErrorDetail(message, code="invalid_text")
                    ]
                    for path in bad
                }
            )
        return data


def _encoding(parser_context: Mapping[str, Any]) -> str:
    """The charset of the Content-Type, if a text encoding (as DRF checks it: a codec such as
    bz2_codec would decompress the body past the size limits)."""
    encoding = str(parser_context.get("encoding") or settings.DEFAULT_CHARSET)
    try:
        "".encode(encoding)
    except (LookupError, UnicodeError):
        raise ParseError(
            _("Ukjend teiknsett i Content-Type: «%(charset)s». Send UTF-8.")
            % {"charset": encoding[:40]}
        ) from None
    return encoding


def json_constant(name: str) -> Any:
    """NaN and Infinity are not JSON (RFC 8259); DRF's strict mode refuses them too."""
    raise ValueError(f"{name} is not valid JSON")


def _too_deep() -> str:
    return _("Innhaldet er nøsta for djupt til å lesast som JSON (høgst %(n)s nivå).") % {
        "n": MAX_DEPTH
    }


def _not_json(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return _(
            "Innhaldet er ikkje gyldig JSON (linje %(line)s, teikn %(column)s). Send eit "
            "JSON-objekt med Content-Type: application/json."
        ) % {"line": exc.lineno, "column": exc.colno}
    return _(
        "Innhaldet er ikkje gyldig JSON. Send eit JSON-objekt med Content-Type: application/json."
    )
