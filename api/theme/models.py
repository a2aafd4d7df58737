"""The municipality's theme: one row of design tokens (decision 0019), and its log."""

from __future__ import annotations

from django.db import models

from api.core.events import EventRecord


class Theme(models.Model):
    """The theme in use; there is one (pk 1). Colours are stored already checked for
    contrast (``tokens.checked``), as #rrggbb."""

    name = models.CharField(max_length=80, blank=True, help_text="The site's name, shown in the header.")
    colours = models.JSONField(default=dict, help_text="Colour tokens by name: see tokens.DEFAULT_COLOURS.")
    fonts = models.JSONField(default=dict, help_text="{'body': font-family, 'headings': font-family}.")
    radius = models.CharField(max_length=8, default="8px")
    links = models.JSONField(default=list, help_text="Header and footer links: [{kind, label, url}].")
    revision = models.PositiveIntegerField(default=0, help_text="Bumped by every change; the ETag.")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name or "Guichet"


class ThemeEvent(EventRecord):
    """The theme's log: every change, with the contrast corrections it needed."""

    subject_type = "theme"
    subject_field = "theme_id"

    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta(EventRecord.Meta):
        pass
