"""Reads write nothing: every GET operation of the schema, for every kind of caller
(the permission matrix's world and calls), runs no INSERT, UPDATE or DELETE — no
session saved, no profile created, no idempotency record, no "last seen" — whether
it answers 200, 304 or a refusal."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from api.accounts.tests.test_reads import WRITE

from .test_permission_matrix import MATRIX, PERSONAS, call, world  # noqa: F401 - the fixture

GETS = sorted(path for method, path in MATRIX if method == "GET")


class Counting(Client):
    """A test client that notes each writing statement its requests run."""

    writes: list[str]
    last: Counting

    def __init__(self) -> None:
        super().__init__()
        self.writes = []
        Counting.last = self

    def request(self, **request: Any) -> Any:
        def note(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            if WRITE.match(sql):
                self.writes.append(sql[:160])
            return execute(sql, params, many, context)

        with connection.execute_wrapper(note):
            return super().request(**request)


@pytest.mark.parametrize("path", GETS)
def test_a_get_writes_nothing(world: dict[str, Any], path: str) -> None:  # noqa: F811
    writes: dict[str, list[str]] = {}
    for persona in PERSONAS:
        response = call(world, persona, "GET", path, client_class=Counting)
        assert response.status_code < 500
        if Counting.last.writes:
            writes[persona] = Counting.last.writes
    assert writes == {}


def test_the_check_sees_a_write() -> None:
    assert WRITE.match('UPDATE "django_session" SET "expire_date" = %s')
    assert WRITE.match(' insert into "core_idempotencyrecord"')
    assert not WRITE.match('SELECT "x" FROM "updates"')


def auth_and_documentation_gets() -> list[str]:
    """The schema's GETs the permission matrix leaves out: sign-in (allauth's) and documentation."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    gets = [path for path, item in schema["paths"].items() if "get" in item and path.startswith("/api/auth/")]
    return [*sorted(gets), "/api/schema/", "/api/docs/"]


#: The one read that writes, by design of the sign-in library: asking for the TOTP setup
#: draws a new secret and keeps it in the session until the person confirms a code with
#: it (the secret cannot travel through the client and back). Nothing else may.
SETUP_SECRET = {"/api/auth/browser/v1/account/authenticators/totp": ['UPDATE "django_session" SET "session_data"']}


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_the_sign_in_and_documentation_reads_write_nothing(signed_in: bool) -> None:
    from api.accounts.models import User

    client = Counting()
    if signed_in:
        client.force_login(User.objects.create_user("anne", email="anne@example.org"))
    writes = {}
    paths = auth_and_documentation_gets()
    assert "/api/auth/browser/v1/auth/session" in paths
    for path in paths:
        client.writes = []
        assert client.get(path).status_code < 500, path
        if client.writes:
            writes[path] = [sql.split(" = ", 1)[0] for sql in client.writes]
    assert writes == (SETUP_SECRET if signed_in else {})
