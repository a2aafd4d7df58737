"""A theme's design tokens and the contrast every colour pair it produces must meet.

The app, its widgets and its emails read these as CSS custom properties
(``--guichet-color-primary`` …). ``checked(colours)`` returns the colours with each
failing pair corrected (the foreground moved to the nearest colour that meets the
pair's minimum, decision 0019) and, for the administrator, which pairs were corrected
and why, in their language.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .contrast import AA_NON_TEXT, AA_TEXT, hex_of, nearest, ratio

# The default theme: the only place the app's colours are written.
DEFAULT_COLOURS: dict[str, str] = {
    "primary": "#1d4e89",
    "on_primary": "#ffffff",
    "secondary": "#4a5a6a",
    "on_secondary": "#ffffff",
    "accent": "#ffbf47",
    "on_accent": "#1b1b1b",
    "background": "#f5f6f8",
    "surface": "#ffffff",
    "text": "#1b1b1b",
    "muted": "#4a4a4a",
    "border": "#767676",
    "error": "#b00020",
    "focus": "#ffbf47",
}


@dataclass(frozen=True)
class Pair:
    foreground: str
    background: str
    minimum: float
    why: str | Promise  # translated when the message is written


# (what is drawn, on what, the least contrast, where it is seen); the foreground is
# the one corrected. Text is 4.5:1 (WCAG 1.4.3); borders and focus rings 3:1 (1.4.11).
PAIRS = [
    Pair("text", "background", AA_TEXT, gettext_lazy("text on the page's background")),
    Pair("text", "surface", AA_TEXT, gettext_lazy("text on cards and fields")),
    Pair("muted", "surface", AA_TEXT, gettext_lazy("hints and secondary text on cards")),
    Pair("muted", "background", AA_TEXT, gettext_lazy("hints and secondary text on the page")),
    Pair("primary", "surface", AA_TEXT, gettext_lazy("links on cards")),
    Pair("primary", "background", AA_TEXT, gettext_lazy("links on the page")),
    Pair("on_primary", "primary", AA_TEXT, gettext_lazy("text on the header and main buttons")),
    Pair("on_secondary", "secondary", AA_TEXT, gettext_lazy("text on secondary areas")),
    Pair("on_accent", "accent", AA_TEXT, gettext_lazy("text on highlighted areas")),
    Pair("error", "surface", AA_TEXT, gettext_lazy("error messages")),
    Pair("border", "surface", AA_NON_TEXT, gettext_lazy("borders of fields and buttons")),
    Pair("focus", "primary", AA_NON_TEXT, gettext_lazy("the keyboard focus ring on the header")),
]


@dataclass(frozen=True)
class Correction:
    token: str
    on: str
    was: str
    now: str
    ratio_was: float
    ratio_now: float
    minimum: float
    message: str


def checked(colours: Mapping[str, str]) -> tuple[dict[str, str], list[Correction]]:
    """Every colour as #rrggbb, missing ones from the default theme, and each pair that
    missed its minimum corrected, in the order of PAIRS (a background is corrected
    before what is drawn on it, as none of them is a foreground drawn earlier)."""
    result = {name: hex_of(colours.get(name, default)) for name, default in DEFAULT_COLOURS.items()}
    corrections: list[Correction] = []
    # A colour corrected for one pair may be the background of a later one, or meet
    # another background too: passes until nothing changes (two suffice for real themes).
    for _pass in range(4):
        found = _one_pass(result)
        corrections.extend(found)
        if not found:
            break
    return result, corrections


def _one_pass(result: dict[str, str]) -> list[Correction]:
    corrections = []
    for pair in PAIRS:
        fg, bg = result[pair.foreground], result[pair.background]
        before = ratio(fg, bg)
        if before >= pair.minimum:
            continue
        fixed = nearest(fg, bg, pair.minimum)
        after = ratio(fixed, bg)
        result[pair.foreground] = fixed
        corrections.append(
            Correction(
                token=pair.foreground,
                on=pair.background,
                was=fg,
                now=fixed,
                ratio_was=_floor(before),
                ratio_now=_floor(after),
                minimum=pair.minimum,
                message=_(
                    "%(token)s %(was)s on %(on)s %(bg)s has a contrast of %(before).2f:1, below the %(minimum)s:1 "
                    "needed for %(why)s; it becomes %(now)s (%(after).2f:1)."
                )
                % {
                    "token": pair.foreground,
                    "was": fg,
                    "on": pair.background,
                    "bg": bg,
                    "before": _floor(before),
                    "minimum": f"{pair.minimum:g}",
                    "why": pair.why,
                    "now": fixed,
                    "after": _floor(after),
                },
            )
        )
    return corrections


def _floor(value: float) -> float:
    """Two decimals, rounded down: a pair at 4.499 is never shown as meeting 4.5."""
    return math.floor(value * 100) / 100
