"""The app's web manifest, drawn from the theme: the municipality's name, its colours
for the browser's bars and the splash screen, and the icons derived from its logo
(Guichet's own icons until a logo is applied)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse

from api.core.problems import problem_response

from .. import actions

DEFAULT_ICONS = [
    {"src": "/icons/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
    {"src": "/icons/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
    {"src": "/icons/maskable-192.png", "sizes": "192x192", "type": "image/png", "purpose": "maskable"},
    {"src": "/icons/maskable-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
]


def body() -> dict[str, Any]:
    theme = actions.current()
    name = theme.name or "Guichet"
    icons: list[dict[str, str]]
    if not theme.icons:
        icons = DEFAULT_ICONS
    elif theme.icons[0]["type"] == "image/png":
        # The logo sits in the middle 72 %, on a full square: safe to crop to any shape.
        icons = [{**_icon(icon), "purpose": "any maskable"} for icon in theme.icons]
    else:
        # An SVG for every size; Guichet's own PNGs stay for launchers that crop.
        icons = [{**_icon(icon), "purpose": "any"} for icon in theme.icons]
        icons += [icon for icon in DEFAULT_ICONS if icon["purpose"] == "maskable"]
    return {
        "id": "/",
        "name": f"{name} – démarches en ligne",
        "short_name": name if len(name) <= 12 else "Démarches",
        "description": "Les démarches en ligne de votre commune : les remplir, les suivre, échanger avec la mairie.",
        "lang": "fr",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": theme.colours["primary"],
        "background_color": theme.colours["background"],
        "categories": ["government", "utilities"],
        "icons": icons,
    }


def _icon(icon: dict[str, str]) -> dict[str, str]:
    return {"src": icon["src"], "sizes": icon["sizes"], "type": icon["type"]}


def manifest(request: HttpRequest) -> HttpResponse:
    if request.method not in {"GET", "HEAD"}:
        return problem_response(405, "method-not-allowed")
    response = HttpResponse(json.dumps(body(), ensure_ascii=False), content_type="application/manifest+json")
    response["Cache-Control"] = "public, no-cache"
    return response
