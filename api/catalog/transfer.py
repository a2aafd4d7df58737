"""Import and export of one procedure as a document (schema/procedure-export.schema.json)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jsonschema
from django.db import transaction
from django.utils import timezone
from referencing import Registry, Resource

from api.forms.definition import SCHEMA_PATH as DEFINITION_SCHEMA_PATH
from api.forms.definition import DefinitionError, DefinitionIssue, parse

from . import actions
from .actions import Actor
from .models import Procedure, ProcedureState, ProcedureVersion

EXPORT_SCHEMA_PATH = DEFINITION_SCHEMA_PATH.parent / "procedure-export.schema.json"
FORMAT = "guichet.procedure"
METADATA = [
    *("slug", "title", "summary", "description", "keywords", "requires_account", "estimated_minutes", "icon"),
    *("preparation", "processing_days", "featured"),
]


@cache
def _validator() -> jsonschema.Draft202012Validator:
    definition = json.loads(DEFINITION_SCHEMA_PATH.read_text(encoding="utf-8"))
    export = json.loads(EXPORT_SCHEMA_PATH.read_text(encoding="utf-8"))
    registry: Registry[Any] = Registry().with_resource(definition["$id"], Resource.from_contents(definition))
    return jsonschema.Draft202012Validator(
        export, registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def export(procedure: Procedure, version: ProcedureVersion | None = None) -> dict[str, Any]:
    version = version or procedure.current_version
    if version is None:
        raise ValueError("this procedure has no form yet")
    metadata = {name: getattr(procedure, name) for name in METADATA}
    metadata["category"] = {"slug": procedure.category.slug, "title": procedure.category.title}
    return {
        "format": FORMAT,
        "format_version": 1,
        "exported_at": timezone.now().isoformat(),
        "version": version.number,
        "procedure": metadata,
        "definition": version.definition,
    }


def check(document: Any) -> None:
    """Raise DefinitionError (pointers into the whole document) unless it can be imported."""
    issues = [
        DefinitionIssue("".join(f"/{p}" for p in error.absolute_path), error.message[:300])
        for error in _validator().iter_errors(document)
    ][:50]
    if issues:
        raise DefinitionError(sorted(issues, key=lambda issue: issue.pointer))
    try:
        parse(document["definition"])
    except DefinitionError as error:
        raise DefinitionError([DefinitionIssue("/definition" + i.pointer, i.message) for i in error.issues]) from None


@transaction.atomic
def import_document(document: Any, *, actor: Actor = None) -> tuple[Procedure, ProcedureVersion, bool]:
    """Create or update the procedure a document describes, with its form as a new
    version. Everything or nothing: an invalid document changes nothing."""
    check(document)
    meta = document["procedure"]
    category, _ = actions.upsert_category(meta["category"]["slug"], {"title": meta["category"]["title"]}, actor=actor)
    fields = {name: meta[name] for name in METADATA if name in meta and name != "slug"}
    fields["category"] = category
    created = not Procedure.objects.filter(slug=meta["slug"]).exists()
    if created:
        fields["state"] = ProcedureState.DRAFT  # an imported procedure is published deliberately
    procedure, _ = actions.upsert_procedure(meta["slug"], fields, actor=actor)
    version, _ = actions.save_definition(procedure, document["definition"], actor=actor, comment="import")
    procedure.refresh_from_db()
    return procedure, version, created
