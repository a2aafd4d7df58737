from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from api.core.serializers import FlagField, TextField
from api.forms.definition import Field
from api.forms.fields import CLEANERS, Context
from api.forms.messages import message

from .. import preferences
from ..models import Language, Profile


def _clean(kind: str, value: Any) -> Any:
    """Check a value as the form engine does, so profile and forms agree."""

    field = Field(type=kind, varname=kind, pointer="", options={})
    cleaned, errors = CLEANERS[kind](field, value, Context(timezone.localdate()))
    if errors:
        code, params = errors[0]
        raise serializers.ValidationError(message(code, **params), code=code)
    return cleaned


class TopicsSerializer(serializers.Serializer[Any]):
    """For each kind of news, the channels to use (an empty list: none)."""

    def get_fields(self) -> dict[str, Any]:
        return {
            topic: serializers.ListField(
                child=serializers.ChoiceField(choices=preferences.CHANNELS),
                required=False,
                max_length=len(preferences.CHANNELS),
                help_text=text,
            )
            for topic, text in preferences.TOPICS.items()
        }

    def to_internal_value(self, data: Any) -> Any:
        unknown = sorted(set(data) - set(preferences.TOPICS)) if isinstance(data, dict) else []
        if unknown:
            raise serializers.ValidationError({name: [_("There is no such kind of news.")] for name in unknown})
        return super().to_internal_value(data)


class NotificationsSerializer(serializers.Serializer[Any]):
    """How the person wants to be told. Unchanged keys may be left out."""

    email = FlagField(required=False, help_text="Emails may be sent (a switch for every topic).")
    push = FlagField(required=False, help_text="Push notifications may be sent to subscribed devices.")
    sms = FlagField(required=False, help_text="Text messages may be sent to the profile's phone.")
    topics = TopicsSerializer(
        required=False,
        help_text="Per kind of news, the channels in use. Where none were chosen: push when a device is "
        "subscribed, else email.",
    )
    new_requests = serializers.ChoiceField(
        choices=preferences.NEW_REQUEST_MODES,
        required=False,
        help_text="Agents: new requests for their roles at once, in a daily digest, or not at all.",
    )


class AddressSerializer(serializers.Serializer[Any]):
    street = TextField(max_length=200)
    complement = TextField(max_length=200, required=False, allow_blank=True)
    postcode = TextField(max_length=5)
    city = TextField(max_length=200)

    def validate(self, attrs: dict[str, Any]) -> Any:
        return _clean("address", attrs)


class ProfileSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(
        read_only=True, help_text="The account's id (an agent's, as the back office names them)."
    )
    first_name = TextField(max_length=150, allow_blank=True, required=False)
    last_name = TextField(max_length=150, allow_blank=True, required=False)
    email = serializers.EmailField(
        read_only=True,
        allow_null=True,
        help_text="Changed through /api/auth/ (with verification); null for an account without an address.",
    )
    phone = TextField(max_length=20, allow_blank=True, required=False)
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
        "id": user.pk,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email or None,
        "phone": profile.phone,
        "address": profile.address or None,
        "birthdate": profile.birthdate,
        "language": profile.language,
        "notifications": preferences.effective(
            profile.notifications,
            has_push=user.push_subscriptions.exists(),
            has_phone=bool(profile.phone),
        ),
        "verified": profile.verified,
        "roles": list(user.roles.values_list("slug", flat=True)),
    }


def _base64url_bytes(value: str, size: int, what: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (ValueError, binascii.Error):
        raise serializers.ValidationError(_("Give %(what)s in base64url.") % {"what": what}) from None
    if len(raw) != size or (size == 65 and raw[0] != 4):
        raise serializers.ValidationError(_("This is not %(what)s.") % {"what": what})
    return value


class PushKeysSerializer(serializers.Serializer[Any]):
    p256dh = TextField(max_length=100, help_text="The subscription's P-256 public key (base64url, 65 bytes).")
    auth = TextField(max_length=50, help_text="The subscription's authentication secret (base64url, 16 bytes).")

    def validate_p256dh(self, value: str) -> str:
        return _base64url_bytes(value, 65, _("an uncompressed P-256 public key"))

    def validate_auth(self, value: str) -> str:
        return _base64url_bytes(value, 16, _("a 16-byte secret"))


class PushSubscribeSerializer(serializers.Serializer[Any]):
    """What ``PushSubscription.toJSON()`` gives in the browser, and a name for the device."""

    endpoint = TextField(max_length=2000, help_text="The push service's address for this device.")
    keys = PushKeysSerializer()
    device = TextField(max_length=120, required=False, allow_blank=True, help_text="A name to recognise it.")

    def validate_endpoint(self, value: str) -> str:
        parts = urlsplit(value)
        schemes = {"https"} if settings.PRODUCTION else {"https", "http"}
        if parts.scheme not in schemes or not parts.hostname:
            raise serializers.ValidationError(_("A push endpoint is an https address."))
        return value


class PushSubscriptionSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    endpoint = serializers.CharField()
    device = serializers.CharField()
    created_at = serializers.DateTimeField()
    last_success_at = serializers.DateTimeField(allow_null=True)
