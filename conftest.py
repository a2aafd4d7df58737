"""Fixtures shared by every test: a catalog factory and a real daphne server."""

from __future__ import annotations

import http.client
import os
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from hypothesis import settings as hypothesis_settings

ROOT = Path(__file__).resolve().parent

# Property tests check behaviour, not speed (speed is the benchmarks' subject): on a
# loaded CI machine one example of a form validation took 311 ms against Hypothesis's
# default 200 ms deadline and failed a green run. No deadline; everything else as is.
hypothesis_settings.register_profile("guichet", deadline=None)
hypothesis_settings.load_profile("guichet")


@pytest.fixture(scope="session", autouse=True)
def _events_are_as_declared() -> Iterator[None]:
    """Every event the suite records, in any test, must validate against its kind's
    schema (schema/events/<kind>.json); checked once at the end of the session,
    naming the first test that recorded each faulty kind."""
    from django.db.models.signals import post_save

    from api.core.event_schemas import problems
    from api.core.events import EventRecord

    recorded: list[tuple[str, Any, str]] = []

    def collect(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
        if created and isinstance(instance, EventRecord):
            recorded.append((instance.kind, instance.payload, os.environ.get("PYTEST_CURRENT_TEST", "")))

    post_save.connect(collect, weak=False, dispatch_uid="guichet-events-as-declared")
    yield
    post_save.disconnect(dispatch_uid="guichet-events-as-declared")
    faulty: dict[str, str] = {}
    for kind, payload, test in recorded:
        if kind not in faulty and (found := problems(kind, payload)):
            faulty[kind] = f"{'; '.join(found)} (payload {payload!r}, first in {test})"
    assert faulty == {}, "events that do not match their declared schema"
    seen = Path("var") / "events-recorded.txt"
    if seen.parent.is_dir():
        seen.write_text("\n".join(sorted({kind for kind, _payload, _test in recorded})) + "\n", encoding="utf-8")


def empty_cache() -> None:
    """Empty this test worker's cache. With Redis, only this worker's keys: the cache's
    own ``clear()`` is FLUSHDB, which empties the other parallel workers' too (a test
    of one worker then saw a single-use ticket of the other's accepted twice)."""
    from django.conf import settings
    from django.core.cache import cache

    if settings.REDIS_URL:
        client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
        for key in client.scan_iter(match=f"{settings.REDIS_PREFIX}:*", count=1000):
            client.delete(key)
    else:
        cache.clear()


@pytest.fixture
def clear_cache() -> Any:
    return empty_cache


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache (rate limits, data sources) and no compiled
    workflow kept from another test (a rolled-back test database gives ids again,
    which a real one never does), nor catalog page kept from another test."""
    from api.catalog.pages import PAGES
    from api.workflows.library import forget_compiled

    empty_cache()
    forget_compiled()
    PAGES.clear()


@pytest.fixture(autouse=True)
def _postgresql_only(request: pytest.FixtureRequest) -> None:
    """Tests marked ``postgresql`` need its locking; CI's second pass runs them."""
    if request.node.get_closest_marker("postgresql"):
        from django.conf import settings

        if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
            pytest.skip("configuration: PostgreSQL only (CI's second pass runs it)")


@pytest.fixture
def catalog(db: Any) -> Callable[..., Any]:
    """Create a procedure (and its category) through the catalog's actions."""
    from api.catalog import actions
    from api.catalog.models import ProcedureState

    def make(slug: str = "demarche", *, category: str = "general", **fields: Any) -> Any:
        cat, _ = actions.upsert_category(category, {"title": fields.pop("category_title", category.title())})
        defaults: dict[str, Any] = {
            "title": slug.replace("-", " ").capitalize(),
            "summary": f"Résumé de {slug}",
            "category": cat,
            "state": ProcedureState.PUBLISHED,
        }
        defaults.update(fields)
        procedure, _ = actions.upsert_procedure(slug, defaults)
        return procedure

    return make


@pytest.fixture
def demo(db: Any) -> None:
    from django.core.management import call_command

    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url() -> str:
    """The URL of the database the test is using, for a server process to share it."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        name = Path(settings["NAME"])
        if not name.is_absolute():
            name = ROOT / name
        return f"sqlite:///{name}"
    user = settings.get("USER") or ""
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{settings.get('HOST') or '127.0.0.1'}:{settings.get('PORT') or 5432}/{settings['NAME']}"


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited: {log.read_text()}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    pytest.fail(f"the server did not open port {port}: {log.read_text()}")


def wait_until_serving(port: int, process: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    """Until the web tier answers its health check. Its launcher opens the port before
    any worker has started (connections wait in the socket's queue meanwhile): an
    open port is not yet a server that answers in time."""
    wait_for_port(port, process, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited: {log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health/", timeout=5) as response:
                if response.status == 200:
                    return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.1)
    pytest.fail(f"the server on port {port} did not answer: {log.read_text()}")


def procfile_web(port: int) -> list[str]:
    """The Procfile's ``web`` command, as honcho would run it, on 127.0.0.1:``port``."""
    line = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    command = line.split(":", 1)[1].replace("${HOST:-127.0.0.1}", "127.0.0.1").replace("${PORT:-8000}", str(port))
    words = shlex.split(command)
    assert words[0] == "python", words
    return [sys.executable, *words[1:]]


class Server:
    def __init__(self, url: str, process: subprocess.Popen[bytes], log: Path) -> None:
        self.url = url
        self.process = process
        self.log = log


@pytest.fixture
def daphne_server(transactional_db: Any, tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start `python -m daphne api.asgi:application` on a free port, sharing the test database."""
    started: list[Server] = []

    def start(**extra_env: str | None) -> Server:
        if (connection.vendor == "sqlite" and connection.settings_dict["NAME"] in ("", ":memory:")) or (
            "mode=memory" in str(connection.settings_dict["NAME"])
        ):
            pytest.fail("daphne tests need a file SQLite test database (GUICHET_TEST_SQLITE)")
        port = free_port()
        env = {
            **os.environ,
            "GUICHET_ENV": "test",
            "DATABASE_URL": database_url(),
            "GUICHET_VAR_DIR": str(tmp_path),
            "PORT": str(port),  # as honcho sets it
            "PUBLIC_URL": f"http://127.0.0.1:{port}",
            **{name: value for name, value in extra_env.items() if value is not None},
        }
        for name in [name for name, value in extra_env.items() if value is None]:
            env.pop(name, None)  # None: leave the variable unset
        env.pop("GUICHET_TEST_SQLITE", None)
        log = tmp_path / f"daphne-{port}.log"
        process = subprocess.Popen(
            procfile_web(port),
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        server = Server(f"http://127.0.0.1:{port}", process, log)
        started.append(server)
        wait_until_serving(port, process, log)
        return server

    yield start
    for server in started:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
