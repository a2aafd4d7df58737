"""Accent- and case-insensitive search text, identical on SQLite and PostgreSQL.

Each procedure stores a normalised copy of its searchable text; a query is
normalised the same way and every one of its words must occur in it.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")
# Ligatures that NFKD does not split.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})


def normalise(text: str) -> str:
    """Lower-case ASCII words separated by single spaces: "État-civil" -> "etat civil"."""
    text = text.casefold().translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped).strip()


def query_terms(query: str) -> list[str]:
    """The distinct words of a search query, at most 10 of them."""
    seen: dict[str, None] = {}
    for word in normalise(query).split():
        seen.setdefault(word, None)
    return list(seen)[:10]
