"""The last touches to the OpenAPI document, so that it says what the API does and
clients generated from it work:

- who may call each operation (``security``), as the views enforce it: public
  operations need nothing; a request's operations take a session, a person's
  token with ``submissions:write``, an agent's token (``agent``) where agents
  act, or nothing but the draft's ``X-Resume-Token``;
- ``X-Resume-Token`` on every operation that accepts it, ``Idempotency-Key``
  with its constraints, the response headers each answer carries (``ETag``,
  ``Location``, ``Last-Modified``, ``Idempotent-Replayed``, ``Retry-After``),
  ``429`` where a limit applies, ``304`` where a conditional read applies;
- a summary per operation, the tags in reading order, Guichet's operations
  before the sign-in library's, and the integration guide as the description;
- events' payloads as the union of their kinds' declared schemas (schema/events/).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "integration-guide.md"
COOKIE: dict[str, list[str]] = {"cookieAuth": []}
ANYONE: dict[str, list[str]] = {}
PERSON_WRITES = {"oauth2": ["submissions:write"]}
AGENTS = {"oauth2": ["agent"]}
APPS_READING = {"oauth2": ["submissions:read"]}
APPS_PROCESSING = {"oauth2": ["requests:process"]}
APPS_READING_REQUESTS = {"oauth2": ["requests:read"]}
RESUME: dict[str, list[str]] = {"resumeToken": []}
RESUME_SCHEME = {
    "type": "apiKey",
    "in": "header",
    "name": "X-Resume-Token",
    "description": "Without an account: the secret of a draft, given when it was started (or chosen then).",
}

PUBLIC = {
    "health", "ready", "categories_list", "procedures_list", "procedures_retrieve", "procedures_form",
    "procedures_validate", "tracking", "attachments_signed_download",
}  # fmt: skip
# A request's operations, by who may call them besides its owner (session, token or resume secret).
DRAFT_OWNER = {
    "submissions_create", "submissions_save", "submissions_delete", "submissions_submit", "submissions_check",
    "submissions_correct", "attachments_delete",
}  # fmt: skip
OWNER_OR_AGENT = {"messages_create", "attachments_upload", "uploads_create", "uploads_append"}
OWNER_OR_READERS = {
    "submissions_retrieve", "submissions_form", "submissions_history", "messages_list", "attachments_download",
    "attachments_link", "uploads_retrieve",
}  # fmt: skip
RESUME_OPERATIONS = (DRAFT_OWNER | OWNER_OR_AGENT | OWNER_OR_READERS) - {"submissions_create"}
LIMITED = {
    "submissions_create",
    "procedures_validate",
    "messages_create",
    "attachments_upload",
    "uploads_create",
    "theme_import",
}
ETAG = {
    "submissions_create", "submissions_retrieve", "submissions_save", "submissions_submit", "submissions_correct",
    "procedures_list", "procedures_retrieve", "procedures_form", "categories_list", "theme_retrieve", "theme_css",
}  # fmt: skip
CONDITIONAL = {"procedures_list", "procedures_retrieve", "procedures_form", "categories_list"}
ETAG_ONLY = {"theme_retrieve", "theme_css"}  # revalidated by their ETag alone
LOCATION = {"submissions_create", "uploads_create"}
TAGS = [
    ("catalog", "The municipality's procedures and their categories."),
    ("forms", "Procedure forms: their definitions, versions, checks, import and export."),
    ("submissions", "Requests: drafts, sending, files, messages, corrections, follow-up and the event feed."),
    ("accounts", "The signed-in person: profile, requests, personal data."),
    ("agents", "What agents of a role may see and do."),
    ("theme", "The municipality's look: design tokens, as JSON and as a stylesheet."),
    ("operations", "Health and readiness, for monitoring."),
    ("authentication", "Sign-in, sign-up and account security (django-allauth headless)."),
]
RESUME_PARAMETER = {
    "in": "header",
    "name": "X-Resume-Token",
    "schema": {"type": "string"},
    "description": "Without an account: the draft's secret, which opens it and its files.",
}
HEADERS = {
    "ETag": {"schema": {"type": "string"}, "description": "The version of what was returned; send it in If-Match."},
    "Location": {"schema": {"type": "string"}, "description": "Where the created resource is."},
    "Last-Modified": {"schema": {"type": "string"}, "description": "When what was returned last changed."},
    "Idempotent-Replayed": {
        "schema": {"type": "string", "enum": ["true"]},
        "description": "Present on a replay of an Idempotency-Key: this is the first response again.",
    },
    "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before trying again."},
}
PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def _link(operation_id: str, id_from: str, secret_from: str, **extra: str) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "parameters": {"path.id": id_from, "header.X-Resume-Token": secret_from, **extra},
    }


_NEW_DRAFT = ("$response.body#/id", "$response.body#/resume_token")
_SAME_DRAFT = ("$request.path.id", "$request.header.X-Resume-Token")
_NEW_FILE = ("$response.body#/id", "$request.header.X-Resume-Token")
#: What can follow an answer (OpenAPI links): for generated clients, and for the
#: stateful fuzzing that walks them (create a draft, save it, attach a file, send it…).
LINKS: dict[tuple[str, str], dict[str, dict[str, Any]]] = {
    ("submissions_create", "201"): {
        "Read": _link("submissions_retrieve", *_NEW_DRAFT),
        "Save": _link("submissions_save", *_NEW_DRAFT, **{"header.If-Match": "$response.header.ETag"}),
        "Check": _link("submissions_check", *_NEW_DRAFT),
        "Send": _link("submissions_submit", *_NEW_DRAFT),
        "Delete": _link("submissions_delete", *_NEW_DRAFT),
        "AnnounceFile": _link("uploads_create", *_NEW_DRAFT),
        "AttachFile": _link("attachments_upload", *_NEW_DRAFT),
        "History": _link("submissions_history", *_NEW_DRAFT),
        "Form": _link("submissions_form", *_NEW_DRAFT),
    },
    ("submissions_save", "200"): {
        "SaveAgain": _link("submissions_save", *_SAME_DRAFT, **{"header.If-Match": "$response.header.ETag"}),
        "Send": _link("submissions_submit", *_SAME_DRAFT),
    },
    ("submissions_submit", "200"): {
        "Read": _link("submissions_retrieve", *_SAME_DRAFT),
        "Messages": _link("messages_list", *_SAME_DRAFT),
        "Write": _link("messages_create", *_SAME_DRAFT),
        "History": _link("submissions_history", *_SAME_DRAFT),
    },
    ("uploads_create", "201"): {
        "Where": _link("uploads_retrieve", *_NEW_FILE),
        "Send": _link("uploads_append", *_NEW_FILE, **{"header.Upload-Offset": "0"}),
    },
    ("attachments_upload", "201"): {
        "Download": _link("attachments_download", *_NEW_FILE),
        "Link": _link("attachments_link", *_NEW_FILE),
        "Remove": _link("attachments_delete", *_NEW_FILE),
    },
}


def _operations(result: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in result["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "responses" in operation
    ]


def _summary(operation: dict[str, Any]) -> str:
    text = (operation.get("description") or "").strip().split("\n\n")[0].replace("\n", " ")
    if text:
        first = text.split(". ")[0].split(": ")[0].rstrip(".")
        return first[:100]
    return str(operation.get("operationId", "")).replace("_", " ").capitalize()


def _headers(response: dict[str, Any], *names: str) -> None:
    if "$ref" in response:
        return
    headers = response.setdefault("headers", {})
    for name in names:
        headers.setdefault(name, HEADERS[name])


def _security(operation_id: str, current: Any) -> Any:
    if operation_id in PUBLIC:
        return []  # explicitly none: generated clients call it without credentials
    if operation_id == "submissions_create":
        return [COOKIE, PERSON_WRITES, ANYONE]
    if operation_id in DRAFT_OWNER:
        return [COOKIE, PERSON_WRITES, RESUME]
    if operation_id == "me_submissions_list":
        return [COOKIE, PERSON_WRITES]
    if operation_id in OWNER_OR_AGENT:
        return [COOKIE, PERSON_WRITES, AGENTS, APPS_PROCESSING, RESUME]
    if operation_id in OWNER_OR_READERS:
        return [COOKIE, PERSON_WRITES, AGENTS, APPS_READING, APPS_READING_REQUESTS, APPS_PROCESSING, RESUME]
    return current


def _typed_nullables(node: Any) -> None:
    """A nullable reference (``allOf`` + ``nullable``) gets its ``type``, as OpenAPI 3.0 requires."""
    if isinstance(node, dict):
        if node.get("nullable") and "type" not in node and "allOf" in node:
            node["type"] = "object"
        for value in node.values():
            _typed_nullables(value)
    elif isinstance(node, list):
        for value in node:
            _typed_nullables(value)


def finish(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    info = result.setdefault("info", {})
    if GUIDE.exists():
        info["description"] = GUIDE.read_text(encoding="utf-8")
    info.setdefault("license", {"name": "AGPL-3.0-or-later", "url": "https://www.gnu.org/licenses/agpl-3.0.html"})
    result["servers"] = [{"url": "/", "description": "This Guichet"}]
    result.setdefault("components", {}).setdefault("securitySchemes", {})["resumeToken"] = RESUME_SCHEME
    result["tags"] = [{"name": name, "description": description} for name, description in TAGS]
    # Guichet's own operations first, then the sign-in library's (browser client only).
    paths = result["paths"]
    ordered = {p: v for p, v in paths.items() if not p.startswith("/api/auth/")}
    ordered |= {p: v for p, v in paths.items() if p.startswith("/api/auth/browser/")}
    result["paths"] = ordered
    for _path, _method, operation in _operations(result):
        operation_id = operation.get("operationId", "")
        operation.setdefault("summary", _summary(operation))
        security = operation.get("security")
        if security is not None:
            security = [COOKIE if "SessionToken" in requirement else requirement for requirement in security]
        operation["security"] = _security(operation_id, security if security else [ANYONE])
        parameters = operation.setdefault("parameters", [])
        names = {(p.get("in"), p.get("name")) for p in parameters if isinstance(p, dict)}
        if operation_id in RESUME_OPERATIONS and ("header", "X-Resume-Token") not in names:
            parameters.append(RESUME_PARAMETER)
        for parameter in parameters:
            if isinstance(parameter, dict) and parameter.get("name") == "Idempotency-Key":
                parameter["schema"] = {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[ -~]+$"}
        if not parameters:
            operation.pop("parameters")
        responses = operation["responses"]
        for status, response in responses.items():
            if str(status).startswith("2"):
                if ("header", "Idempotency-Key") in names:
                    _headers(response, "Idempotent-Replayed")
                if operation_id in ETAG:
                    _headers(response, "ETag")
                if operation_id in CONDITIONAL:
                    _headers(response, "Last-Modified")
                if operation_id in LOCATION and str(status) == "201":
                    _headers(response, "Location")
            if str(status) in {"429", "503"}:
                _headers(response, "Retry-After")
        for status, links in ((s, links) for (o, s), links in LINKS.items() if o == operation_id):
            if status in responses and "$ref" not in responses[status]:
                responses[status]["links"] = links
        if ("header", "Idempotency-Key") in names and "422" not in responses:
            responses["422"] = {
                "content": PROBLEM,
                "description": "This Idempotency-Key was already used for another request (idempotency-key-reused).",
            }
        if operation_id in LIMITED and "429" not in responses:
            responses["429"] = {"content": PROBLEM, "description": "Too many attempts: wait as Retry-After says."}
            _headers(responses["429"], "Retry-After")
        if (operation_id in CONDITIONAL or operation_id in ETAG_ONLY) and "304" not in responses:
            responses["304"] = {"description": "Not modified since the ETag sent in If-None-Match."}
    _event_payloads(result.setdefault("components", {}).setdefault("schemas", {}))
    _typed_nullables(result.get("components", {}).get("schemas", {}))
    return result


def _event_payloads(schemas: dict[str, Any]) -> None:
    """Each log's ``payload`` becomes the union of its kinds' declared payloads."""
    from .event_schemas import component_name, kinds_of, openapi_component

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            log = node.pop("x-event-log", None)
            if log is not None:
                # The most specific first: a client trying each variant in turn (as
                # generated clients do) takes the first that fits.
                kinds = sorted(kinds_of(log), key=lambda k: (-len(openapi_component(k).get("required", [])), k))
                for kind in kinds:
                    schemas[component_name(kind)] = openapi_component(kind)
                node.clear()
                node["anyOf"] = [{"$ref": f"#/components/schemas/{component_name(kind)}"} for kind in kinds]
                node["readOnly"] = True
                node["description"] = (
                    "What happened, as declared for the event's kind (the title of each variant): "
                    + ", ".join(kinds)
                    + "."
                )
                return
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(dict(schemas))
