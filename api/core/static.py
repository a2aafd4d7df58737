"""Static-file policy for whitenoise."""

import re
from typing import Any

# Vite names built assets like assets/index-B2x9k_Qe.js: the hash makes them immutable.
_HASHED = re.compile(r"(^|/)assets/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$")
# What a host page's widgets load from Guichet: the module, its chunks and style sheets.
_WIDGET_CODE = re.compile(r"^/(widgets\.js|assets/[^/]+\.(js|css))$")


def is_immutable(path: str, url: str) -> bool:
    return bool(_HASHED.search(url)) or bool(re.search(r"\.[0-9a-f]{12}\.[a-z0-9]+$", url))


def widget_code_headers(headers: Any, path: str, url: str) -> None:
    """Lets any page load the widgets' code (module scripts are fetched in CORS mode).
    The code is public; what the widgets may then call (the API, the websocket) is
    allowed to GUICHET_EMBED_ORIGINS only."""
    if _WIDGET_CODE.match(url):
        headers["Access-Control-Allow-Origin"] = "*"
        headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    if url == "/widgets.js":
        headers["Cache-Control"] = "public, max-age=300"  # a fixed address: a new build is taken within minutes
