"""Under daphne a request crosses from the event loop to a thread once: the whole
middleware chain and the view run in one ``sync_to_async`` call (api.core.handler),
not a trip per middleware as Django's own ASGI handler makes for every middleware
built on ``MiddlewareMixin``."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from asgiref.sync import SyncToAsync
from asgiref.testing import ApplicationCommunicator
from django.core.handlers.asgi import ASGIHandler
from django.test import override_settings

from api.core.handler import OneHopASGIHandler

SCOPE = {
    "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
    "path": "/api/procedures/", "raw_path": b"/api/procedures/", "query_string": b"",
    "headers": [(b"host", b"testserver"), (b"accept-language", b"en")],
    "client": ("127.0.0.1", 5000), "server": ("testserver", 80),
}  # fmt: skip


def hops_of_one_request(handler: ASGIHandler, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """How many times the request went to a thread (its status too)."""
    calls = []
    original = SyncToAsync.__call__

    async def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(getattr(self.func, "__qualname__", repr(self.func)))
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(SyncToAsync, "__call__", counted)

    async def run() -> int:
        communicator = ApplicationCommunicator(handler, SCOPE)
        await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
        start = await communicator.receive_output(5)
        while (await communicator.receive_output(5)).get("more_body"):
            pass
        return int(start["status"])

    from asgiref.sync import async_to_sync

    status = async_to_sync(run)()
    # Outside the request: Django's request_started/finished signals (the database's
    # connection checks) take a trip each, with either handler.
    return len([c for c in calls if "send" not in c.lower()]), status


@pytest.mark.django_db(transaction=True)
def test_a_request_crosses_to_a_thread_once(monkeypatch: pytest.MonkeyPatch) -> None:
    hops, status = hops_of_one_request(OneHopASGIHandler(), monkeypatch)
    assert status == 200
    assert hops == 1


@pytest.mark.django_db(transaction=True)
def test_the_count_sees_djangos_handler_hop_per_middleware(monkeypatch: pytest.MonkeyPatch) -> None:
    hops, status = hops_of_one_request(ASGIHandler(), monkeypatch)
    assert status == 200
    assert hops > 10


@override_settings(DEBUG=True)  # Django says which handlers it adapts only in debug mode
def test_no_middleware_is_adapted(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="django.request"):
        OneHopASGIHandler()
    adapted = [r.getMessage() for r in caplog.records if "adapted" in r.getMessage()]
    assert adapted == []


@override_settings(MIDDLEWARE=["api.core.tests.test_middleware_chain.AsyncOnly"], DEBUG=True)
def test_the_check_sees_an_async_only_middleware(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="django.request"):
        OneHopASGIHandler()
    assert any("AsyncOnly" in r.getMessage() for r in caplog.records)


class AsyncOnly:
    sync_capable = False
    async_capable = True

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    async def __call__(self, request: Any) -> Any:
        return await self.get_response(request)
