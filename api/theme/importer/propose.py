"""From what a site's page and stylesheets hold to proposed design tokens.

Colours are ranked by use (every declaration that draws with them, var() references
counted where they are used), near-identical ones merged (OKLab distance), and the
tokens picked in order of evidence: a design system's own names for its colours
(custom properties), then the page's theme-color, then the header's background, the
buttons' and the links' colours, then the most used colours."""

from __future__ import annotations

import contextlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from coloraide import Color

from ..contrast import ColourError, colour, hex_of, ratio
from ..tokens import DEFAULT_COLOURS
from .styles import Styles, Use

SAME = 0.03  # OKLab distance under which two colours are the same one, merged
CHROMATIC = 0.04  # OKLCh chroma above which a colour is a colour, not a grey

# Custom-property names design systems give their colours (most specific first).
NAMED = {
    "primary": [
        re.compile(r"^--blue-france-sun-113-625$"),  # the French state design system (DSFR)
        re.compile(r"^--wp--preset--color--(primary|main|brand)$"),
        re.compile(r"^--(bs-)?primary$"),
        re.compile(r"(^|-)(colou?r-)?(primary|primaire|principale?|main|brand|marque)(-colou?r)?$"),
    ],
    "secondary": [
        re.compile(r"^--wp--preset--color--secondary$"),
        re.compile(r"^--(bs-)?secondary$"),
        re.compile(r"(^|-)(colou?r-)?(secondary|secondaire)(-colou?r)?$"),
    ],
    "accent": [
        re.compile(r"^--wp--preset--color--(accent|tertiary)$"),
        re.compile(r"(^|-)(colou?r-)?(accent|tertiary|tertiaire|highlight)(-colou?r)?$"),
    ],
}


@dataclass
class Ranked:
    hex: str
    uses: int = 0
    sources: list[str] = field(default_factory=list)


def _oklab(hex_: str) -> Any:
    return Color(hex_).convert("oklab")


def is_chromatic(hex_: str) -> bool:
    return bool(Color(hex_).convert("oklch")["chroma"] > CHROMATIC)


def same(a: str, b: str) -> bool:
    return bool(_oklab(a).delta_e(_oklab(b), method="ok") < SAME)


def rank(uses: list[Use]) -> list[Ranked]:
    """Colours by number of uses, near-identical ones merged into the most used."""
    counts: Counter[str] = Counter()
    sources: dict[str, list[str]] = defaultdict(list)
    for use in uses:
        if use.role == "variable":
            continue  # counted where it is used
        counts[use.hex] += 1
        label = f"{use.context} {use.role}" if use.context != "other" else use.role
        if label not in sources[use.hex]:
            sources[use.hex].append(label)
    for use in uses:  # a defined colour nobody uses still counts once
        if use.role == "variable" and use.hex not in counts:
            counts[use.hex] = 1
            sources[use.hex].append(use.source)
    merged: list[Ranked] = []
    for hex_, count in counts.most_common():
        for kept in merged:
            if same(kept.hex, hex_):
                kept.uses += count
                kept.sources.extend(s for s in sources[hex_] if s not in kept.sources)
                break
        else:
            merged.append(Ranked(hex_, count, list(sources[hex_])))
    merged.sort(key=lambda r: -r.uses)
    return merged


def _first(uses: list[Use], *, context: str, role: str, chromatic: bool = True) -> str | None:
    found = Counter(
        u.hex for u in uses if u.context == context and u.role == role and (not chromatic or is_chromatic(u.hex))
    )
    return found.most_common(1)[0][0] if found else None


def _named(styles: Styles, token: str) -> tuple[str, str] | None:
    for pattern in NAMED[token]:
        for name in styles.variables:
            if pattern.search(name):
                hexes = [u.hex for u in styles.uses if u.role == "variable" and u.source == name]
                if hexes and is_chromatic(hexes[0]):
                    return hexes[0], name
    return None


def text_on(background: str) -> str:
    """White or near-black, whichever reads better on ``background``."""
    return "#ffffff" if ratio("#ffffff", background) >= ratio("#1b1b1b", background) else "#1b1b1b"


def colours(styles: Styles, theme_color: str | None) -> tuple[dict[str, str], dict[str, str], list[Ranked]]:
    """The proposed colour tokens, why each was picked, and the ranked colours."""
    ranked = rank(styles.uses)
    chosen: dict[str, str] = {}
    why: dict[str, str] = {}

    def pick(token: str, value: str | None, reason: str) -> bool:
        if value and token not in chosen and not any(same(value, c) for c in chosen.values()):
            chosen[token], why[token] = value, reason
            return True
        return False

    for token in ("primary", "secondary", "accent"):
        named = _named(styles, token)
        if named:
            pick(token, named[0], f"custom property {named[1]}")
    if theme_color:
        with contextlib.suppress(ColourError):
            pick("primary", hex_of(colour(theme_color)), "theme-color")
    pick("primary", _first(styles.uses, context="header", role="background"), "header background")
    pick("primary", _first(styles.uses, context="button", role="background"), "button background")
    pick("primary", _first(styles.uses, context="link", role="text"), "link colour")
    for token in ("primary", "secondary", "accent"):
        for candidate in ranked:
            if is_chromatic(candidate.hex) and pick(token, candidate.hex, f"used {candidate.uses} times"):
                break
    page_background = _first(styles.uses, context="page", role="background", chromatic=False)
    if page_background and Color(page_background).convert("oklch")["lightness"] > 0.9 and page_background != "#ffffff":
        chosen["background"], why["background"] = page_background, "page background"
    page_text = _first(styles.uses, context="page", role="text", chromatic=False)
    if page_text and Color(page_text).convert("oklch")["lightness"] < 0.45:
        chosen["text"], why["text"] = page_text, "page text"
    for token in ("primary", "secondary", "accent"):
        if token in chosen:
            chosen[f"on_{token}"] = text_on(chosen[token])
    if "accent" in chosen and ratio(chosen["accent"], chosen.get("primary", DEFAULT_COLOURS["primary"])) >= 3:
        chosen["focus"], why["focus"] = chosen["accent"], "the accent colour (visible on the header)"
    return chosen, why, ranked


OPEN_FONTS = {
    # Families published under the SIL Open Font License or Apache 2.0, which Guichet
    # may serve itself. Others (Marianne, commercial faces) are named but not served.
    name.lower()
    for name in (
        "Open Sans",
        "Roboto",
        "Lato",
        "Montserrat",
        "Source Sans Pro",
        "Source Sans 3",
        "Raleway",
        "Nunito",
        "Nunito Sans",
        "Poppins",
        "Inter",
        "Work Sans",
        "Merriweather",
        "Noto Sans",
        "Noto Serif",
        "PT Sans",
        "PT Serif",
        "Ubuntu",
        "Fira Sans",
        "Oswald",
        "Playfair Display",
        "Luciole",
        "Atkinson Hyperlegible",
        "Barlow",
        "Mulish",
        "Quicksand",
        "Rubik",
        "DM Sans",
        "Cabin",
        "Karla",
        "Libre Franklin",
        "Archivo",
        "IBM Plex Sans",
        "Manrope",
        "Lexend",
        "Public Sans",
        "Figtree",
        "Outfit",
        "Roboto Slab",
        "Bitter",
    )
}
GENERIC = {
    "serif",
    "sans-serif",
    "monospace",
    "cursive",
    "fantasy",
    "system-ui",
    "ui-sans-serif",
    "ui-serif",
    "-apple-system",
    "blinkmacsystemfont",
    "inherit",
    "initial",
}
FALLBACK = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif'
SERIF_FALLBACK = 'Georgia, "Times New Roman", serif'


def font_list(names: list[str]) -> str:
    """A font-family value: the site's first named family, then system fallbacks."""
    named = [n for n in names if n.lower() not in GENERIC and re.fullmatch(r"[\w \-]{1,60}", n)]
    fallback = SERIF_FALLBACK if names and names[-1].lower() == "serif" else FALLBACK
    if not named:
        return fallback
    family = named[0]
    quoted = f'"{family}"' if " " in family else family
    rest = [f for f in fallback.split(", ") if f.strip('"').lower() != family.lower()]
    return ", ".join([quoted, *rest])
