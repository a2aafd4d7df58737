"""Stateful fuzzing: schemathesis walks the schema's links from one answer to the next
(start a draft, read it, save it with its ETag, announce and attach files, send it,
write a message…) with generated data at each step, as someone without an account
(the draft's secret carried by the links) and as a signed-in citizen. No step may
answer a server error, a status or content type outside the schema, or a body that
breaks it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth, negative_data_rejection, positive_data_acceptance

from api.wsgi import application
from tests.test_api_fuzz import call_kwargs, session_caller, spoils_own_cookie

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
# Only Guichet's own operations: the sign-in library's flows are tested on their own.
Workflow = schema.include(path_regex=r"^/api/(?!auth/)").as_state_machine()


@pytest.fixture(autouse=True)
def _demo_catalog(demo: None) -> Iterator[None]:
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "citizen"])
def test_walking_the_links_never_breaks_the_contract(signed_in: bool) -> None:
    caller: dict[str, dict[str, str]] = {}
    if signed_in:
        from api.accounts.models import User

        caller = session_caller(User.objects.create_user("walker", "walker@example.org"))

    class Walk(Workflow):  # type: ignore[misc,valid-type]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return call_kwargs(caller)

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            # A signed-in walker's session authorises it whatever secret schemathesis
            # generates: "accepts invalid authentication" is only meaningful anonymously.
            # So is it for a step that carries the draft's real secret, which a link gave
            # it: the operation takes a session OR that secret, and schemathesis, spoiling
            # the session cookie it generated, still sends the valid secret and gets its
            # 200. Secrets that are wrong are refused in the permission matrix and the
            # hostile probes (tests/hostile/).
            carries_secret = bool((case.headers or {}).get("X-Resume-Token"))
            excluded = [positive_data_acceptance, *([ignored_auth] if signed_in or carries_secret else [])]
            if spoils_own_cookie(case, caller):
                excluded.append(negative_data_rejection)
            case.validate_response(response, excluded_checks=excluded)

    Walk.run(
        settings=settings(
            max_examples=50, stateful_step_count=8, deadline=None, suppress_health_check=list(HealthCheck)
        )
    )
