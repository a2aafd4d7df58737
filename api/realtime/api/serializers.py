from __future__ import annotations

from typing import Any

from rest_framework import serializers

from api.core.serializers import TextField, UUIDTextField


class TicketRequestSerializer(serializers.Serializer[Any]):
    stream = serializers.ChoiceField(
        choices=[("citizen", "citizen"), ("agent", "agent"), ("request", "request")],
        required=False,
        help_text="citizen: my requests; agent: my roles' requests and my jobs; request: one request "
        "(default: request when a code is given, agent for an agent, else citizen).",
    )
    tracking_code = TextField(
        required=False, min_length=8, max_length=8, help_text="request: the request's 8-character tracking code."
    )
    request = UUIDTextField(required=False, help_text="request: its id, with its resume token in X-Resume-Token.")
    language = serializers.ChoiceField(
        choices=[("fr", "fr"), ("en", "en")], required=False, help_text="Labels in messages (default: Accept-Language)."
    )


class TicketSerializer(serializers.Serializer[Any]):
    ticket = serializers.CharField(help_text="Good once, until expires_at.")
    expires_at = serializers.DateTimeField()
    url = serializers.CharField(help_text="The websocket address with the ticket.")
