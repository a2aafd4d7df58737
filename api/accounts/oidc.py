"""Guichet as an OpenID Connect provider for third-party applications: the claims
it releases about the signed-in citizen, by scope."""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

from .models import Profile


class GuichetOAuth2Validator(OAuth2Validator):
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
