"""Guichet as an OpenID Connect provider for third-party applications: the claims
it releases about the signed-in citizen, by scope."""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.oauth2.rfc6749.errors import InsufficientScopeError  # type: ignore[import-untyped]

from .models import Profile
from .scopes import allowed_scopes

#: Scopes about a person: granted only when a person authorised the application
#: (authorization code), never to an application's own token (client credentials).
PERSON_SCOPES = frozenset({"openid", "email", "profile"})


class GuichetOAuth2Validator(OAuth2Validator):
    def validate_scopes(
        self, client_id: str, scopes: list[str], client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        """Grant what was asked and is allowed to this application; refuse if nothing is."""
        available = set(allowed_scopes(client))
        if getattr(request, "grant_type", None) == "client_credentials":
            available -= PERSON_SCOPES  # no person is behind an application's own token
        granted = [scope for scope in scopes if scope in available]
        if not granted:
            return False
        scopes[:] = granted  # oauthlib issues the token (and says so) with these
        request.scopes = granted
        return True

    def get_userinfo_claims(self, request: Any) -> dict[str, Any]:
        if request.user is None:  # an application's own token: no person to describe
            raise InsufficientScopeError(description="This token was issued to an application, not for a person.")
        return dict(super().get_userinfo_claims(request))

    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "given_name": "profile",
        "family_name": "profile",
        "birthdate": "profile",
        "email": "email",
        "email_verified": "email",
    }

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        profile = Profile.objects.filter(user=user).first()
        from allauth.account.models import EmailAddress

        primary = EmailAddress.objects.filter(user=user, primary=True).first()
        return {
            "given_name": user.first_name,
            "family_name": user.last_name,
            "birthdate": profile.birthdate.isoformat() if profile and profile.birthdate else None,
            "email": user.email,
            "email_verified": bool(primary and primary.verified),
        }
