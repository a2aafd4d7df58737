"""Sending the notifications, by the worker.

Each due notification is leased (``actions.claim``: a compare-and-set, no lock held
while sending), sent on its channel, then marked sent, scheduled again (with
backoff, honouring Retry-After) or given up. A worker killed mid-send lets the
lease run out and another worker sends it again (each run first schedules a later one for when its leases would
run out), with the same identity (the
webhook-id, the email's Message-ID, the push Topic), so that receivers can tell a
repeat; and a notification marked sent is never sent again."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from api.accounts import actions as accounts
from api.accounts.models import Profile, PushSubscription
from api.submissions.models import Event, Submission
from api.theme.mail import email_theme

from . import actions
from .channels import Outcome
from .channels import email as email_channel
from .channels import push as push_channel
from .channels import sms as sms_channel
from .channels import webhook as webhook_channel
from .content import render
from .models import Channel, Notification, State, Webhook
from .schedule import retry_delay

log = logging.getLogger(__name__)


#: Notifications leased at once, and sent by this many threads (the time is spent
#: waiting on push services and mail servers).
BATCH = 100
#: What the threads report is marked at the first lull of this long, by groups of at
#: most this many, and never later than this.
LULL_SECONDS = 0.002
SETTLE_COUNT = 25
SETTLE_SECONDS = 0.1


def _threads() -> int:
    return max(1, int(settings.GUICHET_NOTIFY_CONCURRENCY))


PEOPLE = (Channel.PUSH, Channel.EMAIL, Channel.SMS)
#: One message to send: given the thread's email connection (unused by other channels).
Send = Callable[[Any], Outcome]
Reported = tuple[Notification, Outcome]


class _Senders:
    """Threads that send push, email and SMS messages, each from its own queue, in
    order. A person's messages go to the thread already sending theirs, or else to the
    least busy one, so they leave one after the other, whatever the channel (a newer
    status must not reach a push service before the older one it replaces). Each thread
    sends its emails through one connection to the mail server. The threads only send;
    what they report is marked by the caller."""

    def __init__(self, count: int) -> None:
        self.inboxes: list[queue.SimpleQueue[tuple[Notification, Send] | None]] = [
            queue.SimpleQueue() for _ in range(count)
        ]
        self.reported: queue.SimpleQueue[Reported] = queue.SimpleQueue()
        self.threads: list[threading.Thread] = []  # started with the first message
        # Who has messages in flight, in which thread (kept by the caller's thread only).
        self.owners: dict[str, tuple[int, int]] = {}
        self.load = [0] * count

    def give(self, notification: Notification, send: Send) -> None:
        if not self.threads:
            self.threads = [
                threading.Thread(target=self._run, args=(inbox,), name=f"guichet-notify-{index}", daemon=True)
                for index, inbox in enumerate(self.inboxes)
            ]
            for thread in self.threads:
                thread.start()
        person = _person(notification)
        index, count = self.owners.get(person, (-1, 0))
        if index < 0:  # nothing of theirs in flight: the least busy thread
            index = min(range(len(self.load)), key=self.load.__getitem__)
        self.owners[person] = (index, count + 1)
        self.load[index] += 1
        self.inboxes[index].put((notification, send))

    def _run(self, inbox: queue.SimpleQueue[tuple[Notification, Send] | None]) -> None:
        through = email_channel.connection()  # opened by the first email, again after a failure
        try:
            while (item := inbox.get()) is not None:
                notification, send = item
                try:
                    outcome = send(through)
                except Exception as error:  # that message's failure, not the others'
                    log.exception("notification %s failed", notification.pk)
                    outcome = Outcome(False, error=f"{type(error).__name__}: {error}", retry=True)
                self.reported.put((notification, outcome))
        finally:
            email_channel.close(through)

    def stop(self) -> None:
        for inbox in self.inboxes if self.threads else []:
            inbox.put(None)
        for thread in self.threads:
            thread.join()

    def reports(self, wait: float) -> list[Reported]:
        """What the threads reported: waiting up to ``wait`` seconds for the first."""
        results = []
        try:
            results.append(self.reported.get(timeout=wait))
            while True:
                results.append(self.reported.get_nowait())
        except queue.Empty:
            pass
        for notification, _outcome in results:
            person = _person(notification)
            index, count = self.owners[person]
            self.load[index] -= 1
            if count > 1:
                self.owners[person] = (index, count - 1)
            else:
                del self.owners[person]
        return results


def _person(notification: Notification) -> str:
    return f"user:{notification.user_id}" if notification.user_id else notification.target


def send_due(limit: int = 1000, now: datetime | None = None) -> int:
    """Send what is due, at most ``limit`` notifications; return how many were sent.

    Push, email and SMS flow: a batch is leased and handed to the sending threads, and
    the next is leased while they send (up to two batches in flight). What they report
    is marked a group at a time, in one transaction, as soon as reports stop coming
    (within SETTLE_SECONDS under a steady flow): a crash between a message's acceptance
    and its mark repeats it, with the same identity (the window is kept that short), and
    a message held up by a slow push service keeps no other unmarked. Webhooks and
    digests are sent here, one at a time."""
    done, taken, in_flight, watched, exhausted = 0, 0, 0, False, False
    senders = _Senders(_threads())
    devices: dict[int, PushSubscription] = {}
    reached: set[int] = set()
    waiting: list[Reported] = []
    marked = time.monotonic()
    try:
        while True:
            if not exhausted and taken < limit and in_flight < BATCH:
                moment = now or timezone.now()
                batch = actions.claim(moment, size=min(BATCH, limit - taken))
                exhausted = not batch
                if batch and not watched:
                    # Should this worker die while sending, a later run takes over what it leased.
                    actions.wake_sender(moment + actions.lease() + timedelta(seconds=1))
                    watched = True
                taken += len(batch)
                prepared = _prepare_all([n for n in batch if n.channel in PEOPLE and not n.digest], devices)
                for notification, send in prepared:
                    senders.give(notification, send)
                in_flight += len(prepared)
                done += _send_others([n for n in batch if n.channel not in PEOPLE or n.digest], moment)
            if not in_flight:
                if exhausted or taken >= limit:
                    break
                continue
            # Waiting for more only while they keep coming: marked at the first lull.
            results = senders.reports(wait=LULL_SECONDS if waiting else 0.05)
            in_flight -= len(results)
            waiting += results
            if waiting and (
                not results
                or not in_flight
                or len(waiting) >= SETTLE_COUNT
                or time.monotonic() - marked >= SETTLE_SECONDS
            ):
                done += _settle_together(waiting, devices, now or timezone.now(), reached)
                waiting, marked = [], time.monotonic()
    finally:
        senders.stop()
        accounts.push_delivered(*sorted(reached))
    return done


def _send_others(batch: list[Notification], now: datetime) -> int:
    done = 0
    for notification in batch:
        try:
            done += send_one(notification, now)
        except Exception as error:
            log.exception("notification %s failed", notification.pk)
            _failed(notification, Outcome(False, error=f"{type(error).__name__}: {error}", retry=True), now)
    return done


def _prepare_all(batch: list[Notification], devices: dict[int, PushSubscription]) -> list[tuple[Notification, Send]]:
    """How to send each push, email and SMS notification of a batch, reading what they
    need at once (those with no one to send to are dropped); ``devices`` gathers the
    devices read."""
    if not batch:
        return []
    events = _events(batch)
    submissions = Submission.objects.select_related("procedure").in_bulk(
        {n.request for n in batch if n.request is not None}
    )
    devices.update(PushSubscription.objects.in_bulk({n.subscription_id for n in batch if n.subscription_id}))
    phones = dict(
        Profile.objects.filter(user_id__in={n.user_id for n in batch if n.channel == Channel.SMS}).values_list(
            "user_id", "phone"
        )
    )
    # The municipality's look, read once for the batch (the sending threads read nothing).
    theme = email_theme() if any(n.channel == Channel.EMAIL for n in batch) else {}
    prepared = []
    for notification in batch:
        send = _prepare(notification, events, submissions, devices, phones, theme)
        if send is not None:
            prepared.append((notification, send))
    return prepared


def _prepare(
    notification: Notification,
    events: dict[tuple[str, int], Event],
    submissions: dict[Any, Submission],
    devices: dict[int, PushSubscription],
    phones: dict[int, str],
    theme: dict[str, Any],
) -> Send | None:
    """How to send one notification, or None when there is no one to send it to (dropped)."""
    event = events.get((notification.source, notification.event_id))
    submission = submissions.get(notification.request) if notification.request else None
    if notification.source != "test" and (event is None or submission is None):
        actions.give_up(notification, state=State.DROPPED, status=None, error="the event or its request is gone")
        return None
    content = render(notification, event, submission)
    user = notification.user
    if notification.channel == Channel.PUSH:
        device = devices.get(notification.subscription_id or 0)
        if device is None:
            actions.give_up(notification, state=State.DROPPED, status=None, error="the device unsubscribed")
            return None
        return lambda _through: push_channel.send(notification, content, device)
    if user is None or not user.is_active:
        actions.give_up(notification, state=State.DROPPED, status=None, error="the account is gone")
        return None
    if notification.channel == Channel.EMAIL:
        if not user.email:
            actions.give_up(notification, state=State.DROPPED, status=None, error="no email address")
            return None
        address = user.email
        return lambda through: email_channel.send(
            email_channel.notification_email(notification, address, content, theme), through
        )
    phone = phones.get(user.pk)
    if not phone:
        actions.give_up(notification, state=State.DROPPED, status=None, error="no phone number")
        return None
    text = sms_channel.text(content.title, content.body, content.url)
    return lambda _through: sms_channel.send(notification, phone, text)


def _settle_together(
    results: list[tuple[Notification, Outcome]], devices: dict[int, PushSubscription], now: datetime, reached: set[int]
) -> int:
    """Mark what was sent, and what failed, in one transaction."""
    by_status: dict[int | None, list[Notification]] = {}
    with transaction.atomic():
        for notification, outcome in results:
            if outcome.ok:
                by_status.setdefault(outcome.status, []).append(notification)
                if notification.channel == Channel.PUSH and notification.subscription_id:
                    reached.add(notification.subscription_id)
            elif outcome.gone and notification.subscription_id in devices:
                accounts.expire_push(notification.subscription_id, status=outcome.status or 410)
                actions.give_up(notification, state=State.DROPPED, status=outcome.status, error=outcome.error)
            else:
                _failed(notification, outcome, now)
        for status, sent in by_status.items():
            actions.sent_together(sent, status=status, now=now)
    return sum(len(sent) for sent in by_status.values())


def _events(batch: list[Notification]) -> dict[tuple[str, int], Event]:
    found: dict[tuple[str, int], Event] = {}
    for source in {n.source for n in batch if n.source != "test"}:
        try:
            model = apps.get_model(source)
        except (LookupError, ValueError):
            continue
        for event in model.objects.filter(pk__in=[n.event_id for n in batch if n.source == source]):
            found[(source, event.pk)] = event
    return found


def _event(notification: Notification) -> Event | None:
    if notification.source == "test":
        return None
    try:
        model = apps.get_model(notification.source)
    except (LookupError, ValueError):
        return None
    found: Event | None = model.objects.filter(pk=notification.event_id).first()
    return found


def send_one(notification: Notification, now: datetime) -> int:
    """Send one notification now (a webhook, a digest, the settings screen's test push)."""
    if notification.channel != Channel.WEBHOOK and not notification.digest:
        # The same preparation and marking as a batch's, for a batch of one.
        devices: dict[int, PushSubscription] = {}
        reached: set[int] = set()
        done = sum(
            _settle_together([(item, send(None))], devices, now, reached)
            for item, send in _prepare_all([notification], devices)
        )
        accounts.push_delivered(*reached)
        return done
    event = _event(notification)
    submission = _submission(notification)
    if event is None or submission is None:
        actions.give_up(notification, state=State.DROPPED, status=None, error="the event or its request is gone")
        return 0
    if notification.digest:
        return _digest(notification, now)
    return _webhook(notification, event, submission, now)


def _digest(notification: Notification, now: datetime) -> int:
    user = notification.user
    gathered = actions.due_digest(notification, now)
    if notification.pk not in {item.pk for item in gathered}:
        return 0  # sent already, in a digest that gathered it with others
    if user is None or not user.email or not user.is_active:
        for item in gathered:
            actions.give_up(item, state=State.DROPPED, status=None, error="no one to send the digest to")
        return 0
    items = [render(item, _event(item), _submission(item)) for item in gathered]
    outcome = email_channel.send(email_channel.digest_email(notification, user.email, items, email_theme()))
    if outcome.ok:
        actions.sent_together(gathered, status=outcome.status, now=now)
        return 1
    return _settle(notification, outcome, now)


def _submission(notification: Notification) -> Submission | None:
    if notification.request is None:
        return None
    return Submission.objects.select_related("procedure").filter(pk=notification.request).first()


def _webhook(notification: Notification, event: Event | None, submission: Submission | None, now: datetime) -> int:
    hook = Webhook.objects.filter(pk=notification.webhook_id or 0).first()
    if hook is None or not hook.active or event is None or submission is None:
        actions.give_up(notification, state=State.DROPPED, status=None, error="the webhook is gone or disabled")
        return 0
    if not actions.webhook_may_read(hook, submission):
        actions.give_up(notification, state=State.DROPPED, status=None, error="the application lost access")
        return 0
    outcome = webhook_channel.send(notification, hook, event)
    sent = _settle(notification, outcome, now)
    # Given up on one message and nothing reached the receiver since it was written
    # (about a day of attempts): the receiver is gone, stop sending to it.
    if not sent and _exhausted(notification) and not actions.reached_since(hook.pk, notification.created_at):
        actions.disable_webhook(hook.pk, f"no delivery succeeded in {notification.attempts} attempts")
    return sent


def _exhausted(notification: Notification) -> bool:
    return Notification.objects.filter(pk=notification.pk, state=State.FAILED).exists()


def _settle(notification: Notification, outcome: Outcome, now: datetime) -> int:
    if outcome.ok:
        actions.sent(notification, status=outcome.status, now=now)
        return 1
    _failed(notification, outcome, now)
    return 0


def _failed(notification: Notification, outcome: Outcome, now: datetime) -> None:
    delay = retry_delay(notification.channel, notification.attempts, outcome.retry_after) if outcome.retry else None
    if delay is None:
        actions.give_up(notification, state=State.FAILED, status=outcome.status, error=outcome.error)
    else:
        actions.retry(notification, at=now + delay, status=outcome.status, error=outcome.error)
