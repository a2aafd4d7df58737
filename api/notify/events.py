"""The kinds of events in the webhooks' log (an audit trail), one builder per kind,
called by the actions only. Payloads: schema/events/<kind>.json."""

from __future__ import annotations

from api.core.events import Actor, Audience, Kind, declare, record

from .models import Webhook, WebhookEvent

CREATED = declare("webhook.created", WebhookEvent, audience=Audience.INTERNAL)
CHANGED = declare("webhook.changed", WebhookEvent, audience=Audience.INTERNAL)
DELETED = declare("webhook.deleted", WebhookEvent, audience=Audience.INTERNAL)
DISABLED = declare("webhook.disabled", WebhookEvent, audience=Audience.INTERNAL)


def _record(kind: Kind, hook: Webhook, actor: Actor, payload: dict[str, object]) -> WebhookEvent:
    event: WebhookEvent = record(kind, payload=payload, actor=actor, webhook=hook, webhook_key=hook.pk)
    return event


def created(hook: Webhook, actor: Actor) -> WebhookEvent:
    return _record(CREATED, hook, actor, {"procedure": hook.procedure.slug, "url": hook.url, "kinds": hook.kinds})


def changed(hook: Webhook, actor: Actor, fields: list[str]) -> WebhookEvent:
    return _record(CHANGED, hook, actor, {"fields": sorted(fields)})


def deleted(hook: Webhook, actor: Actor) -> WebhookEvent:
    return _record(DELETED, hook, actor, {})


def disabled(hook: Webhook, reason: str) -> WebhookEvent:
    return _record(DISABLED, hook, Actor(), {"reason": reason})
