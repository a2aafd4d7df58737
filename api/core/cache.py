"""Django's Redis cache, with one client (and its connection pool) per process.

Django keeps a cache backend object per async context: under ASGI every request
gets a new one, and Django's Redis backend makes a new client, connection pool
and TCP connection with it (the cost benchmark saw one new Redis connection per
rate-limited request). This backend shares the client of identical settings
across those objects; redis-py's pool is thread-safe."""

from __future__ import annotations

import threading
from functools import cached_property
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

_clients: dict[str, RedisCacheClient] = {}
_lock = threading.Lock()


class SharedRedisCache(RedisCache):
    @cached_property
    def _cache(self) -> Any:
        # (Django's backend keeps its settings in attributes its stubs do not declare.)
        mine: Any = self
        key = repr((mine._servers, sorted(mine._options.items())))
        with _lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = mine._class(mine._servers, **mine._options)
        return client

    def count(self, key: str, timeout: int) -> int:
        """Add one to the counter ``key`` (which lives ``timeout`` seconds from its first
        count) and return it, in one round trip (Django's add then incr take two)."""
        made = self.make_and_validate_key(key)
        pipe = self._cache.get_client(made, write=True).pipeline(transaction=False)
        pipe.incr(made)
        pipe.expire(made, timeout, nx=True)
        value, _set = pipe.execute()
        return int(value)
