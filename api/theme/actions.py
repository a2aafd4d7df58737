"""The only writer of the theme: applying tokens (checked for contrast) and recording it."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.db import transaction

from . import events
from .models import Theme
from .tokens import Correction, checked

DEFAULT_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'


def current() -> Theme:
    """The theme in use (the default one until an administrator applies another)."""
    theme = Theme.objects.filter(pk=1).first()
    if theme is None:
        theme = Theme(pk=1, colours=checked({})[0], fonts={"body": DEFAULT_FONT, "headings": DEFAULT_FONT})
    return theme


@transaction.atomic
def apply(tokens: dict[str, Any], user: Any) -> tuple[Theme, list[Correction]]:
    """Apply ``tokens`` (already validated: name, colours, fonts, radius, links); every
    colour pair is brought to WCAG AA contrast, and the corrections are returned and
    recorded."""
    colours, corrections = checked(tokens.get("colours", {}))
    theme = Theme.objects.select_for_update().filter(pk=1).first() or Theme(pk=1)
    theme.name = tokens.get("name", "")
    theme.colours = colours
    fonts = tokens.get("fonts", {})
    theme.fonts = {
        "body": fonts.get("body") or DEFAULT_FONT,
        "headings": fonts.get("headings") or fonts.get("body") or DEFAULT_FONT,
    }
    theme.radius = tokens.get("radius") or "8px"
    theme.links = tokens.get("links", [])
    theme.revision += 1
    theme.save()
    events.applied(theme, user, [{k: v for k, v in asdict(c).items() if k != "message"} for c in corrections])
    return theme, corrections
