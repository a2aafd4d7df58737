"""Per-type cleaning: turn a submitted value into its canonical JSON value, or say why not.

Each cleaner takes the field, the raw value (never None or empty: the
validator handles missing values) and a context, and returns
``(value, errors)`` where errors are ``(code, params)`` pairs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import nir as stdnum_nir
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from .definition import Field

Errors = list[tuple[str, dict[str, Any]]]
Cleaned = tuple[Any, Errors]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_POSTCODE = re.compile(r"^(0[1-9]|[1-8]\d|9[0-8])\d{3}$")


class Context:
    """What cleaning needs besides the value: today's date and resolved data-source choices."""

    def __init__(self, today: date, choices: Mapping[str, list[str]] | None = None) -> None:
        self.today = today
        self.choices = choices or {}


def _bad(code: str, **params: Any) -> Cleaned:
    return None, [(code, params)]


def _string(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) else None


def clean_text(field: Field, value: Any, ctx: Context) -> Cleaned:
    text = _string(value)
    if text is None:
        return _bad("invalid_type", expected="text")
    limit = field.get("max_length", 255 if field.type == "text" else 10000)
    if len(text) > limit:
        return _bad("too_long", limit=limit)
    if len(text) < field.get("min_length", 0):
        return _bad("too_short", limit=field.get("min_length"))
    return text, []


def clean_email(field: Field, value: Any, ctx: Context) -> Cleaned:
    text = _string(value)
    if text is None or len(text) > 254:
        return _bad("invalid_email")
    try:
        validate_email(text)
    except ValidationError:
        return _bad("invalid_email")
    local, _, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}", []


def clean_phone(field: Field, value: Any, ctx: Context) -> Cleaned:
    text = _string(value)
    if text is None or len(text) > 40:
        return _bad("invalid_phone")
    region = field.get("region", "FR")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return _bad("invalid_phone")
    if not phonenumbers.is_valid_number(number):
        return _bad("invalid_phone")
    if not field.get("international", True) and phonenumbers.region_code_for_number(number) != region:
        return _bad("phone_region", region=region)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), []


def clean_number(field: Field, value: Any, ctx: Context) -> Cleaned:
    if isinstance(value, bool):
        return _bad("invalid_number")
    if isinstance(value, str):
        value = value.strip().replace(",", ".")
        if len(value) > 40:
            return _bad("invalid_number")
    if not isinstance(value, int | float | str):
        return _bad("invalid_number")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return _bad("invalid_number")
    if not number.is_finite():
        return _bad("invalid_number")
    decimals = field.get("decimals", 0)
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > decimals:
        return _bad("too_many_decimals", decimals=decimals)
    if "min" in field.options and number < Decimal(str(field.get("min"))):
        return _bad("below_min", limit=field.get("min"))
    if "max" in field.options and number > Decimal(str(field.get("max"))):
        return _bad("above_max", limit=field.get("max"))
    if "step" in field.options:
        base = Decimal(str(field.get("min", 0)))
        if (number - base) % Decimal(str(field.get("step"))) != 0:
            return _bad("invalid_step", step=field.get("step"))
    return (int(number) if number == number.to_integral_value() else float(number)), []


def _date_bound(bound: Any, today: date) -> date:
    if isinstance(bound, str):
        return date.fromisoformat(bound)
    return today + timedelta(days=int(bound.get("days", 0)))


def clean_date(field: Field, value: Any, ctx: Context) -> Cleaned:
    text = _string(value)
    if text is None or not _DATE.match(text):
        return _bad("invalid_date")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return _bad("invalid_date")
    if "min" in field.options and day < (low := _date_bound(field.get("min"), ctx.today)):
        return _bad("date_too_early", limit=low.isoformat())
    if "max" in field.options and day > (high := _date_bound(field.get("max"), ctx.today)):
        return _bad("date_too_late", limit=high.isoformat())
    return day.isoformat(), []


def clean_time(field: Field, value: Any, ctx: Context) -> Cleaned:
    text = _string(value)
    if text is None or not _TIME.match(text):
        return _bad("invalid_time")
    if "min" in field.options and text < field.get("min"):
        return _bad("time_too_early", limit=field.get("min"))
    if "max" in field.options and text > field.get("max"):
        return _bad("time_too_late", limit=field.get("max"))
    return text, []


def clean_boolean(field: Field, value: Any, ctx: Context) -> Cleaned:
    if not isinstance(value, bool):
        return _bad("invalid_type", expected="true/false")
    return value, []


def _allowed(field: Field, ctx: Context) -> set[str]:
    if "options" in field.options:
        return {option["value"] for option in field.get("options")}
    return set(ctx.choices.get(field.pointer, []))


def clean_choice(field: Field, value: Any, ctx: Context) -> Cleaned:
    if not isinstance(value, str) or value not in _allowed(field, ctx):
        return _bad("invalid_choice")
    return value, []


def clean_multichoice(field: Field, value: Any, ctx: Context) -> Cleaned:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return _bad("invalid_type", expected="list of options")
    allowed = _allowed(field, ctx)
    if any(item not in allowed for item in value):
        return _bad("invalid_choice")
    unique = list(dict.fromkeys(value))
    if len(unique) < field.get("min_choices", 0):
        return _bad("too_few_choices", limit=field.get("min_choices"))
    if "max_choices" in field.options and len(unique) > field.get("max_choices"):
        return _bad("too_many_choices", limit=field.get("max_choices"))
    return unique, []


def accepts(patterns: list[str], content_type: str) -> bool:
    for pattern in patterns:
        if pattern.endswith("/*") and content_type.startswith(pattern[:-1]):
            return True
        if pattern == content_type:
            return True
    return False


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{n // 1024} kB"


def clean_file(field: Field, value: Any, ctx: Context) -> Cleaned:
    items = value if isinstance(value, list) else [value]
    if len(items) > field.get("max_files", 1):
        return _bad("too_many_files", limit=field.get("max_files", 1))
    cleaned = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
            return _bad("invalid_file")
        content_type: Any = item.get("content_type")
        size: Any = item.get("size")
        if not isinstance(content_type, str) or not isinstance(size, int) or isinstance(size, bool) or size < 0:
            return _bad("invalid_file")
        accept = field.get("accept")
        if accept and not accepts(accept, content_type):
            return _bad("file_type", accepted=", ".join(accept))
        if "max_size" in field.options and size > field.get("max_size"):
            return _bad("file_too_large", limit=_size(field.get("max_size")))
        name: Any = item.get("name")
        cleaned.append(
            {
                "id": item["id"],
                "name": name[:255] if isinstance(name, str) else "",
                "content_type": content_type,
                "size": size,
            }
        )
    return cleaned, []


def clean_geopoint(field: Field, value: Any, ctx: Context) -> Cleaned:
    if not isinstance(value, dict):
        return _bad("invalid_point")
    lat: Any = value.get("lat")
    lon: Any = value.get("lon")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon)):
        return _bad("invalid_point")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return _bad("invalid_point")
    bounds = field.get("bounds")
    if bounds and not (bounds["south"] <= lat <= bounds["north"] and bounds["west"] <= lon <= bounds["east"]):
        return _bad("out_of_bounds")
    return {"lat": float(lat), "lon": float(lon)}, []


def clean_address(field: Field, value: Any, ctx: Context) -> Cleaned:
    if not isinstance(value, dict):
        return _bad("invalid_address")
    parts = {key: _string(value.get(key)) or "" for key in ("street", "complement", "postcode", "city")}
    if not (parts["street"] and parts["postcode"] and parts["city"]) or any(len(v) > 200 for v in parts.values()):
        return _bad("invalid_address")
    if not _POSTCODE.match(parts["postcode"]):
        return _bad("invalid_postcode")
    return {key: v for key, v in parts.items() if v}, []


def clean_postcode(field: Field, value: Any, ctx: Context) -> Cleaned:
    text = _string(value)
    if text is None or not _POSTCODE.match(text):
        return _bad("invalid_postcode")
    return text, []


def _stdnum(module: Any, code: str) -> Callable[[Field, Any, Context], Cleaned]:
    def clean(field: Field, value: Any, ctx: Context) -> Cleaned:
        text = _string(value)
        if text is None or len(text) > 50:
            return _bad(code)
        try:
            return module.validate(text), []
        except StdnumError:
            return _bad(code)

    return clean


CLEANERS: dict[str, Callable[[Field, Any, Context], Cleaned]] = {
    "text": clean_text,
    "textarea": clean_text,
    "email": clean_email,
    "phone": clean_phone,
    "number": clean_number,
    "date": clean_date,
    "time": clean_time,
    "boolean": clean_boolean,
    "choice": clean_choice,
    "multichoice": clean_multichoice,
    "file": clean_file,
    "geopoint": clean_geopoint,
    "address": clean_address,
    "postcode": clean_postcode,
    "siret": _stdnum(stdnum_siret, "invalid_siret"),
    "siren": _stdnum(stdnum_siren, "invalid_siren"),
    "iban": _stdnum(stdnum_iban, "invalid_iban"),
    "nir": _stdnum(stdnum_nir, "invalid_nir"),
}


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {} or (isinstance(value, str) and not value.strip())
