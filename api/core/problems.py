"""RFC 9457 problem details, for every error Guichet answers.

A problem has ``type``, ``title``, ``status``, ``detail`` and, for invalid
input, ``invalid_params``: one entry per faulty field with its location
(``body``, ``query``, ``path`` or ``header``), a JSON pointer within that
location, a human reason in the request's language and a machine code.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from http import HTTPStatus
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:guichet:problem:"


def _titles() -> dict[int, str]:
    # Built per call so that each title follows the active language.
    return {
        400: _("The request is not valid."),
        401: _("Authentication is required."),
        403: _("You are not allowed to do this."),
        404: _("Nothing was found at this address."),
        405: _("This method is not allowed here."),
        406: _("The requested format cannot be produced."),
        409: _("This conflicts with the current state."),
        410: _("This is no longer available."),
        412: _("This has changed since you last read it."),
        413: _("The request is too large."),
        415: _("This content type is not supported."),
        422: _("The request cannot be processed."),
        428: _("A precondition is required."),
        429: _("Too many requests; please wait a moment."),
        500: _("Something went wrong on our side."),
        503: _("The service is temporarily unavailable."),
    }


def problem_title(status_code: int) -> str:
    """The title of a status, in the active language."""
    return _titles().get(status_code) or HTTPStatus(status_code).phrase


def problem_type(code: str) -> str:
    return TYPE_PREFIX + code


def problem_body(
    status_code: int,
    code: str,
    detail: str | None = None,
    *,
    title: str | None = None,
    invalid_params: list[dict[str, str]] | None = None,
    **extensions: Any,
) -> dict[str, Any]:
    """The JSON body of one problem."""
    body: dict[str, Any] = {
        "type": problem_type(code),
        "title": title or _titles().get(status_code) or HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": detail or title or _titles().get(status_code) or HTTPStatus(status_code).phrase,
        "code": code,
    }
    if invalid_params is not None:
        body["invalid_params"] = invalid_params
    body.update(extensions)
    return body


class Problem(exceptions.APIException):
    """An error with a Guichet-specific type; raise it from views and actions."""

    def __init__(
        self,
        status_code: int,
        code: str,
        detail: str,
        *,
        title: str | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail=detail, code=code)
        self.status_code = status_code
        self.problem_code = code
        self.title = title
        self.extensions = extensions


class QueryValidationError(exceptions.ValidationError):
    """Invalid query-string parameters (their pointers refer to the query)."""

    location = "query"


def pointer_escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _flatten(detail: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], exceptions.ErrorDetail]]:
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            yield from _flatten(value, (*path, str(key)))
    elif isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            for item in detail:
                yield path, item
        else:
            for index, item in enumerate(detail):
                yield from _flatten(item, (*path, str(index)))
    else:
        yield path, detail


def invalid_params_from(detail: Any, location: str) -> list[dict[str, str]]:
    params = []
    for path, message in _flatten(detail):
        # DRF reports errors about the whole object under "non_field_errors".
        parts = [p for p in path if p != "non_field_errors"]
        params.append(
            {
                "name": ".".join(parts) or "",
                "in": location,
                "pointer": "".join("/" + pointer_escape(p) for p in parts),
                "reason": str(message),
                "code": str(getattr(message, "code", "invalid")),
            }
        )
    return params


_CODES = {
    exceptions.ParseError: "malformed-request",
    exceptions.AuthenticationFailed: "authentication-failed",
    exceptions.NotAuthenticated: "not-authenticated",
    exceptions.PermissionDenied: "permission-denied",
    exceptions.NotFound: "not-found",
    exceptions.MethodNotAllowed: "method-not-allowed",
    exceptions.NotAcceptable: "not-acceptable",
    exceptions.UnsupportedMediaType: "unsupported-media-type",
    exceptions.Throttled: "throttled",
}


def _code_for(exc: exceptions.APIException) -> str:
    for klass, code in _CODES.items():
        if isinstance(exc, klass):
            return code
    return "error"


def exception_handler(exc: Exception, context: Mapping[str, Any]) -> Response | None:
    """DRF's exception handler, answering every API error as problem details."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # an unexpected error: Django's handler500 answers it

    headers: dict[str, str] = {}
    if auth := getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = auth
    if wait := getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(wait))

    if isinstance(exc, Problem):
        body = problem_body(exc.status_code, exc.problem_code, str(exc.detail), title=exc.title, **exc.extensions)
    elif isinstance(exc, exceptions.ValidationError):
        location = getattr(exc, "location", "body")
        params = invalid_params_from(exc.detail, location)
        body = problem_body(
            400,
            "invalid-query" if location == "query" else "validation-error",
            ngettext(
                "%(count)d value is not valid: %(names)s.", "%(count)d values are not valid: %(names)s.", len(params)
            )
            % {"count": len(params), "names": ", ".join(p["name"] or "(request)" for p in params)},
            title=_("Some values are not valid."),
            invalid_params=params,
        )
    else:
        detail = exc.detail if isinstance(exc.detail, str) else None
        body = problem_body(exc.status_code, _code_for(exc), detail)

    set_rollback()
    return Response(body, status=body["status"], headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def problem_response(status_code: int, code: str, detail: str | None = None, **extensions: Any) -> JsonResponse:
    """A plain Django response carrying a problem (for non-DRF views)."""
    return JsonResponse(
        problem_body(status_code, code, detail, **extensions),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


def handler400(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        detail = _("The request body is too large (at most %(size)d bytes).") % {"size": limit}
        return problem_response(413, "request-too-large", detail, limit=limit)
    return problem_response(status.HTTP_400_BAD_REQUEST, "bad-request")


def handler403(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return problem_response(status.HTTP_403_FORBIDDEN, "permission-denied")


def handler404(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return problem_response(status.HTTP_404_NOT_FOUND, "not-found")


def handler500(request: HttpRequest) -> JsonResponse:
    return problem_response(status.HTTP_500_INTERNAL_SERVER_ERROR, "server-error")


class AnswerError(Protocol):
    """One faulty answer, as the form engine reports it."""

    @property
    def pointer(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def page(self) -> str | None: ...


def answers_problem(errors: Sequence[AnswerError]) -> Problem:
    """The problem for answers that fail a form's rules: one invalid parameter per
    answer, pointing into the request's ``data``, with the page it is on."""
    params = [
        {"name": ("data" + e.pointer.replace("/", ".")) if e.pointer else "data", "in": "body",
         "pointer": "/data" + e.pointer, "reason": e.message, "code": e.code, "page": e.page or ""}
        for e in errors
    ]  # fmt: skip
    return Problem(
        400,
        "invalid-answers",
        ngettext("%(count)d answer needs attention.", "%(count)d answers need attention.", len(params))
        % {"count": len(params)},
        title=_("Some answers are not valid."),
        invalid_params=params,
    )
