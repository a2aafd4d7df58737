"""Submissions (demandes) and their append-only event log, the spine every
reader uses: history, realtime, third-party sync and notifications."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.settings import oauth2_settings

from api.accounts.models import Role
from api.catalog.models import Procedure, ProcedureVersion
from api.core.events import EventRecord
from api.workflows.models import WorkflowVersion


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Submission(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="submissions")
    version = models.ForeignKey(ProcedureVersion, on_delete=models.PROTECT, related_name="submissions")
    # Indexed by the composite indexes below that start with it (Meta.indexes).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="submissions",
        db_index=False,
    )  # fmt: skip
    application = models.ForeignKey(
        oauth2_settings.APPLICATION_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The third-party application that created it, if any.",
    )  # fmt: skip
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    status = models.SlugField(max_length=60, blank=True, db_index=False, help_text="Workflow status once submitted.")
    # --- Processing (the workflow engine's columns, written by actions/processing.py) ---
    workflow_version = models.ForeignKey(
        WorkflowVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The workflow version it follows, kept from sending to the end.",
    )  # fmt: skip
    citizen_status = models.SlugField(
        max_length=60, blank=True, db_index=False,
        help_text="The last status the citizen was shown (internal ones are not).",
    )  # fmt: skip
    status_since = models.DateTimeField(null=True, blank=True)
    role = models.ForeignKey(
        Role, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False,
        help_text="The role whose agents process it: the procedure's receiver until assigned elsewhere.",
    )  # fmt: skip
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_submissions"
    )
    deadline = models.DateTimeField(null=True, blank=True)
    backoffice = models.JSONField(default=dict, blank=True, help_text="Back-office fields, set by agents and actions.")
    closed_at = models.DateTimeField(null=True, blank=True, help_text="When it reached an endpoint status.")
    anonymised_at = models.DateTimeField(null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The agent who entered it for the citizen (at the desk, on the phone).",
    )  # fmt: skip
    search_text = models.TextField(
        blank=True, default="", editable=False, help_text="Answers, reference, code and name as lower-case ASCII words."
    )
    data = models.JSONField(default=dict, blank=True, help_text="Answers: partial while a draft, frozen once sent.")
    revision = models.PositiveIntegerField(default=1, help_text="Bumped by every write; the ETag.")
    # Unique by constraints (Meta): a field's unique=True also adds a LIKE index nothing
    # uses. NULL, not "", until sent: drafts have none, and NULLs never collide.
    reference = models.CharField(max_length=20, null=True, blank=True)  # noqa: DJ001
    tracking_code = models.CharField(max_length=8, null=True, blank=True)  # noqa: DJ001
    requested_fields = models.JSONField(
        default=list, blank=True, help_text="Fields an agent asked the citizen to correct, until they do."
    )
    resume_token_hash = models.CharField(max_length=64, blank=True, help_text="SHA-256 of an anonymous draft's secret.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="When an unsent draft is removed.")

    class Meta:
        ordering = ["-updated_at"]
        # Every index is written by each new request and again by its sending (the
        # sending changes indexed columns): only the indexes a query of the product
        # uses. Single-column indexes that a composite one starts with are left out.
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="submission_unique_reference"),
            models.UniqueConstraint(fields=["tracking_code"], name="submission_unique_tracking_code"),
        ]
        indexes = [
            models.Index(fields=["owner", "state", "-updated_at"]),
            # "My requests": a person's requests, most recently changed first.
            models.Index(fields=["owner", "-updated_at"], name="mine_recent"),
            # The agents' inbox: a role's requests, by status, newest first.
            models.Index(fields=["role", "status", "-submitted_at"], name="inbox_role_status"),
            models.Index(fields=["role", "-submitted_at"], name="inbox_role"),
            models.Index(fields=["closed_at"], condition=models.Q(anonymised_at__isnull=True), name="retention_due"),
            # The worker's sweep of drafts past their lifespan, the longest past first.
            models.Index(fields=["expires_at"], condition=models.Q(state="draft"), name="draft_expiry"),
        ]

    def __str__(self) -> str:
        return self.reference or f"draft {self.pk}"

    @property
    def etag(self) -> str:
        return f'"{self.pk}-{self.revision}"'


class Event(EventRecord):
    """The log of one request: one row per change, written in the change's transaction
    (kinds and payloads: ``events.py``)."""

    subject_type = "submission"
    subject_field = "submission_uuid"

    submission = models.ForeignKey(Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    submission_uuid = models.UUIDField(db_index=True, help_text="Kept after deletion (tombstones).")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")

    class Meta(EventRecord.Meta):
        pass


class Timer(models.Model):
    """Something the worker does later, once, if the request is still in the status
    that set it: a delayed jump (no answer in 30 days → closed) or a deadline's
    expiry. Rows, so they survive restarts; taken by one worker only."""

    class Kind(models.TextChoices):
        JUMP = "jump", _("Delayed jump")
        DEADLINE = "deadline", _("Deadline")

    id = models.BigAutoField(primary_key=True)
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="timers")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.SlugField(
        max_length=60, db_index=False, help_text="The status that set it; leaving it cancels the timer."
    )
    entered_at = models.DateTimeField(help_text="When the request entered that status (tells two stays apart).")
    due_at = models.DateTimeField()
    options = models.JSONField(default=dict, blank=True, help_text="The workflow action's options.")
    done_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, blank=True)

    class Meta:
        indexes = [models.Index(fields=["due_at"], condition=models.Q(done_at__isnull=True), name="timer_due")]

    def __str__(self) -> str:
        return f"{self.kind} of {self.submission_id} at {self.due_at:%Y-%m-%d %H:%M}"


class ReferenceCounter(models.Model):
    """The last reference number given in a year; taken under a row lock, so gapless."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Never the uploaded name: a random name under the submission.
    return f"attachments/{instance.submission_id}/{instance.pk}"


class Attachment(models.Model):
    """A file attached to a submission (for a form field), checked and stored privately."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    field = models.CharField(max_length=63, blank=True, help_text="The form field it answers, if any.")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField(max_length=120, help_text="The sanitised original name, for display.")
    content_type = models.CharField(max_length=100, help_text="Detected from the bytes.")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.ForeignKey("Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name

    def as_value(self) -> dict[str, object]:
        """The value a file field holds for this attachment."""
        return {"id": str(self.pk), "name": self.name, "content_type": self.content_type, "size": self.size}


class Message(models.Model):
    """One message of the thread between the citizen and the agents on a request."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_agent = models.BooleanField(default=False)
    body = models.TextField(max_length=10000)
    requested_fields = models.JSONField(default=list, blank=True, help_text="Fields the agent asks to correct.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"message {self.pk}"


class UploadSession(models.Model):
    """A file being uploaded in several requests (resumable): bytes received so far
    are kept in a private temporary file until the last one arrives."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="upload_sessions")
    field = models.CharField(max_length=63, blank=True)
    name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    offset = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"upload {self.pk} {self.offset}/{self.size}"
