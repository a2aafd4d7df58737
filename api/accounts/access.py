"""Who may do what: sessions of people, tokens of third-party applications, roles."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from oauth2_provider.models import AbstractAccessToken
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from api.core.problems import Problem

from .models import ClientAccess, Role, User

REAUTHENTICATION_SECONDS = 300


def token_of(request: Request) -> AbstractAccessToken | None:
    """The OAuth2 access token the request was authenticated with, if any."""
    return request.auth if isinstance(request.auth, AbstractAccessToken) else None


def used_mfa(request: Request) -> bool:
    return used_mfa_in(request._request.session, request.user)


def used_mfa_in(session: Any, user: User | Any) -> bool:
    """Whether the session's sign-in used a second factor (a websocket has a session, not a request)."""
    records = get_authentication_records(SimpleNamespace(session=session), user)
    return any(record.get("method") == "mfa" for record in records)


def recently_authenticated(request: Request, within: int = REAUTHENTICATION_SECONDS) -> bool:
    records = get_authentication_records(request._request, request.user)
    return any(time.time() - float(record.get("at", 0)) <= within for record in records)


def person(request: Request) -> User:
    """The signed-in user of a request that PersonAccess let through."""
    user = request.user
    if not isinstance(user, User):
        raise Problem(401, "not-authenticated", _("Authentication is required."))
    return user


def roles_of(user: User | Any) -> QuerySet[Role]:
    if not getattr(user, "is_authenticated", False):
        return Role.objects.none()
    return Role.objects.filter(memberships__user=user)


def is_agent(user: User | Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_staff or roles_of(user).exists()))


def agent_roles(request: Request, scopes: tuple[str, ...] = ("agent",)) -> QuerySet[Role]:
    """The roles the request may act for: a person's roles (every role for a
    superuser), or, for a token with one of ``scopes``, its user's roles or
    the role its application is attached to."""
    token = token_of(request)
    if token is not None:
        if not any(token.allow_scopes([scope]) for scope in scopes):
            return Role.objects.none()
        if token.user_id is not None:
            return roles_of(token.user)
        access = ClientAccess.objects.filter(application_id=token.application_id).first()
        return Role.objects.filter(pk=access.role_id) if access and access.role_id else Role.objects.none()
    user = request.user
    if getattr(user, "is_superuser", False):
        return Role.objects.all()
    return roles_of(user)


def require_mfa(request: Request) -> None:
    """Refuse an agent's session that did not use a second factor, when agents must."""
    if settings.GUICHET_AGENT_MFA_REQUIRED and token_of(request) is None and not used_mfa(request):
        raise Problem(
            403,
            "mfa-required",
            _("Agents must sign in with a second factor (an authenticator app) to do this."),
            title=_("A second factor is required."),
        )


class AgentAccess(BasePermission):
    """An agent: someone (or an application) acting for at least one role."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not agent_roles(request).exists():
            return False
        require_mfa(request)
        return True


class PersonAccess(BasePermission):
    """A signed-in person: through their session, or through an application acting
    for them with the view's ``person_scopes`` for the method."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        token = token_of(request)
        if token is None:
            return True
        if token.user_id is None:
            return False  # an application's own token: no person to act for
        scopes: dict[str, list[str]] = getattr(view, "person_scopes", {})
        return bool(token.allow_scopes(scopes.get(request.method or "GET", ["profile"])))


class StaffOrAppScope(BasePermission):
    """An administrator's session (with a second factor when agents must use one),
    or an application token with the view's ``app_scope``."""

    def has_permission(self, request: Request, view: Any) -> bool:
        token = token_of(request)
        if token is not None:
            if token.user_id is not None and not token.user.is_staff:
                return False
            return bool(token.allow_scopes([view.app_scope]))
        if not (request.user and request.user.is_authenticated and request.user.is_staff):
            return False
        require_mfa(request)
        return True
