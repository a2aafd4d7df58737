"""Every problem code the code can raise is listed (and so documented in the schema)."""

from __future__ import annotations

import ast
from pathlib import Path

from api.core.problem_codes import CODES
from api.core.problems import _CODES

API = Path(__file__).resolve().parents[2]
RAISERS = {"Problem", "SubmissionProblem", "problem_response", "problem_body", "InvalidBody", "RejectedFile"}


def raised_codes() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in API.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name in RAISERS:
                code = next(
                    (a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)), None
                )
                if code is not None:
                    found.setdefault(code, str(path.relative_to(API)))
    return found


def test_every_raised_problem_code_is_listed() -> None:
    raised = raised_codes()
    assert len(raised) > 40  # the scan does find them
    assert {code: where for code, where in raised.items() if code not in CODES} == {}
    assert set(_CODES.values()) - set(CODES) == set()


def test_the_schema_lists_them() -> None:
    schema = (API.parent / "schema" / "openapi.yaml").read_text(encoding="utf-8")
    assert all(f"`{code}`" in schema for code in CODES)
