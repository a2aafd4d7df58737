"""The theme as a stylesheet of custom properties, which the app, its widgets and
their hosts read (``--guichet-color-primary`` …). Every value was validated or
normalised before it was stored (hex colours, a checked font list, a length)."""

from __future__ import annotations

from .models import Theme


def stylesheet(theme: Theme) -> str:
    lines = [f"  --guichet-color-{name.replace('_', '-')}: {value};" for name, value in sorted(theme.colours.items())]
    lines.append(f"  --guichet-font-family: {theme.fonts.get('body', 'system-ui, sans-serif')};")
    lines.append(f"  --guichet-font-family-headings: {theme.fonts.get('headings', 'inherit')};")
    lines.append(f"  --guichet-radius: {theme.radius};")
    body = "\n".join(lines)
    return f"/* Guichet's theme, revision {theme.revision} */\n:root {{\n{body}\n}}\n"
