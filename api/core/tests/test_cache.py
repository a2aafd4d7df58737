"""The Redis cache keeps one client per process: Django makes a cache backend object per
async context (per request under ASGI), and its own Redis backend a new connection pool
with each, so a rate-limited request opened a new Redis connection."""

from __future__ import annotations

import contextvars
from typing import Any

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from api.core.cache import SharedRedisCache

PARAMS = {"OPTIONS": {"socket_timeout": 5}}
REDIS_9 = "redis://127.0.0.1:6379/9"


def backend_of_a_request(cls: type[RedisCache]) -> RedisCache:
    """A backend made as Django makes one for a request: in a context of its own."""
    return contextvars.copy_context().run(lambda: cls("redis://127.0.0.1:6379/9", PARAMS))


def test_backends_of_two_requests_share_one_client_and_pool() -> None:
    first, second = backend_of_a_request(SharedRedisCache), backend_of_a_request(SharedRedisCache)
    assert first is not second
    assert first._cache is second._cache  # type: ignore[attr-defined]
    assert first._cache._get_connection_pool(write=True) is second._cache._get_connection_pool(write=True)  # type: ignore[attr-defined]


def test_djangos_backend_makes_a_client_per_request() -> None:
    first, second = backend_of_a_request(RedisCache), backend_of_a_request(RedisCache)
    assert first._cache is not second._cache  # type: ignore[attr-defined]


def test_other_settings_get_their_own_client() -> None:
    first = SharedRedisCache("redis://127.0.0.1:6379/9", PARAMS)
    other = SharedRedisCache("redis://127.0.0.1:6379/10", PARAMS)
    assert first._cache is not other._cache  # type: ignore[attr-defined]


def test_a_rate_limit_count_is_one_round_trip_and_its_window_is_not_stretched(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Redis the limit counts with one pipelined INCR and EXPIRE NX (Django's add then
    incr are two round trips); each count after the first leaves the window's end alone."""
    import redis

    from api.core import ratelimit

    settings.CACHES = {"default": {"BACKEND": "api.core.cache.SharedRedisCache", "LOCATION": REDIS_9, **PARAMS}}
    raw = redis.Redis.from_url(REDIS_9)
    raw.flushdb()
    assert isinstance(caches["default"], SharedRedisCache)
    trips: list[list[Any]] = []
    execute = redis.client.Pipeline.execute

    def counted(pipe: Any, *args: Any, **kwargs: Any) -> Any:
        trips.append([command[0][0] for command in pipe.command_stack])
        return execute(pipe, *args, **kwargs)

    monkeypatch.setattr(redis.client.Pipeline, "execute", counted)
    monkeypatch.setattr(SharedRedisCache, "add", lambda *a, **k: pytest.fail("two round trips"))
    try:
        assert [ratelimit.count("who", window=30) for _ in range(3)] == [1, 2, 3]
        assert ratelimit.current("who") == 3
        (key,) = raw.keys("*rl:who")
        assert 0 < raw.ttl(key) <= 30
        raw.expire(key, 100)  # a later count does not set the window's end again
        ratelimit.count("who", window=30)
        assert raw.ttl(key) > 30
        raw.delete(key)  # the window ended: counting starts again
        assert ratelimit.count("who", window=30) == 1
        assert trips == [["INCRBY", "EXPIRE"]] * 5  # one round trip per count
    finally:
        raw.flushdb()
