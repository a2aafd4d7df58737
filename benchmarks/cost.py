"""Cost per request: Guichet's web tier against bare DRF views, on PostgreSQL.

Both are served as the Procfile serves Guichet (``python -m api.serve``: WEB_CONCURRENCY
daphne processes, by default one per CPU, Redis for the channel layer and cache),
Guichet in production settings. Three interleaved rounds measure, on each side:

- submit: a citizen without an account starts a draft of a 20-field form with its
  answers and sends it (two requests, each with an Idempotency-Key and the draft's
  secret, as the app and the widgets do), at 1, 2 and 8 clients; the bare side does
  one POST validating the same 20 fields and storing them in one INSERT. Target:
  Guichet's submits per second at least 0.3 times the bare side's requests per second,
  and p95 under 150 ms at 8 clients;
- "my requests": a signed-in citizen's first page (20 among their 10,000 requests,
  100,000 in all) and the catalog, at 1 and 2 clients. Target: at least 0.5 times the
  bare side's rate (the same rows read by one hand-written SELECT).

Beside each figure: the web processes' CPU per operation (/proc), PostgreSQL
transactions and new connections per operation (pg_stat_database), resident memory
per web process; for Guichet, the statements, savepoints and commits of one
operation counted in-process on the same database (api.core.querycount).

Run: make bench (writes benchmarks/results/cost.json). Needs PostgreSQL
(BENCH_COST_DATABASE_URL, by default postgres://postgres@127.0.0.1:5432/guichet_bench_cost;
generated data kept between runs) and Redis (BENCH_REDIS_URL, database 3 by default).
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
URL = os.environ.get("BENCH_COST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/guichet_bench_cost")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")
SECONDS = float(os.environ.get("BENCH_SECONDS", "6"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
TOTAL, MINE = 100_000, 10_000
RESULTS = ROOT / "benchmarks" / "results" / "cost.json"
# One secret for this process (which signs the citizen's session) and the web tier.
os.environ.update(
    DATABASE_URL=URL, DJANGO_SETTINGS_MODULE="api.settings", GUICHET_ENV="test", SECRET_KEY=secrets.token_urlsafe(48)
)

import aiohttp  # noqa: E402
import psycopg  # noqa: E402

from benchmarks import floor  # noqa: E402

#: What the issue measured before this work (same machine class, same form), for the table.
BEFORE = {
    "submit": {1: 20.6, 2: 26.4, 8: 29.9},
    "submit_bare": {1: 285, 2: 298, 8: 315},
    "submit_p95_ms_1": 59,
    "submit_cpu_ms": 26.7,
    "submit_statements": 31,
    "submit_commits": 7,
    "submit_new_connections": 2,
    "mine": {1: 22.5, 2: 34.7},
    "mine_commits_per_get": 5,
}


def ensure_database() -> None:
    base, _slash, name = URL.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def prepare() -> dict[str, Any]:
    """Migrate, then make the procedure, the citizen and the 100,000 requests (once)."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection

    from api.accounts.models import User
    from api.catalog import actions as catalog
    from api.catalog.models import ProcedureState
    from api.submissions import actions
    from api.submissions.models import Submission
    from benchmarks.cost_form import ANSWERS, FORM

    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="bench-citizen").exists():
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    category, _ = catalog.upsert_category("bench", {"title": "Banc d'essai"})
    procedure, _ = catalog.upsert_procedure(
        "vingt-champs",
        {"title": "Vingt champs", "summary": "Banc d'essai", "category": category, "state": ProcedureState.PUBLISHED},
    )
    if procedure.current_version_id is None:
        catalog.save_definition(procedure, FORM)
        procedure.refresh_from_db()
    citizen, _ = User.objects.get_or_create(username="bench-citizen", defaults={"email": "citizen@bench.example"})
    others = [User.objects.get_or_create(username=f"bench-other-{n}")[0] for n in range(9)]
    if Submission.objects.filter(owner=citizen).count() < MINE:
        draft, _token = actions.create_draft(procedure, actions.Actor(user=citizen), ANSWERS)
        template = actions.submit(draft, actions.Actor(user=citizen))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'submissions_submission'"
            )
            columns = [c for (c,) in cursor.fetchall()]
            override = {
                "id": "gen_random_uuid()",
                "owner_id": f"CASE WHEN n <= {MINE} THEN {citizen.pk} ELSE "
                f"(ARRAY[{','.join(str(o.pk) for o in others)}])[1 + n %% 9] END",
                "reference": "'B-' || n",
                "tracking_code": "NULL",
                "updated_at": "now() - n * interval '1 minute'",
            }
            listed = ", ".join(f'"{c}"' for c in columns)
            chosen = ", ".join(override.get(c, f'"{c}"') for c in columns)
            cursor.execute(
                f"INSERT INTO submissions_submission ({listed}) SELECT {chosen} "  # noqa: S608 - fixed names
                f"FROM submissions_submission, generate_series(1, {TOTAL}) AS n WHERE id = %s",
                [template.pk],
            )
            cursor.execute("ANALYZE submissions_submission")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_bare_submission "
            "(id bigserial PRIMARY KEY, data jsonb NOT NULL, created_at timestamptz NOT NULL)"
        )
    session = SessionStore()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(citizen.pk), "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = citizen.get_session_auth_hash()
    session.create()
    return {"slug": procedure.slug, "citizen": citizen.pk, "session": session.session_key}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"nothing listens on {port}")


class Tier:
    """One web tier (``python -m api.serve``) and what its processes use."""

    def __init__(self, name: str, app: str | None, env: dict[str, str]) -> None:
        self.name, self.port = name, free_port()
        self.log = ROOT / "var" / f"bench-cost-{name}.log"
        command = [sys.executable, "-m", "api.serve", *(["--app", app] if app else [])]
        full = {**os.environ, **env, "HOST": "127.0.0.1", "PORT": str(self.port), "REDIS_URL": REDIS}
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=full, stdout=self.log.open("w"), stderr=subprocess.STDOUT
        )
        wait_port(self.port)
        self.wait_until_started()

    def wait_until_started(self, timeout: float = 120) -> None:
        """The launcher opens the port before its workers have imported the app (seconds
        of CPU each): wait until the workers are there and quiet, so that no figure
        counts their start."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            workers = len(self.pids())
            before = self.cpu_seconds()
            time.sleep(1)
            if workers and self.cpu_seconds() - before < 0.05 * workers:
                return
        raise SystemExit(f"the {self.name} tier is still busy starting after {timeout} s")

    def pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def cpu_seconds(self) -> float:
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.pids():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / tick

    def rss_mib(self) -> list[float]:
        sizes = []
        for pid in self.pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(round(int(line.split()[1]) / 1024, 1))
        return sizes

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


class Counters:
    """PostgreSQL's own counts for the benchmark's database, read on one connection kept
    open (so that reading adds no session). Backends report their counts when idle, at
    most once a second: each read waits for that."""

    def __init__(self) -> None:
        self.name = URL.rpartition("/")[2]
        self.connection = psycopg.connect(URL.rpartition("/")[0] + "/postgres", autocommit=True)

    def read(self) -> tuple[int, int]:
        time.sleep(1.5)
        self.connection.execute("SELECT pg_stat_clear_snapshot()")
        row = self.connection.execute(
            "SELECT xact_commit + xact_rollback, sessions FROM pg_stat_database WHERE datname = %s", (self.name,)
        ).fetchone()
        assert row is not None
        return int(row[0]), int(row[1])


COUNTERS: Counters | None = None


async def guichet_submit(session: aiohttp.ClientSession, base: str, slug: str) -> None:
    from benchmarks.cost_form import ANSWERS

    token = secrets.token_urlsafe(32)
    headers = {"X-Resume-Token": token, "Idempotency-Key": secrets.token_hex(16)}
    async with session.post(f"{base}/api/procedures/{slug}/submissions/", json={"data": ANSWERS}, headers=headers) as r:
        body = await r.json()
        assert r.status == 201, body
    headers = {"X-Resume-Token": token, "Idempotency-Key": secrets.token_hex(16)}
    async with session.post(f"{base}/api/submissions/{body['id']}/submit/", headers=headers) as r:
        sent = await r.json()
        assert r.status == 200, sent


async def bare_submit(session: aiohttp.ClientSession, base: str) -> None:
    from benchmarks.cost_form import ANSWERS

    async with session.post(f"{base}/submit/", json={"data": ANSWERS}) as r:
        assert r.status == 201, await r.text()
        await r.read()


async def get(session: aiohttp.ClientSession, url: str, cookie: str = "") -> None:
    async with session.get(url, headers={"Cookie": cookie} if cookie else {}) as r:
        assert r.status == 200, await r.text()
        await r.read()


async def load(operation: Any, clients: int, seconds: float) -> list[float]:
    """``clients`` loops doing ``operation`` back to back for ``seconds``; each one's duration."""
    durations: list[float] = []
    connector = aiohttp.TCPConnector(limit=clients, force_close=False)
    async with aiohttp.ClientSession(connector=connector) as session:
        await operation(session)  # warm
        end = time.monotonic() + seconds

        async def client() -> None:
            while time.monotonic() < end:
                start = time.perf_counter()
                await operation(session)
                durations.append(time.perf_counter() - start)

        await asyncio.gather(*(client() for _ in range(clients)))
    return durations


def measure(tier: Tier, operation: Any, clients: int) -> dict[str, Any]:
    assert COUNTERS is not None
    transactions, sessions = COUNTERS.read()
    cpu, database = tier.cpu_seconds(), floor.postgres_cpu_seconds()
    started = time.perf_counter()
    durations = asyncio.run(load(operation, clients, SECONDS))
    elapsed = time.perf_counter() - started
    cpu, database = tier.cpu_seconds() - cpu, floor.postgres_cpu_seconds() - database
    transactions_after, sessions_after = COUNTERS.read()
    ops = len(durations) + 1  # and the warm-up
    ordered = sorted(durations)
    return {
        "per_s": len(durations) / SECONDS,
        "p95_ms": ordered[int(0.95 * (len(ordered) - 1))] * 1000,
        "cpu_ms": cpu / ops * 1000,
        "postgres_cpu_ms": database / ops * 1000,
        "transactions": (transactions_after - transactions) / ops,
        "new_connections": (sessions_after - sessions) / ops,
        "elapsed_s": elapsed,
    }


def in_process_cost(context: dict[str, Any]) -> dict[str, Any]:
    """Statements, savepoints and commits of one operation on this database (test client)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from api.core.querycount import database_cost
    from benchmarks.cost_form import ANSWERS

    client = Client()
    token = secrets.token_urlsafe(32)

    def headers() -> dict[str, str]:
        return {"HTTP_X_RESUME_TOKEN": token, "HTTP_IDEMPOTENCY_KEY": secrets.token_hex(16)}

    url = f"/api/procedures/{context['slug']}/submissions/"
    for _ in range(2):  # the second is measured (caches warm)
        with database_cost() as create, CaptureQueriesContext(connection) as created:
            draft = client.post(url, {"data": ANSWERS}, content_type="application/json", **headers()).json()
        with database_cost() as send, CaptureQueriesContext(connection) as sent:
            response = client.post(
                f"/api/submissions/{draft['id']}/submit/", content_type="application/json", **headers()
            )
    captured = {
        "create": [query["sql"] for query in created.captured_queries],
        "send": [query["sql"] for query in sent.captured_queries],
        "id": draft["id"],
        "tracking_code": response.json()["tracking_code"],
    }
    client.cookies["sessionid"] = context["session"]
    with database_cost() as mine:
        assert client.get("/api/me/submissions/").status_code == 200
    with database_cost() as listed:
        assert client.get("/api/procedures/").status_code == 200
    submit = {key: create.as_dict()[key] + send.as_dict()[key] for key in create.as_dict()}
    return {"submit": submit, "create": create.as_dict(), "send": send.as_dict(),
            "mine": mine.as_dict(), "catalog": listed.as_dict(), "captured": captured}  # fmt: skip


def main() -> None:
    global COUNTERS
    ensure_database()
    COUNTERS = Counters()
    context = prepare()
    statements = in_process_cost(context)
    # Before the tiers start, so that nothing else uses the machine meanwhile.
    replayed = floor.measure(URL, statements.pop("captured"))
    print("floor", json.dumps(replayed), flush=True)
    production = {
        "GUICHET_ENV": "production",
        "VAPID_PUBLIC_KEY": "bench",
        "VAPID_PRIVATE_KEY": "bench",
        "ALLOWED_HOSTS": "127.0.0.1",
        "GUICHET_DRAFT_RATE": "100000000",
        "GUICHET_REDIS_PREFIX": "bench-cost",
    }
    guichet = Tier("guichet", None, production)
    bare = Tier("bare", "benchmarks.bare.asgi:application", {"DJANGO_SETTINGS_MODULE": "benchmarks.bare.settings"})
    g, b = f"http://127.0.0.1:{guichet.port}", f"http://127.0.0.1:{bare.port}"
    cookie = f"sessionid={context['session']}"
    scenarios: dict[str, tuple[Any, Any, tuple[int, ...]]] = {
        "submit": (
            lambda s: guichet_submit(s, g, context["slug"]),
            lambda s: bare_submit(s, b),
            (1, 2, 8),
        ),
        "mine": (
            lambda s: get(s, f"{g}/api/me/submissions/", cookie),
            lambda s: get(s, f"{b}/mine/?owner={context['citizen']}"),
            (1, 2),
        ),
        "catalog": (lambda s: get(s, f"{g}/api/procedures/"), lambda s: get(s, f"{b}/catalog/"), (1, 2)),
    }
    rounds: list[dict[str, Any]] = []
    try:
        for number in range(ROUNDS):
            figures: dict[str, Any] = {}
            for name, (ours, theirs, levels) in scenarios.items():
                for clients in levels:
                    figures[f"{name}@{clients}"] = {"guichet": measure(guichet, ours, clients),
                                                    "bare": measure(bare, theirs, clients)}  # fmt: skip
                    print(f"round {number + 1} {name}@{clients}", json.dumps(figures[f"{name}@{clients}"]), flush=True)
            rounds.append(figures)
        memory = {"guichet_mib": guichet.rss_mib(), "bare_mib": bare.rss_mib()}
    finally:
        guichet.stop()
        bare.stop()
    write(rounds, statements, memory, replayed)


def write(
    rounds: list[dict[str, Any]], statements: dict[str, Any], memory: dict[str, Any], replayed: dict[str, Any]
) -> None:
    table: dict[str, Any] = {}
    for key in rounds[0]:
        name, clients = key.split("@")
        row: dict[str, Any] = {}
        for side in ("guichet", "bare"):
            for figure in ("per_s", "p95_ms", "cpu_ms", "postgres_cpu_ms", "transactions", "new_connections"):
                row[f"{side}_{figure}"] = round(statistics.median(r[key][side][figure] for r in rounds), 2)
        row["ratio"] = round(statistics.median(r[key]["guichet"]["per_s"] / r[key]["bare"]["per_s"] for r in rounds), 3)
        before = BEFORE.get(name)
        if isinstance(before, dict) and int(clients) in before:
            row["before_guichet_per_s"] = before[int(clients)]
            if name == "submit":
                row["before_ratio"] = round(before[int(clients)] / BEFORE["submit_bare"][int(clients)], 3)
        table[key] = row
    ceiling = submit_ceiling(table["submit@1"]["bare_per_s"], replayed)
    targets = {
        "submit ratio >= 0.3 at 1, 2 and 8 clients": all(table[f"submit@{c}"]["ratio"] >= 0.3 for c in (1, 2, 8)),
        "submit p95 < 150 ms at 8 clients": table["submit@8"]["guichet_p95_ms"] < 150,
        "my requests ratio >= 0.5": all(table[f"mine@{c}"]["ratio"] >= 0.5 for c in (1, 2)),
        "catalog ratio >= 0.5": all(table[f"catalog@{c}"]["ratio"] >= 0.5 for c in (1, 2)),
    }
    result = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "web_processes": len(memory["guichet_mib"]),
        },
        "seconds_per_figure": SECONDS,
        "rounds": ROUNDS,
        "table (medians of the rounds)": table,
        "statements per operation (Guichet, in-process, same database)": statements,
        "floor: a submit's statements replayed alone (benchmarks/floor.py)": replayed,
        "ceiling of the submit ratio at 1 client": ceiling,
        "resident memory per web process": memory,
        "before (as measured when the issue was filed)": BEFORE,
        "targets met": targets,
        "raw rounds": rounds,
    }
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({"table": table, "targets": targets, "statements": statements, "ceiling": ceiling}, indent=2))


def submit_ceiling(bare_per_s: float, replayed: dict[str, Any]) -> dict[str, Any]:
    """The best submit ratio at one client that any implementation writing the same rows
    could reach, if each of its two requests cost no more than the bare request apart
    from its SQL, and its SQL no more than the replay (at one client the time of one
    submit is the sum of its parts: nothing runs beside it).

    The bare request's own statement (one INSERT, committed) is estimated by the
    replay's mean INSERT plus its mean COMMIT, and taken out of each request."""
    means = replayed["mean ms per statement"]
    insert = statistics.mean(ms for kind, ms in means.items() if kind.split(": ", 1)[1].startswith("INSERT"))
    commit = statistics.mean(ms for kind, ms in means.items() if kind.endswith("COMMIT"))
    bare_ms = 1000 / bare_per_s
    best_ms = 2 * (bare_ms - insert - commit) + replayed["wall_ms"]
    return {
        "bare request, ms": round(bare_ms, 2),
        "its statement (replayed INSERT + COMMIT), ms": round(insert + commit, 2),
        "submit's statements replayed, ms": replayed["wall_ms"],
        "best submit, ms": round(best_ms, 2),
        "best ratio": round(bare_ms / best_ms, 3),
    }


if __name__ == "__main__":
    main()
