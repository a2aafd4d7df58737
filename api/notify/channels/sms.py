"""Text messages, through the backend ``GUICHET_SMS_URL`` names:

- ``console://`` (the default) writes them to the log;
- ``http://…`` or ``https://…``: a generic gateway. Guichet POSTs
  ``{"to": "+33…", "text": "…", "id": "<notification id>"}`` as JSON, with
  ``Authorization: Bearer <GUICHET_SMS_TOKEN>`` when set; any 2xx is sent, 429 and
  5xx are tried again. A municipality plugs its provider behind that shape."""

from __future__ import annotations

import json
import logging

from django.conf import settings

from api.core import outbound

from ..models import Notification
from . import Outcome, retry_after

log = logging.getLogger("guichet.sms")
TIMEOUT_SECONDS = 10
MAX_LENGTH = 640


def text(title: str, body: str, url: str) -> str:
    message = f"{title}: {body}".strip()
    room = MAX_LENGTH - len(url) - 1
    return (message[: room - 1] + "…" if len(message) > room else message) + " " + url


def send(notification: Notification, phone: str, message: str) -> Outcome:
    url = settings.GUICHET_SMS_URL
    if url.startswith("console:"):
        log.info("SMS to %s: %s", phone, message)
        return Outcome(True)
    headers = {"Content-Type": "application/json"}
    if settings.GUICHET_SMS_TOKEN:
        headers["Authorization"] = f"Bearer {settings.GUICHET_SMS_TOKEN}"
    body = json.dumps({"to": phone, "text": message, "id": str(notification.pk)}).encode()
    try:
        # The gateway is the administrator's choice: it may well be on the local network.
        answer = outbound.call("POST", url, body=body, headers=headers, timeout=TIMEOUT_SECONDS, allow_private=True)
    except outbound.OutboundError as error:
        return Outcome(False, error=str(error), retry=True)
    if 200 <= answer.status < 300:
        return Outcome(True, status=answer.status)
    return Outcome(
        False,
        status=answer.status,
        error=f"gateway answered {answer.status}",
        retry=answer.status == 429 or answer.status >= 500,
        retry_after=retry_after(answer.headers.get("retry-after")),
    )
