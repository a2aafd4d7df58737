"""Properties of the validator over generated definitions and payloads:
it never raises, every error points somewhere real, and valid data round-trips."""

from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.forms.definition import parse
from api.forms.messages import MESSAGES
from api.forms.validation import validate

TODAY = date(2026, 11, 29)
CODES = set(MESSAGES) | {"rule", "post_condition"}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)

OPTIONS = [{"value": v, "label": v.title()} for v in ("a", "b", "c")]

# For each type: extra definition keys, and a strategy of values the type accepts.
TYPES: dict[str, tuple[dict[str, Any], st.SearchStrategy[Any]]] = {
    "text": ({"max_length": 30}, st.text(alphabet="abcdéf XYZ", min_size=1, max_size=30).filter(str.strip)),
    "textarea": ({}, st.text(min_size=1, max_size=200).filter(str.strip)),
    "email": ({}, st.sampled_from(["anne@example.org", "b.c@mairie.example"])),
    "phone": ({}, st.sampled_from(["06 12 34 56 78", "+33 1 23 45 67 89", "+44 20 7946 0958"])),
    "number": ({"min": -100, "max": 100, "decimals": 2}, st.integers(-100, 100)),
    "date": ({"min": "2000-01-01"}, st.dates(date(2000, 1, 1), date(2030, 1, 1)).map(date.isoformat)),
    "time": ({}, st.times().map(lambda t: t.strftime("%H:%M"))),
    "boolean": ({}, st.booleans()),
    "choice": ({"options": OPTIONS}, st.sampled_from(["a", "b", "c"])),
    "multichoice": ({"options": OPTIONS}, st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, unique=True)),
    "geopoint": ({}, st.fixed_dictionaries({"lat": st.floats(-90, 90), "lon": st.floats(-180, 180)})),
    "postcode": ({}, st.sampled_from(["91100", "75001", "97400"])),
    "siren": ({}, st.sampled_from(["732829320", "552100554"])),
}


@st.composite
def definitions(draw: Any) -> tuple[dict[str, Any], dict[str, st.SearchStrategy[Any]]]:
    count = draw(st.integers(1, 8))
    fields, values = [], {}
    for index in range(count):
        kind = draw(st.sampled_from(sorted(TYPES)))
        extra, strategy = TYPES[kind]
        name = f"f{index}"
        item: dict[str, Any] = {"type": kind, "varname": name, "label": name, **extra}
        item["required"] = draw(st.booleans())
        if index and draw(st.booleans()):
            other = f"f{draw(st.integers(0, index - 1))}"
            item["condition"] = draw(
                st.sampled_from([{"!!": [{"var": other}]}, {"!": [{"var": other}]}, {"==": [{"var": other}, "a"]}])
            )
        if draw(st.booleans()):
            item["rules"] = [{"rule": {"!=": [{"var": name}, "zzz"]}, "message": "Pas zzz."}]
        fields.append(item)
        values[name] = strategy
    pages = [{"id": "p1", "title": "P1", "fields": fields[: count // 2 + 1]}]
    if count // 2 + 1 < count:
        pages.append(
            {"id": "p2", "title": "P2", "fields": fields[count // 2 + 1 :], "condition": {"!!": [{"var": "f0"}]}}
        )
    return {"schema_version": 1, "pages": pages}, values


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_validation_never_raises_and_every_error_points_somewhere(data: Any) -> None:
    document, _values = data.draw(definitions())
    definition = parse(document)
    payload = data.draw(st.dictionaries(st.sampled_from([*definition.varnames, "extra"]), json_values) | json_values)
    result = validate(definition, payload, today=TODAY)
    keys = set(payload) if isinstance(payload, dict) else set()
    known = {"/" + str(name).replace("~", "~0").replace("/", "~1") for name in definition.varnames | keys} | {""}
    for error in result.errors:
        assert error.code in CODES
        assert error.message
        assert error.pointer in known
    assert set(result.data) <= definition.varnames


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_valid_payloads_round_trip(data: Any) -> None:
    document, values = data.draw(definitions())
    definition = parse(document)
    payload = {name: data.draw(strategy) for name, strategy in values.items()}
    first = validate(definition, payload, today=TODAY)
    assert first.valid, first.errors
    second = validate(definition, first.data, today=TODAY)
    assert second.valid
    assert second.data == first.data
