"""A small town for the realtime tests: one procedure on the default workflow received
by the civil-status office, its agent, a roads agent, a citizen; and a websocket
client whose every message is checked against schema/realtime/."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from channels.db import DatabaseSyncToAsync
from channels.testing import WebsocketCommunicator
from django.test import Client
from jsonschema import Draft202012Validator

from api.accounts import actions as accounts
from api.accounts.models import Role, User
from api.catalog import actions as catalog_actions

ROOT = Path(__file__).resolve().parents[3]
SERVER_MESSAGES = Draft202012Validator(
    json.loads((ROOT / "schema/realtime/server-message.schema.json").read_text()),
    format_checker=Draft202012Validator.FORMAT_CHECKER,
)
FORM = {
    "schema_version": 1,
    "pages": [
        {"id": "p", "title": "Vous", "fields": [{"type": "text", "varname": "nom", "label": "Nom", "required": True}]}
    ],
}


@dataclass
class Town:
    procedure: Any
    office: Role
    roads: Role
    agent: User
    roads_agent: User
    citizen: User

    def client(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    def send(self, anonymous: bool = False, name: str = "Dupont") -> dict[str, Any]:
        """A request sent by the citizen (or by someone without an account)."""
        user = None if anonymous else self.citizen
        client = self.client(user)
        url = f"/api/procedures/{self.procedure.slug}/submissions/"
        draft = client.post(url, {"data": {"nom": name}}, content_type="application/json")
        assert draft.status_code == 201, draft.content
        headers = {"HTTP_X_RESUME_TOKEN": draft.json()["resume_token"]} if user is None else {}
        sent = client.post(f"/api/submissions/{draft.json()['id']}/submit/", content_type="application/json", **headers)
        assert sent.status_code == 200, sent.content
        body: dict[str, Any] = sent.json()
        body["resume_token"] = draft.json().get("resume_token")
        return body

    def post(self, user: User | None, path: str, body: dict[str, Any]) -> Any:
        return self.client(user).post(path, body, content_type="application/json")

    def act(self, request_id: str, action: str, agent: User | None = None, **body: Any) -> dict[str, Any]:
        client = self.client(agent or self.agent)
        now = client.get(f"/api/agent/requests/{request_id}/").json()["status"]["id"]
        done = client.post(
            f"/api/agent/requests/{request_id}/actions/",
            {"action": action, "status": now, **body},
            content_type="application/json",
        )
        assert done.status_code == 200, done.content
        result: dict[str, Any] = done.json()
        return result


@pytest.fixture
def town(transactional_db: Any, catalog: Any) -> Town:
    return make_town(catalog)


def make_town(catalog: Any) -> Town:
    office, _ = Role.objects.get_or_create(slug="etat-civil", defaults={"name": "État civil"})
    roads, _ = Role.objects.get_or_create(slug="voirie", defaults={"name": "Voirie"})
    procedure = catalog("acte", title="Demander un acte", receiver_role=office)
    catalog_actions.save_definition(procedure, FORM)
    procedure.refresh_from_db()
    agent = User.objects.create_user("agent", email="agent@mairie.example", first_name="Agnès")
    accounts.grant_role(agent, office)
    roads_agent = User.objects.create_user("roads", email="voirie@mairie.example")
    accounts.grant_role(roads_agent, roads)
    citizen = User.objects.create_user("anne", email="anne@example.org", first_name="Anne", last_name="Dupont")
    return Town(procedure, office, roads, agent, roads_agent, citizen)


class Socket:
    """A websocket client on the ASGI application (channels' communicator), checking
    every message it receives against the declared shapes."""

    def __init__(self, path: str = "/ws/", *, cookie: str | None = None, origin: str = "http://testserver") -> None:
        from api.asgi import application

        headers = [(b"origin", origin.encode()), (b"host", b"testserver")]
        if cookie:
            headers.append((b"cookie", cookie.encode()))
        self.communicator = WebsocketCommunicator(application, path, headers=headers)
        self.closed_with: int | None = None

    async def open(self) -> dict[str, Any]:
        connected, _subprotocol = await self.communicator.connect(timeout=10)
        assert connected
        return await self.receive()

    async def receive(self, timeout: float = 5) -> dict[str, Any]:
        output = await self.communicator.receive_output(timeout)
        if output["type"] == "websocket.close":
            self.closed_with = output.get("code")
            return {"type": "closed", "code": self.closed_with}
        message: dict[str, Any] = json.loads(output["text"])
        errors = [error.message for error in SERVER_MESSAGES.iter_errors(message)]
        assert errors == [], (message, errors)
        return message

    async def events(self, count: int, timeout: float = 5) -> list[dict[str, Any]]:
        """The next ``count`` event messages (heartbeats skipped)."""
        found = []
        while len(found) < count:
            message = await self.receive(timeout)
            assert message["type"] != "closed", message
            if message["type"] == "event":
                found.append(message)
        return found

    async def nothing(self, wait: float = 0.5) -> None:
        """Nothing arrives within ``wait`` seconds (heartbeats aside)."""
        while not await self.communicator.receive_nothing(wait):
            assert (await self.receive())["type"] == "heartbeat"

    async def send(self, content: Any) -> None:
        await self.communicator.send_to(text_data=content if isinstance(content, str) else json.dumps(content))

    async def close(self) -> None:
        await self.communicator.disconnect(timeout=5)


def session_cookie(user: User) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


async def in_thread(function: Any, *args: Any, **kwargs: Any) -> Any:
    """Run Django work (requests through the test client, actions) off the event loop,
    as a web process's thread would: giving its database connection back after, as
    the server does (with PostgreSQL's pool, a thread keeping one holds it for good)."""
    return await DatabaseSyncToAsync(function, thread_sensitive=False)(*args, **kwargs)
