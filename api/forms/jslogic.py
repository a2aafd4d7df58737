"""The JSON Logic evaluator of json-logic-js 2.0.5 (the browser's), in Python.

Operator by operator, it does what that file does, with JavaScript's value
semantics (``jsvalues``): ``==`` coerces, ``%`` keeps the dividend's sign,
``/`` by zero is Infinity, ``cat`` of null is "", ``max`` of nothing is
-Infinity, ``*`` of nothing throws, literal arrays are new each time (so
``[1] == [1]`` is false, as it is in JS). A property-based test runs thousands
of generated rules through both evaluators (json-logic-js under Node as the
oracle) and requires the same results.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from . import jsvalues as js
from .jsvalues import UNDEFINED

# In a Python string every surrogate code point is a lone one (pairs are one character).
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class LogicEvaluationError(Exception):
    """What json-logic-js would throw (an unknown operator, ``*`` of nothing…)."""


def is_logic(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1


def _arg(values: list[Any], index: int) -> Any:
    return values[index] if index < len(values) else UNDEFINED


def apply(logic: Any, data: Any) -> Any:
    if isinstance(logic, list):
        return [apply(item, data) for item in logic]
    if not is_logic(logic):
        return logic
    ((op, values),) = logic.items()
    if not isinstance(values, list):
        values = [values]
    special = _SPECIAL.get(op)
    if special is not None:
        return special(values, data)
    evaluated = [apply(value, data) for value in values]
    operation = _OPERATIONS.get(op)
    if operation is None:
        raise LogicEvaluationError(f"Unrecognized operation {op}")
    return operation(data, evaluated)


# --- Operators that evaluate their own arguments -----------------------------------------


def _if(values: list[Any], data: Any) -> Any:
    i = 0
    while i < len(values) - 1:
        if js.truthy(apply(values[i], data)):
            return apply(values[i + 1], data)
        i += 2
    if len(values) == i + 1:
        return apply(values[i], data)
    return None


def _and(values: list[Any], data: Any) -> Any:
    current = UNDEFINED
    for value in values:
        current = apply(value, data)
        if not js.truthy(current):
            return current
    return current


def _or(values: list[Any], data: Any) -> Any:
    current = UNDEFINED
    for value in values:
        current = apply(value, data)
        if js.truthy(current):
            return current
    return current


def _scoped(values: list[Any], data: Any) -> tuple[Any, Any]:
    return apply(_arg(values, 0), data), _arg(values, 1)


def _filter(values: list[Any], data: Any) -> Any:
    scoped, logic = _scoped(values, data)
    if not isinstance(scoped, list):
        return []
    return [item for item in scoped if js.truthy(apply(logic, item))]


def _map(values: list[Any], data: Any) -> Any:
    scoped, logic = _scoped(values, data)
    if not isinstance(scoped, list):
        return []
    return [apply(logic, item) for item in scoped]


def _reduce(values: list[Any], data: Any) -> Any:
    scoped, logic = _scoped(values, data)
    initial = apply(values[2], data) if len(values) > 2 and values[2] is not UNDEFINED else None
    if not isinstance(scoped, list):
        return initial
    accumulator = initial
    for current in scoped:
        accumulator = apply(logic, {"current": current, "accumulator": accumulator})
    return accumulator


def _all(values: list[Any], data: Any) -> Any:
    scoped, logic = _scoped(values, data)
    if not isinstance(scoped, list) or not scoped:
        return False
    return all(js.truthy(apply(logic, item)) for item in scoped)


def _none(values: list[Any], data: Any) -> Any:
    scoped, logic = _scoped(values, data)
    if not isinstance(scoped, list) or not scoped:
        return True
    return not any(js.truthy(apply(logic, item)) for item in scoped)


def _some(values: list[Any], data: Any) -> Any:
    scoped, logic = _scoped(values, data)
    if not isinstance(scoped, list) or not scoped:
        return False
    return any(js.truthy(apply(logic, item)) for item in scoped)


_SPECIAL: dict[str, Callable[[list[Any], Any], Any]] = {
    "if": _if,
    "?:": _if,
    "and": _and,
    "or": _or,
    "filter": _filter,
    "map": _map,
    "reduce": _reduce,
    "all": _all,
    "none": _none,
    "some": _some,
}


# --- Operators called with their evaluated arguments ------------------------------------


def _var(data: Any, values: list[Any]) -> Any:
    a, b = _arg(values, 0), _arg(values, 1)
    not_found = None if b is UNDEFINED else b
    if a is UNDEFINED or a is None or a == "":
        return data
    current = data
    for key in js.to_string(a).split("."):
        if current is None or current is UNDEFINED:
            return not_found
        current = js.get(current, key)
        if current is UNDEFINED:
            return not_found
    return current


def _missing(data: Any, values: list[Any]) -> Any:
    keys = values[0] if values and isinstance(values[0], list) else values
    missing = []
    for key in keys:
        value = apply({"var": key}, data)
        if value is None or (isinstance(value, str) and value == ""):
            missing.append(key)
    return missing


def _missing_some(data: Any, values: list[Any]) -> Any:
    need, options = _arg(values, 0), _arg(values, 1)
    are_missing = apply({"missing": options}, data)
    if options is None or options is UNDEFINED:
        raise LogicEvaluationError("Cannot read properties of null (reading 'length')")
    size = js.get(options, "length")
    if js.less_than(js.to_number(size) - len(are_missing), need) is False:  # size - missing >= need
        return []
    return are_missing


def _relation(a: Any, b: Any) -> bool:
    return js.less_than(a, b) is True


def _at_most(a: Any, b: Any) -> bool:
    return js.less_than(b, a) is False


def _lt(data: Any, values: list[Any]) -> Any:
    a, b, c = _arg(values, 0), _arg(values, 1), _arg(values, 2)
    if c is UNDEFINED:
        return _relation(a, b)
    return _relation(a, b) and _relation(b, c)


def _le(data: Any, values: list[Any]) -> Any:
    a, b, c = _arg(values, 0), _arg(values, 1), _arg(values, 2)
    if c is UNDEFINED:
        return _at_most(a, b)
    return _at_most(a, b) and _at_most(b, c)


def _in(data: Any, values: list[Any]) -> Any:
    a, b = _arg(values, 0), _arg(values, 1)
    if not js.truthy(b) and not isinstance(b, list):  # JS's !b: an empty array is truthy there
        return False
    if isinstance(b, str):
        return _index_of(js.utf16(b), js.utf16(js.to_string(a))) != -1
    if isinstance(b, list):
        return any(js.strict_equal(item, a) for item in b)
    return False


def _index_of(haystack: bytes, needle: bytes) -> int:
    """String.prototype.indexOf over UTF-16 code units (matches start on a unit boundary)."""
    start = haystack.find(needle)
    while start != -1 and start % 2:
        start = haystack.find(needle, start + 1)
    return start


def _cat(data: Any, values: list[Any]) -> Any:
    return "".join("" if v is None or v is UNDEFINED else js.to_string(v) for v in values)


def _substr(data: Any, values: list[Any]) -> Any:
    source, start, end = js.to_string(_arg(values, 0)), _arg(values, 1), _arg(values, 2)
    if js.less_than(end, 0) is True:
        rest = js.substr(source, start)
        return js.substr(rest, 0, js.add(js.length(rest), end))  # JS's +: "4" + "-2" is "4-2"
    return js.substr(source, start, end)


def _plus(data: Any, values: list[Any]) -> Any:
    total = 0.0
    for value in values:
        total = js.parse_float(total) + js.parse_float(value)
    return total


def _times(data: Any, values: list[Any]) -> Any:
    if not values:
        raise LogicEvaluationError("Reduce of empty array with no initial value")
    product = values[0]
    for value in values[1:]:
        product = js.parse_float(product) * js.parse_float(value)
    return product


def _minus(data: Any, values: list[Any]) -> Any:
    a, b = _arg(values, 0), _arg(values, 1)
    if b is UNDEFINED:
        return -js.to_number(a)
    return js.to_number(a) - js.to_number(b)


def _extreme(pick: Callable[[float, float], float], empty: float) -> Callable[[Any, list[Any]], Any]:
    def operation(data: Any, values: list[Any]) -> Any:
        result = empty
        for value in values:
            number = js.to_number(value)
            if math.isnan(number):
                return js.NAN
            result = pick(result, number)
        return result

    return operation


def _merge(data: Any, values: list[Any]) -> Any:
    merged: list[Any] = []
    for value in values:
        if isinstance(value, list):
            merged.extend(value)
        else:
            merged.append(value)
    return merged


_OPERATIONS: dict[str, Callable[[Any, list[Any]], Any]] = {
    "==": lambda d, v: js.loose_equal(_arg(v, 0), _arg(v, 1)),
    "===": lambda d, v: js.strict_equal(_arg(v, 0), _arg(v, 1)),
    "!=": lambda d, v: not js.loose_equal(_arg(v, 0), _arg(v, 1)),
    "!==": lambda d, v: not js.strict_equal(_arg(v, 0), _arg(v, 1)),
    ">": lambda d, v: _relation(_arg(v, 1), _arg(v, 0)),
    ">=": lambda d, v: _at_most(_arg(v, 1), _arg(v, 0)),
    "<": _lt,
    "<=": _le,
    "!!": lambda d, v: js.truthy(_arg(v, 0)),
    "!": lambda d, v: not js.truthy(_arg(v, 0)),
    "%": lambda d, v: js.remainder(js.to_number(_arg(v, 0)), js.to_number(_arg(v, 1))),
    "log": lambda d, v: _arg(v, 0),  # never print from a definition
    "in": _in,
    "cat": _cat,
    "substr": _substr,
    "+": _plus,
    "*": _times,
    "-": _minus,
    "/": lambda d, v: js.divide(js.to_number(_arg(v, 0)), js.to_number(_arg(v, 1))),
    "min": _extreme(lambda a, b: a if a < b or (a == b == 0 and math.copysign(1, a) < 0) else b, math.inf),
    "max": _extreme(lambda a, b: a if a > b or (a == b == 0 and math.copysign(1, a) > 0) else b, -math.inf),
    "merge": _merge,
    "var": _var,
    "missing": _missing,
    "missing_some": _missing_some,
}


def to_json(value: Any) -> Any:
    """A result as JSON.stringify would write it: whole numbers without a fraction,
    NaN and the infinities as null, undefined as null, lone surrogates replaced
    (as String.prototype.toWellFormed does), so that it can be stored and read back."""
    if value is UNDEFINED or value is None or isinstance(value, bool):
        return None if value is UNDEFINED else value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
        return value
    if isinstance(value, str):
        return (
            js.from_utf16(js.utf16(value)).encode("utf-8", "replace").decode("utf-8") if not value.isascii() else value
        )
    if isinstance(value, list):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    return value
