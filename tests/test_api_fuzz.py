"""A bounded schemathesis run against the schema the app serves: every
operation, generated inputs, no server error and no response outside the schema.
Every endpoint added later is fuzzed here too."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.wsgi import application

MAX_EXAMPLES = 40

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


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms(case: Any) -> None:
    if case.path.startswith("/api/auth/"):
        # The sign-in API is django-allauth's, specified by allauth: here it is
        # fuzzed for server errors; its flows are tested in api/accounts/tests.
        case.call_and_validate(headers={"Accept-Language": "en"}, checks=[not_a_server_error])
        return
    # Positive-data acceptance is left out: a well-formed category slug or cursor
    # can name nothing, and the API rightly answers 400 for it. Server errors,
    # status codes, content types and response schemas are all checked.
    case.call_and_validate(headers={"Accept-Language": "en"}, excluded_checks=[positive_data_acceptance])
