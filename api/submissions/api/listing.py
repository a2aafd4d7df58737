"""A person's list of requests, printed from plain rows.

"My requests" is the citizen app's busiest read. Printing twenty requests through
``SubmissionSerializer`` makes twenty-odd model objects and walks sixteen DRF fields
for each, which cost more than the query itself. The list reads the same columns
as rows (``values``) and prints them here, into exactly what the serializer prints
(the schema still names ``SubmissionSerializer``; a test compares both on generated
requests)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

from django.utils import timezone
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


def _when(value: Any, zone: tzinfo) -> str | None:
    """As ``_DATETIME`` prints ``value``, without asking for the time zone each time (a
    fifth of the page's printing): the stored, aware dates in ``zone``, ISO 8601 with
    UTC as "Z"; anything else as DRF prints it."""
    if value is None:
        return None
    if not isinstance(value, datetime) or value.tzinfo is None:
        return _DATETIME.to_representation(value)
    try:
        text = value.astimezone(zone).isoformat()
    except OverflowError:
        return _DATETIME.to_representation(value)  # (which says so as DRF does)
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def listed(row: Mapping[str, Any], zone: tzinfo | None = None) -> dict[str, Any]:
    """One request of the list, as ``SubmissionSerializer`` prints it (``zone``: the
    current time zone, if the caller has it)."""
    zone = zone or timezone.get_current_timezone()
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
        "created_at": _when(row["created_at"], zone),
        "updated_at": _when(row["updated_at"], zone),
        "submitted_at": _when(row["submitted_at"], zone),
        "expires_at": _when(row["expires_at"], zone),
    }
