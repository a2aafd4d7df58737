"""A small fixed-window rate limit on the cache (shared by all processes with Redis).

Limits are counted per client address, or per account for a signed-in caller
(so that the people behind one town hall's address do not share one budget).
The address is the socket's peer, or what a trusted proxy says it is
(``api.core.proxies``): never a header anyone can forge."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache, caches
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .cache import SharedRedisCache
from .problems import Problem

WINDOW_SECONDS = 60


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def count(key: str, window: int = WINDOW_SECONDS) -> int:
    """Add one to the counter ``key`` of the current window; return its value."""
    key = f"guichet:rl:{key}"
    backend = caches["default"]  # (``cache`` is a proxy, which isinstance does not see through)
    if isinstance(backend, SharedRedisCache):
        return backend.count(key, window)  # one round trip
    cache.add(key, 0, timeout=window)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def current(key: str) -> int:
    return int(cache.get(f"guichet:rl:{key}", 0))


def throttled(wait: int = WINDOW_SECONDS) -> Problem:
    problem = Problem(429, "throttled", _("Too many attempts; please wait a moment before trying again."))
    problem.wait = wait  # type: ignore[attr-defined]
    return problem


def limit(request: HttpRequest, action: str, per_minute: int, *, who: str | None = None) -> None:
    """Raise a 429 problem (with Retry-After) once ``action`` was attempted more than
    ``per_minute`` times in the current minute by ``who`` (by default the request's address)."""
    if count(f"{action}:{who or client_address(request)}") > per_minute:
        raise throttled()


def limit_caller(request: Any, action: str, per_minute: int) -> None:
    """Limit a DRF request per account when signed in (or per application), else per address."""
    user: Any = getattr(request, "user", None)
    token: Any = getattr(request, "auth", None)
    if getattr(token, "application_id", None) is not None:
        who = f"app:{token.application_id}"
    elif getattr(user, "is_authenticated", False):
        who = f"user:{user.pk}"
    else:
        who = None
    limit(getattr(request, "_request", request), action, per_minute, who=who)
