"""Every field a request body fills takes only its own JSON type. DRF's text fields
take numbers and booleans (``"last_name": 0`` is stored as "0"), its boolean field
takes 0, 1 and "yes", its integer field "12" and 12.0: a client that sends the wrong
type gets a 400 naming the field, as the schema says, not a silent conversion.

The body serializers are found in the code (each ``XSerializer(data=...)`` outside
the query-string ones, where every value is text by nature), so one added later is
held to the rule too."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path
from typing import Any

from rest_framework import serializers

import api
from api.core.serializers import FlagField, WholeNumberField, _GivenAsText

ROOT = Path(__file__).resolve().parent.parent
PARSED = re.compile(r"\b([A-Z]\w*Serializer)\(data=")


def body_serializers() -> dict[str, type[serializers.BaseSerializer[Any]]]:
    """Every class so named in a serializers module (two modules may share a name)."""
    names = set()
    for path in (ROOT / "api").rglob("*.py"):
        if "tests" not in path.parts and "migrations" not in path.parts:
            names |= {name for name in PARSED.findall(path.read_text()) if not name.endswith("QuerySerializer")}
    found: dict[str, type[serializers.BaseSerializer[Any]]] = {}
    for module in pkgutil.walk_packages(api.__path__, "api."):
        if ".tests" in module.name or ".migrations" in module.name or not module.name.endswith("serializers"):
            continue
        for name, value in vars(importlib.import_module(module.name)).items():
            if name in names and isinstance(value, type) and issubclass(value, serializers.BaseSerializer):
                found[f"{module.name}.{name}"] = value
    missing = names - {key.rsplit(".", 1)[1] for key in found}
    assert not missing, f"body serializers not found in a serializers module: {sorted(missing)}"
    return found


def lax_fields(field: Any, path: str) -> list[str]:
    if isinstance(field, serializers.ListSerializer):
        return lax_fields(field.child, path + "[]")
    if isinstance(field, serializers.Serializer):
        return [
            lax
            for name, child in field.fields.items()
            if not child.read_only
            for lax in lax_fields(child, f"{path}.{name}")
        ]
    if isinstance(field, serializers.ListField | serializers.DictField) and field.child is not None:
        return lax_fields(field.child, path + "[]")
    lax = (
        (isinstance(field, serializers.CharField) and not isinstance(field, _GivenAsText))
        or (isinstance(field, serializers.BooleanField) and not isinstance(field, FlagField))
        or (isinstance(field, serializers.IntegerField) and not isinstance(field, WholeNumberField))
    )
    return [f"{path} ({type(field).__name__})"] if lax else []


def test_every_body_field_takes_only_its_own_json_type() -> None:
    found = body_serializers()
    assert len(found) >= 15, sorted(found)
    lax = [
        entry
        for name, serializer in sorted(found.items())
        for entry in lax_fields(serializer(), name.rsplit(".", 1)[1])
    ]
    assert lax == [], "use TextField, FlagField or WholeNumberField (api/core/serializers.py) for: " + ", ".join(lax)
