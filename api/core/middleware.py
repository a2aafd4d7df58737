"""Guichet's middleware base, and the first of them: requests with a method no Guichet
view implements (TRACE, CONNECT, …) are answered 405 before reaching any view, as
problem details.

Every middleware in the chain works on both sides of Django's handler (none blocks:
each looks at the request or the response in memory), so that under daphne a request
stays on the event loop until the view, and crosses to a thread once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse

ALLOWED_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


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

    def before(self, request: HttpRequest) -> HttpResponse | None:
        """Look at the request; a response returned here is the answer (the rest of the chain is skipped)."""
        return None

    def after(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        return response

    def __call__(self, request: HttpRequest) -> HttpResponse | Awaitable[HttpResponse]:
        early = self.before(request)
        if self.is_async:
            return self._acall(request, early)
        if early is not None:
            return early
        return self.after(request, self.get_response(request))

    async def _acall(self, request: HttpRequest, early: HttpResponse | None) -> HttpResponse:
        if early is not None:
            return early
        return self.after(request, await self.get_response(request))


class AllowedMethodsMiddleware(SyncAndAsyncMiddleware):
    def before(self, request: HttpRequest) -> HttpResponse | None:
        from .problems import problem_response  # problems imports DRF, whose parser imports this module

        if request.method not in ALLOWED_METHODS:
            response = problem_response(405, "method-not-allowed")
            response["Allow"] = ", ".join(sorted(ALLOWED_METHODS))
            return response
        return None
