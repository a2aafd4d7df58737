"""Waking the sockets an event concerns.

A wake-up says only "log L has an event at position P"; the socket then reads what
its viewer may see after its own cursor (``streams.catch_up``), so a wake-up can
be lost, repeated or arrive out of order without losing or repeating an event.

Two paths wake sockets:

- after commit, in the process that wrote the event, a message to the channel
  layer's groups of the request (its follower, its owner, the role holding it)
  or of the job's author: immediate, and across processes when the layer is
  Redis;
- in every web process, a tailer reads the logs' new positions every
  ``GUICHET_REALTIME_POLL`` seconds and wakes this process's sockets that are still
  behind them: events written by another process on the embedded default (the
  worker's timers and jobs, where an in-memory layer cannot reach), and any wake-up
  lost to a crash. With Redis the first path is expected to have delivered, so the
  tailer waits one more round before waking a socket still behind (measured: waking
  every socket again doubled the channel layer's traffic and the sockets' reads)."""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import logging
import threading
from collections import defaultdict
from typing import Any

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings

from api.core.events import Audience, EventRecord
from api.core.sequence import sequence_stragglers

from .streams import LOGS, application_group, heads, request_group, role_group, user_group

log = logging.getLogger(__name__)

WAKE = "realtime.wake"


def groups_of(event: Any) -> set[str]:
    """The groups whose sockets may want ``event`` (each checks again before reading it)."""
    if event.audience == Audience.INTERNAL:
        return set()
    if event.kind.startswith("job."):
        job = event.job
        if job is None:
            return set()
        return {user_group(job.created_by_id) if job.created_by_id else application_group(job.application_id)}
    submission = event.submission
    if submission is None:
        return set()
    groups = {role_group(submission.role_id)} if submission.role_id else set()
    if event.audience == Audience.CITIZEN:
        groups.add(request_group(str(submission.pk)))
        if submission.owner_id:
            groups.add(user_group(submission.owner_id))
    return groups


def log_name(event: EventRecord) -> str:
    return next(name for name, model in LOGS.items() if isinstance(event, model))


async def _send(groups: set[str], message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    await asyncio.gather(*(layer.group_send(group, message) for group in groups))


class _Publisher:
    """A long-lived event loop in a daemon thread that sends the wake-ups of a process
    writing events outside a server's loop (the worker, a command, a sync view with a
    Redis layer): one connection pool for the process, and the writer never waits.
    (``async_to_sync`` there made a new loop, hence a new Redis connection, per event:
    measured, 8 ms of each event's write.) A wake-up still in flight when the process
    ends is waited for briefly at exit; one lost to a crash is the tailer's."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.pending: set[concurrent.futures.Future[None]] = set()
        self.lock = threading.Lock()
        threading.Thread(target=self.loop.run_forever, name="guichet-realtime-publish", daemon=True).start()
        atexit.register(self.drain)

    def send(self, groups: set[str], message: dict[str, Any]) -> None:
        future = asyncio.run_coroutine_threadsafe(_send(groups, message), self.loop)
        with self.lock:
            self.pending.add(future)
        future.add_done_callback(self._done)

    def _done(self, future: concurrent.futures.Future[None]) -> None:
        with self.lock:
            self.pending.discard(future)
        if not future.cancelled() and future.exception() is not None:
            log.warning("a realtime wake-up was not sent: %s", future.exception())

    def drain(self, timeout: float = 2.0) -> None:
        with self.lock:
            waiting = list(self.pending)
        concurrent.futures.wait(waiting, timeout=timeout)


_publisher: _Publisher | None = None
_publisher_lock = threading.Lock()


def publisher() -> _Publisher:
    global _publisher
    with _publisher_lock:
        if _publisher is None:
            _publisher = _Publisher()
        return _publisher


def on_event(event: EventRecord) -> None:
    """The spine's subscriber (after commit, in the writing process)."""
    groups = groups_of(event)
    if not groups or event.position is None:
        return
    message = {"type": WAKE, "log": log_name(event), "position": event.position}
    if isinstance(get_channel_layer(), InMemoryChannelLayer):
        # In-memory: only this process's server loop can reach its sockets.
        async_to_sync(_send)(groups, message)
    else:
        publisher().send(groups, message)


# --- This process's sockets, and the tailer ---------------------------------------------

#: group → channel names of this process's sockets in it.
LOCAL: defaultdict[str, set[str]] = defaultdict(set)
#: channel name → the positions its socket has delivered up to, by log (the consumer's own dict).
CURSORS: dict[str, dict[str, int]] = {}
_tailers: dict[int, asyncio.Task[None]] = {}

Wake = tuple[str, str, int]  # channel, log, position


def join_local(channel: str, groups: set[str]) -> None:
    for group in groups:
        LOCAL[group].add(channel)


def leave_local(channel: str, groups: set[str]) -> None:
    for group in groups:
        members = LOCAL.get(group)
        if members is not None:
            members.discard(channel)
            if not members:
                del LOCAL[group]


def follow_cursor(channel: str, cursor: dict[str, int] | None) -> None:
    """Let the tailer see how far a socket has delivered (None: the socket closed)."""
    if cursor is None:
        CURSORS.pop(channel, None)
    else:
        CURSORS[channel] = cursor


def behind(wakes: list[Wake]) -> list[Wake]:
    """The wake-ups whose socket is still open and has not delivered that position."""
    return [
        (channel, name, position)
        for channel, name, position in wakes
        if channel in CURSORS and CURSORS[channel].get(name, 0) < position
    ]


def wakes_for(name: str, found: list[tuple[int, set[str]]]) -> list[Wake]:
    """This process's sockets that may want each new event of log ``name``."""
    wakes = []
    for position, groups in found:
        for channel in set().union(*(LOCAL.get(group, set()) for group in groups)):
            wakes.append((channel, name, position))
    return wakes


def ensure_tailer() -> None:
    """Start this process's tailer in the running event loop, once."""
    loop = asyncio.get_running_loop()
    task = _tailers.get(id(loop))
    if task is None or task.done():
        _tailers[id(loop)] = loop.create_task(_tail())


@database_sync_to_async
def _since(name: str, after: int, limit: int = 1000) -> list[tuple[int, set[str]]]:
    model = LOGS[name]
    related = ["job"] if name == "job" else ["submission"]
    events = (
        model.objects.filter(position__gt=after)
        .exclude(audience=Audience.INTERNAL)
        .select_related(*related)
        .order_by("position")[:limit]
    )
    return [(event.position, groups_of(event)) for event in events]


async def _tail() -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    # In memory, nothing else reaches this process from another one: wake at once.
    grace = not isinstance(layer, InMemoryChannelLayer)
    seen = await database_sync_to_async(heads)()
    waiting: list[Wake] = []
    while True:
        await asyncio.sleep(settings.GUICHET_REALTIME_POLL)
        try:  # events a crash left unnumbered (feeds show an event once it has its position)
            await database_sync_to_async(sequence_stragglers)(list(LOGS.values()))
        except Exception:
            log.exception("numbering unsequenced events failed; trying again")
        if not LOCAL:
            seen, waiting = await database_sync_to_async(heads)(), []
            continue
        try:
            found: list[Wake] = []
            for name in LOGS:
                new = await _since(name, seen[name])
                found += wakes_for(name, new)
                seen[name] = max([seen[name], *(position for position, _groups in new)])
            due, waiting = (behind(waiting), behind(found)) if grace else (behind(found), [])
            for channel, name, position in due:
                await layer.send(channel, {"type": WAKE, "log": name, "position": position})
        except Exception:  # the tailer is a safety net: it never dies of one bad read
            log.exception("the realtime tailer failed; trying again")
