"""File answers are references, never descriptions: the client names an uploaded
file by its id, and the form engine is given the file's stored name, type and size."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from .definition import Definition


class StoredFile(Protocol):
    field: str

    def as_value(self) -> dict[str, Any]: ...


def bind_files(definition: Definition, data: Mapping[str, Any], owned: Mapping[str, StoredFile]) -> dict[str, Any]:
    """``data`` with each file field's entries replaced by the stored file they name
    (its real name, type and size): an entry naming no file of this field becomes
    invalid, whatever metadata the client wrote in it."""
    bound_data = dict(data)
    for _page, field in definition.fields():
        value = bound_data.get(field.varname)
        if field.type != "file" or value in (None, "", []):
            continue
        entries = value if isinstance(value, list) else [value]
        bound = []
        for entry in entries:
            stored = owned.get(str(entry.get("id"))) if isinstance(entry, dict) else None
            ok = stored is not None and stored.field in ("", field.varname)
            bound.append(stored.as_value() if ok and stored is not None else {"id": ""})
        bound_data[field.varname] = bound
    return bound_data
