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
from datetime import datetime, timedelta

from django.apps import apps
from django.utils import timezone

from api.accounts import actions as accounts
from api.accounts.models import Profile, PushSubscription
from api.submissions.models import Event, Submission

from . import actions
from .channels import Outcome
from .channels import email as email_channel
from .channels import push as push_channel
from .channels import sms as sms_channel
from .channels import webhook as webhook_channel
from .content import Content, render
from .models import Channel, Notification, State, Webhook
from .schedule import retry_delay

log = logging.getLogger(__name__)


def send_due(limit: int = 1000, now: datetime | None = None) -> int:
    """Send what is due; return how many were sent."""
    done, watched = 0, False
    for _ in range(limit):
        moment = now or timezone.now()
        notification = actions.claim(moment)
        if notification is None:
            break
        if not watched:
            # Should this worker die while sending, a later run takes over what it leased.
            actions.wake_sender(moment + actions.lease() + timedelta(seconds=1))
            watched = True
        try:
            done += send_one(notification, moment)
        except Exception as error:
            log.exception("notification %s failed", notification.pk)
            _failed(notification, Outcome(False, error=f"{type(error).__name__}: {error}", retry=True), moment)
    return done


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
    event = _event(notification)
    submission = (
        Submission.objects.select_related("procedure").filter(pk=notification.request).first()
        if notification.request
        else None
    )
    if notification.source != "test" and (event is None or submission is None):
        actions.give_up(notification, state=State.DROPPED, status=None, error="the event or its request is gone")
        return 0
    if notification.channel == Channel.WEBHOOK:
        return _webhook(notification, event, submission, now)
    if notification.digest:
        return _digest(notification, now)
    content = render(notification, event, submission)
    outcome = _deliver(notification, content)
    if outcome is None:
        return 0
    return _settle(notification, outcome, now)


def _deliver(notification: Notification, content: Content) -> Outcome | None:
    user = notification.user
    if notification.channel == Channel.PUSH:
        device = PushSubscription.objects.filter(pk=notification.subscription_id or 0).first()
        if device is None:
            actions.give_up(notification, state=State.DROPPED, status=None, error="the device unsubscribed")
            return None
        outcome = push_channel.send(notification, content, device)
        if outcome.gone:
            accounts.expire_push(device.pk, status=outcome.status or 410)
            actions.give_up(notification, state=State.DROPPED, status=outcome.status, error=outcome.error)
            return None
        if outcome.ok:
            accounts.push_delivered(device.pk)
        return outcome
    if user is None or not user.is_active:
        actions.give_up(notification, state=State.DROPPED, status=None, error="the account is gone")
        return None
    if notification.channel == Channel.EMAIL:
        if not user.email:
            actions.give_up(notification, state=State.DROPPED, status=None, error="no email address")
            return None
        return email_channel.send(email_channel.notification_email(notification, user.email, content))
    phone = Profile.objects.filter(user=user).values_list("phone", flat=True).first()
    if not phone:
        actions.give_up(notification, state=State.DROPPED, status=None, error="no phone number")
        return None
    return sms_channel.send(notification, phone, sms_channel.text(content.title, content.body, content.url))


def _digest(notification: Notification, now: datetime) -> int:
    user = notification.user
    gathered = actions.due_digest(notification, now)
    if user is None or not user.email or not user.is_active:
        for item in gathered:
            actions.give_up(item, state=State.DROPPED, status=None, error="no one to send the digest to")
        return 0
    items = [render(item, _event(item), _submission(item)) for item in gathered]
    outcome = email_channel.send(email_channel.digest_email(notification, user.email, items))
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
