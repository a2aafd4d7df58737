"""The server's JSON Logic passes the public conformance suite, strictly."""

import json
from pathlib import Path
from typing import Any

import pytest

from api.forms.logic import LogicError, check, evaluate, truthy, variables

SUITE = Path(__file__).resolve().parents[3] / "tests" / "conformance" / "jsonlogic-tests.json"
VECTORS = [v for v in json.loads(SUITE.read_text(encoding="utf-8")) if not isinstance(v, str)]


def same(actual: Any, expected: Any) -> bool:
    """Equal as JSON values: booleans are not numbers, 3 equals 3.0."""
    if isinstance(actual, bool) or isinstance(expected, bool):
        return type(actual) is type(expected) and actual == expected
    if isinstance(actual, int | float) and isinstance(expected, int | float):
        return actual == expected
    if isinstance(actual, list) and isinstance(expected, list):
        return len(actual) == len(expected) and all(same(a, e) for a, e in zip(actual, expected, strict=True))
    if isinstance(actual, dict) and isinstance(expected, dict):
        return actual.keys() == expected.keys() and all(same(actual[k], expected[k]) for k in actual)
    return type(actual) is type(expected) and actual == expected


def test_suite_has_275_vectors() -> None:
    assert len(VECTORS) == 275


@pytest.mark.parametrize(("logic", "data", "expected"), VECTORS, ids=[str(i) for i in range(len(VECTORS))])
def test_conformance(logic: Any, data: Any, expected: Any) -> None:
    check(logic)
    assert same(evaluate(logic, data), expected)


def test_check_refuses_unknown_operators_and_oversized_rules() -> None:
    with pytest.raises(LogicError) as unknown:
        check({"and": [True, {"eval": "__import__('os')"}]})
    assert unknown.value.pointer == "/and/1"
    deep: Any = True
    for _ in range(30):
        deep = {"!": [deep]}
    with pytest.raises(LogicError, match="deeper"):
        check(deep)
    with pytest.raises(LogicError, match="nodes"):
        check({"+": list(range(600))})


def test_log_does_not_print(capsys: pytest.CaptureFixture[str]) -> None:
    assert evaluate({"log": "secret"}, {}) == "secret"
    assert capsys.readouterr().out == ""


def test_truthiness_and_variables() -> None:
    assert truthy([]) is False and truthy([0]) is True and truthy("0") is True and truthy(0) is False
    rule = {"and": [{"var": "age"}, {"==": [{"var": ["adresse.ville", "x"]}, "Paris"]}, {"var": ""}]}
    assert variables(rule) == {"age", "adresse"}
