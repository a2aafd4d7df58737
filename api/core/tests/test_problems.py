"""Errors outside DRF views are problem details too: 404, 400, CSRF, 500."""

import pytest
from django.test import Client, override_settings
from django.urls import path

from api.core.problems import invalid_params_from
from api.urls import urlpatterns as base_patterns


def explode(request: object) -> None:
    raise RuntimeError("boom")


urlpatterns = [*base_patterns, path("explode/", explode)]
handler500 = "api.core.problems.handler500"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_unexpected_errors_are_a_500_problem_without_internals() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/explode/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body == {
        "type": "urn:guichet:problem:server-error",
        "title": "Something went wrong on our side.",
        "status": 500,
        "detail": "Something went wrong on our side.",
        "code": "server-error",
    }
    assert "boom" not in response.content.decode()


@pytest.mark.django_db
def test_unknown_host_is_a_400_problem() -> None:
    response = Client().get("/api/health/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "bad-request"


@pytest.mark.django_db
def test_csrf_failure_is_a_403_problem_in_french() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "x"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf-failed"
    assert response.json()["detail"].startswith("Le jeton CSRF")


def test_invalid_params_carry_json_pointers_for_nested_fields() -> None:
    detail = {
        "children": [{}, {"birth/date": ["Too early."]}],
        "non_field_errors": ["Inconsistent."],
        "email": ["Required."],
    }
    params = invalid_params_from(detail, "body")
    assert [(p["name"], p["pointer"], p["reason"]) for p in params] == [
        ("children.1.birth/date", "/children/1/birth~1date", "Too early."),
        ("", "", "Inconsistent."),
        ("email", "/email", "Required."),
    ]
    assert all(p["in"] == "body" for p in params)
