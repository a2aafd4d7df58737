"""JavaScript's value semantics, for JSON values held in Python.

The browser evaluates JSON Logic with json-logic-js, whose operators are plain
JavaScript: ``a == b``, ``a < b``, ``a % b``, ``String(x)``, ``parseFloat(x)``.
For the server to give the same answer for every rule, it applies the same
abstract operations of the ECMAScript specification (ToPrimitive, ToNumber,
ToString, IsLooselyEqual, IsLessThan), here, over JSON values: ``None`` is
null, ``UNDEFINED`` is undefined, numbers are ints or floats (doubles, as in
JavaScript), lists are arrays, dicts are objects (compared by identity, as JS
objects are). Strings are measured and cut in UTF-16 code units, as JS does.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any


class _Undefined:
    _instance: _Undefined | None = None

    def __new__(cls) -> _Undefined:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "undefined"

    def __bool__(self) -> bool:
        return False


UNDEFINED: Any = _Undefined()
NAN = math.nan
# StrWhiteSpaceChar: WhiteSpace and LineTerminator code points.
_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_DECIMAL = re.compile(r"[+-]?(?:Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)")
_RADIX = {"0x": 16, "0X": 16, "0o": 8, "0O": 8, "0b": 2, "0B": 2}
_RADIX_DIGITS = {16: re.compile(r"[0-9a-fA-F]+"), 8: re.compile(r"[0-7]+"), 2: re.compile(r"[01]+")}


def is_number(value: Any) -> bool:
    return type(value) in (int, float)


def type_of(value: Any) -> str:
    if value is UNDEFINED:
        return "undefined"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if is_number(value):
        return "number"
    if isinstance(value, str):
        return "string"
    return "object"


def number_to_string(x: float) -> str:
    """Number::toString(10): the shortest digits that read back as ``x``, laid out as JS does."""
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if x == 0:
        return "0"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x < 0:
        return "-" + number_to_string(-x)
    _sign, digits_tuple, exponent = Decimal(repr(x)).normalize().as_tuple()
    digits = "".join(str(d) for d in digits_tuple)
    k, n = len(digits), len(digits) + int(exponent)
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"


def to_string(value: Any) -> str:
    if value is UNDEFINED:
        return "undefined"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return number_to_string(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ",".join("" if item is None or item is UNDEFINED else to_string(item) for item in value)
    return "[object Object]"


def to_primitive(value: Any) -> Any:
    if isinstance(value, list | dict):
        return to_string(value)
    return value


def string_to_number(text: str) -> float:
    text = text.strip(_WHITESPACE)
    if not text:
        return 0.0
    if _DECIMAL.fullmatch(text):
        return float(text.replace("Infinity", "inf"))
    radix = _RADIX.get(text[:2])
    if radix and _RADIX_DIGITS[radix].fullmatch(text[2:]):
        return float(int(text[2:], radix))
    return NAN


def to_number(value: Any) -> float:
    if value is UNDEFINED:
        return NAN
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if is_number(value):
        return float(value)
    if isinstance(value, str):
        return string_to_number(value)
    return to_number(to_primitive(value))


def parse_float(value: Any) -> float:
    """The global parseFloat: the longest decimal prefix of String(value)."""
    match = _DECIMAL.match(to_string(value).lstrip(_WHITESPACE))
    return float(match.group(0).replace("Infinity", "inf")) if match else NAN


def truthy(value: Any) -> bool:
    """json-logic-js's truthy: JavaScript's, except that an empty array is false."""
    if isinstance(value, list):
        return bool(value)
    if value is None or value is UNDEFINED:
        return False
    if isinstance(value, bool):
        return value
    if is_number(value):
        return not (value == 0 or math.isnan(value))
    if isinstance(value, str):
        return value != ""
    return True


def strict_equal(a: Any, b: Any) -> bool:
    kind = type_of(a)
    if kind != type_of(b):
        return False
    if kind == "number":
        return float(a) == float(b)
    if kind == "object":
        return a is b
    return bool(a == b) if kind in ("string", "boolean") else True  # null, undefined


def loose_equal(a: Any, b: Any) -> bool:
    """IsLooselyEqual (``==``)."""
    ta, tb = type_of(a), type_of(b)
    if ta == tb:
        return strict_equal(a, b)
    if {ta, tb} == {"null", "undefined"}:
        return True
    if ta == "number" and tb == "string":
        return float(a) == string_to_number(b)
    if ta == "string" and tb == "number":
        return string_to_number(a) == float(b)
    if ta == "boolean":
        return loose_equal(to_number(a), b)
    if tb == "boolean":
        return loose_equal(a, to_number(b))
    if ta in ("number", "string") and tb == "object":
        return loose_equal(a, to_primitive(b))
    if ta == "object" and tb in ("number", "string"):
        return loose_equal(to_primitive(a), b)
    return False


def add(a: Any, b: Any) -> Any:
    """The ``+`` operator: string concatenation if either side is (or becomes) a string."""
    pa, pb = to_primitive(a), to_primitive(b)
    if isinstance(pa, str) or isinstance(pb, str):
        return to_string(pa) + to_string(pb)
    return to_number(pa) + to_number(pb)


def utf16(text: str) -> bytes:
    return text.encode("utf-16-be", "surrogatepass")


def from_utf16(units: bytes) -> str:
    return units.decode("utf-16-be", "surrogatepass")


def length(text: str) -> int:
    return len(utf16(text)) // 2


def less_than(a: Any, b: Any) -> bool | None:
    """IsLessThan (``a < b``): True, False, or None when a number is NaN (undefined)."""
    pa, pb = to_primitive(a), to_primitive(b)
    if isinstance(pa, str) and isinstance(pb, str):
        return utf16(pa) < utf16(pb)
    na, nb = to_number(pa), to_number(pb)
    if math.isnan(na) or math.isnan(nb):
        return None
    return na < nb


def to_integer(value: Any) -> float:
    """ToIntegerOrInfinity."""
    number = to_number(value)
    if math.isnan(number):
        return 0.0
    if math.isinf(number):
        return number
    return float(math.trunc(number))


def substr(text: str, start: Any, size: Any = UNDEFINED) -> str:
    """String.prototype.substr (Annex B), in UTF-16 code units."""
    units = utf16(text)
    total = len(units) // 2
    begin = to_integer(start)
    if begin == -math.inf:
        begin = 0
    elif begin < 0:
        begin = max(total + begin, 0)
    else:
        begin = min(begin, total)
    count = total if size is UNDEFINED else to_integer(size)
    count = min(max(count, 0), total)
    end = min(begin + count, total)
    if begin >= end:
        return ""
    return from_utf16(units[int(begin) * 2 : int(end) * 2])


def divide(a: float, b: float) -> float:
    if b == 0:
        if a == 0 or math.isnan(a):
            return NAN
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def remainder(a: float, b: float) -> float:
    if math.isnan(a) or math.isnan(b) or math.isinf(a) or b == 0:
        return NAN
    if math.isinf(b) or a == 0:
        return a
    return math.fmod(a, b)


def get(value: Any, key: str) -> Any:
    """``value[key]`` for JSON values (own properties, array/string indices and length)."""
    if isinstance(value, dict):
        return value.get(key, UNDEFINED)
    if isinstance(value, list | str):
        if key == "length":
            return len(value) if isinstance(value, list) else length(value)
        if key.isdigit() and (key == "0" or not key.startswith("0")) and key.isascii():
            index = int(key)
            if isinstance(value, list):
                return value[index] if index < len(value) else UNDEFINED
            units = utf16(value)
            return from_utf16(units[index * 2 : index * 2 + 2]) if index * 2 < len(units) else UNDEFINED
    return UNDEFINED
