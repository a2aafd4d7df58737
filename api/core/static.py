"""Static-file policy for whitenoise."""

import re
from typing import Any

# Vite names built assets like assets/index-B2x9k_Qe.js: the hash makes them immutable.
_HASHED = re.compile(r"(^|/)assets/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$")
# What a host page's widgets load from Guichet: the module, its chunks and style sheets.
_WIDGET_CODE = re.compile(r"^/(widgets\.js|assets/[^/]+\.(js|css))$")


def is_widget_code(path: str) -> bool:
    return bool(_WIDGET_CODE.match(path))


def is_immutable(path: str, url: str) -> bool:
    return bool(_HASHED.search(url)) or bool(re.search(r"\.[0-9a-f]{12}\.[a-z0-9]+$", url))


def widget_code_headers(headers: Any, path: str, url: str) -> None:
    """The widgets' module has a fixed address: browsers keep it minutes, not a year.
    (Which sites may load it is said per request: ``EmbedCodeCors``.)"""
    if url == "/widgets.js":
        headers["Cache-Control"] = "public, max-age=300"  # a fixed address: a new build is taken within minutes
