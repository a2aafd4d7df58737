"""Initial answers for a form, as each field's ``prefill`` asks: from what the
person told Guichet about themselves (their profile, given by the caller) and
from the query string of the link that opened the form."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from .definition import Definition

#: The longest value a query string may prefill.
MAX_QUERY_VALUE = 1000


def prefill(
    definition: Definition,
    profile: Mapping[str, Any] | None,
    verified: Collection[str] = (),
    query: Mapping[str, str] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """Returns (values, locked varnames): a field is locked when it asks to be, or
    when an identity provider vouched for the profile key it takes (``verified``)."""
    values: dict[str, Any] = {}
    locked: list[str] = []
    for _page, field in definition.fields():
        source = field.get("prefill")
        if not source:
            continue
        key = source["key"]
        if source["source"] == "profile" and profile:
            value: Any = profile
            for part in key.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            if value not in (None, "", {}):
                values[field.varname] = value
                if source.get("locked") or key.split(".")[0] in verified:
                    locked.append(field.varname)
        elif source["source"] == "query" and query and key in query:
            values[field.varname] = query[key][:MAX_QUERY_VALUE]
    return values, locked
