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
    """Give positions to the committed events of ``model`` that have none; return how many.

    One statement numbers a batch: the events without a position, in id order, get
    the positions after the highest given (on PostgreSQL after taking the log's lock,
    in a statement of its own, so that the numbering reads what the previous holder
    committed)."""
    done = 0
    while True:
        with transaction.atomic():
            numbered = _number(model)
            if not numbered:
                return done
            done += len(numbered)
            transaction.on_commit(partial(_remember, model._meta.db_table, numbered), robust=True)
        if len(numbered) < BATCH:
            return done


def sequencer_key(model: type[EventRecord]) -> tuple[str, type[EventRecord]]:
    """The key of a transaction's one after-commit sequencer run for ``model``'s log."""
    return ("sequence", model)


def _number(model: type[EventRecord], ids: list[Any] | None = None) -> list[tuple[Any, int]]:
    """Number one batch in the current transaction, holding the log's lock until it
    ends: the events ``ids`` (this transaction's own), or else the oldest without a
    position."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key(model)])
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(_numbering_sql(model, "LIMIT %s"), [BATCH])
        else:
            cursor.execute(_numbering_sql(model, "", len(ids)), ids)
        return list(cursor.fetchall())


def number_before_commit() -> None:
    """Called by a use case's transaction as its last statements: number the events it
    wrote now, instead of in a transaction of their own after the commit (one
    transaction fewer per write).

    Positions still become visible in increasing order: the log's lock, taken here,
    is held until this transaction commits, so the next writer reads this one's
    positions as committed before it numbers its own. The lock is taken last, after
    the use case's work, so that it is held for the commit only. If a batch was not
    enough (more than ``BATCH`` events without a position), the after-commit run
    stays registered and numbers the rest."""
    # Django's stubs know an older shape of these entries (savepoints, callback, robust).
    entries: list[Any] = connection.run_on_commit
    for index, (savepoints, callback, robust) in enumerate(list(entries)):
        key = getattr(callback, "once_key", None)
        if not (isinstance(key, tuple) and len(key) == 2 and key == sequencer_key(key[1])):
            continue
        model, ids = key[1], getattr(callback, "event_ids", None)
        if not ids or len(ids) > BATCH:
            continue  # the sequencer runs after the commit, in batches
        numbered = _number(model, ids)
        # In place of the sequencer, at the same turn: remember the positions before
        # the events are published after the commit.
        entries[index] = (savepoints, partial(_remember, model._meta.db_table, numbered), robust)


def _numbering_sql(model: type[EventRecord], limit: str, ids: int = 0) -> str:
    """The numbering statement: the events without a position (``limit``), or among
    them the ``ids`` given as parameters."""
    quote = connection.ops.quote_name
    table, pk, position = quote(model._meta.db_table), quote(model._meta.pk.column), quote("position")
    among = f" AND {pk} IN ({', '.join(['%s'] * ids)})" if ids else ""
    return (
        f"UPDATE {table} SET {position} = numbered.next "  # noqa: S608 - names from the model, quoted
        f"FROM (SELECT {pk} AS id, (SELECT COALESCE(MAX({position}), 0) FROM {table}) "
        f"+ ROW_NUMBER() OVER (ORDER BY {pk}) AS next "
        f"FROM {table} WHERE {position} IS NULL{among} ORDER BY {pk} {limit}) AS numbered "
        f"WHERE {table}.{pk} = numbered.id RETURNING {table}.{pk}, {table}.{position}"
    )


def sequence_stragglers(models: list[type[EventRecord]]) -> int:
    """Number what a crash left unnumbered (a look at a partial index when there is nothing)."""
    return sum(sequence_events(model) for model in models if _manager(model).filter(position__isnull=True).exists())


def _remember(table: str, numbered: list[tuple[Any, int]]) -> None:
    if len(_given) > _GIVEN_KEPT:
        _given.clear()
    for pk, position in numbered:
        _given[(table, pk)] = position


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
