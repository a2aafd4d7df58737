"""When to try again, and when the daily digest goes."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

#: People's channels: 30 s, doubling, 8 attempts (about two hours in all).
PEOPLE_ATTEMPTS = 8
#: Webhooks: the Standard Webhooks schedule, about 27 hours in all, then the endpoint is
#: disabled if nothing reached it meanwhile.
WEBHOOK_DELAYS = [
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
]


def retry_delay(channel: str, attempts: int, asked: float | None = None) -> timedelta | None:
    """How long to wait after ``attempts`` failed attempts, or None: give up. A push
    service's or receiver's Retry-After is honoured (within a day)."""
    if channel == "webhook":
        if attempts > len(WEBHOOK_DELAYS):
            return None
        delay = WEBHOOK_DELAYS[attempts - 1]
    else:
        if attempts >= PEOPLE_ATTEMPTS:
            return None
        delay = timedelta(seconds=30 * 2 ** (attempts - 1))
    if asked is not None and 0 < asked <= 86400:
        delay = max(delay, timedelta(seconds=asked))
    return delay


def next_digest(now: datetime) -> datetime:
    """The next daily digest: today at ``GUICHET_DIGEST_HOUR`` (local time) if still to
    come, else tomorrow."""
    local = timezone.localtime(now)
    at = timezone.make_aware(datetime.combine(local.date(), time(settings.GUICHET_DIGEST_HOUR)))
    return at if at > now else at + timedelta(days=1)
