"""Other systems told by signed webhooks (Standard Webhooks, verified by the receiver
with the standardwebhooks package): managed by applications with the webhooks
scope, delivered from the outbox with retries over about a day, then disabled."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model

from api.accounts.models import ClientAccess
from api.notify.models import Notification, State, Webhook, WebhookEvent
from api.notify.schedule import WEBHOOK_DELAYS
from api.notify.sender import send_due
from api.realtime.tests.conftest import Town

from .conftest import World

KINDS = ["submission.sent", "submission.status_changed"]
#: A public address written as such (no DNS needed on a machine without one).
PUBLIC_IP = "93.184.215.14"


def application(town: Town, name: str, scopes: list[str], role: Any = None) -> Client:
    app = get_application_model().objects.create(
        name=name, client_type="confidential", authorization_grant_type="client-credentials"
    )
    ClientAccess.objects.create(application=app, role=role or town.office, scopes=scopes)
    get_access_token_model().objects.create(
        application=app, token=f"token-{name}", scope=" ".join(scopes), expires=timezone.now() + timedelta(hours=1)
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer token-{name}")


@pytest.fixture
def app(town: Town) -> Client:
    return application(town, "logiciel-etat-civil", ["webhooks", "requests:read"])


def subscribe(app: Client, town: Town, world: World, **body: Any) -> dict[str, Any]:
    given = {"procedure": town.procedure.slug, "url": f"{world.hooks.stand.url}/hooks", "kinds": KINDS, **body}
    response = app.post("/api/webhooks/", given, content_type="application/json")
    assert response.status_code == 201, response.content
    created: dict[str, Any] = response.json()
    world.hooks.secret = created["secret"]
    return created


def test_a_status_change_reaches_the_receiver_signed_once(town: Town, world: World, app: Client) -> None:
    hook = subscribe(app, town, world)
    assert hook["secret"].startswith("whsec_") and hook["kinds"] == KINDS
    assert "secret" not in app.get(f"/api/webhooks/{hook['id']}/").json()
    sent = town.send()
    town.act(sent["id"], "start", comment="interne")
    world.work()
    world.work()
    received = world.hooks.stand.received
    assert [r["payload"]["type"] for r in received] == KINDS
    moved = received[1]["payload"]
    assert moved["data"]["submission"] == sent["id"] and moved["data"]["reference"] == sent["reference"]
    assert moved["data"]["payload"] == {"status": "in_progress"}
    assert received[1]["id"] == f"msg_submissions_event_{moved['data']['id']}"
    log = app.get(f"/api/webhooks/{hook['id']}/deliveries/").json()["results"]
    assert [(d["state"], d["attempts"], d["response_status"]) for d in log] == [("sent", 1, 201)] * 2
    assert WebhookEvent.objects.filter(kind="webhook.created", webhook_key=hook["id"]).exists()


def test_a_failing_receiver_is_retried_with_the_same_id(town: Town, world: World, app: Client) -> None:
    hook = subscribe(app, town, world, kinds=["submission.sent"])
    answers = [(500, {}), (503, {"Retry-After": "30"}), (201, {})]
    world.hooks.stand.reply = lambda got: answers.pop(0)
    town.send()
    world.work()
    row = Notification.objects.get(webhook_id=hook["id"])
    assert (row.state, row.response_status) == (State.PENDING, 500)
    send_due(now=row.next_attempt_at + timedelta(seconds=1))
    row.refresh_from_db()
    assert row.response_status == 503
    send_due(now=row.next_attempt_at + timedelta(seconds=1))
    row.refresh_from_db()
    assert row.state == State.SENT and world.hooks.stand.attempts == 3 and len(world.hooks.stand.received) == 1
    assert Webhook.objects.get(pk=hook["id"]).active
    ids = {got["id"] for got in world.hooks.stand.tried}
    stamps = [got["headers"]["webhook-timestamp"] for got in world.hooks.stand.tried]
    assert len(ids) == 1 and stamps == sorted(stamps)  # one message; each attempt signed when it is made


def test_a_receiver_failing_for_a_day_is_disabled(town: Town, world: World, app: Client) -> None:
    hook = subscribe(app, town, world, kinds=["submission.sent"])
    world.hooks.stand.reply = lambda got: (500, {})
    town.send(name="Martin")
    world.work()
    row = Notification.objects.filter(webhook_id=hook["id"]).latest("id")
    moment = timezone.now()
    for delay in WEBHOOK_DELAYS:
        moment += delay + timedelta(seconds=1)
        send_due(now=moment)
    row.refresh_from_db()
    assert (row.state, row.attempts) == (State.FAILED, len(WEBHOOK_DELAYS) + 1)
    assert moment - row.created_at > timedelta(hours=24)
    assert Webhook.objects.get(pk=hook["id"]).active is False
    assert WebhookEvent.objects.filter(kind="webhook.disabled", webhook_key=hook["id"]).exists()
    town.send(name="Durand")
    world.work()
    assert not Notification.objects.filter(webhook_id=hook["id"], state=State.PENDING).exists()
    again = app.patch(f"/api/webhooks/{hook['id']}/", {"active": True}, content_type="application/json")
    assert again.json()["active"] is True and again.json()["disabled_reason"] == ""


def test_the_receiver_refuses_a_forged_or_stale_signature(town: Town, world: World, app: Client) -> None:
    subscribe(app, town, world, kinds=["submission.sent"])
    world.hooks.secret = "whsec_" + "QUJD" * 8  # the receiver holds another secret
    town.send()
    world.work()
    assert world.hooks.stand.received == [] and world.hooks.stand.attempts == 0  # refused with 400 before counting
    assert Notification.objects.get(webhook__isnull=False).response_status == 400


@pytest.mark.parametrize(
    "body,pointer",
    [
        ({"procedure": "voirie-inconnue"}, "/procedure"),
        ({"url": "https://127.0.0.1/hooks"}, "/url"),
        ({"url": "ftp://example.org/hooks"}, "/url"),
        ({"kinds": ["submission.saved"]}, "/kinds/0"),
        ({"kinds": []}, "/kinds"),
        ({"kinds": "submission.sent"}, "/kinds"),
    ],
)
def test_a_bad_webhook_is_refused_naming_the_field(
    town: Town, world: World, app: Client, settings: Any, body: dict[str, Any], pointer: str
) -> None:
    settings.GUICHET_WEBHOOKS_ALLOW_PRIVATE = False
    given = {"procedure": town.procedure.slug, "url": f"https://{PUBLIC_IP}/guichet", "kinds": KINDS, **body}
    response = app.post("/api/webhooks/", given, content_type="application/json")
    assert response.status_code == 400, response.content
    assert pointer in [p["pointer"] for p in response.json()["invalid_params"]]
    assert not Webhook.objects.exists()


def test_an_application_sees_and_changes_only_its_own_webhooks(town: Town, world: World, app: Client) -> None:
    hook = subscribe(app, town, world)
    other = application(town, "autre", ["webhooks"], role=town.roads)
    no_scope = application(town, "lecteur", ["requests:read"])
    assert other.get(f"/api/webhooks/{hook['id']}/").status_code == 404
    assert other.get(f"/api/webhooks/{hook['id']}/deliveries/").status_code == 404
    assert other.delete(f"/api/webhooks/{hook['id']}/").status_code == 404
    assert other.get("/api/webhooks/").json() == []
    for method in ("get", "post"):
        assert getattr(no_scope, method)("/api/webhooks/").status_code == 403
    refused = other.post(
        "/api/webhooks/",
        {"procedure": town.procedure.slug, "url": f"{world.hooks.stand.url}/x", "kinds": KINDS},
        content_type="application/json",
    )
    assert refused.status_code == 400  # its role does not receive this procedure
    rotated = app.patch(f"/api/webhooks/{hook['id']}/", {"rotate_secret": True}, content_type="application/json")
    assert rotated.json()["secret"] != hook["secret"]
    assert app.delete(f"/api/webhooks/{hook['id']}/").status_code == 204
    assert WebhookEvent.objects.filter(kind="webhook.deleted", webhook_key=hook["id"]).exists()


def test_an_application_that_loses_its_role_is_told_nothing_more(town: Town, world: World, app: Client) -> None:
    subscribe(app, town, world, kinds=["submission.sent"])
    ClientAccess.objects.update(role=town.roads)
    town.send()
    world.work()
    assert world.hooks.stand.attempts == 0


def test_a_receiver_on_a_private_address_is_never_called_unless_allowed(
    town: Town, world: World, app: Client, settings: Any
) -> None:
    subscribe(app, town, world, kinds=["submission.sent"])  # allowed while the test sets it up
    settings.GUICHET_WEBHOOKS_ALLOW_PRIVATE = False
    town.send()
    world.work()
    row = Notification.objects.get(webhook__isnull=False)
    assert world.hooks.stand.attempts == 0 and "non-public address" in row.last_error
