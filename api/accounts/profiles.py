"""Read side of profiles: what a person told Guichet, without writing anything
(a person who never saved a profile reads the default one, unsaved)."""

from __future__ import annotations

from typing import Any

from .models import Profile, User


def profile_of(user: User) -> Profile:
    """The person's profile, or an unsaved default one (reads never write)."""
    profile = Profile.objects.filter(user=user).first()
    return profile if profile is not None else Profile(user=user)


def profile_values(user: User, profile: Profile | None = None) -> dict[str, Any]:
    """What forms may prefill from, by profile key."""
    profile = profile or profile_of(user)
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": profile.phone,
        "address": profile.address or None,
        "birthdate": profile.birthdate.isoformat() if profile.birthdate else None,
        "language": profile.language,
    }


def prefill_source(user: Any) -> tuple[dict[str, Any] | None, list[str]]:
    """The profile values forms prefill from and the keys an identity provider vouched
    for; nothing for an anonymous visitor."""
    if not getattr(user, "is_authenticated", False):
        return None, []
    profile = profile_of(user)
    return profile_values(user, profile), list(profile.verified or {})
