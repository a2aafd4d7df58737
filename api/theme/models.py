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
    logo = models.ForeignKey("ThemeAsset", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    icons = models.JSONField(
        default=list, help_text="Square icons derived from the logo: [{asset, sizes, type}], for the manifest."
    )
    font_faces = models.JSONField(
        default=list, help_text="Font files served by Guichet: [{family, weight, style, asset, format}]."
    )
    revision = models.PositiveIntegerField(default=0, help_text="Bumped by every change; the ETag.")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name or "Guichet"


class ThemeAsset(models.Model):
    """A file the theme uses (a logo, an icon derived from it, a font file), stored in the
    database and addressed by its SHA-256, so it is served with a year-long cache and
    every process (and every web server) has it."""

    KINDS = [("logo", "logo"), ("icon", "icon"), ("font", "font")]

    sha256 = models.CharField(max_length=64, primary_key=True)
    kind = models.CharField(max_length=8, choices=KINDS)
    content_type = models.CharField(max_length=40)
    data = models.BinaryField()
    source = models.URLField(max_length=500, blank=True, help_text="Where an import found it.")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.path

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.content_type, "bin")

    @property
    def path(self) -> str:
        return f"/api/theme/assets/{self.sha256}.{self.extension}"


EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/svg+xml": "svg",
    "image/x-icon": "ico",
    "font/woff2": "woff2",
    "font/woff": "woff",
}


class ThemeEvent(EventRecord):
    """The theme's log: every change, with the contrast corrections it needed."""

    subject_type = "theme"
    subject_field = "theme_id"

    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta(EventRecord.Meta):
        pass
