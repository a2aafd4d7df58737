"""Data sources against a real local HTTP server: fetch, cache, limits and address checks."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import override_settings

from api.forms import datasources
from api.forms.datasources import DataSourceError
from api.forms.definition import parse

ROUTES: dict[str, tuple[int, bytes, float]] = {
    "/quartiers.json": (200, json.dumps([{"id": "centre", "text": "Centre"}, {"id": 2, "text": "Gare"}]).encode(), 0),
    "/wrapped.json": (200, json.dumps({"data": [{"id": "a", "text": "A"}, {"bad": 1}]}).encode(), 0),
    "/big.json": (200, b"[" + b'{"id":"x","text":"x"},' * 60000 + b"{}]", 0),
    "/html": (200, b"<html>nope</html>", 0),
    "/slow.json": (200, b"[]", 2.0),
    "/redirect": (302, b"", 0),
}


class Handler(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        Handler.hits.append(self.path)
        status, body, delay = ROUTES.get(self.path, (404, b"", 0))
        time.sleep(delay)
        self.send_response(status)
        if status == 302:
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(autouse=True)
def fresh_hits() -> None:
    Handler.hits.clear()  # (the cache is emptied before every test by the root conftest)


@override_settings(GUICHET_DATA_SOURCES_ALLOW_PRIVATE=True)
def test_fetches_and_caches_choices(server: str) -> None:
    url = f"{server}/quartiers.json"
    first = datasources.choices_for(url, ttl=60)
    second = datasources.choices_for(url, ttl=60)
    assert [(c.id, c.text) for c in first] == [("centre", "Centre"), ("2", "Gare")]
    assert second == first
    assert Handler.hits == ["/quartiers.json"]
    assert [(c.id, c.text) for c in datasources.fetch(f"{server}/wrapped.json")] == [("a", "A")]


def test_loopback_and_private_addresses_are_refused_by_default(server: str) -> None:
    for url in (f"{server}/quartiers.json", "http://10.0.0.1/x.json", "http://[::1]/x.json", "http://169.254.169.254/"):
        with pytest.raises(DataSourceError, match="non-public"):
            datasources.fetch(url)
    assert Handler.hits == []


@override_settings(GUICHET_DATA_SOURCES_ALLOW_PRIVATE=True)
@pytest.mark.parametrize(
    ("path", "reason"),
    [("/big.json", "larger"), ("/html", "not JSON"), ("/missing", "404"), ("/redirect", "302")],
)
def test_bad_answers_are_refused(server: str, path: str, reason: str) -> None:
    with pytest.raises(DataSourceError, match=reason):
        datasources.fetch(server + path)


@override_settings(GUICHET_DATA_SOURCES_ALLOW_PRIVATE=True)
def test_a_slow_source_times_out(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(datasources, "TIMEOUT_SECONDS", 0.3)
    # The source answers after 2 s: the fetch fails by its own timeout (not by a clock read here).
    with pytest.raises(DataSourceError, match="request failed: TimeoutError") as failed:
        datasources.fetch(f"{server}/slow.json")
    assert isinstance(failed.value.__cause__.__cause__, TimeoutError)  # data source ← outbound call ← the timeout


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://x"])
def test_only_http_urls(url: str) -> None:
    with pytest.raises(DataSourceError, match="only http"):
        datasources.fetch(url)


@override_settings(GUICHET_DATA_SOURCES_ALLOW_PRIVATE=True)
def test_resolve_gives_each_field_its_choices_and_nothing_for_a_failing_source(server: str) -> None:
    definition = parse(
        {
            "schema_version": 1,
            "pages": [
                {
                    "id": "p",
                    "title": "P",
                    "fields": [
                        {
                            "type": "choice",
                            "varname": "q",
                            "label": "Q",
                            "data_source": {"url": f"{server}/quartiers.json"},
                        },
                        {
                            "type": "multichoice",
                            "varname": "m",
                            "label": "M",
                            "data_source": {"url": f"{server}/missing"},
                        },
                    ],
                }
            ],
        }
    )
    resolved = datasources.resolve(definition)
    assert [c.id for c in resolved["/pages/0/fields/0"]] == ["centre", "2"]
    assert resolved["/pages/0/fields/1"] == []
