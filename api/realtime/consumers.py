"""The one websocket endpoint, ``/ws/``.

Opening: a signed-in session (the app; ``?stream=agent`` for an agent's stream;
labels in the profile's language, or ``?lang=``)
or ``?ticket=`` (widgets and applications, see ``tickets.py``), and optionally
``?after=submission:120,job:7``, the last positions the client saw. The server
says ``hello`` with the current positions, replays what the client missed (or
says ``refetch`` when that is too much), then sends each event as it commits,
a ``heartbeat`` every ``GUICHET_REALTIME_HEARTBEAT`` seconds, and answers
``ping`` with ``pong``. Messages: schema/realtime/."""

from __future__ import annotations

import asyncio
import json
import random
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import parse_qsl

from channels.db import DatabaseSyncToAsync, database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import translation

from api.accounts.access import used_mfa_in
from api.accounts.models import Profile, User

from . import messages
from .publish import ensure_tailer, follow_cursor, join_local, leave_local
from .streams import AGENT, CITIZEN, LOGS, Viewer, catch_up, heads
from .tickets import TicketError, redeem

MAX_CLIENT_MESSAGE = 4096
#: The threads that read deliveries. Each read takes a connection from the process's
#: pool and gives it back, so sockets' reads go to PostgreSQL side by side (on one
#: thread, thousands of sockets' round trips queued behind each other: measured, the
#: single database thread was the realtime benchmark's bottleneck). One socket never
#: has two reads at once: its messages are handled one after the other.
READERS = ThreadPoolExecutor(max_workers=settings.GUICHET_REALTIME_READERS, thread_name_prefix="guichet-realtime-read")
REPLAY_LIMIT = 500


def on_readers(function: Any) -> Any:
    """``function`` run on the readers' threads, awaitable (its connection given back)."""
    return DatabaseSyncToAsync(function, thread_sensitive=False, executor=READERS)


_AFTER = re.compile(r"^(?:[a-z]+:\d{1,18})(?:,[a-z]+:\d{1,18})*$")


class Refused(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def parse_after(raw: str) -> dict[str, int]:
    if not raw:
        return {}
    if not _AFTER.match(raw):
        raise Refused(messages.BAD_REQUEST, "after: give log:position pairs, e.g. submission:120,job:7")
    after = {}
    for pair in raw.split(","):
        name, _colon, position = pair.partition(":")
        if name not in LOGS:
            raise Refused(messages.BAD_REQUEST, f"after: unknown log {name}")
        after[name] = int(position)
    return after


def _language(query: dict[str, str], scope: dict[str, Any]) -> str:
    asked = query.get("lang", "")
    if asked in ("fr", "en"):
        return asked
    for name, value in scope.get("headers", []):
        if name == b"accept-language":
            return "en" if value.decode("latin-1").strip().lower().startswith("en") else "fr"
    return "fr"


@database_sync_to_async
def _viewer_of(scope: dict[str, Any], query: dict[str, str]) -> Viewer:
    """Who opens the socket, or ``Refused``."""
    language = _language(query, scope)
    if "ticket" in query:
        try:
            viewer = redeem(query["ticket"])
        except TicketError as error:
            raise Refused(messages.UNAUTHENTICATED, f"ticket: {error}") from error
        if query.get("lang") in ("fr", "en"):
            viewer.language = query["lang"]
        return viewer
    user = scope.get("user")
    session = scope.get("session")
    if not isinstance(user, User) or not user.is_authenticated or session is None or not session.session_key:
        raise Refused(messages.UNAUTHENTICATED, "sign in, or open the socket with a ticket")
    if query.get("lang") not in ("fr", "en"):  # a signed-in person reads in the language of their profile
        language = Profile.objects.filter(user=user).values_list("language", flat=True).first() or language
    stream = query.get("stream", CITIZEN)
    if stream not in (CITIZEN, AGENT):
        raise Refused(messages.BAD_REQUEST, "stream: citizen or agent")
    viewer = Viewer(
        stream=stream, user_id=user.pk, session_key=session.session_key, language=language, password=user.password
    )
    if stream == AGENT:
        if not viewer.role_ids():
            raise Refused(messages.FORBIDDEN, "an agent's stream needs a role")
        if settings.GUICHET_AGENT_MFA_REQUIRED and not used_mfa_in(session, user):
            raise Refused(messages.FORBIDDEN, "mfa-required")
    return viewer


class StreamConsumer(AsyncJsonWebsocketConsumer):
    """One reader's stream of events."""

    viewer: Viewer
    cursor: dict[str, int]

    async def connect(self) -> None:
        await self.accept()
        raw_query = self.scope.get("query_string", b"").decode("latin-1")
        query = dict(parse_qsl(raw_query, keep_blank_values=True))
        self.ticking: asyncio.Task[None] | None = None
        self.ticks = 0
        self.joined: set[str] = set()
        try:
            after = parse_after(query.get("after", ""))
            self.viewer = await _viewer_of(dict(self.scope), query)
        except Refused as refused:
            await self.send_json(messages.error("refused", refused.reason))
            await self.close(code=refused.code)
            return
        await self._join(await database_sync_to_async(self.viewer.wanted_groups)())
        positions = await database_sync_to_async(heads)()
        self.cursor = {name: after.get(name, positions[name]) for name in self.viewer.logs()}
        follow_cursor(self.channel_name, self.cursor)
        interval = float(settings.GUICHET_REALTIME_HEARTBEAT)
        await self.send_json(messages.hello(self.viewer, {n: positions[n] for n in self.viewer.logs()}, interval))
        for name, position in after.items():
            if name not in self.cursor:
                continue
            if position > positions[name]:  # not a position of this server's log: start afresh
                await self.send_json(messages.refetch(name, positions[name]))
            else:
                await self._deliver(name, position)
        ensure_tailer()
        self.ticking = asyncio.get_running_loop().create_task(self._tick(interval))

    async def disconnect(self, code: int) -> None:
        if self.ticking is not None:
            self.ticking.cancel()
        follow_cursor(self.channel_name, None)
        await self._leave(set(self.joined))

    # --- groups ----------------------------------------------------------------------

    async def _join(self, groups: set[str]) -> None:
        for group in groups - self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
        for group in self.joined - groups:
            await self.channel_layer.group_discard(group, self.channel_name)
        leave_local(self.channel_name, self.joined - groups)
        join_local(self.channel_name, groups)
        self.joined = set(groups)

    async def _leave(self, groups: set[str]) -> None:
        for group in groups:
            await self.channel_layer.group_discard(group, self.channel_name)
        leave_local(self.channel_name, groups)
        self.joined -= groups

    # --- what the client says ------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any) -> None:
        if bytes_data is not None or text_data is None:
            await self.send_json(messages.error("text-only", "send JSON text messages"))
            return
        if len(text_data) > MAX_CLIENT_MESSAGE:
            await self.close(code=messages.TOO_LARGE)
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self.send_json(messages.error("invalid-json", "a message is one JSON object"))
            return
        if isinstance(content, dict) and content.get("type") == "ping":
            reply: dict[str, Any] = {"type": "pong"}
            if isinstance(content.get("id"), str | int) and not isinstance(content.get("id"), bool):
                reply["id"] = content["id"]
            await self.send_json(reply)
            return
        await self.send_json(messages.error("unknown-message", "the server understands only ping"))

    # --- what the server sends -------------------------------------------------------------

    async def realtime_wake(self, message: dict[str, Any]) -> None:
        name, position = message.get("log"), message.get("position")
        if name in self.cursor and isinstance(position, int) and position > self.cursor[name]:
            await self._deliver(name, self.cursor[name], woken_at=position)

    async def realtime_recheck(self, message: dict[str, Any]) -> None:
        """A fresh look at who the reader is (signed out, a token revoked, a role given or
        taken away), every ``GUICHET_REALTIME_RECHECK`` seconds; between two looks, each
        delivery checks anyway. (Looking at every heartbeat cost every socket database
        reads every 25 seconds: measured, it starved 3,000 sockets.) Dispatched as a
        message so that it never runs beside a delivery of the same socket."""
        allowed, groups = await on_readers(self._check)()
        if not allowed:
            await self.close(code=messages.UNAUTHENTICATED)
            return
        await self._join(groups)

    def _check(self) -> tuple[bool, set[str]]:
        return self.viewer.still_allowed(), self.viewer.wanted_groups()

    async def _tick(self, interval: float) -> None:
        """Heartbeats, sent straight to the socket (not through the channel layer: with
        thousands of sockets that was a Redis round trip per socket every interval)."""
        every = max(1, round(float(settings.GUICHET_REALTIME_RECHECK) / interval))
        # The first one at a random point of the interval: sockets opened together (a
        # server restart, the morning's first minutes) do not all beat in the same instant.
        await asyncio.sleep(interval * random.uniform(0.5, 1.0))  # noqa: S311 - spreading load, not a secret
        while True:
            self.ticks += 1
            if self.ticks % every == 0:
                await self.channel_layer.send(self.channel_name, {"type": "realtime.recheck"})
            await self.send_json(messages.heartbeat())
            await asyncio.sleep(interval)

    async def _deliver(self, name: str, after: int, *, woken_at: int = 0) -> None:
        """Send what the viewer may read in log ``name`` after ``after``."""
        outcome = await on_readers(self._read)(name, after, woken_at)
        if outcome is None:
            await self.close(code=messages.UNAUTHENTICATED)
            return
        batch, rendered = outcome
        if batch.too_many:
            await self.send_json(messages.refetch(name, batch.position))
        for item in rendered:
            await self.send_json(item)
        self.cursor[name] = max(self.cursor.get(name, 0), batch.position)

    def _read(self, name: str, after: int, woken_at: int) -> tuple[Any, list[dict[str, Any]]] | None:
        # Where the read itself checks that the session and the person still hold (one
        # query instead of three), the full check runs only when it finds nothing.
        checked_by_read = self.viewer.standing_in_read()
        if not checked_by_read and not self.viewer.still_allowed():
            return None
        batch = catch_up(self.viewer, name, after, woken_at=woken_at, limit=REPLAY_LIMIT)
        if checked_by_read and not batch.events:
            known = self.viewer.password
            if not self.viewer.still_allowed():
                return None
            if self.viewer.password != known:  # the password was changed in this session
                batch = catch_up(self.viewer, name, after, woken_at=woken_at, limit=REPLAY_LIMIT)
        with translation.override(self.viewer.language):
            return batch, [messages.event(self.viewer, name, record) for record in batch.events]
