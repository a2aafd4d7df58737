"""Under daphne a request crosses from the event loop to a thread once, for the view:
no middleware in the chain is sync only (Django would wrap it, and every request
would hop to a thread and back around it)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core.handlers.asgi import ASGIHandler
from django.test import override_settings


@override_settings(DEBUG=True)  # Django says which handlers it adapts only in debug mode
def test_no_middleware_makes_a_request_hop_threads(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="django.request"):
        ASGIHandler()
    adapted = [r.getMessage() for r in caplog.records if "adapted" in r.getMessage()]
    assert adapted == []


@override_settings(MIDDLEWARE=["api.core.tests.test_middleware_chain.SyncOnly"], DEBUG=True)
def test_the_check_sees_a_sync_only_middleware(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="django.request"):
        ASGIHandler()
    assert any("SyncOnly" in r.getMessage() for r in caplog.records)


class SyncOnly:
    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        return self.get_response(request)
