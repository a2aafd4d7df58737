"""The default workflow (received → in progress → accepted / refused / closed), which
every procedure follows until it is given another."""

from typing import Any

from django.db import migrations


def create_default(apps: Any, schema_editor: Any) -> None:
    from api.workflows.library import SHIPPED, shipped
    from api.workflows.models import DEFAULT_WORKFLOW

    Workflow = apps.get_model("workflows", "Workflow")
    WorkflowVersion = apps.get_model("workflows", "WorkflowVersion")
    WorkflowEvent = apps.get_model("workflows", "WorkflowEvent")
    workflow, _created = Workflow.objects.get_or_create(slug=DEFAULT_WORKFLOW, defaults={"title": SHIPPED[DEFAULT_WORKFLOW]})
    if workflow.current_version_id is None:
        version = WorkflowVersion.objects.create(workflow=workflow, number=1, definition=shipped(DEFAULT_WORKFLOW))
        workflow.current_version = version
        workflow.save(update_fields=["current_version"])
        WorkflowEvent.objects.create(
            kind="workflow.published",
            audience="internal",
            payload={"version": 1, "previous": None},
            workflow=workflow,
            slug=workflow.slug,
        )


class Migration(migrations.Migration):
    dependencies = [("workflows", "0001_initial")]
    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
