"""Bearer tokens from django-oauth-toolkit.

- Tokens are read from the Authorization header only (RFC 6750 §2.1): the request
  body is never parsed to look for one, so uploads stream untouched.
- An application's own token carries an anonymous user (not None), so views and
  permissions treat every request alike.

And the session of the app and the API documentation, whose CSRF check reads the
token from the ``X-CSRFToken`` header on Django's own request: DRF's check reads
``request.POST`` through DRF's parsers, which refused every file upload of a
signed-in person (415) before the view could stream it. A failed check is the
same problem as everywhere else (``csrf-failed``, in the request's language)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.utils.translation import gettext as _
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework.authentication import CSRFCheck, SessionAuthentication
from rest_framework.exceptions import APIException
from rest_framework.request import Request


def csrf_problem() -> APIException:
    from api.core.problems import Problem  # problems imports DRF, whose settings import this module

    return Problem(
        403, "csrf-failed", _("The request's CSRF token is missing or wrong; reload the page and try again.")
    )


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


class CsrfSessionAuthentication(SessionAuthentication):
    def enforce_csrf(self, request: Request) -> None:
        django_request = request._request
        check = CSRFCheck(lambda _request: HttpResponse())
        check.process_request(django_request)
        if check.process_view(django_request, lambda _request: HttpResponse(), (), {}) is not None:
            raise csrf_problem()
