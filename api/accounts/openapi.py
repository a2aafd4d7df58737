"""The sign-in API (allauth headless, under /api/auth/) in Guichet's OpenAPI.

allauth publishes its own specification; this drf-spectacular post-processing
hook merges it into Guichet's, with its components renamed (``Auth…``) and its
error responses declared as problem details (see AuthProblemsMiddleware)."""

from __future__ import annotations

import copy
import json
from typing import Any

PREFIX = "Auth"
PROBLEM = {"$ref": "#/components/schemas/Problem"}


def _rename_refs(node: Any, renames: dict[str, str]) -> Any:
    text = json.dumps(node)
    for old, new in renames.items():
        text = text.replace(f'"{old}"', f'"{new}"')
    return json.loads(text)


def _as_problem(response: dict[str, Any]) -> dict[str, Any]:
    content = response.get("content") or {}
    original = (content.get("application/json") or {}).get("schema")
    schema = {"allOf": [PROBLEM, original]} if original else PROBLEM
    return {**response, "content": {"application/problem+json": {"schema": schema}}}


def merge_allauth(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    from allauth.headless.spec.internal.schema import get_schema

    spec = copy.deepcopy(get_schema())
    renames: dict[str, str] = {}
    for kind, items in spec.get("components", {}).items():
        for name in items:
            renames[f"#/components/{kind}/{name}"] = f"#/components/{kind}/{PREFIX}{name}"
    spec = _rename_refs(spec, renames)
    components = result.setdefault("components", {})
    for kind, items in spec.get("components", {}).items():
        target = components.setdefault(kind, {})
        for name, value in items.items():
            target[f"{PREFIX}{name}"] = value
    shared_responses = components.get("responses", {})
    for path, item in spec["paths"].items():
        if "/phone" in path:
            continue  # sign-in by phone is not offered (see api/urls.py)
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            operation["tags"] = ["authentication"]
            name = path.split("/v1/", 1)[-1].strip("/").replace("/", "_").replace("-", "_")
            operation.setdefault("operationId", f"auth_{name}_{method}")
            for status, response in list(operation["responses"].items()):
                if str(status).isdigit() and int(status) >= 400:
                    if "$ref" in response:
                        response = shared_responses[response["$ref"].rsplit("/", 1)[1]]
                    operation["responses"][status] = _as_problem(copy.deepcopy(response))
        result["paths"][path] = item
    return result
