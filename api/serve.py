"""The web tier: several daphne processes sharing one listening socket.

    python -m api.serve [--app MODULE:ATTRIBUTE]

Binds ``HOST``:``PORT`` (127.0.0.1:8000 by default) once, then starts
``WEB_CONCURRENCY`` daphne processes (by default one per CPU this process may run
on) that each adopt that socket (``daphne --fd``): the kernel hands every new
connection to one of them, so the web tier uses every core. A worker that dies is
started again; SIGTERM or SIGINT stops them all, each finishing what it serves.
On Linux a worker is also told to stop if the launcher itself dies (even killed
outright), so that no worker outlives it serving on a port nobody supervises.

Websockets reach a person whichever process they are connected to through the
channel layer, so several processes need Redis (``REDIS_URL``). Without it (the
embedded default: an in-memory channel layer per process) the tier runs one
process, whatever ``WEB_CONCURRENCY`` asks, and says so.

See docs/decisions/0022-cost-per-request.md."""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from types import FrameType

APP = "api.asgi:application"
#: A worker that dies sooner than this after starting is failing, not crashing once.
FAILING_WITHIN = 5.0
#: prctl(2): the signal a process gets when its parent ends.
PR_SET_PDEATHSIG = 1


def end_with(launcher: int) -> None:
    """In a worker, before daphne starts: SIGTERM when the launcher ends (Linux)."""
    if not sys.platform.startswith("linux"):
        return
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != launcher:  # it ended before the request was made
        os.kill(os.getpid(), signal.SIGTERM)


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def concurrency(environ: dict[str, str] | os._Environ[str] = os.environ) -> tuple[int, str]:
    """How many web processes to run, and why (said at start)."""
    asked = (environ.get("WEB_CONCURRENCY") or "").strip()
    wanted = cpus()
    if asked:
        try:
            wanted = int(asked)
        except ValueError:
            raise SystemExit(f"WEB_CONCURRENCY must be a whole number, not {asked!r}.") from None
        if wanted < 1:
            raise SystemExit("WEB_CONCURRENCY must be at least 1.")
    if wanted > 1 and not environ.get("REDIS_URL"):
        return 1, f"1 web process ({wanted} asked): without REDIS_URL, websockets live in one process"
    return wanted, f"{wanted} web processes" if wanted > 1 else "1 web process"


def listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    server = socket.socket(family, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((host, port))
    server.listen(1024)
    server.set_inheritable(True)
    return server


class Tier:
    def __init__(self, app: str, server: socket.socket, size: int, extra: list[str]) -> None:
        self.app, self.server, self.size, self.extra = app, server, size, extra
        self.workers: dict[int, tuple[subprocess.Popen[bytes], float]] = {}
        self.stopping = False

    def start(self, slot: int) -> None:
        fd = self.server.fileno()
        command = [sys.executable, "-m", "daphne", "--fd", str(fd), *self.extra, self.app]
        environ = {**os.environ, "GUICHET_WEB_WORKER": str(slot)}
        launcher = os.getpid()
        process = subprocess.Popen(  # noqa: S603 - our own interpreter
            command, pass_fds=(fd,), env=environ, preexec_fn=lambda: end_with(launcher)
        )
        self.workers[slot] = (process, time.monotonic())

    def stop(self, signum: int, _frame: FrameType | None = None) -> None:
        self.stopping = True
        for process, _started in self.workers.values():
            if process.poll() is None:
                process.send_signal(signum)

    def run(self) -> int:
        for slot in range(self.size):
            self.start(slot)
        failures = 0
        while self.workers:
            for slot, (process, started) in list(self.workers.items()):
                code = process.poll()
                if code is None:
                    continue
                del self.workers[slot]
                if self.stopping:
                    continue
                failures = failures + 1 if time.monotonic() - started < FAILING_WITHIN else 0
                if failures >= 3:
                    print(f"guichet: web process exits at start (code {code}); stopping.", file=sys.stderr, flush=True)
                    self.stop(signal.SIGTERM)
                    return 1
                said = f"guichet: web process {slot} ended (code {code}); starting it again."
                print(said, file=sys.stderr, flush=True)
                self.start(slot)
            time.sleep(0.2)
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Guichet's web tier: WEB_CONCURRENCY daphne processes.")
    parser.add_argument("--app", default=APP, help="the ASGI application (default: %(default)s)")
    parser.add_argument("daphne", nargs="*", help="more daphne options, after --")
    args = parser.parse_args(argv)
    host = os.environ.get("HOST") or "127.0.0.1"
    port = int(os.environ.get("PORT") or 8000)
    size, why = concurrency()
    server = listen(host, port)
    print(f"guichet: listening on {host}:{port}, {why}.", file=sys.stderr, flush=True)
    tier = Tier(args.app, server, size, args.daphne)
    signal.signal(signal.SIGTERM, tier.stop)
    signal.signal(signal.SIGINT, tier.stop)
    return tier.run()


if __name__ == "__main__":
    sys.exit(main())
