"""CORS: only configured origins may call the API from a browser."""

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


@override_settings(CORS_ALLOWED_ORIGINS=["https://www.bellerive-sur-orge.example"])
def test_configured_origin_is_allowed_and_others_are_not() -> None:
    client = Client()
    allowed = client.get("/api/categories/", HTTP_ORIGIN="https://www.bellerive-sur-orge.example")
    assert allowed["Access-Control-Allow-Origin"] == "https://www.bellerive-sur-orge.example"
    assert allowed["Access-Control-Allow-Credentials"] == "true"

    refused = client.get("/api/categories/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in refused

    preflight = client.options(
        "/api/procedures/",
        HTTP_ORIGIN="https://www.bellerive-sur-orge.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "https://www.bellerive-sur-orge.example"
