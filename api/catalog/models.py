"""The procedure catalog: categories and procedures (démarches)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.core.events import EventRecord

icon_validator = RegexValidator(r"^[a-z0-9]+(-[a-z0-9]+)*$", _("Use lower-case letters, digits and dashes."))

#: What a procedure page lists to prepare: a few short lines.
PREPARATION_ITEMS, PREPARATION_ITEM_LENGTH = 20, 200


def preparation_validator(value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) and "\x00" not in item for item in value):
        raise ValidationError(_("Give a list of lines of text."), code="invalid")
    if len(value) > PREPARATION_ITEMS:
        raise ValidationError(_("At most %(n)d lines.") % {"n": PREPARATION_ITEMS}, code="too-many")
    if any(len(item) > PREPARATION_ITEM_LENGTH for item in value):
        raise ValidationError(
            _("Each line has at most %(n)d characters.") % {"n": PREPARATION_ITEM_LENGTH}, code="too-long"
        )


class ProcedureState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class Category(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    icon = models.CharField(_("icon"), max_length=40, blank=True, validators=[icon_validator])
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.title


def visible_q(now: datetime, prefix: str = "") -> Q:
    """Published and open at ``now``: what the public may see (``prefix`` for relations)."""
    return (
        Q(**{f"{prefix}state": ProcedureState.PUBLISHED})
        & (Q(**{f"{prefix}opens_at__isnull": True}) | Q(**{f"{prefix}opens_at__lte": now}))
        & (Q(**{f"{prefix}closes_at__isnull": True}) | Q(**{f"{prefix}closes_at__gt": now}))
    )


class ProcedureQuerySet(models.QuerySet["Procedure"]):
    def visible(self, now: datetime | None = None) -> ProcedureQuerySet:
        return self.filter(visible_q(now or timezone.now()))


class Procedure(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), blank=True, help_text=_("Rich text (sanitised HTML)."))
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("category")
    )
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=ProcedureState.choices, default=ProcedureState.DRAFT)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    requires_account = models.BooleanField(_("requires an account"), default=False)
    tracking_codes = models.BooleanField(
        _("tracking codes"), default=True, help_text=_("Give each request a code to follow it without an account.")
    )
    estimated_minutes = models.PositiveIntegerField(
        _("estimated duration (minutes)"), null=True, blank=True, help_text=_("How long filling it in takes.")
    )
    icon = models.CharField(_("icon"), max_length=40, blank=True, validators=[icon_validator])
    preparation = models.JSONField(
        _("what to prepare"),
        default=list,
        blank=True,
        validators=[preparation_validator],
        help_text=_("What to have at hand before starting (documents, numbers), one item per line."),
    )
    processing_days = models.PositiveIntegerField(
        _("usual processing time (days)"),
        null=True,
        blank=True,
        help_text=_("How many days the service usually takes to answer a request."),
    )
    featured = models.BooleanField(
        _("featured"), default=False, help_text=_("Shown on the app's home page, among the most asked for.")
    )
    receiver_role = models.ForeignKey(
        "accounts.Role",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="procedures",
        verbose_name=_("receiver role"),
        help_text=_("The service whose agents process this procedure's requests."),
    )
    workflow = models.ForeignKey(
        "workflows.Workflow",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="procedures",
        verbose_name=_("workflow"),
        help_text=_("How its requests are processed (the default workflow when empty)."),
    )
    retention_days = models.PositiveIntegerField(
        _("retention (days)"),
        default=90,
        help_text=_("How long a processed request keeps its personal answers before they are removed."),
    )
    current_version = models.ForeignKey(
        "ProcedureVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("current version"),
    )
    search_text = models.TextField(editable=False, default="")
    # The title reduced to ASCII words, so that ordering by title is the same,
    # accent-insensitive, on SQLite and PostgreSQL whatever their collation.
    sort_title = models.CharField(max_length=200, editable=False, default="", db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        ordering = ["sort_title", "slug"]
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="procedure_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def availability(self, now: datetime | None = None) -> str:
        """``open``, ``draft``, ``closed`` or ``not_yet_open`` at ``now``."""
        now = now or timezone.now()
        if self.state == ProcedureState.DRAFT:
            return "draft"
        if self.state == ProcedureState.CLOSED or (self.closes_at is not None and self.closes_at <= now):
            return "closed"
        if self.opens_at is not None and self.opens_at > now:
            return "not_yet_open"
        return "open"


class ImmutableVersionError(Exception):
    """A procedure version never changes once written; save a new one instead."""


class ProcedureVersion(models.Model):
    """An immutable snapshot of a procedure's form and of the workflow version its
    requests follow. Submissions point to one."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField(help_text="A document valid against schema/procedure-definition.schema.json.")
    workflow_version = models.ForeignKey(
        "workflows.WorkflowVersion", null=True, on_delete=models.PROTECT, related_name="procedure_versions"
    )
    comment = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["procedure", "number"]
        constraints = [models.UniqueConstraint(fields=["procedure", "number"], name="unique_version_number")]

    def __str__(self) -> str:
        return f"{self.procedure.slug} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableVersionError(f"version {self.number} of {self.procedure_id} cannot change")
        super().save(*args, **kwargs)


class CatalogEvent(EventRecord):
    """The catalog's log: every change to categories and procedures (kinds and
    payloads: ``events.py``)."""

    subject_type = "catalog"
    subject_field = "slug"

    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    procedure = models.ForeignKey(Procedure, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    slug = models.SlugField(max_length=80, help_text="The slug at the time of the event (kept after deletion).")

    class Meta(EventRecord.Meta):
        pass
