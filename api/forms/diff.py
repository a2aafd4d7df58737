"""What changed between two definitions, in terms an administrator reads:
pages by id, fields by varname (a field that changes page is "moved")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _fields(document: Mapping[str, Any]) -> dict[str, tuple[str, int, dict[str, Any]]]:
    return {
        item["varname"]: (page["id"], index, item)
        for page in document.get("pages", [])
        for index, item in enumerate(page.get("fields", []))
    }


def _changed(before: Mapping[str, Any], after: Mapping[str, Any], ignore: set[str]) -> dict[str, list[Any]]:
    keys = (before.keys() | after.keys()) - ignore
    return {key: [before.get(key), after.get(key)] for key in sorted(keys) if before.get(key) != after.get(key)}


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A list of changes, each {change, page?, varname?, changes?}, pages first then fields."""
    changes: list[dict[str, Any]] = []
    old_pages = {page["id"]: page for page in old.get("pages", [])}
    new_pages = {page["id"]: page for page in new.get("pages", [])}
    for page_id in old_pages.keys() - new_pages.keys():
        changes.append({"change": "page_removed", "page": page_id})
    for position, page_id in enumerate(new_pages):
        if page_id not in old_pages:
            changes.append({"change": "page_added", "page": page_id, "position": position})
            continue
        page_changes = _changed(old_pages[page_id], new_pages[page_id], {"fields"})
        if list(old_pages).index(page_id) != position:
            page_changes["position"] = [list(old_pages).index(page_id), position]
        if page_changes:
            changes.append({"change": "page_changed", "page": page_id, "changes": page_changes})

    old_fields, new_fields = _fields(old), _fields(new)
    for name in sorted(old_fields.keys() - new_fields.keys()):
        changes.append({"change": "field_removed", "varname": name, "page": old_fields[name][0]})
    for name, (page_id, _index, item) in new_fields.items():
        if name not in old_fields:
            changes.append({"change": "field_added", "varname": name, "page": page_id, "field": item})
            continue
        old_page, _old_index, old_item = old_fields[name]
        field_changes = _changed(old_item, item, set())
        if old_page != page_id:
            changes.append({"change": "field_moved", "varname": name, "page": page_id, "from_page": old_page})
        if field_changes:
            changes.append({"change": "field_changed", "varname": name, "page": page_id, "changes": field_changes})
    return changes
