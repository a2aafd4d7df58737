"""Django's ASGI handler, with the middleware chain and the view in one thread hop.

Under ASGI, Django runs its middleware in async mode, and every middleware built on
``MiddlewareMixin`` (sessions, locale, CSRF, authentication, messages, security…)
then calls its ``process_request`` and ``process_response`` through
``sync_to_async``: about twenty trips from the event loop to a thread and back
per request, before the (sync) view makes one more. Guichet's views are sync; so
this handler builds the chain in sync mode and runs it, view included, in one
``sync_to_async`` call. The event loop still reads the request, writes the
response and serves the websockets. See docs/decisions/0022-cost-per-request.md."""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest, HttpResponseBase


class OneHopASGIHandler(ASGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        response: Any = await sync_to_async(self.get_response, thread_sensitive=True)(request)
        return response  # type: ignore[no-any-return]
