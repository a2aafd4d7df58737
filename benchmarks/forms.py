"""Form validation speed.

Validates a 200-field submission with 50 conditions (target: median under
2 ms on a project machine) and measures how the time grows with the number
of conditions (target: linearly). Every figure is also given as a ratio to a
baseline measured in the same run: a JSON round trip of the same payload,
which tracks the machine's speed at handling that much data in Python.

Run: make bench  (writes benchmarks/results/forms.json)
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "api.settings")
os.environ.setdefault("GUICHET_ENV", "test")

import django

django.setup()

from api.forms.definition import parse  # noqa: E402
from api.forms.validation import validate  # noqa: E402

TODAY = date(2026, 11, 29)
RESULTS = Path(__file__).resolve().parent / "results" / "forms.json"
KINDS = ["text", "number", "email", "date", "choice", "boolean", "postcode", "multichoice"]
OPTIONS = [{"value": v, "label": v} for v in ("a", "b", "c", "d")]
VALUES: dict[str, Any] = {
    "text": "Une réponse",
    "number": 42,
    "email": "anne@example.org",
    "date": "2026-01-15",
    "choice": "b",
    "boolean": True,
    "postcode": "91100",
    "multichoice": ["a", "c"],
}


def form(fields: int, conditions: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """A definition of ``fields`` fields over 10 pages, ``conditions`` of them conditional
    (each on an earlier field, all true for the payload), and a valid payload."""
    items, payload = [], {}
    for index in range(fields):
        kind = KINDS[index % len(KINDS)]
        item: dict[str, Any] = {"type": kind, "varname": f"f{index}", "label": f"Question {index}", "required": True}
        if kind in {"choice", "multichoice"}:
            item["options"] = OPTIONS
        if index and index <= conditions:
            item["condition"] = {"or": [{"!!": [{"var": f"f{index - 1}"}]}, {"==": [{"var": "f0"}, "x"]}]}
        items.append(item)
        payload[f"f{index}"] = VALUES[kind]
    size = max(1, fields // 10)
    pages = [{"id": f"p{n}", "title": f"Page {n}", "fields": items[n * size : (n + 1) * size]} for n in range(10)]
    pages = [page for page in pages if page["fields"]]
    return {"schema_version": 1, "pages": pages}, payload


def median_ms(action: Callable[[], Any], repeat: int = 301) -> float:
    for _ in range(20):
        action()
    times = []
    for _ in range(repeat):
        started = time.perf_counter_ns()
        action()
        times.append(time.perf_counter_ns() - started)
    return statistics.median(times) / 1e6


def linear_fit(xs: list[float], ys: list[float]) -> dict[str, float]:
    slope, intercept = statistics.linear_regression(xs, ys)
    predicted = [slope * x + intercept for x in xs]
    mean = statistics.fmean(ys)
    total = sum((y - mean) ** 2 for y in ys)
    residual = sum((y - p) ** 2 for y, p in zip(ys, predicted, strict=True))
    return {"ms_per_condition": slope, "intercept_ms": intercept, "r_squared": 1 - residual / total if total else 1.0}


def main() -> int:
    document, payload = form(200, 50)
    definition = parse(document)
    result = validate(definition, payload, today=TODAY)
    assert result.valid, result.errors[:3]
    baseline = median_ms(lambda: json.loads(json.dumps(payload)))
    main_ms = median_ms(lambda: validate(definition, payload, today=TODAY))

    scaling = []
    for conditions in (0, 25, 50, 100, 150, 200):
        doc, data = form(200, conditions)
        compiled = parse(doc)
        scaling.append(
            {"conditions": conditions, "median_ms": median_ms(lambda c=compiled, d=data: validate(c, d, today=TODAY))}
        )
    fit = linear_fit([s["conditions"] for s in scaling], [s["median_ms"] for s in scaling])

    figures = {
        "benchmark": "forms",
        "machine": {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count()},
        "baseline": {"what": "json.loads(json.dumps(payload)) of the same 200-field payload", "median_ms": baseline},
        "validate_200_fields_50_conditions": {
            "median_ms": main_ms,
            "ratio_to_baseline": main_ms / baseline,
            "target_ms": 2.0,
            "meets_target": main_ms < 2.0,
        },
        "scaling_with_conditions": {
            "points": [{**s, "ratio_to_baseline": s["median_ms"] / baseline} for s in scaling],
            "fit": fit,
            "linear": fit["r_squared"] > 0.95,
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))
    return 0 if figures["validate_200_fields_50_conditions"]["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
