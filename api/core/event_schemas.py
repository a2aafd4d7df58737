"""The declared payload of each event kind: ``schema/events/<kind>.json`` (JSON
Schema 2020-12). Tests validate every event the suite records against its kind's
schema; the OpenAPI document carries them as the union a feed's ``payload`` is."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from .events import KINDS, EventRecord

DIRECTORY = Path(__file__).resolve().parents[2] / "schema" / "events"


def declared_files() -> set[str]:
    return {path.stem for path in DIRECTORY.glob("*.json")}


@cache
def payload_schema(kind: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((DIRECTORY / f"{kind}.json").read_text(encoding="utf-8"))
    return schema


@cache
def _validator(kind: str) -> Draft202012Validator:
    schema = payload_schema(kind)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def problems(kind: str, payload: Any) -> list[str]:
    """What is wrong with ``payload`` for ``kind`` (nothing: it is as declared)."""
    if kind not in KINDS:
        return [f"{kind} is not a declared kind"]
    if kind not in declared_files():
        return [f"{kind} has no schema in schema/events/"]
    errors = _validator(kind).iter_errors(payload)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(payload)'}: {e.message}" for e in errors]


def component_name(kind: str) -> str:
    return "EventPayload." + kind


def openapi_component(kind: str) -> dict[str, Any]:
    """The kind's schema as an OpenAPI 3.0 schema object."""
    converted: dict[str, Any] = _to_openapi(
        {k: v for k, v in payload_schema(kind).items() if k not in ("$schema", "$id")}
    )
    return converted


def _to_openapi(node: Any) -> Any:
    if isinstance(node, list):
        return [_to_openapi(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _to_openapi(value) for key, value in node.items()}
    types = converted.get("type")
    if isinstance(types, list):  # ["integer", "null"] → integer, nullable
        rest = [t for t in types if t != "null"]
        converted["type"] = rest[0]
        if "null" in types:
            converted["nullable"] = True
    if converted.get("required") == []:  # OpenAPI 3.0 wants a non-empty list or none
        del converted["required"]
    if "enum" in converted and "type" not in converted:
        converted["type"] = "string"
    return converted


def kinds_of(log: type[EventRecord] | str) -> list[str]:
    label = log if isinstance(log, str) else log.source()
    return sorted(name for name, kind in KINDS.items() if kind.model.source() == label)
