"""The real server: daphne serving the API and the built PWA."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import websockets
from websockets.exceptions import ConnectionClosed, InvalidStatus


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_daphne_serves_health_ready_and_the_catalog(daphne_server: Any, demo: None) -> None:
    server = daphne_server()

    status, _, body = fetch(f"{server.url}/api/health/")
    assert (status, json.loads(body)) == (200, {"status": "ok"})
    status, _, body = fetch(f"{server.url}/api/ready/")
    assert status == 200, body
    assert json.loads(body)["status"] == "ready"

    status, headers, body = fetch(f"{server.url}/api/procedures/?q=etat%20civil", **{"Accept-Language": "fr"})
    assert status == 200
    assert [p["slug"] for p in json.loads(body)["results"]] == ["acte-etat-civil", "inscription-listes-electorales"]
    assert headers["ETag"]
    status, _, _ = fetch(f"{server.url}/api/procedures/?q=etat%20civil", **{"If-None-Match": headers["ETag"]})
    assert status == 304

    status, headers, body = fetch(f"{server.url}/api/procedures/?category=nope")
    assert status == 400
    assert headers["Content-Type"] == "application/problem+json"


def test_daphne_serves_the_pwa_with_immutable_hashed_assets(daphne_server: Any, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>Guichet</title>")
    (dist / "assets" / "index-B2x9k_Qe.js").write_text("console.log('guichet')")
    (dist / "service-worker.js").write_text("self.addEventListener('fetch', () => {})")
    server = daphne_server(GUICHET_PWA_DIST=str(dist))

    status, headers, body = fetch(f"{server.url}/")
    assert status == 200
    assert b"<title>Guichet</title>" in body
    assert "immutable" not in headers.get("Cache-Control", "")

    status, headers, _ = fetch(f"{server.url}/assets/index-B2x9k_Qe.js")
    assert status == 200
    assert "immutable" in headers["Cache-Control"]
    assert "max-age=315360000" in headers["Cache-Control"]

    status, headers, _ = fetch(f"{server.url}/service-worker.js")
    assert status == 200
    assert "immutable" not in headers.get("Cache-Control", "")


def test_daphne_sends_the_builds_compressed_copies_to_browsers_that_accept_them(
    daphne_server: Any, tmp_path: Path
) -> None:
    import gzip

    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>Guichet</title>")
    script = ("console.log('guichet');\n" * 200).encode()
    name = dist / "assets" / "main-B2x9k_Qe.js"
    name.write_bytes(script)
    # As the build writes them (pwa/vite.config.ts); brotli's copy stands for itself.
    name.with_name(name.name + ".gz").write_bytes(gzip.compress(script))
    name.with_name(name.name + ".br").write_bytes(b"brotli copy")
    (dist / "widgets.js").write_text("export {};")
    server = daphne_server(GUICHET_PWA_DIST=str(dist), GUICHET_EMBED_ORIGINS="https://www.ville.example")
    url = f"{server.url}/assets/main-B2x9k_Qe.js"

    status, headers, body = fetch(url, **{"Accept-Encoding": "gzip, deflate, br"})
    assert (status, headers.get("Content-Encoding"), body) == (200, "br", b"brotli copy")
    assert "Accept-Encoding" in headers["Vary"]
    assert "immutable" in headers["Cache-Control"]
    status, headers, body = fetch(url, **{"Accept-Encoding": "gzip"})
    assert (status, headers.get("Content-Encoding"), gzip.decompress(body)) == (200, "gzip", script)
    status, headers, body = fetch(url, **{"Accept-Encoding": "identity"})
    assert (status, headers.get("Content-Encoding"), body) == (200, None, script)
    # The widgets' code may be loaded by the embedding sites' pages (module scripts use
    # CORS), and by no other; the app's page is no one's.
    status, headers, _ = fetch(f"{server.url}/widgets.js", Origin="https://www.ville.example")
    assert (status, headers["Access-Control-Allow-Origin"]) == (200, "https://www.ville.example")
    assert headers["Cache-Control"] == "public, max-age=300" and "Origin" in headers["Vary"]
    status, headers, _ = fetch(url, Origin="https://www.ville.example")
    assert headers["Access-Control-Allow-Origin"] == "https://www.ville.example"
    status, headers, _ = fetch(f"{server.url}/widgets.js", Origin="https://www.ailleurs.example")
    assert status == 200 and "Access-Control-Allow-Origin" not in headers
    status, headers, _ = fetch(f"{server.url}/")
    assert status == 200 and "Access-Control-Allow-Origin" not in headers
    status, headers, body = fetch(f"{server.url}/manifest.webmanifest")  # drawn from the theme
    assert (status, headers["Content-Type"]) == (200, "application/manifest+json")
    assert json.loads(body)["theme_color"] == "#1d4e89"


def test_swagger_and_redoc_are_served_without_a_cdn(daphne_server: Any) -> None:
    server = daphne_server()
    for page in ("/api/docs/", "/api/redoc/"):
        status, _, body = fetch(f"{server.url}{page}")
        assert status == 200
        html = body.decode()
        assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html
        assert "/static/drf_spectacular_sidecar/" in html
    status, _, body = fetch(f"{server.url}/api/schema/?format=json")
    assert status == 200
    assert json.loads(body)["info"]["title"] == "Guichet API"
    # The served contract is the committed file, whatever the caller's language.
    committed = (Path(__file__).resolve().parent.parent / "schema" / "openapi.yaml").read_bytes()
    for language in ("fr", "en", "de"):
        status, _, served = fetch(f"{server.url}/api/schema/", **{"Accept-Language": language})
        assert (status, served) == (200, committed)
    assert "Which way in" in json.loads(body)["info"]["description"]  # the integration guide


@pytest.mark.asyncio
async def test_websocket_origins_are_checked_like_cors(daphne_server: Any) -> None:
    server = daphne_server(CORS_ALLOWED_ORIGINS="https://www.bellerive.example")
    ws_url = server.url.replace("http://", "ws://") + "/ws/anything/"
    with pytest.raises(InvalidStatus) as refused:
        async with websockets.connect(ws_url, origin="https://evil.example"):  # type: ignore[arg-type]
            pass
    assert refused.value.response.status_code == 403
    # An allowed origin passes the origin check, and then finds no route: closed with 4404
    # (a refused origin, a refused connection or a server error would all fail here).
    for origin in ("https://www.bellerive.example", server.url):
        async with websockets.connect(ws_url, origin=origin) as socket:  # type: ignore[arg-type]
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(socket.recv(), timeout=10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4404
    assert "Traceback" not in server.log.read_text()


@pytest.mark.parametrize(
    ("given", "thresholds"),
    [(None, "(50000, 20, 10)"), ("20000,30,5", "(20000, 30, 5)"), ("", "(700, 10, 10)"), ("1,2", None), ("x", None)],
)
def test_the_web_process_sets_its_garbage_collectors_thresholds(given: str | None, thresholds: str | None) -> None:
    """Decision 0014: the web process lets short-lived objects die young (a full
    collection with thousands of sockets open stalls them all); set by one variable,
    refused with a clear message when malformed."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "GUICHET_ENV": "test"}
    env.pop("GUICHET_WEB_GC_THRESHOLDS", None)
    if given is not None:
        env["GUICHET_WEB_GC_THRESHOLDS"] = given
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", "import gc, api.asgi; print(gc.get_threshold())"],
        cwd=root, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    if thresholds is None:
        assert done.returncode != 0
        assert "GUICHET_WEB_GC_THRESHOLDS must be three positive whole numbers" in done.stderr
    else:
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == thresholds


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("GUICHET_MAP_TILES", "tiles.example.org/{z}/{x}/{y}.png", "GUICHET_MAP_TILES must be an http(s) address"),
        ("GUICHET_MAP_TILES", "https://tiles.example.org/{z}/{x}.png", "GUICHET_MAP_TILES must be an http(s) address"),
        ("GUICHET_MAP_CENTER", "48.8", "GUICHET_MAP_CENTER must be 'latitude,longitude'"),
        ("GUICHET_MAP_CENTER", "148.8,2.3", "GUICHET_MAP_CENTER must be 'latitude,longitude'"),
        ("GUICHET_MAP_ZOOM", "25", "GUICHET_MAP_ZOOM must be between 1 and 19"),
    ],
)
def test_a_malformed_map_setting_is_refused_at_start_naming_it(name: str, value: str, message: str) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "GUICHET_ENV": "test", "GUICHET_MAP_TILES": "https://tiles.example.org/{z}/{x}/{y}.png"}
    env[name] = value
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", "import django; django.setup()"],
        cwd=root, env={**env, "DJANGO_SETTINGS_MODULE": "api.settings"}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode != 0
    assert message in done.stderr
