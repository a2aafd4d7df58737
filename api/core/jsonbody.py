"""Every JSON body is read once, here, and refused before any view sees it when it
is too large (413), malformed, nested deeper than ``GUICHET_MAX_JSON_DEPTH``, or
holds text that cannot be stored and read back: a lone UTF-16 surrogate
(``"\\ud800"``, which no UTF-8 column or response can carry) or a NUL character
(which PostgreSQL refuses in text and JSON). Each refusal is a problem naming
the place in the body (a JSON pointer) and the limit.

The parsed document is kept on the request, and Guichet's DRF parser uses it
instead of parsing again. The sign-in library's endpoints read the body as JSON
whatever its content type, so their bodies are checked whatever it says."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from rest_framework.parsers import JSONParser

from .middleware import SyncAndAsyncMiddleware

if TYPE_CHECKING:
    from .problems import Problem

_PARSED = "_guichet_json"
_MISSING = object()


class InvalidBody(Exception):
    def __init__(self, status: int, code: str, detail: str, **extensions: Any) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.extensions = status, code, detail, extensions

    def problem(self) -> Problem:
        from .problems import Problem  # the problems module imports DRF, which imports this parser

        return Problem(self.status, self.code, self.detail, **self.extensions)


def bad_text(value: str) -> str | None:
    """Why ``value`` cannot be stored as text, or None."""
    if "\x00" in value:
        return _("Text must not contain the NUL character.")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return _("Text must be valid Unicode (it holds a lone surrogate).")
    return None


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _param(pointer: str, reason: str, code: str) -> dict[str, str]:
    return {
        "name": pointer.lstrip("/").replace("/", "."),
        "in": "body",
        "pointer": pointer,
        "reason": reason,
        "code": code,
    }


def check_document(data: Any, max_depth: int) -> None:
    """Walk the parsed document without recursion; raise InvalidBody at the first fault."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, pointer, depth = stack.pop()
        if isinstance(value, str):
            if reason := bad_text(value):
                raise InvalidBody(400, "invalid-text", reason, invalid_params=[_param(pointer, reason, "invalid_text")])
            continue
        if not isinstance(value, dict | list):
            continue
        if depth >= max_depth:
            detail = _("The JSON body is nested too deeply (at most %(limit)d levels).") % {"limit": max_depth}
            raise InvalidBody(400, "json-too-deep", detail, limit=max_depth)
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if isinstance(key, str) and (reason := bad_text(key)):
                raise InvalidBody(400, "invalid-text", reason, invalid_params=[_param(pointer, reason, "invalid_text")])
            stack.append((item, f"{pointer}/{_escape(str(key))}", depth + 1))


def parse(raw: bytes) -> Any:
    try:
        data = json.loads(raw)
    except RecursionError:
        limit = settings.GUICHET_MAX_JSON_DEPTH
        detail = _("The JSON body is nested too deeply (at most %(limit)d levels).") % {"limit": limit}
        raise InvalidBody(400, "json-too-deep", detail, limit=limit) from None
    except ValueError as error:
        detail = _("The body is not valid JSON: %(error)s") % {"error": str(error)}
        raise InvalidBody(400, "malformed-request", detail) from None
    check_document(data, settings.GUICHET_MAX_JSON_DEPTH)
    return data


def too_large() -> InvalidBody:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    detail = _("The request body is too large (at most %(size)d bytes).") % {"size": limit}
    return InvalidBody(413, "request-too-large", detail, limit=limit)


def _is_json(request: HttpRequest) -> bool:
    content_type = (request.content_type or "").lower()
    if content_type == "application/json" or content_type.endswith("+json"):
        return True
    # The sign-in library parses its bodies as JSON unless they are a form (provider redirects).
    forms = ("application/x-www-form-urlencoded", "multipart/form-data")
    return request.path.startswith("/api/auth/") and content_type not in forms


class JsonBodyMiddleware(SyncAndAsyncMiddleware):
    """Under daphne the body is already read (into memory or a spooled file) when the
    chain starts, so reading it here does not block the event loop."""

    def before(self, request: HttpRequest) -> HttpResponse | None:
        from .problems import problem_response

        for name, values in request.GET.lists():
            for value in (name, *values):
                if reason := bad_text(value):
                    param = {"name": name, "in": "query", "pointer": "", "reason": reason, "code": "invalid_text"}
                    return problem_response(400, "invalid-text", reason, invalid_params=[param])
        if request.method in {"POST", "PUT", "PATCH", "DELETE"} and _is_json(request):
            try:
                declared = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                declared = 0
            try:
                if declared > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                    raise too_large()
                raw = request.body
                if raw.strip():
                    setattr(request, _PARSED, parse(raw))
            except InvalidBody as invalid:
                return problem_response(invalid.status, invalid.code, invalid.detail, **invalid.extensions)
        elif request.method in {"POST", "PUT", "PATCH", "DELETE"} and request.path.startswith("/api/auth/"):
            # A form sent to the sign-in library: the CSRF check reads it as a form
            # (which consumes the stream) and the library then reads the raw body.
            # Reading the body first keeps both possible (Django parses the form
            # from the bytes kept).
            try:
                request.body  # noqa: B018 - read to keep the bytes
            except RequestDataTooBig:
                refused = too_large()
                return problem_response(refused.status, refused.code, refused.detail, **refused.extensions)
        return None


class GuichetJSONParser(JSONParser):
    """DRF's JSON parser, taking the document the middleware already read and checked."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        request = (parser_context or {}).get("request")
        django_request = getattr(request, "_request", None)
        parsed = getattr(django_request, _PARSED, _MISSING)
        if parsed is not _MISSING:
            return parsed
        try:
            return parse(stream.read() if stream is not None else b"")
        except InvalidBody as invalid:
            raise invalid.problem() from None
