"""Reading a profile, a form with prefill or one's own data writes nothing: no
profile created on the way, no event, no row touched."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from api.accounts.models import AccountEvent, Profile, User

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def writes_of(client: Client, path: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    # The session's own row is the session framework's, not Guichet's data.
    return response.status_code, [
        q["sql"] for q in queries.captured_queries if WRITE.match(q["sql"]) and "django_session" not in q["sql"]
    ]


def test_reads_of_a_person_without_a_profile_write_nothing(demo: Any) -> None:
    anne = User.objects.create_user("anne", email="anne@example.org", first_name="Anne")
    client = Client()
    client.force_login(anne)
    events = AccountEvent.objects.count()
    for path in ("/api/me/", "/api/me/data/", "/api/procedures/acte-etat-civil/form/"):
        status, writes = writes_of(client, path)
        assert status == 200, path
        assert writes == [], path
    assert not Profile.objects.filter(user=anne).exists()
    assert AccountEvent.objects.count() == events
    assert client.get("/api/me/").json()["first_name"] == "Anne"
