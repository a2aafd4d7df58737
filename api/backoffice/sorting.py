"""The inbox's orders: one per column an agent may sort by, each ascending or
descending. Each key is never NULL (a missing deadline sorts after every deadline,
a request without an account before every name), so that keyset pages walk past it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db.models import CharField, DateTimeField, F, QuerySet, Value
from django.db.models.functions import Coalesce

from api.core.keyset import SortKey, as_text, as_time, ordered

NEVER = datetime(9999, 12, 31, tzinfo=UTC)


SORTS: dict[str, SortKey] = {
    # Sent requests all have a sending time: the plain column keeps the inbox's indexes in use.
    "submitted_at": SortKey(F("submitted_at"), as_time),
    "status_since": SortKey(Coalesce("status_since", "submitted_at", output_field=DateTimeField()), as_time),
    "deadline": SortKey(Coalesce("deadline", Value(NEVER), output_field=DateTimeField()), as_time),
    "reference": SortKey(Coalesce("reference", Value(""), output_field=CharField()), as_text),
    "procedure": SortKey(F("procedure__sort_title"), as_text),
    "status": SortKey(F("status"), as_text),
    # A person's sort name (accounts.User.sort_name): accent- and case-insensitive.
    "citizen": SortKey(Coalesce("owner__sort_name", Value(""), output_field=CharField()), as_text),
    "assignee": SortKey(Coalesce("assignee__sort_name", Value(""), output_field=CharField()), as_text),
}

#: The API's ``ordering`` values: a column, or "-" and a column for the other way.
ORDERINGS = (
    "-submitted_at",
    "submitted_at",
    *(f"{sign}{name}" for name in SORTS if name != "submitted_at" for sign in ("", "-")),
)


def sort_of(ordering: str) -> tuple[SortKey, bool]:
    """The key and whether it runs descending."""
    return SORTS[ordering.removeprefix("-")], ordering.startswith("-")


#: An export's order when its filter names none: the register's, oldest first.
EXPORT_ORDER = "submitted_at"


def in_order(queryset: QuerySet[Any], ordering: str) -> QuerySet[Any]:
    """``queryset`` in one of the inbox's orders, ties by id: the order its pages show."""
    key, descending = sort_of(ordering)
    return ordered(queryset, key, descending=descending)
