"""Webhooks, signed per the Standard Webhooks specification (the ``standardwebhooks``
package signs; receivers verify with any of its implementations).

The body is ``{"type": <event kind>, "timestamp": <when it happened>, "data": <the
event as GET /api/events/ shows it, with the request's reference>}``. The headers
``webhook-id`` (the same for every attempt: receivers drop repeats with it),
``webhook-timestamp`` (this attempt) and ``webhook-signature``. The call goes
through the outbound guard (no private address unless
``GUICHET_WEBHOOKS_ALLOW_PRIVATE``), with a timeout and no redirects; any 2xx is
delivered."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.utils import timezone
from standardwebhooks.webhooks import Webhook as Signer

from api.core import outbound
from api.submissions.presentation import EventSerializer

from ..models import Notification, Webhook
from . import Outcome, retry_after

TIMEOUT_SECONDS = 15


def message_id(notification: Notification) -> str:
    return f"msg_{notification.source.replace('.', '_')}_{notification.event_id}"


def body(event: Any) -> str:
    # The shape of GET /api/events/ (the envelope, the request and its procedure), and the reference.
    data = dict(EventSerializer(event).data)
    data["reference"] = event.submission.reference if event.submission is not None else None
    return json.dumps(
        {"type": event.kind, "timestamp": event.created_at.isoformat(), "data": data},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def send(notification: Notification, hook: Webhook, event: Any) -> Outcome:
    payload = body(event)
    msg_id = message_id(notification)
    now = timezone.now()  # the moment of this attempt: receivers refuse a stale signature
    signature = Signer(hook.secret).sign(msg_id, now, payload)
    headers = {
        "Content-Type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }
    try:
        answer = outbound.call(
            "POST",
            hook.url,
            body=payload.encode(),
            headers=headers,
            timeout=TIMEOUT_SECONDS,
            max_bytes=64_000,
            allow_private=settings.GUICHET_WEBHOOKS_ALLOW_PRIVATE,
        )
    except outbound.OutboundError as error:
        return Outcome(False, error=str(error)[:300], retry=True)
    if 200 <= answer.status < 300:
        return Outcome(True, status=answer.status)
    return Outcome(
        False,
        status=answer.status,
        error=f"answered {answer.status}",
        retry=True,
        retry_after=retry_after(answer.headers.get("retry-after")),
    )
