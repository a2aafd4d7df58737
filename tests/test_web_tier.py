"""The Procfile's web tier (api/serve.py): WEB_CONCURRENCY daphne processes on one
socket, one per CPU by default, one only without Redis; a dead one started again;
all stopped by SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.serve import concurrency, cpus
from conftest import ROOT, free_port, procfile_web


def children(pid: int) -> set[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False).stdout
    return {int(word) for word in out.split()}


def wait_until(check: object, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def health(url: str) -> int:
    port = int(url.rsplit(":", 1)[1])

    def accepting() -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0

    wait_until(accepting)
    with urllib.request.urlopen(f"{url}/api/health/", timeout=20) as response:
        return int(response.status)


@pytest.fixture
def tier(tmp_path: Path) -> Iterator[object]:
    started: list[subprocess.Popen[bytes]] = []

    def start(**env: str) -> tuple[subprocess.Popen[bytes], str, Path]:
        port = free_port()
        log = tmp_path / f"web-{port}.log"
        base = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "WEB_CONCURRENCY", "GUICHET_TEST_SQLITE"}}
        process = subprocess.Popen(
            procfile_web(port),
            cwd=ROOT,
            env={
                **base,
                "GUICHET_ENV": "test",
                "GUICHET_VAR_DIR": str(tmp_path),
                "DATABASE_URL": f"sqlite:///{tmp_path / 'web.sqlite3'}",
                "PORT": str(port),
                **env,
            },
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        return process, f"http://127.0.0.1:{port}", log

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_how_many_processes() -> None:
    every = f"{cpus()} web processes" if cpus() > 1 else "1 web process"
    assert concurrency({"REDIS_URL": "redis://x"}) == (cpus(), every)
    assert concurrency({"REDIS_URL": "redis://x", "WEB_CONCURRENCY": "3"})[0] == 3
    size, why = concurrency({"WEB_CONCURRENCY": "4"})
    assert size == 1
    assert "REDIS_URL" in why
    for wrong in ("0", "-2", "deux", "1.5"):
        with pytest.raises(SystemExit):
            concurrency({"REDIS_URL": "redis://x", "WEB_CONCURRENCY": wrong})


def test_the_web_tier_runs_a_process_per_core_restarts_one_that_dies_and_stops_on_sigterm(tier: object) -> None:
    # Redis is never reached by the health check: its address only allows several processes.
    process, url, log = tier(WEB_CONCURRENCY="2", REDIS_URL="redis://127.0.0.1:9/0")  # type: ignore[operator]
    wait_until(lambda: len(children(process.pid)) == 2)
    for _ in range(6):
        assert health(url) == 200
    first = children(process.pid)
    victim = sorted(first)[0]
    os.kill(victim, signal.SIGKILL)
    wait_until(lambda: len(children(process.pid)) == 2 and victim not in children(process.pid))
    assert health(url) == 200
    workers = children(process.pid)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
    assert "2 web processes" in log.read_text()


def test_no_worker_outlives_a_launcher_killed_outright(tier: object) -> None:
    process, url, _log = tier(WEB_CONCURRENCY="2", REDIS_URL="redis://127.0.0.1:9/0")  # type: ignore[operator]
    wait_until(lambda: len(children(process.pid)) == 2)
    assert health(url) == 200
    workers = children(process.pid)
    process.kill()
    process.wait()

    def ended(pid: int) -> bool:
        return not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()

    wait_until(lambda: all(ended(pid) for pid in workers))


def test_without_redis_the_tier_is_one_process(tier: object) -> None:
    process, url, log = tier(WEB_CONCURRENCY="3")  # type: ignore[operator]
    assert health(url) == 200
    assert len(children(process.pid)) == 1
    assert "without REDIS_URL" in log.read_text()


def test_the_procfile_runs_the_tier() -> None:
    assert procfile_web(8123)[1:] == ["-m", "api.serve"]
    assert procfile_web(8123)[0] == sys.executable
