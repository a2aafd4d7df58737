"""Short-lived, single-use tickets that open a websocket without a cookie.

Widgets and third-party applications cannot (or should not) send a session cookie
to the websocket, and a bearer token must never travel in a URL, where proxies
and logs keep it. So they ask the REST API for a ticket (authenticated as any
other call) and open ``/ws/?ticket=…`` within ``TICKET_SECONDS``. A ticket is
signed by the server (nothing stored until it is used), names the reader it
stands for, and is accepted once: its nonce is recorded in the cache when it is
used, until it would have expired anyway."""

from __future__ import annotations

import secrets
from typing import Any

from django.core import signing
from django.core.cache import cache

from .streams import Viewer

TICKET_SECONDS = 60
_SALT = "guichet.realtime.ticket"


class TicketError(Exception):
    """The ticket is forged, expired or already used."""


def issue(viewer: Viewer) -> str:
    claims: dict[str, Any] = {
        "s": viewer.stream,
        "u": viewer.user_id,
        "a": viewer.application_id,
        "t": viewer.token_id,
        "r": viewer.request_id,
        "c": viewer.credential,
        "l": viewer.language,
        "n": secrets.token_urlsafe(12),
    }
    return signing.dumps({k: v for k, v in claims.items() if v not in (None, "")}, salt=_SALT, compress=True)


def redeem(ticket: str) -> Viewer:
    """The reader a ticket stands for; a ticket is good once, for ``TICKET_SECONDS``."""
    try:
        claims = signing.loads(ticket, salt=_SALT, max_age=TICKET_SECONDS)
    except signing.BadSignature as error:  # SignatureExpired is one
        raise TicketError(str(error)) from error
    if not isinstance(claims, dict) or not isinstance(claims.get("n"), str):
        raise TicketError("malformed ticket")
    if not cache.add(f"realtime-ticket:{claims['n']}", 1, timeout=TICKET_SECONDS + 5):
        raise TicketError("ticket already used")
    return Viewer(
        stream=str(claims.get("s", "")),
        user_id=claims.get("u"),
        application_id=claims.get("a"),
        token_id=claims.get("t"),
        request_id=claims.get("r"),
        credential=str(claims.get("c", "")),
        language=str(claims.get("l", "fr")),
    )
