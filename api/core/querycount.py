"""What a piece of work costs the database: statements, writes, savepoints, transactions.

Used by the query-count guards in the test suite and by the benchmarks. Counting is
done on the connection Django hands out (``execute_wrapper`` for statements, the
connection's commit for transactions), so it sees what the ORM, raw SQL and the
task queue send alike.

``commits`` is how many transactions wrote (or may have written) something and had
to be committed: each commit of an atomic block, plus each write run outside any
atomic block (autocommit). A read outside a block commits nothing. Savepoints
(``SAVEPOINT``, ``RELEASE``, ``ROLLBACK TO``) are counted apart from statements:
they are round trips too, but not work."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

_SAVEPOINT = re.compile(r"^\s*(SAVEPOINT|RELEASE|ROLLBACK TO)\b", re.IGNORECASE)
_WRITE = re.compile(r"^\s*(WITH\b.*?\)\s*)?(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE | re.DOTALL)
_SKIP = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK)\b", re.IGNORECASE)


@dataclass
class DatabaseCost:
    statements: int = 0
    writes: int = 0
    savepoints: int = 0
    block_commits: int = 0
    autocommitted: int = 0
    sql: list[str] = field(default_factory=list)

    @property
    def transactions(self) -> int:
        """Committed transactions: atomic blocks, and writes outside any block."""
        return self.block_commits + self.autocommitted

    def as_dict(self) -> dict[str, int]:
        return {
            "statements": self.statements,
            "writes": self.writes,
            "savepoints": self.savepoints,
            "commits": self.transactions,
        }

    def __str__(self) -> str:
        lines = [f"{self.as_dict()}"] + [f"  {sql[:200]}" for sql in self.sql]
        return "\n".join(lines)


@contextmanager
def database_cost(*aliases: str) -> Iterator[DatabaseCost]:
    """Count what the block sends to the databases named (default: the default one)."""
    cost = DatabaseCost()
    with ExitStack() as stack:
        for alias in aliases or (DEFAULT_DB_ALIAS,):
            connection = connections[alias]
            stack.enter_context(connection.execute_wrapper(_counter(cost, connection)))
            stack.enter_context(_counting_commits(cost, connection))
        yield cost


def _counter(cost: DatabaseCost, connection: Any) -> Callable[..., Any]:
    def count(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if _SAVEPOINT.match(sql):
            cost.savepoints += 1
        elif not _SKIP.match(sql):
            cost.statements += 1
            cost.sql.append(sql)
            if _WRITE.match(sql):
                cost.writes += 1
                if not connection.in_atomic_block and connection.get_autocommit():
                    cost.autocommitted += 1
        return execute(sql, params, many, context)

    return count


@contextmanager
def _counting_commits(cost: DatabaseCost, connection: Any) -> Iterator[None]:
    shadowed = connection.__dict__.get("_commit")
    original = connection._commit

    def commit() -> Any:
        cost.block_commits += 1
        return original()

    connection._commit = commit
    try:
        yield
    finally:
        if shadowed is None:
            del connection._commit
        else:
            connection._commit = shadowed
