"""Web push (RFC 8030, aes128gcm, VAPID) through pywebpush.

A payload is encrypted for the device, so the push service never reads it. Every
request has a TTL (a device offline for a while still receives it), an Urgency,
a Topic (a newer notice about the same request replaces one not yet delivered)
and a timeout. 404 and 410 mean the subscription is gone; 429 and 5xx are tried
again later; redirects are not followed; an endpoint on a private address is
refused unless ``GUICHET_PUSH_ALLOW_PRIVATE`` (tests)."""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from urllib.parse import urlsplit

import requests
from django.conf import settings
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from api.accounts.models import PushSubscription
from api.core import outbound

from ..content import Content
from ..models import Notification
from . import Outcome, retry_after

TIMEOUT_SECONDS = 10
TTL = {"status": 86400, "information": 86400, "message": 86400, "assigned": 43200, "new_request": 43200}
URGENCY = {"message": "high", "information": "high", "new_request": "low"}


@lru_cache(maxsize=4)
def _vapid(private_key: str) -> Vapid:
    return Vapid.from_string(private_key=private_key)


_session: requests.Session | None = None


def session() -> requests.Session:
    """One HTTP session per worker process (kept-alive connections to the push services)."""
    global _session
    if _session is None:
        _session = requests.Session()
        _session.max_redirects = 0
    return _session


def topic(notification: Notification) -> str:
    """At most 32 URL-safe characters naming what the notice is about."""
    digest = hashlib.sha256(f"{notification.request}:{notification.topic}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()[:32]


def payload(notification: Notification, content: Content) -> str:
    return json.dumps(
        {
            "title": content.title,
            "body": content.body,
            "url": content.url,
            "tag": f"request-{notification.request}" if notification.request else "guichet",
            "request": str(notification.request) if notification.request else None,
            "topic": notification.topic,
            "lang": notification.language,
        },
        ensure_ascii=False,
    )


def send(notification: Notification, content: Content, device: PushSubscription) -> Outcome:
    if not settings.VAPID_PRIVATE_KEY:
        return Outcome(False, error="no VAPID key is configured")
    parts = urlsplit(device.endpoint)
    try:
        outbound.check_url(
            device.endpoint,
            allow_private=settings.GUICHET_PUSH_ALLOW_PRIVATE,
            schemes=frozenset({"https", "http"} if settings.GUICHET_PUSH_ALLOW_PRIVATE else {"https"}),
        )
    except outbound.OutboundError as error:
        return Outcome(False, error=f"endpoint refused: {error}", retry=not isinstance(error, outbound.NotPublic))
    try:
        response = webpush(
            {"endpoint": device.endpoint, "keys": {"p256dh": device.p256dh, "auth": device.auth}},
            data=payload(notification, content),
            vapid_private_key=_vapid(settings.VAPID_PRIVATE_KEY),
            # A fresh dict each time: pywebpush writes aud and exp into it.
            vapid_claims={"sub": settings.VAPID_SUBJECT, "aud": f"{parts.scheme}://{parts.netloc}"},
            ttl=TTL.get(notification.topic, 86400),
            timeout=TIMEOUT_SECONDS,
            headers={"Urgency": URGENCY.get(notification.topic, "normal"), "Topic": topic(notification)},
            requests_session=session(),
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        wait = retry_after(error.response.headers.get("Retry-After")) if error.response is not None else None
        return Outcome(
            False,
            status=status,
            error=f"push service answered {status}" if status else str(error)[:300],
            retry=status is None or status == 429 or status >= 500,
            retry_after=wait,
            gone=status in (404, 410),
        )
    except requests.RequestException as error:
        return Outcome(False, error=f"{type(error).__name__}", retry=True)
    return Outcome(True, status=getattr(response, "status_code", None))
