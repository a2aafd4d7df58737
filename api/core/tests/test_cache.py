"""The Redis cache keeps one client per process: Django makes a cache backend object per
async context (per request under ASGI), and its own Redis backend a new connection pool
with each, so a rate-limited request opened a new Redis connection."""

from __future__ import annotations

import contextvars

from django.core.cache.backends.redis import RedisCache

from api.core.cache import SharedRedisCache

PARAMS = {"OPTIONS": {"socket_timeout": 5}}


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
