"""What a delivery costs and when it stops: one query for a signed-in reader, the
session and the person checked by that query, and the tailer waking only the sockets
still behind."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models import Model
from django.db.models.base import ModelState
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext

from api.accounts.models import User
from api.realtime import publish
from api.realtime.consumers import StreamConsumer
from api.realtime.streams import AGENT, CITIZEN, Viewer

from .conftest import Socket, Town, in_thread, session_cookie

pytestmark = [pytest.mark.django_db(transaction=True)]


def reader(town: Town) -> StreamConsumer:
    cookie = session_cookie(town.citizen)
    consumer = StreamConsumer()
    consumer.viewer = Viewer(
        stream=CITIZEN, user_id=town.citizen.pk, session_key=cookie.partition("=")[2], password=town.citizen.password
    )
    return consumer


def test_a_delivery_to_a_signed_in_citizen_is_one_query(town: Town) -> None:
    consumer = reader(town)
    town.send()
    with CaptureQueriesContext(connection) as queries:
        outcome = consumer._read("submission", 0, 0)
    assert outcome is not None
    _batch, rendered = outcome
    assert [m["event"]["kind"] for m in rendered] == ["submission.sent", "submission.notified"]
    assert len(queries) == 1, [q["sql"] for q in queries]


@pytest.mark.parametrize("ended", ["signed out", "deactivated", "password changed elsewhere"])
def test_a_read_finds_nothing_once_the_session_or_the_person_is_gone_and_the_socket_is_closed(
    town: Town, ended: str
) -> None:
    consumer = reader(town)
    town.send()
    if ended == "signed out":
        Session.objects.all().delete()
    elif ended == "deactivated":
        User.objects.filter(pk=town.citizen.pk).update(is_active=False)
    else:
        town.citizen.set_password("un-autre-mot-de-passe")
        town.citizen.save(update_fields=["password"])
    assert consumer.viewer.events("submission").count() == 0
    assert not consumer.viewer.still_allowed()
    assert consumer._read("submission", 0, 0) is None  # the consumer closes the socket (4401)


@pytest.mark.parametrize("stream", [CITIZEN, AGENT])
def test_a_delivery_leaves_no_reference_cycle_behind(town: Town, stream: str) -> None:
    """Garbage in cycles is what makes the server's collector run, and with thousands
    of sockets open its full collections stall every socket (decision 0014): a read
    and its messages are freed as soon as they are sent."""
    consumer = reader(town)
    if stream == AGENT:
        consumer.viewer = Viewer(stream=AGENT, user_id=town.agent.pk, password=town.agent.password)
    town.send()
    consumer._read("submission", 0, 0)  # the first read fills the caches that stay
    gc.collect()
    flags = gc.get_debug()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what the collection finds is kept to be looked at
    try:
        outcome = consumer._read("submission", 0, 0)
        assert outcome is not None and len(outcome[1]) >= 2
        del outcome
        gc.collect()
        found = list(gc.garbage)
    finally:
        gc.garbage.clear()
        gc.set_debug(flags)
        gc.enable()
    # Other threads leave their own garbage meanwhile (the connection pool opening a
    # connection, an HTTP request served by an earlier test's server finishing late, with
    # its lazily loaded user); what a delivery must not leave is its own objects: the
    # events and requests read, their state, serializers and their fields.
    found = _without_http_requests(found)
    ours = [type(o).__qualname__ for o in found if isinstance(o, Model | ModelState) or _module(o).startswith(OURS)]
    assert ours == []
    del found


OURS = ("api.", "rest_framework.")


def _without_http_requests(found: list[Any]) -> list[Any]:
    """Drops each cycle that holds an HTTP request: a websocket delivery builds none, so
    such garbage is another thread's."""
    index = {id(o): i for i, o in enumerate(found)}
    parent = list(range(len(found)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, thing in enumerate(found):
        for referent in gc.get_referents(thing):
            j = index.get(id(referent))
            if j is not None:
                parent[root(i)] = root(j)
    foreign = {root(i) for i, o in enumerate(found) if isinstance(o, HttpRequest)}
    return [o for i, o in enumerate(found) if root(i) not in foreign]


def _module(thing: object) -> str:
    return str(getattr(type(thing), "__module__", ""))


def test_a_password_changed_in_the_sockets_own_session_keeps_it_reading(town: Town) -> None:
    consumer = reader(town)
    town.send()
    town.citizen.set_password("un-autre-mot-de-passe")
    town.citizen.save(update_fields=["password"])
    store = SessionStore(session_key=consumer.viewer.session_key)
    store[HASH_SESSION_KEY] = town.citizen.get_session_auth_hash()  # as the password change does
    store.save()
    outcome = consumer._read("submission", 0, 0)
    assert outcome is not None
    assert [m["event"]["kind"] for m in outcome[1]] == ["submission.sent", "submission.notified"]


@pytest.mark.asyncio
async def test_a_signed_out_reader_gets_no_further_event_even_before_the_periodic_check(
    town: Town, settings: Any
) -> None:
    settings.GUICHET_REALTIME_RECHECK = 3600
    socket = Socket("/ws/", cookie=await in_thread(session_cookie, town.citizen))
    await socket.open()
    sent = await in_thread(town.send)
    await socket.events(2)
    await in_thread(lambda: Session.objects.all().delete())
    await in_thread(town.act, sent["id"], "start")
    message = await socket.receive()
    while message["type"] == "heartbeat":
        message = await socket.receive()
    assert message == {"type": "closed", "code": 4401}


def test_the_tailer_wakes_only_open_sockets_still_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publish, "LOCAL", {"g.anne": {"anne"}, "g.role": {"agent", "anne"}, "g.bob": {"bob"}})
    monkeypatch.setattr(publish, "CURSORS", {"anne": {"submission": 12}, "agent": {"submission": 9}})
    wakes = publish.wakes_for("submission", [(10, {"g.role"}), (12, {"g.anne"}), (13, {"g.anne", "g.bob"})])
    assert sorted(wakes) == [
        ("agent", "submission", 10),
        ("anne", "submission", 10),
        ("anne", "submission", 12),
        ("anne", "submission", 13),
        ("bob", "submission", 13),
    ]
    # anne delivered up to 12; bob's socket has closed; the agent is behind 10.
    assert sorted(publish.behind(wakes)) == [("agent", "submission", 10), ("anne", "submission", 13)]
    publish.follow_cursor("agent", None)
    assert publish.behind(wakes) == [("anne", "submission", 13)]
