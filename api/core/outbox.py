"""The outbox: delivery of committed events to durable subscribers, by the worker.

``create_deliveries`` writes one ``Delivery`` per durable subscriber in the
event's own transaction: if the event commits, its deliveries do; if it rolls
back, neither exists. After commit the worker is asked to run ``deliver_due``,
which hands over every due delivery, not only this transaction's: a lost
wake-up delays a delivery until the next one, never loses it.

A delivery is claimed with a compare-and-set on ``claimed_until`` (a lease), so
two workers never hand the same event to a subscriber at once; it is marked
delivered only after the handler returns. A handler that raises is retried with
exponential backoff; a worker that dies mid-delivery lets the lease expire and
another takes it. Subscribers are therefore called at least once per event and
must be idempotent on (``event.source()``, ``event.pk``) — with that, each event
takes effect exactly once."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from .events import enqueue_with_transaction
from .models import Delivery
from .transactions import in_use_case

if TYPE_CHECKING:
    from .events import EventRecord

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=6)


def create_deliveries(event: EventRecord, subscribers: list[str]) -> None:
    """Write the event's deliveries in its transaction: at once, or inside a use case
    with the use case's other deliveries in one insert at its end (``write_held``)."""
    now = timezone.now()
    rows = [
        Delivery(source=event.source(), event_id=event.pk, subscriber=name, next_attempt_at=now) for name in subscribers
    ]
    if in_use_case():
        # Held on a callback of the transaction: Django drops it with a savepoint
        # rolled back, so the deliveries of an event rolled back are never written.
        def held() -> None:
            """Deliveries written by ``write_held`` before the commit."""

        held.deliveries = rows  # type: ignore[attr-defined]
        transaction.on_commit(held)
    else:
        Delivery.objects.bulk_create(rows)
    enqueue_with_transaction(_wake_worker, once="outbox")


def write_held() -> int:
    """Write the deliveries held in the current transaction, in one insert (called by
    a use case before its commit). Returns how many."""
    entries: list[Any] = connection.run_on_commit
    rows = [row for entry in entries for row in getattr(entry[1], "deliveries", ())]
    if rows:
        entries[:] = [entry for entry in entries if not hasattr(entry[1], "deliveries")]
        Delivery.objects.bulk_create(rows)
    return len(rows)


def _wake_worker(at: datetime | None = None) -> None:
    from .tasks import deliver_events

    (deliver_events.using(run_after=at) if at else deliver_events).enqueue()


def backoff(attempts: int) -> timedelta:
    return min(MAX_BACKOFF, timedelta(seconds=10 * 2 ** max(0, attempts - 1)))


def _free(now: datetime) -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def _take(candidate: Delivery, now: datetime) -> bool:
    """Lease ``candidate`` if nobody holds it (compare-and-set: of two workers that
    read it at once, one wins)."""
    taken = Delivery.objects.filter(_free(now), pk=candidate.pk, delivered_at__isnull=True).update(
        claimed_until=now + LEASE, attempts=candidate.attempts + 1
    )
    if taken:
        candidate.attempts += 1
    return bool(taken)


def _claim(now: datetime) -> Delivery | None:
    """Take the next due delivery for a lease, or None (no lock held while it runs)."""
    due = Delivery.objects.filter(_free(now), delivered_at__isnull=True, next_attempt_at__lte=now)
    for candidate in due.order_by("next_attempt_at", "id")[:20]:
        if _take(candidate, now):
            return candidate
    return None


def deliver_due(limit: int = 500, now: datetime | None = None) -> int:
    """Hand due deliveries to their subscribers; return how many succeeded."""
    from .events import SUBSCRIBERS

    delivered, watched = 0, False
    for _ in range(limit):
        moment = now or timezone.now()
        delivery = _claim(moment)
        if delivery is None:
            break
        if not watched:  # should this worker die now, a later run takes over its leases
            _wake_worker(moment + LEASE + timedelta(seconds=1))
            watched = True
        subscriber = SUBSCRIBERS.get(delivery.subscriber)
        event = _load(delivery)
        if subscriber is None or event is None:
            # Nobody to deliver to (a subscriber removed from the code) or nothing to
            # deliver (the event's log was purged): done, and said so.
            _finish(delivery, moment, error="no such subscriber" if subscriber is None else "event gone")
            continue
        try:
            subscriber.handler(event)
        except Exception as exc:  # noqa: BLE001 - any failure is retried later, never lost
            log.warning("delivery %s to %s failed: %s", delivery.pk, delivery.subscriber, exc)
            again = moment + backoff(delivery.attempts)
            Delivery.objects.filter(pk=delivery.pk).update(
                claimed_until=None, next_attempt_at=again, last_error=f"{type(exc).__name__}: {exc}"[:2000]
            )
            _wake_worker(again)  # nothing else would come back for it
            continue
        _finish(delivery, moment)
        delivered += 1
    return delivered


def _load(delivery: Delivery) -> Any:
    try:
        model = apps.get_model(delivery.source)
    except (LookupError, ValueError):
        return None
    event = model.objects.filter(pk=delivery.event_id).first()
    if event is not None and event.position is None:
        from .sequence import position_of

        event.position = position_of(event)
    return event


def _finish(delivery: Delivery, now: datetime, *, error: str = "") -> None:
    Delivery.objects.filter(pk=delivery.pk).update(delivered_at=now, claimed_until=None, last_error=error)
