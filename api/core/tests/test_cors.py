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


EMBEDDER = "https://www.ville.example"


@override_settings(GUICHET_EMBED_ORIGINS=[EMBEDDER], CORS_ALLOWED_ORIGINS=[EMBEDDER])
def test_a_site_that_embeds_guichet_may_call_the_api_and_frame_the_app_and_no_other() -> None:
    client = Client()
    allowed = client.get("/api/procedures/", HTTP_ORIGIN=EMBEDDER)
    assert allowed["Access-Control-Allow-Origin"] == EMBEDDER
    refused = client.get("/api/procedures/", HTTP_ORIGIN="https://www.ailleurs.example")
    assert "Access-Control-Allow-Origin" not in refused
    app = client.get("/demarches/")
    assert f"frame-ancestors 'self' {EMBEDDER}" in app["Content-Security-Policy"]
    assert "X-Frame-Options" not in app
    # The widgets' replayable writes with a draft's secret pass the preflight; ETag is readable.
    preflight = client.options(
        "/api/procedures/acte-etat-civil/submissions/",
        HTTP_ORIGIN=EMBEDDER,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type,idempotency-key,x-resume-token,if-match",
    )
    assert preflight["Access-Control-Allow-Origin"] == EMBEDDER
    allowed_headers = preflight["Access-Control-Allow-Headers"]
    assert {"idempotency-key", "x-resume-token", "if-match"} <= set(allowed_headers.split(", "))
    assert "ETag" in allowed["Access-Control-Expose-Headers"]
    api = client.get("/api/procedures/")  # data is never framed
    assert "frame-ancestors 'none'" in api["Content-Security-Policy"] and api["X-Frame-Options"] == "DENY"


def test_without_embedding_sites_nothing_may_frame_the_app() -> None:
    app = Client().get("/demarches/")
    assert "frame-ancestors 'none'" in app["Content-Security-Policy"]
    assert app["X-Frame-Options"] == "DENY"


def test_embedding_sites_are_added_to_the_cors_origins() -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if not k.startswith(("GUICHET_", "CORS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="api.settings",
        GUICHET_ENV="test",
        CORS_ALLOWED_ORIGINS="https://app.example",
        GUICHET_EMBED_ORIGINS=f"{EMBEDDER},https://app.example",
    )
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings as s; "
         "print(s.CORS_ALLOWED_ORIGINS)"],
        cwd=Path(__file__).resolve().parents[3], env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert done.stdout.strip() == str(["https://app.example", EMBEDDER])
