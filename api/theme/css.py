"""The theme as a stylesheet of custom properties, which the app, its widgets and
their hosts read (``--guichet-color-primary`` …), and the @font-face rules of the font
files Guichet serves. Every value was validated or normalised before it was stored
(hex colours, a checked font list, a length, family names of letters, digits, spaces
and hyphens, asset addresses built from a SHA-256)."""

from __future__ import annotations

from .models import Theme


def stylesheet(theme: Theme) -> str:
    lines = [f"  --guichet-color-{name.replace('_', '-')}: {value};" for name, value in sorted(theme.colours.items())]
    lines.append(f"  --guichet-font-family: {theme.fonts.get('body', 'system-ui, sans-serif')};")
    lines.append(f"  --guichet-font-family-headings: {theme.fonts.get('headings', 'inherit')};")
    lines.append(f"  --guichet-radius: {theme.radius};")
    body = "\n".join(lines)
    faces = "".join(
        f'@font-face {{\n  font-family: "{face["family"]}";\n  src: url("{face["src"]}") format("{face["format"]}");\n'
        f"  font-weight: {face['weight']};\n  font-style: {face['style']};\n  font-display: swap;\n}}\n"
        for face in theme.font_faces
    )
    return f"/* Guichet's theme, revision {theme.revision} */\n{faces}:root {{\n{body}\n}}\n"
