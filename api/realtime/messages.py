"""What the websocket says: each message's shape is declared in
schema/realtime/server-message.schema.json (and what clients may send in
client-message.schema.json); tests validate every message they receive."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from api.core.serializers import EventEnvelopeSerializer
from api.submissions.models import Submission
from api.submissions.presentation import EventSerializer, citizen_status

from .streams import AGENT, Viewer, with_language

#: Close codes (4000-4999 belong to the application).
BAD_REQUEST = 4400
UNAUTHENTICATED = 4401
FORBIDDEN = 4403
TOO_LARGE = 1009


def hello(viewer: Viewer, positions: dict[str, int], heartbeat: float) -> dict[str, Any]:
    return {"type": "hello", "stream": viewer.stream, "positions": positions, "heartbeat": heartbeat}


def heartbeat() -> dict[str, Any]:
    return {"type": "heartbeat", "at": timezone.now().isoformat()}


def refetch(log: str, position: int) -> dict[str, Any]:
    """Too much was missed to replay: read the current state over REST, then follow from ``position``."""
    return {"type": "refetch", "log": log, "position": position}


def error(code: str, detail: str) -> dict[str, Any]:
    return {"type": "error", "code": code, "detail": detail}


def _request(viewer: Viewer, submission: Submission | None) -> dict[str, Any] | None:
    if submission is None:
        return None
    if viewer.stream == AGENT:
        return {
            "id": str(submission.pk),
            "reference": submission.reference,
            "status": submission.status,
            "role": submission.role_id,
            "assignee": submission.assignee_id,
        }
    with with_language(viewer):
        labels = citizen_status(submission)
    return {"id": str(submission.pk), "reference": submission.reference, "status": submission.citizen_status, **labels}


def event(viewer: Viewer, log: str, record: Any) -> dict[str, Any]:
    if log == "job":
        body = dict(EventEnvelopeSerializer(record).data)
        body["payload"] = record.payload
        return {"type": "event", "log": log, "position": record.position, "event": body}
    return {
        "type": "event",
        "log": log,
        "position": record.position,
        "event": dict(EventSerializer(record).data),
        "request": _request(viewer, record.submission),
    }
