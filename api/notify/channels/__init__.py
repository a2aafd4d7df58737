"""The ways Guichet reaches someone: web push, email, text messages, webhooks. Each
sends one notification and says how it went (``Outcome``); the sender decides what
follows (done, try again later, give up)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status: int | None = None
    error: str = ""
    #: Try again (a timeout, a 429 or 5xx); otherwise a failure is final.
    retry: bool = False
    #: Seconds the other side asked to wait (Retry-After).
    retry_after: float | None = None
    #: The recipient is gone (a push subscription the service no longer knows).
    gone: bool = False


def retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (an HTTP date is not worth parsing here: the backoff applies)."""
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
