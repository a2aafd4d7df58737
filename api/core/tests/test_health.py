"""Liveness and readiness, with real dependencies (and a really unreachable one)."""

from typing import Any

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_health_answers_without_touching_anything() -> None:
    response = APIClient().get("/api/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_ready_checks_database_channel_layer_and_task_backend() -> None:
    response = APIClient().get("/api/ready/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "channel_layer", "task_backend"}
    assert all(check["ok"] for check in body["checks"].values())


def test_ready_is_a_503_problem_when_the_channel_layer_is_unreachable(unused_tcp_port: Any) -> None:
    unreachable = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{unused_tcp_port}/0"]},
        }
    }
    with override_settings(CHANNEL_LAYERS=unreachable):
        response = APIClient().get("/api/ready/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "5"
    body = response.json()
    assert body["code"] == "not-ready"
    assert body["detail"] == "Not reachable: channel_layer."
    assert body["checks"]["channel_layer"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
