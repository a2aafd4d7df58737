"""Bearer tokens from django-oauth-toolkit, with an anonymous user (not None) for an
application's own token, so views and permissions treat every request alike."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework.request import Request


class BearerAuthentication(OAuth2Authentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        return (user if user is not None else AnonymousUser()), token
