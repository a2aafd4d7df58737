"""Reading a site's stylesheets (tinycss2): the colours it uses and where, its custom
properties, its fonts and its @font-face rules.

Every colour use is kept with its role (text, background, border) and the kind of
element its selector aims at (the header, buttons, links, the page itself), so the
proposal can rank colours by use and pick the header's and the buttons' own."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import tinycss2
from coloraide import Color

from ..contrast import ColourError, colour, hex_of

COLOUR_PROPERTIES = {
    "color": "text",
    "background-color": "background",
    "background": "background",
    "border-color": "border",
    "border": "border",
    "border-top": "border",
    "border-bottom": "border",
    "border-left": "border",
    "border-right": "border",
    "border-bottom-color": "border",
    "border-top-color": "border",
    "outline-color": "border",
    "fill": "background",
}
NOT_COLOURS = {"transparent", "inherit", "initial", "unset", "currentcolor", "none", "revert", "auto"}
MAX_RULES = 20_000  # a stylesheet this long is not read further

# What a selector aims at, by the words it uses (first match wins).
CONTEXTS = [
    ("button", re.compile(r"button|\bbtn\b|\.btn|\.button|submit|wp-block-button|fr-btn", re.I)),
    ("header", re.compile(r"header|banner|navbar|\bnav\b|masthead|bandeau|entete|en-tete|topbar|top-bar", re.I)),
    ("footer", re.compile(r"footer|pied|contentinfo", re.I)),
    ("link", re.compile(r"(^|[\s>+~,])a(\b|:|\[|\.|$)|:link|:visited|\blink\b", re.I)),
    ("heading", re.compile(r"(^|[\s>+~,])h[1-3]\b|title|titre", re.I)),
    ("page", re.compile(r"(^|,)\s*(:root|html|body)\s*(,|$)", re.I)),
]


def context_of(selector: str) -> str:
    for name, pattern in CONTEXTS:
        if pattern.search(selector):
            return name
    return "other"


@dataclass
class Use:
    hex: str
    role: str  # text, background, border, or "variable" for a custom property's own definition
    context: str  # button, header, footer, link, heading, page, other
    source: str  # the selector or the custom property's name


@dataclass
class FontFace:
    family: str
    url: str
    format: str
    weight: str = "400"
    style: str = "normal"


@dataclass
class Styles:
    uses: list[Use] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)  # --name: raw value (first definition)
    variable_scope: dict[str, str] = field(default_factory=dict)  # --name: the selector defining it
    body_fonts: list[str] = field(default_factory=list)
    heading_fonts: list[str] = field(default_factory=list)
    faces: list[FontFace] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)
    rules: int = 0
    unreadable: int = 0  # stylesheets or style attributes nested too deep to read


def _serialize(tokens: list[Any]) -> str:
    return str(tinycss2.serialize(tokens)).strip()


def colours_in(tokens: list[Any], variables: dict[str, str], depth: int = 0) -> list[str]:
    """The opaque colours written in a declaration's value, var() references resolved."""
    found: list[str] = []
    for token in tokens:
        text: str | None = None
        if token.type == "hash":
            text = "#" + token.value
        elif token.type == "ident" and token.lower_value not in NOT_COLOURS:
            text = token.value
        elif token.type == "function":
            name = token.lower_name
            if name == "var" and depth < 4:
                args = [t for t in token.arguments if t.type not in {"whitespace", "comment"}]
                if args and args[0].type == "ident" and args[0].value in variables:
                    found.extend(
                        colours_in(tinycss2.parse_component_value_list(variables[args[0].value]), variables, depth + 1)
                    )
                elif len(args) > 2:  # var(--missing, fallback)
                    found.extend(colours_in(args[2:], variables, depth + 1))
                continue
            if name in {"rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch", "color"}:
                text = _serialize([token])
        if text is None:
            continue
        if token.type == "ident" and not Color.match(text, fullmatch=True):
            continue
        try:
            found.append(hex_of(colour(text)))
        except (ColourError, ValueError):
            continue  # translucent or not a colour
    return found


def families(value: str) -> list[str]:
    """A font-family list's names, unquoted."""
    names = []
    for part in value.split(","):
        name = part.strip().strip("\"'").strip()
        if name and not name.startswith("var("):
            names.append(name)
    return names


_SHORTHAND_FAMILY = re.compile(r"\d[\w.%]*(?:\s*/\s*[\w.%]+)?\s+(.+)$")


def _declarations(content: list[Any]) -> list[Any]:
    return [
        d
        for d in tinycss2.parse_blocks_contents(content, skip_whitespace=True, skip_comments=True)
        if d.type == "declaration"
    ]


def read(text: str, base_url: str, styles: Styles | None = None) -> Styles:
    """Add what ``text`` (a stylesheet at ``base_url``) holds to ``styles``."""
    styles = styles or Styles()
    try:
        rules = tinycss2.parse_stylesheet(text, skip_whitespace=True, skip_comments=True)
        # Custom properties first, wherever they are, so a var() used before its definition resolves.
        _collect_variables(rules, styles)
        _walk(rules, base_url, styles)
    except RecursionError:
        styles.unreadable += 1  # nested deeper than any real stylesheet: what was read is kept
    return styles


def _collect_variables(rules: list[Any], styles: Styles) -> None:
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword in {"media", "supports", "layer"} and rule.content:
            _collect_variables(tinycss2.parse_rule_list(rule.content, True, True), styles)
        elif rule.type == "qualified-rule":
            selector = _serialize(rule.prelude)
            for declaration in _declarations(rule.content):
                if declaration.name.startswith("--") and declaration.name not in styles.variables:
                    styles.variables[declaration.name] = _serialize(declaration.value)[:500]
                    styles.variable_scope[declaration.name] = selector


def _walk(rules: list[Any], base_url: str, styles: Styles) -> None:
    for rule in rules:
        styles.rules += 1
        if styles.rules > MAX_RULES:
            return
        if rule.type == "at-rule":
            keyword = rule.lower_at_keyword
            if keyword == "import":
                url = _import_url(rule.prelude)
                if url:
                    styles.imports.append(urljoin(base_url, url))
            elif keyword in {"media", "supports", "layer"} and rule.content:
                prelude = _serialize(rule.prelude).lower()
                if keyword == "media" and ("print" in prelude and "screen" not in prelude):
                    continue
                _walk(tinycss2.parse_rule_list(rule.content, True, True), base_url, styles)
            elif keyword == "font-face" and rule.content:
                styles.faces.extend(_font_faces(_declarations(rule.content), base_url))
        elif rule.type == "qualified-rule":
            _rule(_serialize(rule.prelude), _declarations(rule.content), styles)


def declarations_of(selector: str, style_attribute: str, styles: Styles) -> None:
    """A ``style="…"`` attribute, read as a rule for ``selector`` (its element's context)."""
    try:
        parsed = tinycss2.parse_blocks_contents(style_attribute, skip_whitespace=True, skip_comments=True)
        _rule(selector, [d for d in parsed if d.type == "declaration"], styles)
    except RecursionError:
        styles.unreadable += 1


def _rule(selector: str, declarations: list[Any], styles: Styles) -> None:
    context = context_of(selector)
    for declaration in declarations:
        name = declaration.lower_name
        if name.startswith("--"):
            for hex_ in colours_in(declaration.value, styles.variables):
                styles.uses.append(Use(hex_, "variable", context, declaration.name))
            continue
        role = COLOUR_PROPERTIES.get(name)
        if role:
            for hex_ in colours_in(declaration.value, styles.variables):
                styles.uses.append(Use(hex_, role, context, selector[:120]))
        elif name in {"font-family", "font"}:
            value = _resolved(_serialize(declaration.value), styles.variables)
            if name == "font":
                match = _SHORTHAND_FAMILY.search(value)
                value = match.group(1) if match else ""
            names = families(value)
            if names and context == "page" and not styles.body_fonts:
                styles.body_fonts = names
            elif names and context == "heading" and not styles.heading_fonts:
                styles.heading_fonts = names


def _resolved(value: str, variables: dict[str, str]) -> str:
    match = re.fullmatch(r"var\(\s*(--[\w-]+)\s*(?:,\s*(.+))?\)", value.strip())
    if match:
        return variables.get(match.group(1), match.group(2) or "")
    return value


def _import_url(prelude: list[Any]) -> str | None:
    for token in prelude:
        if token.type in {"string", "url"}:
            return str(token.value)
        if token.type == "function" and token.lower_name == "url":
            strings = [t for t in token.arguments if t.type == "string"]
            return str(strings[0].value) if strings else None
    return None


def _font_faces(declarations: list[Any], base_url: str) -> list[FontFace]:
    family, weight, style = "", "400", "normal"
    sources: list[tuple[str, str]] = []
    for declaration in declarations:
        name = declaration.lower_name
        value = _serialize(declaration.value)
        if name == "font-family":
            family = (families(value) or [""])[0]
        elif name == "font-weight":
            weight = value.split()[0] if value else "400"
            weight = {"normal": "400", "bold": "700"}.get(weight, weight)
        elif name == "font-style":
            style = value or "normal"
        elif name == "src":
            sources = _sources(declaration.value, base_url)
    # One file per face: WOFF2 if the rule offers it, else WOFF.
    for wanted in ("woff2", "woff"):
        for url, fmt in sources:
            if fmt == wanted and family:
                return [FontFace(family, url, fmt, weight, style)]
    return []


def _sources(tokens: list[Any], base_url: str) -> list[tuple[str, str]]:
    sources, url = [], None
    for token in tokens:
        if token.type == "url" or (token.type == "function" and token.lower_name == "url"):
            raw = (
                token.value
                if token.type == "url"
                else next((t.value for t in token.arguments if t.type == "string"), None)
            )
            url = urljoin(base_url, raw) if raw else None
            if url:
                guess = url.split("?")[0].rsplit(".", 1)[-1].lower()
                sources.append((url, guess if guess in {"woff2", "woff"} else ""))
        elif token.type == "function" and token.lower_name == "format" and sources:
            strings = [t.value.lower() for t in token.arguments if t.type == "string"]
            if strings:
                sources[-1] = (sources[-1][0], strings[0])
    return sources
