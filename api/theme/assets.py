"""The theme's files: logos, the square icons derived from a logo, font files.

A file is recognised by its bytes, never by the name or type it was given: PNG, JPEG,
GIF, WebP and ICO images (``filetype``), SVG documents, WOFF2 and WOFF fonts. The
icons for the manifest and the favicon are derived from the logo: a raster logo is
trimmed and centred on a square of the theme's surface colour (Pillow), at 192 and 512
pixels; an SVG logo is placed in a square SVG (no rasteriser needed)."""

from __future__ import annotations

import base64
import hashlib
import io
import re

import filetype
from PIL import Image, UnidentifiedImageError

LOGO_MAX_BYTES = 1_000_000
FONT_MAX_BYTES = 500_000
MAX_PIXELS = 4096 * 4096
RASTER = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/x-icon", "image/vnd.microsoft.icon"}
_SVG_START = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!DOCTYPE[^>]*>\s*)?(<!--.*?-->\s*)*<svg[\s>]", re.S | re.I
)


class AssetError(ValueError):
    """Not a file the theme can use; the message says why."""


def sniff(data: bytes, kind: str) -> str:
    """The content type of ``data`` for a ``kind`` of asset (logo or font), from its bytes."""
    if kind == "font":
        if len(data) > FONT_MAX_BYTES:
            raise AssetError("font file larger than 500 KB")
        if data.startswith(b"wOF2"):
            return "font/woff2"
        if data.startswith(b"wOFF"):
            return "font/woff"
        raise AssetError("not a WOFF2 or WOFF font")
    if len(data) > LOGO_MAX_BYTES:
        raise AssetError("image larger than 1 MB")
    if _SVG_START.match(data[:4096]):
        return "image/svg+xml"
    guessed = filetype.guess_mime(data)
    if guessed == "image/vnd.microsoft.icon":
        guessed = "image/x-icon"
    if guessed not in RASTER:
        raise AssetError("not a PNG, JPEG, GIF, WebP, ICO or SVG image")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise AssetError("image larger than 4096 × 4096 pixels")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        if isinstance(error, AssetError):
            raise
        raise AssetError("the image cannot be read") from error
    return str(guessed)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def svg_document(markup: str) -> bytes:
    """An inline ``<svg>`` taken from a page, as a file of its own (its namespace added)."""
    if "xmlns=" not in markup[: markup.find(">") + 1]:
        markup = markup.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
    return markup.encode()


def square_png(data: bytes, size: int, background: str) -> bytes:
    """A raster logo trimmed of its transparent margins and centred on a square of
    ``background``, filling 72 % of it (inside the safe zone of a maskable icon)."""
    with Image.open(io.BytesIO(data)) as opened:
        opened.seek(0)
        image = opened.convert("RGBA")
    box = image.getchannel("A").getbbox()
    if box:
        image = image.crop(box)
    inner = round(size * 0.72)
    scale = inner / max(image.width, image.height)
    resized = image.resize(
        (max(1, round(image.width * scale)), max(1, round(image.height * scale))), Image.Resampling.LANCZOS
    )
    canvas = Image.new("RGBA", (size, size), background)
    canvas.alpha_composite(resized, ((size - resized.width) // 2, (size - resized.height) // 2))
    return _png(canvas.convert("RGB"))


def _png(image: Image.Image) -> bytes:
    """The image's PNG bytes (written to memory, nothing stored)."""
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def square_svg(data: bytes, background: str) -> bytes:
    """An SVG logo centred on a square of ``background`` (72 % of it), as an SVG."""
    encoded = base64.b64encode(data).decode()
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512">'
        f'<rect width="512" height="512" fill="{background}"/>'
        f'<image x="72" y="72" width="368" height="368" preserveAspectRatio="xMidYMid meet" '
        f'href="data:image/svg+xml;base64,{encoded}"/></svg>'
    ).encode()
