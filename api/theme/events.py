"""The kinds of events in the theme's log (payloads: schema/events/<kind>.json)."""

from __future__ import annotations

from typing import Any

from api.core.events import Actor, Audience, declare, record

from .models import Theme, ThemeEvent

THEME_APPLIED = declare("theme.applied", ThemeEvent, audience=Audience.INTERNAL)


def applied(theme: Theme, user: Any, corrections: list[dict[str, Any]]) -> ThemeEvent:
    event: ThemeEvent = record(
        THEME_APPLIED,
        payload={"revision": theme.revision, "corrections": corrections},
        actor=Actor(user=user),
        theme=theme,
    )
    return event
