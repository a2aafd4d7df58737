"""Requests with a method no Guichet view implements (TRACE, CONNECT, …) are answered
405 before reaching any view, as problem details."""

from __future__ import annotations

from collections.abc import Callable

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
