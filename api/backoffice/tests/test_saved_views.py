"""Saved inbox views: an agent's own, or shared with one of their roles; replaced by
name; deleted by their owner only; each change in the views' log; a query that is
not an inbox address's is refused, naming the field."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from api.accounts import actions as accounts
from api.accounts.models import Role
from api.backoffice.api.view_serializers import COLUMNS, QUERY_KEYS
from api.backoffice.models import ViewEvent

from .conftest import client_for


def save(client: Any, **body: Any) -> Any:
    return client.post("/api/agent/views/", body, content_type="application/json")


def names(client: Any) -> list[tuple[str, bool]]:
    response = client.get("/api/agent/views/")
    assert response.status_code == 200, response.content
    return [(view["name"], view["mine"]) for view in response.json()]


def test_own_and_shared_views(demo: dict[str, Any]) -> None:
    civil, roads = demo["agents"]["etat-civil"], demo["agents"]["voirie"]
    colleague = get_user_model().objects.create_user("collegue", email="collegue@mairie.example")
    accounts.grant_role(colleague, Role.objects.get(slug="etat-civil"))
    mine = save(client_for(civil), name="Mes reçues", query="status=received&assigned=me&cols=status,assignee")
    assert mine.status_code == 201, mine.content
    shared = save(client_for(civil), name="Échéances", query="deadline_passed=true", role="etat-civil")
    assert (shared.status_code, shared.json()["role"]) == (201, "etat-civil")

    assert set(names(client_for(civil))) == {("Échéances", True), ("Mes reçues", True)}
    assert names(client_for(colleague)) == [("Échéances", False)]
    assert names(client_for(roads)) == []

    # Saved again under the same name: replaced, not doubled.
    again = save(client_for(civil), name="Mes reçues", query="status=received")
    assert (again.status_code, again.json()["id"], again.json()["query"]) == (200, mine.json()["id"], "status=received")
    assert len(names(client_for(civil))) == 2

    # Only the owner deletes; another role does not even see it.
    view = shared.json()["id"]
    assert client_for(roads).delete(f"/api/agent/views/{view}/").status_code == 404
    refused = client_for(colleague).delete(f"/api/agent/views/{view}/")
    assert (refused.status_code, refused.json()["code"]) == (403, "permission-denied")
    assert client_for(civil).delete(f"/api/agent/views/{view}/").status_code == 204
    assert names(client_for(colleague)) == []
    kinds = list(ViewEvent.objects.order_by("id").values_list("kind", "payload__name"))
    assert kinds == [
        ("view.saved", "Mes reçues"),
        ("view.saved", "Échéances"),
        ("view.saved", "Mes reçues"),
        ("view.deleted", "Échéances"),
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "  ", "query": ""}, "name"),
        ({"name": "x" * 81, "query": ""}, "name"),
        ({"name": "V", "query": "password=1"}, "query"),
        ({"name": "V", "query": "cols=status,secret"}, "query"),
        ({"name": "V", "query": "status"}, "query"),
        ({"name": "V", "query": "q=" + "x" * 1000}, "query"),
        ({"name": "V", "query": "", "role": "voirie"}, "role"),
        ({"name": "V", "query": "", "role": "nope!"}, "role"),
        ({"name": 3, "query": ""}, "name"),
        ({"name": "V"}, "query"),
    ],
)
def test_a_view_that_is_not_an_inbox_address_is_refused_naming_the_field(
    demo: dict[str, Any], body: dict[str, Any], field: str
) -> None:
    refused = save(client_for(demo["agents"]["etat-civil"]), **body)
    assert refused.status_code == 400, refused.content
    assert field in [p["name"] for p in refused.json()["invalid_params"]]
    assert not ViewEvent.objects.exists()


def test_citizens_have_no_views(demo: dict[str, Any]) -> None:
    citizen = client_for(demo["citizen"])
    assert citizen.get("/api/agent/views/").status_code == 403
    assert save(citizen, name="V", query="").status_code == 403


def test_views_are_for_sessions_not_tokens(demo: dict[str, Any]) -> None:
    """Even an agent's own token, which reaches the inbox, does not reach saved views."""
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone
    from oauth2_provider.models import get_access_token_model, get_application_model

    app = get_application_model().objects.create(
        name="Appli", client_type="public", authorization_grant_type="authorization-code"
    )
    get_access_token_model().objects.create(
        application=app, user=demo["agents"]["etat-civil"], token="agent-token", scope="agent",
        expires=timezone.now() + timedelta(hours=1),
    )  # fmt: skip
    bearer = Client(HTTP_AUTHORIZATION="Bearer agent-token")
    assert bearer.get("/api/agent/requests/").status_code == 200
    refused = bearer.get("/api/agent/views/")
    assert (refused.status_code, refused.json()["code"]) == (403, "permission-denied")
    assert save(bearer, name="V", query="").status_code == 403


def test_a_view_keeps_whatever_the_inbox_puts_in_its_address(demo: dict[str, Any]) -> None:
    """The parameters and columns a view takes are those the app's inbox writes
    (pwa/src/agents/data.ts: ``searchOf`` and ``COLUMNS``), read from its source."""
    source = (Path(settings.BASE_DIR) / "pwa" / "src" / "agents" / "data.ts").read_text()
    search_of = source[source.index("export function searchOf") :]
    written = set(re.findall(r"params\.set\('([a-z_]+)'", search_of[: search_of.index("\n}\n")]))
    columns = set(re.findall(r"'([a-z_]+)'", source[source.index("export const COLUMNS") :].split("\n")[0]))
    assert written == QUERY_KEYS
    assert columns == COLUMNS
    query = "&".join(f"{key}=x" for key in sorted(written - {"cols"})) + "&cols=" + ",".join(sorted(columns))
    saved = save(client_for(demo["agents"]["etat-civil"]), name="Tout", query=query)
    assert saved.status_code == 201, saved.content
