"""Django's ASGI handler, with the middleware chain and the view in one thread hop,
on a thread kept from one request to the next.

Under ASGI, Django runs its middleware in async mode, and every middleware built on
``MiddlewareMixin`` (sessions, locale, CSRF, authentication, messages, security…)
then calls its ``process_request`` and ``process_response`` through
``sync_to_async``: about twenty trips from the event loop to a thread and back
per request, before the (sync) view makes one more. Guichet's views are sync; so
this handler builds the chain in sync mode and runs it, view included, in one
``sync_to_async`` call. The event loop still reads the request, writes the
response and serves the websockets.

Django gives each request a thread of its own (asgiref's ``ThreadSensitiveContext``
makes a one-thread executor per request, started on the first call and joined by a
helper thread at the end): two thread starts per request. Here each request borrows
a one-thread executor from a pool and gives it back when its work is done, as a
threaded WSGI server reuses its threads. See docs/decisions/0022-cost-per-request.md."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest, HttpResponseBase


class RequestThread(ThreadPoolExecutor):
    """One thread that runs one request's sync work at a time. It is idle when the
    last work submitted has finished (work runs in the order submitted)."""

    def __init__(self) -> None:
        super().__init__(max_workers=1, thread_name_prefix="guichet-request")
        self.last: Future[Any] | None = None

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.last = super().submit(fn, *args, **kwargs)
        return self.last

    @property
    def idle(self) -> bool:
        return self.last is None or self.last.done()


class RequestThreads:
    """The pool, used only from the event loop's thread (no lock needed). A thread
    still busy when its request ends (the client went away while the view ran) is not
    reused: it finishes that work and ends. At most ``keep`` idle threads are kept."""

    def __init__(self, keep: int = 32) -> None:
        self.keep = keep
        self.idle: list[RequestThread] = []
        self.started = 0

    def take(self) -> RequestThread:
        if self.idle:
            return self.idle.pop()
        self.started += 1
        return RequestThread()

    def give_back(self, thread: RequestThread) -> None:
        if thread.idle and len(self.idle) < self.keep:
            self.idle.append(thread)
        else:
            thread.shutdown(wait=False)


def warm_up() -> None:
    """Do before serving what a process's first request would otherwise pay for (about
    two seconds on a small machine): import every view and serializer through the URL
    configuration, and make the cache's client (it connects on first use)."""
    from django.core.cache import cache
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - a cached property, read to load it
    getattr(cache, "_cache", None)


class OneHopASGIHandler(ASGIHandler):
    def __init__(self) -> None:
        super().__init__()
        self.threads = RequestThreads()
        warm_up()

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        thread = self.threads.take()
        try:
            # Django's own context inside this one finds it and uses its thread.
            async with ThreadSensitiveContext(executor=thread):
                await super().__call__(scope, receive, send)
        finally:
            self.threads.give_back(thread)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        response: Any = await sync_to_async(self.get_response, thread_sensitive=True)(request)
        return response  # type: ignore[no-any-return]
