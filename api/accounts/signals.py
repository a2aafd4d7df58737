"""Receivers that turn authentication happenings into account actions and events."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import user_logged_in, user_signed_up
from allauth.mfa.signals import authenticator_added
from allauth.socialaccount.signals import pre_social_login
from django.conf import settings
from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.dispatch import receiver

from . import actions


def vouched_claims(provider_id: str) -> list[str]:
    providers: dict[str, Any] = settings.SOCIALACCOUNT_PROVIDERS
    for app in providers.get("openid_connect", {}).get("APPS", []):
        if app.get("provider_id") == provider_id:
            return list(app.get("settings", {}).get("verified_claims", []))
    return []


def _identity(sociallogin: Any, request: Any) -> None:
    account = sociallogin.account
    claims = account.extra_data.get("userinfo") or account.extra_data.get("id_token") or account.extra_data
    vouched = vouched_claims(account.provider)
    if vouched and account.user_id:
        actions.record_verified_identity(account.user, account.provider, claims, vouched, request=request)


@receiver(user_signed_up)
def on_signed_up(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    sociallogin = kwargs.get("sociallogin")
    actions.signed_up(user, request, provider=sociallogin.account.provider if sociallogin else "email")
    if sociallogin is not None:
        _identity(sociallogin, request)


@receiver(pre_social_login)
def on_social_login(sender: Any, request: Any, sociallogin: Any, **kwargs: Any) -> None:
    if sociallogin.is_existing:
        _identity(sociallogin, request)


@receiver(user_logged_in)
def on_logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    actions.logged_in(user, request)


@receiver(user_logged_out)
def on_logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        actions.logged_out(user, request)


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    actions.login_failed(credentials, request)


@receiver(authenticator_added)
def on_authenticator_added(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    actions.second_factor_added(user, request, authenticator)
