"""Who is told about a committed event, on which channels: the outbox's subscriber.

The worker hands each event of a request's log to ``fan_out`` (durably, see
``api.core.outbox``); it writes one ``Notification`` per (event, channel,
recipient), unique, so that handing the same event over twice writes nothing
more. The sender (``sender.py``) then delivers them.

- the requester (an account): their request sent or changing status, the
  service's messages and questions;
- agents: a new request for their role (at once or in a daily digest), a
  citizen's message, a request assigned to them, the workflow telling their role;
- applications: the kinds their webhooks subscribe to, for the procedures they
  receive.

Agents are not told of their own doing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from api.accounts import preferences
from api.accounts.models import Membership, Role, User
from api.accounts.profiles import profile_of
from api.core.events import KINDS as DECLARED
from api.core.events import Audience
from api.submissions.models import Event, Submission

from . import actions
from .models import Channel, Notification, Webhook
from .schedule import next_digest

STATUS_KINDS = ("submission.sent", "submission.status_changed")
#: What the requester and agents are told of (webhooks take any shared kind).
PEOPLE_KINDS = (
    *STATUS_KINDS,
    "submission.notified",
    "submission.correction_requested",
    "message.posted",
    "submission.assigned",
    "submission.role_notified",
)
KINDS = sorted(name for name, kind in DECLARED.items() if kind.model is Event and kind.audience != Audience.INTERNAL)


@dataclass(frozen=True)
class Recipient:
    user: User
    topic: str
    digest: bool = False


def fan_out(event: Any) -> None:
    """The durable subscriber: write the notifications of one event (idempotent)."""
    if not isinstance(event, Event) or event.submission_id is None:
        return
    submission = Submission.objects.select_related("procedure").filter(pk=event.submission_id).first()
    if submission is None:
        return
    rows = [*_for_people(event, submission), *_for_webhooks(event, submission)]
    actions.enqueue(rows)


# --- People -------------------------------------------------------------------------


def _followed_by_notice(event: Event) -> bool:
    """Whether the workflow told the citizen about this change in the same breath (a
    ``submission.notified`` written right after it, before any other change of status):
    then that notice is the one they receive."""
    request = event.submission_uuid
    later = Event.objects.filter(submission_id=request, pk__gt=event.pk, kind__in=STATUS_KINDS)
    following = Event.objects.filter(
        submission_id=request,
        pk__gt=event.pk,
        kind="submission.notified",
        created_at__lte=event.created_at + timedelta(seconds=5),
    )
    next_change = later.order_by("pk").values_list("pk", flat=True).first()
    if next_change is not None:
        following = following.filter(pk__lt=next_change)
    return following.exists()


def recipients(event: Event, submission: Submission) -> list[Recipient]:
    kind, payload, owner = event.kind, event.payload or {}, submission.owner
    people: list[Recipient] = []
    if (kind in STATUS_KINDS and owner and not (not payload.get("message") and _followed_by_notice(event))) or (
        kind == "submission.notified" and owner
    ):
        people.append(Recipient(owner, "status"))
    elif kind == "submission.correction_requested" and owner:
        people.append(Recipient(owner, "information"))
    elif kind == "message.posted" and payload.get("from_agent") and owner:
        people.append(Recipient(owner, "message"))
    elif kind == "message.posted":
        people += [Recipient(agent, "message") for agent in _holders(submission)]
    elif kind == "submission.assigned" and isinstance(payload.get("agent"), int):
        agent = User.objects.filter(pk=payload["agent"], is_active=True).first()
        people += [Recipient(agent, "assigned")] if agent else []
    elif kind == "submission.role_notified":
        role = Role.objects.filter(slug=payload.get("role")).first()
        people += [Recipient(agent, "role") for agent in _members(role)]
    if kind == "submission.sent":
        for agent in _members(submission.role):
            mode = preferences.stored(profile_of(agent).notifications)["new_requests"]
            if mode != preferences.OFF:
                people.append(Recipient(agent, "new_request", digest=mode == preferences.DIGEST))
    # The requester is told of their request's life even when they caused it (the receipt
    # of what they sent); agents are not told of what they did themselves.
    return [
        r for r in people if r.user.is_active and (r.topic in ("status", "information") or r.user.pk != event.actor_id)
    ]


def _members(role: Role | None) -> list[User]:
    if role is None:
        return []
    ids = Membership.objects.filter(role=role).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def _holders(submission: Submission) -> list[User]:
    """Who reads a citizen's message: the agent it is assigned to, else the role's agents."""
    if submission.assignee_id and submission.assignee and submission.assignee.is_active:
        return [submission.assignee]
    return _members(submission.role)


def _for_people(event: Event, submission: Submission) -> Iterable[Notification]:
    now = timezone.now()
    for recipient in recipients(event, submission):
        profile = profile_of(recipient.user)
        devices = list(recipient.user.push_subscriptions.all())
        common = {
            "source": event.source(),
            "event_id": event.pk,
            "topic": recipient.topic,
            "user": recipient.user,
            "request": submission.pk,
            "language": profile.language or "fr",
            "next_attempt_at": now,
        }
        if recipient.digest:
            if recipient.user.email:
                yield Notification(
                    channel=Channel.EMAIL,
                    target=f"user:{recipient.user.pk}",
                    digest=True,
                    **{**common, "next_attempt_at": next_digest(now)},
                )
            continue
        chosen = preferences.channels_for(
            profile.notifications, recipient.topic, has_push=bool(devices), has_phone=bool(profile.phone)
        )
        if preferences.PUSH in chosen:
            for device in devices:
                yield Notification(channel=Channel.PUSH, target=f"push:{device.pk}", subscription=device, **common)
        if preferences.EMAIL in chosen and recipient.user.email:
            yield Notification(channel=Channel.EMAIL, target=f"user:{recipient.user.pk}", **common)
        if preferences.SMS in chosen and profile.phone:
            yield Notification(channel=Channel.SMS, target=f"user:{recipient.user.pk}", **common)


# --- Other systems ----------------------------------------------------------------------


def _for_webhooks(event: Event, submission: Submission) -> Iterable[Notification]:
    now = timezone.now()
    for hook in Webhook.objects.filter(procedure_id=event.procedure_id, active=True).select_related("application"):
        if event.kind in hook.kinds and actions.webhook_may_read(hook, submission):
            yield Notification(
                source=event.source(),
                event_id=event.pk,
                channel=Channel.WEBHOOK,
                target=f"hook:{hook.pk}",
                topic="webhook",
                webhook=hook,
                request=submission.pk,
                next_attempt_at=now,
            )
