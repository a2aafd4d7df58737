"""A small fixed-window rate limit on the cache (shared by all processes with Redis)."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .problems import Problem


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def limit(request: HttpRequest, action: str, per_minute: int) -> None:
    """Raise a 429 problem once ``action`` was attempted more than ``per_minute`` times
    in the current minute from the request's address."""
    key = f"guichet:rl:{action}:{client_address(request)}"
    cache.add(key, 0, timeout=60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60)
        count = 1
    if count > per_minute:
        problem = Problem(429, "throttled", _("Too many attempts; please wait a moment before trying again."))
        problem.wait = 60  # type: ignore[attr-defined]
        raise problem
