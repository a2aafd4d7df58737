"""A database check: no stored text that cannot be read back.

The API refuses lone surrogates and NUL characters at input (``jsonbody``), but
rows written before that, or by other paths (the admin, a shell, an import),
could still hold one: on SQLite such a value is stored, and every later read of
it fails to encode. ``manage.py check --database default`` runs this scan over
every text and JSON column of Guichet's own apps and names each faulty value."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.core.checks import CheckMessage, Error, Tags, register
from django.db import DatabaseError, connection, models, transaction

from .jsonbody import bad_text

APPS = ("core", "accounts", "catalog", "submissions")


def _faults(value: Any, pointer: str = "") -> Iterator[str]:
    stack: list[tuple[Any, str]] = [(value, pointer)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if bad_text(item):
                yield where or "/"
        elif isinstance(item, dict):
            for key, child in item.items():
                if isinstance(key, str) and bad_text(key):
                    yield f"{where}/(key)"
                stack.append((child, f"{where}/{key}"))
        elif isinstance(item, list):
            stack.extend((child, f"{where}/{index}") for index, child in enumerate(item))


def unreadable_values() -> Iterator[tuple[str, Any, str, str]]:
    """(model label, primary key, column, JSON pointer) of every faulty stored value.
    Tables not migrated yet (``migrate`` runs the checks first) are skipped."""
    existing = set(connection.introspection.table_names())
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            columns = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, models.JSONField | models.TextField | models.CharField) and not f.primary_key
            ]
            if not columns or model._meta.db_table not in existing:
                continue
            try:
                with transaction.atomic():
                    for row in model._default_manager.values_list("pk", *columns).iterator(chunk_size=500):
                        pk, values = row[0], row[1:]
                        for column, value in zip(columns, values, strict=True):
                            for pointer in _faults(value):
                                yield model._meta.label, pk, column, pointer
            except DatabaseError:  # a column not migrated yet: nothing of it to check
                continue


@register(Tags.database)
def check_stored_text(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not databases:
        return []
    return [
        Error(
            f"{label} {pk}: {column}{pointer if pointer != '/' else ''} holds text that cannot be read back "
            "(a lone surrogate or a NUL character).",
            hint="Correct or clear that value; the API no longer accepts such text.",
            id="guichet.E001",
        )
        for label, pk, column, pointer in unreadable_values()
    ]
