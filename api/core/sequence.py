"""Positions for events, in the order they become visible.

An auto-increment id is drawn when a row is inserted, not when its transaction
commits: on PostgreSQL a transaction holding id 41 can commit after another has
committed id 42, and a reader that already moved its cursor past 42 never sees
41. So the feeds do not read ids. After commit, ``sequence_events`` gives every
committed event of a log without a position the next positions, one sequencer
at a time (a PostgreSQL advisory lock per log, held until its own commit; SQLite
writers are serialised anyway). Positions therefore become visible in
increasing order: an event committed late gets a later position, never one a
reader has passed.

It runs after each transaction that wrote events, and it numbers every event still
without a position, so an event whose after-commit run was lost (a crash) is
numbered by the next one written; each web process's realtime tailer also looks for
such stragglers (``sequence_stragglers``). Reading a feed never numbers: a read
writes nothing.

It writes only the log's own numbering, never a change to what the log is
about: it is infrastructure of the spine, not a use case, and records no event."""

from __future__ import annotations

import hashlib
from functools import partial
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Max

if TYPE_CHECKING:
    from .events import EventRecord

BATCH = 500

#: The positions this process gave last, so that publishing an event just sequenced
#: needs no read (a position, once given, never changes).
_given: dict[tuple[str, int], int] = {}
_GIVEN_KEPT = 5000


def _manager(model: type[EventRecord]) -> Any:
    return model._default_manager


def lock_key(model: type[EventRecord]) -> int:
    """The advisory lock of one log: a signed 64-bit number derived from its table."""
    digest = hashlib.sha256(f"guichet-sequence:{model._meta.db_table}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def sequence_events(model: type[EventRecord]) -> int:
    """Give positions to the committed events of ``model`` that have none; return how many."""
    done = 0
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key(model)])
            pending = list(_manager(model).filter(position__isnull=True).order_by("id").only("id")[:BATCH])
            if not pending:
                return done
            top = _manager(model).aggregate(top=Max("position"))["top"] or 0
            for offset, event in enumerate(pending, start=1):
                event.position = top + offset
            _manager(model).bulk_update(pending, ["position"])
            done += len(pending)
            transaction.on_commit(partial(_remember, model._meta.db_table, pending), robust=True)
        if len(pending) < BATCH:
            return done


def sequence_stragglers(models: list[type[EventRecord]]) -> int:
    """Number what a crash left unnumbered (a look at a partial index when there is nothing)."""
    return sum(sequence_events(model) for model in models if _manager(model).filter(position__isnull=True).exists())


def _remember(table: str, events: list[Any]) -> None:
    if len(_given) > _GIVEN_KEPT:
        _given.clear()
    for event in events:
        _given[(table, event.pk)] = event.position


def position_of(event: EventRecord) -> int | None:
    """A committed event's position (sequencing it if nobody has yet)."""
    model = type(event)
    known = _given.get((model._meta.db_table, event.pk))
    if known is not None:
        return known
    position = _manager(model).filter(pk=event.pk).values_list("position", flat=True).first()
    if position is None:
        sequence_events(model)
        position = _manager(model).filter(pk=event.pk).values_list("position", flat=True).first()
    return int(position) if position is not None else None
