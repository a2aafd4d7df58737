"""The websocket's streams on the ASGI application: who receives what, as it commits,
and what a reconnecting client gets back."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.models import Session

from api.realtime import consumers
from api.realtime.streams import AGENT, CITIZEN, Viewer
from api.realtime.tickets import issue

from .conftest import Socket, Town, in_thread, session_cookie

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

CITIZEN_ONLY = {"submission.sent", "submission.status_changed", "submission.notified", "message.posted"}


async def test_a_citizen_reads_their_request_move_as_it_commits_and_nothing_for_agents_only(town: Town) -> None:
    socket = Socket("/ws/?lang=en", cookie=await in_thread(session_cookie, town.citizen))
    hello = await socket.open()
    assert hello["stream"] == CITIZEN and set(hello["positions"]) == {"submission"}

    sent = await in_thread(town.send)
    received = await socket.events(2)  # sent, then the workflow's "we received it" message
    assert [m["event"]["kind"] for m in received] == ["submission.sent", "submission.notified"]
    assert received[0]["request"]["id"] == sent["id"] and received[0]["request"]["status"] == "received"
    await in_thread(town.act, sent["id"], "start", comment="Dossier complet")
    moved = (await socket.events(1))[0]
    assert moved["event"]["kind"] == "submission.status_changed"
    assert moved["request"]["status"] == "in_progress"
    assert moved["request"]["status_label"] and moved["request"]["status_label"] != "in_progress"
    positions = [m["position"] for m in [*received, moved]]
    assert positions == sorted(positions) and len(set(positions)) == 3
    # The agents' record of the move (with its internal comment) never reaches the citizen.
    await socket.nothing()
    await socket.close()


async def test_an_agent_reads_what_their_roles_hold_and_stops_when_it_is_handed_away(town: Town) -> None:
    office = Socket("/ws/?stream=agent", cookie=await in_thread(session_cookie, town.agent))
    roads = Socket("/ws/?stream=agent", cookie=await in_thread(session_cookie, town.roads_agent))
    assert (await office.open())["stream"] == AGENT
    await roads.open()

    sent = await in_thread(town.send)
    kinds = [m["event"]["kind"] for m in await office.events(3)]
    assert kinds == ["submission.sent", "submission.notified", "submission.deadline_set"]
    await roads.nothing()

    await in_thread(town.act, sent["id"], "start", comment="Vu")
    moved = await office.events(2)
    assert {m["event"]["kind"] for m in moved} == {"submission.transitioned", "submission.status_changed"}
    transitioned = next(m for m in moved if m["event"]["kind"] == "submission.transitioned")
    assert transitioned["event"]["payload"]["comment"] == "Vu"

    handed = await in_thread(town.post, town.agent, f"/api/agent/requests/{sent['id']}/assignment/", {"role": "voirie"})
    assert handed.status_code == 204, handed.content
    # A request handed to a role brings what its agents may now read of it since they connected.
    history = [m["event"]["kind"] for m in await roads.events(6)]
    assert history[0] == "submission.sent" and history[-1] == "submission.assigned"
    # The office no longer holds it: the change itself is the first thing it does not read.
    await office.nothing()
    await in_thread(town.act, sent["id"], "close", agent=town.roads_agent, comment="Pas pour nous")
    assert "submission.transitioned" in [m["event"]["kind"] for m in await roads.events(2)]
    await office.nothing()
    # Woken by a new request of its own, the office reads that one only, not the other's closing.
    fresh = await in_thread(town.send)
    assert {m["request"]["id"] for m in await office.events(3)} == {fresh["id"]}
    await office.nothing()
    await office.close()
    await roads.close()


async def test_one_request_is_followed_with_a_ticket_got_by_its_tracking_code(town: Town) -> None:
    mine = await in_thread(town.send, True, "Martin")
    other = await in_thread(town.send, True, "Durand")
    response = await in_thread(
        town.post, None, "/api/realtime/tickets/", {"stream": "request", "tracking_code": mine["tracking_code"].lower()}
    )
    assert response.status_code == 201, response.content
    ticket = response.json()["ticket"]
    assert response.json()["url"].endswith(f"/ws/?ticket={ticket}")

    socket = Socket(f"/ws/?ticket={ticket}")
    assert (await socket.open())["stream"] == "request"
    await in_thread(town.act, other["id"], "start")
    await socket.nothing()
    await in_thread(town.act, mine["id"], "start")
    assert [m["request"]["id"] for m in await socket.events(1)] == [mine["id"]]

    again = Socket(f"/ws/?ticket={ticket}")
    refused = await again.open()
    assert refused == {"type": "error", "code": "refused", "detail": "ticket: ticket already used"}
    assert (await again.receive())["code"] == 4401
    await socket.close()


@pytest.mark.parametrize(
    "body,status,code",
    [
        ({"stream": "request", "tracking_code": "ZZZZZZZZ"}, 404, "unknown-tracking-code"),
        ({"stream": "request"}, 400, "follow-needs-a-code"),
        ({}, 401, "not-authenticated"),
        ({"stream": "citizen"}, 401, "not-authenticated"),
        ({"stream": "agent"}, 401, "not-authenticated"),
        ({"stream": "everything"}, 400, "validation-error"),
        ({"stream": "request", "tracking_code": 12345678}, 400, "validation-error"),
    ],
)
async def test_a_ticket_is_refused_with_a_problem_naming_why(
    town: Town, body: dict[str, Any], status: int, code: str
) -> None:
    response = await in_thread(town.post, None, "/api/realtime/tickets/", body)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code


async def test_a_citizen_is_not_an_agent_and_an_agent_may_need_a_second_factor(town: Town, settings: Any) -> None:
    refused = await in_thread(town.post, town.citizen, "/api/realtime/tickets/", {"stream": "agent"})
    assert refused.status_code == 403
    socket = Socket("/ws/?stream=agent", cookie=await in_thread(session_cookie, town.citizen))
    assert (await socket.open())["detail"] == "an agent's stream needs a role"
    assert (await socket.receive())["code"] == 4403

    settings.GUICHET_AGENT_MFA_REQUIRED = True
    socket = Socket("/ws/?stream=agent", cookie=await in_thread(session_cookie, town.agent))
    assert (await socket.open())["detail"] == "mfa-required"
    assert (await socket.receive())["code"] == 4403
    no_mfa = await in_thread(town.post, town.agent, "/api/realtime/tickets/", {"stream": "agent"})
    assert no_mfa.status_code == 403 and no_mfa.json()["code"] == "mfa-required"


@pytest.mark.parametrize(
    "path,detail,code",
    [
        ("/ws/", "sign in, or open the socket with a ticket", 4401),
        ("/ws/?ticket=forged", "ticket: ", 4401),
        ("/ws/?after=submission:abc", "after: give log:position pairs, e.g. submission:120,job:7", 4400),
        ("/ws/?after=elsewhere:3", "after: unknown log elsewhere", 4400),
    ],
)
async def test_a_socket_without_a_reader_is_closed_saying_why(town: Town, path: str, detail: str, code: int) -> None:
    socket = Socket(path)
    refused = await socket.open()
    assert refused["type"] == "error" and refused["detail"].startswith(detail)
    assert (await socket.receive())["code"] == code


async def test_an_expired_ticket_is_refused(town: Town, monkeypatch: pytest.MonkeyPatch) -> None:
    ticket = issue(Viewer(stream=CITIZEN, user_id=town.citizen.pk))
    monkeypatch.setattr("api.realtime.tickets.TICKET_SECONDS", -1)
    socket = Socket(f"/ws/?ticket={ticket}")
    assert "Signature age" in (await socket.open())["detail"]
    assert (await socket.receive())["code"] == 4401


async def test_a_reconnecting_client_gets_what_it_missed_in_order_or_is_told_to_refetch(
    town: Town, monkeypatch: pytest.MonkeyPatch
) -> None:
    cookie = await in_thread(session_cookie, town.citizen)
    socket = Socket("/ws/", cookie=cookie)
    await socket.open()
    sent = await in_thread(town.send)
    seen = await socket.events(2)
    last = seen[-1]["position"]
    await socket.close()

    await in_thread(town.act, sent["id"], "start")
    await in_thread(town.act, sent["id"], "accept")
    back = Socket(f"/ws/?after=submission:{last}", cookie=cookie)
    hello = await back.open()
    missed = await back.events(3)
    assert [m["request"]["status"] for m in missed][-1] == "accepted"
    assert [m["position"] for m in missed] == sorted(m["position"] for m in missed)
    assert all(m["position"] > last for m in missed) and missed[-1]["position"] <= hello["positions"]["submission"]
    await back.nothing()
    await back.close()

    monkeypatch.setattr(consumers, "REPLAY_LIMIT", 1)
    old = Socket(f"/ws/?after=submission:{last}", cookie=cookie)
    await old.open()
    assert await old.receive() == {"type": "refetch", "log": "submission", "position": hello["positions"]["submission"]}
    await old.nothing()
    await old.close()

    stranger = Socket("/ws/?after=submission:999999", cookie=cookie)
    await stranger.open()
    assert (await stranger.receive())["type"] == "refetch"
    await stranger.close()


async def test_heartbeats_flow_and_a_signed_out_session_is_closed(town: Town, settings: Any) -> None:
    settings.GUICHET_REALTIME_HEARTBEAT = 0.2
    settings.GUICHET_REALTIME_RECHECK = 0.4  # every other heartbeat
    cookie = await in_thread(session_cookie, town.citizen)
    socket = Socket("/ws/", cookie=cookie)
    assert (await socket.open())["heartbeat"] == 0.2
    assert (await socket.receive(2))["type"] == "heartbeat"
    assert (await socket.receive(2))["type"] == "heartbeat"
    await in_thread(lambda: Session.objects.all().delete())
    message = await socket.receive(2)
    for _ in range(10):  # closed at the next check, two heartbeats at most: not ten
        if message["type"] != "heartbeat":
            break
        message = await socket.receive(2)
    assert message == {"type": "closed", "code": 4401}


async def test_what_a_client_sends_is_answered_never_a_crash(town: Town) -> None:
    socket = Socket("/ws/", cookie=await in_thread(session_cookie, town.citizen))
    await socket.open()
    await socket.send({"type": "ping", "id": "é-1"})
    assert await socket.receive() == {"type": "pong", "id": "é-1"}
    await socket.send({"type": "ping", "id": True})
    assert await socket.receive() == {"type": "pong"}
    await socket.send("not json \ud800")
    assert (await socket.receive())["code"] == "invalid-json"
    await socket.send([{"type": "ping"}])
    assert (await socket.receive())["code"] == "unknown-message"
    await socket.communicator.send_to(bytes_data=b"\x00\x01")
    assert (await socket.receive())["code"] == "text-only"
    await socket.send({"type": "ping", "id": "x" * 5000})
    assert await socket.receive() == {"type": "closed", "code": 1009}
