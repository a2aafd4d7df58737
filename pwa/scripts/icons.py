"""Draws the default theme's icons into pwa/public/ (committed; run again when the
default theme's colours change): a counter's window, white on the primary colour.

    .venv/bin/python pwa/scripts/icons.py

The manifest needs 192 and 512 px icons, and maskable ones whose drawing keeps to
the middle 80 % (launchers crop the rest to their own shape); browsers ask for
/favicon.ico; iOS for an apple-touch-icon. Drawn four times larger, then reduced,
for smooth edges."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

PRIMARY = "#1d4e89"
ON_PRIMARY = "#ffffff"
PUBLIC = Path(__file__).resolve().parent.parent / "public"
SCALE = 4


def draw(size: int, *, maskable: bool = False, rounded: bool = True) -> Image.Image:
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable or not rounded:
        pen.rectangle((0, 0, big, big), fill=PRIMARY)
    else:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=PRIMARY)
    # The drawing keeps to the safe zone of a maskable icon (a circle of 80 %).
    box = big * (0.30 if maskable else 0.22)
    left, top, right, bottom = box, box * 0.95, big - box, big - box * 1.05
    stroke = max(SCALE, round(big * 0.055))
    pen.rounded_rectangle((left, top, right, bottom), radius=big // 12, outline=ON_PRIMARY, width=stroke)
    shelf = top + (bottom - top) * 0.62
    pen.rectangle((left, shelf, right, shelf + stroke), fill=ON_PRIMARY)
    middle = (left + right) / 2
    pen.rectangle((middle - stroke / 2, top, middle + stroke / 2, shelf), fill=ON_PRIMARY)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    icons = PUBLIC / "icons"
    icons.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size).save(icons / f"icon-{size}.png", optimize=True)
        draw(size, maskable=True).save(icons / f"maskable-{size}.png", optimize=True)
    draw(180, rounded=False).convert("RGB").save(icons / "apple-touch-icon.png", optimize=True)
    draw(256).save(PUBLIC / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])


if __name__ == "__main__":
    main()
