"""Accent- and case-insensitive search text, identical on SQLite and PostgreSQL.

Each procedure stores a normalised copy of its searchable text; a query is
normalised the same way and every one of its words must occur in it.
"""

from __future__ import annotations

from api.core.text import normalise


def query_terms(query: str) -> list[str]:
    """The distinct words of a search query, at most 10 of them."""
    seen: dict[str, None] = {}
    for word in normalise(query).split():
        seen.setdefault(word, None)
    return list(seen)[:10]


__all__ = ["normalise", "query_terms"]
