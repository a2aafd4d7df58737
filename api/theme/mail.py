"""The theme as emails need it: colours, font, name, an absolute logo address and the
site's links, for the notification templates' inline styles (mail programs ignore
stylesheets)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from . import actions


def email_theme() -> dict[str, Any]:
    theme = actions.current()
    public = settings.PUBLIC_URL.rstrip("/")
    return {
        "name": theme.name or settings.GUICHET_SITE_NAME,
        "colours": dict(theme.colours),
        "font": theme.fonts.get("body") or actions.DEFAULT_FONT,
        "radius": theme.radius,
        "logo": f"{public}{theme.logo.path}" if theme.logo_id and theme.logo else None,
        "links": list(theme.links),
    }
