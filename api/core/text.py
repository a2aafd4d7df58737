"""Text reduced for comparing: accent- and case-insensitive ASCII words, identical on
SQLite and PostgreSQL whatever their collation (search text, sort keys)."""

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
