"""The conventions the README states, held by the build: only actions write.

Walks the product's code (not migrations, not tests) and fails on an ORM write —
``save``, ``create``, ``update``, ``delete``, ``get_or_create``,
``update_or_create``, ``bulk_create``, ``bulk_update`` — outside an app's
actions (``actions.py`` or an ``actions/`` package). The few places allowed
are listed below, each with why. The import layers are checked by
``lint-imports`` (pyproject.toml), which ``make lint`` runs."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

API = Path(__file__).resolve().parents[1] / "api"

WRITES = {"save", "create", "delete", "get_or_create", "update_or_create", "bulk_create", "bulk_update"}
#: ``update`` is also a dict's: counted only on what reads as a queryset or a manager.
QUERYSET_STEPS = {"objects", "filter", "exclude", "all", "select_for_update", "_default_manager", "using"}

#: (file relative to api/, enclosing function) → why it may write.
ALLOWED = {
    ("core/events.py", "record"): "the spine's one writer of event rows, called by actions inside their transaction",
    (
        "core/events.py",
        "write_held_events",
    ): "the event rows record() held in an action's held_events block, at its end",
    ("core/outbox.py", "create_deliveries"): "the outbox rows of an event, written with it by record()",
    ("core/outbox.py", "write_held"): "the outbox rows of a use case's events, written at its end by use_case()",
    ("core/outbox.py", "_take"): "the outbox's own bookkeeping (a lease), not a change to anything it tells",
    ("core/outbox.py", "deliver_due"): "the outbox's own bookkeeping (retry schedule)",
    ("core/outbox.py", "_finish"): "the outbox's own bookkeeping (delivered)",
    ("theme/assets.py", "_png"): "Pillow writing an icon's PNG bytes to memory, not a model",
    ("core/sequence.py", "sequence_events"): "the logs' numbering in commit order, not a change they record",
    ("core/idempotency.py", "run_once"): "the stored first response of a write, in that write's transaction",
    ("catalog/models.py", "save"): "ProcedureVersion.save refuses any change, then defers to Model.save",
    ("workflows/models.py", "save"): "WorkflowVersion.save refuses any change, then defers to Model.save",
    ("accounts/models.py", "save"): "User.save derives its sort name from its names, then defers to Model.save",
}
#: Receivers that are file storages, caches or images (Pillow), not models.
NOT_ORM = {"default_storage", "storage", "cache", "caches", "handle", "path", "part", "clean", "session"}


def _receiver_names(node: ast.expr) -> list[str]:
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            names.append(node.id)
            return names
        else:
            return names


class _Finder(ast.NodeVisitor):
    def __init__(self, relative: str) -> None:
        self.relative, self.stack, self.found = relative, ["<module>"], []

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node: ast.Call) -> None:
        self.generic_visit(node)
        if not isinstance(node.func, ast.Attribute):
            return
        method, receiver = node.func.attr, _receiver_names(node.func.value)
        if receiver and receiver[-1] in NOT_ORM:
            return
        orm = method in WRITES or (method == "update" and QUERYSET_STEPS & set(receiver))
        if orm and (self.relative, self.stack[-1]) not in ALLOWED:
            self.found.append(f"{self.relative}:{node.lineno} {self.stack[-1]}() calls .{method}()")


def writes_outside_actions() -> list[str]:
    found: list[str] = []
    for path in sorted(API.rglob("*.py")):
        relative = path.relative_to(API).as_posix()
        parts = relative.split("/")
        if "migrations" in parts or "tests" in parts or parts[-1] == "actions.py" or "actions" in parts[:-1]:
            continue
        finder = _Finder(relative)
        finder.visit(ast.parse(path.read_text(encoding="utf-8")))
        found += finder.found
    return sorted(found)


def test_only_actions_write() -> None:
    assert writes_outside_actions() == []


def test_the_check_finds_a_write_outside_actions(tmp_path: Path) -> None:
    fake = tmp_path / "api"
    (fake / "demo" / "api").mkdir(parents=True)
    (fake / "demo" / "api" / "views.py").write_text(
        "def get(request):\n    Thing.objects.filter(pk=1).update(seen=True)\n    {}.update(a=1)\n    thing.save()\n",
        encoding="utf-8",
    )
    (fake / "demo" / "actions.py").write_text("def act():\n    Thing.objects.create()\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys.modules[__name__], "API", fake)
        assert writes_outside_actions() == [
            "demo/api/views.py:2 get() calls .update()",
            "demo/api/views.py:4 get() calls .save()",
        ]


def test_every_allowed_place_still_exists() -> None:
    for relative, function in ALLOWED:
        source = (API / relative).read_text(encoding="utf-8")
        assert f"def {function}(" in source, (relative, function)
