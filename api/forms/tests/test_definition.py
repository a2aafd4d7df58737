"""Definitions: the JSON Schema and the checks beyond it, with pointers to the faulty node."""

from copy import deepcopy
from typing import Any

import pytest

from api.forms.definition import DISPLAY_TYPES, DefinitionError, parse

from .samples import EVERY_TYPE


def issues(document: Any) -> list[tuple[str, str]]:
    with pytest.raises(DefinitionError) as error:
        parse(document)
    return [(issue.pointer, issue.message) for issue in error.value.issues]


def test_a_definition_using_every_type_is_accepted() -> None:
    definition = parse(EVERY_TYPE)
    types = {item.type for _page, item in definition.fields()}
    types |= {child.type for _page, item in definition.fields() for child in item.children}
    assert len(types) == 23
    paragraph = next(item for _page, item in definition.fields() if item.type == "paragraph")
    assert paragraph.get("html") == "<p>Texte <strong>gras</strong></p>"
    assert types > DISPLAY_TYPES


def test_schema_errors_point_at_the_node() -> None:
    document = deepcopy(EVERY_TYPE)
    document["pages"][0]["fields"][3]["max_length"] = "long"
    document["pages"][1]["fields"][0]["accept"] = ["not a type"]
    document["pages"][0]["fields"][4]["colour"] = "red"
    found = issues(document)
    pointers = [pointer for pointer, _ in found]
    assert "/pages/0/fields/3/max_length" in pointers
    assert "/pages/1/fields/0/accept/0" in pointers
    assert any(pointer == "/pages/0/fields/4" and "colour" in message for pointer, message in found)


@pytest.mark.parametrize(
    ("change", "pointer", "text"),
    [
        (lambda d: d["pages"][0]["fields"][4].update(varname="nom"), "/pages/0/fields/4/varname", "already used"),
        (lambda d: d["pages"][1].update(id="identite"), "/pages/1/id", "used twice"),
        (lambda d: d["pages"][0]["fields"][7].update(min=10, max=1), "/pages/0/fields/7/min", "greater"),
        (
            lambda d: d["pages"][1].update(condition={"eval": "1"}),
            "/pages/1/condition",
            "unknown operator",
        ),
        (
            lambda d: d["pages"][0]["fields"][13].update(options=[{"value": "a", "label": "A"}] * 2),
            "/pages/0/fields/13/options",
            "unique",
        ),
        (
            lambda d: d["pages"][0]["fields"][13].update(data_source={"url": "https://x.example/a.json"}),
            "/pages/0/fields/13",
            "either options or a data_source",
        ),
        (
            lambda d: d["pages"][1]["fields"][10]["fields"].append(
                {
                    "type": "block",
                    "varname": "b",
                    "label": "B",
                    "fields": [{"type": "boolean", "varname": "x", "label": "X"}],
                }
            ),
            "/pages/1/fields/10/fields/4/type",
            "cannot contain another block",
        ),
    ],
)
def test_semantic_errors_point_at_the_node(change: Any, pointer: str, text: str) -> None:
    document = deepcopy(EVERY_TYPE)
    change(document)
    assert any(p == pointer and text in message for p, message in issues(document)), issues(document)


@pytest.mark.parametrize(
    "document",
    [
        None,
        [],
        {"schema_version": 2, "pages": []},
        {"schema_version": 1, "pages": [{"id": "p", "title": "P", "fields": [{"type": "script", "varname": "x"}]}]},
        {"schema_version": 1, "pages": [{"id": "P!", "title": "P", "fields": []}]},
        {"schema_version": 1, "pages": [{"id": "p", "title": "P", "fields": [{"type": "text", "varname": "x"}]}] * 51},
    ],
)
def test_malformed_documents_are_refused(document: Any) -> None:
    assert issues(document)


def test_a_definition_knows_whether_it_takes_files() -> None:
    """What lets a send skip reading files: any file field, at any depth, counts."""
    assert parse(EVERY_TYPE).takes_files
    without = deepcopy(EVERY_TYPE)
    for page in without["pages"]:
        page["fields"] = [f for f in page["fields"] if f["type"] != "file"]
    assert not parse(without).takes_files
    in_block = deepcopy(without)
    block = next(f for page in in_block["pages"] for f in page["fields"] if f["type"] == "block")
    block["fields"].append({"type": "file", "varname": "justificatif", "label": "Justificatif"})
    assert parse(in_block).takes_files
