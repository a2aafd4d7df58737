"""What the notification capability writes: the notifications (the outbox rows the
fan-out adds and the sender updates), and the webhooks applications manage."""

from __future__ import annotations

import base64
import secrets
import time
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q

from api.accounts.models import ClientAccess, Profile, PushSubscription
from api.core.events import Actor, on_commit_once
from api.submissions.models import Submission

from . import events
from .models import Channel, Notification, State, Webhook


def lease() -> timedelta:
    """A claimed notification is another worker's after this long (longer than any send's timeout)."""
    return timedelta(seconds=settings.GUICHET_NOTIFY_LEASE_SECONDS)


WEBHOOK_SCOPE = "webhooks"


# --- The outbox ---------------------------------------------------------------------------


def enqueue(rows: Iterable[Notification]) -> int:
    """Write notifications, once per (event, channel, target): a row that exists already
    is left as it is (the fan-out may run twice for one event)."""
    rows = list(rows)
    if not rows:
        return 0
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        on_commit_once("notify", wake_sender)
        for later in sorted({row.next_attempt_at for row in rows if row.digest}):
            transaction.on_commit(partial(wake_sender, later), robust=True)
    return len(rows)


def wake_sender(at: datetime | None = None) -> None:
    """Ask the worker to send what is due now, or at ``at`` (a retry, a digest)."""
    from .tasks import send_notifications

    (send_notifications.using(run_after=at) if at else send_notifications).enqueue()


def _free(now: datetime) -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def _due_ids(now: datetime, size: int) -> list[int]:
    due = Notification.objects.filter(_free(now), state=State.PENDING, next_attempt_at__lte=now)
    return list(due.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:size])


def claim(now: datetime, *, size: int = 50) -> list[Notification]:
    """Lease up to ``size`` due notifications (compare-and-set on the lease, with a token
    naming this claim: two workers never send one at once)."""
    ids = _due_ids(now, size)
    if not ids:
        return []
    token = uuid.uuid4().hex
    Notification.objects.filter(_free(now), pk__in=ids, state=State.PENDING).update(
        claimed_until=now + lease(), claim=token, attempts=F("attempts") + 1
    )
    return list(
        Notification.objects.filter(pk__in=ids, claim=token, state=State.PENDING)
        .select_related("user")
        .order_by("next_attempt_at", "id")
    )


def sent(notification: Notification, *, status: int | None, now: datetime) -> None:
    sent_together([notification], status=status, now=now)


def sent_together(notifications: list[Notification], *, status: int | None, now: datetime) -> None:
    """Mark sent (a batch the sender sent, or the rows a digest gathered)."""
    Notification.objects.filter(pk__in=[n.pk for n in notifications], state=State.PENDING).update(
        state=State.SENT, sent_at=now, claimed_until=None, claim="", response_status=status, last_error=""
    )


def retry(notification: Notification, *, at: datetime, status: int | None, error: str) -> None:
    Notification.objects.filter(pk=notification.pk).update(
        claimed_until=None, claim="", next_attempt_at=at, response_status=status, last_error=error[:2000]
    )
    wake_sender(at)


def give_up(notification: Notification, *, state: str, status: int | None, error: str) -> None:
    Notification.objects.filter(pk=notification.pk).update(
        state=state, claimed_until=None, claim="", response_status=status, last_error=error[:2000]
    )


def test_push(user: Any, device: PushSubscription, now: datetime) -> Notification:
    """A test notification for one device, leased by the caller from the start (so that
    the worker never sends it too), in the person's language."""
    language = Profile.objects.filter(user=user).values_list("language", flat=True).first() or "fr"
    return Notification.objects.create(
        source="test",
        event_id=time.time_ns() // 1000,
        channel=Channel.PUSH,
        target=f"push:{device.pk}",
        topic="test",
        user=user,
        subscription=device,
        language=language,
        next_attempt_at=now,
        claimed_until=now + lease(),
        attempts=1,
    )


def due_digest(notification: Notification, now: datetime) -> list[Notification]:
    """The pending digest rows of the same person and channel that are due (this one included)."""
    return list(
        Notification.objects.filter(
            user_id=notification.user_id or 0,
            channel=notification.channel,
            digest=True,
            state=State.PENDING,
            next_attempt_at__lte=now,
        ).order_by("id")[:500]
    )


# --- Webhooks -------------------------------------------------------------------------------


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def webhook_may_read(hook: Webhook, submission: Submission) -> bool:
    """Whether the application may still be told about this request: it has the webhooks
    scope and acts for the role that receives the procedure or holds the request."""
    access = ClientAccess.objects.filter(application_id=hook.application_id).first()
    if access is None or access.role_id is None or WEBHOOK_SCOPE not in (access.scopes or []):
        return False
    return access.role_id in {submission.role_id, submission.procedure.receiver_role_id}


@transaction.atomic
def create_webhook(application: Any, actor: Actor, fields: Mapping[str, Any]) -> Webhook:
    hook = Webhook.objects.create(application=application, secret=new_secret(), **fields)
    events.created(hook, actor)
    return hook


@transaction.atomic
def change_webhook(hook: Webhook, actor: Actor, fields: Mapping[str, Any], *, new_secret_wanted: bool) -> Webhook:
    hook = Webhook.objects.select_for_update().get(pk=hook.pk)
    changed = [name for name, value in fields.items() if getattr(hook, name) != value]
    for name in changed:
        setattr(hook, name, fields[name])
    if "active" in changed and hook.active:
        hook.disabled_reason = ""
    if new_secret_wanted:
        hook.secret = new_secret()
        changed.append("secret")
    if changed:
        hook.save()
        events.changed(hook, actor, changed)
    return hook


@transaction.atomic
def delete_webhook(hook: Webhook, actor: Actor) -> None:
    events.deleted(hook, actor)
    hook.delete()


@transaction.atomic
def disable_webhook(hook_id: int, reason: str) -> bool:
    hook = Webhook.objects.select_for_update().filter(pk=hook_id, active=True).first()
    if hook is None:
        return False
    hook.active, hook.disabled_reason = False, reason[:200]
    hook.save(update_fields=["active", "disabled_reason", "updated_at"])
    events.disabled(hook, reason)
    # What was still to send to it stays in the log, as given up.
    Notification.objects.filter(webhook=hook, state=State.PENDING).update(
        state=State.FAILED, claimed_until=None, last_error="the webhook was disabled"
    )
    return True


def reached_since(hook_id: int, since: datetime) -> bool:
    return Notification.objects.filter(webhook_id=hook_id, state=State.SENT, sent_at__gte=since).exists()
