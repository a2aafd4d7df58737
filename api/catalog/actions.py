"""The only code that writes the catalog. Each action runs in a transaction and
records its event (``events.py``) for what it changed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import nh3
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import ForeignKey, Max, Model

from api.forms import definition as forms
from api.workflows.actions import default_version
from api.workflows.library import current_version
from api.workflows.models import Workflow, WorkflowVersion

from . import events
from .models import Category, Procedure, ProcedureVersion
from .search import normalise

Actor = AbstractBaseUser | AnonymousUser | None

# Rich text a municipality may use in descriptions; everything else is removed.
RICH_TEXT_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4", "blockquote"}
RICH_TEXT_ATTRIBUTES = {"a": {"href", "title"}}


def sanitise_rich_text(html: str) -> str:
    return nh3.clean(
        html,
        tags=RICH_TEXT_TAGS,
        attributes=RICH_TEXT_ATTRIBUTES,
        url_schemes={"https", "http", "mailto", "tel"},
        link_rel="noopener noreferrer",
    ).strip()


def _actor(actor: Actor) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def _json(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Model):
        return value.pk
    return value


def _apply(instance: Model, fields: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Set fields on instance; return {field: [before, after]} for those that changed."""
    changes: dict[str, list[Any]] = {}
    for name, value in fields.items():
        field = instance._meta.get_field(name)
        if isinstance(field, ForeignKey):
            before = getattr(instance, field.attname)
            after = value.pk if value is not None else None
        else:
            before, after = getattr(instance, name), value
        if before != after:
            changes[name] = [_json(before), _json(after)]
            setattr(instance, name, value)
    return changes


def _search_text(procedure: Procedure) -> str:
    parts = [procedure.title, procedure.summary, " ".join(procedure.keywords or []), procedure.category.title]
    return normalise(" ".join(parts))


@transaction.atomic
def upsert_category(slug: str, fields: Mapping[str, Any], *, actor: Actor = None) -> tuple[Category, bool]:
    """Create or update the category ``slug``; return it and whether anything changed."""
    category = Category.objects.select_for_update().filter(slug=slug).first()
    created = category is None
    if category is None:
        category = Category(slug=slug)
    changes = _apply(category, fields)
    if not created and not changes:
        return category, False
    category.full_clean()
    category.save()
    if not created and "title" in changes:
        for procedure in category.procedures.select_for_update():
            procedure.search_text = _search_text(procedure)
            procedure.save(update_fields=["search_text"])
    events.category_saved(category, _actor(actor), created=created, changes=changes)
    return category, True


@transaction.atomic
def upsert_procedure(slug: str, fields: Mapping[str, Any], *, actor: Actor = None) -> tuple[Procedure, bool]:
    """Create or update the procedure ``slug``; return it and whether anything changed.

    The description is sanitised and the search text recomputed here, so no
    other path can store unsafe HTML or a stale search index.
    """
    fields = dict(fields)
    if "description" in fields:
        fields["description"] = sanitise_rich_text(fields["description"] or "")
    if "keywords" in fields:
        fields["keywords"] = [str(k).strip() for k in fields["keywords"] or [] if str(k).strip()]
    if "preparation" in fields and fields["preparation"] is None:
        fields["preparation"] = []
    preparation = fields.get("preparation")
    if isinstance(preparation, list) and all(isinstance(item, str) for item in preparation):
        fields["preparation"] = [item.strip() for item in preparation if item.strip()]  # else full_clean refuses it
    procedure = Procedure.objects.select_for_update().filter(slug=slug).first()
    created = procedure is None
    if procedure is None:
        procedure = Procedure(slug=slug)
    changes = _apply(procedure, fields)
    if not created and not changes:
        return procedure, False
    procedure.search_text = _search_text(procedure)
    procedure.sort_title = normalise(procedure.title)[:200]
    procedure.full_clean()
    procedure.save()
    events.procedure_saved(procedure, _actor(actor), created=created, changes=changes)
    if "workflow" in changes and procedure.current_version is not None:
        # The next version keeps the form and binds the new workflow's current version.
        save_definition(procedure, procedure.current_version.definition, actor=actor, comment="workflow")
    return procedure, True


@transaction.atomic
def delete_procedure(procedure: Procedure, *, actor: Actor = None) -> None:
    events.procedure_deleted(procedure.slug, _actor(actor))
    procedure.delete()


@transaction.atomic
def delete_category(category: Category, *, actor: Actor = None) -> None:
    """Delete an empty category (procedures protect their category)."""
    events.category_deleted(category.slug, _actor(actor))
    category.delete()


def _workflow_version(procedure: Procedure) -> WorkflowVersion:
    workflow: Workflow | None = procedure.workflow
    return current_version(workflow.slug) if workflow is not None else default_version()


@transaction.atomic
def save_definition(
    procedure: Procedure, document: Any, *, actor: Actor = None, comment: str = ""
) -> tuple[ProcedureVersion, bool]:
    """Record ``document`` as the procedure's new current version, bound to the current
    version of the procedure's workflow.

    Versions are immutable: editing a form always creates the next version, and
    submissions keep pointing to the one they were filled against. Saving a
    document equal to the current one (with the same workflow) changes nothing.
    Raises DefinitionError (from api.forms) with every issue when the document is
    not valid.
    """
    forms.parse(document)
    document = forms.sanitised(document)
    procedure = Procedure.objects.select_for_update(of=("self",)).select_related("workflow").get(pk=procedure.pk)
    bound = _workflow_version(procedure)
    current = procedure.current_version
    if current is not None and current.definition == document and current.workflow_version_id == bound.pk:
        return current, False
    latest = procedure.versions.aggregate(n=Max("number"))["n"] or 0
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=latest + 1,
        definition=document,
        workflow_version=bound,
        comment=comment[:300],
        created_by=_actor(actor),
    )
    Procedure.objects.filter(pk=procedure.pk).update(current_version=version)
    events.procedure_published(procedure, version, current, _actor(actor))
    return version, True


def bind_workflow(procedure: Procedure, workflow: Workflow | None, *, actor: Actor = None) -> Procedure:
    """Make ``procedure`` follow ``workflow`` (the default one for None). Its next
    version keeps the form and binds that workflow's current version; requests
    already sent keep the workflow version they were sent with."""
    saved, _changed = upsert_procedure(procedure.slug, {"workflow": workflow}, actor=actor)
    return saved
