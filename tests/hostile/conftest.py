"""What the hostile probes share: a procedure anyone may fill in, a real daphne
server started as the Procfile runs it, and a small HTTP client that never
raises on an error status (the status is what the probes look at)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

FORM = {
    "schema_version": 1,
    "pages": [
        {
            "id": "vous",
            "title": "Vous",
            "fields": [
                {"type": "text", "varname": "nom", "label": "Nom", "required": True},
                {"type": "date", "varname": "naissance", "label": "Date de naissance"},
                {
                    "type": "file",
                    "varname": "photos",
                    "label": "Photos",
                    "accept": ["image/jpeg", "image/png"],
                    "max_files": 3,
                },
            ],
        }
    ],
}
SECRET = "probe-secret-of-the-first-caller-0123456789"
OTHER_SECRET = "probe-secret-of-another-caller-9876543210"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def code(self) -> str | None:
        try:
            return self.json().get("code")
        except (ValueError, AttributeError):
            return None


class Http:
    """Calls to one server: JSON in, any status out."""

    def __init__(self, base: str) -> None:
        self.base = base

    def __call__(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        data = raw
        all_headers = {"Accept-Language": "en", **(headers or {})}
        if body is not None:
            data = json.dumps(body).encode()
            all_headers.setdefault("Content-Type", "application/json")
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=all_headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return Answer(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), error.read())


@pytest.fixture
def form_procedure(catalog: Callable[..., Any]) -> Any:
    from api.catalog import actions

    procedure = catalog("probe", title="Probe", tracking_codes=True)
    actions.save_definition(procedure, FORM)
    procedure.refresh_from_db()
    return procedure


@pytest.fixture
def served(daphne_server: Callable[..., Any], form_procedure: Any) -> Callable[..., tuple[Any, Http]]:
    """Start a server (extra environment as keyword arguments) and a client for it."""

    def start(**env: str) -> tuple[Any, Http]:
        server = daphne_server(**env)
        return server, Http(server.url)

    return start


def new_draft(http: Http, secret: str = SECRET, data: dict[str, Any] | None = None, **headers: str) -> Answer:
    return http(
        "POST",
        "/api/procedures/probe/submissions/",
        {"data": data or {"nom": "Anne"}},
        headers={"X-Resume-Token": secret, **headers},
    )
