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
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3
from django.conf import settings
from py_vapid import Vapid
from pywebpush import WebPusher, WebPushException
from requests.utils import get_environ_proxies

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


@dataclass(frozen=True)
class _Answer:
    status_code: int
    headers: Mapping[str, str]
    text: str


class _Transport:
    """What pywebpush asks of a requests session (``post``), over urllib3 directly:
    requests cost a push more CPU than its encryption (it reads the environment's proxy
    settings at every request, among other things; measured, 1.2 of 1.8 ms). Kept-alive
    connections per push service; redirects are not followed; the environment's proxy
    settings are honoured, read once per push service."""

    def __init__(self) -> None:
        self.direct = urllib3.PoolManager(retries=False)
        self.proxied: dict[str, urllib3.ProxyManager] = {}
        self.routes: dict[str, urllib3.PoolManager] = {}

    def _route(self, url: str) -> urllib3.PoolManager:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        found = self.routes.get(key)
        if found is None:
            proxies = get_environ_proxies(url)
            proxy = proxies.get(parts.scheme) or proxies.get("all")
            if proxy and proxy not in self.proxied:
                self.proxied[proxy] = urllib3.ProxyManager(proxy, retries=False)
            found = self.proxied[proxy] if proxy else self.direct
            self.routes[key] = found
        return found

    def post(self, url: str, *, data: bytes | None = None, headers: Mapping[str, str], timeout: float) -> _Answer:
        try:
            response = self._route(url).request(
                "POST", url, body=data, headers=dict(headers), timeout=timeout, redirect=False, retries=False
            )
        except urllib3.exceptions.HTTPError as error:
            raise requests.ConnectionError(str(error)) from error
        return _Answer(response.status, response.headers, response.data[:2000].decode("utf-8", "replace"))


_local = threading.local()


def transport() -> Any:
    """One transport per sending thread."""
    found = getattr(_local, "transport", None)
    if found is None:
        found = _local.transport = _Transport()
    return found


#: A VAPID token is valid 12 hours; one is signed per push service and reused until
#: an hour before it runs out (signing one per message cost a signature each).
VAPID_SECONDS = 12 * 3600
_signed: dict[tuple[str, str, str], tuple[dict[str, str], float]] = {}
_signed_lock = threading.Lock()


def vapid_headers(audience: str) -> dict[str, str]:
    key = (settings.VAPID_PRIVATE_KEY, settings.VAPID_SUBJECT, audience)
    now = time.time()
    with _signed_lock:
        found = _signed.get(key)
    if found is not None and found[1] - now > 3600:
        return found[0]
    expires = int(now) + VAPID_SECONDS
    headers = dict(
        _vapid(settings.VAPID_PRIVATE_KEY).sign({"sub": settings.VAPID_SUBJECT, "aud": audience, "exp": expires})
    )
    with _signed_lock:
        if len(_signed) > 1000:
            _signed.clear()
        _signed[key] = (headers, expires)
    return headers


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
        response = WebPusher(
            {"endpoint": device.endpoint, "keys": {"p256dh": device.p256dh, "auth": device.auth}},
            requests_session=transport(),
        ).send(
            payload(notification, content),
            {
                **vapid_headers(f"{parts.scheme}://{parts.netloc}"),
                "Urgency": URGENCY.get(notification.topic, "normal"),
                "Topic": topic(notification),
            },
            ttl=TTL.get(notification.topic, 86400),
            content_encoding="aes128gcm",
            timeout=TIMEOUT_SECONDS,
        )
    except WebPushException as error:
        return Outcome(False, error=str(error)[:300], retry=True)
    except requests.RequestException as error:
        return Outcome(False, error=f"{type(error).__name__}", retry=True)
    status = response.status_code
    if status > 202:
        return Outcome(
            False,
            status=status,
            error=f"push service answered {status}",
            retry=status == 429 or status >= 500,
            retry_after=retry_after(response.headers.get("Retry-After")),
            gone=status in (404, 410),
        )
    return Outcome(True, status=status)
