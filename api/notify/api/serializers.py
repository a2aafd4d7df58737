from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import serializers

from api.core import outbound
from api.core.serializers import FlagField, SlugTextField, TextField

from ..fanout import KINDS
from ..models import Notification, State, Webhook

MAX_KINDS = 64


class PushKeySerializer(serializers.Serializer[Any]):
    public_key = serializers.CharField(
        help_text="The VAPID public key (base64url): pushManager.subscribe's applicationServerKey."
    )


class TestResultSerializer(serializers.Serializer[Any]):
    state = serializers.ChoiceField(choices=State.choices, help_text="sent, or failed (then see error).")
    error = serializers.CharField(allow_blank=True)


def check_url(value: str) -> str:
    allow_private = settings.GUICHET_WEBHOOKS_ALLOW_PRIVATE
    schemes = frozenset({"https", "http"} if allow_private else {"https"})
    try:
        outbound.check_url(value, allow_private=allow_private, schemes=schemes)
    except outbound.OutboundError as error:
        raise serializers.ValidationError(
            _("Give an https address on a public host (%(reason)s).") % {"reason": error}
        ) from None
    return value


class WebhookWriteSerializer(serializers.Serializer[Any]):
    procedure = SlugTextField(max_length=80, help_text="The procedure whose requests' events are sent (slug).")
    url = TextField(max_length=2000, help_text="Where to POST them: https, on a public host.")
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=KINDS),
        allow_empty=False,
        max_length=MAX_KINDS,
        help_text="The event kinds to send (domain.verb), e.g. submission.sent, submission.status_changed.",
    )
    description = TextField(max_length=200, required=False, allow_blank=True)
    active = FlagField(required=False, help_text="false pauses deliveries; true starts a disabled webhook again.")
    rotate_secret = FlagField(required=False, write_only=True, help_text="true: a new secret (given once).")

    def validate_url(self, value: str) -> str:
        return check_url(value)

    def validate_kinds(self, value: list[str]) -> list[str]:
        return sorted(set(value))


class WebhookSerializer(serializers.ModelSerializer[Webhook]):
    procedure = serializers.CharField(source="procedure.slug")

    class Meta:
        model = Webhook
        fields = ["id", "procedure", "url", "kinds", "description", "active", "disabled_reason", "created_at"]
        read_only_fields = fields


class CreatedWebhookSerializer(WebhookSerializer):
    secret = serializers.CharField(help_text="Verifies the signatures (Standard Webhooks). Given once: keep it.")

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer[Notification]):
    event = serializers.IntegerField(source="event_id", help_text="The event's id (its webhook-id ends with it).")

    class Meta:
        model = Notification
        fields = [
            "id", "event", "request", "state", "attempts", "response_status", "last_error",
            "created_at", "sent_at", "next_attempt_at",
        ]  # fmt: skip
        read_only_fields = fields
