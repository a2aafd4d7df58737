"""Workflow definitions: checked against schema/workflow-definition.schema.json
and against what a schema cannot say (unique ids, statuses that exist, agent
forms the form engine accepts, bounded logic), then compiled into immutable
objects the engine reads. Plain Python: no database."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource

from api.forms import logic
from api.forms.definition import SCHEMA_PATH as FORM_SCHEMA_PATH
from api.forms.definition import Definition, DefinitionError, DefinitionIssue
from api.forms.definition import parse as parse_form

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schema" / "workflow-definition.schema.json"
MAX_ERRORS = 50
RECEIVER = "@receiver"


class WorkflowError(DefinitionError):
    """A workflow document that cannot be used, with every issue (a JSON pointer and a message)."""


@dataclass(frozen=True)
class Text:
    fr: str
    en: str = ""

    def get(self, language: str) -> str:
        return self.en if language == "en" and self.en else self.fr

    def as_dict(self) -> dict[str, str]:
        return {"fr": self.fr, "en": self.en or self.fr}


@dataclass(frozen=True)
class Step:
    """An action run on entering a status (or by a global action): its type and options."""

    type: str
    options: Mapping[str, Any]


@dataclass(frozen=True)
class Status:
    id: str
    label: Text
    citizen_label: Text
    colour: str
    endpoint: bool
    visible: bool
    steps: tuple[Step, ...] = ()


@dataclass(frozen=True)
class Move:
    """What an agent may do: a transition (from some statuses to one) or a global action."""

    id: str
    label: Text
    roles: tuple[str, ...]
    to: str | None
    sources: tuple[str, ...] | None  # None: offered in every status
    comment: str = "none"
    message: str = "none"
    condition: Any = None
    form: Definition | None = None
    steps: tuple[Step, ...] = ()
    is_global: bool = False

    def offered_in(self, status: str) -> bool:
        return self.sources is None or status in self.sources


@dataclass(frozen=True)
class Workflow:
    initial: str
    statuses: Mapping[str, Status]
    transitions: tuple[Move, ...]
    global_actions: tuple[Move, ...]
    document: Mapping[str, Any] = field(repr=False, compare=False)

    def status(self, status_id: str) -> Status | None:
        return self.statuses.get(status_id)

    def move(self, move_id: str, *, is_global: bool = False) -> Move | None:
        moves = self.global_actions if is_global else self.transitions
        return next((move for move in moves if move.id == move_id), None)

    @property
    def endpoints(self) -> list[str]:
        return [status.id for status in self.statuses.values() if status.endpoint]

    def roles(self) -> set[str]:
        """Every role slug the definition names (not @receiver)."""
        named = {role for move in (*self.transitions, *self.global_actions) for role in move.roles}
        for status in self.statuses.values():
            named |= {str(step.options["role"]) for step in status.steps if "role" in step.options}
        return named - {RECEIVER}


@cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    form_schema = json.loads(FORM_SCHEMA_PATH.read_text(encoding="utf-8"))
    registry: Registry[Any] = Registry().with_resource(form_schema["$id"], Resource.from_contents(form_schema))
    return jsonschema.Draft202012Validator(schema, registry=registry)


def _pointer(path: Any) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def schema_issues(document: Any) -> list[DefinitionIssue]:
    issues = [
        DefinitionIssue(_pointer(error.absolute_path), error.message[:300])
        for error in list(_validator().iter_errors(document))[:MAX_ERRORS]
    ]
    return sorted(issues, key=lambda issue: issue.pointer)


def delay(options: Mapping[str, Any]) -> timedelta:
    return timedelta(days=int(options.get("days", 0)), hours=int(options.get("hours", 0)))


def _text(value: Mapping[str, str]) -> Text:
    return Text(value["fr"], value.get("en", ""))


def parse(document: Any) -> Workflow:
    """Check a workflow document and compile it, or raise WorkflowError with every issue."""
    issues = schema_issues(document)
    if issues:
        raise WorkflowError(issues)
    return _compile(document)


class _Compiler:
    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.issues: list[DefinitionIssue] = []
        self.status_ids = [status["id"] for status in document["statuses"]]
        self.form_types: dict[str, tuple[str, str]] = {}  # back-office varname → (type, where)

    def issue(self, pointer: str, message: str) -> None:
        self.issues.append(DefinitionIssue(pointer, message))

    def known(self, status_id: str, pointer: str) -> None:
        if status_id not in self.status_ids:
            self.issue(pointer, f"No status is named {status_id!r}.")

    def unique(self, ids: list[str], pointer: str, what: str) -> None:
        seen: set[str] = set()
        for index, item in enumerate(ids):
            if item in seen:
                self.issue(f"{pointer}/{index}/id", f"Another {what} is already named {item!r}.")
            seen.add(item)

    def logic(self, rule: Any, pointer: str) -> None:
        try:
            logic.check(rule)
        except logic.LogicError as error:
            self.issue(pointer + error.pointer, str(error))

    def steps(self, items: list[Mapping[str, Any]], pointer: str, status: str | None) -> tuple[Step, ...]:
        for index, item in enumerate(items):
            here = f"{pointer}/{index}"
            if item["type"] == "jump_after":
                self.known(item["to"], f"{here}/to")
                if status is None:
                    self.issue(here, "A delayed jump belongs to a status, not to a global action.")
                elif item["to"] == status:
                    self.issue(f"{here}/to", "A delayed jump must lead to another status.")
            if item["type"] == "set_deadline" and status is None:
                self.issue(here, "A deadline belongs to a status, not to a global action.")
            if item["type"] == "set_fields":
                for name, value in item["values"].items():
                    self.logic(value, f"{here}/values/{name}")
        return tuple(Step(item["type"], dict(item)) for item in items)

    def form(self, fields: list[Any] | None, pointer: str) -> Definition | None:
        if not fields:
            return None
        document = {"schema_version": 1, "pages": [{"id": "agent", "title": "agent", "fields": fields}]}
        try:
            compiled = parse_form(document)
        except DefinitionError as error:
            for issue in error.issues:
                self.issue(pointer + issue.pointer.removeprefix("/pages/0/fields"), issue.message)
            return None
        for _page, item in compiled.fields():
            if not item.has_value:
                continue
            if item.type == "block":
                self.issue(pointer, f"An agent form cannot hold a repeatable block ({item.varname}).")
            earlier = self.form_types.setdefault(item.varname, (item.type, pointer))
            if earlier[0] != item.type:
                self.issue(pointer, f"{item.varname!r} is a {earlier[0]} field in {earlier[1]}: one type per name.")
        return compiled

    def move(self, item: Mapping[str, Any], pointer: str, *, is_global: bool) -> Move:
        sources = item.get("from") if not is_global else item.get("in")
        for index, status_id in enumerate(sources or []):
            self.known(status_id, f"{pointer}/{'in' if is_global else 'from'}/{index}")
        if item.get("to") is not None:
            self.known(item["to"], f"{pointer}/to")
        if "condition" in item:
            self.logic(item["condition"], f"{pointer}/condition")
        return Move(
            id=item["id"],
            label=_text(item["label"]),
            roles=tuple(item.get("roles", [RECEIVER])),
            to=item.get("to"),
            sources=tuple(sources) if sources else None,
            comment=item.get("comment", "none"),
            message=item.get("message", "none"),
            condition=item.get("condition"),
            form=self.form(item.get("form"), f"{pointer}/form"),
            steps=self.steps(item.get("actions", []), f"{pointer}/actions", None),
            is_global=is_global,
        )

    def compile(self) -> Workflow:
        document = self.document
        self.unique(self.status_ids, "/statuses", "status")
        self.unique([t["id"] for t in document["transitions"]], "/transitions", "transition")
        self.unique([g["id"] for g in document.get("global_actions", [])], "/global_actions", "global action")
        self.known(document["initial"], "/initial")
        statuses = {}
        for index, item in enumerate(document["statuses"]):
            statuses[item["id"]] = Status(
                id=item["id"],
                label=_text(item["label"]),
                citizen_label=_text(item.get("citizen_label", item["label"])),
                colour=item.get("colour", "#5a5a5a"),
                endpoint=item.get("endpoint", False),
                visible=item.get("visibility", "citizen") == "citizen",
                steps=self.steps(item.get("actions", []), f"/statuses/{index}/actions", item["id"]),
            )
        transitions = tuple(
            self.move(item, f"/transitions/{index}", is_global=False)
            for index, item in enumerate(document["transitions"])
        )
        global_actions = tuple(
            self.move(item, f"/global_actions/{index}", is_global=True)
            for index, item in enumerate(document.get("global_actions", []))
        )
        initial = statuses.get(document["initial"])
        if initial is not None and initial.endpoint:
            self.issue("/initial", "A request cannot start in an endpoint status.")
        if not any(status.endpoint for status in statuses.values()):
            self.issue("/statuses", "At least one status must be an endpoint, where processing ends.")
        if self.issues:
            raise WorkflowError(sorted(self.issues, key=lambda issue: issue.pointer)[:MAX_ERRORS])
        return Workflow(document["initial"], statuses, transitions, global_actions, document)


def _compile(document: Mapping[str, Any]) -> Workflow:
    return _Compiler(document).compile()
