"""Requests with a method no Guichet view implements (TRACE, CONNECT, …) are answered
405 before reaching any view, as problem details."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse

from .problems import problem_response

ALLOWED_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class AllowedMethodsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ALLOWED_METHODS:
            response = problem_response(405, "method-not-allowed")
            response["Allow"] = ", ".join(sorted(ALLOWED_METHODS))
            return response
        return self.get_response(request)


class SyncAndAsyncMiddleware:
    """A middleware that works on either side of Django's handler, so that it adds no
    thread hop under daphne: subclasses give ``before`` (the request) and ``after``
    (the response), neither of which may block."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def before(self, request: HttpRequest) -> None:
        return None

    def after(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        return response

    def __call__(self, request: HttpRequest) -> HttpResponse | Awaitable[HttpResponse]:
        self.before(request)
        if self.is_async:
            return self._acall(request)
        return self.after(request, self.get_response(request))

    async def _acall(self, request: HttpRequest) -> HttpResponse:
        return self.after(request, await self.get_response(request))
