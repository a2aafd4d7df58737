"""Positions for events, in the order they become visible.

An auto-increment id is drawn when a row is inserted, not when its transaction
commits: on PostgreSQL a transaction holding id 41 can commit after another has
committed id 42, and a reader that already moved its cursor past 42 never sees
41. So the feeds do not read ids. After commit, ``sequence_events`` gives every
committed event without a position the next positions, one sequencer at a time
(a PostgreSQL advisory lock held until its own commit; SQLite writers are
serialised anyway). Positions therefore become visible in increasing order: an
event committed late gets a later position, never one a reader has passed.

It runs after each transaction that wrote events, and again before a feed is
read, so an event whose after-commit run was lost (a crash) is still sequenced.
It writes only the log's own numbering, never a change to a request: it is not
a use case of ``actions.py`` and records no event of its own."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Max

from .models import Event

#: Key of the advisory lock that serialises sequencers (any constant 64-bit number).
LOCK_KEY = 0x6775696368657401
BATCH = 500


def sequence_events() -> int:
    """Give positions to committed events that have none; return how many."""
    done = 0
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
            pending = list(Event.objects.filter(position__isnull=True).order_by("id").only("id")[:BATCH])
            if not pending:
                return done
            top = Event.objects.aggregate(top=Max("position"))["top"] or 0
            for offset, event in enumerate(pending, start=1):
                event.position = top + offset
            Event.objects.bulk_update(pending, ["position"])
            done += len(pending)
        if len(pending) < BATCH:
            return done


def sequence_after_commit() -> None:
    """Register the sequencer to run once after the current transaction commits."""
    pending = getattr(connection, "run_on_commit", [])
    if any(entry[1] is sequence_events for entry in pending):
        return
    transaction.on_commit(sequence_events, robust=True)
