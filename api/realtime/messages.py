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


# One serializer of each shape, bound once and used for every message (its
# to_representation keeps nothing between calls, whichever thread calls it). A new
# serializer per event, its fields pointing at it and back, was a reference cycle
# per delivery, with the event and its request attached, left for the garbage
# collector: at 100 changes per second, the garbage that made the server's
# collections come often enough to stall it (decision 0014).
_ENVELOPE = EventEnvelopeSerializer()
_EVENT = EventSerializer()
_ENVELOPE.fields, _EVENT.fields  # bound here, not by two threads at once  # noqa: B018


def event(viewer: Viewer, log: str, record: Any) -> dict[str, Any]:
    if log == "job":
        body = dict(_ENVELOPE.to_representation(record))
        body["payload"] = record.payload
        return {"type": "event", "log": log, "position": record.position, "event": body}
    return {
        "type": "event",
        "log": log,
        "position": record.position,
        "event": dict(_EVENT.to_representation(record)),
        "request": _request(viewer, record.submission),
    }
