"""Guichet's adaptations of allauth: emails signed with the service's name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from api.core.ratelimit import client_address, count, current


@dataclass(frozen=True)
class Site:
    name: str
    domain: str


#: Failed sign-ins counted per address over this window.
ADDRESS_WINDOW = 600


def _address_key(request: HttpRequest) -> str:
    return f"login-failed-address:{client_address(request)}"


class AccountAdapter(DefaultAccountAdapter):
    """Sign-in limits, kept apart: allauth locks one account after a few wrong
    passwords (``login_failed`` per key); Guichet counts wrong passwords per
    address (``GUICHET_LOGIN_FAILURES_PER_ADDRESS`` in ten minutes), so that an
    address spraying many accounts is stopped, while attempts on an account
    already locked do not count against the other people behind that address."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts_from_address": gettext_lazy(
            "Too many failed sign-ins from your network. Try again in a few minutes."
        ),
    }

    def get_client_ip(self, request: HttpRequest) -> str:
        return client_address(request)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        if current(_address_key(request)) >= settings.GUICHET_LOGIN_FAILURES_PER_ADDRESS:
            raise self.validation_error("too_many_login_attempts_from_address")
        super().pre_authenticate(request, **credentials)

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        count(_address_key(request), window=ADDRESS_WINDOW)
        super().authentication_failed(request, **credentials)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        context = {**context, "current_site": Site(settings.GUICHET_SITE_NAME, urlsplit(settings.PUBLIC_URL).netloc)}
        super().send_mail(template_prefix, email, context)
