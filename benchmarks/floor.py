"""The floor under a submit: its own SQL statements replayed with nothing else.

``benchmarks.cost`` captures the statements of one measured submit (draft, then send)
in Guichet's own process; this module sends the same statement texts again, in the
same order and the same transactions, from a bare psycopg connection: no HTTP, no
Django, no ORM, no validation. Only the values that must differ each time (the
request's id, the Idempotency-Keys, the tracking code, the reference and the ids the
inserts return) are replaced. What it costs is what the product's guarantees cost in
the database and the driver alone; any implementation that writes the same rows
pays at least that. Figures: this process's CPU, PostgreSQL's CPU (every postgres
process) and wall time per submit, and the mean time of each kind of statement.
"""

from __future__ import annotations

import os
import re
import secrets
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg

#: Characters of a tracking code (api.submissions.actions.drafts).
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def postgres_cpu_seconds() -> float:
    """CPU used so far by every PostgreSQL process of this machine (backends, WAL writer)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() != "postgres":
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        total += int(fields[11]) + int(fields[12])
    return total / tick


class Replay:
    """One captured submit, ready to be sent again with fresh values."""

    def __init__(self, create: list[str], send: list[str], submission_id: str, tracking_code: str) -> None:
        self.phases = {"create": create, "send": send}
        self.id, self.code = submission_id, tracking_code
        text = "\n".join(create + send)
        self.keys = re.findall(r'"core_idempotencyrecord"\."key" = \'([0-9a-f]{32})\'', text)
        self.tasks = re.findall(
            r'INSERT INTO "django_tasks_database_dbtaskresult" .*? VALUES \(\'([0-9a-f]{32})\'', text
        )
        found = re.search(r"\"reference\" = '([^']+)'", text)
        if not (found and self.keys and self.code):
            raise ValueError("the captured submit lacks its reference, Idempotency-Keys or tracking code")
        self.reference = found.group(1)
        self.timings: dict[str, list[float]] = {}

    def fresh_values(self) -> dict[str, str]:
        new = uuid.uuid4()
        values = {self.id: str(new), self.id.replace("-", ""): new.hex}
        values[self.code] = "".join(secrets.choice(CODE_ALPHABET) for _ in range(len(self.code)))
        values.update({key: secrets.token_hex(16) for key in self.keys})
        values.update({task: uuid.uuid4().hex for task in self.tasks})
        return values

    def once(self, cursor: psycopg.ClientCursor[Any]) -> None:
        values, reference = self.fresh_values(), ""
        event_ids: list[int] = []
        for phase, statements in self.phases.items():
            for statement in statements:
                for old, new in values.items():
                    statement = statement.replace(old, new)
                if reference:
                    statement = statement.replace(self.reference, reference)
                if 'SET "position"' in statement:  # the numbering names the events just written
                    statement = re.sub(r"IN \([\d, ]+\)", f"IN ({', '.join(map(str, event_ids))})", statement)
                if 'INSERT INTO "core_delivery"' in statement:
                    statement = re.sub(
                        r"\('\{[\d,]+\}'::int8\[\]\)", f"('{{{','.join(map(str, event_ids))}}}'::int8[])", statement
                    )
                started = time.perf_counter()
                cursor.execute(statement)
                if 'INSERT INTO "submissions_event"' in statement:
                    event_ids = [row[0] for row in cursor.fetchall()]
                elif "submissions_referencecounter" in statement:
                    row = cursor.fetchone()
                    assert row is not None
                    reference = f"{self.reference.split('-')[0]}-{int(row[0]):06d}"
                elif cursor.description:
                    cursor.fetchall()
                kind = f"{phase}: {' '.join(statement.split()[:3])[:60]}"
                self.timings.setdefault(kind, []).append(time.perf_counter() - started)


def measure(url: str, captured: dict[str, Any], count: int = 300) -> dict[str, Any]:
    """Replay the captured submit ``count`` times (after 20 not counted); figures per submit."""
    replay = Replay(captured["create"], captured["send"], captured["id"], captured["tracking_code"])
    with psycopg.connect(url, autocommit=True) as connection:
        cursor = psycopg.ClientCursor(connection)
        for _ in range(20):
            replay.once(cursor)
        replay.timings.clear()
        cpu, database, wall = time.process_time(), postgres_cpu_seconds(), time.perf_counter()
        for _ in range(count):
            replay.once(cursor)
        wall = time.perf_counter() - wall
        cpu, database = time.process_time() - cpu, postgres_cpu_seconds() - database
    statements = len(captured["create"]) + len(captured["send"])
    return {
        "statements (BEGIN and COMMIT included)": statements,
        "client_cpu_ms": round(cpu / count * 1000, 2),
        "postgres_cpu_ms": round(database / count * 1000, 2),
        "wall_ms": round(wall / count * 1000, 2),
        "per_s": round(count / wall, 1),
        "mean ms per statement": {
            kind: round(sum(times) / len(times) * 1000, 3)
            for kind, times in sorted(replay.timings.items(), key=lambda item: -sum(item[1]))
        },
    }
