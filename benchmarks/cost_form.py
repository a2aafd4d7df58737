"""The 20-field form of the cost benchmark, and its answers (the query-count guards
send the same)."""

from __future__ import annotations

from typing import Any

FIELDS: list[dict[str, Any]] = [
    *({"type": "text", "varname": f"texte_{n}", "label": f"Texte {n}", "required": True} for n in range(8)),
    *({"type": "number", "varname": f"nombre_{n}", "label": f"Nombre {n}"} for n in range(4)),
    *({"type": "email", "varname": f"courriel_{n}", "label": f"Courriel {n}"} for n in range(2)),
    *({"type": "date", "varname": f"date_{n}", "label": f"Date {n}"} for n in range(2)),
    *({"type": "boolean", "varname": f"case_{n}", "label": f"Case {n}"} for n in range(2)),
    *({"type": "textarea", "varname": f"long_{n}", "label": f"Long {n}"} for n in range(2)),
]
FORM: dict[str, Any] = {
    "schema_version": 1,
    "pages": [
        {"id": "un", "title": "Un", "fields": FIELDS[:10]},
        {"id": "deux", "title": "Deux", "fields": FIELDS[10:]},
    ],
}
ANSWERS: dict[str, Any] = {
    **{f"texte_{n}": f"Réponse {n}" for n in range(8)},
    **{f"nombre_{n}": n * 3 for n in range(4)},
    **{f"courriel_{n}": f"personne{n}@example.org" for n in range(2)},
    **{f"date_{n}": f"2026-0{n + 1}-15" for n in range(2)},
    **{f"case_{n}": n == 0 for n in range(2)},
    **{f"long_{n}": "Une réponse\nsur deux lignes." for n in range(2)},
}
