"""Procedure definitions: checked against schema/procedure-definition.schema.json
and against the rules a schema cannot say (unique names, known references,
bounded logic), then compiled into immutable objects the validator walks."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import jsonschema
import nh3

from . import logic

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schema" / "procedure-definition.schema.json"
MAX_FIELDS = 1000
MAX_ERRORS = 50

#: Items that only display something: they have no value.
DISPLAY_TYPES = frozenset({"title", "subtitle", "paragraph"})
PARAGRAPH_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4", "blockquote"}


@dataclass(frozen=True)
class DefinitionIssue:
    """One reason a definition is refused: a JSON pointer into it and a message."""

    pointer: str
    message: str


class DefinitionError(ValueError):
    def __init__(self, issues: list[DefinitionIssue]) -> None:
        super().__init__("; ".join(f"{i.pointer or '/'}: {i.message}" for i in issues[:5]))
        self.issues = issues


@dataclass(frozen=True)
class Rule:
    rule: Any
    message: str


@dataclass(frozen=True)
class Field:
    type: str
    varname: str
    pointer: str  # where the field sits in the definition
    options: Mapping[str, Any]
    label: str = ""
    required: bool = False
    condition: Any = None
    rules: tuple[Rule, ...] = ()
    children: tuple[Field, ...] = ()

    @property
    def has_value(self) -> bool:
        return self.type not in DISPLAY_TYPES

    def get(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)


@dataclass(frozen=True)
class Page:
    id: str
    title: str
    fields: tuple[Field, ...]
    condition: Any = None
    post_conditions: tuple[Rule, ...] = ()


@dataclass(frozen=True)
class Definition:
    pages: tuple[Page, ...]
    document: Mapping[str, Any] = field(repr=False, compare=False)

    def fields(self) -> Iterator[tuple[Page, Field]]:
        for page in self.pages:
            for item in page.fields:
                yield page, item

    def page(self, page_id: str) -> Page | None:
        return next((page for page in self.pages if page.id == page_id), None)

    @cached_property
    def takes_files(self) -> bool:
        """Whether any field, at any depth, is a file field (a request of a form without
        one has no files to bind or check)."""

        def any_file(fields: tuple[Field, ...]) -> bool:
            return any(item.type == "file" or any_file(item.children) for item in fields)

        return any(any_file(page.fields) for page in self.pages)

    @property
    def varnames(self) -> set[str]:
        return {item.varname for _page, item in self.fields() if item.has_value}


@cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _pointer(path: Any) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def schema_issues(document: Any) -> list[DefinitionIssue]:
    issues = []
    for error in _validator().iter_errors(document):
        # For a field, report what its type requires rather than every failed branch.
        issues.append(DefinitionIssue(_pointer(error.absolute_path), error.message[:300]))
        if len(issues) >= MAX_ERRORS:
            break
    return sorted(issues, key=lambda issue: issue.pointer)


def sanitise_html(html: str) -> str:
    return nh3.clean(html, tags=PARAGRAPH_TAGS, attributes={"a": {"href"}}, link_rel="noopener noreferrer")


def sanitised(document: Any) -> Any:
    """A copy of a (schema-valid) definition with every paragraph's HTML sanitised,
    so that what is stored and served is safe to render."""
    copy = json.loads(json.dumps(document))

    def clean(items: list[dict[str, Any]]) -> None:
        for item in items:
            if item.get("type") == "paragraph" and isinstance(item.get("html"), str):
                item["html"] = sanitise_html(item["html"])
            if isinstance(item.get("fields"), list):
                clean(item["fields"])

    for page in copy.get("pages", []):
        clean(page.get("fields", []))
    return copy


def parse(document: Any) -> Definition:
    """Check a definition document and compile it, or raise DefinitionError with every issue."""
    issues = schema_issues(document)
    if issues:
        raise DefinitionError(issues)
    return _compile(document)


def _compile(document: Mapping[str, Any]) -> Definition:
    issues: list[DefinitionIssue] = []
    seen_pages: set[str] = set()
    seen_fields: dict[str, str] = {}
    pages = []
    count = 0

    def check_logic(rule: Any, pointer: str) -> None:
        try:
            logic.check(rule)
        except logic.LogicError as error:
            issues.append(DefinitionIssue(pointer + error.pointer, f"invalid JSON Logic: {error}"))

    def rules_of(items: list[dict[str, Any]], pointer: str) -> tuple[Rule, ...]:
        for index, item in enumerate(items):
            check_logic(item["rule"], f"{pointer}/{index}/rule")
        return tuple(Rule(item["rule"], item["message"]) for item in items)

    def build(raw: Mapping[str, Any], pointer: str, names: dict[str, str], in_block: bool) -> Field:
        nonlocal count
        count += 1
        varname = raw["varname"]
        if varname in names:
            issues.append(DefinitionIssue(f"{pointer}/varname", f"{varname!r} is already used at {names[varname]}"))
        names[varname] = pointer
        if "condition" in raw:
            check_logic(raw["condition"], f"{pointer}/condition")
        if raw["type"] == "computed":
            check_logic(raw["expression"], f"{pointer}/expression")
        children: tuple[Field, ...] = ()
        if raw["type"] == "block":
            if in_block:
                issues.append(DefinitionIssue(f"{pointer}/type", "a block cannot contain another block"))
            row_names: dict[str, str] = {}
            children = tuple(
                build(child, f"{pointer}/fields/{i}", row_names, True) for i, child in enumerate(raw["fields"])
            )
            if raw.get("min_rows", 0) > raw.get("max_rows", 10):
                issues.append(DefinitionIssue(f"{pointer}/min_rows", "min_rows is greater than max_rows"))
        for low, high in (("min", "max"), ("min_length", "max_length"), ("min_choices", "max_choices")):
            if low in raw and high in raw and _comparable(raw[low]) and raw[low] > raw[high]:
                issues.append(DefinitionIssue(f"{pointer}/{low}", f"{low} is greater than {high}"))
        if raw["type"] in {"choice", "multichoice"}:
            if ("options" in raw) == ("data_source" in raw):
                issues.append(DefinitionIssue(pointer, "give either options or a data_source"))
            values = [option["value"] for option in raw.get("options", [])]
            if len(values) != len(set(values)):
                issues.append(DefinitionIssue(f"{pointer}/options", "option values must be unique"))
        options = {k: v for k, v in raw.items() if k not in {"type", "varname", "label", "required", "condition"}}
        if raw["type"] == "paragraph":
            options["html"] = sanitise_html(raw["html"])
        return Field(
            type=raw["type"],
            varname=varname,
            pointer=pointer,
            options=options,
            label=raw.get("label", ""),
            required=bool(raw.get("required", False)) and raw["type"] not in DISPLAY_TYPES | {"computed"},
            condition=raw.get("condition"),
            rules=rules_of(raw.get("rules", []), f"{pointer}/rules"),
            children=children,
        )

    for page_index, raw_page in enumerate(document["pages"]):
        pointer = f"/pages/{page_index}"
        if raw_page["id"] in seen_pages:
            issues.append(DefinitionIssue(f"{pointer}/id", f"page id {raw_page['id']!r} is used twice"))
        seen_pages.add(raw_page["id"])
        if "condition" in raw_page:
            check_logic(raw_page["condition"], f"{pointer}/condition")
        fields = tuple(
            build(raw, f"{pointer}/fields/{i}", seen_fields, False) for i, raw in enumerate(raw_page["fields"])
        )
        pages.append(
            Page(
                id=raw_page["id"],
                title=raw_page["title"],
                fields=fields,
                condition=raw_page.get("condition"),
                post_conditions=rules_of(raw_page.get("post_conditions", []), f"{pointer}/post_conditions"),
            )
        )
    if count > MAX_FIELDS:
        issues.append(DefinitionIssue("/pages", f"more than {MAX_FIELDS} fields"))
    if issues:
        raise DefinitionError(issues[:MAX_ERRORS])
    return Definition(pages=tuple(pages), document=document)


def _comparable(value: Any) -> bool:
    return isinstance(value, int | float | str) and not isinstance(value, bool)
