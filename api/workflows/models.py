"""Workflows (circuits de traitement) as data: each one a series of immutable
versions of a JSON document (schema/workflow-definition.schema.json). A procedure
version is bound to one workflow version, and a sent request keeps it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from api.core.events import EventRecord

#: The workflow a procedure follows when it names none.
DEFAULT_WORKFLOW = "default"


class Workflow(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    current_version = models.ForeignKey(
        "WorkflowVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("workflow")
        verbose_name_plural = _("workflows")

    def __str__(self) -> str:
        return self.title


class ImmutableWorkflowError(Exception):
    """A workflow version never changes once written; save a new one instead."""


class WorkflowVersion(models.Model):
    workflow = models.ForeignKey(Workflow, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField(help_text="A document valid against schema/workflow-definition.schema.json.")
    comment = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workflow", "number"]
        constraints = [models.UniqueConstraint(fields=["workflow", "number"], name="unique_workflow_version")]

    def __str__(self) -> str:
        return f"{self.workflow.slug} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableWorkflowError(f"version {self.number} of workflow {self.workflow_id} cannot change")
        super().save(*args, **kwargs)


class WorkflowEvent(EventRecord):
    """The workflows' log: every new version (kinds and payloads: ``events.py``)."""

    subject_type = "workflow"
    subject_field = "slug"

    workflow = models.ForeignKey(Workflow, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    slug = models.SlugField(max_length=80)

    class Meta(EventRecord.Meta):
        pass
