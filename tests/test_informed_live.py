"""Keeping people informed, end to end, with every part real: daphne as the Procfile
runs it, the Procfile's worker (django-tasks' db_worker, with the periodic sweeps), a websockets client, a local
push service that decrypts as a browser would, an SMTP server, a webhook receiver that
verifies signatures. An agent's status change through the API reaches each exactly
once; a client away during the change gets it when it comes back; a worker killed
while sending is replaced and each message still arrives once."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import websockets
from asgiref.sync import sync_to_async
from oauth2_provider.models import get_application_model

from api.accounts.models import ClientAccess
from api.notify.models import Notification, State, Webhook
from api.notify.tests.standins import push_service, smtp_server, text_of, vapid_keys, webhook_receiver
from api.realtime.tests.conftest import SERVER_MESSAGES, Town
from api.submissions.models import Event
from conftest import ROOT, database_url
from tests.test_realtime_live import agent_token, cookie_of, move

pytestmark = [pytest.mark.asyncio]


def only_the_third_change_pending() -> bool:
    """Every notification is marked but the ones about the latest status change."""
    latest = Event.objects.filter(kind="submission.status_changed").latest("pk").pk
    pending = Notification.objects.filter(state=State.PENDING).exclude(source="submissions.event", event_id=latest)
    return not pending.exists()


def eventually(check: Callable[[], bool], timeout: float = 30, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.1)


class Worker:
    """The Procfile's worker process, on the test's database."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log, self.process = env, log, None

    def start(self) -> None:
        line = next(li for li in (ROOT / "Procfile").read_text().splitlines() if li.startswith("worker:"))
        assert "manage.py worker" in line
        self.process = subprocess.Popen(  # type: ignore[assignment]
            [sys.executable, "manage.py", "worker", "--queue-name", "*", "--no-startup-delay", "--interval", "0.2"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)  # no goodbye: leases stay taken
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture
def outside() -> Iterator[dict[str, Any]]:
    public, private = vapid_keys()
    with push_service(public) as push, smtp_server() as (mailbox, port), webhook_receiver() as hooks:
        yield {"push": push, "mailbox": mailbox, "smtp_port": port, "hooks": hooks, "vapid": (public, private)}


async def test_a_status_change_reaches_socket_phone_mailbox_and_webhook_once_even_through_a_worker_crash(
    town: Town, daphne_server: Any, outside: dict[str, Any], tmp_path: Path
) -> None:
    public, private = outside["vapid"]
    push, mailbox, hooks = outside["push"], outside["mailbox"], outside["hooks"]
    settings_env = {
        "VAPID_PUBLIC_KEY": public,
        "VAPID_PRIVATE_KEY": private,
        "VAPID_SUBJECT": "mailto:mairie@bellerive.example",
        "EMAIL_URL": f"smtp://127.0.0.1:{outside['smtp_port']}",
        "DEFAULT_FROM_EMAIL": "guichet@bellerive.example",
        "GUICHET_SITE_NAME": "Mairie de Bellerive",
        "GUICHET_PUSH_ALLOW_PRIVATE": "1",
        "GUICHET_WEBHOOKS_ALLOW_PRIVATE": "1",
        "GUICHET_NOTIFY_LEASE_SECONDS": "3",
    }
    server = daphne_server(**settings_env)
    worker_env = {**os.environ, "GUICHET_ENV": "test", "DATABASE_URL": database_url(), **settings_env}
    worker_env.pop("GUICHET_TEST_SQLITE", None)
    worker = Worker(worker_env, tmp_path / "worker.log")

    def scene() -> tuple[str, str, Any]:
        device = push.device()
        response = town.post(
            town.citizen, "/api/me/push-subscriptions/", {"endpoint": device.endpoint, "keys": device.keys}
        )
        assert response.status_code == 201, response.content
        preferences = {"language": "en", "notifications": {"topics": {"status": ["push", "email"]}}}
        assert (
            town.client(town.citizen).patch("/api/me/", preferences, content_type="application/json").status_code == 200
        )
        # A business application: its access names the receiving role and the webhooks scope.
        application = get_application_model().objects.create(
            name="SI", client_type="confidential", authorization_grant_type="client-credentials"
        )
        ClientAccess.objects.create(application=application, role=town.office, scopes=["webhooks"])
        hook = Webhook.objects.create(
            application=application, procedure=town.procedure, url=f"{hooks.stand.url}/in",
            kinds=["submission.status_changed"], secret="whsec_" + "c2VjcmV0LWZvci10aGUtdGVzdHMtMzItYnl0ZXMhIQ==",
        )  # fmt: skip
        hooks.secret = hook.secret
        return agent_token(town), cookie_of(town), town.send()

    token, cookie, sent = await sync_to_async(scene)()
    worker.start()
    try:
        url = server.url.replace("http://", "ws://") + "/ws/"
        async with websockets.connect(url, origin=server.url, additional_headers={"Cookie": cookie}) as socket:
            assert json.loads(await asyncio.wait_for(socket.recv(), 10))["type"] == "hello"
            await asyncio.to_thread(move, server, token, sent["id"], "start")
            moved = json.loads(await asyncio.wait_for(socket.recv(), 10))
            assert list(SERVER_MESSAGES.iter_errors(moved)) == []
            assert (moved["event"]["kind"], moved["request"]["status_label"]) == (
                "submission.status_changed",
                "In progress",
            )
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(socket.recv(), 1.5)  # once
        last = moved["position"]

        def first_change_told() -> bool:
            pushed = [r for r in push.stand.received if "In progress" in r["message"]["body"]]
            mailed = [m for m in mailbox.messages if "In progress" in text_of(m)]
            hooked = [r for r in hooks.stand.received if r["payload"]["data"]["payload"] == {"status": "in_progress"}]
            return len(pushed) == len(mailed) == len(hooked) == 1

        await asyncio.to_thread(eventually, first_change_told, 30, "push, email and webhook of the first change")
        told = next(r for r in push.stand.received if "In progress" in r["message"]["body"])["message"]
        assert told["title"] == f"Your request {sent['reference']}" and told["url"].endswith(f"/demandes/{sent['id']}")

        # Away during the next change: the socket gives it back on return.
        await asyncio.to_thread(move, server, token, sent["id"], "ask_information", message="Which year?")
        back = f"{url}?after=submission:{last}"
        async with websockets.connect(back, origin=server.url, additional_headers={"Cookie": cookie}) as socket:
            assert json.loads(await asyncio.wait_for(socket.recv(), 10))["type"] == "hello"
            missed = json.loads(await asyncio.wait_for(socket.recv(), 10))
            assert missed["request"]["status"] == "waiting_citizen" and missed["position"] > last

        # The worker dies while the push service holds its request; another worker takes over.
        released, holding = threading.Event(), threading.Event()

        def reply(got: dict[str, Any]) -> tuple[int, dict[str, str]]:
            if "In progress" in got["message"]["body"] and not released.is_set():
                holding.set()
                released.wait(30)
                return 503, {}  # nobody is listening any more
            return 201, {}

        await asyncio.to_thread(eventually, lambda: len(mailbox.messages) >= 2, 30, "the second change told")
        push.stand.reply = reply
        await asyncio.to_thread(move, server, token, sent["id"], "resume")  # back to "in progress"
        await asyncio.to_thread(eventually, holding.is_set, 30, "the worker sending the third change")
        # What it delivered before is marked within milliseconds (a crash inside that window
        # would repeat those too, with the same identity: decision 0014); then it dies.
        await asyncio.to_thread(eventually, only_the_third_change_pending, 5, "the earlier messages marked")
        worker.kill()
        released.set()
        worker.start()

        def third_change_told() -> bool:
            pushed = [r for r in push.stand.received if "In progress" in r["message"]["body"]]
            mailed = [m for m in mailbox.messages if "In progress" in text_of(m)]
            hooked = [r for r in hooks.stand.received if r["payload"]["data"]["payload"] == {"status": "in_progress"}]
            return len(pushed) == len(mailed) == len(hooked) == 2

        await asyncio.to_thread(eventually, third_change_told, 60, "the third change after the crash")
        await asyncio.sleep(3)  # and nothing more comes
        assert third_change_told()
        assert max(Counter(m["Message-ID"] for m in mailbox.messages).values()) == 1
        assert max(Counter(r["id"] for r in hooks.stand.received).values()) == 1
        to_anne = [m for m in mailbox.messages if m["To"] == "anne@example.org"]
        assert len(push.stand.received) == len(to_anne) == 4  # the receipt, three changes
    finally:
        worker.stop()
    assert "Traceback" not in server.log.read_text()
