"""A bounded schemathesis run against the schema the app serves: every
operation, generated inputs, as every kind of caller (anonymous, citizen,
agent, administrator, application), no server error and no response outside
the schema. Every endpoint added later is fuzzed here too."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from importlib import import_module
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from oauth2_provider.models import get_access_token_model, get_application_model
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from api.wsgi import application

# Per operation and per kind of caller (five kinds): about 4,500 requests a run.
MAX_EXAMPLES = 10

# Loaded from the running application (not from the committed file), so the
# fuzzing covers exactly what is served.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture(autouse=True)
def _demo_catalog(demo: None) -> Iterator[None]:
    """Fuzz against the demo catalog, so that reads return real data. As
    Django's test client does, keep the test's connection open between
    requests (it holds the test transaction)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def session_headers(user: Any) -> dict[str, str]:
    """A signed-in session and its CSRF token, made directly (a test Client request
    would reconnect the signal that closes the test's connection)."""
    from django.conf import settings as django_settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.crypto import get_random_string

    store = import_module(django_settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = django_settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    csrf = get_random_string(32)
    return {"Cookie": f"sessionid={store.session_key}; csrftoken={csrf}", "X-CSRFToken": csrf}


@pytest.fixture(params=["anonymous", "citizen", "agent", "staff", "application"])
def caller(request: pytest.FixtureRequest, _demo_catalog: None) -> dict[str, str]:
    """The headers of one kind of caller: nobody, a citizen, an agent of the road
    service, an administrator (sessions with CSRF), an application of that service."""
    from api.accounts import actions as accounts
    from api.accounts.models import ClientAccess, Role, User

    kind = request.param
    if kind == "anonymous":
        return {}
    if kind == "citizen":
        return session_headers(User.objects.create_user("fuzz-citizen", "citizen@example.org"))
    road = Role.objects.get(slug="voirie")
    if kind == "agent":
        agent = User.objects.create_user("fuzz-agent", "agent@example.org")
        accounts.grant_role(agent, road)
        return session_headers(agent)
    if kind == "staff":
        return session_headers(User.objects.create_user("fuzz-admin", is_staff=True, is_superuser=True))
    app = get_application_model().objects.create(
        name="Fuzz", client_type="confidential", authorization_grant_type="client-credentials"
    )
    scopes = ["catalog:read", "agent", "submissions:read", "submissions:write", "procedures:admin"]
    ClientAccess.objects.create(application=app, role=road, scopes=scopes)
    get_access_token_model().objects.create(
        application=app, token="fuzz-app", scope=" ".join(scopes), expires=timezone.now() + timedelta(hours=1)
    )
    return {"Authorization": "Bearer fuzz-app"}


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms(case: Any, caller: dict[str, str]) -> None:
    headers = {"Accept-Language": "en", **caller}
    if case.path.startswith("/api/auth/"):
        # The sign-in API is django-allauth's, specified by allauth: here it is
        # fuzzed for server errors; its flows are tested in api/accounts/tests.
        case.call_and_validate(headers=headers, checks=[not_a_server_error])
        return
    # Positive-data acceptance is left out: a well-formed category slug or cursor
    # can name nothing, and the API rightly answers 400 for it. Server errors,
    # status codes, content types and response schemas are all checked.
    # With a session or a token, the caller is authorised whatever credentials schemathesis
    # generates for the other schemes: "accepts invalid authentication" only holds anonymously.
    excluded = [positive_data_acceptance, *([ignored_auth] if caller else [])]
    case.call_and_validate(headers=headers, excluded_checks=excluded)
