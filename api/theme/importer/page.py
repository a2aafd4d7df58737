"""Reading a site's home page (selectolax, the Lexbor HTML5 parser): its name, logo
candidates, theme colour, stylesheets, the colours written in its markup, and the
footer's links to the legal notice, the accessibility statement, privacy and contact."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from selectolax.lexbor import LexborHTMLParser, LexborNode

from . import styles as css

HEADER = "header, [role=banner], #header, .header, .site-header, #masthead, .fr-header, #entete, .entete, .bandeau"
FOOTER = "footer, [role=contentinfo], #footer, .footer, .site-footer, .fr-footer, #pied, .pied"
LOGOISH = re.compile(r"logo|brand|marque|blason|armoiries", re.I)

LINK_KINDS = [
    ("legal", re.compile(r"mentions?\s+l[ée]gales?|informations?\s+l[ée]gales?|legal\s+notice|imprint", re.I)),
    ("accessibility", re.compile(r"accessibilit[ée]|accessibility", re.I)),
    ("privacy", re.compile(r"donn[ée]es\s+personnelles|confidentialit[ée]|vie\s+priv[ée]e|rgpd|privacy", re.I)),
    ("contact", re.compile(r"^\s*(nous\s+)?contact(er|ez[\s-]nous)?\b|contact\s+us|nous\s+[ée]crire", re.I)),
]
TITLE_PARTS = re.compile(r"\s+[|–—:-]\s+|\s*[|–—]\s*")
GENERIC_TITLES = re.compile(r"^(accueil|home|page d'accueil|bienvenue.*|site officiel.*|welcome.*)$", re.I)


@dataclass
class Logo:
    url: str | None  # None for an inline SVG, whose markup is in ``svg``
    how: str  # header-img, header-svg, og-image, apple-touch-icon, icon
    alt: str = ""
    svg: str = ""


@dataclass
class Page:
    url: str
    name: str = ""
    logos: list[Logo] = field(default_factory=list)
    theme_color: str | None = None
    stylesheets: list[str] = field(default_factory=list)  # addresses, in the page's order
    inline_css: list[str] = field(default_factory=list)
    links: list[dict[str, str]] = field(default_factory=list)
    styles: css.Styles = field(default_factory=css.Styles)


def _text(node: LexborNode) -> str:
    return " ".join((node.text(separator=" ") or "").split())


def _inside(node: LexborNode, selector_nodes: set[int]) -> bool:
    current: LexborNode | None = node
    while current is not None:
        if current.mem_id in selector_nodes:
            return True
        current = current.parent
    return False


def _attributes(node: LexborNode) -> str:
    return " ".join(str(v or "") for k, v in node.attributes.items() if k in {"class", "id", "alt", "src", "title"})


def read(html: str, url: str) -> Page:
    tree = LexborHTMLParser(html)
    page = Page(url=url)
    base = url
    base_tag = tree.css_first("base[href]")
    if base_tag is not None:
        base = urljoin(url, str(base_tag.attributes.get("href") or ""))
    headers = tree.css(HEADER)
    header_ids = {n.mem_id for n in headers}
    if not headers:  # a table layout: the page's first table row is its header
        first_row = tree.css_first("body table tr")
        if first_row is not None:
            headers, header_ids = [first_row], {first_row.mem_id}
    page.name = _name(tree)
    page.logos = _logos(tree, headers, base)
    if not page.name:
        page.name = next((logo.alt for logo in page.logos if logo.alt and not LOGOISH.fullmatch(logo.alt)), "")
    meta = tree.css_first('meta[name="theme-color"]')
    if meta is not None:
        page.theme_color = str(meta.attributes.get("content") or "").strip() or None
    for node in tree.css('link[rel~="stylesheet" i][href], link[rel="stylesheet"][href], style'):
        if node.tag == "style":
            page.inline_css.append(node.text() or "")
            continue
        media = str(node.attributes.get("media") or "all").lower()
        if "print" in media and "screen" not in media:
            continue
        href = urljoin(base, str(node.attributes.get("href") or ""))
        if urlsplit(href).scheme in {"http", "https"} and href not in page.stylesheets:
            page.stylesheets.append(href)
    _markup_colours(tree, header_ids, page.styles)
    page.links = _footer_links(tree, base)
    return page


def _name(tree: LexborHTMLParser) -> str:
    meta = tree.css_first('meta[property="og:site_name"]')
    if meta is not None and str(meta.attributes.get("content") or "").strip():
        return str(meta.attributes.get("content")).strip()[:80]
    title = tree.css_first("title")
    if title is None:
        return ""
    parts = [p.strip() for p in TITLE_PARTS.split(_text(title)) if p.strip()]
    kept = [p for p in parts if not GENERIC_TITLES.match(p)]
    return (kept[-1] if kept else "")[:80]


def _logos(tree: LexborHTMLParser, headers: list[LexborNode], base: str) -> list[Logo]:
    found: list[Logo] = []
    seen: set[str] = set()

    def add(logo: Logo) -> None:
        key = logo.url or logo.svg[:200]
        if key and key not in seen:
            seen.add(key)
            found.append(logo)

    in_header: list[tuple[int, Logo]] = []
    for header in headers:
        for node in header.css("img[src], svg, img[srcset]"):
            if node.tag == "svg":
                markup = node.html or ""
                if len(markup) > 200_000 or "<svg" not in markup:
                    continue
                score = 0 if LOGOISH.search(_attributes(node.parent) if node.parent else "") else 1
                label = node.css_first("title")
                alt = _text(label) if label is not None else str(node.attributes.get("aria-label") or "")
                in_header.append((score + 1, Logo(None, "header-svg", alt, markup)))
                continue
            src = str(node.attributes.get("src") or "")
            if not src or src.startswith("data:"):
                continue
            around = _attributes(node) + " " + (_attributes(node.parent) if node.parent else "")
            score = 0 if LOGOISH.search(around) else 2
            in_header.append(
                (score, Logo(urljoin(base, src), "header-img", str(node.attributes.get("alt") or "").strip()))
            )
    for _score, logo in sorted(in_header, key=lambda item: item[0]):
        add(logo)
    for selector, how in (
        ('meta[property="og:image"]', "og-image"),
        ('link[rel~="apple-touch-icon"]', "apple-touch-icon"),
        ('link[rel~="icon"]', "icon"),
    ):
        nodes = tree.css(selector)
        if how == "icon":  # the largest first
            nodes = sorted(nodes, key=_icon_size, reverse=True)
        for node in nodes:
            value = node.attributes.get("content") if how == "og-image" else node.attributes.get("href")
            if value:
                add(Logo(urljoin(base, str(value)), how))
    return found[:8]


def _icon_size(node: LexborNode) -> int:
    sizes = str(node.attributes.get("sizes") or "")
    match = re.search(r"(\d+)x\d+", sizes)
    return 10_000 if sizes.lower() == "any" else int(match.group(1)) if match else 0


def _markup_colours(tree: LexborHTMLParser, header_ids: set[int], styles: css.Styles) -> None:
    """Colours written in the markup: style attributes and the legacy attributes (bgcolor,
    <font color>, <body text link>), each in its element's context."""
    body = tree.css_first("body")
    if body is not None:
        for attribute, property_ in (("bgcolor", "background-color"), ("text", "color"), ("link", "color")):
            value = body.attributes.get(attribute)
            if value:
                context = "body" if attribute != "link" else "a"
                css.declarations_of(context, f"{property_}: {value}", styles)
    for node in tree.css("[style], [bgcolor], font[color]")[:5_000]:
        in_header = _inside(node, header_ids)
        selector = "header" if in_header else ("a" if node.tag == "a" else node.tag or "div")
        if node.attributes.get("bgcolor") and node.tag != "body":
            css.declarations_of(selector, f"background-color: {node.attributes['bgcolor']}", styles)
        if node.tag == "font" and node.attributes.get("color"):
            css.declarations_of(selector, f"color: {node.attributes['color']}", styles)
        if node.attributes.get("style"):
            css.declarations_of(selector, str(node.attributes["style"])[:2_000], styles)


def _applicable(url: str) -> bool:
    """An address the theme will take as it is (what PUT /api/theme/ validates)."""
    if urlsplit(url).scheme not in {"http", "https"} or len(url) > 500:
        return False
    try:
        URLValidator()(url)
    except ValidationError:
        return False
    return True


def _footer_links(tree: LexborHTMLParser, base: str) -> list[dict[str, str]]:
    areas: list[Any] = tree.css(FOOTER) or [tree.body]
    by_kind: dict[str, dict[str, str]] = {}
    for area in areas:
        if area is None:
            continue
        for node in area.css("a[href]"):
            label = _text(node) or str(node.attributes.get("title") or "").strip()
            href = urljoin(base, str(node.attributes.get("href") or ""))
            if not label or not _applicable(href):
                continue
            for kind, pattern in LINK_KINDS:
                if kind not in by_kind and (pattern.search(label) or (kind != "contact" and pattern.search(href))):
                    by_kind[kind] = {"kind": kind, "label": label[:80], "url": href}
                    break
    return [by_kind[kind] for kind, _ in LINK_KINDS if kind in by_kind]
