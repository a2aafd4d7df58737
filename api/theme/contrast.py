"""WCAG 2 contrast between a theme's colours, and the nearest colour that meets it.

Colours are CSS colours in any syntax a stylesheet may use (hex, rgb(), hsl(),
oklch(), names), read by coloraide (decision 0019). The ratio is WCAG 2.x's: relative
luminance in sRGB, (L1 + 0.05) / (L2 + 0.05). A colour that misses a pair's minimum
keeps its hue and chroma (OKLCh) and moves its lightness away from the background,
just far enough: the municipality's blue stays its blue, a little darker or lighter.
"""

from __future__ import annotations

from coloraide import Color

AA_TEXT = 4.5  # WCAG 1.4.3: text and images of text
AA_NON_TEXT = 3.0  # WCAG 1.4.11: borders of controls, focus indicators, large text
STEPS = 24  # bisection steps on lightness: far finer than one 8-bit sRGB step


class ColourError(ValueError):
    """Not a colour a theme can use (unreadable, or not opaque)."""


def colour(value: str) -> Color:
    """An opaque sRGB colour from any CSS colour syntax."""
    try:
        parsed = Color(value.strip())
    except (ValueError, TypeError, AttributeError) as error:
        raise ColourError(f"{value!r} is not a CSS colour") from error
    if parsed.alpha() < 1:
        raise ColourError(f"{value!r} is not opaque")
    return parsed.convert("srgb").fit("srgb")


def hex_of(value: str | Color) -> str:
    """The colour as #rrggbb (what the theme stores and serves)."""
    parsed = colour(value) if isinstance(value, str) else value.convert("srgb").fit("srgb")
    return str(parsed.to_string(hex=True, fit=True)).lower()


def luminance(value: Color) -> float:
    """WCAG 2's relative luminance, with the specification's own coefficients."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in value.convert("srgb")[:3]]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def ratio(foreground: str | Color, background: str | Color) -> float:
    fg = colour(foreground) if isinstance(foreground, str) else foreground
    bg = colour(background) if isinstance(background, str) else background
    lighter, darker = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def nearest(foreground: str, background: str, minimum: float) -> str:
    """``foreground`` if it meets ``minimum`` against ``background``, else the colour of
    the same hue and chroma whose lightness is the closest that does (black or white
    when no lightness of that hue does)."""
    bg = colour(background)
    start = colour(foreground)
    if ratio(start, bg) >= minimum:
        return hex_of(start)
    base = start.convert("oklch")
    lightness = float(base["lightness"])
    found: list[tuple[float, Color]] = []
    for end in (0.0, 1.0):  # darker, then lighter
        far = _with_lightness(base, end)
        if ratio(far, bg) < minimum:
            continue
        near, reach = lightness, end  # near misses, reach meets
        for _ in range(STEPS):
            middle = (near + reach) / 2
            if ratio(_with_lightness(base, middle), bg) >= minimum:
                reach = middle
            else:
                near = middle
        candidate = _with_lightness(base, reach)
        # Rounding to 8 bits may cost a hair of contrast: step on until it holds.
        while ratio(colour(hex_of(candidate)), bg) < minimum and reach != end:
            reach = min(1.0, max(0.0, reach + (0.002 if end else -0.002)))
            candidate = _with_lightness(base, reach)
        if ratio(colour(hex_of(candidate)), bg) >= minimum:
            found.append((abs(reach - lightness), candidate))
    if found:
        return hex_of(min(found, key=lambda item: item[0])[1])
    black, white = Color("srgb", [0, 0, 0]), Color("srgb", [1, 1, 1])
    return hex_of(black if ratio(black, bg) >= ratio(white, bg) else white)


def _with_lightness(base: Color, lightness: float) -> Color:
    return base.clone().set("lightness", lightness).convert("srgb").fit("srgb")
