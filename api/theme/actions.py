"""The only writer of the theme: applying tokens (checked for contrast), storing the
files it uses, importing a proposal from the municipality's site, and recording each."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import assets, events
from .importer import site
from .models import Theme, ThemeAsset
from .tokens import Correction, checked

DEFAULT_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'


def current() -> Theme:
    """The theme in use (the default one until an administrator applies another)."""
    theme = Theme.objects.select_related("logo").defer("logo__data").filter(pk=1).first()
    if theme is None:
        theme = Theme(pk=1, colours=checked({})[0], fonts={"body": DEFAULT_FONT, "headings": DEFAULT_FONT})
    return theme


def _store(data: bytes, kind: str, content_type: str, source: str = "") -> ThemeAsset:
    asset, _created = ThemeAsset.objects.get_or_create(
        sha256=assets.digest(data),
        defaults={"kind": kind, "content_type": content_type, "data": data, "source": source[:500]},
    )
    return asset


def store_asset(data: bytes, kind: str, user: Any) -> ThemeAsset:
    """Keep an uploaded logo or font file (recognised by its bytes; ``AssetError`` if not)."""
    content_type = assets.sniff(data, kind)
    with transaction.atomic():
        asset = _store(data, kind, content_type)
        events.asset_stored(asset, user)
    return asset


def _icons(logo: ThemeAsset, background: str) -> list[dict[str, Any]]:
    data = bytes(logo.data)
    if logo.content_type == "image/svg+xml":
        icon = _store(assets.square_svg(data, background), "icon", "image/svg+xml")
        return [{"asset": icon.sha256, "src": icon.path, "sizes": "any", "type": "image/svg+xml"}]
    made = []
    for size in (192, 512):
        icon = _store(assets.square_png(data, size, background), "icon", "image/png")
        made.append({"asset": icon.sha256, "src": icon.path, "sizes": f"{size}x{size}", "type": "image/png"})
    return made


@transaction.atomic
def apply(tokens: dict[str, Any], user: Any) -> tuple[Theme, list[Correction]]:
    """Apply ``tokens`` (already validated: name, colours, fonts, radius, links, logo,
    font faces); every colour pair is brought to WCAG AA contrast, the icons are
    derived from the logo, and the corrections are returned and recorded."""
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
    logo: ThemeAsset | None = tokens.get("logo")
    theme.logo = logo
    theme.icons = _icons(logo, colours["surface"]) if logo is not None else []
    theme.font_faces = [
        {
            "family": face["family"],
            "weight": face.get("weight", "400"),
            "style": face.get("style", "normal"),
            "asset": face["asset"].sha256,
            "src": face["asset"].path,
            "format": face["asset"].extension,
        }
        for face in tokens.get("font_faces", [])
    ]
    theme.revision += 1
    theme.save()
    events.applied(theme, user, [{k: v for k, v in asdict(c).items() if k != "message"} for c in corrections])
    return theme, corrections


def import_site(url: str, user: Any) -> dict[str, Any]:
    """Read the municipality's site and propose tokens (nothing is applied). The logo
    and open-licensed font files found are kept as assets, so the proposal can be
    applied as it is; files no theme uses are removed a day later."""
    analysis = site.analyse(url)
    with transaction.atomic():
        _forget_unused()
        logo = (
            _store(analysis.logo.data, "logo", analysis.logo.content_type, analysis.logo.source)
            if analysis.logo
            else None
        )
        faces = [
            {
                "family": face.family,
                "weight": face.weight if face.weight.isdigit() else "400",
                "style": face.style if face.style in {"normal", "italic"} else "normal",
                "asset": _store(file.data, "font", file.content_type, file.source).sha256,
            }
            for face, file in analysis.faces
        ]
        colours = {**analysis.colours}
        tokens = {
            "name": analysis.page.name,
            "colours": colours,
            "fonts": analysis.fonts,
            "radius": "8px",
            "links": analysis.page.links,
            "logo": logo.sha256 if logo else None,
            "font_faces": faces,
        }
        corrections = checked(colours)[1]
        events.imported(url, analysis.url, user, tokens, analysis.requests)
    return {
        "url": url,
        "final_url": analysis.url,
        "tokens": tokens,
        "why": analysis.why,
        "logo": {"src": logo.path, "content_type": logo.content_type} if logo else None,
        "logo_candidates": analysis.logo_candidates,
        "colours": site.ranked_colours(analysis),
        "notes": analysis.notes,
        "corrections": [asdict(c) for c in corrections],
        "requests": analysis.requests,
    }


def _forget_unused() -> None:
    theme = Theme.objects.filter(pk=1).first()
    used = set()
    if theme is not None:
        used = {theme.logo_id, *(i["asset"] for i in theme.icons), *(f["asset"] for f in theme.font_faces)}
    stale = ThemeAsset.objects.filter(created_at__lt=timezone.now() - timedelta(days=1)).exclude(
        Q(sha256__in=[u for u in used if u])
    )
    stale.delete()
