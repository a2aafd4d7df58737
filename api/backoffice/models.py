"""Background work agents start on many requests at once: a bulk action or an
export, with its progress and a per-request report of what failed."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.settings import oauth2_settings

from api.core.events import EventRecord


def export_path(instance: Job, filename: str) -> str:
    return f"exports/{instance.pk}/{filename}"


class Job(models.Model):
    class Kind(models.TextChoices):
        BULK = "bulk", _("Bulk action")
        EXPORT = "export", _("Export")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    application = models.ForeignKey(
        oauth2_settings.APPLICATION_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    roles = models.JSONField(default=list, help_text="The slugs of the roles it acts for.")
    params = models.JSONField(default=dict, help_text="The selection and what to do (or which columns, which format).")
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failures = models.JSONField(default=list, blank=True, help_text="[{id, reference, code, detail}]")
    file = models.FileField(upload_to=export_path, max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} {self.state} {self.done}/{self.total}"


class JobEvent(EventRecord):
    """The jobs' log: queued, progressing, finished (kinds and payloads: ``events.py``)."""

    subject_type = "job"
    subject_field = "job_uuid"

    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    job_uuid = models.UUIDField(db_index=True)

    class Meta(EventRecord.Meta):
        pass


class SavedView(models.Model):
    """An inbox view an agent named: its address's query (filters, order, columns),
    theirs alone or shared with one of their roles."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    role = models.ForeignKey(
        "accounts.Role", null=True, blank=True, on_delete=models.SET_NULL, related_name="saved_views",
        help_text=_("Shared with this role's agents; empty: the owner's alone."),
    )  # fmt: skip
    name = models.CharField(max_length=80)
    query = models.CharField(max_length=1000, blank=True, help_text=_("The inbox address's query string."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="backoffice_view_owner_name")]

    def __str__(self) -> str:
        return self.name


class ViewEvent(EventRecord):
    """The saved views' log: saved, deleted (kinds and payloads: ``events.py``)."""

    subject_type = "view"
    subject_field = "view_uuid"

    view = models.ForeignKey(SavedView, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    view_uuid = models.UUIDField(db_index=True)

    class Meta(EventRecord.Meta):
        pass
