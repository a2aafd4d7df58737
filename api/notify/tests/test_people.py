"""People told about their requests and their work: by web push (decrypted by a local
push service as a browser would), by email (a real SMTP server), by text message
(a local gateway), each once, in their language, as their preferences say."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from api.accounts.models import AccountEvent, Profile, PushSubscription
from api.notify.fanout import fan_out
from api.notify.models import Channel, Notification, State
from api.notify.schedule import next_digest
from api.notify.sender import send_due
from api.realtime.tests.conftest import Town
from api.submissions.models import Event

from .conftest import World
from .standins import html_of, text_of


def mails_to(world: World, address: str) -> list[Any]:
    return [m for m in world.mailbox.messages if m["To"] == address]


def subscribe(town: Town, world: World, user: Any = None) -> Any:
    device = world.push.device()
    response = town.post(
        user or town.citizen, "/api/me/push-subscriptions/", {"endpoint": device.endpoint, "keys": device.keys}
    )
    assert response.status_code == 201, response.content
    return device


def test_a_status_change_reaches_the_citizens_phone_once_decrypted_in_their_language(town: Town, world: World) -> None:
    device = subscribe(town, world)
    sent = town.send()
    world.work()
    [receipt] = world.push.stand.received  # the workflow's "we received it", not also "sent"
    assert receipt["message"]["title"] == f"Votre demande {sent['reference']}"
    assert (
        town.client(town.citizen).patch("/api/me/", {"language": "en"}, content_type="application/json").status_code
        == 200
    )

    town.act(sent["id"], "start", comment="interne")
    world.work()
    world.work()  # the worker woken twice sends nothing twice
    assert len(world.push.stand.received) == 2
    moved = world.push.stand.received[1]
    assert moved["device"] == device.endpoint
    assert moved["message"]["title"] == f"Your request {sent['reference']}"
    assert moved["message"]["body"] == "Its status is now: In progress."
    assert moved["message"]["url"] == f"https://guichet.bellerive.example/demandes/{sent['id']}"
    assert "interne" not in str(moved["message"])
    assert (moved["ttl"], moved["urgency"]) == (86400, "normal")
    assert moved["topic"] == receipt["topic"] and len(moved["topic"]) <= 32  # a newer notice replaces an older one
    assert moved["claims"]["sub"] == "mailto:mairie@bellerive.example"
    assert mails_to(world, "anne@example.org") == []  # push when a device is subscribed, not email too

    event = Event.objects.filter(kind="submission.status_changed").get()
    fan_out(event)  # the outbox handing the same event over again
    world.work()
    assert len(world.push.stand.received) == 2
    assert Notification.objects.filter(source="submissions.event", event_id=event.pk).count() == 1


def test_without_a_device_the_citizen_gets_an_email_in_the_municipalitys_name(town: Town, world: World) -> None:
    sent = town.send()
    town.act(sent["id"], "ask_information", message="Nous traitons votre demande.")
    world.work()
    [receipt, moved] = [m for m in world.mailbox.messages if m["To"] == "anne@example.org"]
    assert moved["From"] == "Mairie de Bellerive <guichet@bellerive.example>"
    assert moved["To"] == "anne@example.org"
    assert moved["Subject"] == f"[Mairie de Bellerive] Votre demande {sent['reference']}"
    assert moved["Message-ID"].startswith("<guichet.notification.") and moved["Auto-Submitted"] == "auto-generated"
    text, html = text_of(moved), html_of(moved)
    assert "Son statut est maintenant : Complément demandé." in text and "Nous traitons votre demande." in text
    assert f"https://guichet.bellerive.example/demandes/{sent['id']}" in text
    assert '<html lang="fr">' in html and f"/demandes/{sent['id']}" in html
    assert "a bien été reçue par les services de la mairie" in text_of(receipt)
    log = Notification.objects.get(
        channel=Channel.EMAIL, event_id=Event.objects.get(kind="submission.status_changed").pk
    )
    assert (log.state, log.response_status, log.attempts) == (State.SENT, 250, 1)


def test_emails_wear_the_municipalitys_theme(town: Town, world: World) -> None:
    from pathlib import Path

    from api.theme import actions as theme_actions

    blason = (Path(__file__).parents[2] / "theme/tests/sites/legacy/images/blason.png").read_bytes()
    logo = theme_actions.store_asset(blason, "logo", None)
    links = [{"kind": "legal", "label": "Mentions légales", "url": "https://bellerive.example/mentions"}]
    theme_actions.apply(
        {"name": "Ville de Bellerive", "colours": {"primary": "#0b6e4f"}, "logo": logo, "links": links}, None
    )
    sent = town.send()
    world.work()
    [receipt] = mails_to(world, "anne@example.org")
    assert receipt["From"] == "Ville de Bellerive <guichet@bellerive.example>"
    assert receipt["Subject"].startswith("[Ville de Bellerive] ")
    html, text = html_of(receipt), text_of(receipt)
    assert "background: #0b6e4f; color: #ffffff;" in html  # the header and the button, in its colours
    assert f'src="https://guichet.bellerive.example{logo.path}"' in html  # an address mail programs can load
    assert '<a href="https://bellerive.example/mentions" style="color: #0b6e4f;">Mentions légales</a>' in html
    assert "Mentions légales: https://bellerive.example/mentions" in text
    assert f"/demandes/{sent['id']}" in html


def test_a_change_told_in_the_workflows_words_is_told_once(town: Town, world: World) -> None:
    sent = town.send()
    town.act(sent["id"], "start")
    world.work()
    before = len(mails_to(world, "anne@example.org"))
    town.act(sent["id"], "accept")  # entering "accepted" runs the workflow's notice to the citizen
    world.work()
    [told] = mails_to(world, "anne@example.org")[before:]
    assert "Son statut est maintenant" not in text_of(told)  # the notice, not also the bare change
    assert "acceptée" in text_of(told)


def test_preferences_choose_the_channels_per_topic(town: Town, world: World) -> None:
    response = town.client(town.citizen).patch(
        "/api/me/",
        {"phone": "0612345678", "notifications": {"topics": {"status": ["email", "sms"]}}},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["notifications"]["topics"]["status"] == ["email", "sms"]
    assert response.json()["notifications"]["topics"]["message"] == ["email"]  # the default, no device
    sent = town.send()
    world.work()
    assert len(mails_to(world, "anne@example.org")) == 1
    [sms] = world.sms.received
    assert sms["json"]["to"] == "+33612345678" and sent["reference"] in sms["json"]["text"]

    switched = town.client(town.citizen).patch(
        "/api/me/", {"notifications": {"email": False}}, content_type="application/json"
    )
    assert switched.json()["notifications"]["topics"]["status"] == ["email", "sms"]  # kept, email switched off
    town.act(sent["id"], "start")
    world.work()
    assert len(mails_to(world, "anne@example.org")) == 1 and len(world.sms.received) == 2


@pytest.mark.parametrize(
    "change,field",
    [
        ({"topics": {"everything": ["email"]}}, "notifications.topics.everything"),
        ({"topics": {"status": ["pigeon"]}}, "notifications.topics.status.0"),
        ({"topics": {"status": "email"}}, "notifications.topics.status"),
        ({"push": 1}, "notifications.push"),
        ({"new_requests": "weekly"}, "notifications.new_requests"),
    ],
)
def test_a_bad_preference_is_a_problem_naming_it(town: Town, change: dict[str, Any], field: str) -> None:
    before = Profile.objects.filter(user=town.citizen).values_list("notifications", flat=True).first()
    response = town.client(town.citizen).patch("/api/me/", {"notifications": change}, content_type="application/json")
    assert response.status_code == 400, response.content
    pointers = [p["pointer"] for p in response.json()["invalid_params"]]
    assert "/" + field.replace(".", "/") in pointers, pointers
    assert Profile.objects.filter(user=town.citizen).values_list("notifications", flat=True).first() == before


def test_agents_hear_of_new_requests_at_once_or_in_a_daily_digest(town: Town, world: World) -> None:
    first = town.send()
    world.work()
    to_agent = [m for m in world.mailbox.messages if m["To"] == "agent@mairie.example"]
    assert [m["Subject"] for m in to_agent] == [f"[Mairie de Bellerive] Nouvelle demande {first['reference']}"]
    assert f"/agents/demandes/{first['id']}" in text_of(to_agent[0])

    town.client(town.agent).patch(
        "/api/me/", {"notifications": {"new_requests": "digest"}}, content_type="application/json"
    )
    second, third = town.send(name="Martin"), town.send(name="Durand")
    world.work()
    assert len([m for m in world.mailbox.messages if m["To"] == "agent@mairie.example"]) == 1
    digest_at = next_digest(timezone.now())
    assert send_due(now=digest_at + timedelta(seconds=1)) == 1
    [digest] = [m for m in world.mailbox.messages if m["To"] == "agent@mairie.example"][1:]
    assert digest["Subject"] == "[Mairie de Bellerive] 2 nouvelles demandes"
    assert second["reference"] in text_of(digest) and third["reference"] in text_of(digest)
    assert send_due(now=digest_at + timedelta(seconds=2)) == 0


def test_nobody_is_told_of_their_own_doing(town: Town, world: World) -> None:
    sent = town.send()
    world.work()
    world.mailbox.messages.clear()
    posted = town.post(town.agent, f"/api/submissions/{sent['id']}/messages/", {"body": "Pouvez-vous préciser ?"})
    assert posted.status_code == 201, posted.content
    world.work()
    assert [m["To"] for m in world.mailbox.messages] == ["anne@example.org"]
    answered = town.post(town.citizen, f"/api/submissions/{sent['id']}/messages/", {"body": "Oui, voici."})
    assert answered.status_code == 201, answered.content
    world.work()
    assert [m["To"] for m in world.mailbox.messages][1:] == ["agent@mairie.example"]


def test_a_gone_device_is_removed_and_a_busy_service_is_tried_again(town: Town, world: World) -> None:
    gone, busy = subscribe(town, world), subscribe(town, world)
    answers = {gone.endpoint: [(410, {})], busy.endpoint: [(429, {"Retry-After": "120"}), (503, {}), (201, {})]}
    world.push.stand.reply = lambda got: answers[got["device"]].pop(0)
    sent = town.send()
    world.work()
    assert not PushSubscription.objects.filter(endpoint=gone.endpoint).exists()
    assert AccountEvent.objects.filter(kind="push.expired", payload__status=410).count() == 1
    waiting = Notification.objects.get(channel=Channel.PUSH, state=State.PENDING)
    assert waiting.response_status == 429
    assert waiting.next_attempt_at >= timezone.now() + timedelta(seconds=110)
    send_due(now=waiting.next_attempt_at + timedelta(seconds=1))  # 503: again later
    waiting.refresh_from_db()
    assert (waiting.state, waiting.attempts, waiting.response_status) == (State.PENDING, 2, 503)
    send_due(now=waiting.next_attempt_at + timedelta(seconds=1))
    waiting.refresh_from_db()
    assert waiting.state == State.SENT and [r["device"] for r in world.push.stand.received] == [busy.endpoint]
    assert world.push.stand.received[0]["message"]["title"].endswith(sent["reference"])


def test_a_refused_address_is_given_up_and_a_temporary_refusal_tried_again(town: Town, world: World) -> None:
    world.mailbox.refuse = 451
    town.send()
    world.work()
    pending = Notification.objects.get(channel=Channel.EMAIL, user=town.citizen)
    assert (pending.state, pending.response_status) == (State.PENDING, 451)
    world.mailbox.refuse = 550
    send_due(now=pending.next_attempt_at + timedelta(seconds=1))
    pending.refresh_from_db()
    assert (pending.state, pending.response_status) == (State.FAILED, 550)


def test_the_settings_screen_sends_a_test_push_to_ones_own_device_only(town: Town, world: World) -> None:
    device = subscribe(town, world)
    mine = PushSubscription.objects.get(endpoint=device.endpoint)
    response = town.post(town.citizen, f"/api/me/push-subscriptions/{mine.pk}/test/", {})
    assert response.json() == {"state": "sent", "error": ""}
    assert world.push.stand.received[0]["message"]["title"] == "Les notifications sont activées"
    assert town.post(town.agent, f"/api/me/push-subscriptions/{mine.pk}/test/", {}).status_code == 404
    world.push.stand.reply = lambda got: (410, {})
    gone = town.post(town.citizen, f"/api/me/push-subscriptions/{mine.pk}/test/", {})
    assert gone.json()["state"] == "failed" and not PushSubscription.objects.filter(pk=mine.pk).exists()


@pytest.mark.parametrize(
    "body,pointer",
    [
        ({"endpoint": "ftp://push.example/1", "keys": {"p256dh": "x", "auth": "y"}}, "/endpoint"),
        (
            {"endpoint": "https://push.example/1", "keys": {"p256dh": "AAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}},
            "/keys/p256dh",
        ),
        ({"endpoint": "https://push.example/1", "keys": {"p256dh": "BB" * 43, "auth": "%%"}}, "/keys/auth"),
        ({"endpoint": 42, "keys": {}}, "/endpoint"),
    ],
)
def test_a_subscription_that_is_not_one_is_refused_naming_the_field(
    town: Town, world: World, body: dict[str, Any], pointer: str
) -> None:
    response = town.post(town.citizen, "/api/me/push-subscriptions/", body)
    assert response.status_code == 400
    assert pointer in [p["pointer"] for p in response.json()["invalid_params"]]
    assert not PushSubscription.objects.exists()


def test_subscribing_a_device_again_updates_it(town: Town, world: World) -> None:
    device = world.push.device()
    body = {"endpoint": device.endpoint, "keys": device.keys, "device": "Téléphone"}
    assert town.post(town.citizen, "/api/me/push-subscriptions/", body).status_code == 201
    again = town.post(town.agent, "/api/me/push-subscriptions/", {**body, "device": ""})
    assert again.status_code == 200 and again.json()["device"] == "Téléphone"
    assert PushSubscription.objects.get().user == town.agent  # the device changed hands
    listed = town.client(town.citizen).get("/api/me/push-subscriptions/").json()
    assert listed == []
    pk = again.json()["id"]
    assert town.client(town.citizen).delete(f"/api/me/push-subscriptions/{pk}/").status_code == 404
    assert town.client(town.agent).delete(f"/api/me/push-subscriptions/{pk}/").status_code == 204
    assert not PushSubscription.objects.exists()
