"""The agents' inbox on PostgreSQL with 1,000,000 requests across 20 procedures.

Measures, through the whole Django stack (middleware, authentication, DRF), for an
agent of one role (a fifth of the requests):

- the first page of a status tab with its counts per status (target: p95 under
  100 ms, and within 2x of the equivalent hand-written SQL run in the same
  session: the same rows, joins and counts, fetched with psycopg directly);
- page 1,000 against page 1 (target: the same cost: a cursor, not an offset);
- full-text search (target: p95 under 200 ms).

Run: make bench (writes benchmarks/results/inbox.json). Needs PostgreSQL:
BENCH_DATABASE_URL, by default postgres://postgres@127.0.0.1:5432/guichet_bench
(created if missing; the generated requests are kept between runs).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/guichet_bench")
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "api.settings")
os.environ.setdefault("GUICHET_ENV", "test")
os.environ.setdefault("GUICHET_AGENT_MFA_REQUIRED", "false")

import psycopg  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "1000000"))
PROCEDURES = 20
ROLES = 5
RUNS = 30
RESULTS = Path(__file__).resolve().parent / "results" / "inbox.json"


def ensure_database() -> None:
    base, _slash, name = URL.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


ensure_database()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from api.accounts import actions as accounts  # noqa: E402
from api.accounts.models import Role, User  # noqa: E402
from api.catalog import actions as catalog  # noqa: E402
from api.catalog.models import Procedure  # noqa: E402
from api.submissions.models import Submission  # noqa: E402
from api.workflows.library import current_version  # noqa: E402

FORM = {
    "schema_version": 1,
    "pages": [
        {
            "id": "demande",
            "title": "Demande",
            "fields": [
                {"type": "text", "varname": "nom", "label": "Nom", "required": True},
                {"type": "textarea", "varname": "message", "label": "Message"},
            ],
        }
    ],
}
STATUSES = ["received", "in_progress", "waiting_citizen", "accepted", "refused", "closed"]
NAMES = [
    "martin",
    "bernard",
    "dubois",
    "thomas",
    "robert",
    "richard",
    "petit",
    "durand",
    "leroy",
    "moreau",
    "simon",
    "laurent",
    "lefebvre",
    "michel",
    "garcia",
    "david",
    "bertrand",
    "roux",
    "vincent",
    "fournier",
]
WORDS = [
    "trottoir",
    "lampadaire",
    "poubelle",
    "stationnement",
    "bruit",
    "arbre",
    "chaussee",
    "eclairage",
    "graffiti",
    "banc",
    "fontaine",
    "velo",
    "parking",
    "marche",
    "ecole",
    "cantine",
    "salle",
    "terrasse",
]


def setup() -> tuple[User, list[Role]]:
    call_command("migrate", verbosity=0)
    roles = [accounts.upsert_role(f"service-{n}", f"Service {n}")[0] for n in range(ROLES)]
    category, _ = catalog.upsert_category("bench", {"title": "Bench"})
    for n in range(PROCEDURES):
        procedure, _ = catalog.upsert_procedure(
            f"bench-{n:02d}",
            {"title": f"Démarche {n}", "summary": "Bench", "category": category, "receiver_role": roles[n % ROLES]},
        )
        catalog.save_definition(procedure, FORM)
    agent, _ = User.objects.get_or_create(username="bench-agent")
    accounts.grant_role(agent, roles[0])
    return agent, roles


def generate() -> None:
    have = Submission.objects.count()
    if have >= REQUESTS:
        return
    print(f"generating {REQUESTS - have} requests…", file=sys.stderr)
    procedures = list(Procedure.objects.filter(slug__startswith="bench-").order_by("slug"))
    workflow = current_version().pk
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO submissions_submission (
                id, procedure_id, version_id, role_id, workflow_version_id, state, status, citizen_status,
                data, revision, reference, requested_fields, resume_token_hash, created_at, updated_at,
                submitted_at, status_since, closed_at, backoffice, search_text
            )
            SELECT gen_random_uuid(), p.procedure_id, p.version_id, p.role_id, %(workflow)s, 'submitted',
                   st.status, st.status,
                   jsonb_build_object('nom', nm.name, 'message', w.word || ' ' || w2.word),
                   1, 'B' || lpad(n::text, 9, '0'), '[]'::jsonb, '',
                   now() - n * interval '20 seconds', now() - n * interval '20 seconds',
                   now() - n * interval '20 seconds', now() - n * interval '10 seconds',
                   CASE WHEN st.status IN ('accepted', 'refused', 'closed') THEN now() - n * interval '5 seconds' END,
                   '{}'::jsonb,
                   'b' || lpad(n::text, 9, '0') || ' ' || nm.name || ' ' || w.word || ' ' || w2.word
            FROM generate_series(%(first)s, %(last)s) AS n
            JOIN (
                SELECT procedure_id, version_id, role_id, idx - 1 AS idx
                FROM unnest(%(procedures)s::int[], %(versions)s::int[], %(roles)s::int[])
                    WITH ORDINALITY AS t(procedure_id, version_id, role_id, idx)
            ) AS p ON p.idx = n %% %(nprocedures)s
            JOIN (SELECT unnest(%(statuses)s::text[]) AS status, generate_series(0, %(nstatus)s - 1) AS idx) st
                ON st.idx = (n / 7) %% %(nstatus)s
            JOIN (SELECT unnest(%(names)s::text[]) AS name, generate_series(0, %(nnames)s - 1) AS idx) nm
                ON nm.idx = (n / 3) %% %(nnames)s
            JOIN (SELECT unnest(%(words)s::text[]) AS word, generate_series(0, %(nwords)s - 1) AS idx) w
                ON w.idx = n %% %(nwords)s
            JOIN (SELECT unnest(%(words)s::text[]) AS word, generate_series(0, %(nwords)s - 1) AS idx) w2
                ON w2.idx = (n / 11) %% %(nwords)s
            """,
            {
                "procedures": [p.pk for p in procedures], "versions": [p.current_version_id for p in procedures],
                "roles": [p.receiver_role_id for p in procedures], "nprocedures": len(procedures),
                "workflow": workflow, "first": have + 1, "last": REQUESTS, "statuses": STATUSES,
                "nstatus": len(STATUSES), "names": NAMES, "nnames": len(NAMES), "words": WORDS, "nwords": len(WORDS),
            },
        )  # fmt: skip
    # As autovacuum would have done by then: statistics, and the visibility map that
    # lets counts read the index alone.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) submissions_submission")


def timed(call: Callable[[], Any], runs: int = RUNS) -> dict[str, float]:
    call()  # warm
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.95))], 2),
    }


def hand_written_sql(role_id: int) -> Callable[[], Any]:
    """The same page (21 rows, the same joins) and the same counts, without Django."""
    settings = connection.settings_dict
    raw = psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"],
        password=settings["PASSWORD"] or None, dbname=settings["NAME"],
    )  # fmt: skip

    def run() -> Any:
        with raw.cursor() as cursor:
            cursor.execute(
                """
                SELECT s.id, s.reference, s.status, s.submitted_at, s.status_since, s.deadline, s.closed_at,
                       s.workflow_version_id, p.slug, p.title, r.slug, a.username, a.first_name, a.last_name,
                       o.first_name, o.last_name, o.email
                FROM submissions_submission s
                JOIN catalog_procedure p ON p.id = s.procedure_id
                LEFT JOIN accounts_role r ON r.id = s.role_id
                LEFT JOIN accounts_user a ON a.id = s.assignee_id
                LEFT JOIN accounts_user o ON o.id = s.owner_id
                WHERE s.role_id = %s AND s.status = 'received'
                ORDER BY s.submitted_at DESC LIMIT 21
                """,
                (role_id,),
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT status, count(*) FROM submissions_submission WHERE role_id = %s GROUP BY status",
                (role_id,),
            )
            return cursor.fetchall()

    return run


def main() -> None:
    agent, roles = setup()
    generate()
    client = Client()
    client.force_login(agent)
    held = Submission.objects.filter(role=roles[0]).count()

    def get(path: str) -> Any:
        response = client.get(path)
        assert response.status_code == 200, response.content[:500]
        return response.json()

    first_page = timed(lambda: get("/api/agent/requests/?status=received&counts=true"))
    sql = timed(hand_written_sql(roles[0].pk))
    page = get("/api/agent/requests/")
    first_cursor_page = timed(lambda: get("/api/agent/requests/"))
    for _ in range(999):
        page = get(page["next"])
    thousandth = page["next"]
    page_1000 = timed(lambda: get(thousandth))
    search = timed(lambda: get("/api/agent/requests/?q=fontaine+martin&counts=true"))
    search_rare = timed(lambda: get("/api/agent/requests/?q=b000424242"))
    ratio = first_page["p95_ms"] / sql["p95_ms"]
    figures = {
        "benchmark": "inbox",
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "data": {"requests": Submission.objects.count(), "procedures": PROCEDURES, "held_by_the_agents_role": held},
        "baseline": {"what": "the same page and counts in hand-written SQL, psycopg, same database", **sql},
        "first_page_with_counts": {
            **first_page, "ratio_to_baseline": round(ratio, 2), "target_p95_ms": 100, "target_ratio": 2,
            "meets_target": first_page["p95_ms"] < 100 and ratio <= 2,
        },
        "page_1000_vs_page_1": {
            "page_1": first_cursor_page, "page_1000": page_1000,
            "ratio": round(page_1000["median_ms"] / first_cursor_page["median_ms"], 2),
        },
        "full_text_search": {
            "common_words": search, "one_reference": search_rare, "target_p95_ms": 200,
            "meets_target": max(search["p95_ms"], search_rare["p95_ms"]) < 200,
        },
    }  # fmt: skip
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
