"""The kinds of events in the theme's log (payloads: schema/events/<kind>.json)."""

from __future__ import annotations

from typing import Any

from api.core.events import Actor, Audience, declare, record

from .models import Theme, ThemeAsset, ThemeEvent

THEME_APPLIED = declare("theme.applied", ThemeEvent, audience=Audience.INTERNAL)
THEME_IMPORTED = declare("theme.imported", ThemeEvent, audience=Audience.INTERNAL)
THEME_ASSET_STORED = declare("theme.asset_stored", ThemeEvent, audience=Audience.INTERNAL)


def applied(theme: Theme, user: Any, corrections: list[dict[str, Any]]) -> ThemeEvent:
    event: ThemeEvent = record(
        THEME_APPLIED,
        payload={"revision": theme.revision, "corrections": corrections},
        actor=Actor(user=user),
        theme=theme,
    )
    return event


def imported(url: str, final_url: str, user: Any, tokens: dict[str, Any], requests: int) -> ThemeEvent:
    event: ThemeEvent = record(
        THEME_IMPORTED,
        payload={"url": url, "final_url": final_url, "tokens": tokens, "requests": requests},
        actor=Actor(user=user),
    )
    return event


def asset_stored(asset: ThemeAsset, user: Any) -> ThemeEvent:
    event: ThemeEvent = record(
        THEME_ASSET_STORED,
        payload={"sha256": asset.sha256, "kind": asset.kind, "content_type": asset.content_type},
        actor=Actor(user=user),
    )
    return event
