"""The town of the realtime tests, its people reachable: a push service, an SMTP
server, an SMS gateway and a webhook receiver on loopback, and the worker's two
steps (hand events to the fan-out, send what is due) run here on demand."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from api.core.outbox import deliver_due
from api.notify.sender import send_due
from api.realtime.tests.conftest import Town, make_town

from .standins import (
    PushService,
    Stand,
    WebhookReceiver,
    push_service,
    sms_gateway,
    smtp_server,
    vapid_keys,
    webhook_receiver,
)


@pytest.fixture
def town(db: Any, catalog: Any) -> Town:
    return make_town(catalog)


@dataclass
class World:
    push: PushService
    mailbox: Any
    sms: Stand
    hooks: WebhookReceiver

    def work(self) -> int:
        """What the worker does when woken: the outbox, then the notifications; until idle."""
        total = 0
        while True:
            done = deliver_due() + send_due()
            total += done
            if not done:
                return total


@pytest.fixture
def world(settings: Any) -> Iterator[World]:
    public, private = vapid_keys()
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = public, private
    settings.VAPID_SUBJECT = "mailto:mairie@bellerive.example"
    settings.GUICHET_PUSH_ALLOW_PRIVATE = True
    settings.GUICHET_WEBHOOKS_ALLOW_PRIVATE = True
    settings.GUICHET_SITE_NAME = "Mairie de Bellerive"
    settings.DEFAULT_FROM_EMAIL = "guichet@bellerive.example"
    settings.PUBLIC_URL = "https://guichet.bellerive.example"
    with (
        push_service(public) as push,
        smtp_server() as (mailbox, port),
        sms_gateway() as sms,
        webhook_receiver() as hooks,
    ):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.GUICHET_SMS_URL = f"{sms.url}/sms"
        yield World(push, mailbox, sms, hooks)
