from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from api.forms.definition import Field
from api.forms.fields import CLEANERS, Context
from api.forms.messages import message

from ..models import Language, Profile


def _clean(kind: str, value: Any) -> Any:
    """Check a value as the form engine does, so profile and forms agree."""

    field = Field(type=kind, varname=kind, pointer="", options={})
    cleaned, errors = CLEANERS[kind](field, value, Context(timezone.localdate()))
    if errors:
        code, params = errors[0]
        raise serializers.ValidationError(message(code, **params), code=code)
    return cleaned


class NotificationsSerializer(serializers.Serializer[Any]):
    email = serializers.BooleanField(help_text="Send emails when a request changes.")
    push = serializers.BooleanField(help_text="Send push notifications when a request changes.")


class AddressSerializer(serializers.Serializer[Any]):
    street = serializers.CharField(max_length=200)
    complement = serializers.CharField(max_length=200, required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=5)
    city = serializers.CharField(max_length=200)

    def validate(self, attrs: dict[str, Any]) -> Any:
        return _clean("address", attrs)


class ProfileSerializer(serializers.Serializer[Any]):
    first_name = serializers.CharField(max_length=150, allow_blank=True, required=False)
    last_name = serializers.CharField(max_length=150, allow_blank=True, required=False)
    email = serializers.EmailField(read_only=True, help_text="Changed through /api/auth/ (with verification).")
    phone = serializers.CharField(max_length=20, allow_blank=True, required=False)
    address = AddressSerializer(required=False, allow_null=True)
    birthdate = serializers.DateField(required=False, allow_null=True)
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    notifications = NotificationsSerializer(required=False)
    verified = serializers.DictField(
        read_only=True, help_text="Fields vouched for by an identity provider: {field: {provider, at}}; locked."
    )
    roles = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Slugs of the agent's roles."
    )

    def validate_phone(self, value: str) -> str:
        return _clean("phone", value) if value.strip() else ""

    def validate_birthdate(self, value: date | None) -> date | None:
        if value is not None and value > timezone.localdate():
            raise serializers.ValidationError(_("A date of birth cannot be in the future."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        profile: Profile | None = self.context.get("profile")
        locked = sorted(name for name in attrs if profile is not None and name in profile.verified)
        if locked:
            raise serializers.ValidationError(
                {name: [_("This field was verified by an identity provider and cannot be changed.")] for name in locked}
            )
        if "address" in attrs and attrs["address"] is None:
            attrs["address"] = {}
        return attrs


def profile_data(profile: Profile) -> dict[str, Any]:
    user = profile.user
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": profile.phone,
        "address": profile.address or None,
        "birthdate": profile.birthdate,
        "language": profile.language,
        "notifications": profile.notifications,
        "verified": profile.verified,
        "roles": list(user.roles.values_list("slug", flat=True)),
    }
