"""Idempotency-Key on writes (IETF httpapi-idempotency-key-header).

The key is stored with who sent it and a hash of the request; a replay gets
the first response again, marked ``Idempotent-Replayed: true``; the same key
with another request is refused. The record is written at the end of the
action's own transaction (one INSERT): a concurrent twin either finds the work
done or fails on the record's unique key, rolls back, and replays the first
response: exactly one effect, on SQLite and PostgreSQL alike.

Who "sent it" is what keeps one caller's responses from another: a person's
account, an application, or, for someone without an account, the secret that
gives access to their draft (the hash of ``X-Resume-Token``). An anonymous
caller with no such secret cannot use a key at all: nothing would tell them
apart from any other anonymous caller. Replays happen only after the view has
checked access, and a stored response never holds a secret in clear: the
fields a view names are blanked before storing and given back on replay from
the caller's own request. Records are forgotten after
``GUICHET_IDEMPOTENCY_TTL_HOURS`` (24 by default, as the draft suggests) and
when the account they belong to is deleted."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from .models import IdempotencyRecord
from .problems import Problem
from .transactions import use_case

HEADER = "Idempotency-Key"
SECRET_HEADER = "X-Resume-Token"  # noqa: S105 - a header name
REPLAYED_HEADERS = ("ETag", "Location", "Content-Type")

Transform = Callable[[Any], Any]


def secret_owner(secret: str) -> str:
    """The scope of records made by whoever holds ``secret`` (only its hash is kept)."""
    return "resume:" + hashlib.sha256(secret.encode()).hexdigest()


def owner_of(request: Request) -> str | None:
    """Whom a key belongs to, or None for an anonymous caller with no secret."""
    token: Any = request.auth
    if getattr(token, "application_id", None) is not None and getattr(token, "user_id", None) is None:
        return f"app:{token.application_id}"
    if getattr(request.user, "is_authenticated", False):
        return f"user:{request.user.pk}"
    secret = request.headers.get(SECRET_HEADER, "")
    return secret_owner(secret) if secret else None


def request_hash(request: Request, body_digest: str | None = None) -> str:
    body = body_digest or json.dumps(request.data, sort_keys=True, separators=(",", ":"), default=str)
    material = f"{request.method}\n{request.path}\n{request.headers.get('If-Match', '')}\n{body}"
    return hashlib.sha256(material.encode()).hexdigest()


def key_of(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip().strip('"')
    if not key or len(key) > 255 or not key.isprintable():
        raise Problem(
            400, "invalid-idempotency-key", _("The Idempotency-Key header must be 1 to 255 printable characters.")
        )
    return key


def ttl() -> timedelta:
    return timedelta(hours=settings.GUICHET_IDEMPOTENCY_TTL_HOURS)


def run_once(
    request: Request,
    action: Callable[[], Response],
    body_digest: str | None = None,
    *,
    redact: Transform | None = None,
    restore: Transform | None = None,
) -> Response:
    """Run ``action`` once per Idempotency-Key (if the request has one), else just run it.

    Call it only once the caller's access was checked. ``redact`` takes the secrets
    out of the response before it is stored; ``restore`` puts the caller's own back
    into a replay."""
    key = key_of(request)
    if key is None:
        return action()
    owner = owner_of(request)
    if owner is None:
        raise Problem(
            400,
            "idempotency-key-needs-secret",
            _(
                "Without an account, an Idempotency-Key must come with an X-Resume-Token header: "
                "a secret of your own of 32 to 128 letters, digits, '-' or '_'."
            ),
        )
    digest = request_hash(request, body_digest)
    first = _live_record(owner, key)
    if first is not None:
        return _replay(first, digest, restore)
    try:
        # The record is written last, in the action's own transaction: one INSERT,
        # and the unique (owner, key) makes a concurrent twin fail and roll back.
        with use_case():
            response = action()
            IdempotencyRecord.objects.create(
                owner=owner,
                key=key,
                request_hash=digest,
                status_code=response.status_code,
                response=redact(response.data) if redact and response.data is not None else response.data,
                headers={name: response[name] for name in REPLAYED_HEADERS if response.has_header(name)},
            )
        return response
    except Exception:
        # A twin sent at the same time may have done the work first (this one then
        # found the work done, or lost the race for the key): answer as it did.
        twin = _live_record(owner, key)
        if twin is None:
            raise
        return _replay(twin, digest, restore)


def _live_record(owner: str, key: str) -> IdempotencyRecord | None:
    """The record of a key, unless it is older than the time records are kept
    (then it is forgotten, and the key may be used again as a new request)."""
    record = IdempotencyRecord.objects.filter(owner=owner, key=key).first()
    if record is not None and record.created_at < timezone.now() - ttl():
        from .actions import forget_idempotency_record  # (the actions read ttl() from here)

        forget_idempotency_record(record)
        return None
    return record


def _replay(first: IdempotencyRecord, digest: str, restore: Transform | None) -> Response:
    if first.request_hash != digest:
        raise Problem(
            422,
            "idempotency-key-reused",
            _("This Idempotency-Key was already used for another request."),
        )
    data = restore(first.response) if restore and first.response is not None else first.response
    response = Response(data, status=first.status_code, headers=first.headers)
    response["Idempotent-Replayed"] = "true"
    return response


def accepts_idempotency_key(method: Callable[..., Response]) -> Callable[..., Response]:
    """Mark a view method that checks access to its object first, then calls
    ``run_once`` itself (so a replay never reaches a caller who may not act)."""
    method.idempotent = True  # type: ignore[attr-defined]
    return method


def idempotent(method: Callable[..., Response]) -> Callable[..., Response]:
    """Decorate a DRF view method whose access is wholly decided by its permission
    classes (they run before it): replays of its Idempotency-Key return the first response."""

    @wraps(method)
    def wrapper(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        return run_once(request, lambda: method(view, request, *args, **kwargs))

    wrapper.idempotent = True  # type: ignore[attr-defined]
    return wrapper
