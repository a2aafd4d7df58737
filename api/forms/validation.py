"""Validate a submission payload against a definition: every error at once.

Plain Python: no HTTP, no database. The same function serves the PWA, the
widgets, third-party apps and imports, for a whole form or one page.

Semantics, in document order:
1. every submitted value is cleaned to its canonical JSON value;
2. pages and fields are walked in order; a page or field whose condition is
   falsy is hidden, and its value leaves the data that later conditions see;
   computed fields take their value when reached;
3. visible fields are checked (required, type, extra rules); visible pages'
   post-conditions are checked;
4. the result's data holds only visible fields (hidden values are dropped).

Inside a repeatable block, a child's condition and rules see the form's data
plus ``row``, the current row's values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from . import logic
from .definition import Definition, Field, Page
from .fields import CLEANERS, Context, is_empty
from .jslogic import LogicEvaluationError
from .messages import message


@dataclass(frozen=True)
class FormError:
    pointer: str  # JSON pointer into the payload ("" for the whole form or a page)
    code: str
    message: str
    page: str | None = None


@dataclass
class Result:
    data: dict[str, Any]
    errors: list[FormError] = field(default_factory=list)
    visible_pages: list[str] = field(default_factory=list)
    visible_fields: list[str] = field(default_factory=list)  # varnames, in document order

    @property
    def valid(self) -> bool:
        return not self.errors


def _evaluate(rule: Any, data: Any) -> Any:
    try:
        return logic.evaluate(rule, data)
    except (LogicEvaluationError, RecursionError):  # thrown in the browser too: null there
        return None


def _holds(rule: Any, data: Any) -> bool:
    return logic.holds(rule, data)


class _Run:
    def __init__(self, definition: Definition, payload: Mapping[str, Any], ctx: Context, page: str | None) -> None:
        self.definition = definition
        self.payload = payload
        self.ctx = ctx
        self.only_page = page
        self.errors: list[FormError] = []
        self.data: dict[str, Any] = {}  # what conditions see
        self.pending: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        self.visible: dict[str, None] = {}  # an ordered set

    def report(self, page: Page, pointer: str, code: str, text: str | None = None, **params: Any) -> None:
        if self.only_page is None or page.id == self.only_page:
            self.errors.append(FormError(pointer, code, text or message(code, **params), page.id))

    def clean_all(self) -> None:
        for _page, item in self.definition.fields():
            if not item.has_value or item.type in {"computed", "block"} or item.varname not in self.payload:
                continue
            raw = self.payload[item.varname]
            if is_empty(raw):
                continue
            value, errors = CLEANERS[item.type](item, raw, self.ctx)
            if errors:
                self.pending[item.varname] = errors
            else:
                self.data[item.varname] = value

    def walk(self) -> list[str]:
        visible_pages = []
        for page in self.definition.pages:
            page_visible = page.condition is None or _holds(page.condition, self.data)
            if page_visible:
                visible_pages.append(page.id)
            for item in page.fields:
                if not item.has_value:
                    continue
                if not page_visible or (item.condition is not None and not _holds(item.condition, self.data)):
                    self.data.pop(item.varname, None)
                    continue
                self.visible[item.varname] = None
                if item.type == "computed":
                    self.data[item.varname] = _evaluate(item.get("expression"), self.data)
                elif item.type == "block":
                    self.clean_block(page, item)
                else:
                    self.check(page, item, f"/{_escape(item.varname)}", self.data)
            if page_visible:
                for rule in page.post_conditions:
                    if not _holds(rule.rule, self.data):
                        self.report(page, "", "post_condition", rule.message)
        return visible_pages

    def check(self, page: Page, item: Field, pointer: str, scope: Mapping[str, Any]) -> None:
        for code, params in self.pending.pop(item.varname, []) if scope is self.data else []:
            self.report(page, pointer, code, **params)
        value = scope.get(item.varname)
        if value is None:
            if item.required and not any(e.pointer == pointer for e in self.errors):
                self.report(page, pointer, "required")
            return
        for rule in item.rules:
            if not _holds(rule.rule, self.data if scope is self.data else {**self.data, "row": scope}):
                self.report(page, pointer, "rule", rule.message)

    def clean_block(self, page: Page, block: Field) -> None:
        pointer = f"/{_escape(block.varname)}"
        raw = self.payload.get(block.varname)
        rows_in = [] if raw is None else raw
        if not isinstance(rows_in, list):
            self.report(page, pointer, "invalid_type", expected="list of rows")
            return
        if len(rows_in) > block.get("max_rows", 10):
            self.report(page, pointer, "too_many_rows", limit=block.get("max_rows", 10))
            return
        rows = []
        for index, raw_row in enumerate(rows_in):
            row_pointer = f"{pointer}/{index}"
            if not isinstance(raw_row, dict):
                self.report(page, row_pointer, "invalid_row")
                continue
            rows.append(self.clean_row(page, block, raw_row, row_pointer))
        if len(rows_in) < block.get("min_rows", 0):
            self.report(page, pointer, "too_few_rows", limit=block.get("min_rows", 0))
        if block.required and not rows_in and block.get("min_rows", 0) == 0:
            self.report(page, pointer, "required")
        self.data[block.varname] = rows

    def clean_row(self, page: Page, block: Field, raw: Mapping[str, Any], pointer: str) -> dict[str, Any]:
        row: dict[str, Any] = {}
        errors: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for child in block.children:
            if child.has_value and child.type != "computed" and not is_empty(raw.get(child.varname)):
                value, child_errors = CLEANERS[child.type](child, raw[child.varname], self.ctx)
                if child_errors:
                    errors[child.varname] = child_errors
                else:
                    row[child.varname] = value
        for name in raw.keys() - {c.varname for c in block.children if c.has_value}:
            self.report(page, f"{pointer}/{_escape(str(name))}", "unknown_field")
        for child in block.children:
            if not child.has_value:
                continue
            scope = {**self.data, "row": row}
            if child.condition is not None and not _holds(child.condition, scope):
                row.pop(child.varname, None)
                continue
            if child.type == "computed":
                row[child.varname] = _evaluate(child.get("expression"), scope)
                continue
            child_pointer = f"{pointer}/{_escape(child.varname)}"
            for code, params in errors.get(child.varname, []):
                self.report(page, child_pointer, code, **params)
            self.check(page, child, child_pointer, row)
        return row


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def validate(
    definition: Definition,
    payload: Any,
    *,
    today: date,
    page: str | None = None,
    choices: Mapping[str, list[str]] | None = None,
) -> Result:
    """Validate ``payload`` (a JSON object of varname: value) against ``definition``.

    ``page`` limits the reported errors to one page (visibility still uses the
    whole payload). ``choices`` gives the values allowed by data-source fields,
    keyed by the field's pointer in the definition.
    """
    if not isinstance(payload, Mapping):
        return Result({}, [FormError("", "invalid_type", message("invalid_type", expected="object"))])
    if page is not None and definition.page(page) is None:
        return Result({}, [FormError("", "page_unknown", message("page_unknown"), page)])
    run = _Run(definition, payload, Context(today, choices), page)
    run.clean_all()
    visible_pages = run.walk()
    if page is None:
        for name in sorted(payload.keys() - definition.varnames):
            run.errors.append(FormError(f"/{_escape(str(name))}", "unknown_field", message("unknown_field")))
    data = {name: value for name, value in run.data.items() if name in run.visible}
    return Result(data, run.errors, visible_pages, list(run.visible))
