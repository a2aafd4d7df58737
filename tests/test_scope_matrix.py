"""Every OAuth2 scope against every operation: the scopes an operation declares in the
schema are exactly the scopes it lets through.

For each operation of the committed schema and each scope, two tokens carrying only
that scope call it: one a person authorised (the citizen who owns the requests),
one an application's own (attached to the role receiving them). A token that gets
past the access checks must hold a scope the operation declares (public operations
declare none and let anyone through); and every declared scope must let one of the
two through. Each call runs in a transaction rolled back afterwards, so the calls
of one operation see the same world."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model

from tests.test_permission_matrix import MATRIX, call

SCHEMA = yaml.safe_load((Path(__file__).resolve().parent.parent / "schema" / "openapi.yaml").read_text())
REFUSED = {401, 403, 404}


def declared(method: str, path: str) -> tuple[set[str], bool]:
    """The scopes an operation declares, and whether it is public (needs nothing at all)."""
    security = SCHEMA["paths"][path][method.lower()].get("security", [])
    scopes = {scope for requirement in security for scope in requirement.get("oauth2", [])}
    return scopes, security in ([], [{}])


def token(world: dict[str, Any], kind: str, scope: str) -> str:
    Application = get_application_model()
    if kind == "person":
        app = Application.objects.create(
            name="Appli", client_type="public", authorization_grant_type="authorization-code"
        )
        owner = world["people"]["citizen"]
    else:
        app = Application.objects.get(name="Logiciel")  # attached to the receiving role
        owner = None
    name = f"{kind}-{scope}"
    get_access_token_model().objects.create(
        application=app, user=owner, token=name, scope=scope, expires=timezone.now() + timedelta(hours=1)
    )
    world["tokens"][name] = type("T", (), {"token": name})
    return name


@pytest.mark.parametrize(("method", "path"), sorted(MATRIX))
def test_declared_scopes_are_the_enforced_scopes(world: dict[str, Any], method: str, path: str) -> None:
    scopes, public = declared(method, path)
    let_through: set[str] = set()
    for scope in settings.OAUTH2_SCOPES:
        for kind in ("person", "machine"):
            with transaction.atomic():
                persona = token(world, kind, scope)
                status = call(world, persona, method, path).status_code
                transaction.set_rollback(True)
            if status not in REFUSED:
                let_through.add(scope)
    if public:
        assert let_through == set(settings.OAUTH2_SCOPES)
    else:
        assert let_through == scopes, f"declared {sorted(scopes)}, enforced {sorted(let_through)}"
