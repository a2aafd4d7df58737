"""A person's list of requests, printed from plain rows.

"My requests" is the citizen app's busiest read. Printing twenty requests through
``SubmissionSerializer`` makes twenty-odd model objects and walks sixteen DRF fields
for each, which cost more than the query itself. The list reads the same columns
as rows (``values``) and prints them here, into exactly what the serializer prints
(the schema still names ``SubmissionSerializer``; a test compares both on generated
requests)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers

from ..presentation import status_shown

#: The columns read, by their ``values()`` names.
COLUMNS = (
    "id", "state", "citizen_status", "workflow_version_id", "data", "requested_fields", "revision",
    "reference", "tracking_code", "created_at", "updated_at", "submitted_at", "expires_at",
    "procedure__slug", "procedure__title", "version__number",
)  # fmt: skip

#: Dates print as the serializer's own field prints them (the current time zone, ISO 8601).
_DATETIME = serializers.DateTimeField()


def _when(value: Any) -> str | None:
    return None if value is None else _DATETIME.to_representation(value)


def listed(row: Mapping[str, Any]) -> dict[str, Any]:
    """One request of the list, as ``SubmissionSerializer`` prints it."""
    shown = status_shown(row["citizen_status"], row["workflow_version_id"])
    return {
        "id": str(row["id"]),
        "procedure": {"slug": row["procedure__slug"], "title": row["procedure__title"]},
        "version": row["version__number"],
        "state": row["state"],
        "status": row["citizen_status"],
        "status_label": shown["status_label"],
        "status_colour": shown["status_colour"],
        "data": row["data"],
        "requested_fields": row["requested_fields"],
        "revision": row["revision"],
        "reference": row["reference"],
        "tracking_code": row["tracking_code"],
        "created_at": _when(row["created_at"]),
        "updated_at": _when(row["updated_at"]),
        "submitted_at": _when(row["submitted_at"]),
        "expires_at": _when(row["expires_at"]),
    }
