"""JSON Logic for conditions, computed values and rules.

Evaluation uses panzi-json-logic (pure Python; passes the public conformance
suite, as json-logic-js does in the browser). Definitions never carry code:
a rule is JSON, checked here against the operators both evaluators share and
against size limits before it is stored, so evaluation is bounded.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from json_logic import jsonLogic
from json_logic.builtins import BUILTINS, to_bool

#: Operators of the reference implementation (json-logic-js 2.0.5), which the
#: browser uses; the server accepts exactly these.
OPERATORS = frozenset(
    {
        "var", "missing", "missing_some", "if", "?:", "==", "===", "!=", "!==", "!", "!!", "or", "and",
        ">", ">=", "<", "<=", "max", "min", "+", "-", "*", "/", "%", "map", "filter", "reduce", "all",
        "none", "some", "merge", "in", "cat", "substr", "log",
    }
)  # fmt: skip
_OPERATIONS = {name: op for name, op in BUILTINS.items() if name in OPERATORS and name != "log"}
_OPERATIONS["log"] = lambda data=None, value=None, *_: value  # never print from a definition

MAX_DEPTH = 24
MAX_NODES = 500


class LogicError(ValueError):
    """A rule that is not acceptable JSON Logic; ``pointer`` is within the rule."""

    def __init__(self, message: str, pointer: str = "") -> None:
        super().__init__(message)
        self.pointer = pointer


def check(rule: Any) -> None:
    """Raise LogicError unless ``rule`` uses known operators within the size limits."""
    for nodes, (depth, pointer, node) in enumerate(_walk(rule, 0, ""), start=1):
        if depth > MAX_DEPTH:
            raise LogicError(f"nested deeper than {MAX_DEPTH} levels", pointer)
        if nodes > MAX_NODES:
            raise LogicError(f"more than {MAX_NODES} nodes", pointer)
        if isinstance(node, dict) and len(node) == 1:
            (operator,) = node
            if operator not in OPERATORS:
                raise LogicError(f"unknown operator {operator!r}", pointer)


def _walk(node: Any, depth: int, pointer: str) -> Iterator[tuple[int, str, Any]]:
    yield depth, pointer, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, depth + 1, f"{pointer}/{_escape(str(key))}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, depth + 1, f"{pointer}/{index}")


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def evaluate(rule: Any, data: Any) -> Any:
    """The value of a checked rule for ``data``."""
    return jsonLogic(rule, data, _OPERATIONS)


def truthy(value: Any) -> bool:
    """JSON Logic truthiness, as the reference implementation defines it ([] is false, "0" true)."""
    return bool(to_bool(value))


def variables(rule: Any) -> set[str]:
    """The first segment of every ``var`` a rule reads (to check references)."""
    found: set[str] = set()
    for _depth, _pointer, node in _walk(rule, 0, ""):
        if isinstance(node, dict) and len(node) == 1 and "var" in node:
            target = node["var"]
            if isinstance(target, list):
                target = target[0] if target else ""
            if isinstance(target, str) and target:
                found.add(target.split(".", 1)[0])
    return found
