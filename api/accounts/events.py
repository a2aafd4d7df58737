"""The kinds of events in the accounts' log (all internal: an audit trail), and one
typed builder per kind, called by the actions only. Payloads are declared in
schema/events/<kind>.json."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from api.core.events import Actor, Audience, Kind, declare, record

from .models import AccountEvent

INTERNAL = Audience.INTERNAL


def _declare(name: str) -> Kind:
    return declare(name, AccountEvent, audience=INTERNAL)


SIGNED_UP = _declare("account.signed_up")
LOGGED_IN = _declare("account.logged_in")
LOGGED_OUT = _declare("account.logged_out")
LOGIN_FAILED = _declare("account.login_failed")
SECOND_FACTOR_ADDED = _declare("account.second_factor_added")
PROFILE_UPDATED = _declare("account.profile_updated")
IDENTITY_VERIFIED = _declare("account.identity_verified")
DELETED = _declare("account.deleted")
CHANGED_BY_ADMIN = _declare("account.changed_by_admin")
ROLE_SAVED = _declare("role.saved")
ROLE_DELETED = _declare("role.deleted")
ROLE_GRANTED = _declare("role.granted")
ROLE_REVOKED = _declare("role.revoked")
CLIENT_ACCESS_SAVED = _declare("client_access.saved")
CLIENT_ACCESS_DELETED = _declare("client_access.deleted")
PUSH_SUBSCRIBED = _declare("push.subscribed")
PUSH_UNSUBSCRIBED = _declare("push.unsubscribed")
PUSH_EXPIRED = _declare("push.expired")


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _record(
    kind: Kind, user: Any, payload: dict[str, Any], *, request: HttpRequest | None = None, actor: Any = None
) -> AccountEvent:
    if user is not None and not getattr(user, "pk", None):
        user = None
    who = actor if actor is not None else user
    event: AccountEvent = record(kind, payload=payload, actor=Actor(user=who), user=user, ip=client_ip(request))
    return event


def signed_up(user: Any, request: HttpRequest | None, *, provider: str) -> AccountEvent:
    return _record(SIGNED_UP, user, {"provider": provider}, request=request)


def logged_in(user: Any, request: HttpRequest | None) -> AccountEvent:
    return _record(LOGGED_IN, user, {}, request=request)


def logged_out(user: Any, request: HttpRequest | None) -> AccountEvent:
    return _record(LOGGED_OUT, user, {}, request=request)


def second_factor_added(user: Any, request: HttpRequest | None, *, kind: str) -> AccountEvent:
    return _record(SECOND_FACTOR_ADDED, user, {"type": kind}, request=request)


def login_failed(request: HttpRequest | None, *, login_sha256: str) -> AccountEvent:
    return _record(LOGIN_FAILED, None, {"login_sha256": login_sha256}, request=request)


def profile_updated(user: Any, request: HttpRequest | None, fields: list[str]) -> AccountEvent:
    return _record(PROFILE_UPDATED, user, {"fields": sorted(fields)}, request=request)


def identity_verified(user: Any, request: HttpRequest | None, *, provider: str, fields: list[str]) -> AccountEvent:
    return _record(IDENTITY_VERIFIED, user, {"provider": provider, "fields": sorted(fields)}, request=request)


def deleted(user: Any) -> AccountEvent:
    return _record(DELETED, user, {})


def changed_by_admin(user: Any, actor: Any, *, model: str, fields: list[str], created: bool) -> AccountEvent:
    payload = {"model": model, "fields": sorted(fields), "created": created}
    return _record(CHANGED_BY_ADMIN, user, payload, actor=actor)


def role_saved(slug: str, actor: Any, *, fields: list[str], created: bool) -> AccountEvent:
    return _record(ROLE_SAVED, None, {"role": slug, "fields": sorted(fields), "created": created}, actor=actor)


def role_deleted(slug: str, actor: Any) -> AccountEvent:
    return _record(ROLE_DELETED, None, {"role": slug}, actor=actor)


def role_granted(user: Any, role: str, actor: Any) -> AccountEvent:
    return _record(ROLE_GRANTED, user, {"role": role}, actor=actor)


def role_revoked(user: Any, role: str, actor: Any) -> AccountEvent:
    return _record(ROLE_REVOKED, user, {"role": role}, actor=actor)


def client_access_saved(application: str, actor: Any, *, fields: list[str], created: bool) -> AccountEvent:
    payload = {"application": application, "fields": sorted(fields), "created": created}
    return _record(CLIENT_ACCESS_SAVED, None, payload, actor=actor)


def client_access_deleted(application: str, actor: Any) -> AccountEvent:
    return _record(CLIENT_ACCESS_DELETED, None, {"application": application}, actor=actor)


def push_subscribed(user: Any, subscription: int, *, created: bool) -> AccountEvent:
    return _record(PUSH_SUBSCRIBED, user, {"subscription": subscription, "created": created})


def push_unsubscribed(user: Any, subscription: int) -> AccountEvent:
    return _record(PUSH_UNSUBSCRIBED, user, {"subscription": subscription})


def push_expired(user: Any, subscription: int, *, status: int) -> AccountEvent:
    """The push service said the subscription is gone (404 or 410): it was removed."""
    return _record(PUSH_EXPIRED, user, {"subscription": subscription, "status": status}, actor=AnonymousUser())
