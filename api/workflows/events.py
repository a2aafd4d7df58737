"""The kinds of events in the workflows' log (called by the actions only).
Payloads are declared in schema/events/<kind>.json."""

from __future__ import annotations

from api.core.events import Actor, Audience, declare, record

from .models import Workflow, WorkflowEvent, WorkflowVersion

WORKFLOW_PUBLISHED = declare("workflow.published", WorkflowEvent, audience=Audience.INTERNAL)


def workflow_published(
    workflow: Workflow, version: WorkflowVersion, previous: WorkflowVersion | None, actor: Actor
) -> WorkflowEvent:
    event: WorkflowEvent = record(
        WORKFLOW_PUBLISHED,
        payload={"version": version.number, "previous": previous.number if previous else None},
        actor=actor,
        workflow=workflow,
        slug=workflow.slug,
    )
    return event
