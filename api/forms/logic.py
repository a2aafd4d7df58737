"""JSON Logic for conditions, computed values and rules.

Evaluation is ``jslogic``: json-logic-js 2.0.5 (what the browser runs) ported
operator by operator with JavaScript's coercions, so that a condition, a computed
value or a rule gives the same result on both sides for any data (a
property-based test compares the two on thousands of generated rules). Definitions
never carry code: a rule is JSON, checked here against the operators both
evaluators share and against size limits before it is stored, so evaluation is
bounded.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from . import jslogic, jsvalues

#: Operators of the reference implementation (json-logic-js 2.0.5), which the
#: browser uses; the server accepts exactly these.
OPERATORS = frozenset(
    {
        "var", "missing", "missing_some", "if", "?:", "==", "===", "!=", "!==", "!", "!!", "or", "and",
        ">", ">=", "<", "<=", "max", "min", "+", "-", "*", "/", "%", "map", "filter", "reduce", "all",
        "none", "some", "merge", "in", "cat", "substr", "log",
    }
)  # fmt: skip
#: Property names that JavaScript finds on every object, array or string (methods,
#: ``constructor``): ``var`` reaching one of them in the browser gets a function, not
#: data, so rules may not name them.
PROTOTYPE_NAMES = frozenset(
    {
        "constructor", "__proto__", "prototype", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf",
        "propertyIsEnumerable", "toLocaleString", "__defineGetter__", "__defineSetter__", "__lookupGetter__",
        "__lookupSetter__", "at", "concat", "entries", "every", "fill", "filter", "find", "findIndex", "findLast",
        "findLastIndex", "flat", "flatMap", "forEach", "includes", "indexOf", "join", "keys", "lastIndexOf", "map",
        "pop", "push", "reduce", "reduceRight", "reverse", "shift", "slice", "some", "sort", "splice", "unshift",
        "values", "with", "toReversed", "toSorted", "toSpliced", "copyWithin", "charAt", "charCodeAt",
        "codePointAt", "endsWith", "localeCompare", "match", "matchAll", "normalize", "padEnd", "padStart",
        "repeat", "replace", "replaceAll", "search", "split", "startsWith", "substr", "substring", "toLowerCase",
        "toUpperCase", "toLocaleLowerCase", "toLocaleUpperCase", "trim", "trimEnd", "trimStart", "trimLeft",
        "trimRight", "anchor", "big", "blink", "bold", "fixed", "fontcolor", "fontsize", "italics", "link",
        "small", "strike", "sub", "sup", "isWellFormed", "toWellFormed",
    }
)  # fmt: skip

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
            if operator == "var" and (reserved := _prototype_name(node["var"])):
                raise LogicError(f"{reserved!r} is a JavaScript property name, not data", pointer)


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


def _prototype_name(target: Any) -> str | None:
    path = target[0] if isinstance(target, list) and target else target
    if isinstance(path, str):
        return next((part for part in path.split(".") if part in PROTOTYPE_NAMES), None)
    return None


def evaluate(rule: Any, data: Any) -> Any:
    """The value of a checked rule for ``data``, as JSON (NaN and the infinities are null,
    as the browser's JSON.stringify writes them). Raises what the browser would throw."""
    return jslogic.to_json(jslogic.apply(rule, data))


def holds(rule: Any, data: Any) -> bool:
    """Whether a rule is true for ``data`` (a rule that throws, as in the browser, is false)."""
    try:
        return jsvalues.truthy(jslogic.apply(rule, data))
    except (jslogic.LogicEvaluationError, RecursionError):
        return False


def truthy(value: Any) -> bool:
    """JSON Logic truthiness, as the reference implementation defines it ([] is false, "0" true)."""
    return jsvalues.truthy(value)


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
