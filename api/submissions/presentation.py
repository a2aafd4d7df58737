"""How a request and its events are shown outside (the API, the websocket, webhooks,
notifications): the status a citizen reads, and an event's shape. Outside the
``api/`` package so that every channel shows them the same way."""

from __future__ import annotations

from django.utils.translation import get_language
from rest_framework import serializers

from api.core.serializers import EventEnvelopeSerializer, payload_field
from api.workflows.library import compiled

from .models import Submission


def citizen_status(submission: Submission) -> dict[str, str]:
    """The status the citizen is shown, as their request's workflow version names it:
    its label in the language asked for (French otherwise) and colour; empty while a draft."""
    return status_shown(submission.citizen_status, submission.workflow_version_id)


def status_shown(citizen_status: str, workflow_version_id: int | None) -> dict[str, str]:
    """``citizen_status`` from a request's two columns."""
    status = None
    if citizen_status and workflow_version_id is not None:
        status = compiled(workflow_version_id).status(citizen_status)
    if status is None:
        return {"status_label": "", "status_colour": ""}
    language = "en" if (get_language() or "fr").startswith("en") else "fr"
    return {"status_label": status.citizen_label.get(language), "status_colour": status.colour}


class EventSerializer(EventEnvelopeSerializer):
    """An event of a request's log (history, tracking, the event feed)."""

    submission = serializers.UUIDField(source="submission_uuid", read_only=True)
    procedure = serializers.CharField(source="procedure.slug", read_only=True, help_text="The procedure (slug).")
    payload = payload_field("submissions.event")
