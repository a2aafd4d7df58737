"""Idempotency-Key on writes (IETF httpapi-idempotency-key-header).

The key is stored with who sent it and a hash of the request; a replay gets
the first response again, marked ``Idempotent-Replayed: true``; the same key
with another request is refused. The record is written in the same transaction
as the action, so concurrent replays wait for the first and then replay it:
exactly one effect, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from .models import IdempotencyRecord
from .problems import Problem

HEADER = "Idempotency-Key"
REPLAYED_HEADERS = ("ETag", "Location", "Content-Type")


def owner_of(request: Request) -> str:
    token: Any = request.auth
    if getattr(token, "application_id", None) is not None and getattr(token, "user_id", None) is None:
        return f"app:{token.application_id}"
    if getattr(request.user, "is_authenticated", False):
        return f"user:{request.user.pk}"
    return "anonymous"


def request_hash(request: Request, body_digest: str | None = None) -> str:
    body = body_digest or json.dumps(request.data, sort_keys=True, separators=(",", ":"), default=str)
    material = f"{request.method}\n{request.path}\n{request.headers.get('If-Match', '')}\n{body}"
    return hashlib.sha256(material.encode()).hexdigest()


def _key(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip().strip('"')
    if not key or len(key) > 255 or not key.isprintable():
        raise Problem(
            400, "invalid-idempotency-key", _("The Idempotency-Key header must be 1 to 255 printable characters.")
        )
    return key


def run_once(request: Request, action: Callable[[], Response], body_digest: str | None = None) -> Response:
    """Run ``action`` once per Idempotency-Key (if the request has one), else just run it."""
    key = _key(request)
    if key is None:
        return action()
    owner, digest = owner_of(request), request_hash(request, body_digest)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(owner=owner, key=key, request_hash=digest, status_code=0)
        except IntegrityError:
            first = IdempotencyRecord.objects.get(owner=owner, key=key)
            if first.request_hash != digest:
                raise Problem(
                    422,
                    "idempotency-key-reused",
                    _("This Idempotency-Key was already used for another request."),
                ) from None
            response = Response(first.response, status=first.status_code, headers=first.headers)
            response["Idempotent-Replayed"] = "true"
            return response
        response = action()
        record.status_code = response.status_code
        record.response = response.data
        record.headers = {name: response[name] for name in REPLAYED_HEADERS if response.has_header(name)}
        record.save(update_fields=["status_code", "response", "headers"])
        return response


def idempotent(method: Callable[..., Response]) -> Callable[..., Response]:
    """Decorate a DRF view method: replays of its Idempotency-Key return the first response."""

    @wraps(method)
    def wrapper(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        return run_once(request, lambda: method(view, request, *args, **kwargs))

    wrapper.idempotent = True  # type: ignore[attr-defined]
    return wrapper
