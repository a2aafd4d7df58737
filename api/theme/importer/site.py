"""One import: the home page, its stylesheets (and their @imports, two levels deep),
the logo and the open-licensed font files, fetched within one budget; then what they
say, as a proposal the administrator reviews (nothing is stored here)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from ..assets import AssetError, sniff, svg_document
from ..contrast import hex_of
from . import page as pages
from . import propose
from . import styles as css
from .fetch import Budget, Fetched, ImportError_, decode, get

MAX_STYLESHEETS = 16


@dataclass
class File:
    data: bytes
    content_type: str
    source: str


@dataclass
class Analysis:
    url: str
    page: pages.Page
    colours: dict[str, str]
    why: dict[str, str]
    ranked: list[propose.Ranked]
    fonts: dict[str, str]
    logo: File | None = None
    logo_candidates: list[dict[str, Any]] = field(default_factory=list)
    faces: list[tuple[css.FontFace, File]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)
    requests: int = 0


def analyse(url: str) -> Analysis:
    budget = Budget(requests=int(settings.GUICHET_THEME_IMPORT_MAX_REQUESTS))
    deadline = time.monotonic() + float(settings.GUICHET_THEME_IMPORT_DEADLINE)
    home = get(url, budget, max_bytes=3_000_000, accept="text/html,application/xhtml+xml")
    if "html" not in home.content_type.lower() and b"<html" not in home.body[:2048].lower():
        raise ImportError_("not-html", f"{home.url} is not an HTML page ({home.content_type or 'no type'})")
    page = pages.read(decode(home.body, home.content_type), home.url)
    notes: list[dict[str, str]] = []
    styles = page.styles
    queue = [(href, 0) for href in page.stylesheets]
    for text in page.inline_css:
        before = len(styles.imports)
        css.read(text, home.url, styles)
        queue.extend((href, 1) for href in styles.imports[before:])
    seen: set[str] = set()
    while queue and len(seen) < MAX_STYLESHEETS and time.monotonic() < deadline:
        href, depth = queue.pop(0)
        if href in seen:
            continue
        seen.add(href)
        try:
            sheet = get(href, budget, max_bytes=1_500_000, accept="text/css,*/*;q=0.1")
        except ImportError_ as error:
            notes.append({"field": "colours", "message": f"stylesheet not read: {error.detail}"})
            continue
        before = len(styles.imports)
        css.read(decode(sheet.body, sheet.content_type, html=False), sheet.url, styles)
        if depth < 2:
            queue.extend((imported, depth + 1) for imported in styles.imports[before:])
    chosen, why, ranked = propose.colours(styles, page.theme_color)
    fonts = {
        "body": propose.font_list(styles.body_fonts),
        "headings": propose.font_list(styles.heading_fonts or styles.body_fonts),
    }
    analysis = Analysis(home.url, page, chosen, why, ranked, fonts, notes=notes)
    _logo(analysis, budget, deadline)
    _faces(analysis, styles, budget, deadline)
    analysis.requests = len(budget.spent)
    return analysis


def _logo(analysis: Analysis, budget: Budget, deadline: float) -> None:
    for candidate in analysis.page.logos:
        entry: dict[str, Any] = {"how": candidate.how, "url": candidate.url}
        analysis.logo_candidates.append(entry)
        if analysis.logo is not None or time.monotonic() > deadline:
            continue
        try:
            if candidate.url is None:
                data, source = svg_document(candidate.svg), analysis.url
            else:
                fetched: Fetched = get(candidate.url, budget, max_bytes=1_000_000, accept="image/*")
                data, source = fetched.body, fetched.url
            content_type = sniff(data, "logo")
        except (ImportError_, AssetError) as error:
            entry["error"] = getattr(error, "detail", str(error))
            continue
        entry["chosen"] = True
        analysis.logo = File(data, content_type, source)
    if analysis.logo is None:
        analysis.notes.append({"field": "logo", "message": "no usable logo found"})


def _faces(analysis: Analysis, styles: css.Styles, budget: Budget, deadline: float) -> None:
    wanted = {name.lower() for name in styles.body_fonts[:1] + styles.heading_fonts[:1]}
    for face in styles.faces:
        family = face.family.lower()
        if family not in wanted:
            continue
        if family not in propose.OPEN_FONTS:
            note = (
                f"font {face.family!r} is not served by Guichet (its licence is not a known open one); "
                "system fonts stand in where it is not installed"
            )
            if not any(n["message"] == note for n in analysis.notes):
                analysis.notes.append({"field": "fonts", "message": note})
            continue
        if len(analysis.faces) >= 8 or time.monotonic() > deadline:
            break
        try:
            fetched = get(face.url, budget, max_bytes=500_000, accept="font/woff2,font/woff,*/*;q=0.1")
            content_type = sniff(fetched.body, "font")
        except (ImportError_, AssetError) as error:
            analysis.notes.append(
                {"field": "fonts", "message": f"font file not read: {getattr(error, 'detail', error)}"}
            )
            continue
        analysis.faces.append((face, File(fetched.body, content_type, fetched.url)))


def ranked_colours(analysis: Analysis) -> list[dict[str, Any]]:
    return [{"colour": hex_of(r.hex), "uses": r.uses, "sources": r.sources[:6]} for r in analysis.ranked[:16]]
