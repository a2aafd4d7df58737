"""The kinds of events in the catalog's log, and one typed builder per kind (called
by the actions only). Payloads are declared in schema/events/<kind>.json."""

from __future__ import annotations

from typing import Any

from api.core.events import Actor, Audience, Kind, declare, record

from .models import CatalogEvent, Category, Procedure, ProcedureVersion


def _declare(name: str) -> Kind:
    return declare(name, CatalogEvent, audience=Audience.INTERNAL)


CATEGORY_CREATED = _declare("category.created")
CATEGORY_UPDATED = _declare("category.updated")
CATEGORY_DELETED = _declare("category.deleted")
PROCEDURE_CREATED = _declare("procedure.created")
PROCEDURE_UPDATED = _declare("procedure.updated")
PROCEDURE_DELETED = _declare("procedure.deleted")
PROCEDURE_PUBLISHED = _declare("procedure.published")


def _who(user: Any) -> Actor:
    return Actor(user=user)


def category_saved(category: Category, user: Any, *, created: bool, changes: dict[str, list[Any]]) -> CatalogEvent:
    event: CatalogEvent = record(
        CATEGORY_CREATED if created else CATEGORY_UPDATED,
        payload={"changes": changes},
        actor=_who(user),
        category=category,
        slug=category.slug,
    )
    return event


def category_deleted(slug: str, user: Any) -> CatalogEvent:
    event: CatalogEvent = record(CATEGORY_DELETED, payload={}, actor=_who(user), slug=slug)
    return event


def procedure_saved(procedure: Procedure, user: Any, *, created: bool, changes: dict[str, list[Any]]) -> CatalogEvent:
    event: CatalogEvent = record(
        PROCEDURE_CREATED if created else PROCEDURE_UPDATED,
        payload={"changes": changes},
        actor=_who(user),
        procedure=procedure,
        slug=procedure.slug,
    )
    return event


def procedure_deleted(slug: str, user: Any) -> CatalogEvent:
    event: CatalogEvent = record(PROCEDURE_DELETED, payload={}, actor=_who(user), slug=slug)
    return event


def procedure_published(
    procedure: Procedure, version: ProcedureVersion, previous: ProcedureVersion | None, user: Any
) -> CatalogEvent:
    event: CatalogEvent = record(
        PROCEDURE_PUBLISHED,
        payload={"version": version.number, "previous": previous.number if previous else None},
        actor=_who(user),
        procedure=procedure,
        slug=procedure.slug,
    )
    return event
