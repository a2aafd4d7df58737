"""Visibility vectors shared with the browser (pwa/tests/logic.test.ts runs the same file)."""

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from api.forms.definition import parse
from api.forms.validation import validate

CASES = json.loads(
    (Path(__file__).resolve().parents[3] / "tests" / "conformance" / "visibility.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_visibility_matches_the_shared_vectors(case: dict[str, Any]) -> None:
    result = validate(parse(case["definition"]), case["answers"], today=date(2026, 11, 29))
    assert result.visible_pages == case["pages"]
    assert result.visible_fields == case["fields"]
    assert result.data == case["data"]
