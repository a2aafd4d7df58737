"""Requests borrow a thread from a pool kept by the ASGI handler (api.core.handler)
instead of each starting and joining a thread of its own; a thread still busy when
its request ends is not lent again."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator

from api.core.handler import OneHopASGIHandler, RequestThread, RequestThreads


def scope(language: str = "en") -> dict[str, Any]:
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": "/api/procedures/", "raw_path": b"/api/procedures/", "query_string": b"",
        "headers": [(b"host", b"testserver"), (b"accept-language", language.encode())],
        "client": ("127.0.0.1", 5000), "server": ("testserver", 80),
    }  # fmt: skip


async def answer(communicator: ApplicationCommunicator) -> dict[str, Any]:
    await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await communicator.receive_output(10)
    while (await communicator.receive_output(10)).get("more_body"):
        pass
    return dict(start)


def threads_of_views(handler: OneHopASGIHandler, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the thread each request's middleware chain and view ran on."""
    seen: list[int] = []
    original = handler.get_response

    def recorded(request: Any) -> Any:
        seen.append(threading.get_ident())
        return original(request)

    monkeypatch.setattr(handler, "get_response", recorded)
    return seen


@pytest.mark.django_db(transaction=True)
def test_requests_one_after_another_reuse_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    handler = OneHopASGIHandler()
    seen = threads_of_views(handler, monkeypatch)

    async def run() -> list[str]:
        languages = []
        for language in ("fr", "en", "fr", "en", "fr"):
            start = await answer(ApplicationCommunicator(handler, scope(language)))
            assert start["status"] == 200
            headers = {name.lower(): value for name, value in start["headers"]}
            languages.append(headers[b"content-language"].decode())
        return languages

    # Each request still gets its own language on the shared thread (nothing of the
    # previous request's is left on it).
    assert async_to_sync(run)() == ["fr", "en", "fr", "en", "fr"]
    assert len(seen) == 5 and len(set(seen)) == 1
    assert seen[0] != threading.get_ident()
    assert handler.threads.started == 1
    assert len(handler.threads.idle) == 1


@pytest.mark.django_db(transaction=True)
def test_requests_at_the_same_time_run_on_threads_of_their_own(monkeypatch: pytest.MonkeyPatch) -> None:
    handler = OneHopASGIHandler()
    both_in = threading.Barrier(2, timeout=10)
    seen: list[int] = []
    original = handler.get_response

    def meeting(request: Any) -> Any:
        seen.append(threading.get_ident())
        both_in.wait()  # only returns if the two requests run at the same time
        return original(request)

    monkeypatch.setattr(handler, "get_response", meeting)

    async def run() -> list[int]:
        starts = await asyncio.gather(*(answer(ApplicationCommunicator(handler, scope())) for _ in range(2)))
        return [int(s["status"]) for s in starts]

    assert async_to_sync(run)() == [200, 200]
    assert len(set(seen)) == 2
    assert handler.threads.started == 2 and len(handler.threads.idle) == 2


@pytest.mark.django_db(transaction=True)
def test_a_client_leaving_mid_request_gets_its_thread_back_once_the_view_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    """Django, on a disconnect, waits for the sync work it started (asgiref shields it):
    the thread goes back to the pool idle and serves the next request."""
    handler = OneHopASGIHandler()
    release = threading.Event()
    seen: list[int] = []
    original = handler.get_response

    def slow(request: Any) -> Any:
        seen.append(threading.get_ident())
        if len(seen) == 1:
            threading.Timer(0.5, release.set).start()
            release.wait(10)
        return original(request)

    monkeypatch.setattr(handler, "get_response", slow)

    async def run() -> int:
        communicator = ApplicationCommunicator(handler, scope())
        await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
        while not seen:
            await asyncio.sleep(0.01)
        await communicator.send_input({"type": "http.disconnect"})
        await communicator.wait(10)
        assert release.is_set()
        start = await answer(ApplicationCommunicator(handler, scope()))
        return int(start["status"])

    assert async_to_sync(run)() == 200
    assert len(seen) == 2 and seen[0] == seen[1]
    assert handler.threads.started == 1


def test_a_thread_still_busy_is_not_lent_again() -> None:
    pool = RequestThreads()
    thread = pool.take()
    release = threading.Event()
    running = thread.submit(release.wait, 10)
    pool.give_back(thread)
    assert pool.idle == []
    release.set()
    assert running.result(10) is True
    fresh = pool.take()
    assert fresh is not thread and pool.started == 2
    fresh.shutdown()


def test_the_pool_keeps_a_bounded_number_of_idle_threads() -> None:
    pool = RequestThreads(keep=2)
    taken = [pool.take() for _ in range(4)]
    assert pool.started == 4
    for thread in taken:
        pool.give_back(thread)
    assert len(pool.idle) == 2
    assert all(isinstance(t, RequestThread) for t in pool.idle)
    assert pool.take() in taken and pool.started == 4
    for thread in taken:
        thread.shutdown()


def test_the_handler_loads_the_views_before_the_first_request() -> None:
    from django.urls import clear_url_caches, get_resolver

    clear_url_caches()
    assert "url_patterns" not in get_resolver().__dict__
    OneHopASGIHandler()
    assert "url_patterns" in get_resolver().__dict__
