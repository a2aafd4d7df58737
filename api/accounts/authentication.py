"""Bearer tokens from django-oauth-toolkit.

- Tokens are read from the Authorization header only (RFC 6750 §2.1): the request
  body is never parsed to look for one, so uploads stream untouched.
- An application's own token carries an anonymous user (not None), so views and
  permissions treat every request alike."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework.request import Request


class BearerAuthentication(OAuth2Authentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        if not request.META.get("HTTP_AUTHORIZATION", "").lower().startswith("bearer "):
            return None
        result = super().authenticate(request._request)
        if result is None:
            request.oauth2_error = getattr(request._request, "oauth2_error", {})  # type: ignore[attr-defined]
            return None
        user, token = result
        return (user if user is not None else AnonymousUser()), token
