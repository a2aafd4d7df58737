"""Realtime through the real server: daphne as the Procfile runs it, a websockets
client, the session cookie of a signed-in citizen, an agent acting over REST with a
token; a client that reconnects; an event written by another process (the worker,
on the embedded default); and, with Redis, two daphne processes delivering to each
other's clients."""

from __future__ import annotations

import asyncio
import json
import os
import urllib.request
from datetime import timedelta
from typing import Any

import pytest
import websockets
from asgiref.sync import sync_to_async
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model

from api.realtime.tests.conftest import SERVER_MESSAGES, Town
from api.submissions import actions
from api.submissions.access import Actor
from api.submissions.models import Submission

pytestmark = [pytest.mark.asyncio]


def agent_token(town: Town) -> str:
    app = get_application_model().objects.create(
        name="Poste agent", client_type="public", authorization_grant_type="authorization-code"
    )
    expires = timezone.now() + timedelta(hours=1)
    get_access_token_model().objects.create(
        application=app, user=town.agent, token="agent-token", scope="agent", expires=expires
    )
    return "agent-token"


def rest(server: Any, method: str, path: str, body: dict[str, Any] | None = None, token: str = "") -> Any:
    request = urllib.request.Request(
        server.url + path,
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"null")


def move(server: Any, token: str, request_id: str, action: str, **body: Any) -> None:
    status = rest(server, "GET", f"/api/agent/requests/{request_id}/", token=token)["status"]["id"]
    given = {"action": action, "status": status, **body}
    rest(server, "POST", f"/api/agent/requests/{request_id}/actions/", given, token)


class Live:
    def __init__(self, socket: Any) -> None:
        self.socket = socket

    async def next(self, timeout: float = 10) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(self.socket.recv(), timeout))
        assert list(SERVER_MESSAGES.iter_errors(message)) == [], message
        return message

    async def events(self, count: int, timeout: float = 10) -> list[dict[str, Any]]:
        found = []
        while len(found) < count:
            message = await self.next(timeout)
            if message["type"] == "event":
                found.append(message)
        return found

    async def quiet(self, wait: float = 1.0) -> None:
        with pytest.raises(asyncio.TimeoutError):
            while True:
                message = await self.next(wait)
                assert message["type"] == "heartbeat", message


def cookie_of(town: Town) -> str:
    client = Client()
    client.force_login(town.citizen)
    return f"sessionid={client.cookies['sessionid'].value}"


async def test_a_status_change_reaches_the_citizens_open_socket_once_and_a_missed_one_on_reconnect(
    town: Town, daphne_server: Any
) -> None:
    server = daphne_server()
    token = await sync_to_async(agent_token)(town)
    cookie = await sync_to_async(cookie_of)(town)
    sent = await sync_to_async(town.send)()
    url = server.url.replace("http://", "ws://") + "/ws/?lang=en"
    async with websockets.connect(url, origin=server.url, additional_headers={"Cookie": cookie}) as socket:
        live = Live(socket)
        hello = await live.next()
        assert hello["type"] == "hello" and hello["stream"] == "citizen"
        await asyncio.to_thread(move, server, token, sent["id"], "start")
        [moved] = await live.events(1)
        assert moved["event"]["kind"] == "submission.status_changed"
        assert (moved["request"]["status"], moved["request"]["status_label"]) == ("in_progress", "In progress")
        await live.quiet()
    last = moved["position"]

    await asyncio.to_thread(move, server, token, sent["id"], "accept")
    back = f"{url}&after=submission:{last}"
    async with websockets.connect(back, origin=server.url, additional_headers={"Cookie": cookie}) as socket:
        live = Live(socket)
        await live.next()  # hello
        missed = await live.events(2)
        assert [m["event"]["kind"] for m in missed] == ["submission.status_changed", "submission.notified"]
        assert missed[0]["request"]["status"] == "accepted" and missed[0]["position"] > last
        await live.quiet()
    assert "Traceback" not in server.log.read_text()


async def test_an_event_written_by_another_process_reaches_the_socket_on_the_embedded_default(
    town: Town, daphne_server: Any
) -> None:
    """The worker is another process: an in-memory channel layer cannot reach the web
    process from it, so each web process reads the logs' new positions itself."""
    server = daphne_server(GUICHET_REALTIME_POLL="0.2", REDIS_URL=None)
    sent = await sync_to_async(town.send)()
    response = await sync_to_async(town.post)(town.agent, "/api/realtime/tickets/", {"stream": "agent"})
    assert response.status_code == 201, response.content
    url = server.url.replace("http://", "ws://") + f"/ws/?ticket={response.json()['ticket']}"
    async with websockets.connect(url, origin=server.url) as socket:
        live = Live(socket)
        assert (await live.next())["stream"] == "agent"

        def assign_here() -> None:  # in this test's process, as the worker would
            submission = Submission.objects.get(pk=sent["id"])
            actions.assign(submission, Actor(), role=None, agent=town.agent)

        await sync_to_async(assign_here)()
        [assigned] = await live.events(1, timeout=5)
        assert assigned["event"]["kind"] == "submission.assigned"
        assert assigned["request"]["assignee"] == town.agent.pk
        await live.quiet()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="configuration: needs Redis (CI's second pass runs it)")
async def test_two_web_processes_deliver_to_each_others_sockets_through_redis(town: Town, daphne_server: Any) -> None:
    # The tailer would deliver within a minute anyway: only the channel layer delivers in seconds.
    first = daphne_server(GUICHET_REALTIME_POLL="60")
    second = daphne_server(GUICHET_REALTIME_POLL="60")
    token = await sync_to_async(agent_token)(town)
    cookie = await sync_to_async(cookie_of)(town)
    sent = await sync_to_async(town.send)()
    url = second.url.replace("http://", "ws://") + "/ws/"
    async with websockets.connect(url, origin=second.url, additional_headers={"Cookie": cookie}) as socket:
        live = Live(socket)
        await live.next()
        # Idle longer than the layer's blocking pop and redis-py's default read timeout
        # (5 s each): the socket's consumer must still be listening.
        await asyncio.sleep(7)
        await asyncio.to_thread(move, first, token, sent["id"], "start")
        [moved] = await live.events(1, timeout=5)
        assert moved["request"]["status"] == "in_progress"
        await live.quiet()
    for server in (first, second):
        assert "Exception inside application" not in server.log.read_text(), server.log.read_text()[-3000:]


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="configuration: needs Redis (CI's second pass runs it)")
async def test_with_redis_a_lost_wake_up_is_made_good_by_the_tailer(
    town: Town, daphne_server: Any, settings: Any
) -> None:
    """With Redis the tailer waits a round for the channel layer before waking a socket
    still behind: a wake-up that never came (here, the writer's layer reaches no one)
    is made good a round later."""
    server = daphne_server(GUICHET_REALTIME_POLL="0.2")
    sent = await sync_to_async(town.send)()
    response = await sync_to_async(town.post)(town.agent, "/api/realtime/tickets/", {"stream": "agent"})
    url = server.url.replace("http://", "ws://") + f"/ws/?ticket={response.json()['ticket']}"
    async with websockets.connect(url, origin=server.url) as socket:
        live = Live(socket)
        assert (await live.next())["stream"] == "agent"
        settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

        def assign_here() -> None:
            submission = Submission.objects.get(pk=sent["id"])
            actions.assign(submission, Actor(), role=None, agent=town.agent)

        await sync_to_async(assign_here)()
        [assigned] = await live.events(1, timeout=5)
        assert assigned["event"]["kind"] == "submission.assigned"
        await live.quiet()
    assert "Exception inside application" not in server.log.read_text()
