"""The sender's own guarantees: a leased notification is never taken by a second
worker, one person's messages leave in order while others' go alongside, and a
message held up by a slow push service does not keep the others from being marked."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from django.utils import timezone

from api.accounts.models import PushSubscription
from api.notify import actions
from api.notify.models import Channel, Notification, State
from api.notify.sender import send_due
from api.realtime.tests.conftest import Town

from .conftest import World
from .test_people import subscribe


def queue_for(town: Town, device: Any, topics: list[str], start: int = 0) -> list[Notification]:
    """Test notices for one device (each topic has its own Urgency, telling them apart)."""
    mine = PushSubscription.objects.select_related("user").get(endpoint=device.endpoint)
    return [
        Notification.objects.create(
            source="test",
            event_id=start + index,
            channel=Channel.PUSH,
            target=f"push:{mine.pk}",
            subscription=mine,
            user=mine.user,
            topic=topic,
            next_attempt_at=timezone.now() - timedelta(seconds=1),
        )
        for index, topic in enumerate(topics)
    ]


def test_a_leased_notification_is_never_claimed_twice(town: Town, world: World, monkeypatch: Any) -> None:
    rows = queue_for(town, subscribe(town, world), ["test", "message", "new_request"])
    now = timezone.now()
    taken = actions.claim(now)
    assert sorted(n.pk for n in taken) == [n.pk for n in rows] and {n.attempts for n in taken} == {1}
    assert actions.claim(now) == []
    # A second worker that read the due rows just before the first leased them takes none.
    monkeypatch.setattr(actions, "_due_ids", lambda _now, _size: [n.pk for n in rows])
    assert actions.claim(now) == []
    monkeypatch.undo()
    again = actions.claim(now + actions.lease() + timedelta(seconds=1))  # the lease ran out: taken over
    assert sorted(n.pk for n in again) == [n.pk for n in rows] and {n.attempts for n in again} == {2}


def test_one_persons_messages_leave_in_order_while_anothers_go_alongside(
    town: Town, world: World, settings: Any, monkeypatch: Any
) -> None:
    settings.GUICHET_NOTIFY_CONCURRENCY = 4
    slow, other = subscribe(town, world), subscribe(town, world, town.agent)
    queue_for(town, slow, ["test", "message", "new_request"])
    others = queue_for(town, other, ["test", "message", "new_request"], start=10)
    marked: set[int] = set()
    others_marked = threading.Event()
    real = actions.sent_together

    def watched(notifications: list[Notification], **kwargs: Any) -> None:
        real(notifications, **kwargs)
        marked.update(n.pk for n in notifications)
        if {n.pk for n in others} <= marked:
            others_marked.set()

    monkeypatch.setattr(actions, "sent_together", watched)
    held: list[bool] = []

    def reply(got: dict[str, Any]) -> tuple[int, dict[str, str]]:
        if got["device"] == slow.endpoint and got["urgency"] == "normal":
            # The first of the slow device's messages waits until the other device's are marked sent.
            held.append(others_marked.wait(5))
        return 201, {}

    world.push.stand.reply = reply
    assert send_due() == 6
    assert held == [True]
    tried = [got["urgency"] for got in world.push.stand.tried if got["device"] == slow.endpoint]
    assert tried == ["normal", "high", "low"]
    assert set(Notification.objects.values_list("state", flat=True)) == {State.SENT}
