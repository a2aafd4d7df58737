"""The only code that writes workflows: saving a definition as the next version."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from api.accounts.models import Role
from api.core.events import SYSTEM, Actor
from api.forms.definition import DefinitionIssue

from . import events
from .definition import WorkflowError, parse
from .models import DEFAULT_WORKFLOW, Workflow, WorkflowVersion


@transaction.atomic
def save_workflow(
    slug: str, title: str, document: Any, *, actor: Actor = SYSTEM, comment: str = ""
) -> tuple[WorkflowVersion, bool]:
    """Record ``document`` as the workflow's new current version (creating the workflow
    if needed). Versions are immutable; a document equal to the current one changes
    nothing. Raises WorkflowError with every issue, including roles that do not exist."""
    compiled = parse(document)
    missing = sorted(
        compiled.roles() - set(Role.objects.filter(slug__in=compiled.roles()).values_list("slug", flat=True))
    )
    if missing:
        raise WorkflowError([DefinitionIssue("", _("No role is named %(slugs)s.") % {"slugs": ", ".join(missing)})])
    workflow, _created = Workflow.objects.select_for_update().get_or_create(slug=slug, defaults={"title": title})
    if workflow.title != title:
        workflow.title = title
        workflow.save(update_fields=["title", "updated_at"])
    current = workflow.current_version
    if current is not None and current.definition == document:
        return current, False
    latest = workflow.versions.aggregate(n=Max("number"))["n"] or 0
    version = WorkflowVersion.objects.create(
        workflow=workflow, number=latest + 1, definition=document, comment=comment[:300], created_by=actor.user_or_none
    )
    Workflow.objects.filter(pk=workflow.pk).update(current_version=version)
    workflow.current_version = version
    events.workflow_published(workflow, version, current, actor)
    return version, True


def default_version() -> WorkflowVersion:
    """The default workflow's current version, written from the shipped document if it
    is missing (its migration creates it; a database emptied since gets it back)."""
    from .library import SHIPPED, shipped

    version = Workflow.objects.filter(slug=DEFAULT_WORKFLOW).values_list("current_version", flat=True).first()
    if version is not None:
        return WorkflowVersion.objects.get(pk=version)
    saved, _changed = save_workflow(DEFAULT_WORKFLOW, SHIPPED[DEFAULT_WORKFLOW], shipped(DEFAULT_WORKFLOW))
    return saved
